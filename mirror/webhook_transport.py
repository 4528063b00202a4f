"""How a webhook leaves: which URLs and addresses it may go to, and the one HTTP request.

A webhook must never become a way to reach inside the ward's network (a cloud metadata address,
a database port on localhost). Two checks use the same rules:

- when staff save an endpoint, `webhook_url_check` refuses what is plainly not allowed (a user
  name in the URL, a port not listed, a host whose addresses are private);
- when a delivery connects, the pinned connection resolves the host once, refuses it unless
  every address is allowed, and connects to one of exactly those addresses. The Host header and
  the TLS name (SNI and the certificate check) stay the URL's host name, so a name that points
  elsewhere by the time of sending (DNS rebinding) cannot slip between check and connect.

An attempt's outcome is kept as a category (`WebhookAttempt.Category`), never as the raw error
text: "connection refused" against an address would turn the delivery log into a port scanner.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection

from mirror.models import WebhookAttempt

Category = WebhookAttempt.Category
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"http": 80, "https": 443}
# What MIRROR_WEBHOOK_ALLOW_PRIVATE opens (the tests' receiver on 127.0.0.1, an intranet
# receiver). Link-local addresses (the cloud metadata service at 169.254.169.254), multicast,
# unspecified and reserved addresses stay closed even then.
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "::1/128", "fc00::/7")
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")

NOT_HTTP = _("Only http:// and https:// addresses can receive webhooks.")
USERINFO = _("Remove the user name and password from the address: webhooks do not send them.")
PORT = _("This port is not allowed. Webhooks go only to ports %(ports)s.")
BLOCKED = _(
    "This address leads into a private or internal network. Webhooks go only to addresses on the public internet."
)


class DeliveryRefused(Exception):
    """Nothing was sent: the host did not resolve ("dns") or an address is not allowed ("blocked")."""

    def __init__(self, category: str) -> None:
        super().__init__(category)
        self.category = category


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address leads to (IPv4-mapped, 6to4, NAT64), or None."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_allowed(address: IPAddress) -> bool:
    """Whether a webhook may connect to `address`: public unicast only, and the private networks
    as well when MIRROR_WEBHOOK_ALLOW_PRIVATE is on."""
    if isinstance(address, ipaddress.IPv6Address):
        address = _embedded_ipv4(address) or address  # judged by where it really leads
    if settings.MIRROR_WEBHOOK_ALLOW_PRIVATE and any(address in network for network in PRIVATE_NETWORKS):
        return True
    closed = (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or getattr(address, "is_site_local", False)
    )
    # is_global is False for the rest that is not the internet, such as CGNAT (100.64.0.0/10).
    return address.is_global and not closed


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an IP literal is itself); socket.gaierror when none."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


def allowed_ports() -> list[int]:
    """The ports webhooks may go to: 80 and 443 unless MIRROR_WEBHOOK_PORTS lists others."""
    return list(settings.MIRROR_WEBHOOK_PORTS)


def _host_and_port(url: str) -> tuple[str, int]:
    """The URL's host and port; ValidationError (with the sentence for staff) when not allowed."""
    try:
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        raise ValidationError({"url": ValidationError(NOT_HTTP, code="not_http")}) from None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        raise ValidationError({"url": ValidationError(NOT_HTTP, code="not_http")})
    if "@" in parts.netloc:
        raise ValidationError({"url": ValidationError(USERINFO, code="userinfo")})
    ports = allowed_ports()
    if port not in ports:
        listed = ", ".join(str(number) for number in ports)
        raise ValidationError({"url": ValidationError(PORT, code="port", params={"ports": listed})})
    return parts.hostname, port


def webhook_url_check(url: str) -> None:
    """Refuse (ValidationError on "url") an endpoint URL that webhooks may not go to.

    A host that does not resolve now is accepted: the receiver may not be online yet, and every
    delivery checks again (its log then says "host name not found")."""
    host, port = _host_and_port(url)
    try:
        addresses = resolve(host, port)
    except (socket.gaierror, UnicodeError):
        return
    if not all(address_allowed(address) for address in addresses):
        raise ValidationError({"url": ValidationError(BLOCKED, code="blocked")})


def vetted_addresses(host: str, port: int) -> list[str]:
    """The addresses to connect to for `host`; DeliveryRefused unless it resolves and every
    address is allowed (one bad address out of several is enough to refuse)."""
    try:
        addresses = resolve(host.strip("[]"), port)
    except (socket.gaierror, UnicodeError):
        raise DeliveryRefused(Category.DNS) from None
    if not addresses or not all(address_allowed(address) for address in addresses):
        raise DeliveryRefused(Category.BLOCKED)
    return [str(address) for address in addresses]


class _PinnedConnection:
    """Connects to an address vetted at this moment, not to whatever the name resolves to later."""

    def _new_conn(self) -> socket.socket:
        error: Exception | None = None
        for address in vetted_addresses(self.host, self.port):
            try:
                return connection.create_connection(
                    (address, self.port), self.timeout, source_address=self.source_address, socket_options=self.socket_options
                )
            except TimeoutError as exc:
                error = ConnectTimeoutError(self, "Connection timed out.")
                error.__cause__ = exc
            except OSError as exc:
                error = NewConnectionError(self, "Failed to establish a new connection.")
                error.__cause__ = exc
        raise error


class _PinnedHTTPConnection(_PinnedConnection, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedConnection, HTTPSConnection):
    pass


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


class PinnedAdapter(HTTPAdapter):
    """A requests transport whose connections go only to vetted addresses."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PinnedHTTPPool, "https": _PinnedHTTPSPool}


def webhook_post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, str]:
    """POST once, following no redirect; returns (status code or None, failure category, "" on 2xx)."""
    try:
        _host_and_port(url)
    except ValidationError:
        return None, Category.BLOCKED  # saved before the rules (or the allowed ports) changed
    try:
        with requests.Session() as session:
            session.trust_env = False  # no proxy from the environment: we connect where we checked
            adapter = PinnedAdapter(max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            # stream=True: the status line is all we need; a huge response body is never read.
            with session.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False, stream=True) as response:
                status_code = response.status_code
    except DeliveryRefused as refused:
        return None, refused.category
    except requests.Timeout:
        return None, Category.TIMEOUT
    except requests.exceptions.SSLError:
        return None, Category.TLS
    except requests.RequestException:
        return None, Category.REFUSED  # refused, reset, or cut off before an answer
    if 200 <= status_code < 300:
        return status_code, ""
    if 300 <= status_code < 400:
        return status_code, Category.REDIRECT
    return status_code, Category.HTTP_STATUS
