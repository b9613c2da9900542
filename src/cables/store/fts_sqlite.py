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

The index holds the terms of :mod:`cables.words` (the analyzer PostgreSQL's index and the
queries use too), computed in Python and given to FTS5 joined by spaces: its ``ascii`` tokenizer
splits them there and changes nothing else (it lower-cases ASCII letters, which terms no longer
have, and keeps every non-ASCII character in its token), so FTS5 indexes exactly those terms, at
the positions the analyzer gave them. ``_`` (a token character here, never in a term) is the
filler standing for a place no term is indexed at (see :class:`cables.words.IndexedText`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..words import IndexedText, index_form

TOKENIZE = "ascii tokenchars '_'"
FILLER = "_"
CABLE_FTS = "store_cable_fts"

# The cable table needs no column of its own on SQLite (PostgreSQL stores a tsvector).
CABLE_COLUMN = None
# index() must be given the values a replaced cable was indexed with.
DELETES_WITH_VALUES = True

INSTALL = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {CABLE_FTS} USING fts5(
       subject, body, content='', tokenize="{TOKENIZE}")""",
]

UNINSTALL = [f"DROP TABLE IF EXISTS {CABLE_FTS}"]

Row = tuple[int, str, str]  # (store_cable.id, subject's terms, body's terms): see index_values


def index_values(subject: str | None, body: str | None) -> tuple[str, str]:
    """What the index gets for a cable: its subject's and its body's terms, joined by spaces."""
    return columns(index_form(subject, body))


def values_of(form: IndexedText) -> tuple[str, str]:
    """:func:`index_values` of an analysed cable."""
    return columns(form)


def columns(form: IndexedText) -> tuple[str, str]:
    """The subject's and the body's terms joined by spaces, fillers included: what FTS5 gets, and
    the ranking index's text too (:func:`cables.store.fts.ranking_texts`)."""
    body = _joined(form.body)
    if form.tail:  # a filler between any two: no phrase matches there
        body += f" {FILLER} " + f" {FILLER} ".join(form.tail)
    return _joined(form.subject), body


def _joined(terms: tuple[str | None, ...]) -> str:
    if None in terms:
        return " ".join(t if t is not None else FILLER for t in terms)
    return " ".join(terms)


def index(cursor, added: list[Row], replaced: list[Row]) -> None:
    """Index ``added`` cables; first take out the ``replaced`` ones, with the values once indexed."""
    if replaced:
        cursor.executemany(
            f"INSERT INTO {CABLE_FTS}({CABLE_FTS}, rowid, subject, body) VALUES ('delete', %s, %s, %s)",
            replaced,
        )
    if added:
        cursor.executemany(f"INSERT INTO {CABLE_FTS}(rowid, subject, body) VALUES (%s, %s, %s)", added)


def reindex(cursor, rows: Iterable[tuple[int, str, str]]) -> None:
    """Rebuild the index from scratch from ``rows``: (id, subject, body) of every cable's latest
    version."""
    cursor.execute(f"INSERT INTO {CABLE_FTS}({CABLE_FTS}) VALUES ('delete-all')")
    batch: list[Row] = []
    for pk, subject, body in rows:
        batch.append((pk, *index_values(subject, body)))
        if len(batch) >= 1000:
            index(cursor, batch, [])
            batch = []
    index(cursor, batch, [])


def integrity_check(cursor) -> None:
    """Raise (``database disk image is malformed``) if the index is inconsistent in itself."""
    cursor.execute(f"INSERT INTO {CABLE_FTS}({CABLE_FTS}) VALUES ('integrity-check')")


def matching_cable_ids(cursor, terms: list[str], phrase: bool = False) -> list[int]:
    """``store_cable.id`` of the cables whose subject or latest body holds every term (in this
    order, one after the other, for a ``phrase``), best first (bm25, a subject match weighing ten
    body matches)."""
    quoted = ['"' + t + '"' for t in terms]  # a term is letters and digits: nothing to escape
    match = '"' + " ".join(terms) + '"' if phrase else " AND ".join(quoted)
    cursor.execute(
        f"SELECT rowid FROM {CABLE_FTS} WHERE {CABLE_FTS} MATCH %s "
        f"ORDER BY bm25({CABLE_FTS}, 10.0, 1.0), rowid",
        [match],
    )
    return [row[0] for row in cursor.fetchall()]
