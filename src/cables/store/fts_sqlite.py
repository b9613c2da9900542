"""SQLite full-text index: one contentless FTS5 table over each cable's subject and latest body.

``store_cable_fts(subject, body)``, rowid = ``store_cable.id``. *Contentless* (``content=''``):
it keeps the index (terms, positions, column sizes) and no copy of the text, which lives packed in
the versions and, paragraph by paragraph, in ``store_paragraph``. It answers everything search
needs: words, ``"phrases"``, ``prefix*``, ``NEAR``, column filters (``subject : …``), and
``bm25(store_cable_fts, 10.0, 1.0)`` ranking with the subject weighted above the body. What it
cannot do is give text back (``highlight()``/``snippet()``): the snippet of a hit comes from its
paragraphs at query time (e.g. a temporary FTS5 table over the page's few hundred paragraphs, the
same query, ``highlight()`` there).

The writer keeps it in step, in the transaction of the batch (:func:`index`). A contentless index
is deleted from with the very values it was given: on a new version the writer reads them back
from the previous version's packed record (a version never changes, so they are always there).
No triggers, because a trigger cannot unpack a version. A row deleted by other means than the
writer leaves its terms behind until :func:`reindex` (SQLite ≥ 3.43 could use
``contentless_delete=1``; this machine has 3.40).

The Porter stemmer over unicode61 (diacritics folded), as PostgreSQL's ``english`` configuration
stems, so that a word finds the same cables on both backends.
"""

from __future__ import annotations

from collections.abc import Iterable

TOKENIZE = "porter unicode61 remove_diacritics 2"
CABLE_FTS = "store_cable_fts"

# The cable table needs no column of its own on SQLite (PostgreSQL stores a tsvector).
CABLE_COLUMN = None
# index() must be given the values a replaced cable was indexed with.
DELETES_WITH_VALUES = True

INSTALL = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {CABLE_FTS} USING fts5(
       subject, body, content='', tokenize='{TOKENIZE}')""",
]

UNINSTALL = [f"DROP TABLE IF EXISTS {CABLE_FTS}"]

Row = tuple[int, str, str]  # (store_cable.id, subject, body)


def index(cursor, added: list[Row], replaced: list[Row]) -> None:
    """Index ``added`` cables; first take out the ``replaced`` ones, with the values once indexed."""
    if replaced:
        cursor.executemany(
            f"INSERT INTO {CABLE_FTS}({CABLE_FTS}, rowid, subject, body) VALUES ('delete', %s, %s, %s)",
            replaced,
        )
    if added:
        cursor.executemany(f"INSERT INTO {CABLE_FTS}(rowid, subject, body) VALUES (%s, %s, %s)", added)


def reindex(cursor, rows: Iterable[Row]) -> None:
    """Rebuild the index from scratch from ``rows`` (every cable's latest subject and body)."""
    cursor.execute(f"INSERT INTO {CABLE_FTS}({CABLE_FTS}) VALUES ('delete-all')")
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 1000:
            index(cursor, batch, [])
            batch = []
    index(cursor, batch, [])


def integrity_check(cursor) -> None:
    """Raise (``database disk image is malformed``) if the index is inconsistent in itself."""
    cursor.execute(f"INSERT INTO {CABLE_FTS}({CABLE_FTS}) VALUES ('integrity-check')")


def matching_cable_ids(cursor, query: str) -> list[int]:
    """``store_cable.id`` of the cables whose subject or latest body matches an FTS5 query, best
    first (bm25, a subject match weighing ten body matches)."""
    cursor.execute(
        f"SELECT rowid FROM {CABLE_FTS} WHERE {CABLE_FTS} MATCH %s "
        f"ORDER BY bm25({CABLE_FTS}, 10.0, 1.0), rowid",
        [query],
    )
    return [row[0] for row in cursor.fetchall()]
