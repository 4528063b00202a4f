"""Where a hidden listing or an edit in review returns to (listings.lifecycle). On SQLite the new
column and constraint rebuild listings_listing, so the search-index triggers are created again
(as in 0009)."""

import importlib

from django.conf import settings
from django.db import migrations, models

restore_sqlite_search_triggers = importlib.import_module("listings.migrations.0009_listing_rules").restore_sqlite_search_triggers


def remember_reserved(apps, schema_editor):
    """A listing already hidden or in review while still kept for someone returns to reserved
    (before, a messaging receiver reserved it again when it came back)."""
    Listing = apps.get_model("listings", "Listing")
    Reservation = apps.get_model("messaging", "Reservation")
    kept = Reservation.objects.filter(status="active").values("listing_id")
    Listing.objects.filter(status__in=["hidden", "pending"], pk__in=kept).update(return_status="reserved")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_town_updated_at"),
        ("listings", "0013_category_updated_at"),
        ("messaging", "0003_message_client_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="return_status",
            field=models.CharField(
                blank=True,
                choices=[("published", "Published"), ("reserved", "Reserved")],
                default="",
                max_length=12,
                verbose_name="status to return to",
            ),
        ),
        migrations.RunPython(remember_reserved, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="listing",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("return_status", ""),
                    models.Q(("return_status__in", ["published", "reserved"]), ("status__in", ["hidden", "pending"])),
                    _connector="OR",
                ),
                name="listing_return_status_while_away",
            ),
        ),
        migrations.RunPython(restore_sqlite_search_triggers, migrations.RunPython.noop),
    ]
