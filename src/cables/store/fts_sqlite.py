"""SQLite full-text indexes: FTS5 tables kept in step with the data by triggers.

Two external-content FTS5 tables, so no text is stored twice:

* ``store_cable_fts(subject, body)`` over the view ``store_cable_text`` — each cable's subject and
  the body of its latest version; rowid = ``store_cable.id``.
* ``store_paragraph_fts(text)`` over ``store_paragraph``; rowid = ``store_paragraph.id``.

Triggers on ``store_cable`` (insert, update of subject/latest version, delete) and
``store_paragraph`` write the index in the same transaction as the row, whoever writes it (the
writer, a test, a later admin). An external-content index is deleted from with the values it was
given; a version's body never changes, so the trigger can always give them back.

Both use the Porter stemmer over unicode61 (diacritics folded), as PostgreSQL's ``english``
configuration stems, so that a word finds the same cables on both backends. Query with
``... WHERE store_cable_fts MATCH %s`` and join ``rowid`` to ``store_cable.id``.

Note for later migrations: a SQLite table remake (Django's way to alter a column) drops the
table's triggers; a migration that alters ``store_cable`` or ``store_paragraph`` must run
:func:`install` again (it is idempotent).
"""

from __future__ import annotations

TOKENIZE = "porter unicode61 remove_diacritics 2"
CABLE_FTS = "store_cable_fts"
PARAGRAPH_FTS = "store_paragraph_fts"

INSTALL = [
    """CREATE VIEW IF NOT EXISTS store_cable_text AS
       SELECT c.id AS id, coalesce(c.subject, '') AS subject, v.body AS body
       FROM store_cable c JOIN store_cableversion v ON v.id = c.latest_version_id""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {CABLE_FTS} USING fts5(
       subject, body, content='store_cable_text', content_rowid='id', tokenize='{TOKENIZE}')""",
    f"""CREATE TRIGGER IF NOT EXISTS store_cable_fts_insert AFTER INSERT ON store_cable BEGIN
       INSERT INTO {CABLE_FTS}(rowid, subject, body)
       SELECT new.id, coalesce(new.subject, ''), v.body FROM store_cableversion v
       WHERE v.id = new.latest_version_id;
     END""",
    f"""CREATE TRIGGER IF NOT EXISTS store_cable_fts_update
       AFTER UPDATE OF subject, latest_version_id ON store_cable BEGIN
       INSERT INTO {CABLE_FTS}({CABLE_FTS}, rowid, subject, body)
       SELECT 'delete', old.id, coalesce(old.subject, ''), v.body FROM store_cableversion v
       WHERE v.id = old.latest_version_id;
       INSERT INTO {CABLE_FTS}(rowid, subject, body)
       SELECT new.id, coalesce(new.subject, ''), v.body FROM store_cableversion v
       WHERE v.id = new.latest_version_id;
     END""",
    f"""CREATE TRIGGER IF NOT EXISTS store_cable_fts_delete AFTER DELETE ON store_cable BEGIN
       INSERT INTO {CABLE_FTS}({CABLE_FTS}, rowid, subject, body)
       SELECT 'delete', old.id, coalesce(old.subject, ''), v.body FROM store_cableversion v
       WHERE v.id = old.latest_version_id;
     END""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {PARAGRAPH_FTS} USING fts5(
       text, content='store_paragraph', content_rowid='id', tokenize='{TOKENIZE}')""",
    f"""CREATE TRIGGER IF NOT EXISTS store_paragraph_fts_insert AFTER INSERT ON store_paragraph BEGIN
       INSERT INTO {PARAGRAPH_FTS}(rowid, text) VALUES (new.id, new.text);
     END""",
    f"""CREATE TRIGGER IF NOT EXISTS store_paragraph_fts_update AFTER UPDATE OF text ON store_paragraph BEGIN
       INSERT INTO {PARAGRAPH_FTS}({PARAGRAPH_FTS}, rowid, text) VALUES ('delete', old.id, old.text);
       INSERT INTO {PARAGRAPH_FTS}(rowid, text) VALUES (new.id, new.text);
     END""",
    f"""CREATE TRIGGER IF NOT EXISTS store_paragraph_fts_delete AFTER DELETE ON store_paragraph BEGIN
       INSERT INTO {PARAGRAPH_FTS}({PARAGRAPH_FTS}, rowid, text) VALUES ('delete', old.id, old.text);
     END""",
]

UNINSTALL = [
    "DROP TRIGGER IF EXISTS store_paragraph_fts_delete",
    "DROP TRIGGER IF EXISTS store_paragraph_fts_update",
    "DROP TRIGGER IF EXISTS store_paragraph_fts_insert",
    f"DROP TABLE IF EXISTS {PARAGRAPH_FTS}",
    "DROP TRIGGER IF EXISTS store_cable_fts_delete",
    "DROP TRIGGER IF EXISTS store_cable_fts_update",
    "DROP TRIGGER IF EXISTS store_cable_fts_insert",
    f"DROP TABLE IF EXISTS {CABLE_FTS}",
    "DROP VIEW IF EXISTS store_cable_text",
]


def install(cursor) -> None:
    for statement in INSTALL:
        cursor.execute(statement)


def uninstall(cursor) -> None:
    for statement in UNINSTALL:
        cursor.execute(statement)


def rebuild(cursor) -> None:
    """Re-read both indexes from their content (after a bulk load that bypassed the triggers)."""
    for table in (CABLE_FTS, PARAGRAPH_FTS):
        cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


def integrity_check(cursor) -> None:
    """Raise (``database disk image is malformed``) if an index disagrees with its content."""
    for table in (CABLE_FTS, PARAGRAPH_FTS):
        cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


def matching_cable_ids(cursor, query: str) -> list[int]:
    """``store_cable.id`` of the cables whose subject or latest body matches an FTS5 query."""
    cursor.execute(f"SELECT rowid FROM {CABLE_FTS} WHERE {CABLE_FTS} MATCH %s ORDER BY rank", [query])
    return [row[0] for row in cursor.fetchall()]


def matching_paragraph_ids(cursor, query: str) -> list[int]:
    cursor.execute(
        f"SELECT rowid FROM {PARAGRAPH_FTS} WHERE {PARAGRAPH_FTS} MATCH %s ORDER BY rank", [query]
    )
    return [row[0] for row in cursor.fetchall()]
