"""PostgreSQL full-text index: a stored, weighted tsvector on each cable, with a GIN index.

``store_cable.search`` = the terms of the subject (weight A) and of the latest version's body
(weight B), as :mod:`cables.words` makes them (the analyzer SQLite's index and the queries use
too). The vector is built in Python — at ingest in the parsing processes — and sent as a
tsvector literal (:func:`vector`): the server parses it, it runs no ``to_tsvector`` over bodies,
and no text search configuration decides what a word is. The writer writes it in the very
``COPY``/``UPDATE`` of the cable row (:data:`CABLE_COLUMN`); the body is stored nowhere else
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

# "1A", "2A", …, "1B", …: a place as the literal writes it, made once
_PLACES_A = [f"{at}A" for at in range(MAX_POSITION + 1)]
_PLACES_B = [f"{at}B" for at in range(MAX_POSITION + 1)]


def index_values(subject: str | None, body: str | None) -> tuple[str]:
    """What the index gets for a cable: its tsvector, as a literal (see :func:`vector`)."""
    return values_of(index_form(subject, body))


def values_of(form: IndexedText) -> tuple[str]:
    """:func:`index_values` of an analysed cable."""
    return (vector(form),)


def vector(form: IndexedText) -> str:
    """The tsvector literal of a cable's terms: ``'term':1A,5B 'other':3B``.

    Each term once, with all its places: the server then has half the entries to read, sort and
    merge. That work is on the ingest's one writer (the server, waiting on each batch) where
    this grouping runs in the parsing processes, beside the parser: on 3,000 mirror cables the
    server's CPU for their rows went from 1.1 to 0.55 s (without the GIN index; 2.0 to 1.6 with
    it), the grouping costing the parsing processes 0.1 ms a cable more. Terms are letters and
    digits only, so they need no escaping in the literal.

    It runs once per cable in the parsing processes: the places are sliced to the terms' count
    (not to the 16,383 places of the table: a copy of 16,000 items a cable) and the literal joined
    by ``map``, without a Python step per term (on 1,678 mirror cables 0.25 ms a cable before,
    0.13 after; the same literal).
    """
    places: dict[str | None, list[str]] = {}
    get = places.get
    subject, body, start = form.subject, form.body, form.body_start
    for terms, at in ((subject, _PLACES_A[1:len(subject) + 1]),
                      (body, _PLACES_B[start:start + len(body)])):
        for term, place in zip(terms, at):
            found = get(term)
            if found is None:
                places[term] = [place]
            else:
                found.append(place)
    for term in form.tail:
        places.setdefault(term, []).append(_PLACES_B[MAX_POSITION])
    places.pop(None, None)  # a place no term is indexed at
    if not places:
        return ""
    # 'term':1A,5B 'other':3B — each term and its places, joined in C
    return "'" + " '".join(map("':".join, zip(places, map(",".join, places.values()))))


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
