"""Staff-editable listing rules, and why a listing waits for review.

On SQLite, adding a column with a default rebuilds listings_listing, which drops the triggers
that keep the FTS5 search index in step (migration 0007); they are created again here.
"""

import importlib

from django.db import migrations, models

_SEARCH_INDEX = importlib.import_module("listings.migrations.0007_search_index")


def restore_sqlite_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'listings_listing_fts_%'")
        if cursor.fetchone()[0] == 3:
            return  # the table was altered in place: the triggers and the index are intact
    for sql in _SEARCH_INDEX.SQLITE_REVERSE[:3]:  # the triggers, if the rebuild kept any
        schema_editor.execute(sql)
    for sql in _SEARCH_INDEX.SQLITE[1:]:  # rebuild the index from the rows, then the triggers
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0008_notinterested'),
    ]

    operations = [
        migrations.AddField(
            model_name='listing',
            name='review_reasons',
            field=models.CharField(blank=True, max_length=300, verbose_name='why it waits for review'),
        ),
        migrations.RunPython(restore_sqlite_search_triggers, migrations.RunPython.noop),
        migrations.CreateModel(
            name='ListingRules',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('price_cap', models.PositiveIntegerField(verbose_name='price cap (yen)')),
                ('expiry_days', models.PositiveSmallIntegerField(verbose_name='days until a listing expires')),
                ('review_all', models.BooleanField(default=False, verbose_name='review every new listing')),
                ('review_new_accounts_days', models.PositiveSmallIntegerField(default=0, help_text='0 turns this rule off.', verbose_name='review listings of accounts younger than (days)')),
                ('review_ng_words', models.BooleanField(default=False, verbose_name='review listings containing NG words')),
                ('prohibited_items', models.TextField(blank=True, help_text='Shown on the listing form, one rule per line.', verbose_name='prohibited items')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('review_categories', models.ManyToManyField(blank=True, related_name='+', to='listings.category', verbose_name='review listings in these categories')),
            ],
            options={
                'verbose_name': 'listing rules',
                'verbose_name_plural': 'listing rules',
                'constraints': [models.CheckConstraint(condition=models.Q(('expiry_days__gte', 1)), name='rules_expiry_positive')],
            },
        ),
    ]
