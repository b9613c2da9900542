"""A parsed query answered by the ranking index (:mod:`.index`): its page, total and facets.

The same tree :mod:`.compile` writes as FTS5 and tsquery, as Tantivy queries over the same terms:
a word is its term in the subject (boosted :data:`.index.SUBJECT_BOOST`, as bm25's 10:1 weights)
or the body; a phrase the same terms at consecutive positions in one field; a prefix the terms
starting so (a regular expression over the term dictionary, no limit) or those
:func:`cables.words.prefix_terms` adds; ``-word`` excludes; each filter is its index form
(:meth:`.filters.SearchFilter.index_form`), and filters alone select from every cable. A query with
a filter that has none, or with excluded words only, is not answered here (None): the SQL path
answers it.

Pages: Tantivy keeps the top ``offset + limit + 1`` by score (WAND) or by a sort key (see
:mod:`.index`); the cursor of the next page is that offset with the index's change number
(:func:`encode_cursor`): while the archive does not change, pages follow each other exactly; a
cursor made before a change pages through the new results from the same place.
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from dataclasses import dataclass

import tantivy

from .. import words
from .compile import normalise, split_negatives
from .errors import QueryError
from .facets import FacetCounts
from .filters import REGISTRY, UNKNOWN, IndexForm
from .index import SUBJECT_BOOST, RankingIndex
from .query import And, Node, Not, Or, Phrase, Query, Word

Occur, Q = tantivy.Occur, tantivy.Query
SORT_FIELDS = {"date": ("newest", tantivy.Order.Desc), "-date": ("newest", tantivy.Order.Desc),
               "oldest": ("oldest", tantivy.Order.Asc)}
BUCKETS = 1 << 20  # terms kept per facet: all of them, so every count is exact


@dataclass(frozen=True)
class RankedPage:
    """The hits of a page (store_cable id, score: 0 when sorted by date), in order; the total;
    the offset after the page when there is one."""

    hits: list[tuple[int, float]]
    total: int
    next_offset: int | None
    number: int
    counts: FacetCounts | None = None


def compile_query(index: RankingIndex, query: Query):
    """The Tantivy query of ``query``, or None when the ranking index cannot answer it."""
    text = normalise(query.text)
    positive, negatives = split_negatives(text) if text is not None else (None, [])
    if positive is None and not query.filters:
        return None  # nothing but excluded words: every cable is a candidate, the SQL path's case
    # Filters alone select in the index too (their facets are its aggregations): every cable,
    # narrowed by them.
    clauses = [(Occur.Must, _node(index, positive) if positive is not None else Q.all_query())]
    clauses += [(Occur.MustNot, _node(index, n)) for n in negatives]
    for f in query.filters:
        form = REGISTRY[f.name].index_form(list(f.values))
        if form is None:
            return None
        selects = _form(index, form)
        if f.negated:
            clauses.append((Occur.MustNot, selects))
            if form.present:  # SQL's NOT (column …) is not true of a NULL column
                clauses.append((Occur.Must, Q.term_query(index.schema, "present", form.field)))
        else:
            clauses.append((Occur.Must, selects))
    return clauses[0][1] if len(clauses) == 1 else Q.boolean_query(clauses)


def _fields(node) -> tuple[str, ...]:
    return ("subject",) if node.subject_only else ("subject", "body")


def _boosted(field: str, query):
    return Q.boost_query(query, SUBJECT_BOOST) if field == "subject" else query


def _any(queries: list):
    return queries[0] if len(queries) == 1 else Q.boolean_query([(Occur.Should, q) for q in queries])


def _node(index: RankingIndex, node: Node):
    schema = index.schema
    if isinstance(node, Word):
        found = []
        for field in _fields(node):
            if node.prefix:
                starts, whole = words.prefix_terms(node.text)
                found += [_boosted(field, Q.regex_query(schema, field, re.escape(p) + ".*")) for p in starts]
                found += [_boosted(field, Q.term_query(schema, field, t)) for t in whole]
            else:
                found.append(_boosted(field, Q.term_query(schema, field, node.text)))
        return _any(found)
    if isinstance(node, Phrase):
        return _any([_boosted(field, Q.phrase_query(schema, field, list(node.words)))
                     for field in _fields(node)])
    if isinstance(node, Not):
        raise QueryError("-word (or NOT) can only exclude from the whole query, not inside OR or "
                         "parentheses")
    occur = Occur.Must if isinstance(node, And) else Occur.Should
    return Q.boolean_query([(occur, _node(index, n)) for n in node.nodes])


def _form(index: RankingIndex, form: IndexForm):
    schema = index.schema
    if form.terms:
        if len(form.terms) == 1:
            return Q.term_query(schema, form.field, form.terms[0])
        return Q.term_set_query(schema, form.field, list(form.terms))
    ranges = []
    for low, high in form.ranges:
        if low is None and high is None:
            ranges.append(Q.exists_query(form.field))
        else:
            ranges.append(Q.range_query(schema, form.field, tantivy.FieldType.Integer, low, high,
                                        include_lower=True, include_upper=high is None))
    return _any(ranges)


def answer(index: RankingIndex, query: Query, sort: str, offset: int, limit: int,
           facets: bool) -> RankedPage | None:
    """The page of ``query`` from ``offset``, its total and (``facets``) the facet counts."""
    compiled = compile_query(index, query)
    if compiled is None:
        return None
    searcher = index.searcher
    if sort == "relevance":
        found = searcher.search(compiled, limit + 1, count=False, offset=offset).hits
    else:
        field, order = SORT_FIELDS[sort]
        found = searcher.search(compiled, limit + 1, count=False, offset=offset,
                                order_by_field=field, order=order).hits
    ids = searcher.fast_field_values("id", [address for _, address in found]) if found else []
    hits = [(int(i), float(key) if sort == "relevance" else 0.0) for i, (key, _) in zip(ids, found)]
    more = len(hits) > limit
    aggregations = {"total": {"value_count": {"field": "id"}}}
    if facets:
        for field in ("origin", "classification", "month", "tag"):
            aggregations[field] = {"terms": {"field": field, "size": BUCKETS, "segment_size": BUCKETS}}
    result = searcher.aggregate(compiled, aggregations)
    total = int(result["total"]["value"] or 0)
    counts = _counts(result, total) if facets else None
    return RankedPage(hits[:limit], total, offset + limit if more else None, index.number, counts)


def _counts(result: dict, total: int) -> FacetCounts:
    """The aggregations as :func:`.facets.count` counts: a cable without an origin or a
    classification is ``unknown``, one without a date an ``unknown`` year."""

    def buckets(name: str) -> Counter:
        return Counter({b["key"]: int(b["doc_count"]) for b in result[name]["buckets"]})

    origin, classification, month, tag = (buckets(n) for n in ("origin", "classification", "month", "tag"))
    for counter in (origin, classification):
        missing = total - sum(counter.values())
        if missing:
            counter[UNKNOWN] += missing
    year: Counter = Counter()
    for value, n in month.items():
        year[value[:4]] += n
    undated = total - sum(month.values())
    if undated:
        year[UNKNOWN] += undated
    return FacetCounts(origin=origin, classification=classification, year=year, month=month, tag=tag)


# --- cursors ------------------------------------------------------------------------------------------

def encode_cursor(sort: str, offset: int, number: int) -> str:
    raw = json.dumps({"s": sort, "o": offset, "n": number}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def is_offset_cursor(data: dict) -> bool:
    return "o" in data
