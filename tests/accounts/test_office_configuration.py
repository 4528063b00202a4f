"""Another municipality's environment office (docs/CONFIGURATION.md): its name, its English name,
its phone and the email subject prefix are settings, and every text that names the office takes
them from there. These tests run as 港区 and look for 中央区's 環境推進課 nowhere."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.dates import format_day
from moderation import services
from moderation.assisted import desk_account
from moderation.models import AssistedRegistration
from tests.accounts.test_signup import SIGNUP
from tests.factories import make_listing
from tests.moderation.test_assisted import _form

OFFICE = "みなとリサイクル清掃事務所"
OFFICE_EN = "Minato Recycling and Cleaning Office"
PHONE = "03-9999-0001"
PREFIX = "[港区リユース] "
CHUO_OFFICE = ("環境推進課", "Environment Office", "environment office")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def minato(settings):
    settings.MUNICIPALITY_CITY = "港区"
    settings.MUNICIPALITY_NAME_EN = "Minato City"
    settings.ENVIRONMENT_OFFICE_NAME = OFFICE
    settings.ENVIRONMENT_OFFICE_NAME_EN = OFFICE_EN
    settings.ENVIRONMENT_OFFICE_PHONE = PHONE
    settings.EMAIL_SUBJECT_PREFIX = PREFIX


def _assert_no_chuo_office(text: str) -> None:
    for name in CHUO_OFFICE:
        assert name not in text


def _english(client):
    client.cookies["django_language"] = "en"
    return client


# --- pages -------------------------------------------------------------------------------------

def test_the_terms_and_the_privacy_policy_give_the_configured_office_and_phone(client):
    for name in ("terms", "privacy"):
        page = client.get(reverse(name)).content.decode()
        assert f"東京都港区 {OFFICE}" in page and f"電話：{PHONE}" in page
        _assert_no_chuo_office(page)
        page = _english(client).get(reverse(name)).content.decode()
        assert f"{OFFICE_EN}, Minato City, Tokyo" in page and f"Phone: {PHONE}" in page
        assert OFFICE not in page
        _assert_no_chuo_office(page)
        client.cookies.pop("django_language")


def test_the_postcard_receipt_names_the_configured_office_and_its_phone(staff_client):
    staff_client.post(reverse("moderation:assisted_new"), _form())
    registration = AssistedRegistration.objects.get()

    receipt = staff_client.get(reverse("moderation:assisted_receipt", args=[registration.pk])).content.decode()

    assert f"申し込みがあったときは、{OFFICE}からお電話します。" in receipt
    assert f"この品物について{OFFICE}にお問い合わせの際は" in receipt
    assert f"{OFFICE}の電話番号：{PHONE}" in receipt
    assert f"港区 {OFFICE}（{format_day(timezone.localdate())}）" in receipt  # e.g. 6月12日(水)
    _assert_no_chuo_office(receipt)


def test_the_postcard_form_and_the_desk_listing_name_the_configured_office(staff_client, bob_client):
    form = staff_client.get(reverse("moderation:assisted_new")).content.decode()
    assert f"申込者には{OFFICE}が出品者として表示されます。" in form
    form = _english(staff_client).get(reverse("moderation:assisted_new")).content.decode()
    assert f"Requesters see the {OFFICE_EN} as the poster." in form
    listing = make_listing(desk_account())

    page = bob_client.get(listing.get_absolute_url()).content.decode()
    assert f"{OFFICE}（はがき受付）" in page
    _assert_no_chuo_office(page)
    page = _english(bob_client).get(listing.get_absolute_url()).content.decode()
    assert f"{OFFICE_EN} (postcard desk)" in page
    _assert_no_chuo_office(page)


def test_a_staff_member_appears_as_the_configured_office(staff, bob_client):
    listing = make_listing(staff)
    page = bob_client.get(listing.get_absolute_url()).content.decode()
    assert OFFICE in page
    assert OFFICE_EN in _english(bob_client).get(listing.get_absolute_url()).content.decode()


def test_the_report_pages_say_the_configured_office_reads_reports(alice, bob_client):
    url = reverse("listings:report", args=[make_listing(alice).pk])
    page = bob_client.get(url).content.decode()
    assert f"{OFFICE}の職員が出品を確認します。" in page
    _assert_no_chuo_office(page)
    assert f"Staff of the {OFFICE_EN} will check the listing." in _english(bob_client).get(url).content.decode()


def test_a_suspended_account_is_told_to_contact_the_configured_office(alice, alice_client, staff):
    services.account_suspend(user=alice, actor=staff, reason="規約違反の繰り返し")

    page = alice_client.get(reverse("listings:create")).content.decode()
    assert f"{OFFICE}の職員が、お使いのアカウントを利用停止にしました。" in page
    assert f"誤りだと思われる場合は、港区{OFFICE}までお問い合わせください。" in page
    _assert_no_chuo_office(page)
    page = _english(alice_client).get(reverse("listings:create")).content.decode()
    assert f"contact the {OFFICE_EN} of Minato City." in page


def test_the_error_pages_name_the_configured_office(bob_client):
    page = bob_client.get(reverse("moderation:home")).content.decode()
    assert f"または{OFFICE}の職員のためのページです" in page
    _assert_no_chuo_office(page)
    for language, text in (("ja", f"{OFFICE}にお問い合わせください"), ("en", f"contact the {OFFICE_EN}.")):
        with translation.override(language):
            page = render_to_string("500.html")
        assert text in page
        _assert_no_chuo_office(page)


# --- emails ------------------------------------------------------------------------------------

def test_staff_emails_name_the_configured_office_under_the_configured_prefix(alice, staff, django_capture_on_commit_callbacks):
    listing = make_listing(alice, title="本棚")
    with django_capture_on_commit_callbacks(execute=True):
        services.account_warn(user=alice, actor=staff, reason="個人名を書かないでください")
        services.listing_hide(listing=listing, actor=staff, reason="重複")
        services.account_suspend(user=alice, actor=staff, reason="規約違反の繰り返し")

    warning, hidden, suspended = mail.outbox
    assert warning.subject == f"{PREFIX}{OFFICE}からの注意"
    assert f"{OFFICE}の職員より、サービスのルールを守っていただくようお願いいたします" in warning.body
    assert hidden.subject.startswith(PREFIX) and "本棚" in hidden.subject
    assert f"{OFFICE}の職員が、出品「本棚」を非表示にしました。" in hidden.body
    assert suspended.subject.startswith(PREFIX)
    assert f"{OFFICE}の職員が、お使いのアカウントを利用停止にしました。" in suspended.body
    for email in mail.outbox:
        _assert_no_chuo_office(email.subject + email.body)
        assert "[Mottainai]" not in email.subject


def test_an_english_email_names_the_english_office(alice, django_capture_on_commit_callbacks):
    from core.mail import email_send

    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=alice.email, template="moderation/email/account_warning", context={"user": alice, "reason": "x"}, language="en")

    [email] = mail.outbox
    assert email.subject == f"{PREFIX}A warning from the {OFFICE_EN}"
    assert f"Staff of the {OFFICE_EN} ask you" in email.body


def test_allauth_emails_carry_the_configured_prefix(client):
    client.post(reverse("account_signup"), SIGNUP)

    [email] = mail.outbox
    assert email.subject.startswith(PREFIX) and "[Mottainai]" not in email.subject


def test_the_settings_are_read_from_the_environment(tmp_path):
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "MOTTAINAI_VAR_DIR": str(tmp_path),
        "ENVIRONMENT_OFFICE_NAME": OFFICE, "ENVIRONMENT_OFFICE_NAME_EN": OFFICE_EN,
        "ENVIRONMENT_OFFICE_PHONE": PHONE, "EMAIL_SUBJECT_PREFIX": PREFIX,
    }
    code = ("from django.conf import settings as s; print(repr((s.ENVIRONMENT_OFFICE_NAME, s.ENVIRONMENT_OFFICE_NAME_EN,"
            " s.ENVIRONMENT_OFFICE_PHONE, s.EMAIL_SUBJECT_PREFIX)))")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=django_settings.BASE_DIR,
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    assert result.stdout.strip() == repr((OFFICE, OFFICE_EN, PHONE, PREFIX))


# --- nothing names 中央区's office by itself ------------------------------------------------------

_SKIP_DIRS = {".venv", "node_modules", ".git", "tests", "staticfiles", "media", "var"}
_DEFAULTS = Path("config/settings.py")  # the one place the defaults live


def _source_files():
    base = Path(django_settings.BASE_DIR)
    for path in base.rglob("*"):
        relative = path.relative_to(base)
        if set(relative.parts) & _SKIP_DIRS or relative == _DEFAULTS or not path.is_file():
            continue
        if path.suffix in {".py", ".html", ".txt", ".po"}:
            yield relative, path.read_text(encoding="utf-8", errors="replace")


def test_no_template_module_or_translation_hard_codes_the_office_or_the_subject_prefix():
    offenders = []
    for relative, text in _source_files():
        if relative.suffix == ".po":
            text = re.sub(r'"\n"', "", text)  # a msgid or msgstr continues on the next line
        if "環境推進課" in text or "[Mottainai]" in text:
            offenders.append(str(relative))
        elif relative.suffix in {".html", ".txt", ".po"} and re.search(r"environment office", text, re.IGNORECASE):
            offenders.append(str(relative))  # English text that names the office without the setting
    assert offenders == []
