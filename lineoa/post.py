"""Post by LINE: the photos a resident sends become the uploads of their listing draft (the same
pipeline, limits and upload area as the listing form), and the text they send next its
description; the form opened from the link starts from both (listings.views.create), and the
contact-detail question is asked there, when they publish."""

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from linebot.v3.messaging import TextMessage
from linebot.v3.messaging.exceptions import ApiException
from urllib3.exceptions import HTTPError

from accounts.models import User
from core.ratelimit import RateLimited
from listings.uploads import Uploader, draft_describe, draft_photo_add, uploads_find
from notifications.line import blob_api

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20


class ContentUnavailable(Exception):
    """LINE did not give the photo (gone, refused, unreachable)."""


def form_url() -> str:
    return settings.SITE_URL + reverse("listings:create")


def _download(message_id: str) -> bytes:
    """The content of one message. LINE keeps what residents send within its own limits (the SDK
    reads it whole); the pipeline then refuses anything over the site's limit before decoding."""
    try:
        with blob_api() as api:
            return bytes(api.get_message_content(message_id, _request_timeout=TIMEOUT_SECONDS))
    except (ApiException, HTTPError, OSError) as error:
        logger.warning("LINE content unavailable", extra={"error": type(error).__name__})
        raise ContentUnavailable from error


def photo_received(user: User, message_id: str) -> list:
    """Keep one photo for the resident's listing draft and say where to finish it."""
    try:
        content = _download(message_id)
    except ContentUnavailable:
        return [TextMessage(text=_("The photo could not be received from LINE. Please send it again."))]
    try:
        draft = draft_photo_add(user.pk, io.BytesIO(content), name=f"LINE {message_id}"[:100])
    except ValidationError as exc:
        return [TextMessage(text=_("This photo was not kept: %(reason)s") % {"reason": " ".join(exc.messages)})]
    except RateLimited as exc:
        return [TextMessage(text=exc.message)]
    count = len(uploads_find(Uploader(owner_id=user.pk), draft.upload_keys)[0])
    text = _(
        "Photo kept (%(count)s in your draft). Send more photos, or a text to describe the item, then finish "
        "your listing here: %(url)s"
    ) % {"count": count, "url": form_url()}
    return [TextMessage(text=text)]


def description_received(user: User, text: str) -> list | None:
    """The text becomes (part of) the draft's description; None when there is no draft."""
    if draft_describe(user.pk, text) is None:
        return None
    reply = _("Added to your listing's description. Check it and publish it here: %(url)s") % {"url": form_url()}
    return [TextMessage(text=reply)]
