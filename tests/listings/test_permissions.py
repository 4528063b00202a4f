"""Permission matrix: every listing URL × every role → the status that role gets."""

import pytest
from django.urls import reverse

from tests.factories import make_listing

VISITOR, OWNER, OTHER, UNVERIFIED, STAFF = "visitor", "owner", "other", "unverified", "staff"

# (url name, which listing, method) → {role: status}
MATRIX = [
    ("home", None, "get", {VISITOR: 200, OWNER: 200, OTHER: 200, UNVERIFIED: 200, STAFF: 200}),
    ("listings:browse", None, "get", {VISITOR: 200, OWNER: 200, OTHER: 200, UNVERIFIED: 200, STAFF: 200}),
    ("listings:create", None, "get", {VISITOR: 302, OWNER: 200, OTHER: 200, UNVERIFIED: 403, STAFF: 200}),
    ("listings:mine", None, "get", {VISITOR: 302, OWNER: 200, OTHER: 200, UNVERIFIED: 200, STAFF: 200}),
    ("listings:detail", "published", "get", {VISITOR: 200, OWNER: 200, OTHER: 200, UNVERIFIED: 200, STAFF: 200}),
    ("listings:detail", "draft", "get", {VISITOR: 404, OWNER: 200, OTHER: 404, UNVERIFIED: 404, STAFF: 200}),
    ("listings:edit", "published", "get", {VISITOR: 302, OWNER: 200, OTHER: 403, UNVERIFIED: 403, STAFF: 403}),
    ("listings:edit", "draft", "get", {VISITOR: 302, OWNER: 200, OTHER: 404, UNVERIFIED: 403, STAFF: 403}),
    ("listings:act", "published", "post", {VISITOR: 302, OWNER: 302, OTHER: 403, UNVERIFIED: 403, STAFF: 403}),
    ("listings:act", "draft", "post", {VISITOR: 302, OWNER: 302, OTHER: 404, UNVERIFIED: 403, STAFF: 403}),
    ("accounts:profile", None, "get", {VISITOR: 302, OWNER: 200, OTHER: 200, UNVERIFIED: 200, STAFF: 200}),
    ("accounts:export", None, "get", {VISITOR: 302, OWNER: 200, OTHER: 200, UNVERIFIED: 200, STAFF: 200}),
]
CASES = [(url, which, method, role, status) for url, which, method, roles in MATRIX for role, status in roles.items()]


@pytest.fixture
def clients(client, alice_client, bob_client, carol_client, staff_client):
    return {VISITOR: client, OWNER: alice_client, OTHER: bob_client, UNVERIFIED: carol_client, STAFF: staff_client}


@pytest.mark.django_db
@pytest.mark.parametrize("url,which,method,role,status", CASES, ids=[f"{c[0]}-{c[1]}-{c[3]}" for c in CASES])
def test_each_role_gets_the_expected_status(clients, alice, url, which, method, role, status):
    args = []
    if which:
        listing = make_listing(alice, publish=(which == "published"))
        args = [listing.pk, "withdraw"] if url == "listings:act" else [listing.pk]
    response = getattr(clients[role], method)(reverse(url, args=args))
    assert response.status_code == status
    if which and method == "post" and role != OWNER:
        listing.refresh_from_db()
        assert listing.status == ("published" if which == "published" else "draft")  # untouched
