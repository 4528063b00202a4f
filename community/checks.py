"""`manage.py check --deploy`: the board's pseudonym key should be set apart from the signing keys."""

import os

from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def board_pseudonym_key_set(app_configs, **kwargs) -> list[Warning]:
    if os.environ.get("BOARD_PSEUDONYM_KEY") or os.environ.get("BOARD_PSEUDONYM_KEY_FILE"):
        return []
    return [Warning(
        "BOARD_PSEUDONYM_KEY is not set: board pseudonyms use the oldest signing key, and dropping it "
        "from DJANGO_SECRET_KEY_FALLBACKS would give residents new IDs.",
        hint="Set BOARD_PSEUDONYM_KEY to the value of that key (docs/DEPLOY.md, Rotating the secret key).",
        id="community.W001",
    )]
