from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("listings", "0019_category_name_keys"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(fields=["name_ja_key"], name="category_name_ja_unique"),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(fields=["name_en_key"], name="category_name_en_unique"),
        ),
    ]
