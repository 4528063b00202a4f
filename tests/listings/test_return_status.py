"""A listing hidden by staff, or edited back into staff review, comes back where it was: published,
or reserved while its reservation still holds. The service answer, the row, the audit log and the
ward's webhook events all say the same, in order."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import AuditRecord
from listings.models import Listing
from listings.rules import rules_current
from listings.services import listing_report, listing_update
from messaging.models import Reservation
from messaging.services.blocks import user_block
from messaging.services.conversations import conversation_start
from messaging.services.handover import reservation_create
from mirror.models import WebhookEvent
from mirror.webhooks import webhook_endpoint_create
from moderation import services
from moderation.reports import report_item
from tests.factories import listing_data, make_listing

pytestmark = pytest.mark.django_db

PUBLISHED, RESERVED = Listing.Status.PUBLISHED, Listing.Status.RESERVED
HIDDEN, PENDING = Listing.Status.HIDDEN, Listing.Status.PENDING


@pytest.fixture
def ward_endpoint():
    """The ward's endpoint: every listing event is recorded (delivery runs after commit, not here)."""
    return webhook_endpoint_create(url="https://www.city.example.jp/hooks/mottainai", description="区ホームページ")


def _listing(owner, requester, start: str) -> Listing:
    listing = make_listing(owner, title="本棚")
    if start == RESERVED:
        reservation_create(conversation=conversation_start(listing=listing, requester=requester, body="ください"), actor=owner)
    return Listing.objects.get(pk=listing.pk)


def _events(listing: Listing) -> list[tuple[str, str | None]]:
    """The listing's webhook events in sequence: (type, the status the payload carries, or None
    when it names the listing by id only)."""
    events = WebhookEvent.objects.filter(listing_id=listing.pk).order_by("sequence")
    return [(event.type, event.payload["listing"].get("status")) for event in events]


def _audit(listing: Listing, action: str) -> tuple[dict, dict]:
    record = AuditRecord.objects.get(action=action, target_id=str(listing.pk))
    return record.before, record.after


def _hide(listing: Listing, reporter, staff) -> None:
    listing_report(listing=listing, reporter=reporter, reason="scam")
    services.reported_hide(item=report_item("listing", listing.pk), actor=staff, reason="前払いを求めている")


def _review_every_edit(staff) -> None:
    rules = rules_current()
    services.listing_rules_update(
        actor=staff, price_cap=rules.price_cap, expiry_days=rules.expiry_days, review_all=True,
        review_new_accounts_days=0, review_categories=[], review_ng_words=False, prohibited_items="",
    )


BEFORE_HIDING = {
    PUBLISHED: [("listing.published", PUBLISHED)],
    RESERVED: [("listing.published", PUBLISHED), ("listing.reserved", RESERVED)],
}
BACK = {PUBLISHED: ("listing.published", PUBLISHED), RESERVED: ("listing.reserved", RESERVED)}


@pytest.mark.parametrize("start", [PUBLISHED, RESERVED])
def test_unhiding_returns_a_listing_to_where_it_was(alice, bob, carol, staff, start, ward_endpoint):
    listing = _listing(alice, bob, start)

    _hide(listing, carol, staff)
    listing.refresh_from_db()
    assert (listing.status, listing.return_status) == (HIDDEN, start)
    assert _audit(listing, AuditRecord.Action.LISTING_HIDE) == ({"status": start}, {"status": HIDDEN})

    shown = services.listing_unhide(listing=listing, actor=staff, reason="誤解だった")

    assert shown.status == start
    listing.refresh_from_db()
    assert (listing.status, listing.return_status) == (start, "")
    assert _audit(listing, AuditRecord.Action.LISTING_UNHIDE) == ({"status": HIDDEN}, {"status": start})
    assert _events(listing) == [*BEFORE_HIDING[start], ("listing.hidden", None), BACK[start]]
    if start == RESERVED:
        assert listing.reservations.get().status == Reservation.Status.ACTIVE  # kept all along


@pytest.mark.parametrize("start", [PUBLISHED, RESERVED])
def test_approving_an_edit_returns_a_listing_to_where_it_was(alice, bob, staff, start, ward_endpoint):
    listing = _listing(alice, bob, start)
    published_at, expires_at = listing.published_at, listing.expires_at
    _review_every_edit(staff)

    edited = listing_update(listing=listing, actor=alice, data=listing_data(title="本棚と椅子"))
    assert (edited.status, edited.return_status) == (PENDING, start)

    approved = services.listing_approve(listing=edited, actor=staff)

    assert approved.status == start
    listing.refresh_from_db()
    assert (listing.status, listing.return_status, listing.title) == (start, "", "本棚と椅子")
    assert (listing.published_at, listing.expires_at) == (published_at, expires_at)  # no free renewal
    assert _audit(listing, AuditRecord.Action.LISTING_APPROVE) == ({"status": PENDING}, {"status": start})
    # Out of public view while in review, then back: never announced as published while reserved.
    assert _events(listing) == [*BEFORE_HIDING[start], ("listing.hidden", None), BACK[start]]


def test_a_reservation_ended_by_a_block_while_hidden_brings_the_listing_back_unreserved(alice, bob, carol, staff, ward_endpoint):
    listing = _listing(alice, bob, RESERVED)
    _hide(listing, carol, staff)

    user_block(blocker=bob, blocked=alice)
    listing.refresh_from_db()
    assert (listing.status, listing.return_status) == (HIDDEN, PUBLISHED)
    assert listing.reservations.get().status == Reservation.Status.RELEASED

    shown = services.listing_unhide(listing=listing, actor=staff, reason="誤解だった")

    assert shown.status == PUBLISHED
    assert _audit(listing, AuditRecord.Action.LISTING_UNHIDE) == ({"status": HIDDEN}, {"status": PUBLISHED})
    # Nothing is sent while it is hidden; it comes back as published.
    assert _events(listing) == [*BEFORE_HIDING[RESERVED], ("listing.hidden", None), ("listing.published", PUBLISHED)]


def test_a_reservation_ended_by_a_block_during_review_brings_the_listing_back_unreserved(alice, bob, staff, ward_endpoint):
    listing = _listing(alice, bob, RESERVED)
    _review_every_edit(staff)
    edited = listing_update(listing=listing, actor=alice, data=listing_data(title="本棚と椅子"))

    user_block(blocker=alice, blocked=bob)

    approved = services.listing_approve(listing=edited, actor=staff)
    assert approved.status == PUBLISHED
    listing.refresh_from_db()
    assert (listing.status, listing.return_status) == (PUBLISHED, "")
    assert _events(listing) == [*BEFORE_HIDING[RESERVED], ("listing.hidden", None), ("listing.published", PUBLISHED)]


def test_a_suspension_lifted_brings_a_reserved_listing_back_reserved(alice, bob, staff, ward_endpoint):
    listing = _listing(alice, bob, RESERVED)
    services.account_suspend(user=alice, actor=staff, reason="規約違反の繰り返し")
    services.account_restore(user=alice, actor=staff, reason="反省の連絡があった")

    listing.refresh_from_db()
    assert listing.status == RESERVED
    assert _events(listing) == [*BEFORE_HIDING[RESERVED], ("listing.hidden", None), ("listing.reserved", RESERVED)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_remembers_that_a_listing_already_hidden_was_reserved(alice, bob, carol, staff):
    """Listings hidden before the field existed: one still kept for someone returns to reserved."""
    kept = _listing(alice, bob, RESERVED)
    free = _listing(alice, bob, PUBLISHED)
    for listing in (kept, free):
        _hide(listing, carol, staff)
    executor = MigrationExecutor(connection)
    executor.migrate([("listings", "0013_category_updated_at")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    returns = dict(Listing.objects.filter(pk__in=[kept.pk, free.pk]).values_list("pk", "return_status"))
    assert returns == {kept.pk: RESERVED, free.pk: ""}  # "" returns to published
