"""Webhooks cannot reach inside (issue 16): an endpoint URL that leads into a private network, has
a user name in it or uses another port is refused when staff save it, and again when a delivery
connects, to the address that was checked; the log keeps a category, never the raw error."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mirror import webhooks
from mirror.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.factories import make_listing
from tests.stand_in import refusing_url

pytestmark = pytest.mark.django_db

Category = WebhookAttempt.Category
PUBLIC = "93.184.215.14"  # a public address; no test connects to it

INSIDE = [
    "http://127.0.0.1/",
    "http://127.1.2.3/hooks",
    "http://localhost/hooks",  # a name that resolves to loopback
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # the cloud metadata service
    "http://100.64.0.1/",  # CGNAT
    "http://224.0.0.1/",  # multicast
    "http://0.0.0.0/",
    "http://240.0.0.1/",  # reserved
    "http://[::1]/",
    "http://[::]/",
    "http://[fe80::1]/",
    "http://[fd12:3456::1]/",  # unique local
    "http://[ff02::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:169.254.169.254]/",
    "http://[2002:a00:1::1]/",  # 6to4 around 10.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 around 169.254.169.254
]


def _refusal(url: str) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        webhooks.webhook_endpoint_create(url=url)
    assert not WebhookEndpoint.objects.exists()
    return refused.value


def _codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_dict["url"]]


# --- When staff save an endpoint -----------------------------------------------------------------


@pytest.mark.parametrize("url", INSIDE)
def test_an_endpoint_that_leads_inside_is_refused(url):
    assert _codes(_refusal(url)) == ["blocked"]


def test_a_name_is_refused_when_any_of_its_addresses_is_inside(dns):
    dns["hooks.ward.test"] = [[PUBLIC, "10.0.0.5"]]
    assert _codes(_refusal("https://hooks.ward.test/mottainai")) == ["blocked"]


def test_public_addresses_and_names_are_accepted(dns):
    dns["hooks.ward.test"] = [[PUBLIC, "2606:4700::6810:84e5"]]

    webhooks.webhook_endpoint_create(url="https://hooks.ward.test/mottainai")
    webhooks.webhook_endpoint_create(url=f"http://{PUBLIC}/hooks")
    webhooks.webhook_endpoint_create(url="https://[::ffff:93.184.215.14]/hooks")  # mapped, but public

    assert WebhookEndpoint.objects.count() == 3


def test_a_name_that_does_not_resolve_yet_is_accepted_and_checked_at_delivery(dns):
    dns["new.ward.test"] = [[]]
    webhooks.webhook_endpoint_create(url="https://new.ward.test/hooks")
    assert WebhookEndpoint.objects.count() == 1


@pytest.mark.parametrize("url", ["http://user:pw@127.0.0.1/", f"https://user:pw@{PUBLIC}/hooks", f"https://token@{PUBLIC}/"])
def test_a_user_name_or_password_in_the_url_is_refused(settings, url):
    settings.MIRROR_WEBHOOK_ALLOW_PRIVATE = True  # refused for the user name, not the address
    assert _codes(_refusal(url)) == ["userinfo"]


@pytest.mark.parametrize("url", ["http://[::1]:5432/", f"https://{PUBLIC}:8443/hooks", f"http://{PUBLIC}:22/"])
def test_a_port_other_than_80_and_443_is_refused(url):
    assert _codes(_refusal(url)) == ["port"]


def test_a_port_the_setting_lists_is_accepted(settings):
    settings.MIRROR_WEBHOOK_PORTS = [443, 8443]

    webhooks.webhook_endpoint_create(url=f"https://{PUBLIC}:8443/hooks")
    with pytest.raises(ValidationError) as refused:
        webhooks.webhook_endpoint_create(url=f"http://{PUBLIC}/hooks")  # 80 is no longer listed

    assert _codes(refused.value) == ["port"]
    assert WebhookEndpoint.objects.count() == 1


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://127.0.0.1/", "http://localhost/", "http://[fd00::1]/", "http://100.64.0.1/"])
def test_the_setting_allows_private_addresses(settings, url):
    settings.MIRROR_WEBHOOK_ALLOW_PRIVATE = True
    webhooks.webhook_endpoint_create(url=url)
    assert WebhookEndpoint.objects.count() == 1


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/", "http://[fe80::1]/", "http://224.0.0.1/", "http://0.0.0.0/", "http://[::ffff:169.254.169.254]/"]
)
def test_link_local_multicast_and_unspecified_stay_refused_with_private_addresses_allowed(settings, url):
    settings.MIRROR_WEBHOOK_ALLOW_PRIVATE = True
    assert _codes(_refusal(url)) == ["blocked"]


def test_changing_an_endpoint_to_an_address_inside_is_refused_and_keeps_the_old_one():
    endpoint = webhooks.webhook_endpoint_create(url=f"https://{PUBLIC}/hooks")

    with pytest.raises(ValidationError):
        webhooks.webhook_endpoint_update(
            endpoint=endpoint, url="http://169.254.169.254/", description="", events=[], is_active=True
        )

    endpoint.refresh_from_db()
    assert endpoint.url == f"https://{PUBLIC}/hooks"


@pytest.mark.parametrize(
    "url,message",
    [
        ("http://169.254.169.254/latest/meta-data/", "このアドレスは内部ネットワーク"),
        ("http://localhost/", "このアドレスは内部ネットワーク"),
        ("http://user:pw@www.city.example.jp/hooks", "アドレスからユーザー名とパスワードを削除してください"),
        ("http://[::1]:5432/", "このポートは使えません。Webhook はポート 80, 443 にだけ送ります。"),
    ],
)
def test_staff_see_in_japanese_why_the_address_is_refused(staff_client, url, message):
    response = staff_client.post(reverse("mirror_staff:endpoint_create"), {"url": url, "description": "区CMS", "is_active": "on"})

    assert response.status_code == 200
    assert message in response.text
    assert f'value="{url}"' in response.text  # what they typed is still there to correct
    assert not WebhookEndpoint.objects.exists()


# --- When a delivery connects -------------------------------------------------------------------


def _the_one_attempt() -> WebhookAttempt:
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    return delivery.attempt_log.get()


def test_an_endpoint_whose_name_now_points_inside_is_refused_at_delivery(settings, staff_client, alice, receiver, dns, deliver):
    settings.MIRROR_WEBHOOK_ALLOW_PRIVATE = False
    dns["hooks.ward.test"] = [[PUBLIC], ["127.0.0.1"]]  # public when saved, loopback afterwards
    endpoint = webhooks.webhook_endpoint_create(url=f"http://hooks.ward.test:{receiver.port}/hooks/mottainai")

    with deliver():
        make_listing(alice)

    assert receiver.received == []
    attempt = _the_one_attempt()
    assert (attempt.status_code, attempt.category) == (None, Category.BLOCKED)
    page = staff_client.get(reverse("mirror_staff:delivery_list", args=[endpoint.pk])).text
    assert "送信が許可されていないアドレスです" in page
    assert "127.0.0.1" not in page


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::ffff:127.0.0.1]/"])
def test_an_endpoint_saved_before_these_rules_is_refused_at_delivery(alice, url, deliver):
    WebhookEndpoint.objects.create(url=url)  # as an old row: never checked when it was saved

    with deliver():
        make_listing(alice)

    assert _the_one_attempt().category == Category.BLOCKED


def test_an_address_inside_is_refused_before_connecting_so_nothing_can_be_scanned(settings, receiver, alice, deliver):
    WebhookEndpoint.objects.create(url=f"http://127.0.0.1:{receiver.port}/hooks/mottainai")
    settings.MIRROR_WEBHOOK_ALLOW_PRIVATE = False

    with deliver():
        make_listing(alice)

    assert receiver.received == []
    assert _the_one_attempt().category == Category.BLOCKED


def test_a_delivery_connects_to_the_address_it_checked_and_keeps_the_host_name(alice, receiver, dns, deliver):
    # Loopback (allowed here) for the save and for the delivery's one lookup; a second lookup
    # would get the metadata address, as a rebinding DNS would answer.
    dns["hooks.ward.test"] = [["127.0.0.1"], ["127.0.0.1"], ["169.254.169.254"]]
    endpoint = webhooks.webhook_endpoint_create(url=f"http://hooks.ward.test:{receiver.port}/hooks/mottainai")

    with deliver():
        make_listing(alice)

    [request] = receiver.received
    assert request.headers["Host"] == f"hooks.ward.test:{receiver.port}"
    assert dns.lookups["hooks.ward.test"] == 2  # once when saved, once for the delivery
    assert WebhookDelivery.objects.get(endpoint=endpoint).status == WebhookDelivery.Status.SUCCEEDED


def test_a_name_that_no_longer_resolves_is_logged_as_such(alice, receiver, dns, deliver):
    dns["gone.ward.test"] = [["127.0.0.1"], []]
    webhooks.webhook_endpoint_create(url=f"http://gone.ward.test:{receiver.port}/hooks/mottainai")

    with deliver():
        make_listing(alice)

    assert _the_one_attempt().category == Category.DNS


def test_a_tls_failure_is_logged_as_such(alice, receiver, deliver):
    webhooks.webhook_endpoint_create(url=f"https://127.0.0.1:{receiver.port}/hooks/mottainai")  # it speaks plain HTTP

    with deliver():
        make_listing(alice)

    assert _the_one_attempt().category == Category.TLS


def test_the_log_shows_a_category_in_japanese_never_the_error_text(settings, staff_client, alice, receiver, deliver):
    receiver.script = [302, 503]
    endpoint = webhooks.webhook_endpoint_create(url=receiver.url)
    with deliver():
        make_listing(alice)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    webhooks.webhook_delivery_attempt(delivery_id=delivery.pk)
    closed = refusing_url()  # the third attempt finds nothing listening
    settings.MIRROR_WEBHOOK_PORTS = [*settings.MIRROR_WEBHOOK_PORTS, int(closed.rsplit(":", 1)[1])]
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=closed + "/hooks/mottainai")
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    webhooks.webhook_delivery_attempt(delivery_id=delivery.pk)

    attempts = list(delivery.attempt_log.order_by("started_at", "pk"))
    assert [(a.status_code, a.category) for a in attempts] == [
        (302, Category.REDIRECT),
        (503, Category.HTTP_STATUS),
        (None, Category.REFUSED),
    ]
    page = staff_client.get(reverse("mirror_staff:delivery_list", args=[endpoint.pk])).text
    assert "HTTP 302 リダイレクト（転送先には送りません）" in page
    assert "HTTP 503 エラーの応答" in page
    assert "接続を拒否されたか、途中で切断されました" in page
    for raw in ("Connection refused", "Errno", "Max retries", "NewConnectionError"):
        assert raw not in page


def test_the_warning_when_a_delivery_is_given_up_names_the_category_not_the_error(settings, caplog, alice, deliver):
    settings.MIRROR_WEBHOOK_RETRY_HOURS = 0  # the first failure is the last
    endpoint = WebhookEndpoint.objects.create(url="http://169.254.169.254/latest/meta-data/")

    with deliver():
        make_listing(alice)

    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.GAVE_UP
    [record] = [r for r in caplog.records if r.name == "mirror.webhooks"]
    assert record.getMessage() == "Webhook delivery given up"
    assert (record.endpoint_id, record.category) == (endpoint.pk, "blocked")
    assert "169.254" not in caplog.text
