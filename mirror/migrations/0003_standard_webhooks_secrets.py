"""Signing moves to Standard Webhooks, whose secret is "whsec_" and base64 of random bytes.

The old secrets were URL-safe text signed as is; receivers must change their verification code
anyway, so every endpoint gets a new secret (shown on its staff page) rather than a conversion of
the old one (docs/WEBHOOKS.md, "Moving from Mottainai-Signature")."""

import base64
import secrets

from django.db import migrations


def new_secrets(apps, schema_editor):
    WebhookEndpoint = apps.get_model("mirror", "WebhookEndpoint")
    for endpoint in WebhookEndpoint.objects.only("pk").iterator():
        secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=secret)


class Migration(migrations.Migration):

    dependencies = [
        ("mirror", "0002_webhookattempt_category"),
    ]

    operations = [
        migrations.RunPython(new_secrets, migrations.RunPython.noop),
    ]
