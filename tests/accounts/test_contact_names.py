"""Display names never carry a contact detail: sign-up and the profile refuse one with a clear error."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.services import display_name_check
from tests.accounts.test_signup import SIGNUP


@pytest.mark.django_db
def test_sign_up_refuses_a_phone_number_as_display_name_and_says_why(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "display_name": "090-1234-5678"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert "表示名に連絡先は使えません。「090-1234-5678」は電話番号のようです。" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.com").exists()


@pytest.mark.django_db
def test_the_profile_refuses_a_line_id_and_keeps_the_old_name(alice_client, alice):
    alice_client.cookies["django_language"] = "en"
    response = alice_client.post(reverse("accounts:profile"), {"display_name": "ありす LINE:alice_88", "postal_code": "104-0061"})
    assert response.context["form"].errors["display_name"] == [
        "A display name cannot hold contact details: “LINE:alice_88” looks like a messenger ID."
    ]
    alice.refresh_from_db()
    assert alice.display_name == "ありす"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["taro@example.com", "@taro_chuo", "インスタ @hana.m", "月島3-4-5"])
def test_other_contact_details_are_refused_even_for_staff(name, staff):
    with pytest.raises(ValidationError) as refused:
        display_name_check(name, user=staff)
    assert refused.value.code == "contact_detail"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["ゆうこ2024", "No.5ママ", "さくら 3児の母"])
def test_ordinary_names_with_numbers_are_accepted(name, alice):
    assert display_name_check(name, user=alice) == name
