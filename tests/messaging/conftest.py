import pytest

from tests.factories import make_listing


@pytest.fixture
def offer(alice):
    """Alice gives away a bookshelf."""
    return make_listing(alice, title="本棚")


@pytest.fixture
def conversation(offer, bob):
    """Bob asked Alice for the bookshelf."""
    from messaging.services.conversations import conversation_start

    return conversation_start(listing=offer, requester=bob, body="ぜひ譲ってください")
