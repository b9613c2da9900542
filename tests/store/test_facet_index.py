"""Facet counts come from an in-memory index of the archive (cables.search.facets), made again
whenever the archive's generation moves on: counts are never those of an older archive, on
either backend. Real cables: 06ASTANA38 (Embassy Astana, UNCLASSIFIED//FOR OFFICIAL USE ONLY),
06BOGOTA3049 and 03ANKARA3694, each stored by the writer in turn."""

from __future__ import annotations

from collections import Counter

from conftest import cable

from cables.search.service import search
from cables.store import writer

IDS = ["06ASTANA38", "06BOGOTA3049", "03ANKARA3694"]


def expected(ids: list[str]) -> dict[str, Counter]:
    """The facets of ``ids`` counted from the parsed records, independently of the store."""
    records = [cable(i) for i in ids]
    return {
        "origin": Counter(r.origin or "unknown" for r in records),
        "classification": Counter(r.classification or "unknown" for r in records),
        "year": Counter((r.created or "unknown")[:4] for r in records),
        "tag": Counter(t for r in records for t in dict.fromkeys(t.tag for t in r.tags)),
        "month": Counter(r.created[:7] for r in records if r.created),
    }


def facets_of(query: str, using: str) -> dict[str, Counter]:
    result = search(query, limit=5, facets=True, using=using)
    found = {name: Counter(dict(rows)) for name, rows in result.facets.items()}
    found["month"] = Counter(dict(result.histogram))
    return found


def test_facets_follow_every_write(store):
    stored = []
    for ref in IDS:
        writer.store_batch([(ref, cable(ref))], using=store)
        stored.append(ref)
        assert facets_of("year:2003 OR year:2006", store) == expected(stored), ref
    # a narrower query counts its own hits only
    assert facets_of("origin:astana", store) == expected(["06ASTANA38"])
