"""One-line fields (titles, names, labels that may reach an email subject or header) refuse line
breaks of every kind and bidi override controls with a sentence; multi-line fields keep their
line breaks and silently lose the bidi overrides."""

import pytest
from django import forms
from django.urls import reverse

from accounts.models import PostalCode
from alerts.models import SavedSearch
from community.models import Thread
from core.forms import LineField
from listings.models import Category, Listing
from messaging.models import Message
from mirror.models import WebhookEndpoint
from moderation.models import ReasonTemplate
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

LINE_BREAK_ERROR = "改行を入れずに1行で入力してください。"
BIDI_ERROR = "文字の向きを変える見えない文字が含まれています。"
LINE_BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


class OneLine(forms.Form):
    title = LineField(max_length=60)


@pytest.mark.parametrize("char", LINE_BREAKS)
def test_every_kind_of_line_break_is_refused(char):
    form = OneLine({"title": f"Sofa{char}Bcc: victim@example.com"})
    assert not form.is_valid()
    assert form.errors.as_data()["title"][0].code == "line_break"


@pytest.mark.parametrize("char", BIDI)
def test_every_bidi_override_control_is_refused(char):
    form = OneLine({"title": f"Free sofa {char}gnp.exe"})
    assert not form.is_valid()
    assert form.errors.as_data()["title"][0].code == "bidi_control"


def test_a_pasted_trailing_newline_and_ordinary_text_pass():
    form = OneLine({"title": " 木製の本棚（幅80cm）\n"})
    assert form.is_valid()
    assert form.cleaned_data["title"] == "木製の本棚（幅80cm）"


def _listing_form(**changes) -> dict:
    data = {
        "kind": "offer", "title": "本棚", "description": "譲ります。", "category": Category.objects.get(slug="furniture").pk,
        "condition": "good", "price": "0", "town": PostalCode.objects.get(code="1040061").town_id,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("text,error", [("Sofa\nBcc: victim@example.com", LINE_BREAK_ERROR), ("Free sofa \u202egnp.exe", BIDI_ERROR)])
def test_a_listing_title_on_two_lines_is_refused_and_nothing_saved(bob_client, text, error):
    response = bob_client.post(reverse("listings:create"), _listing_form(title=text))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Listing.objects.exists()


def test_a_display_name_on_two_lines_is_refused(bob_client, bob):
    response = bob_client.post(reverse("accounts:profile"), {"display_name": "ぼぶ\nBcc: x@example.com", "postal_code": "104-0052"})

    assert response.status_code == 200
    assert LINE_BREAK_ERROR in response.content.decode()
    bob.refresh_from_db()
    assert "\n" not in bob.display_name


def test_a_board_thread_title_on_two_lines_is_refused(bob_client):
    response = bob_client.post(reverse("community:thread_create"), {"topic": "other", "title": "保育園\nについて", "body": "本文です。"})

    assert response.status_code == 200
    assert LINE_BREAK_ERROR in response.content.decode()
    assert not Thread.objects.exists()


def test_a_saved_search_keyword_on_two_lines_is_refused_with_the_reason(bob_client):
    response = bob_client.post(reverse("alerts:save"), {"q": "本棚\u2028Bcc"}, follow=True)

    assert LINE_BREAK_ERROR in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_a_reason_template_name_on_two_lines_is_refused(staff_client):
    response = staff_client.post(reverse("moderation:reason_templates"), {"title": "重複\n出品", "text": "同じ品物が\n二つあります。"})

    assert response.status_code == 200
    assert LINE_BREAK_ERROR in response.content.decode()
    assert not ReasonTemplate.objects.filter(title__contains="重複").exists()


def test_a_webhook_description_with_a_bidi_override_is_refused(staff_client):
    response = staff_client.post(
        reverse("mirror_staff:endpoint_create"), {"url": "https://ward.example.jp/hook", "description": "区HP \u202eexe", "is_active": "on"}
    )

    assert response.status_code == 200
    assert BIDI_ERROR in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_description_keeps_its_line_breaks_and_loses_bidi_overrides(bob_client):
    response = bob_client.post(reverse("listings:create"), _listing_form(description="一行目\r\n二行目 \u202egnp.exe"))

    assert response.status_code == 302
    assert Listing.objects.get().description == "一行目\n二行目 gnp.exe"


def test_a_message_keeps_its_line_breaks_and_loses_bidi_overrides(bob_client, alice):
    listing = make_listing(alice)

    bob_client.post(reverse("messaging:start", args=[listing.pk]), {"body": "ください。\n明日\u2067取りに\u2069行けます。"})

    assert Message.objects.get().body == "ください。\n明日取りに行けます。"
