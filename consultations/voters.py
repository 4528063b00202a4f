"""The keyed hash that keeps one answer per resident without storing who answered.

HMAC-SHA256 of (consultation id, account id) with CONSULTATION_VOTER_KEY, a key of its own
(config.env.signing_keys; never the board's pseudonym key nor the signing key). Without the key
the hash cannot be matched to an account; rotating the key would let every resident answer again,
so a ward sets it once (docs/CONSULTATIONS.md).
"""

import hashlib
import hmac

from django.conf import settings


def voter_key(*, consultation_id: int, user_id: int) -> str:
    message = f"consultation:{consultation_id}:account:{user_id}".encode()
    return hmac.new(settings.CONSULTATION_VOTER_KEY.encode(), message, hashlib.sha256).hexdigest()
