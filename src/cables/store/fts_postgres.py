"""PostgreSQL full-text indexes: stored, weighted tsvectors with GIN indexes.

* ``store_cable.search``: subject (weight A) and the latest version's body (weight B). The body
  lives in ``store_cableversion``, so a generated column cannot compute it; a ``BEFORE INSERT OR
  UPDATE OF subject, latest_version_id`` trigger does, in the same transaction as the write.
* ``store_paragraph.search``: a generated column over the paragraph text.

Neither column is a model field (SQLite has no tsvector): the search layer reaches them with
raw SQL or ``RawSQL``, e.g. ``search @@ websearch_to_tsquery('english', %s)`` and
``ts_rank(search, ...)``. The ``english`` configuration stems as SQLite's Porter tokenizer does.
A body is indexed up to :data:`MAX_INDEXED_CHARS` (a tsvector holds at most 1 MB).
"""

from __future__ import annotations

CONFIG = "english"
MAX_INDEXED_CHARS = 400_000

INSTALL = [
    "ALTER TABLE store_cable ADD COLUMN IF NOT EXISTS search tsvector",
    f"""CREATE OR REPLACE FUNCTION store_cable_search_vector() RETURNS trigger AS $$
    BEGIN
      IF NEW.latest_version_id IS NULL THEN  -- a new row, its version comes next
        NEW.search := NULL;
        RETURN NEW;
      END IF;
      NEW.search :=
        setweight(to_tsvector('{CONFIG}', coalesce(NEW.subject, '')), 'A') ||
        setweight(to_tsvector('{CONFIG}', coalesce(
          (SELECT left(v.body, {MAX_INDEXED_CHARS}) FROM store_cableversion v
           WHERE v.id = NEW.latest_version_id), '')), 'B');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS store_cable_search ON store_cable",
    """CREATE TRIGGER store_cable_search BEFORE INSERT OR UPDATE OF subject, latest_version_id
       ON store_cable FOR EACH ROW EXECUTE FUNCTION store_cable_search_vector()""",
    "CREATE INDEX IF NOT EXISTS store_cable_search_gin ON store_cable USING GIN (search)",
    f"""ALTER TABLE store_paragraph ADD COLUMN IF NOT EXISTS search tsvector
       GENERATED ALWAYS AS (to_tsvector('{CONFIG}', left(text, {MAX_INDEXED_CHARS}))) STORED""",
    "CREATE INDEX IF NOT EXISTS store_paragraph_search_gin ON store_paragraph USING GIN (search)",
]

UNINSTALL = [
    "DROP INDEX IF EXISTS store_paragraph_search_gin",
    "ALTER TABLE store_paragraph DROP COLUMN IF EXISTS search",
    "DROP INDEX IF EXISTS store_cable_search_gin",
    "DROP TRIGGER IF EXISTS store_cable_search ON store_cable",
    "DROP FUNCTION IF EXISTS store_cable_search_vector()",
    "ALTER TABLE store_cable DROP COLUMN IF EXISTS search",
]


def install(cursor) -> None:
    for statement in INSTALL:
        cursor.execute(statement)


def uninstall(cursor) -> None:
    for statement in UNINSTALL:
        cursor.execute(statement)


def matching_cable_ids(cursor, query: str) -> list[int]:
    """``store_cable.id`` of the cables matching a web-search style query, best first."""
    cursor.execute(
        f"""SELECT id FROM store_cable, websearch_to_tsquery('{CONFIG}', %s) q
            WHERE search @@ q ORDER BY ts_rank(search, q) DESC, id""",
        [query],
    )
    return [row[0] for row in cursor.fetchall()]


def matching_paragraph_ids(cursor, query: str) -> list[int]:
    cursor.execute(
        f"""SELECT id FROM store_paragraph, websearch_to_tsquery('{CONFIG}', %s) q
            WHERE search @@ q ORDER BY ts_rank(search, q) DESC, id""",
        [query],
    )
    return [row[0] for row in cursor.fetchall()]
