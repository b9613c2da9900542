"""PostgreSQL: the cables' tsvectors compressed with lz4 where the server has it, not pglz.

Every match of a search reads its cable's tsvector from TOAST (to check a phrase's positions, to
rank): a 6 KB vector per hit, decompressed. On the 250,000-cable archive a phrase matching 3,828
cables of a tenth of it took 403 ms with pglz and 140 ms with lz4, and lz4 is faster to write.
Rows already stored keep pglz until they are written again (a new version of the cable).
"""

from django.db import migrations

from cables.store.fts_postgres import has_lz4


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if has_lz4(cursor):
            cursor.execute("ALTER TABLE store_cable ALTER COLUMN search SET COMPRESSION lz4")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE store_cable ALTER COLUMN search SET COMPRESSION pglz")


class Migration(migrations.Migration):
    dependencies = [("store", "0004_archive_state")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
