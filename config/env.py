"""Small strict readers for environment variables; nonsense raises ImproperlyConfigured."""

import ipaddress
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """Return the variable, or `default` when unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean from 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None, unit: str = "") -> int:
    """Return an integer, refusing values below `minimum` or above `maximum` (`unit`, e.g. "an
    hour", names what the value is in the error)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None
    if unit and not (minimum <= value <= maximum):
        raise ImproperlyConfigured(f"{name} must be {unit} from {minimum} to {maximum}, not {value}")
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {value}")
    return value


def env_ports(name: str, default: list[str]) -> list[int]:
    """A comma-separated list of TCP port numbers."""
    ports = env_list(name, default)
    if not all(port.isdigit() and 0 < int(port) < 65536 for port in ports):
        raise ImproperlyConfigured(f"{name} must be port numbers such as 80,443, not {ports}")
    return [int(port) for port in ports]


def env_float(name: str, default: float, *, minimum: float = 0.0, maximum: float = 1.0) -> float:
    """Return a number between `minimum` and `maximum` (a rate such as 0.1)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be from {minimum} to {maximum}, not {value}")
    return value


def env_admins(name: str) -> list[str]:
    """Return Django's ADMINS (a list of address strings) from "Name <a@example.jp>, b@example.jp"."""
    admins = env_list(name, [])
    for item in admins:
        address = item.rpartition("<")[2].rstrip(">") if item.endswith(">") else item
        if address.count("@") != 1 or any(char.isspace() for char in address):
            raise ImproperlyConfigured(f"{name} must list email addresses (\"Name <a@example.jp>, ...\"), not {item!r}")
    return admins


def env_networks(name: str) -> list[str]:
    """Return a comma-separated list of IP addresses or networks ("10.0.5.9, 192.168.10.0/24")."""
    networks = env_list(name, [])
    for item in networks:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must list IP addresses or networks, not {item!r}") from None
    return networks


def env_time(name: str, default: str) -> tuple[int, int]:
    """Return (hour, minute) from HH:MM, a time of day on the 24-hour clock."""
    raw = os.environ.get(name, "").strip() or default
    hour, _, minute = raw.partition(":")
    if hour.isdigit() and minute.isdigit() and len(minute) == 2 and int(hour) < 24 and int(minute) < 60:
        return int(hour), int(minute)
    raise ImproperlyConfigured(f"{name} must be a time of day such as 03:30, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list, stripped, without empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str) -> str:
    """Return a secret from `NAME_FILE` (a path, as Docker secrets use) or `NAME`, or ""."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at an unreadable file: {exc}") from None
    return os.environ.get(name, "")


def env_secret_list(name: str) -> list[str]:
    """Return a comma-separated list of secrets from `NAME_FILE` or `NAME` (commas or lines in a file)."""
    raw = env_secret(name).replace("\n", ",")
    return [item.strip() for item in raw.split(",") if item.strip()]


def signing_keys(development_key_path: Path) -> tuple[str, list[str], str, str]:
    """SECRET_KEY, SECRET_KEY_FALLBACKS, BOARD_PSEUDONYM_KEY (docs/DEPLOY.md, Rotating the secret
    key) and CONSULTATION_VOTER_KEY (docs/CONSULTATIONS.md).

    The pseudonym key defaults to the oldest signing key: the last fallback, else the secret key
    itself, used exactly as before it existed. Rotating by moving the old key to the end of
    DJANGO_SECRET_KEY_FALLBACKS keeps every board pseudonym; BOARD_PSEUDONYM_KEY set explicitly
    frees the board from the signing keys altogether.
    """
    secret_key = env_secret("DJANGO_SECRET_KEY") or development_secret_key(development_key_path)
    fallbacks = env_secret_list("DJANGO_SECRET_KEY_FALLBACKS")
    # The consultations' key of their own: unset, one is kept under var/ beside the development
    # secret key (a ward sets it once; a new key would let every resident answer again).
    voter_key = env_secret("CONSULTATION_VOTER_KEY") or development_secret_key(development_key_path.with_name("consultation_voter_key"))
    return secret_key, fallbacks, env_secret("BOARD_PSEUDONYM_KEY") or [secret_key, *fallbacks][-1], voter_key


def development_secret_key(path: Path) -> str:
    """Return a secret key stored under var/, creating it on first use (embedded default only)."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def site_url(debug: bool) -> str:
    """SITE_URL without its trailing slash; unset on a development site (DEBUG), the address bin/dev
    serves, which takes PORT as runserver does: a port ("8101") or an address and port
    ("0.0.0.0:8101"), 127.0.0.1:8000 when unset."""
    url = os.environ.get("SITE_URL", "").strip()
    if not url:
        address = (os.environ.get("PORT", "").strip() if debug else "") or "127.0.0.1:8000"
        url = f"http://{address if ':' in address else f'127.0.0.1:{address}'}"
    return url.rstrip("/")
