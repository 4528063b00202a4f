import pytest

from community.models import Facility, Topic
from community.services import post_reply, thread_create
from tests.factories import make_user


@pytest.fixture
def facility(db):
    """A nursery in 月島 (not Alice's town, so her town never appears on its pages)."""
    return Facility.objects.create(
        name="テスト保育園", name_kana="テストホイクエン", kind=Facility.Kind.NINKA_HOIKUEN,
        address="東京都中央区月島1-1-1", source_key="id:T1", search_text="てすと保育園 てすとほいくえん",
    )


@pytest.fixture
def thread(alice, facility):
    """Alice's thread about the nursery, with Bob's reply."""
    thread = thread_create(author=alice, topic=Topic.NURSERIES, title="慣らし保育について", body="期間はどれくらいでしたか？", facility=facility)
    post_reply(thread=thread, author=make_user(email="replier@example.com", name="へんしん"), body="2週間でした。")
    return thread
