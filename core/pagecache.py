"""Whole-page cache for public pages, for visitors and for signed-in residents, and the parts of
every page that are the same for everyone (docs/PERFORMANCE.md, "What the pages-against-the-floor
numbers mean").

A visitor's page of public content (home, browse, a listing, the board, the public API) is the
same for every visitor in a language, so it is rendered once and then served from the cache
(Redis in production) until something public changes:

- only GET with no pending message, from a visitor who has no session (or a signed-in resident,
  below), and only answers of 200 that set no cookie of their own are stored;
- the key holds the host, the full path with its query, the language and the *generation* of
  public content. Every change that matters (a listing, its photos, a board post, a category, a
  town, a display name) calls `bump()`, from the apps' receivers or their services, so that no
  cached page or answer outlives it; an entry also expires after PAGE_CACHE_SECONDS;
- the CSRF token of the page's forms (the language switcher) is not stored: each answer gets the
  reader's own, as an uncached page would.

A signed-in resident's page differs from a visitor's only in what is theirs (the header's badges,
what they said they are not interested in, their own listing's buttons, their handover), so it is
kept for that resident alone: its key adds their account and their own *generation*, which
`bump_residents()` moves on every change of theirs (any form they send, their account, a
reservation or thanks they take part in), and the values `resident_state()` registers (the unread
and new-item badges), read afresh on every request. A resident's page is never served to anyone
else, nor a visitor's to a resident.

PAGE_CACHE_SECONDS=0 turns it off; it is off by default without Redis, because a per-process
cache would not see the bumps of the task worker's process.
"""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from core.counts import UserCount, user_counts

GENERATION_KEY = "pagecache:generation"
RESIDENT_KEY = "pagecache:resident:{}"
RESIDENT_KEY_SECONDS = 86_400  # a resident's generation is forgotten after a quiet day: a new one is unlike any before
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"\x00csrf\x00"
_KEPT_HEADERS = ("Content-Type", "Cache-Control", "ETag", "Last-Modified", "Link", "Content-Language")


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def bump(*_args, **_kwargs) -> None:
    """Something public changed: every cached page and answer is out of date at once. Takes any
    arguments, so that it can be connected to a signal as it is.

    Bumps now and again when the transaction commits: a visitor's page rendered in between, from
    the data before the commit, is not kept either."""
    if not enabled():
        return
    _next_generation()
    transaction.on_commit(_next_generation)


def connect(*models) -> None:
    """Bump the generation whenever a row of these models is saved or deleted."""
    for model in models:
        post_save.connect(bump, sender=model, dispatch_uid=f"pagecache_save_{model._meta.label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"pagecache_delete_{model._meta.label}")


def _next_generation(key: str = GENERATION_KEY, timeout: int | None = None) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no generation yet, or evicted: start a new one unlike any before
        cache.set(key, time.time_ns(), timeout)


def bump_residents(*user_ids) -> None:
    """Something of these residents' own changed: none of their cached pages is served again.
    Now and again on commit, as bump()."""
    if not enabled():
        return
    keys = {RESIDENT_KEY.format(pk) for pk in user_ids if pk is not None}
    for key in keys:
        _next_generation(key, RESIDENT_KEY_SECONDS)
    transaction.on_commit(lambda: [_next_generation(key, RESIDENT_KEY_SECONDS) for key in keys])


def connect_residents(model, residents_of) -> None:
    """Bump the residents `residents_of(row)` names whenever a row of `model` is saved or deleted."""

    def receiver(sender, instance, **kwargs):
        bump_residents(*residents_of(instance))

    label = model._meta.label
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"pagecache_residents_save_{label}")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"pagecache_residents_delete_{label}")


_RESIDENT_STATE: list[UserCount] = []


def resident_state(count: UserCount) -> None:
    """Register a count that a signed-in page shows and that changes without the resident doing
    anything (their unread messages): all of them are read on every request, in one statement,
    and are part of the page's key."""
    if count not in _RESIDENT_STATE:
        _RESIDENT_STATE.append(count)


class ResidentWritesMiddleware:
    """A signed-in resident who sends anything but a read (a form, a fetch) may have changed what
    their own pages show: bump_residents() them once the answer is ready (after the view's commit)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and request.user.is_authenticated:
            bump_residents(request.user.pk)
        return response


def fragment_generation() -> int:
    """What a template fragment that is the same for everyone (a grid of listing cards) is cached
    under, with the `{% cache %}` tag and PAGE_CACHE_SECONDS: the generation of public content,
    or, with the page cache off, a value never seen before (so nothing stale is ever reused)."""
    return _generation() if enabled() else time.time_ns()


def remember(key: str, compute):
    """compute(), kept until public content changes (or PAGE_CACHE_SECONDS pass): for values
    that cost more than a cache read, such as a capped result count. `key` names the value."""
    if not enabled():
        return compute()
    full_key = f"pagecache:value:{_generation()}:{hashlib.sha256(key.encode()).hexdigest()}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, settings.PAGE_CACHE_SECONDS)
    return value


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def _cacheable(request: HttpRequest) -> bool:
    if not enabled() or request.method != "GET":  # a HEAD answer may have no body (the API's)
        return False
    if not request.user.is_authenticated and settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # a visitor with a session (a form's errors, an upload) gets a page of their own
    return not len(get_messages(request))


def _key(request: HttpRequest) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    user = request.user
    if not user.is_authenticated:
        return f"pagecache:{_generation()}:{request.LANGUAGE_CODE}:{digest}"
    resident_key = RESIDENT_KEY.format(user.pk)
    generations = cache.get_many([GENERATION_KEY, resident_key])
    public = generations.get(GENERATION_KEY) or _generation()
    own = generations.get(resident_key)
    if own is None:
        own = time.time_ns()
        if not cache.add(resident_key, own, RESIDENT_KEY_SECONDS):
            own = cache.get(resident_key, own)
    state = ":".join(map(str, user_counts(user.pk, _RESIDENT_STATE))) if _RESIDENT_STATE else ""
    return f"pagecache:{public}:{request.LANGUAGE_CODE}:{digest}:resident:{user.pk}:{own}:{state}"


def _store(key: str, response: HttpResponse) -> None:
    if response.status_code != 200 or response.cookies or response.streaming:
        return
    headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
    cache.set(key, (_TOKEN.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content), headers), settings.PAGE_CACHE_SECONDS)


def _replay(request: HttpRequest, content: bytes, headers: dict) -> HttpResponse:
    if _PLACEHOLDER in content:
        content = content.replace(_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    if "ETag" in headers or "Last-Modified" in headers:  # the API's revalidation: 304 when unchanged
        modified = parse_http_date_safe(headers.get("Last-Modified", ""))
        return get_conditional_response(request, etag=headers.get("ETag"), last_modified=modified, response=response)
    return response


def cache_public_page(view):
    """Serve `view`'s answers from the page cache (see the module's rules)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            return _replay(request, *cached)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        _store(key, response)
        return response

    return wrapped
