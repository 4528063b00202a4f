"""Load the municipality's towns from Japan Post data so that a fresh database accepts residents."""

from django.db import migrations


def load(apps, schema_editor):
    from accounts.services import towns_load

    towns_load(town_model=apps.get_model("accounts", "Town"), postal_code_model=apps.get_model("accounts", "PostalCode"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
