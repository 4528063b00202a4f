import pytest
from django.core.management import call_command

from accounts.models import Town, User
from community.models import Facility
from consultations.models import Ballot, Comment, Consultation
from consultations.results import consultation_results
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

    _assert_demo_consultations()

    counts = (User.objects.count(), Listing.objects.count(), Photo.objects.count(), Conversation.objects.count(), Ballot.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), Listing.objects.count(), Photo.objects.count(), Conversation.objects.count(), Ballot.objects.count()) == counts
    assert Consultation.objects.count() == 2


def _assert_demo_consultations():
    """One consultation open now with a question of every kind, and one closed whose results have
    charts, a breakdown by town, published free texts, a summary and the ward's response."""
    statuses = {consultation.status(): consultation for consultation in Consultation.objects.all()}
    assert set(statuses) == {"open", "closed"}
    assert set(statuses["open"].questions.values_list("kind", flat=True)) == {"single", "multiple", "scale", "ranking", "text"}
    closed = statuses["closed"]
    assert closed.results_visible() and closed.summary and closed.response
    results = consultation_results(closed)
    assert results.ballots >= 30 and 0 < results.ballots_paper < results.ballots_online
    assert all(result.rows for result in results.questions if result.question.kind != "text")
    assert any(len(result.towns) >= 2 for result in results.questions)  # shown by town (at least 10 answers each)
    [text] = [result for result in results.questions if result.question.kind == "text"]
    assert text.comments and text.comments_pending
    assert Comment.objects.filter(ballot__consultation=closed, status="rejected").exists()
