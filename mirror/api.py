"""The public read-only API, /api/v1/ (django-ninja; see docs/MIRROR.md for why).

Only published and reserved listings and published ward consultations (mirror/consultations_api.py),
never anything personal. Responses carry ETag,
Last-Modified and Cache-Control; conditional requests get 304; each client IP has a generous
rate limit with a clear 429.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import Throttled, ValidationError

from core.pagecache import cache_public_page
from listings.selectors import BadCursor, page_after
from mirror import selectors, serializers
from mirror.api_support import ErrorOut
from mirror.api_support import json_response as _json
from mirror.api_support import versioned as _versioned
from mirror.consultations_api import router as consultations_router
from mirror.throttle import AddressThrottle

# Per client IP (behind proxies, TRUSTED_PROXY_COUNT says which X-Forwarded-For entry to trust).
API_THROTTLE = AddressThrottle(settings.MIRROR_API_RATE)

api = NinjaAPI(
    title="Mottainai public API",
    version="1",
    description=(
        "Read-only listings of the ward's item exchange (不用品交換) and the ward's consultations "
        "(区民アンケート) with their results, for the ward's website. Only published and reserved "
        "listings and published consultations; nothing personal about residents."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[API_THROTTLE],
)


# --- Schemas -----------------------------------------------------------------------------------


class CategoryOut(Schema):
    slug: str
    name_ja: str
    name_en: str


class TownOut(Schema):
    id: int
    name: str
    name_kana: str


class PhotoOut(Schema):
    url: str = Field(description="Display rendition, long edge up to 1600 px, JPEG without metadata")
    thumbnail_url: str = Field(description="Thumbnail, long edge up to 400 px")
    width: int
    height: int


class ListingOut(Schema):
    id: int
    number: str = Field(description="Listing number, as printed on receipts and read on the phone")
    kind: Literal["offer", "wanted"] = Field(description="offer (譲ります) or wanted (譲ってください)")
    title: str
    description: str
    category: CategoryOut
    town: TownOut = Field(description="Pickup area (町名); never an address")
    price: int = Field(description="Yen; 0 means free")
    status: Literal["published", "reserved"]
    photos: list[PhotoOut]
    published_at: datetime | None = Field(description="To the minute, +09:00")
    expires_at: datetime | None = Field(description="To the minute, +09:00")
    updated_at: datetime = Field(description="Last change to anything public, to the minute, +09:00")
    url: str = Field(description="Canonical page of the listing")


class ListingPage(Schema):
    items: list[ListingOut]
    next: str | None = Field(description="URL of the next page, or null on the last page")


# The browse page's form sends every field, empty when unused (`?q=&kind=&town=&free=on`): an
# empty value means "no filter", so the schema allows "" next to each type.
class ListingFilters(Schema):
    q: str = Field("", max_length=100, description="Keywords (all must match title or description)")
    kind: Literal["offer", "wanted", ""] = Field("", description="offer or wanted; empty for both")
    category: str = Field("", max_length=40, pattern=r"^[-a-zA-Z0-9_]*$", description="Category slug (see /categories); empty for all")
    town: Annotated[int, Field(ge=1, le=2_147_483_647)] | Literal[""] | None = Field(
        None, description="Town id (see /towns); empty for all"
    )
    free: bool | Literal[""] = Field(False, description="Only free items (true, 1 or on); empty or false for all")
    price_min: Annotated[int, Field(ge=0, le=2_147_483_647)] | Literal[""] | None = Field(
        None, description="Only items priced this many yen or more (a whole number, 0 or more); empty for all"
    )
    price_max: Annotated[int, Field(ge=0, le=2_147_483_647)] | Literal[""] | None = Field(
        None, description="Only items priced this many yen or less (a whole number, 0 or more); empty for all"
    )
    photos: bool | Literal[""] = Field(False, description="Only items with photos (true, 1 or on); empty or false for all")
    sort: Literal["newest", "price", "price_desc", "expiring", ""] = Field("newest", description="Order; empty for newest")
    limit: int = Field(20, ge=1, le=100)
    cursor: str = Field("", max_length=200, description="Opaque cursor from `next`")


# What a bad value of each parameter should have been (pydantic's own messages name its types).
PARAMETER_HELP = {
    "q": "must be at most 100 characters",
    "kind": "must be offer or wanted (or empty for both)",
    "category": "must be a category slug from /api/v1/categories (or empty for all)",
    "town": "must be a town id from /api/v1/towns (or empty for all)",
    "free": "must be true or false (or empty)",
    "price_min": "must be a whole number of yen, 0 or more (or empty for no minimum)",
    "price_max": "must be a whole number of yen, 0 or more (or empty for no maximum)",
    "photos": "must be true or false (or empty)",
    "sort": "must be newest, price, price_desc or expiring",
    "limit": "must be a whole number from 1 to 100",
    "cursor": "must be the cursor from a `next` link",
}


# --- Operations --------------------------------------------------------------------------------


def get_and_head(path: str, **options):
    """Register a GET operation and HEAD for it (the same headers, no body; see _versioned).
    HEAD stays out of the schema: it would repeat GET's operation id, which must be unique."""

    def decorator(view):
        api.api_operation(["HEAD"], path, include_in_schema=False, **options)(view)
        return api.get(path, **options)(view)

    return decorator


@get_and_head("/listings", response={200: ListingPage, 304: None, 400: ErrorOut, 429: ErrorOut}, tags=["listings"])
@cache_public_page
def list_listings(request: HttpRequest, filters: Query[ListingFilters]):
    """Published and reserved listings, filtered like the browse page, with cursor pagination."""
    if filters.category and not selectors.category_is_active(filters.category):
        return _json({"detail": f"Unknown category “{filters.category}”: use a slug from /api/v1/categories."}, status=400)
    if filters.town and not selectors.town_exists(filters.town):
        return _json({"detail": f"No town with id {filters.town}: use an id from /api/v1/towns."}, status=400)

    def render() -> HttpResponse:
        public = selectors.listings_for_api()
        qs = selectors.filter_listings(
            public,
            q=filters.q,
            kind=filters.kind,
            category=filters.category,
            town=filters.town or None,
            free=filters.free is True,
            price_min=None if filters.price_min == "" else filters.price_min,
            price_max=None if filters.price_max == "" else filters.price_max,
            photos=filters.photos is True,
        )
        try:
            rows, next_cursor = page_after(
                qs, cards=public, sort=filters.sort or "newest", cursor=filters.cursor or None, limit=filters.limit
            )
        except BadCursor:
            return _json({"detail": "The cursor is not valid. Start again without it."}, status=400)
        next_url = None
        if next_cursor:
            params = request.GET.copy()
            params["cursor"] = next_cursor
            next_url = settings.SITE_URL + request.path + "?" + params.urlencode()
        return _json({"items": [serializers.listing_data(row) for row in rows], "next": next_url})

    return _versioned(request, render, selectors.mirror_version(listings=True, categories=True, towns=True))


@get_and_head("/listings/{listing_id}", response={200: ListingOut, 304: None, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut}, tags=["listings"])
@cache_public_page
def get_listing(request: HttpRequest, listing_id: int = Path(..., ge=1, le=9_223_372_036_854_775_807)):
    """One published or reserved listing; 404 for anything else (closed listings leave the API)."""

    def render() -> HttpResponse:
        listing = selectors.listings_for_api().filter(pk=listing_id).first()
        if listing is None:
            return _json({"detail": "No public listing with this id."}, status=404)
        return _json(serializers.listing_data(listing))

    return _versioned(request, render, selectors.mirror_version(listings=True, categories=True, towns=True))


@get_and_head("/categories", response={200: list[CategoryOut], 304: None, 400: ErrorOut, 429: ErrorOut}, tags=["reference"])
def list_categories(request: HttpRequest):
    """Active categories (slugs are what `category` filters take)."""
    return _versioned(
        request,
        lambda: _json([serializers.category_data(c) for c in selectors.categories()]),
        selectors.mirror_version(categories=True),
    )


@get_and_head("/towns", response={200: list[TownOut], 304: None, 400: ErrorOut, 429: ErrorOut}, tags=["reference"])
def list_towns(request: HttpRequest):
    """The municipality's towns (ids are what `town` filters take)."""
    return _versioned(
        request, lambda: _json([serializers.town_data(t) for t in selectors.towns()]), selectors.mirror_version(towns=True)
    )


def not_found(request: HttpRequest) -> HttpResponse:
    """Any other path under /api/v1: the API's JSON error, not the site's HTML page."""
    hint = " API paths end without a slash." if request.path.endswith("/") and request.path != "/api/v1/" else ""
    return _json({"detail": f"No API operation at {request.path}.{hint} The operations are listed at /api/v1/docs."}, status=404)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _json(
        {"detail": f"Too many requests from your address. The limit is {settings.MIRROR_API_RATE}; please slow down."},
        status=429,
    )
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems: dict[str, str] = {}
    for error in exc.errors:
        # loc is ("query", name) or ("query", "filters", name, <union member>): find the parameter.
        loc = [str(part) for part in error.get("loc", [])[1:]]
        name = next((part for part in loc if part in PARAMETER_HELP), ".".join(loc) or "request")
        problems.setdefault(name, PARAMETER_HELP.get(name) or str(error.get("msg")))
    return _json({"detail": "Invalid request: " + "; ".join(f"{name}: {text}" for name, text in problems.items())}, status=400)


# The ward's consultations (mirror/consultations_api.py), under /api/v1/consultations.
api.add_router("/consultations", consultations_router)
