"""The NG word list moves from moderation to core in the migration state only: the table keeps its
name (moderation_ngword) and its rows. Moderation 0011 removes the model from moderation's state
after this one adds it here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, source: str, target: str) -> None:
    # Admin log entries and permissions point at the content type: it follows the model.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="ngword").exists():
        ContentType.objects.filter(app_label=source, model="ngword").update(app_label=target)


def content_type_to_core(apps, schema_editor):
    _move_content_type(apps, "moderation", "core")


def content_type_to_moderation(apps, schema_editor):
    _move_content_type(apps, "core", "moderation")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_audit_record_from_moderation"),
        ("moderation", "0010_audit_record_to_core"),  # the table exists
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.CreateModel(
            name="NGWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=50, verbose_name="word or phrase")),
                ("normalised", models.CharField(editable=False, max_length=50, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("created_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "NG word",
                "verbose_name_plural": "NG words",
                "db_table": "moderation_ngword",
                "ordering": ["normalised"],
            },
        )]),
        migrations.RunPython(content_type_to_core, content_type_to_moderation),
    ]
