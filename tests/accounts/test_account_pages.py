import json

import pytest
from django.urls import reverse

from accounts.models import User
from listings.models import Listing
from tests.factories import make_listing


@pytest.mark.django_db
def test_a_resident_changes_display_name_and_postal_code_and_the_town_follows(alice_client, alice):
    response = alice_client.post(reverse("accounts:profile"), {"display_name": "新しい名前", "postal_code": "103-0013"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.town.name) == ("新しい名前", "日本橋人形町")


@pytest.mark.django_db
def test_moving_out_of_the_ward_is_refused_and_nothing_changes(alice_client, alice):
    response = alice_client.post(reverse("accounts:profile"), {"display_name": "別名", "postal_code": "530-0001"})
    assert response.status_code == 200
    assert "中央区の郵便番号ではありません" in response.content.decode()
    alice.refresh_from_db()
    assert (alice.display_name, alice.town.name) == ("ありす", "銀座")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["\u200b\u200b\u200b", "\u3000\u200c\ufeff", "\x00"])
def test_a_display_name_with_nothing_visible_is_refused(alice_client, alice, name):
    response = alice_client.post(reverse("accounts:profile"), {"display_name": name, "postal_code": "104-0061"})
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"] == ["表示名を入力してください。"]
    alice.refresh_from_db()
    assert alice.display_name == "ありす"


@pytest.mark.django_db
def test_control_characters_are_removed_from_the_display_name(alice_client, alice):
    alice_client.post(reverse("accounts:profile"), {"display_name": "あり\x07す\x1b\ufffe", "postal_code": "104-0061"})
    alice.refresh_from_db()
    assert alice.display_name == "ありす"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["退会したユーザー", "退会した ユーザー", "Deleted user", "中央区役所 環境推進課", "環境推進課", "区役所の中の人",
     "中央区職員", "運営です", "ｓｔａｆｆ", "Staff 田中", "ADMIN", "admin\u200b", "管理者"],
)
def test_a_display_name_that_impersonates_the_ward_or_a_deleted_account_is_refused(alice_client, alice, name):
    response = alice_client.post(reverse("accounts:profile"), {"display_name": name, "postal_code": "104-0061"})
    assert response.status_code == 200
    assert "この名前は使えません" in response.context["form"].errors["display_name"][0]
    alice.refresh_from_db()
    assert alice.display_name == "ありす"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["バドミントン好き", "badminton", "staffordshire bull terrier", "中央区のママ"])
def test_ordinary_names_that_contain_a_reserved_word_by_chance_are_accepted(alice_client, alice, name):
    assert alice_client.post(reverse("accounts:profile"), {"display_name": name, "postal_code": "104-0061"}).status_code == 302


@pytest.mark.django_db
def test_staff_may_keep_the_office_name(staff_client, staff):
    response = staff_client.post(reverse("accounts:profile"), {"display_name": "環境推進課 田中", "postal_code": "104-0061"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.display_name == "環境推進課 田中"


@pytest.mark.django_db
def test_notification_preferences_are_saved(alice_client, alice):
    alice_client.post(reverse("accounts:notifications"), {"notify_listings": "on"})
    alice.refresh_from_db()
    assert (alice.notify_messages, alice.notify_listings) == (False, True)


@pytest.mark.django_db
def test_download_my_data_holds_the_account_and_its_listings(alice_client, alice, bob):
    make_listing(alice, title="アリスの椅子", photos=1)
    make_listing(bob, title="ボブの机")
    response = alice_client.get(reverse("accounts:export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "alice@example.com"
    assert data["account"]["postal_code"] == "1040061"
    assert [item["title"] for item in data["listings"]] == ["アリスの椅子"]
    assert len(data["listings"][0]["photos"]) == 1


@pytest.mark.django_db
def test_deleting_the_account_withdraws_listings_and_erases_personal_data(alice_client, alice):
    listing = make_listing(alice)
    response = alice_client.post(
        reverse("accounts:delete"), {"password": "correct-horse-battery", "board_posts": "erase", "confirm": "on"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    listing.refresh_from_db()
    assert listing.status == Listing.Status.WITHDRAWN
    assert alice.deleted_at and not alice.is_active
    assert alice.email.endswith("@deleted.invalid")
    assert (alice.display_name, alice.postal_code, alice.town) == ("", "", None)
    assert alice.public_name == "退会したユーザー"
    assert not User.objects.filter(email="alice@example.com").exists()
    assert alice_client.get(reverse("accounts:profile")).status_code == 302  # logged out


@pytest.mark.django_db
def test_deleting_needs_the_right_password(alice_client, alice):
    response = alice_client.post(reverse("accounts:delete"), {"password": "wrong", "board_posts": "erase", "confirm": "on"})
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.deleted_at is None


@pytest.mark.django_db
def test_a_resident_adds_a_new_email_address_that_must_be_confirmed(alice_client, alice):
    import re

    from allauth.account.models import EmailAddress
    from django.core import mail

    response = alice_client.post(reverse("account_email"), {"action_add": "", "email": "alice.new@example.com"})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert not EmailAddress.objects.filter(user=alice, email="alice.new@example.com", verified=True).exists()
    assert mail.outbox and "alice.new@example.com" in mail.outbox[-1].to
    code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.M).group(1)
    alice_client.post(reverse("account_email_verification_sent"), {"code": code})
    assert EmailAddress.objects.get(user=alice, email="alice.new@example.com").verified
