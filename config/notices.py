"""Settings of the notices residents get besides email (docs/NOTIFICATIONS.md): Web Push keys,
quiet hours and the daily cap on saved-search alerts. Read here rather than in settings.py so that
the settings module stays short; settings exposes the dict as NOTICES.

The VAPID key pair identifies the site to the browsers' push services. WEB_PUSH_VAPID_PRIVATE_KEY
(or _FILE) holds it as PEM; unset, one is generated under var/ on first use, like the development
secret key, so that push works on a development site without any set-up. Changing the key
invalidates every subscription (browsers subscribed with the old public key).
"""

import base64
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from config.env import env_int, env_list, env_secret, env_str, env_time

# The push services of the browsers in use (suffixes of the endpoint's host): a subscription's
# endpoint is an address a resident's browser gives us, so the site posts only to these.
WEB_PUSH_HOSTS = [
    "fcm.googleapis.com",  # Chrome, Edge on Android, Samsung Internet
    "push.services.mozilla.com",  # Firefox
    "push.apple.com",  # Safari (macOS, iOS 16.4+ home-screen apps)
    "notify.windows.com",  # Edge on Windows
]


def _vapid_private_pem(development_key_path: Path) -> bytes:
    configured = env_secret("WEB_PUSH_VAPID_PRIVATE_KEY")
    if configured:
        return configured.encode()
    if development_key_path.exists():
        return development_key_path.read_bytes()
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    development_key_path.parent.mkdir(parents=True, exist_ok=True)
    development_key_path.write_bytes(pem)
    development_key_path.chmod(0o600)
    return pem


def _public_key_b64(private_pem: bytes) -> str:
    """The public key as browsers take it (applicationServerKey): the uncompressed point, base64url."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    raw = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def notice_settings(development_key_path: Path) -> dict:
    private_pem = _vapid_private_pem(development_key_path)
    return {
        "VAPID_PRIVATE_KEY": private_pem.decode(),
        "VAPID_PUBLIC_KEY": _public_key_b64(private_pem),
        # Push services show this contact to whoever runs them (a mailto: or https: URL).
        "VAPID_SUBJECT": env_str("WEB_PUSH_CONTACT", "mailto:webmaster@localhost"),
        "PUSH_HOSTS": env_list("WEB_PUSH_HOSTS", WEB_PUSH_HOSTS),
        # How long a push service keeps a push for a phone that is off (Mastodon uses 48 h).
        "PUSH_TTL_SECONDS": env_int("WEB_PUSH_TTL_SECONDS", 48 * 3600, minimum=0),
        "PUSH_ATTEMPTS": env_int("WEB_PUSH_ATTEMPTS", 5, minimum=1),
        # A new message is pushed only when it is still unread on screen after this many seconds.
        "MESSAGE_DELAY_SECONDS": env_int("NOTICES_MESSAGE_DELAY_SECONDS", 60, minimum=0),
        # Defaults of every resident's notification settings (they change their own).
        "QUIET_START": env_time("NOTICES_QUIET_START", "22:00"),
        "QUIET_END": env_time("NOTICES_QUIET_END", "07:00"),
        "ALERTS_DAILY_CAP": env_int("NOTICES_ALERTS_DAILY_CAP", 5, minimum=1, maximum=100),
        # LINE serves message content (photos residents send) from its own host; the tests and the
        # development simulator point both API URLs at a stand-in.
        "LINE_DATA_API_URL": env_str("LINE_MESSAGING_DATA_API_URL", "https://api-data.line.me").rstrip("/"),
    }
