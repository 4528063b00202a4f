import pytest

from tests.factories import make_listing, make_user


@pytest.fixture
def offer(alice):
    """Alice gives away a bookshelf."""
    return make_listing(alice, title="本棚")


@pytest.fixture
def conversation(offer, bob):
    """Bob asked Alice for the bookshelf."""
    from messaging.services.conversations import conversation_start

    return conversation_start(listing=offer, requester=bob, body="ぜひ譲ってください")


@pytest.fixture
def carl(db):
    return make_user(email="carl@example.com", name="かーる", postal_code="1030013")


@pytest.fixture
def second_conversation(offer, carl):
    """Carl asked for the same bookshelf, after Bob."""
    from messaging.services.conversations import conversation_start

    return conversation_start(listing=offer, requester=carl, body="私も欲しいです")
