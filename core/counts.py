"""Counts the site header shows on every signed-in page (unread messages, new items of saved
searches), their SQL compiled once per process.

Building a query with the ORM costs more CPU than running such an indexed count (about 2 ms
against a fraction of one, docs/PERFORMANCE.md), and these run on every signed-in request, even
when the page itself comes from the cache. `UserCount(build)` compiles `build(PLACEHOLDER)` once,
where `build` takes a user id and returns a queryset of that user's rows, and then runs it with
the user's id wherever the placeholder was; `user_counts()` runs several in one statement.
"""

from collections.abc import Callable

from django.db import connection
from django.db.models import QuerySet

PLACEHOLDER = -7_370_001  # an id no account has: it marks where the user's id goes


class UserCount:
    def __init__(self, build: Callable[[int], QuerySet]) -> None:
        self.build = build
        self._compiled: dict[str, tuple[str, tuple]] = {}  # by database vendor

    def __call__(self, user_id: int) -> int:
        return user_counts(user_id, [self])[0]

    def compiled(self) -> tuple[str, tuple]:
        """SELECT COUNT(*) of the query, for the placeholder user."""
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            sql, params = self.build(PLACEHOLDER).query.sql_with_params()
            if PLACEHOLDER not in params:
                raise ValueError("the query does not depend on the user")
            compiled = self._compiled[connection.vendor] = (f"SELECT COUNT(*) FROM ({sql}) counted", params)
        return compiled


def user_counts(user_id: int, counts: list[UserCount]) -> list[int]:
    """Each of `counts` for this user, in one statement (one round trip to the database)."""
    parts, params = [], []
    for count in counts:
        sql, template = count.compiled()
        parts.append(f"({sql})")
        params += [user_id if param == PLACEHOLDER else param for param in template]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return list(cursor.fetchone())
