"""The database itself refuses to change an audit record (UPDATE), on SQLite and PostgreSQL.

DELETE is refused by the application (AuditQuerySet, AuditRecord.delete); a DELETE trigger would
also stop the test runner's table flush on SQLite.
"""

from django.db import migrations


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION moderation_audit_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit records are append-only';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER moderation_auditrecord_no_update BEFORE UPDATE ON moderation_auditrecord
                FOR EACH ROW EXECUTE FUNCTION moderation_audit_append_only();
            """
        )
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            """
            CREATE TRIGGER moderation_auditrecord_no_update BEFORE UPDATE ON moderation_auditrecord
            BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
            """
        )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS moderation_auditrecord_no_update ON moderation_auditrecord;")
        schema_editor.execute("DROP FUNCTION IF EXISTS moderation_audit_append_only();")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS moderation_auditrecord_no_update;")


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
