"""PostgreSQL full-text index: a stored, weighted tsvector on each cable, with a GIN index.

``store_cable.search`` = subject (weight A) and the latest version's body (weight B). The writer
computes it in the very ``INSERT``/``UPDATE`` that writes the cable row (:data:`CABLE_COLUMN`: the
column and the expression over two parameters, subject and body), so the body travels to the
server once and is stored nowhere else as text: the versions hold it packed, the paragraph table
paragraph by paragraph (where ``ts_headline`` finds the snippet of a hit at query time).

The column is not a model field (SQLite has no tsvector): the search layer reaches it with raw
SQL or ``RawSQL``, e.g. ``search @@ websearch_to_tsquery('english', %s)`` and
``ts_rank(search, ...)``. The ``english`` configuration stems as SQLite's Porter tokenizer does.
A body is indexed up to :data:`MAX_INDEXED_CHARS` (a tsvector holds at most 1 MB).
"""

from __future__ import annotations

from collections.abc import Iterable

CONFIG = "english"
MAX_INDEXED_CHARS = 400_000

VECTOR = (f"setweight(to_tsvector('{CONFIG}', coalesce(%s, '')), 'A') || "
          f"setweight(to_tsvector('{CONFIG}', left(%s, {MAX_INDEXED_CHARS})), 'B')")
CABLE_COLUMN = ("search", VECTOR)  # written with the row: (column, expression of subject, body)
DELETES_WITH_VALUES = False       # an UPDATE of the row replaces its vector

INSTALL = [
    "ALTER TABLE store_cable ADD COLUMN IF NOT EXISTS search tsvector",
    "CREATE INDEX IF NOT EXISTS store_cable_search_gin ON store_cable USING GIN (search)",
]

UNINSTALL = [
    "DROP INDEX IF EXISTS store_cable_search_gin",
    "ALTER TABLE store_cable DROP COLUMN IF EXISTS search",
]

Row = tuple[int, str, str]  # (store_cable.id, subject, body)


def index(cursor, added: list[Row], replaced: list[Row]) -> None:
    """Nothing to do: the vector was written with the cable row (see :data:`CABLE_COLUMN`)."""


def reindex(cursor, rows: Iterable[Row]) -> None:
    """Recompute every given cable's vector from its subject and body (a thousand at a time)."""
    batch: list[tuple[str, str, int]] = []
    for pk, subject, body in rows:
        batch.append((subject, body, pk))
        if len(batch) >= 1000:
            cursor.executemany(f"UPDATE store_cable SET search = {VECTOR} WHERE id = %s", batch)
            batch = []
    if batch:
        cursor.executemany(f"UPDATE store_cable SET search = {VECTOR} WHERE id = %s", batch)


def matching_cable_ids(cursor, query: str) -> list[int]:
    """``store_cable.id`` of the cables matching a web-search style query, best first."""
    cursor.execute(
        f"""SELECT id FROM store_cable, websearch_to_tsquery('{CONFIG}', %s) q
            WHERE search @@ q ORDER BY ts_rank(search, q) DESC, id""",
        [query],
    )
    return [row[0] for row in cursor.fetchall()]
