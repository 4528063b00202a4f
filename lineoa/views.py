"""The LINE Official Account's endpoints: LINE's webhook, the account-link page a resident opens
from the bot's button, and unlinking from the notification settings page."""

import json
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3 import SignatureValidator

from accounts.decorators import resident_required
from lineoa import services
from notifications.selectors import line_configured

logger = logging.getLogger(__name__)

BODY_MAX_BYTES = 256 * 1024  # LINE sends events in batches; far below this in practice
ACCOUNT_LINK_DIALOG = "https://access.line.me/dialog/bot/accountLink"


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """LINE's webhook: the signature checked, each event kept once and handled by a task after
    commit, 200 at once."""
    if not line_configured():
        raise Http404
    body = request.body  # Django refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE before reading it
    if len(body) > BODY_MAX_BYTES:
        return HttpResponseBadRequest("too large")
    signature = request.headers.get("X-Line-Signature", "")
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return HttpResponseBadRequest("not UTF-8")
    if not signature or not SignatureValidator(settings.LINE_MESSAGING_CHANNEL_SECRET).validate(text, signature):
        return HttpResponseBadRequest("bad signature")
    try:
        events = json.loads(text)["events"]
        if not isinstance(events, list) or not all(isinstance(event, dict) for event in events):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("bad JSON")
    kept = sum(services.event_receive(event) for event in events)
    logger.info("LINE webhook", extra={"events": len(events), "kept": kept})
    return HttpResponse("ok", content_type="text/plain")


@resident_required
def link(request: HttpRequest) -> HttpResponse:
    """Opened from the bot's button with LINE's link token: a nonce for this resident, then LINE's
    account-link dialog, which sends the accountLink event carrying it."""
    token = request.GET.get("linkToken", "")
    if not line_configured() or not token or len(token) > 128:
        raise Http404
    nonce = services.nonce_create(user=request.user)
    return redirect(f"{ACCOUNT_LINK_DIALOG}?{urlencode({'linkToken': token, 'nonce': nonce})}")


@require_POST
@login_required
def unlink(request: HttpRequest) -> HttpResponse:
    if services.line_unlink(user=request.user, how="site"):
        messages.success(request, _("Your account is no longer linked to LINE."))
    return redirect("notifications:settings")
