"""Tests that look at the database itself: skip unless it is the one they are about, and read raw rows."""

import pytest
from django.db import connection


def only_on(vendor: str) -> None:
    """Skip the calling test unless the tests run on `vendor` ("sqlite" or "postgresql")."""
    if connection.vendor != vendor:
        pytest.skip(f"{vendor} only")


def fetch(sql: str, params=()) -> list[tuple]:
    """The rows of one raw statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
