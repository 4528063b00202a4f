"""The keyword-search index (listings/search.py): FTS5 on SQLite, GIN on PostgreSQL; then fill it."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE listings_listing_fts USING fts5(
        search_grams, content='listings_listing', content_rowid='id', tokenize='unicode61'
    )""",
    # Index what `fill` wrote. The triggers come after it: an FTS5 'delete' for a row the index
    # does not hold (as an update during `fill` would issue) corrupts an external-content table.
    "INSERT INTO listings_listing_fts(listings_listing_fts) VALUES ('rebuild')",
    # External-content FTS5 tables are kept in step with triggers (the SQLite documentation's recipe).
    """CREATE TRIGGER listings_listing_fts_insert AFTER INSERT ON listings_listing BEGIN
        INSERT INTO listings_listing_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
    END""",
    """CREATE TRIGGER listings_listing_fts_delete AFTER DELETE ON listings_listing BEGIN
        INSERT INTO listings_listing_fts(listings_listing_fts, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
    END""",
    """CREATE TRIGGER listings_listing_fts_update AFTER UPDATE OF search_grams ON listings_listing BEGIN
        INSERT INTO listings_listing_fts(listings_listing_fts, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
        INSERT INTO listings_listing_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS listings_listing_fts_update",
    "DROP TRIGGER IF EXISTS listings_listing_fts_delete",
    "DROP TRIGGER IF EXISTS listings_listing_fts_insert",
    "DROP TABLE IF EXISTS listings_listing_fts",
]
POSTGRES = ["CREATE INDEX listing_search_grams ON listings_listing USING gin (to_tsvector('simple', search_grams))"]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS listing_search_grams"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def fill(apps, schema_editor):
    from listings.search import document

    Listing = apps.get_model("listings", "Listing")
    rows = list(Listing.objects.only("pk", "title", "description"))
    for row in rows:
        row.search_text, row.search_grams = document(row.title, row.description)
    Listing.objects.bulk_update(rows, ["search_text", "search_grams"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("listings", "0006_search_fields")]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}), _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})
        ),
    ]
