"""The staff role: a group holding the accounts.staff_console permission."""

from django.db import migrations


def create_role(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(app_label="accounts", model="user")
    permission, _created = Permission.objects.get_or_create(
        codename="staff_console", content_type=content_type, defaults={"name": "Can use the staff console"}
    )
    group, _created = Group.objects.get_or_create(name="staff")
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_site_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="user",
            options={"permissions": [("staff_console", "Can use the staff console")], "verbose_name": "user", "verbose_name_plural": "users"},
        ),
        migrations.RunPython(create_role, migrations.RunPython.noop),
    ]
