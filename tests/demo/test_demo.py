import pytest
from django.core.management import call_command

from accounts.models import Town, User
from community.models import Facility
from listings.models import Category, Listing, Photo
from messaging.models import Conversation, Reservation


@pytest.mark.django_db
def test_demo_data_covers_every_category_kind_and_town_and_loads_only_once(settings, tmp_path):
    settings.DEBUG = True  # load_demo refuses otherwise (tests/test_deploy_checks.py)
    call_command("load_demo")
    public = Listing.objects.filter(status__in=["published", "reserved"])
    assert Listing.objects.count() >= 200
    assert set(public.values_list("category", flat=True)) == set(Category.objects.values_list("pk", flat=True))
    assert set(public.values_list("kind", flat=True)) == {"offer", "wanted"}
    assert set(Listing.objects.values_list("town", flat=True)) == set(Town.objects.values_list("pk", flat=True))
    assert Photo.objects.count() > 100
    assert User.objects.get(email="staff@example.com").is_staff
    assert User.objects.get(email="hanako@example.com").check_password("mottainai-demo")
    assert Conversation.objects.count() >= 4 and Reservation.objects.filter(status="active").exists()
    facilities = list(Facility.objects.values_list("name", flat=True))
    assert len(facilities) >= 10 and all("架空" in name for name in facilities), facilities  # never a real nursery

    counts = (User.objects.count(), Listing.objects.count(), Photo.objects.count(), Conversation.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), Listing.objects.count(), Photo.objects.count(), Conversation.objects.count()) == counts
