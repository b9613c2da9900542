"""PostgreSQL full-text index: a stored, weighted tsvector on each cable, with a GIN index.

``store_cable.search`` = the terms of the subject (weight A) and of the latest version's body
(weight B), as :mod:`cables.words` makes them (the analyzer SQLite's index and the queries use
too). The vector is built in Python — at ingest in the parsing processes — and sent as a
tsvector literal (:func:`vector`): the server parses it, it runs no ``to_tsvector`` over bodies,
and no text search configuration decides what a word is. The writer writes it in the very
``INSERT``/``UPDATE`` of the cable row (:data:`CABLE_COLUMN`); the body is stored nowhere else
as text (the versions hold it packed, the paragraph table paragraph by paragraph).

The column is not a model field (SQLite has no tsvector): the search layer reaches it with raw
SQL, matching a tsquery literal of terms (``search @@ %s::tsquery``), never re-parsed by a
configuration either. The tsvector's limits (positions up to 16,383, 256 per lexeme, 1 MB) are
rules of the analyzer's :func:`cables.words.index_form`, which SQLite's index follows too.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..words import MAX_POSITION, IndexedText, index_form

CABLE_COLUMN = ("search", "%s::tsvector")  # written with the row: (column, expression of index_values)
DELETES_WITH_VALUES = False       # an UPDATE of the row replaces its vector

INSTALL = [
    "ALTER TABLE store_cable ADD COLUMN IF NOT EXISTS search tsvector",
    "CREATE INDEX IF NOT EXISTS store_cable_search_gin ON store_cable USING GIN (search)",
]

UNINSTALL = [
    "DROP INDEX IF EXISTS store_cable_search_gin",
    "ALTER TABLE store_cable DROP COLUMN IF EXISTS search",
]

Row = tuple[int, str]  # (store_cable.id, tsvector literal)

# "':1A", "':2A", …, "':1B", …: what follows a term in the literal at each place, written once
_PLACES_A = [f"':{at}A" for at in range(MAX_POSITION + 1)]
_PLACES_B = [f"':{at}B" for at in range(MAX_POSITION + 1)]


def index_values(subject: str | None, body: str | None) -> tuple[str]:
    """What the index gets for a cable: its tsvector, as a literal (see :func:`vector`)."""
    return values_of(index_form(subject, body))


def values_of(form: IndexedText) -> tuple[str]:
    """:func:`index_values` of an analysed cable."""
    return (vector(form),)


def vector(form: IndexedText) -> str:
    """The tsvector literal of a cable's terms: ``'term':1A 'other':3B 'term':5B``.

    A term once per place: the server merges a term's places into one entry as it reads the
    literal (in C, where grouping them here cost more than finding the terms). Terms are letters
    and digits only, so they need no escaping in the literal.
    """
    entries = [*map(str.__add__, *_placed(form.subject, _PLACES_A[1:])),
               *map(str.__add__, *_placed(form.body, _PLACES_B[form.body_start:])),
               *(t + _PLACES_B[MAX_POSITION] for t in form.tail)]
    return "'" + " '".join(entries) if entries else ""


def _placed(terms: tuple[str | None, ...], places: list[str]) -> tuple:
    """(terms, their places), without the places no term is indexed at (``None``)."""
    if None not in terms:
        return terms, places
    kept = [(t, at) for t, at in zip(terms, places) if t is not None]
    return [t for t, _ in kept], [at for _, at in kept]


def index(cursor, added: list[Row], replaced: list[Row]) -> None:
    """Nothing to do: the vector was written with the cable row (see :data:`CABLE_COLUMN`)."""


def reindex(cursor, rows: Iterable[tuple[int, str, str]]) -> None:
    """Recompute every given cable's vector from (id, subject, body) (a thousand at a time)."""
    batch: list[tuple[str, int]] = []
    statement = f"UPDATE store_cable SET search = {CABLE_COLUMN[1]} WHERE id = %s"
    for pk, subject, body in rows:
        batch.append((*index_values(subject, body), pk))
        if len(batch) >= 1000:
            cursor.executemany(statement, batch)
            batch = []
    if batch:
        cursor.executemany(statement, batch)


def matching_cable_ids(cursor, terms: list[str], phrase: bool = False) -> list[int]:
    """``store_cable.id`` of the cables whose vector holds every term (in this order, one after
    the other, for a ``phrase``), best first."""
    query = (" <-> " if phrase else " & ").join(f"'{t}'" for t in terms)
    cursor.execute(
        """SELECT id FROM store_cable, CAST(%s AS tsquery) q
           WHERE search @@ q ORDER BY ts_rank(search, q) DESC, id""",
        [query],
    )
    return [row[0] for row in cursor.fetchall()]
