"""Faults during load: a crashed pages server, a crashed Redis, a crashed PostgreSQL and a
restarted websocket server. The service recovers by itself, nothing stored is lost, and a
websocket client that reconnects catches up on what it missed."""

import json
import re
import threading
import time

import psycopg
import requests
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from tests.stack.conftest import csrf, sign_up
from tests.factories import jpeg_bytes


def _body_is(event: dict, text: str) -> bool:
    """Is this live message (the page's HTML for it) the given text?"""
    return f'<p class="msg-body">{text}</p>' in event["message"]["html"]


def _counts(stack) -> tuple[int, int, int]:
    with psycopg.connect(stack.env["DATABASE_URL"].split("?")[0]) as conn:
        return (conn.execute("SELECT count(*) FROM listings_listing").fetchone()[0],
                conn.execute("SELECT count(*) FROM messaging_message").fetchone()[0],
                conn.execute("SELECT count(*) FROM listings_photo").fetchone()[0])


def _recovers(stack, started: float, seconds: float = 30) -> float:
    """Seconds from the fault (`started`) until /healthz answers 200 again."""
    while time.monotonic() - started < seconds:
        try:
            if requests.get(f"{stack.url}/healthz", timeout=3).status_code == 200:
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("the service did not recover")


def _conversation(stack, prefix: str):
    """A giver's listing and an asker's conversation about it: (giver, asker, id, page URL, CSRF token)."""
    giver = sign_up(stack, f"{prefix}.giver@example.com", "ゆずる", "104-0061")
    asker = sign_up(stack, f"{prefix}.asker@example.com", "もらう", "104-0052")
    form_url = f"{stack.url}/listings/new/"
    page = giver.get(form_url, timeout=10).text
    category = re.search(r'<option value="(\d+)"', page[page.index('name="category"'):]).group(1)
    town = re.search(r'<option value="(\d+)" selected', page[page.index('name="town"'):]).group(1)
    response = giver.post(form_url, data={"csrfmiddlewaretoken": csrf(giver, form_url), "kind": "offer", "title": "障害試験の机",
                                          "description": "試験用", "category": category, "condition": "good", "price": "0", "town": town},
                          files={"photos": ("desk.jpg", jpeg_bytes(), "image/jpeg")}, headers={"Referer": form_url}, timeout=30)
    listing_id = int(re.search(r"/listings/(\d+)/", response.url).group(1))
    start_url = f"{stack.url}/messages/request/{listing_id}/"
    response = asker.post(start_url, data={"csrfmiddlewaretoken": csrf(asker, start_url), "body": "ください"}, headers={"Referer": start_url}, timeout=10)
    conversation_id = int(re.search(r"/messages/(\d+)/", response.url).group(1))
    conversation_url = f"{stack.url}/messages/{conversation_id}/"
    return giver, asker, conversation_id, conversation_url, csrf(asker, conversation_url)


def _cookie(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def test_the_service_recovers_from_faults_under_load_and_loses_nothing(stack):
    giver, asker, conversation_id, conversation_url, token = _conversation(stack, "fault")

    # Load: browsing and messages over plain HTTP, all the time the faults happen.
    sent_ok, errors, stop = [], [], threading.Event()

    def load() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                requests.get(f"{stack.url}/listings/?q=机", timeout=5)
                r = asker.post(conversation_url, data={"csrfmiddlewaretoken": token, "body": f"負荷中のメッセージ {n}"},
                               headers={"Referer": conversation_url}, timeout=5)
                (sent_ok if r.status_code in (200, 302) and f"負荷中のメッセージ {n}" in asker.get(conversation_url, timeout=5).text else errors).append(n)
            except requests.RequestException:
                errors.append(n)
            time.sleep(0.05)

    worker = threading.Thread(target=load)
    worker.start()
    recovery = {}
    try:
        time.sleep(1)
        before = _counts(stack)
        # a crashed pages server; Redis crashed (cache, channel layer, rate limits empty again);
        # PostgreSQL killed with every backend, then recovering from its write-ahead log
        for name in ("wsgi", "redis", "postgres"):
            started = time.monotonic()
            stack.restart(name)
            recovery[name] = _recovers(stack, started)
        time.sleep(1)
    finally:
        stop.set()
        worker.join()
    after = _counts(stack)
    assert after[0] == before[0] and after[2] == before[2] > 0 and after[1] >= before[1]  # nothing lost
    page = requests.get(f"{stack.url}/listings/?q=障害試験", timeout=10).text  # the photo is still served
    photo = re.search(r'<img[^>]+src="([^"]+\.jpg)"', page)
    assert photo and requests.get(stack.url + photo.group(1), timeout=10).status_code == 200  # through the site
    assert sent_ok, "no message got through during the test"
    # every message the server confirmed is stored
    with psycopg.connect(stack.env["DATABASE_URL"].split("?")[0]) as conn:
        stored = {row[0] for row in conn.execute("SELECT body FROM messaging_message WHERE conversation_id = %s", [conversation_id])}
    assert all(f"負荷中のメッセージ {n}" in stored for n in sent_ok)

    # A websocket client whose server died reconnects and catches up with what it missed.
    ws_url = f"ws://127.0.0.1:{stack.front_port}/ws/conversations/{conversation_id}/"
    cookie = _cookie(giver)
    with connect(ws_url, additional_headers={"Cookie": cookie, "Origin": stack.url}, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "resume", "after": 0}))
        seen = 0
        while True:
            event = json.loads(ws.recv(timeout=10))
            if event.get("type") == "message":
                seen = max(seen, event["message"]["id"])
                if _body_is(event, f"負荷中のメッセージ {sent_ok[-1]}"):
                    break
    stack.restart("asgi")
    asker.post(conversation_url, data={"csrfmiddlewaretoken": token, "body": "再起動中に届いたメッセージ"},
               headers={"Referer": conversation_url}, timeout=10)
    deadline = time.monotonic() + 30
    while True:
        try:
            with connect(ws_url, additional_headers={"Cookie": cookie, "Origin": stack.url}, open_timeout=5) as ws:
                ws.send(json.dumps({"type": "resume", "after": seen}))
                event = json.loads(ws.recv(timeout=10))
                assert event["type"] == "message" and _body_is(event, "再起動中に届いたメッセージ")
                break
        except (OSError, TimeoutError, WebSocketException):  # 502 from the front until uvicorn is back
            assert time.monotonic() < deadline, "the websocket server did not come back"
            time.sleep(0.5)
    print("recovery seconds:", {name: round(value, 1) for name, value in recovery.items()}, "errors during faults:", len(errors))


def test_an_open_websocket_gets_live_messages_again_after_redis_restarts(stack):
    """The channel layer's subscriptions live in Redis: after a crash they must come back by
    themselves, or connected phones would stop getting messages until they reconnect."""
    giver, asker, conversation_id, conversation_url, token = _conversation(stack, "pubsub")
    ws_url = f"ws://127.0.0.1:{stack.front_port}/ws/conversations/{conversation_id}/"
    with connect(ws_url, additional_headers={"Cookie": _cookie(giver), "Origin": stack.url}, open_timeout=10) as ws:
        started = time.monotonic()
        stack.restart("redis")
        _recovers(stack, started)
        n = 0
        while True:
            n += 1
            body = f"Redis 再起動後のメッセージ {n}"
            response = asker.post(conversation_url, data={"csrfmiddlewaretoken": token, "body": body},
                                  headers={"Referer": conversation_url}, timeout=10)
            assert response.status_code == 200
            try:
                while True:
                    event = json.loads(ws.recv(timeout=2))
                    if event.get("type") == "message" and _body_is(event, body):
                        break
                break
            except TimeoutError:
                assert time.monotonic() - started < 30, "the open websocket never got a live message again"
    print("live again after", round(time.monotonic() - started, 1), "s and", n, "messages")
