"""Only a public listing's photos are public (issue 16): the photo URLs the page and the API
published stop answering when the listing leaves public view, for everyone but its poster and
staff, and answer again when it comes back. On local storage and on S3 (moto's server over real
HTTP, a private bucket)."""

import re
import socket
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.core.files.storage import storages
from django.test import Client
from django.urls import get_resolver
from django.views import static
from moto.server import ThreadedMotoServer

from listings.lifecycle import Action
from listings.models import Listing
from listings.services import listing_transition
from tests.authorization.matrix import url_patterns
from tests.factories import make_listing

pytestmark = pytest.mark.django_db

# A way out of public view, and the way back (None: it stays out, for everyone but the poster and staff).
AWAY_AND_BACK = [
    pytest.param(Action.HIDE, Action.UNHIDE, id="hidden-by-staff"),
    pytest.param(Action.RESUBMIT, Action.APPROVE, id="back-in-review"),
    pytest.param(Action.WITHDRAW, None, id="withdrawn"),
    pytest.param(Action.EXPIRE, None, id="expired"),
    pytest.param(Action.HAND_OVER, None, id="handed-over"),
    pytest.param(Action.REJECT, None, id="rejected"),
]


@pytest.fixture
def local_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "photos"}},
    }
    return tmp_path / "photos"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server in a thread, answering real HTTP (the links a browser follows)."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server):
    """A private bucket, configured as config/settings.py does with S3_BUCKET."""
    requests.post(f"{s3_server}/moto-api/reset", timeout=10)  # moto keeps buckets per process
    keys = {"region_name": "ap-northeast-1", "aws_access_key_id": "test", "aws_secret_access_key": "test-secret"}
    boto3.client("s3", endpoint_url=s3_server, **keys).create_bucket(
        Bucket="mottainai-photos", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "mottainai-photos", "endpoint_url": s3_server, "region_name": "ap-northeast-1",
                "access_key": "test", "secret_key": "test-secret",
                "querystring_auth": True, "signature_version": "s3v4", "file_overwrite": False, "default_acl": None,
            },
        },
    }
    return s3_server


def _published_photo_urls(listing: Listing) -> list[str]:
    """The photo URLs the public API gives for the listing, as site paths."""
    item = Client().get(f"/api/v1/listings/{listing.pk}").json()
    urls = [url for photo in item["photos"] for url in (photo["url"], photo["thumbnail_url"])]
    assert len(urls) == 2 * listing.photo_count > 0
    return [urlsplit(url).path for url in urls]


def _stored_bytes(path: str) -> bytes:
    with storages["default"].open(path.removeprefix("/media/")) as file:
        return file.read()


def _leave_public_view(listing: Listing, action: Action, *, owner, staff) -> None:
    if action == Action.HAND_OVER:  # the poster's own button on my listings
        client = Client()
        client.force_login(owner)
        assert client.post(f"/listings/{listing.pk}/hand_over/", {"confirm": "1"}).status_code == 302
    else:
        actor = None if action == Action.EXPIRE else owner if action in (Action.WITHDRAW, Action.RESUBMIT) else staff
        listing_transition(listing=listing, action=action, actor=actor)
    listing.refresh_from_db()
    assert not listing.is_public


def _fetch_local(client: Client, path: str):
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


# --- Local storage -----------------------------------------------------------------------------


def test_a_public_listings_photos_are_served_to_everyone_and_may_be_cached_briefly(local_storage, alice, client, settings):
    listing = make_listing(alice, photos=2)
    for path in _published_photo_urls(listing):
        response, body = _fetch_local(client, path)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert body == _stored_bytes(path)
        assert response["Cache-Control"] == f"public, max-age={settings.LISTING_PHOTO_MAX_AGE}"


@pytest.mark.parametrize("away,back", AWAY_AND_BACK)
def test_photos_stop_at_the_published_url_when_the_listing_leaves_public_view(
    local_storage, alice, bob_client, staff, staff_client, alice_client, client, away, back
):
    listing = make_listing(alice, photos=1)
    urls = _published_photo_urls(listing)
    assert all(_fetch_local(client, url)[0].status_code == 200 for url in urls)

    _leave_public_view(listing, away, owner=alice, staff=staff)
    for url in urls:
        for outsider in (client, bob_client):
            refused, _ = _fetch_local(outsider, url)
            assert refused.status_code == 404
            assert "no-store" in refused["Cache-Control"]  # no cache keeps the refusal once it is back
        for insider in (alice_client, staff_client):  # the poster and staff still see it
            response, body = _fetch_local(insider, url)
            assert response.status_code == 200 and body == _stored_bytes(url)
            assert response["Cache-Control"] == "private, no-cache" and "Cookie" in response["Vary"]

    if back is not None:
        listing_transition(listing=listing, action=back, actor=staff)
        assert all(_fetch_local(client, url)[0].status_code == 200 for url in urls)


def test_the_poster_and_staff_see_the_photos_on_their_pages(local_storage, alice, alice_client, staff_client):
    listing = make_listing(alice, photos=1, publish=False)
    listing_transition(listing=listing, action=Action.SUBMIT_FOR_REVIEW, actor=alice)  # waits in the staff queue
    thumb, display = listing.photos.get().thumbnail.url, listing.photos.get().image.url

    pages = [
        (alice_client, "/listings/mine/", thumb),
        (alice_client, f"/listings/{listing.pk}/", display),
        (staff_client, "/staff/listings/", thumb),
        (staff_client, f"/listings/{listing.pk}/", display),
    ]
    for viewer, page, photo in pages:
        html = viewer.get(page).content.decode()
        assert f'src="{photo}"' in html, page
        assert _fetch_local(viewer, photo)[0].status_code == 200
    assert _fetch_local(Client(), thumb)[0].status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/media/listings/display/ab/no-such-photo.jpg", "/media/listings/thumb/../../config/settings.py", "/media/listings/", "/media/x.jpg"],
)
def test_anything_that_is_not_a_stored_photo_is_not_found(local_storage, alice, client, path):
    make_listing(alice, photos=1)
    assert client.get(path).status_code == 404


def test_nothing_serves_the_media_folder_as_plain_files():
    """Development included: django.conf.urls.static would serve hidden listings' photos."""
    assert [route for _name, route, view in url_patterns(get_resolver()) if view is static.serve] == []


# --- S3 (a private bucket) ------------------------------------------------------------------------


def _fetch_s3(client: Client, path: str):
    """Follow the site's redirect to the bucket over real HTTP; (site response, bucket response or None)."""
    response = client.get(path)
    if response.status_code != 302:
        return response, None
    return response, requests.get(response["Location"], timeout=10)


def test_on_s3_the_bucket_is_private_and_the_site_hands_out_short_signed_links(s3_storage, alice, client, settings):
    listing = make_listing(alice, photos=1)
    for path in _published_photo_urls(listing):
        response, stored = _fetch_s3(client, path)
        assert response.status_code == 302
        assert stored.status_code == 200 and stored.content == _stored_bytes(path)
        assert stored.headers["Cache-Control"] == f"private, max-age={settings.LISTING_PHOTO_MAX_AGE}"
        link = urlsplit(response["Location"])
        assert parse_qs(link.query)["X-Amz-Expires"] == [str(settings.LISTING_PHOTO_MAX_AGE)]
        assert response["Cache-Control"] == f"public, max-age={settings.LISTING_PHOTO_MAX_AGE // 2}"
        # The object itself, without a signature: the bucket lets nobody read it.
        assert requests.get(f"{link.scheme}://{link.netloc}{link.path}", timeout=10).status_code == 403


@pytest.mark.parametrize("away,back", AWAY_AND_BACK)
def test_on_s3_photos_stop_at_the_published_url_when_the_listing_leaves_public_view(
    s3_storage, alice, bob_client, staff, staff_client, alice_client, client, away, back
):
    listing = make_listing(alice, photos=1)
    urls = _published_photo_urls(listing)
    assert all(_fetch_s3(client, url)[1].status_code == 200 for url in urls)

    _leave_public_view(listing, away, owner=alice, staff=staff)
    for url in urls:
        for outsider in (client, bob_client):
            assert _fetch_s3(outsider, url)[0].status_code == 404
        for insider in (alice_client, staff_client):
            response, stored = _fetch_s3(insider, url)
            assert response["Cache-Control"] == "private, no-cache"
            assert stored.status_code == 200 and stored.content == _stored_bytes(url)

    if back is not None:
        listing_transition(listing=listing, action=back, actor=staff)
        assert all(_fetch_s3(client, url)[1].status_code == 200 for url in urls)


def test_on_s3_the_pages_show_photos_through_the_site_never_the_bucket(s3_storage, alice, client):
    listing = make_listing(alice, photos=1)
    html = client.get(f"/listings/{listing.pk}/").content.decode()
    sources = re.findall(r'<img[^>]* src="([^"]+)"', html)
    assert sources and all(source.startswith("/media/listings/") for source in sources)
    assert s3_storage not in html


def _settings_with(**env) -> "subprocess.CompletedProcess":
    import os
    import subprocess
    import sys

    from django.conf import settings

    code = "from config import settings as s; print(s.STORAGES['default'].get('OPTIONS', {}).get('querystring_auth'))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )


def test_with_s3_photo_links_are_always_signed_and_the_old_public_bucket_settings_are_refused():
    assert _settings_with(S3_BUCKET="mottainai-photos").stdout.strip() == "True"
    for env in ({"S3_CUSTOM_DOMAIN": "cdn.example.jp"}, {"S3_QUERYSTRING_AUTH": "0"}):
        refused = _settings_with(S3_BUCKET="mottainai-photos", **env)
        assert refused.returncode != 0 and "the photo bucket is private" in refused.stderr
