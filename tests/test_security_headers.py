"""The browser-facing protections: CSP without inline scripts, framing, sniffing, referrers, and
with production settings (DJANGO_HTTPS=1) HTTPS only, HSTS and secure cookies."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_listing

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pages(alice):
    listing = make_listing(alice)
    return ["/", reverse("listings:browse"), listing.get_absolute_url(), reverse("community:board"), reverse("account_login")]


def test_every_page_has_a_strict_content_security_policy_and_no_inline_script(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'", url
        assert "unsafe" not in response.headers["Content-Security-Policy"], url
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'", url
        html = response.content.decode()
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag and "json" not in tag]
        assert inline == [], url
        assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE), url  # no onclick= and friends


def test_pages_cannot_be_framed_sniffed_or_leak_their_address(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def _production_settings() -> dict:
    """config.settings as a production deployment loads it (own process: settings load once)."""
    env = {
        "PATH": os.environ["PATH"], "DJANGO_HTTPS": "1", "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "mottainai.example.jp",
        "DJANGO_SECRET_KEY": "x" * 64, "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    names = [
        "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "SECURE_PROXY_SSL_HEADER",
    ]
    script = f"from django.conf import settings; import json; print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_turn_on_https_only_hsts_and_secure_cookies():
    values = _production_settings()
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_with_those_settings_the_site_redirects_to_https_and_sends_hsts_and_secure_cookies(client, alice):
    values = _production_settings()
    production = {name: value for name, value in values.items() if name not in ("DEBUG", "SECURE_PROXY_SSL_HEADER")}
    with override_settings(**production):
        plain = client.get(reverse("account_login"))
        assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
        response = client.post(
            reverse("account_login"), {"login": alice.email, "password": "correct-horse-battery"}, secure=True
        )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
