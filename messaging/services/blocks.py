"""Blocks between two residents. A block also ends the handover between them, so this module
sits above both `conversations` and `handover`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from messaging.models import Block
from messaging.services.handover import reservations_end_for_block


def user_block(*, blocker: User, blocked: User) -> None:
    """Stop messages either way, requests on each other's listings and every handover step; a
    reservation between the two ends (the item is available again for the others)."""
    if blocker.pk == blocked.pk:
        raise ValidationError(_("You cannot block yourself."))
    with transaction.atomic():
        Block.objects.get_or_create(blocker=blocker, blocked=blocked)
        reservations_end_for_block(blocker=blocker, blocked=blocked)


def user_unblock(*, blocker: User, blocked: User) -> None:
    """Lift the blocker's block (a block the other person set stays)."""
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
