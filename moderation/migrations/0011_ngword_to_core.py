from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("moderation", "0010_audit_record_to_core"),
        ("core", "0002_ngword_from_moderation"),
    ]

    # State only: the table and its rows stay; core.NGWord uses them.
    operations = [migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="NGWord")])]
