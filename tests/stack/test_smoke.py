"""Smoke test through the production stack: nginx in front, granian (pages), uvicorn (websockets),
the task worker, PostgreSQL, Redis and an S3-compatible store (moto's server)."""

import io
import json
import re
import subprocess
import sys
import time

import requests
from PIL import Image
from websockets.sync.client import connect

from deploy.stack import ROOT
from tests.stack.conftest import csrf, sign_up


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_sign_up_post_with_a_photo_message_over_a_websocket_and_read_the_api(stack):
    health = requests.get(f"{stack.url}/healthz", timeout=10).json()
    assert health["status"] == "ok" and health["checks"]["channel_layer"]["ok"]

    hanako = sign_up(stack, "hanako.smoke@example.com", "はなこ", "104-0061")
    taro = sign_up(stack, "taro.smoke@example.com", "たろう", "103-0013")

    # Hanako posts an offer with a photo; the photo lands in the S3 store.
    form_url = f"{stack.url}/listings/new/"
    page = hanako.get(form_url, timeout=10).text
    category = re.search(r'<option value="(\d+)"', page[page.index('name="category"'):]).group(1)
    town = re.search(r'<option value="(\d+)" selected', page[page.index('name="town"'):]).group(1)
    response = hanako.post(form_url, data={
        "csrfmiddlewaretoken": csrf(hanako, form_url), "kind": "offer", "title": "スモークテストの本棚",
        "description": "本番構成で投稿しました。", "category": category, "condition": "good", "price": "0", "town": town,
    }, files={"photos": ("shelf.jpg", _jpeg(), "image/jpeg")}, headers={"Referer": form_url}, timeout=30)
    assert response.status_code == 200 and "スモークテストの本棚" in response.text, response.text[:3000]
    listing_url = response.url
    # The page shows it through the site, which sends the browser on to a signed link into the
    # private bucket; the object itself, unsigned, is refused.
    photo = re.search(r'src="(/media/listings/display/[^"]+\.jpg)"', response.text)
    assert photo, "the photo is not served through the site"
    stored = requests.get(stack.url + photo.group(1), timeout=10)
    assert stored.status_code == 200 and stored.content.startswith(b"\xff\xd8")
    assert stored.url.startswith(stack.env["S3_ENDPOINT_URL"] + "/mottainai-media/") and "X-Amz-Signature=" in stored.url
    assert requests.get(stored.url.split("?")[0], timeout=10).status_code == 403

    # Taro asks for it; both talk over websockets through the front.
    listing_id = int(re.search(r"/listings/(\d+)/", listing_url).group(1))
    start_url = f"{stack.url}/messages/request/{listing_id}/"
    response = taro.post(start_url, data={"csrfmiddlewaretoken": csrf(taro, start_url), "body": "ください"},
                         headers={"Referer": start_url}, timeout=10)
    conversation_id = int(re.search(r"/messages/(\d+)/", response.url).group(1))
    ws_url = f"ws://127.0.0.1:{stack.front_port}/ws/conversations/{conversation_id}/"

    def socket_for(session):
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        return connect(ws_url, additional_headers={"Cookie": cookie, "Origin": stack.url}, open_timeout=10)

    with socket_for(hanako) as hanako_ws, socket_for(taro) as taro_ws:
        taro_ws.send(json.dumps({"type": "send", "body": "明日の10時はいかがですか", "client_id": "smoke-1"}))
        while True:
            event = json.loads(hanako_ws.recv(timeout=10))
            if event.get("type") == "message":
                break
        # As Hanako's page shows it: Taro's message, with the Report link.
        assert '<p class="msg-body">明日の10時はいかがですか</p>' in event["message"]["html"]
        assert 'class="msg msg-theirs"' in event["message"]["html"] and 'class="msg-report"' in event["message"]["html"]

    # The ward's website reads it from the public API, without anything personal.
    api = requests.get(f"{stack.url}/api/v1/listings", timeout=10).json()
    item = next(i for i in api["items"] if i["id"] == listing_id)
    assert item["title"] == "スモークテストの本棚"
    assert "hanako.smoke@example.com" not in json.dumps(api)


def _manage(stack, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=stack.env, capture_output=True, text=True)


def test_the_scheduler_runs_every_job_of_its_table_at_start(stack):
    """The stack's scheduler (`run_schedule`, as compose's `scheduler` service) runs the daily jobs
    at once, as on a first start, and its health check (compose's healthcheck) passes."""
    deadline = time.monotonic() + 60
    while True:
        listing = _manage(stack, "run_schedule", "--list").stdout.splitlines()
        if all(line.endswith(" ok") for line in listing) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert [line.split(":")[0] for line in listing] == ["expire_listings", "schedule_alert_digests", "apply_retention", "mirror_retry_webhooks"]
    assert all(line.endswith(" ok") for line in listing), listing
    check = _manage(stack, "run_schedule", "--check")
    assert check.returncode == 0, check.stderr
