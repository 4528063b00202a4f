import pytest
from django.core.management import call_command

from listings.models import Listing, Photo


@pytest.mark.django_db
def test_the_generator_makes_a_realistic_mix(settings, tmp_path):
    call_command("generate_listings", count=600, owners=20)
    assert Listing.objects.count() == 600
    statuses = set(Listing.objects.values_list("status", flat=True))
    assert {"published", "reserved", "handed_over", "expired", "withdrawn"} <= statuses
    assert set(Listing.objects.values_list("kind", flat=True)) == {"offer", "wanted"}
    live = Listing.objects.filter(status="published")
    assert not live.filter(published_at__isnull=True).exists() and not live.filter(expires_at__isnull=True).exists()
    assert 0.5 < Photo.objects.count() / 600 < 0.9
    assert Listing.objects.filter(price=0).count() > 300
