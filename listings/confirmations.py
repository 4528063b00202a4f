"""The words of every irreversible step, in one place: what the resident is asked, what will
happen, and the 「はい、…」 button (core.confirm shows them). The my-listings page, the
conversation, the requests page and the saved searches all take their step's entry from here."""

from django.utils.translation import gettext_lazy as _

from core.confirm import Confirmation

CONFIRMATIONS: dict[str, Confirmation] = {
    "hand_over": Confirmation(
        _("Mark this item as handed over?"),
        _("The listing closes and everyone else who asked is told. This cannot be undone."),
        _("Yes, mark as handed over"),
        danger=False,
    ),
    "received": Confirmation(
        _("Mark this item as received?"),
        _("The listing closes and everyone else who offered is told. This cannot be undone."),
        _("Yes, mark as received"),
        danger=False,
    ),
    "release": Confirmation(
        _("Cancel this reservation?"),
        _("The item is available again and the person is told. To reserve it for them again, they have to be chosen again."),
        _("Yes, cancel the reservation"),
    ),
    "no_show": Confirmation(
        _("Record that this person did not come?"),
        _("The reservation ends, it counts on their record, and everyone else who asked is told the item is available again. This cannot be undone."),
        _("Yes, record that they did not come"),
    ),
    "withdraw": Confirmation(
        _("Withdraw this listing?"),
        _("Nobody can see it or ask for it any more, and everyone who asked is told. This cannot be undone."),
        _("Yes, withdraw it"),
    ),
    "lottery_cancel": Confirmation(
        _("Cancel the lottery?"),
        _("Everyone who asked is told that you will choose yourself. This cannot be undone."),
        _("Yes, cancel the lottery"),
    ),
    "block": Confirmation(
        _("Block this person?"),
        _("Neither of you can send messages any more, and any reservation between you ends."),
        _("Yes, block"),
    ),
    "saved_search_delete": Confirmation(
        _("Delete this saved search?"),
        _("Its alerts stop. This cannot be undone."),
        _("Yes, delete it"),
    ),
}
