"""The public id filled by 0007 becomes required and unique, with a random default for new accounts."""

from django.db import migrations, models

import accounts.models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_user_public_id"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="public_id",
            field=models.CharField(
                default=accounts.models.public_id_new, editable=False, max_length=22, unique=True, verbose_name="public id"
            ),
        ),
    ]
