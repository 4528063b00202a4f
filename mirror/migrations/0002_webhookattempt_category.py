"""The delivery log keeps a failure category instead of the raw error text.

Old rows get the category their text or status code points to; the text itself is dropped, since
errors such as "Connection refused" against an address are what the categories replace."""

from django.db import migrations, models

CATEGORIES = [
    ("timeout", "No answer in time"),
    ("refused", "Connection refused or cut off"),
    ("dns", "Host name not found"),
    ("blocked", "Address not allowed"),
    ("tls", "TLS (encryption) error"),
    ("redirect", "Redirect (not followed)"),
    ("http_status", "Error status"),
    ("inactive", "Endpoint turned off"),
]


def category_for(status_code, error: str) -> str:
    if status_code is not None:
        if 200 <= status_code < 300:
            return ""
        return "redirect" if 300 <= status_code < 400 else "http_status"
    text = error.lower()
    if "turned off" in text:
        return "inactive"
    if "timed out" in text or "timeout" in text:
        return "timeout"
    if "nameresolution" in text or "name or service not known" in text or "getaddrinfo" in text:
        return "dns"
    if "ssl" in text or "certificate" in text:
        return "tls"
    if "only http" in text:
        return "blocked"
    return "refused"


def categorise(apps, schema_editor):
    WebhookAttempt = apps.get_model("mirror", "WebhookAttempt")
    for attempt in WebhookAttempt.objects.only("pk", "status_code", "error").iterator():
        category = category_for(attempt.status_code, attempt.error)
        if category:
            WebhookAttempt.objects.filter(pk=attempt.pk).update(category=category)


class Migration(migrations.Migration):

    dependencies = [
        ("mirror", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookattempt",
            name="category",
            field=models.CharField(blank=True, choices=CATEGORIES, max_length=12),
        ),
        migrations.RunPython(categorise, migrations.RunPython.noop),
        migrations.RemoveField(model_name="webhookattempt", name="error"),
    ]
