"""A listing's updated_at is set by listings.services when something public changes, no longer by
auto_now on every save. The column does not change (a Python default is not stored in the
database), so only the state does: on SQLite an AlterField would rebuild listings_listing for
nothing and drop the search-index triggers."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("listings", "0016_photo_served_by_the_site"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="listing",
                    name="updated_at",
                    field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="updated"),
                ),
            ],
        ),
    ]
