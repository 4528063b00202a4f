"""Every page and WebSocket route, as every kind of visitor: the expected outcome of each cell.

Roles: visitor (not logged in), unverified (email not confirmed), resident (Alice, who owns the
objects), other (Bob, another resident; the requester in the conversation), suspended (a suspended
resident), staff (staff role, second factor passed), superuser (also staff).
Statuses: 200 shown, 302 sent to log in (or to set up 2FA), 403 refused, 404 hidden.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import STAFF_GROUP
from alerts.services import saved_search_create
from community.models import Facility, Topic
from community.services import thread_create
from messaging.services.conversations import conversation_start
from moderation import services as moderation_services
from tests.factories import login_staff, make_listing, make_user

ROLES = ["visitor", "unverified", "resident", "other", "suspended", "staff", "superuser"]

PUBLIC = dict.fromkeys(ROLES, 200)
LOGIN = {**dict.fromkeys(ROLES, 200), "visitor": 302}
RESIDENT = {"visitor": 302, "unverified": 403, "resident": 200, "other": 200, "suspended": 403, "staff": 200, "superuser": 200}
OWNER = {"visitor": 302, "unverified": 403, "resident": 200, "other": 403, "suspended": 403, "staff": 403, "superuser": 403}
PARTICIPANT = {"visitor": 302, "unverified": 404, "resident": 200, "other": 200, "suspended": 404, "staff": 404, "superuser": 404}
STAFF = {"visitor": 302, "unverified": 403, "resident": 403, "other": 403, "suspended": 403, "staff": 200, "superuser": 200}
SUPERUSER = {**STAFF, "staff": 403}
ADMIN = {**dict.fromkeys(ROLES, 302), "superuser": 200}

PAGES = [
    ("home", PUBLIC), ("listings:browse", PUBLIC), ("listings:detail listing", PUBLIC), ("messaging:profile resident", PUBLIC),
    ("community:board", PUBLIC), ("community:thread thread", PUBLIC), ("community:facility_list", PUBLIC),
    ("community:facility facility", PUBLIC), ("healthz", PUBLIC),
    ("accounts:profile", LOGIN), ("accounts:notifications", {**dict.fromkeys(ROLES, 405), "visitor": 302}), ("accounts:delete", LOGIN), ("my_reports", LOGIN),
    ("messaging:inbox", LOGIN), ("listings:report listing", {**LOGIN, "resident": 200}),
    ("listings:mine", LOGIN),  # one's own listings stay readable, also while unverified or suspended
    ("listings:create", RESIDENT), ("alerts:list", RESIDENT), ("community:thread_create", RESIDENT),
    # the poster goes to the requests page, Bob to the conversation he already has
    ("messaging:start listing", {**RESIDENT, "resident": 302, "other": 302}),
    ("listings:edit listing", OWNER), ("messaging:requests listing", OWNER),
    ("messaging:conversation conversation", PARTICIPANT), ("messaging:history conversation", PARTICIPANT),
    ("moderation:home", STAFF), ("moderation:listing_queue", STAFF), ("moderation:report_queue", STAFF),
    ("moderation:audit_log", STAFF), ("moderation:rules", STAFF), ("moderation:categories", STAFF), ("moderation:impact", STAFF),
    ("moderation:print_board", STAFF), ("moderation:assisted_inbox", STAFF), ("moderation:assisted_new", STAFF),
    ("moderation:account resident", STAFF), ("community_staff:queue", STAFF), ("community_staff:reveal_list", STAFF),
    ("community_staff:ng_words", STAFF), ("community_staff:facility_import", STAFF), ("mirror_staff:endpoint_list", STAFF),
    ("moderation:audit_log_csv", SUPERUSER), ("admin:index", ADMIN),
]


@pytest.fixture
def world(alice, bob, carol, staff):
    suspended = make_user(email="suspended@example.com", name="停止中")
    moderation_services.account_suspend(user=suspended, actor=staff, reason="テスト")
    root = make_user(email="root@example.com", name="管理者", is_superuser=True, is_staff=True)
    root.groups.add(Group.objects.get(name=STAFF_GROUP))
    listing = make_listing(alice)
    conversation = conversation_start(listing=listing, requester=bob, body="ください")
    thread = thread_create(author=alice, topic=Topic.OTHER, title="題名", body="本文")
    facility = Facility.objects.create(name="架空図書館", kind="library", source_key="id:X")
    saved_search_create(user=alice, q="本棚")
    clients = {"visitor": Client()}
    for role, user in [("unverified", carol), ("resident", alice), ("other", bob), ("suspended", suspended)]:
        clients[role] = Client()
        clients[role].force_login(user)
    for role, user in [("staff", staff), ("superuser", root)]:
        clients[role] = Client()
        login_staff(clients[role], user)
    objects = {"listing": listing.pk, "conversation": conversation.pk, "thread": thread.pk, "facility": facility.pk, "resident": alice.pk}
    return clients, objects


@pytest.mark.parametrize("page,expected", PAGES, ids=[page for page, _ in PAGES])
def test_every_page_as_every_role(world, page, expected):
    clients, objects = world
    name, _sep, arg = page.partition(" ")
    url = reverse(name, args=[objects[arg]] if arg else [])
    got = {role: clients[role].get(url).status_code for role in ROLES}
    assert got == expected


# --- WebSocket routes: accepted (True) or closed before accepting (False) -------------------------

PARTICIPANT_WS = {**dict.fromkeys(ROLES, False), "resident": True, "other": True}
SIGNED_IN_WS = {**dict.fromkeys(ROLES, True), "visitor": False}
WS_ROUTES = [
    ("/ws/conversations/{conversation}/", PARTICIPANT_WS),
    ("/ws/conversations/0/", dict.fromkeys(ROLES, False)),  # no such conversation
    ("/ws/notifications/", SIGNED_IN_WS),  # each user's own badge: nobody else's counts
]


def _ws_connects(path: str, cookie: str | None, origin: bytes = b"http://127.0.0.1:8000") -> bool:
    import asyncio

    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    headers = [(b"origin", origin), (b"host", b"127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))

    async def attempt() -> bool:
        socket = WebsocketCommunicator(application, path, headers=headers)
        connected, _code = await socket.connect(timeout=5)
        await socket.disconnect()
        return connected

    return asyncio.run(attempt())


def _session(client: Client) -> str | None:
    morsel = client.cookies.get("sessionid")
    return morsel.value if morsel else None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("route,expected", WS_ROUTES, ids=[route for route, _ in WS_ROUTES])
def test_every_websocket_route_as_every_role(world, route, expected):
    clients, objects = world
    path = route.format(**objects)
    got = {role: _ws_connects(path, _session(clients[role])) for role in ROLES}
    assert got == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_websockets_from_another_origin_are_refused_even_for_a_participant(world):
    clients, objects = world
    cookie = _session(clients["resident"])
    path = f"/ws/conversations/{objects['conversation']}/"
    assert _ws_connects(path, cookie)
    assert not _ws_connects(path, cookie, origin=b"https://evil.example")
    assert not _ws_connects("/ws/notifications/", cookie, origin=b"https://evil.example")
