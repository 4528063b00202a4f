"""Every account gets a random public id for its page (messaging:profile), so that people pages
can no longer be counted through by sequential id. Existing rows are filled one by one; 0008
then makes the id required and unique (a migration of its own: PostgreSQL will not alter a table
with row updates pending in the same transaction)."""

import secrets

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(public_id__isnull=True).only("pk").iterator():
        User.objects.filter(pk=user.pk).update(public_id=secrets.token_urlsafe(12))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0007_user_terms_acceptance"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.CharField(editable=False, max_length=22, null=True, verbose_name="public id"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
    ]
