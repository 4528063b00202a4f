"""What every operation of the public API shares: the JSON error, JSON responses, and the
validators (ETag, Last-Modified) with their conditional requests (docs/MIRROR.md)."""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from ninja import Schema

from mirror import selectors


class ErrorOut(Schema):
    detail: str


def json_response(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _finish(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    if request.method == "HEAD" and response.status_code == 200:
        # What GET would send, without the body (not every WSGI server drops it).
        response["Content-Length"] = str(len(response.content))
        response.content = b""
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={settings.MIRROR_CACHE_SECONDS}"
    response["Vary"] = "Origin"
    return response


def versioned(request: HttpRequest, render: Callable[[], HttpResponse], version: selectors.Version) -> HttpResponse:
    """Answer 304 when the client's copy is current; otherwise render, with validators attached.

    A response depends only on the request and the tables in `version` (see
    selectors.mirror_version), so that versions it. Django's conditional-request logic applies
    RFC 9110: If-None-Match compares weakly (a gzip front hands back W/"…") and wins over
    If-Modified-Since.
    """
    changed = version.changed
    etag = quote_etag(hashlib.sha256(f"{request.get_full_path()}|{version.tag}".encode()).hexdigest()[:32])
    last_modified = int(changed.timestamp()) if changed is not None else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = render()
        if response.status_code != 200:
            return response  # an error is not a version of anything
    response = _finish(request, response, etag)
    if changed is not None:
        response["Last-Modified"] = http_date(changed.timestamp())
    return response


def content_versioned(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """Validators from the body itself, for answers that depend on what no table dates (anonymous
    ballots carry no time, and a consultation opens and closes by the clock): the ETag is a hash of
    the body, so If-None-Match gets 304 exactly while the body is the same; no Last-Modified, so
    If-Modified-Since alone never gets a stale 304."""
    response = render()
    if response.status_code != 200:
        return response
    etag = quote_etag(hashlib.sha256(request.path.encode() + b"|" + response.content).hexdigest()[:32])
    not_modified = get_conditional_response(request, etag=etag, response=response)
    return _finish(request, not_modified or response, etag)
