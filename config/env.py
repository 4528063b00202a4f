"""Small strict readers for environment variables; nonsense raises ImproperlyConfigured."""

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


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return an integer, refusing values below `minimum`."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


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


def signing_keys(development_key_path: Path) -> tuple[str, list[str], str]:
    """SECRET_KEY, SECRET_KEY_FALLBACKS and BOARD_PSEUDONYM_KEY (docs/DEPLOY.md, Rotating the secret key).

    The pseudonym key defaults to the oldest signing key: the last fallback, else the secret key
    itself, used exactly as before it existed. Rotating by moving the old key to the end of
    DJANGO_SECRET_KEY_FALLBACKS keeps every board pseudonym; BOARD_PSEUDONYM_KEY set explicitly
    frees the board from the signing keys altogether.
    """
    secret_key = env_secret("DJANGO_SECRET_KEY") or development_secret_key(development_key_path)
    fallbacks = env_secret_list("DJANGO_SECRET_KEY_FALLBACKS")
    return secret_key, fallbacks, env_secret("BOARD_PSEUDONYM_KEY") or [secret_key, *fallbacks][-1]


def development_secret_key(path: Path) -> str:
    """Return a secret key stored under var/, creating it on first use (embedded default only)."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
