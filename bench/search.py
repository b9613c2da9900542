"""p50/p95 latency of a fixed mix of 20 queries, with and without facets, per backend.

Runs against an existing archive (ingest it first with `cables ingest`), in this process, so the
figures are the search layer's own: parsing the query, the SQL, snippets, facets.

    python bench/search.py --db cables.db [--db postgresql://...] [--rounds 5] [--per-query]

Given archives of the same sources (e.g. one SQLite, one PostgreSQL), it then prints how many
of the queries differ between them: every hit (by reference id), the total, the facets and the
histogram must be the same (0), as tests/test_differential.py checks at the mirror's size.

``--per-query`` adds, per backend, each query's hit count and median time with and without
facets, and which path answered it (``index``: the ranking index, ``sql``): which queries make
the p95. ``--engine sql`` measures the SQL path alone (as before the ranking index); ``auto``
(the default) catches the ranking index up first (its time is printed) and lets the search
service choose, as the site does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

QUERIES = [
    "iran",                                   # single words
    "nuclear",
    "corruption",
    "wedding",
    '"human rights"',                         # phrases
    '"prime minister"',
    '"end summary"',
    "negotiat*",                              # prefix
    "iran -nuclear",                          # exclusion
    "kabul OR kandahar",                      # OR
    "tag:PGOV",                               # filters alone
    "origin:moscow",
    "classification:secret year:2009",
    "from:2009-01 to:2009-03-31",
    "oil tag:EPET classification:confidential",  # words + filters
    'subject:"human rights"',
    "marking:S/NF iran",
    "06MOSCOW9533",                           # id lookups
    "08ECTION01OF02MANAMA492",
    "ref:06ALMATY1450",
]


def answer(alias: str, text: str):
    """What an archive answers to a query, comparable across archives: (the reference ids of
    every hit, sorted; the total; the facets; the histogram), or ("error", message). The
    differential test (tests/test_differential.py) compares the backends by it too."""
    from django.db import connections

    from cables.search.query import QueryError, parse_query
    from cables.search.service import search
    from cables.search.sql import hits_sql

    try:
        result = search(text, limit=1, facets=True, using=alias)
    except QueryError as exc:
        return ("error", str(exc))
    query = parse_query(text)
    connection = connections[alias]
    with connection.cursor() as c:
        if query.id_lookup:
            ids = [h.reference_id for h in search(text, limit=500, using=alias).hits]
        else:
            sql = hits_sql(query, connection.vendor)
            c.execute(f"SELECT cb.canonical_id FROM ({sql.ids}) h JOIN store_cable cb ON cb.id = h.id",
                      sql.ids_params)
            ids = [row[0] for row in c.fetchall()]
    return (sorted(ids), result.total, result.facets, result.histogram)


def differing_queries(aliases: list[str]) -> list[str]:
    """The bench's queries on which the archives do not all give the same answer."""
    return [q for q in QUERIES if len({repr(answer(alias, q)) for alias in aliases}) > 1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", action="append", required=True, help="archive path or URL (repeatable)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--per-query", action="store_true", help="each query's figures too")
    ap.add_argument("--engine", choices=["auto", "sql"], default="auto",
                    help="auto: the ranking index where it can answer (default); sql: the SQL path only")
    args = ap.parse_args()
    from cables.store import db

    db.setup(args.db[0])
    from cables.search.service import search  # imports the store's models: after the setup
    aliases = []
    for n, target in enumerate(args.db):
        alias = "default" if n == 0 else db.add_database(f"bench{n}", target)
        aliases.append(alias)
        db.migrate(alias)  # as every `cables` command does: an archive of an older version
        from django.db import connections

        vendor = connections[alias].vendor
        with connections[alias].cursor() as c:
            c.execute("SELECT count(*) FROM store_cable")
            cables = c.fetchone()[0]
        if args.engine == "auto":
            from cables.search.index import catch_up

            started = time.perf_counter()
            done = catch_up(alias)
            print(f"{vendor:<10} ranking index: {'rebuilt, ' if done.rebuilt else ''}{done.indexed:,} "
                  f"cables indexed in {time.perf_counter() - started:.1f} s{' (' + done.skipped + ')' if done.skipped else ''}")
        for query in QUERIES:  # warm caches once
            search(query, facets=True, using=alias, engine=args.engine)
        by_query: dict[tuple[str, bool], list[float]] = {}
        totals: dict[str, int] = {}
        paths: dict[str, str] = {}
        for facets in (False, True):
            times = []
            for _ in range(args.rounds):
                for query in QUERIES:
                    started = time.perf_counter()
                    result = search(query, limit=20, facets=facets, using=alias, engine=args.engine)
                    elapsed = (time.perf_counter() - started) * 1000
                    times.append(elapsed)
                    by_query.setdefault((query, facets), []).append(elapsed)
                    totals[query] = result.total
                    paths[query] = result.engine if not result.id_lookup else "sql"
            label = "with facets+histogram" if facets else "page of hits        "
            indexed = sum(1 for q in QUERIES if paths[q] == "index")
            print(f"{vendor:<10} {cables:>8,} cables  {label}  p50 {statistics.median(times):7.1f} ms"
                  f"  p95 {percentile(times, 0.95):7.1f} ms  ({len(times)} queries; "
                  f"{indexed} of {len(QUERIES)} answered by the ranking index)")
        if args.per_query:
            print(f"  {'query':<44} {'hits':>8}  {'page ms':>8}  {'facets ms':>9}  path  (medians)")
            for query in QUERIES:
                print(f"  {query:<44} {totals[query]:>8,}  "
                      f"{statistics.median(by_query[(query, False)]):8.1f}  "
                      f"{statistics.median(by_query[(query, True)]):9.1f}  {paths[query]}")
    if len(aliases) > 1:
        differ = differing_queries(aliases)
        print(f"queries whose hits, total, facets or histogram differ between the archives: "
              f"{len(differ)} of {len(QUERIES)}{': ' + ', '.join(differ) if differ else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
