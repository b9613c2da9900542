"""PostgreSQL: ``store_cable.search`` is stored out of line without compression (``EXTERNAL``).

A cable's tsvector (5–10 KB) is past the size at which PostgreSQL tries to compress a value, and
``pglz`` gains it nothing (the table's size was the same with and without): the places are
numbers that do not repeat. At ingest that try was an eighth of the server's CPU for the cable
rows (2.05–2.22 against 1.77–1.95 s for 3,000 mirror cables), on the one writer every batch waits
for. Rows written before keep their form until rewritten; nothing to do on SQLite.
"""

from django.db import migrations


def storage(mode: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE store_cable ALTER COLUMN search SET STORAGE {mode}")
    return apply


class Migration(migrations.Migration):
    dependencies = [("store", "0005_one_analyzer")]

    operations = [migrations.RunPython(storage("EXTERNAL"), storage("EXTENDED"), elidable=False)]
