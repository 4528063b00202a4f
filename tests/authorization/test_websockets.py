"""The WebSocket routes as every kind of visitor: accepted (True) or closed before accepting (False)."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests.authorization.world import ROLES, build_world

PARTICIPANT_WS = {**dict.fromkeys(ROLES, False), "resident": True, "other": True}
SIGNED_IN_WS = {**dict.fromkeys(ROLES, True), "visitor": False}
WS_ROUTES = [
    ("/ws/conversations/{conversation}/", PARTICIPANT_WS),
    ("/ws/conversations/0/", dict.fromkeys(ROLES, False)),  # no such conversation
    ("/ws/notifications/", SIGNED_IN_WS),  # each user's own badge: nobody else's counts
]


@pytest.fixture
def live_world(alice, bob, carol, staff):
    """The matrix's world, committed: the consumers read it from their own threads."""
    return build_world(alice=alice, bob=bob, carol=carol, staff=staff)


def _ws_connects(path: str, session: str | None, origin: bytes = b"http://127.0.0.1:8000") -> bool:
    headers = [(b"origin", origin), (b"host", b"127.0.0.1:8000")]
    if session:
        headers.append((b"cookie", f"sessionid={session}".encode()))

    async def attempt() -> bool:
        socket = WebsocketCommunicator(application, path, headers=headers)
        connected, _code = await socket.connect(timeout=5)
        await socket.disconnect()
        return connected

    return asyncio.run(attempt())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("route,expected", WS_ROUTES, ids=[route for route, _ in WS_ROUTES])
def test_every_websocket_route_as_every_role(live_world, route, expected):
    path = route.format(**live_world.objects)
    got = {role: _ws_connects(path, live_world.sessions[role]) for role in ROLES}
    assert got == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_websockets_from_another_origin_are_refused_even_for_a_participant(live_world):
    session = live_world.sessions["resident"]
    path = f"/ws/conversations/{live_world.objects['conversation']}/"
    assert _ws_connects(path, session)
    assert not _ws_connects(path, session, origin=b"https://evil.example")
    assert not _ws_connects("/ws/notifications/", session, origin=b"https://evil.example")
