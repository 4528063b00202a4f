"""The Japanese translation is complete and compiled, and pages switch language."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

PO = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_string_has_a_japanese_translation():
    po = polib.pofile(str(PO))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:10]
    assert not [e for e in po.fuzzy_entries() if e.msgid], "fuzzy entries left"


def test_the_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(PO))
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, f"run compilemessages: {entry.msgid!r}"


@pytest.mark.django_db
def test_pages_are_japanese_by_default_and_english_on_request(client):
    assert "出品する" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "Post an item" in page and 'lang="en"' in page


@pytest.mark.django_db
def test_djangos_empty_choice_is_japanese_on_japanese_pages(alice_client):
    page = alice_client.get(reverse("listings:create")).content.decode()  # the town menu
    assert "- 選択してください -" in page and "Select an option" not in page
    alice_client.cookies["django_language"] = "en"
    assert "- Select an option -" in alice_client.get(reverse("listings:create")).content.decode()


def test_djangos_null_character_message_is_not_misleading():
    from django.utils import translation
    from django.core.validators import ProhibitNullCharactersValidator

    with translation.override("ja"):
        assert str(ProhibitNullCharactersValidator.message) == "NUL文字（制御文字）は使えません。"


@pytest.mark.django_db
def test_english_pages_name_the_city_in_english(client, settings):
    assert "中央区" in client.get(reverse("home")).content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("home")).content.decode()
    assert "Chuo City" in page and "中央区" not in page
    assert "residents of Chuo City, Tokyo." in page  # the footer
    settings.MUNICIPALITY_NAME_EN = "Chiyoda City"
    assert "Chiyoda City" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_an_english_postal_code_error_names_the_city_in_english(client):
    from django.utils import translation

    from accounts.forms import ProfileForm

    with translation.override("en"):
        form = ProfileForm({"display_name": "Dora", "postal_code": "160-0022"})
        assert not form.is_valid()
        assert "not a postal code in Chuo City" in form.errors["postal_code"][0]
