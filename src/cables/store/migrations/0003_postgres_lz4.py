"""PostgreSQL: compress the big text columns with lz4 (several times faster to write than pglz).

Only where the server was built with lz4; SQLite and other servers are left alone.
"""

from django.db import migrations

COLUMNS = [
    ("store_cableversion", "record"), ("store_cableversion", "body"),
    ("store_cableversion", "header_raw"), ("store_cableversion", "body_raw"),
    ("store_paragraph", "text"),
]


def _has_lz4(cursor) -> bool:
    cursor.execute("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    row = cursor.fetchone()
    return bool(row) and "lz4" in (row[0] or [])


def compress(method):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            if method == "lz4" and not _has_lz4(cursor):
                return
            for table, column in COLUMNS:
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}")
    return run


class Migration(migrations.Migration):
    dependencies = [("store", "0002_fulltext")]

    operations = [migrations.RunPython(compress("lz4"), compress("default"), elidable=False)]
