"""Seed the categories staff start with; staff edit them afterwards."""

from django.db import migrations

CATEGORIES = [
    ("furniture", "家具", "Furniture"),
    ("appliances", "家電", "Appliances"),
    ("baby-kids", "ベビー・子ども用品", "Baby and children's goods"),
    ("clothing", "衣類・ファッション", "Clothing"),
    ("kitchen", "キッチン・日用品", "Kitchen and household"),
    ("books", "本・雑誌", "Books"),
    ("sports-leisure", "スポーツ・レジャー", "Sports and leisure"),
    ("hobbies-instruments", "趣味・楽器", "Hobbies and instruments"),
    ("other", "その他", "Other"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("listings", "Category")
    for position, (slug, name_ja, name_en) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slug, defaults={"name_ja": name_ja, "name_en": name_en, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("listings", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
