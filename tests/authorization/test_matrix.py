"""Every URL name and every method its view accepts, as each of the seven roles: who gets what.

The tables (table_site.py, table_staff.py, table_admin.py) hold one row per URL name and method:

    url name                 methods   args      visit unver resid other susp  staff super
    listings:detail          GET POST  draft     404   404   200   404   404   200   200

- url name: with its namespace, as reverse() takes it; an unnamed pattern by its route.
- methods: what the view accepts (see matrix.accepted_methods); one row may list several methods
  when every role gets the same outcome for each.
- args: objects of the world (world.py: `listing` is Alice's published listing, `draft` her
  draft, `conversation` Bob's request for `listing`...), `=text` for a literal, `obj` for a row of
  an admin page's model, `-` for none.
- one outcome per role: visitor, unverified (Carol), resident (Alice, who owns the objects),
  other (Bob, another resident), suspended, staff (second factor passed), superuser. `login` is a
  redirect to the login page that comes back afterwards; a number is the status code. 404 where
  the role must not learn that the object exists.

Each request is sent blank (a POST carries no form data) and rolled back, so every role finds the
same world. A refused request (login, 403, 404, 405) must write nothing.

A new URL name, or a new method on a view, fails test_every_url_name_and_method_has_a_row until
someone decides who may use it; a row for a URL that is gone fails it too.
"""

from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.urls import resolve

from tests.authorization import table_admin, table_site, table_staff
from tests.authorization.matrix import REFUSALS, accepted_methods, outcome, parse, request_as, url_patterns
from tests.authorization.world import ROLES

STAFF_ROWS = parse(table_staff.TABLE)
ROWS = parse(table_site.TABLE) + STAFF_ROWS + parse(table_admin.TABLE)
CELLS = [(row, method) for row in ROWS for method in row.methods]


def test_every_url_name_and_method_has_a_row():
    served = {(name, method): route for name, route, view in url_patterns() for method in accepted_methods(view)}
    in_matrix = {(row.name, method) for row, method in CELLS}
    without_row = sorted(f"{name} {method} (/{route})" for (name, method), route in served.items() if (name, method) not in in_matrix)
    assert without_row == [], "URL names and methods without a row: decide who may use them"
    assert sorted(in_matrix - served.keys()) == [], "rows for URL names or methods that no longer exist"


def test_no_row_is_written_twice():
    repeated = Counter((row.name, method, row.args) for row, method in CELLS)
    assert [cell for cell, count in repeated.items() if count > 1] == []


@pytest.mark.django_db
@pytest.mark.parametrize("row,method", CELLS, ids=[row.ids(method) for row, method in CELLS])
def test_each_role_gets_its_outcome(world, row, method):
    url = row.url(world)
    got, refused_but_wrote = {}, {}
    for role in ROLES:
        response, writes = request_as(world, role, method, url)
        got[role] = outcome(response)
        if writes and row.expected[role] in REFUSALS:
            refused_but_wrote[role] = writes
    assert got == row.expected
    assert refused_but_wrote == {}


# --- Staff pages need the staff role and the second factor in this session -------------------

ALMOST_STAFF = {
    "staff with the password only": "mfa_reauthenticate",  # the TOTP step, then back
    "staff without an authenticator": "mfa_activate_totp",  # set one up first
    "Django's staff flag only": "403",  # is_staff without the staff role is a resident
}
STAFF_CELLS = [(row, method) for row in STAFF_ROWS for method in row.methods if row.expected["staff"] not in REFUSALS]


@pytest.mark.django_db
@pytest.mark.parametrize("row,method", STAFF_CELLS, ids=[row.ids(method) for row, method in STAFF_CELLS])
def test_staff_pages_ask_for_the_second_factor_and_ignore_djangos_staff_flag(world, row, method):
    url = row.url(world)
    got, wrote = {}, {}
    for who in ALMOST_STAFF:
        response, wrote[who] = request_as(world, who, method, url)
        got[who] = resolve(urlsplit(response["Location"]).path).url_name if response.status_code == 302 else str(response.status_code)
    assert got == ALMOST_STAFF
    assert wrote == dict.fromkeys(ALMOST_STAFF, [])
