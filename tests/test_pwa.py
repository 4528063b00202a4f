"""The installable app's files as the server sends them: the manifest (in the page's language),
its icons, the service worker's script and the offline page. What the worker does with them, in
Chromium: tests/test_pwa_browser.py."""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def _static_file(url: str) -> Path:
    return Path(finders.find(url.removeprefix(settings.STATIC_URL)))


def _design_token(name: str) -> str:
    return re.search(rf"--{name}:\s*(#[0-9a-f]{{6}})", (ROOT / "static/css/site.css").read_text()).group(1)


@pytest.mark.django_db
def test_the_manifest_names_the_app_in_japanese_and_opens_the_whole_site_standalone(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "もったいない（中央区 不用品交換）"
    assert manifest["short_name"] == "もったいない" and len(manifest["short_name"]) <= 12
    assert manifest["lang"] == "ja"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/?source=pwa", "/", "standalone")
    assert manifest["theme_color"] == _design_token("color-primary") == "#00118f"
    assert manifest["background_color"] == _design_token("color-bg") == "#ffffff"


@pytest.mark.django_db
def test_english_pages_get_an_english_manifest(client):
    client.cookies["django_language"] = "en"
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["name"] == f"Mottainai ({settings.MUNICIPALITY_NAME_EN} item exchange)"
    assert manifest["short_name"] == "Mottainai" and manifest["lang"] == "en"


@pytest.mark.django_db
def test_every_icon_exists_at_its_declared_size_and_maskable_ones_keep_to_the_safe_zone(client):
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    assert sorted((icon["purpose"], icon["sizes"]) for icon in icons) == [
        ("any", "192x192"), ("any", "512x512"), ("maskable", "192x192"), ("maskable", "512x512")]
    for icon in icons:
        assert icon["type"] == "image/png"
        with Image.open(_static_file(icon["src"])) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"], icon
            if icon["purpose"] == "maskable":
                # Opaque to the edges, and nothing but the background outside the central circle
                # of 80 % (the part every launcher's mask keeps).
                pixels, size = image.convert("RGBA").load(), image.width
                background = pixels[0, 0]
                assert background[3] == 255
                outside = [(x, y) for x in range(size) for y in range(size) if (x - size / 2 + 0.5) ** 2 + (y - size / 2 + 0.5) ** 2 > (0.4 * size) ** 2]
                assert {pixels[x, y] for x, y in outside} == {background}, icon


@pytest.mark.django_db
def test_every_page_links_the_manifest_the_theme_colour_the_apple_icon_and_the_worker_script(client):
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest" crossorigin="use-credentials">' in page
    assert f'<meta name="theme-color" content="{_design_token("color-primary")}">' in page
    apple = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page).group(1)
    with Image.open(_static_file(apple)) as image:
        assert image.size == (180, 180) and image.mode == "RGB"  # iOS fills transparency with black
    assert '<script src="/static/js/pwa.js" data-worker="/sw.js" defer></script>' in page


@pytest.mark.django_db
def test_the_worker_is_served_from_the_root_never_from_a_cache_and_may_run_under_the_policy(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    # No worker-src: a worker's script falls back to script-src, which allows the site's own.
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and "worker-src" not in policy


def _precache(script: str) -> list[str]:
    return json.loads(re.search(r"^const PRECACHE = (.*);$", script, re.MULTILINE).group(1))


def _cache_name(script: str) -> str:
    return re.search(r'^const CACHE = "([^"]+)";$', script, re.MULTILINE).group(1)


@pytest.mark.django_db
def test_the_worker_keeps_the_stylesheet_the_scripts_the_icons_and_the_offline_page(client):
    script = client.get("/sw.js").content.decode()
    precache = _precache(script)
    assert {"/static/css/site.css", "/static/js/site.js", "/static/js/pwa.js", "/static/icons/icon-192.png", "/static/icons/badge-96.png"} <= set(precache)
    for url in precache:
        assert _static_file(url).is_file(), url
    assert 'const OFFLINE_URL = "/offline/";' in script
    with Image.open(_static_file("/static/icons/badge-96.png")) as badge:  # the system draws its shape only
        assert {colour[:3] for _count, colour in badge.convert("RGBA").getcolors(96 * 96) if colour[3]} == {(255, 255, 255)}


@pytest.mark.django_db
def test_the_cache_is_renewed_when_a_static_file_changes(client, settings, tmp_path):
    """In development the static names carry no hash, so a file's modification time counts."""
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    edited = tmp_path / "edited.css"
    edited.write_text("body { margin: 0; }")
    first = _cache_name(client.get("/sw.js").content.decode())
    assert _cache_name(client.get("/sw.js").content.decode()) == first
    os.utime(edited, (edited.stat().st_atime, edited.stat().st_mtime + 1))
    assert _cache_name(client.get("/sw.js").content.decode()) != first


@pytest.mark.django_db
def test_the_offline_page_says_so_in_japanese_with_a_way_to_try_again(client):
    page = client.get(reverse("offline")).content.decode()
    assert "<h1>オフラインです</h1>" in page and "接続を確認してから、もう一度お試しください。" in page
    assert '<a class="button" href="">もう一度読み込む</a>' in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("offline")).content.decode()
    assert "<h1>You are offline</h1>" in page and "Check your connection, then try again." in page
