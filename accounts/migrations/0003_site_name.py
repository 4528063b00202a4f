"""Name the site, so that emails say "Mottainai" and link to SITE_URL's host rather than example.com."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000", "name": "Mottainai"},
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_load_towns"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
