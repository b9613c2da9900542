"""What each backend stores differently: the full-text index, compression, a clustered table.

* Both: the cables' full-text index (:mod:`cables.store.fts`: a contentless FTS5 table on SQLite,
  a weighted tsvector column with a GIN index on PostgreSQL).
* PostgreSQL: ``store_cableversion.data`` is compressed already (zlib, now Zstandard), so TOAST
  stores it out of line without trying to compress it again (``STORAGE EXTERNAL``); paragraph
  texts are compressed with lz4 where the server has it (several times faster to write than pglz).
* SQLite: the known-id list (251,287 ids) is a ``WITHOUT ROWID`` table, clustered on its
  primary key: half the size of a rowid table plus its unique index. (A later migration that
  alters ``KnownId`` would remake it as an ordinary table: harmless, only bigger.)
"""

from django.db import migrations

from cables.store import fts

SQLITE_KNOWN_IDS = [
    "DROP TABLE store_knownid",
    """CREATE TABLE store_knownid (canonical_id text NOT NULL PRIMARY KEY, month text NULL)
       WITHOUT ROWID""",
]


def _has_lz4(cursor) -> bool:
    cursor.execute("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    row = cursor.fetchone()
    return bool(row) and "lz4" in (row[0] or [])


def forwards(apps, schema_editor):
    fts.install(schema_editor)
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("ALTER TABLE store_cableversion ALTER COLUMN data SET STORAGE EXTERNAL")
            if _has_lz4(cursor):
                cursor.execute("ALTER TABLE store_paragraph ALTER COLUMN text SET COMPRESSION lz4")
        elif vendor == "sqlite":
            for statement in SQLITE_KNOWN_IDS:
                cursor.execute(statement)


def backwards(apps, schema_editor):
    fts.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("store", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
