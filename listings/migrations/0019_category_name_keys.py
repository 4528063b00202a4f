"""Category names become unique in the database, as compared by the staff console (width, case
and spaces do not count): each name's key is stored, and 0020 makes the keys unique.

Names that already read the same get a suffix, " (2)", " (3)"…, on the later category (by id), so
the constraint can be added; staff can rename them afterwards. Nothing else changes: listings keep
their categories."""

import unicodedata

from django.db import migrations, models


def name_key(name: str) -> str:
    # A copy of listings.models.category_name_key as it was when this migration was written.
    return "".join(unicodedata.normalize("NFKC", name or "").lower().split())


def _unique_name(name: str, taken: set[str]) -> str:
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = name[: 40 - len(suffix)] + suffix
        if name_key(candidate) not in taken:
            return candidate
        number += 1


def store_keys(apps, schema_editor):
    Category = apps.get_model("listings", "Category")
    taken = {"name_ja": set(), "name_en": set()}
    for category in Category.objects.order_by("id"):
        for field in ("name_ja", "name_en"):
            name = getattr(category, field)
            if name_key(name) in taken[field]:
                name = _unique_name(name, taken[field])
                setattr(category, field, name)
            taken[field].add(name_key(name))
            setattr(category, f"{field}_key", name_key(name))
        category.save(update_fields=["name_ja", "name_en", "name_ja_key", "name_en_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("listings", "0018_listing_expiry_reminded_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="name_ja_key",
            field=models.CharField(default="", editable=False, max_length=160),
        ),
        migrations.AddField(
            model_name="category",
            name="name_en_key",
            field=models.CharField(default="", editable=False, max_length=160),
        ),
        migrations.RunPython(store_keys, migrations.RunPython.noop),
    ]
