"""The load mix for bench/load_test.py (locust): visitors browsing and searching, residents
posting listings with a photo, and residents in conversations. Accounts and a conversation per
chatting resident are prepared by load_test.py; their emails come in LOAD_ACCOUNTS."""

import io
import itertools
import os
import random
import re

from locust import HttpUser, between, task
from PIL import Image

WORDS = ["本棚", "椅子", "ベビーカー", "自転車", "机", "炊飯器", "子ども服", "テーブル"]
CATEGORIES = ["furniture", "appliances", "baby-kids", "books", "kitchen"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCOUNTS = os.environ.get("LOAD_ACCOUNTS", "").split(",")
# A session made in advance for each account (load_test.py): every simulated user comes from
# 127.0.0.1, and allauth rightly limits logins per address, so only one resident in ten logs in
# through the form.
SESSIONS = os.environ.get("LOAD_SESSIONS", "").split(",")
SESSION_COOKIE = os.environ.get("LOAD_SESSION_COOKIE", "sessionid")
MAX_ID = int(os.environ.get("LOAD_MAX_ID", "1000"))
PHOTO = io.BytesIO()
Image.new("RGB", (1024, 768), (180, 120, 60)).save(PHOTO, "JPEG", quality=85)


class Visitor(HttpUser):
    weight = 6
    wait_time = between(1, 3)

    @task(3)
    def search(self):
        self.client.get(f"/listings/?q={random.choice(WORDS)}", name="/listings/?q=[word]")

    @task(2)
    def browse(self):
        self.client.get(f"/listings/?category={random.choice(CATEGORIES)}&free=on", name="/listings/?category&free")

    @task(3)
    def detail(self):
        with self.client.get(f"/listings/{random.randint(1, MAX_ID)}/", name="/listings/[id]/", catch_response=True) as response:
            if response.status_code == 404:
                response.success()  # not every generated listing is public

    @task(1)
    def home(self):
        self.client.get("/", name="/")

    @task(1)
    def board(self):
        self.client.get("/board/", name="/board/")


_NEXT_ACCOUNT = itertools.count()


class _Resident(HttpUser):
    abstract = True

    def on_start(self):
        # Each simulated resident has an account of its own: two sharing one would together pass
        # the per-account message limit, and the site would rightly refuse with 400.
        number = next(_NEXT_ACCOUNT)
        self.email = ACCOUNTS[number % len(ACCOUNTS)]
        if number % 10 and len(SESSIONS) == len(ACCOUNTS):
            self.client.cookies.set(SESSION_COOKIE, SESSIONS[number % len(SESSIONS)])
            return
        page = self.client.get("/auth/login/", name="/auth/login/")
        token = CSRF.search(page.text).group(1)
        self.client.post("/auth/login/", data={"csrfmiddlewaretoken": token, "login": self.email, "password": "load-test-password"},
                         headers={"Referer": f"{self.host}/auth/login/"}, name="/auth/login/ (POST)")


class Poster(_Resident):
    weight = 1
    wait_time = between(5, 15)

    @task
    def post_listing(self):
        page = self.client.get("/listings/new/", name="/listings/new/")
        token = CSRF.search(page.text)
        if not token:
            return
        category = re.search(r'<option value="(\d+)"', page.text[page.text.index('name="category"'):]).group(1)
        town = re.search(r'<option value="(\d+)" selected', page.text[page.text.index('name="town"'):])
        self.client.post("/listings/new/", data={
            "csrfmiddlewaretoken": token.group(1), "kind": "offer", "title": f"負荷試験の{random.choice(WORDS)}",
            "description": "負荷試験で投稿しました。", "category": category, "condition": "good", "price": "0",
            "town": town.group(1) if town else "1",
        }, files={"photos": ("photo.jpg", PHOTO.getvalue(), "image/jpeg")}, headers={"Referer": f"{self.host}/listings/new/"},
            name="/listings/new/ (POST, one photo)")


class Chatter(_Resident):
    weight = 2
    wait_time = between(2, 6)

    @task
    def message(self):
        inbox = self.client.get("/messages/", name="/messages/")
        found = re.search(r'href="(/messages/\d+/)"', inbox.text)
        if not found:
            return
        url = found.group(1)
        page = self.client.get(url, name="/messages/[id]/")
        token = CSRF.search(page.text)
        if token:
            with self.client.post(url, data={"csrfmiddlewaretoken": token.group(1), "body": "受け取りは土曜日でいかがですか"},
                                  headers={"Referer": f"{self.host}{url}"}, name="/messages/[id]/ (POST)", catch_response=True) as response:
                if response.status_code == 400:  # a refusal the resident sees: report its reason
                    reason = re.search(r'class="error-text"[^>]*>([^<]+)', response.text)
                    response.failure(f"400: {reason.group(1).strip() if reason else 'no reason shown'}")
