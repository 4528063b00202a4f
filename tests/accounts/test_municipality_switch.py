"""Moving an existing database to another municipality (docs/CONFIGURATION.md, "Another
municipality"): the test database holds 中央区, as migrations load it; these tests switch to 港区."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from accounts.models import PostalCode, Town, User
from accounts.services import town_for_postal_code
from alerts.models import SavedSearch
from community.models import Facility
from listings.models import Listing
from tests.factories import make_listing, make_user

MINATO = override_settings(MUNICIPALITY_CITY="港区", MUNICIPALITY_NAME_EN="Minato City")
SIGNUP = {
    "email": "newcomer@example.com",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
    "display_name": "しんにゅう",
    "accept_terms": "on",
}


def _snapshot() -> tuple:
    return (
        sorted(Town.objects.values_list("pk", "name")),
        sorted(PostalCode.objects.values_list("code", "town")),
        sorted(Listing.objects.values_list("pk", "town")),
        sorted(User.objects.values_list("pk", "town", "postal_code")),
    )


@pytest.mark.django_db
@MINATO
def test_replacing_leaves_only_the_new_municipality_for_sign_up_and_postal_codes(client):
    call_command("load_towns", "--replace")

    with pytest.raises(ValidationError) as refused:
        town_for_postal_code("104-0061")  # 銀座, 中央区
    assert refused.value.code == "postal_code_outside"
    assert town_for_postal_code("105-0011").name == "芝公園"
    assert town_for_postal_code("106-0032").name == "六本木"
    assert not Town.objects.filter(name__in=["銀座", "月島", "晴海"]).exists()
    assert not PostalCode.objects.filter(code__startswith="104").exists()

    response = client.post(reverse("account_signup"), {**SIGNUP, "postal_code": "104-0061"})
    assert response.status_code == 200
    assert "104-0061 は港区の郵便番号ではありません" in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()

    response = client.post(reverse("account_signup"), {**SIGNUP, "postal_code": "106-0032"})
    assert response.status_code == 302
    assert User.objects.get(email=SIGNUP["email"]).town.name == "六本木"


@pytest.mark.django_db
def test_without_replace_the_old_codes_stay_as_before():
    with MINATO:
        call_command("load_towns")
    assert town_for_postal_code("104-0061").name == "銀座"
    assert town_for_postal_code("105-0011").name == "芝公園"


@pytest.mark.django_db
@pytest.mark.parametrize("user_of_the_old_town", [False, True])
def test_replacing_is_refused_while_a_listing_or_account_uses_a_town_that_would_go(user_of_the_old_town):
    if user_of_the_old_town:
        make_user(email="alice@example.com", postal_code="1040061")  # lives in 銀座
    else:
        owner = make_user(email="alice@example.com", postal_code="1040061")
        make_listing(owner)  # picked up in 銀座
        User.objects.filter(pk=owner.pk).update(town=None, postal_code="")  # only the listing uses 銀座
    before = _snapshot()

    with MINATO, pytest.raises(CommandError) as refused:
        call_command("load_towns", "--replace")

    message = str(refused.value)
    assert "銀座" in message and "Nothing was changed" in message and "--map-to" in message
    assert ("users" if user_of_the_old_town else "listings") in message
    assert _snapshot() == before  # not even the 港区 codes were added: one transaction
    assert not PostalCode.objects.filter(code="1050011").exists()


@pytest.mark.django_db
def test_map_to_moves_listings_alerts_and_facilities_and_asks_accounts_for_a_new_postal_code():
    alice = make_user(email="alice@example.com", postal_code="1040061")
    listing = make_listing(alice)
    ginza = alice.town
    search = SavedSearch.objects.create(user=alice, q="本棚", town=ginza)
    facility = Facility.objects.create(name="架空の図書館", town=ginza, source_key="test:1")
    stamp = Listing.objects.get(pk=listing.pk).updated_at

    with MINATO:
        call_command("load_towns", "--replace", "--map-to", "芝公園")

    shiba = Town.objects.get(name="芝公園")
    listing = Listing.objects.get(pk=listing.pk)
    assert listing.town == shiba and listing.updated_at > stamp  # the public API shows the move
    assert SavedSearch.objects.get(pk=search.pk).town == shiba
    assert Facility.objects.get(pk=facility.pk).town == shiba
    alice.refresh_from_db()
    assert (alice.town, alice.postal_code) == (None, "")  # not a 港区 resident until they say so
    assert not Town.objects.filter(pk=ginza.pk).exists()


@pytest.mark.django_db
def test_map_to_takes_a_postal_code_and_refuses_a_town_of_the_old_municipality():
    make_listing(make_user(postal_code="1040061"))
    before = _snapshot()
    with MINATO, pytest.raises(CommandError, match="neither a town nor a postal code of 港区"):
        call_command("load_towns", "--replace", "--map-to", "銀座")
    assert _snapshot() == before

    with MINATO:
        call_command("load_towns", "--replace", "--map-to", "106-0032")
    assert set(Listing.objects.values_list("town__name", flat=True)) == {"六本木"}


@pytest.mark.django_db
def test_map_to_without_replace_is_refused():
    with pytest.raises(CommandError, match="--replace"):
        call_command("load_towns", "--map-to", "芝公園")


@pytest.mark.django_db
@MINATO
def test_the_demo_data_loads_for_minato_in_minato_towns(settings):
    settings.DEBUG = True  # load_demo refuses otherwise (tests/test_deploy_checks.py)
    call_command("load_towns", "--replace")
    minato = set(Town.objects.values_list("pk", flat=True))

    call_command("load_demo", listings=30)

    assert Listing.objects.count() == 30
    assert set(Listing.objects.values_list("town", flat=True)) <= minato
    residents = User.objects.filter(email__endswith="@example.com")
    # the five demo accounts, and the residents who answered the demo consultations
    assert residents.filter(email__in=["staff@example.com", "hanako@example.com"]).count() == 2
    assert residents.count() > 5 and all(user.town_id in minato for user in residents)
    from consultations.models import Ballot

    assert set(Ballot.objects.exclude(town=None).values_list("town", flat=True)) <= minato
    assert len({user.town_id for user in residents}) >= 4  # spread over the ward
    facilities = Facility.objects.all()
    assert facilities.count() >= 10
    assert all(f.town_id in minato and f.address.startswith("東京都港区") and "架空" in f.name for f in facilities)
    assert not Listing.objects.filter(description__contains="銀座").exists()
