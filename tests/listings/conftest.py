"""Fixtures shared by the listing tests."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def count_queries():
    """count_queries(client, url): the number of queries a GET of the page makes (it must answer 200)."""

    def count(client, url: str) -> int:
        cache.clear()  # the home page caches its category counts for a minute
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    return count
