"""Facet counts over a whole result, from an in-memory copy of the columns facets read.

A broad query on 250,000 cables has 150,000 hits; grouping them in SQL joins each to its row and
its tag rows (1.4 million of them) and takes a second or more. Facets need only a few small values
per cable: origin, classification, month, tags. Kept here as integer arrays (22 MB for
250,000 cables), the counts over any set of hits are a handful of vectorised operations:
milliseconds, whatever the result's size.

The copy is made per process and database on the first faceted search, then again whenever the
archive's generation (:mod:`cables.store.generation`: every write replaces it) has moved on, so
counts are never those of an older archive.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db import connections

from ..store import generation
from ..store.routing import same_data_as
from .filters import UNKNOWN


@dataclass(frozen=True)
class FacetIndex:
    generation: str
    ids: np.ndarray            # store_cable.id, ascending
    origin: np.ndarray         # per cable: index into origins
    origins: list[str]
    classification: np.ndarray
    classifications: list[str]
    month: np.ndarray          # per cable: index into months; -1 without a date
    months: list[str]
    tag_cable: np.ndarray      # per tag row: the cable's position in ids
    tag: np.ndarray            # per tag row: index into tags
    tags: list[str]


_indexes: dict[str, FacetIndex] = {}
_lock = threading.Lock()


def facet_index(using: str = "default") -> FacetIndex:
    """The index of database ``using`` as its archive is now (built or rebuilt as needed); a
    replica's is its primary's (kept once: they hold the same cables)."""
    now = generation.current(using)
    kept = same_data_as(using)
    index = _indexes.get(kept)
    if index is not None and index.generation == now:
        return index
    with _lock:
        index = _indexes.get(kept)
        if index is None or index.generation != now:
            index = _indexes[kept] = _build(using, now)
    return index


def _encode(values) -> tuple[np.ndarray, list[str]]:
    """Values → (a code per value, the distinct values in code order); None → -1."""
    table: dict[str, int] = {}
    codes = [-1 if value is None else table.setdefault(value, len(table)) for value in values]
    return np.asarray(codes, dtype=np.int32), list(table)


def _build(using: str, now: str) -> FacetIndex:
    connection = connections[using]
    with connection.cursor() as c:
        c.execute("SELECT id, origin, classification, substr(created, 1, 7) FROM store_cable ORDER BY id")
        rows = c.fetchall()
        tag_cables, tag_ids = _integer_columns(c, connection.vendor, "store_cabletag",
                                               "cable_id", "tag_id")
        c.execute("SELECT id, code FROM store_tag ORDER BY id")
        tag_codes = c.fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    origin, origins = _encode(r[1] or UNKNOWN for r in rows)
    classification, classifications = _encode(r[2] or UNKNOWN for r in rows)
    month, months = _encode(r[3] or None for r in rows)
    known_tags = np.fromiter((t[0] for t in tag_codes), dtype=np.int64, count=len(tag_codes))
    return FacetIndex(
        generation=now,
        ids=ids,
        origin=origin, origins=origins,
        classification=classification, classifications=classifications,
        month=month, months=months,
        tag_cable=np.searchsorted(ids, tag_cables),
        tag=np.searchsorted(known_tags, tag_ids).astype(np.int32),
        tags=[t[1] for t in tag_codes],
    )


def _integer_columns(cursor, vendor: str, table: str, *columns: str) -> list[np.ndarray]:
    """Integer columns of every row of ``table``, as arrays aligned row by row.

    Read as one comma-separated string per column that numpy parses: the 1.4 million tag rows of
    250,000 cables as tuples took 0.57 s, as two strings 0.25 s plus 0.02 s. The aggregates of one
    SELECT see the rows in the same order, so the arrays stay aligned.
    """
    join = "group_concat({}, ',')" if vendor == "sqlite" else "string_agg(({})::text, ',')"
    cursor.execute(f"SELECT {', '.join(join.format(c) for c in columns)} FROM {table}")
    return [np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, dtype=np.int64)
            for text in cursor.fetchone()]


@dataclass(frozen=True)
class FacetCounts:
    """Counts per value of each facet (a field per facet of :mod:`.filters`, named as it) and
    per month (the chart)."""

    origin: Counter
    classification: Counter
    year: Counter
    month: Counter
    tag: Counter


def count(index: FacetIndex, hit_ids) -> FacetCounts:
    """Counts per value over the cables ``hit_ids`` (store_cable ids, each once)."""
    hits = np.asarray(hit_ids, dtype=np.int64)
    positions = np.searchsorted(index.ids, hits)
    found = positions < len(index.ids)
    positions = positions[found]
    positions = positions[index.ids[positions] == hits[found]]  # a cable written since: skipped

    def counter(codes: np.ndarray, names: list[str]) -> Counter:
        counts = np.bincount(codes, minlength=len(names))
        return Counter({names[i]: int(counts[i]) for i in np.flatnonzero(counts)})

    dated = index.month[positions]
    month = counter(dated[dated >= 0], index.months)
    year: Counter = Counter()
    for value, n in month.items():
        year[value[:4]] += n
    undated = int((dated < 0).sum())
    if undated:
        year[UNKNOWN] += undated
    chosen = np.zeros(len(index.ids), dtype=bool)
    chosen[positions] = True
    return FacetCounts(
        origin=counter(index.origin[positions], index.origins),
        classification=counter(index.classification[positions], index.classifications),
        year=year,
        month=month,
        tag=counter(index.tag[chosen[index.tag_cable]], index.tags),
    )
