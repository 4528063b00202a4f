"""The matrix's machinery: read the tables, list every URL pattern and the methods its view
accepts, and run one request as one role."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import takewhile

from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja.operation import PathView

from tests.authorization.world import ROLES, World

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# Outcomes that refuse the role: such a request must write nothing.
REFUSALS = {"login", "403", "404", "405"}


@dataclass(frozen=True)
class Row:
    name: str  # URL name with its namespace, or the route of an unnamed pattern
    methods: tuple[str, ...]
    args: tuple[str, ...]  # object names from the world, literals, or one literal path
    expected: dict[str, str]  # role -> "login" (302 to the login page) or a status code

    def url(self, world: World) -> str:
        if self.args and self.args[0].startswith("/"):
            return self.args[0]  # a path the resolver cannot build (a regex pattern)
        values = [str(world.arg(token, self.name)) for token in self.args]
        if "/" in self.name:  # an unnamed pattern: its route, the values in place of its parameters
            return "/" + re.sub(r"<[^>]+>|\(\?P<\w+>[^)]*\)", lambda _: values.pop(0), self.name).strip("^$")
        return reverse(self.name, args=values)

    def ids(self, method: str) -> str:
        return f"{self.name} {method} {','.join(self.args)}".strip()


def parse(table: str) -> list[Row]:
    """One row a line: url name, methods, args ("-" for none, comma-separated), one outcome per
    role ("login", or a status code); "#" starts a comment."""
    rows = []
    for line in table.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, *rest = line.split()
        methods = tuple(takewhile(lambda token: token in METHODS, rest))
        args, *outcomes = rest[len(methods):] or ["?"]
        if not methods or len(outcomes) != len(ROLES) or not all(o == "login" or re.fullmatch(r"[1-5]\d\d", o) for o in outcomes):
            raise ValueError(f"malformed matrix row: {line!r}")
        rows.append(Row(name, methods, () if args == "-" else tuple(args.split(",")), dict(zip(ROLES, outcomes))))
    return rows


def url_patterns(resolver: URLResolver | None = None, namespace: tuple[str, ...] = (), prefix: str = "") -> Iterator[tuple[str, str, object]]:
    """(url name with namespaces, or the route of an unnamed pattern; route; view) for every pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + ((entry.namespace,) if entry.namespace else ())
            yield from url_patterns(entry, inner, prefix + str(entry.pattern))
        else:
            assert isinstance(entry, URLPattern)
            route = prefix + str(entry.pattern)
            yield (":".join(namespace + (entry.name,)) if entry.name else route), route, entry.callback


def accepted_methods(view) -> frozenset[str]:
    """The methods a view answers: a class-based view's handlers, the list of a
    require_http_methods decorator (require_POST, require_GET), a django-ninja path's operations;
    a view with no restriction answers GET and POST alike. HEAD counts only where it is declared
    (Django answers it as GET)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(m.upper() for m in view_class.http_method_names if m.upper() in METHODS and m != "head" and hasattr(view_class, m))
    layer = view
    while layer is not None:
        code = getattr(layer, "__code__", None)
        for name, cell in zip(code.co_freevars if code else (), getattr(layer, "__closure__", None) or ()):
            if name == "request_method_list":
                return frozenset(m for m in cell.cell_contents if m in METHODS)
            if isinstance(cell.cell_contents, PathView):
                return frozenset(m for operation in cell.cell_contents.operations for m in operation.methods)
        layer = getattr(layer, "__wrapped__", None)
    return frozenset({"GET", "POST"})


def outcome(response) -> str:
    """"login" for a redirect to the login page that comes back here afterwards (?next=),
    else the status code."""
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("account_login") + "?next="):
        return "login"
    return str(response.status_code)


def _writes(queries) -> list[str]:
    return [
        query["sql"] for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and "django_session" not in query["sql"]
    ]


def request_as(world: World, role: str, method: str, url: str) -> tuple[HttpResponse, list[str]]:
    """One empty request (a form sent blank for POST) as one role, rolled back afterwards so the
    next role finds the world unchanged: the response and the SQL statements that wrote data."""
    client = world.client(role)
    connection.queries_log.clear()  # a full log (9000 entries) would hide what this request wrote
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method.lower())(url)
        transaction.set_rollback(True)
    return response, _writes(queries)
