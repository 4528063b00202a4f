"""A browser's side of Web Push for tests: a subscription with real keys, pointing at a push-service
stand-in (tests/stand_in.py), that decrypts what the site sent to it as the browser would."""

import base64
import json
import os

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Browser:
    """A device's push subscription: its endpoint on the stand-in and the keys it decrypts with."""

    def __init__(self, stand_in_url: str, name: str = "phone") -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)
        public = self.private_key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        self.endpoint = f"{stand_in_url}/push/{name}"
        self.subscription = {"endpoint": self.endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth_secret)}}

    def decrypt(self, body: bytes) -> dict:
        """What the service worker gets: the push's JSON, decrypted with this device's keys (aes128gcm)."""
        plain = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        return json.loads(plain)
