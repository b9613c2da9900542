"""Search the archive: the one function the CLI, the web pages and the API call.

    result = search('"human rights" tag:PHUM', sort="relevance", limit=20, facets=True)

Two paths answer. A query with words whose filters all have an index form is answered by the
ranking index (:mod:`.index`, :mod:`.ranked`) when it is caught up with the archive: BM25 with
the subject weighted above the body, top-k without scoring every match, the total and the facets
as aggregations, pages by offset (the cursor holds the offset and the index's change number).
Every other query, and every query when the index is missing or behind, takes the SQL path:
bm25 / ts_rank, paginated with keyset cursors (a page's cursor names the last hit's sort key, so
new cables arriving between two requests never shift a page). Both give the same hits and the
same facet counts (tests/test_search_index.py); the hits' rows and snippets come from the archive.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

from django.db import connections

from ..store.queries import records_of
from ..store.routing import read_alias
from .compile import normalise, positive_words
from .facets import count as count_facets
from .facets import FacetCounts, facet_index
from .filters import facet_filters
from .index import ready as ready_index
from .query import Query, QueryError, parse_query
from .ranked import answer as ranked_answer
from .ranked import encode_cursor as offset_cursor
from .snippets import best_snippet, citing_snippets
from .sql import hits_sql

SORTS = {"relevance", "date", "-date", "oldest"}
ENGINES = {"auto", "index", "sql"}
MAX_LIMIT = 500
FACET_ROWS = 25
DENSE = 20  # a filter-only result holding over 1/DENSE of the cables is paged by walking the date index


@dataclass(frozen=True)
class Hit:
    reference_id: str
    subject: str | None
    created: str | None
    origin: str | None
    classification: str | None
    snippet: str
    paragraph: int | None
    score: float

    def to_json(self) -> dict:
        return {"reference_id": self.reference_id, "subject": self.subject, "created": self.created,
                "origin": self.origin, "classification": self.classification,
                "snippet": self.snippet, "paragraph": self.paragraph, "score": round(self.score, 6)}


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    histogram: list[tuple[str, int]] = field(default_factory=list)
    next_cursor: str | None = None
    sort: str = "relevance"
    id_lookup: str | None = None
    engine: str = "sql"  # which path answered: "index" (the ranking index) or "sql"

    def to_json(self) -> dict:
        return {
            "query": self.query, "total": self.total, "sort": self.sort,
            "hits": [h.to_json() for h in self.hits],
            "facets": {k: [{"value": v, "count": n} for v, n in rows] for k, rows in self.facets.items()},
            "histogram": [{"month": m, "count": n} for m, n in self.histogram],
            "next_cursor": self.next_cursor,
        }


def search(text: str, *, sort: str = "relevance", limit: int = 20, cursor: str | None = None,
           facets: bool = False, using: str | None = None, engine: str = "auto",
           every_cable_when_empty: bool = False) -> SearchResult:
    """Run a query typed by a person. Raises QueryError (with a message for them) on bad input.

    ``engine``: ``auto`` (the ranking index when it can answer, else SQL), ``sql``, or ``index``
    (the ranking index or a QueryError saying why not: for the tests and the bench). ``using``:
    the database (None: where this context reads, :func:`cables.store.routing.read_alias`).
    ``every_cable_when_empty``: an empty query selects every cable, newest first (the API's list
    of cables, paged by the same cursors); otherwise the person is asked to type something."""
    if engine not in ENGINES:
        raise QueryError(f"engine must be one of {', '.join(sorted(ENGINES))}")
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(sorted(SORTS))}")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    query = parse_query(text)
    using = using or read_alias()
    connection = connections[using]
    if query.id_lookup:
        return _id_lookup(query, text, limit, connection)
    if query.is_empty and not every_cable_when_empty:
        raise QueryError("type words, a phrase, a filter (tag:PGOV) or a reference id")
    hits = hits_sql(query, connection.vendor)
    sort = "relevance" if sort == "relevance" and hits.has_text else ("date" if sort == "relevance" else sort)
    data = _decode_cursor(cursor, sort)
    if engine != "sql" and (data is None or "o" in data):
        found = _ranked(query, text, sort, data, limit, facets, connection, engine)
        if found is not None:
            return found
    if engine == "index":
        raise QueryError("the ranking index cannot answer this query (only excluded words, a filter without "
                         "an index form, or an index missing or behind)")
    if data is not None and "o" in data:
        raise QueryError("this page cursor is out of date: search again from the first page")
    after = (data["k"], int(data["id"])) if data is not None else None
    order, keyset, key_params = _ordering(sort, after)
    with connection.cursor() as c:
        c.execute(hits.count, hits.count_params)
        total = c.fetchone()[0]
        page = hits
        if not hits.has_text and sort != "relevance" and total * DENSE > _cables(c):
            page = hits_sql(query, connection.vendor, probe=True)  # walk the date index instead
        # Order and cut the hits on (id, score[, created]) alone, then read the page's rows.
        columns = "h.id, h.score" if sort == "relevance" else "h.id, h.score, h.created"
        c.execute(
            f"SELECT cb.id, cb.canonical_id, cb.subject, cb.created, cb.origin, cb.classification, h.score "
            f"FROM (SELECT {columns} FROM ({page.sql}) h {keyset} ORDER BY {order} "
            f"LIMIT %s) h JOIN store_cable cb ON cb.id = h.id ORDER BY {order}",
            [*page.params, *key_params, limit + 1],
        )
        rows = c.fetchall()
        facet_rows, histogram = _facets(c, hits, using) if facets else ({}, [])
    more = len(rows) > limit
    rows = rows[:limit]
    page = _hits(connection, query, rows)
    next_cursor = _encode_cursor(sort, rows[-1]) if more and rows else None
    return SearchResult(text, total, page, facet_rows, histogram, next_cursor, sort)


def _ranked(query: Query, text: str, sort: str, data: dict | None, limit: int, facets: bool,
            connection, engine: str) -> SearchResult | None:
    """The result from the ranking index, or None when it cannot answer (the SQL path does)."""
    index = ready_index(connection.alias)
    if index is None or (data is not None and data.get("n") is None):
        return None
    page = ranked_answer(index, query, sort, int(data["o"]) if data else 0, limit, facets)
    if page is None:
        return None
    ids = [cable_id for cable_id, _ in page.hits]
    rows_by_id = {}
    if ids:
        with connection.cursor() as c:
            c.execute("SELECT id, canonical_id, subject, created, origin, classification FROM store_cable "
                      f"WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
            rows_by_id = {r[0]: r for r in c.fetchall()}
    rows = [(*rows_by_id[i], score) for i, score in page.hits if i in rows_by_id]
    hits = _hits(connection, query, rows)
    facet_rows, histogram = _facet_rows(page.counts) if page.counts is not None else ({}, [])
    next_cursor = offset_cursor(sort, page.next_offset, page.number) if page.next_offset is not None else None
    return SearchResult(text, page.total, hits, facet_rows, histogram, next_cursor, sort, engine="index")


def _hits(connection, query: Query, rows: list) -> tuple[Hit, ...]:
    """The page's hits from its rows (id, canonical id, subject, created, origin, classification,
    score), each with its snippet: whichever path found them."""
    words = positive_words(normalise(query.text))
    snippets = _snippets(connection, [r[0] for r in rows], words, _cited(query, words))
    return tuple(Hit(r[1], r[2], r[3], r[4], r[5], *snippets.get(r[0], ("", None)), float(r[6] or 0))
                 for r in rows)


def _snippets(connection, cable_ids: list[int], words: list, cited: str | None) -> dict:
    """The hits' snippets: around where each uses its REF item citing ``cited`` (from their
    records, one query), else around the words searched (from their paragraphs)."""
    if cited and cable_ids:
        return citing_snippets(records_of(cable_ids, using=connection.alias), cable_ids, cited)
    return best_snippet(connection, cable_ids, words)


def _cited(query: Query, words: list) -> str | None:
    """The id whose citations the snippets show: that of a ``ref:ID`` query with no words (the
    words searched, when there are some, choose the snippet)."""
    refs = query.filter_values("ref")
    return refs[0] if len(refs) == 1 and not words else None


def _cables(c) -> int:
    """About how many cables the archive holds (the largest id: one index seek)."""
    c.execute("SELECT max(id) FROM store_cable")
    return c.fetchone()[0] or 0


def count(text: str, using: str | None = None) -> int:
    return search(text, limit=1, using=using).total


# --- ordering and cursors -------------------------------------------------------------------------

def _ordering(sort: str, after: tuple | None) -> tuple[str, str, list]:
    """ORDER BY and the keyset condition after a cursor, on the hits' (id, score, created)."""
    if sort == "relevance":
        order = "h.score DESC, h.id ASC"
        keyset = "WHERE (h.score < %s OR (h.score = %s AND h.id > %s))" if after else ""
    elif sort in {"date", "-date"}:
        order = "h.created DESC, h.id ASC"
        keyset = "WHERE (h.created < %s OR (h.created = %s AND h.id > %s))" if after else ""
    else:  # oldest first
        order = "h.created ASC, h.id ASC"
        keyset = "WHERE (h.created > %s OR (h.created = %s AND h.id > %s))" if after else ""
    params = [after[0], after[0], after[1]] if after else []
    return order, keyset, params


def _encode_cursor(sort: str, row: tuple) -> str:
    key = row[6] if sort == "relevance" else row[3]
    raw = json.dumps({"s": sort, "k": key, "id": row[0]}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str | None, sort: str) -> dict | None:
    """A cursor's data: the SQL path's keyset (``k``, ``id``) or the ranking index's offset and
    change number (``o``, ``n``, see :func:`.ranked.encode_cursor`)."""
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if data["s"] != sort:
            raise QueryError("this page cursor belongs to another sort order")
        if "o" in data:
            if int(data["o"]) < 0 or int(data["o"]) > 100_000:
                raise ValueError("offset")
            return data
        int(data["id"])
        data["k"]
        return data
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise QueryError("the page cursor is not one this site made") from exc


# --- facets ---------------------------------------------------------------------------------------

def _facets(c, hits, using: str) -> tuple[dict[str, list[tuple[str, int]]], list[tuple[str, int]]]:
    """Counts over the whole result for each facet of :mod:`.filters` (origin, tag,
    classification, year), and the months: the hits' ids read once, counted in the facet index
    (:mod:`.facets`)."""
    index = facet_index(using)
    c.execute(hits.ids, hits.ids_params)
    return _facet_rows(count_facets(index, [row[0] for row in c.fetchall()]))


def _facet_rows(counts: FacetCounts) -> tuple[dict[str, list[tuple[str, int]]], list[tuple[str, int]]]:
    facets = {f.name: f.facet_rows(getattr(counts, f.name), FACET_ROWS) for f in facet_filters()}
    return facets, sorted(counts.month.items())


# --- an id typed alone ------------------------------------------------------------------------------

def _id_lookup(query: Query, text: str, limit: int, connection) -> SearchResult:
    """That cable first, then the archived cables citing it."""
    with connection.cursor() as c:
        c.execute("SELECT id, canonical_id, subject, created, origin, classification FROM store_cable "
                  "WHERE canonical_id = %s", [query.id_lookup])
        first = c.fetchall()
        c.execute("SELECT DISTINCT cb.id, cb.canonical_id, cb.subject, cb.created, cb.origin, "
                  "cb.classification FROM store_referenceedge e JOIN store_cable cb ON cb.id = e.citing_id "
                  "WHERE e.cited_id = %s ORDER BY cb.created DESC, cb.id LIMIT %s", [query.id_lookup, limit])
        citing = [r for r in c.fetchall() if not first or r[0] != first[0][0]]
    rows = (first + citing)[:limit]
    snippets = _snippets(connection, [r[0] for r in rows], [], query.id_lookup)
    hits = tuple(Hit(r[1], r[2], r[3], r[4], r[5], *snippets.get(r[0], ("", None)),
                     1.0 if first and r[0] == first[0][0] else 0.0) for r in rows)
    return SearchResult(text, len(first) + len(citing), hits, sort="relevance", id_lookup=query.id_lookup)
