import pytest
from django.core.management import call_command
from django.db.models import Count

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


@pytest.mark.django_db
def test_generated_titles_belong_to_their_category(settings, tmp_path):
    from listings.generate import VOCABULARY

    call_command("generate_listings", count=400, owners=10)
    for slug, title in Listing.objects.values_list("category__slug", "title"):
        assert any(title.endswith(word) for word in VOCABULARY[slug][1]), (slug, title)
    by_category = dict(Listing.objects.values_list("category__slug").annotate(n=Count("id")))
    assert by_category["furniture"] > by_category["other"] * 3  # common things are common
    assert Listing.objects.filter(category__slug="appliances", search_text__contains="炊飯器").exists()
