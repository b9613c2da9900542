# Browse lists walk the cables newest first from an index (cables.store.browse._newest_first):
# a page of a tag's 25,000 cables at 250k reads 20 rows instead of sorting them all (66-103 ms ->
# about 1 ms on PostgreSQL). PostgreSQL only: SQLite takes no NULLS LAST in an index, and its
# planner kept the filter's index and a sort for these lists anyway (EXPLAIN QUERY PLAN on the
# mirror), so there it would only cost every ingest a write.

from django.db import migrations

NAME = "store_cable_newest_first"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {NAME} ON "store_cable" '
                              '("created" DESC NULLS LAST, "canonical_id")')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ('store', '0007_archive_changed'),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
