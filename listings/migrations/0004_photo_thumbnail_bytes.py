from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("listings", "0003_listing_updated_at_index")]

    operations = [
        migrations.AddField(model_name="photo", name="thumbnail_bytes", field=models.PositiveIntegerField(default=0)),
    ]
