"""The API takes the browse page's price and photo filters, with the browse page's meaning."""

import pytest
from django.urls import reverse

from listings.models import Listing
from tests.factories import make_listing


@pytest.fixture
def priced(alice):
    return {
        "free": make_listing(alice, title="無料の本棚", price=0, photos=1),
        "cheap": make_listing(alice, title="椅子", price=300),
        "mid": make_listing(alice, title="机", price=1500, photos=1),
        "dear": make_listing(alice, title="自転車", price=5000),
    }


def _api_titles(client, query: str) -> set[str]:
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]}


def _browse_titles(client, query: str) -> set[str]:
    page = client.get(f"{reverse('listings:browse')}?{query}").content.decode()
    return {listing.title for listing in Listing.objects.all() if listing.title in page}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "api_query, browse_query, expected",
    [
        ("price_min=300", "price_min=300", {"椅子", "机", "自転車"}),
        ("price_max=1500", "price_max=1500", {"無料の本棚", "椅子", "机"}),
        ("price_min=300&price_max=1500", "price_min=300&price_max=1500", {"椅子", "机"}),
        ("price_min=0&price_max=0", "price_min=0&price_max=0", {"無料の本棚"}),
        ("photos=true", "photos=on", {"無料の本棚", "机"}),
        ("photos=on&price_min=1", "photos=on&price_min=1", {"机"}),
        ("price_min=&price_max=&photos=", "price_min=&price_max=", {"無料の本棚", "椅子", "机", "自転車"}),
    ],
)
def test_price_and_photo_filters_select_what_the_browse_page_selects(client, priced, api_query, browse_query, expected):
    assert _api_titles(client, api_query) == expected
    assert _browse_titles(client, browse_query) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, parameter",
    [
        ("price_min=-1", "price_min"),
        ("price_min=abc", "price_min"),
        ("price_max=1.5", "price_max"),
        ("price_max=-100", "price_max"),
        ("photos=maybe", "photos"),
    ],
)
def test_bad_price_and_photo_values_get_a_400_that_names_the_parameter(client, priced, query, parameter):
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert parameter in detail
    assert ("whole number of yen, 0 or more" in detail) if parameter.startswith("price") else ("true or false" in detail)


@pytest.mark.django_db
def test_the_next_link_keeps_the_price_and_photo_filters(client, alice):
    for i in range(3):
        make_listing(alice, title=f"棚{i}", price=100 * (i + 1))
    response = client.get("/api/v1/listings?price_min=100&price_max=300&limit=2").json()
    assert "price_min=100" in response["next"] and "price_max=300" in response["next"]


@pytest.mark.django_db
def test_the_openapi_schema_documents_the_new_filters(client):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/listings"]["get"]["parameters"]}
    assert {"price_min", "price_max", "photos"} <= set(parameters)
    assert "yen" in parameters["price_min"]["description"] and "photos" in parameters["photos"]["description"]
