"""Both full-text indexes hold the terms of one analyzer (:mod:`cables.words`), and are re-filled.

Before, each engine had its own idea of a word (SQLite's Porter tokenizer, PostgreSQL's
``english`` configuration), and the backends disagreed on 12 of 21 queries. Now:

* SQLite: the FTS5 table is made again with a tokenizer that only splits at spaces (``ascii``),
  and filled with every cable's terms, computed from its latest version's record.
* PostgreSQL: ``store_cable.search`` is recomputed from the same records, as tsvector literals of
  those terms (the server's ``to_tsvector`` is no longer used).

The re-filling reads every latest version once (:func:`cables.store.fts.reindex`): seconds for the
mirror, minutes for 250,000 cables. Going back restores the engines' own analysis.
"""

from django.db import migrations

from cables.store import fts

OLD_SQLITE = """CREATE VIRTUAL TABLE store_cable_fts USING fts5(
    subject, body, content='', tokenize='porter unicode61 remove_diacritics 2')"""
OLD_POSTGRES = """UPDATE store_cable c SET search =
    setweight(to_tsvector('english', coalesce(c.subject, '')), 'A') ||
    setweight(to_tsvector('english', left(%s, 400000)), 'B') WHERE c.id = %s"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in fts.for_vendor("sqlite").UNINSTALL + fts.for_vendor("sqlite").INSTALL:
                cursor.execute(statement)
    if fts.for_vendor(connection.vendor) is not None:
        fts.reindex(connection)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        rows = list(fts.latest_texts(connection))
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS store_cable_fts")
            cursor.execute(OLD_SQLITE)
            cursor.executemany("INSERT INTO store_cable_fts(rowid, subject, body) VALUES (%s, %s, %s)",
                               rows)
    elif connection.vendor == "postgresql":
        rows = [(body, pk) for pk, _subject, body in fts.latest_texts(connection)]
        with connection.cursor() as cursor:
            cursor.executemany(OLD_POSTGRES, rows)


class Migration(migrations.Migration):
    dependencies = [("store", "0004_archive_state")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
