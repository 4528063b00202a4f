from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("listings", "0002_seed_categories")]

    operations = [
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(fields=["updated_at"], name="listing_updated_at"),
        ),
    ]
