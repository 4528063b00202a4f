"""Demo conversations between the demo residents, so that messaging can be tried at once."""

from accounts.models import User
from listings.models import Listing
from messaging.services.conversations import conversation_start, message_send
from messaging.services.handover import reservation_create

SCRIPT = [
    ("requester", "はじめまして。こちらまだありますか？週末に受け取りに伺えます。"),
    ("poster", "お問い合わせありがとうございます。まだありますよ。土曜日の午前はいかがですか？"),
    ("requester", "土曜日の10時でお願いできますか。"),
]


def load_demo_conversations(residents: list[User]) -> int:
    """A few requests on each demo resident's listings, one of them reserved; returns how many."""
    count = 0
    for index, poster in enumerate(residents):
        requester = residents[(index + 1) % len(residents)]
        listings = Listing.objects.filter(owner=poster, status=Listing.Status.PUBLISHED, kind=Listing.Kind.OFFER)
        for number, listing in enumerate(listings.order_by("-published_at")[:2]):
            conversation = conversation_start(listing=listing, requester=requester, body=SCRIPT[0][1])
            for who, text in SCRIPT[1:]:
                message_send(conversation=conversation, sender=poster if who == "poster" else requester, body=text)
            if number == 0:
                reservation_create(conversation=conversation, actor=poster)
            count += 1
    return count
