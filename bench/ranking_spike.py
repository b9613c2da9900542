"""Spike for issue 13: top-20 ranking that does not score every match, engine by engine.

Loads (id, subject, body, created, tags) of a synthetic cables.csv dump straight into each engine
(no ``cables ingest``) and times the text parts of bench/search.py's queries, "top 20 by rank"
and "count of matches" apart, since the search page needs both:

- ``sqlite``: today's contentless FTS5 (porter unicode61 remove_diacritics 2), ``ORDER BY
  bm25(fts, 10, 1) LIMIT 20`` and ``count(*)``;
- ``gin``: today's PostgreSQL, weighted tsvector (subject A, body B) + GIN, ``ORDER BY ts_rank
  LIMIT 20``;
- ``rum``: the same column with a RUM index (``rum_tsvector_ops``), ``ORDER BY search <=> q
  LIMIT 20``;
- ``tantivy``: an index folder over pre-analyzed text (:mod:`cables.words`' terms joined by spaces,
  indexed with a whitespace + lowercase tokenizer), BM25 with the subject boosted 10, top 20
  without a count (block-max WAND), the count apart, and filters (tag, year) inside tantivy.

The synthetic dump cycles ~2,000 real pages, so each distinct page is parsed and analysed once
(a cache keyed by its text; the analyzer's own cost is measured apart and extrapolated), and the
PostgreSQL vectors are computed once per distinct page on the server and copied to each cable, as
the issue's ingest will hand them over pre-built. FTS5 tokenizes every row itself (it must).

    python bench/synthetic.py --count 250000 --out /tmp/cables-synthetic-250000.csv
    python bench/ranking_spike.py --dump /tmp/cables-synthetic-250000.csv \
        [--count 250000] [--engines tantivy,sqlite,gin,rum] [--rounds 3] [--workdir /tmp/rankspike]

Prints, per engine: load and index-build time, size on disk, p50/p95 of top-20 and of count
over the queries (after one warm-up round), each query's medians and hit counts, and the load
average when measured. A spike: figures printed, nothing asserted.

Since the spike, queries compile to :mod:`cables.words`' terms (``compile.normalise``): the
``sqlite`` and ``gin`` engines, which still analyze with the engines' own stemmers, now get those
terms as their query words, so their counts may differ slightly from the spike's run (the
differential tests compare the adopted indexes; bench/search.py measures them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from cables.parse import parse_one
from cables.parse.rows import csv_row_fields, iter_csv_rows
from cables import words
from cables.search.compile import normalise, split_negatives, to_fts5, to_tsquery
from cables.search.query import And, Not, Or, Phrase, Word, parse_query
from cables.sources.csvdump import iter_csv_dump_rows

# The text parts of bench/search.py's queries (filters dropped; "marking:S/NF iran" is "iran"),
# and one text + filters query, as the site combines them.
QUERIES = [
    "iran", "nuclear", "corruption", "wedding", '"human rights"', '"prime minister"',
    '"end summary"', "negotiat*", "iran -nuclear", "kabul OR kandahar", "oil",
    'subject:"human rights"',
]
FILTERED = ("iran", "PGOV", 2009)  # iran tag:PGOV year:2009
TOP = 20
SUBJECT_BOOST = 10.0


# --- the data -------------------------------------------------------------------------------------

Row = tuple[int, str, str, dt.datetime, tuple[str, ...]]  # id, subject, body, created, tags


def read_dump(path: Path, count: int) -> Iterator[tuple[Row, int]]:
    """(row, key of its distinct page) for the first ``count`` rows; each page parsed once."""
    pages: dict[str, tuple[int, str, str, tuple[str, ...]]] = {}
    for n, text in iter_csv_dump_rows(path):
        if n > count:
            break
        fields = csv_row_fields(next(iter_csv_rows([text])))
        page = fields["header"] + "\x00" + fields["body"]
        known = pages.get(page)
        if known is None:
            cable = parse_one(text)
            known = pages[page] = (len(pages), cable.subject or "", cable.body,
                                   tuple(t.tag for t in cable.tags))
        key, subject, body, tags = known
        date, _, clock = fields["date"].partition(" ")
        month, day, year = (int(v) for v in date.split("/"))
        hour, minute = (int(v) for v in (clock or "0:0").split(":"))
        # the synthetic dump moves a page's day into another month (31 February): clamp it
        yield (n, subject, body, dt.datetime(year, month, min(day, 28), hour, minute), tags), key


# --- timing helpers -------------------------------------------------------------------------------

def load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size


class Report:
    def __init__(self, engine: str, cables: int):
        self.engine = engine
        self.cables = cables
        self.lines: list[str] = []
        self.totals: dict[str, int] = {}

    def note(self, line: str) -> None:
        line = f"[{self.engine}] {line}"
        print(line, flush=True)
        self.lines.append(line)

    def time_queries(self, kinds: dict[str, Callable[[str], object]], queries: list[str], rounds: int) -> None:
        """Each kind (e.g. top20, count) over every query: one warm-up round, then ``rounds``."""
        for query in queries:
            for run in kinds.values():
                run(query)
        by: dict[tuple[str, str], list[float]] = {}
        for _ in range(rounds):
            for query in queries:
                for kind, run in kinds.items():
                    started = time.perf_counter()
                    result = run(query)
                    by.setdefault((kind, query), []).append((time.perf_counter() - started) * 1000)
                    if kind == "count":
                        self.totals[query] = result
        self.note(f"{self.cables:,} cables, {len(queries)} queries x {rounds} rounds ({load()})")
        for kind in kinds:
            times = [t for q in queries for t in by[(kind, q)]]
            self.note(f"  {kind:<12} p50 {statistics.median(times):8.1f} ms   p95 {percentile(times, 0.95):8.1f} ms")
        header = "  ".join(f"{k:>10}" for k in kinds)
        self.note(f"  {'query':<26} {'hits':>8}  {header}   (medians, ms)")
        for query in queries:
            cells = "  ".join(f"{statistics.median(by[(k, query)]):10.1f}" for k in kinds)
            self.note(f"  {query:<26} {self.totals.get(query, -1):>8,}  {cells}")


def text_node(query: str):
    """The query's normalised text tree split into its positive part and excluded parts."""
    node = normalise(parse_query(query).text)
    return split_negatives(node)


# --- SQLite FTS5 (today) --------------------------------------------------------------------------

def run_sqlite(args, rows: list[Row]) -> None:
    path = args.workdir / "fts.db"
    if path.exists():
        path.unlink()
    report = Report("sqlite", len(rows))
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE cable(id INTEGER PRIMARY KEY, created TEXT)")
    con.execute("CREATE TABLE cable_tag(tag TEXT, cable_id INTEGER)")
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(subject, body, content='', "
                "tokenize='porter unicode61 remove_diacritics 2')")
    started = time.perf_counter()
    for i in range(0, len(rows), 1000):
        batch = rows[i:i + 1000]
        con.executemany("INSERT INTO fts(rowid, subject, body) VALUES (?, ?, ?)",
                        [(r[0], r[1], r[2]) for r in batch])
        con.executemany("INSERT INTO cable VALUES (?, ?)", [(r[0], r[3].isoformat(" ")) for r in batch])
        con.executemany("INSERT INTO cable_tag VALUES (?, ?)", [(t, r[0]) for r in batch for t in r[4]])
        con.commit()
    loaded = time.perf_counter() - started
    con.execute("CREATE INDEX cable_tag_tag ON cable_tag(tag, cable_id)")
    con.execute("CREATE INDEX cable_tag_cable ON cable_tag(cable_id, tag)")
    con.execute("CREATE INDEX cable_created ON cable(created)")
    con.commit()
    report.note(f"load (FTS5 tokenizes, 1,000 rows a transaction) {loaded:.0f} s, "
                f"file {du(path) / 2**20:,.0f} MiB ({load()})")

    def positive_and_not(query: str) -> tuple[str, list]:
        positive, negatives = text_node(query)
        sql = "fts MATCH ?"
        params = [to_fts5(positive)]
        for negative in negatives:
            sql += " AND rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
            params.append(to_fts5(negative))
        return sql, params

    def top20(query: str):
        where, params = positive_and_not(query)
        return con.execute(f"SELECT rowid FROM fts WHERE {where} ORDER BY bm25(fts, 10.0, 1.0) "
                           f"LIMIT {TOP}", params).fetchall()

    def count(query: str):
        where, params = positive_and_not(query)
        return con.execute(f"SELECT count(*) FROM fts WHERE {where}", params).fetchone()[0]

    report.time_queries({"top20": top20, "count": count}, QUERIES, args.rounds)
    word, tag, year = FILTERED
    # today's shape (search/sql.py): the match joined to the cable row, the filters on it
    filt = ("FROM fts JOIN cable c ON c.id = fts.rowid WHERE fts MATCH ? AND c.created >= ? AND "
            "c.created < ? AND EXISTS (SELECT 1 FROM cable_tag t WHERE t.cable_id = c.id AND t.tag = ?)")
    params = [to_fts5(text_node(word)[0]), f"{year}-01-01", f"{year + 1}-01-01", tag]
    facet = ("SELECT tag, count(*) FROM cable_tag WHERE cable_id IN (SELECT rowid FROM fts WHERE "
             "fts MATCH ?) GROUP BY tag ORDER BY 2 DESC LIMIT 10")
    report.time_queries({
        "top20": lambda q: con.execute(f"SELECT c.id {filt} ORDER BY bm25(fts, 10.0, 1.0) "
                                       f"LIMIT {TOP}", params).fetchall(),
        "count": lambda q: con.execute(f"SELECT count(*) {filt}", params).fetchone()[0],
        "tagfacet": lambda q: con.execute(facet, [to_fts5(text_node(word)[0])]).fetchall(),
    }, [f"{word} tag:{tag} year:{year}"], args.rounds)
    con.close()
    RESULTS.append(report)


# --- PostgreSQL: GIN + ts_rank (today), then RUM + <=> ---------------------------------------------

def run_postgres(args, rows: list[Row], keys: list[int], engines: list[str]) -> None:
    import psycopg

    from cables.store.tempserver import TemporaryPostgres

    with TemporaryPostgres(durable=True) as server:
        con = psycopg.connect(server.url, autocommit=True)
        con.execute("SET maintenance_work_mem = '512MB'")
        base = Report("postgres", len(rows))
        started = time.perf_counter()
        # one vector per distinct page, computed by the server once (the ingest will hand the
        # vectors over pre-built), then one row per cable
        con.execute("CREATE UNLOGGED TABLE page(key int PRIMARY KEY, search tsvector)")
        pages: dict[int, tuple[str, str]] = {}
        for row, key in zip(rows, keys):
            pages.setdefault(key, (row[1], row[2]))
        with con.cursor() as cur:
            cur.executemany(
                "INSERT INTO page VALUES (%s, setweight(to_tsvector('english', %s), 'A') || "
                "setweight(to_tsvector('english', left(%s, 400000)), 'B'))",
                [(k, s, b) for k, (s, b) in pages.items()])
        vectors = time.perf_counter() - started
        con.execute("CREATE UNLOGGED TABLE staging(id int, created timestamp, tags text[], page int)")
        with con.cursor() as cur, cur.copy("COPY staging FROM STDIN") as copy:
            for row, key in zip(rows, keys):
                copy.write_row((row[0], row[3], list(row[4]), key))
        con.execute("CREATE TABLE cable(id int PRIMARY KEY, created timestamp, tags text[], search tsvector)")
        con.execute("INSERT INTO cable SELECT s.id, s.created, s.tags, p.search FROM staging s "
                    "JOIN page p ON p.key = s.page ORDER BY s.id")
        con.execute("DROP TABLE staging")
        con.execute("CREATE INDEX cable_created ON cable(created)")
        con.execute("CREATE INDEX cable_tags ON cable USING gin(tags)")
        con.execute("VACUUM ANALYZE cable")
        loaded = time.perf_counter() - started
        size = con.execute("SELECT pg_total_relation_size('cable') - pg_indexes_size('cable')").fetchone()[0]
        base.note(f"load {loaded:.0f} s ({vectors:.0f} s of it: {len(pages):,} distinct vectors on the "
                  f"server), table with TOASTed vectors {size / 2**20:,.0f} MiB ({load()})")
        RESULTS.append(base)
        word, tag, year = FILTERED
        filt = "search @@ q AND tags @> ARRAY[%s] AND created >= %s AND created < %s"
        filt_params = [tag, dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)]
        facet = ("SELECT t, count(*) FROM cable, to_tsquery('english', %s) q, unnest(tags) t "
                 "WHERE search @@ q GROUP BY t ORDER BY 2 DESC LIMIT 10")

        for engine in engines:
            report = Report(engine, len(rows))
            started = time.perf_counter()
            if engine == "gin":
                con.execute("CREATE INDEX cable_search ON cable USING gin(search)")
            else:
                con.execute("CREATE EXTENSION IF NOT EXISTS rum")
                con.execute("CREATE INDEX cable_search ON cable USING rum(search rum_tsvector_ops)")
            built = time.perf_counter() - started
            con.execute("ANALYZE cable")
            size = con.execute("SELECT pg_relation_size('cable_search')").fetchone()[0]
            report.note(f"index build {built:.0f} s, index {size / 2**20:,.0f} MiB ({load()})")

            def tsqueries(query: str) -> tuple[str, list[str]]:
                positive, negatives = text_node(query)
                return to_tsquery(positive), [to_tsquery(n) for n in negatives]

            if engine == "gin":
                def where(query: str) -> tuple[str, list]:
                    positive, negatives = tsqueries(query)
                    return ("search @@ q" + " AND NOT search @@ to_tsquery('english', %s)" * len(negatives),
                            negatives)
                order = "ts_rank(search, q) DESC"
            else:
                def where(query: str) -> tuple[str, list]:  # one tsquery the index answers whole
                    return "search @@ q", []
                order = "search <=> q"

            def q_of(query: str) -> str:
                positive, negatives = tsqueries(query)
                if engine == "rum" and negatives:
                    return f"({positive}) & !(" + ") & !(".join(negatives) + ")"
                return positive

            def top20(query: str):
                cond, params = where(query)
                return con.execute(f"SELECT id FROM cable, to_tsquery('english', %s) q WHERE {cond} "
                                   f"ORDER BY {order} LIMIT {TOP}", [q_of(query), *params]).fetchall()

            def count(query: str):
                cond, params = where(query)
                return con.execute(f"SELECT count(*) FROM cable, to_tsquery('english', %s) q WHERE {cond}",
                                   [q_of(query), *params]).fetchone()[0]

            report.time_queries({"top20": top20, "count": count}, QUERIES, args.rounds)
            for query in ("iran", "iran -nuclear", '"end summary"'):
                cond, params = where(query)
                plan = con.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM cable, "
                                   f"to_tsquery('english', %s) q WHERE {cond} ORDER BY {order} LIMIT {TOP}",
                                   [q_of(query), *params]).fetchall()
                report.note(f"  plan of top20 {query!r}: " + " | ".join(
                    r[0].strip() for r in plan if any(w in r[0] for w in ("Scan", "Buffers", "Execution", "Sort"))))
            fq = to_tsquery(text_node(word)[0])
            report.time_queries({
                "top20": lambda q: con.execute(f"SELECT id FROM cable, to_tsquery('english', %s) q WHERE "
                                               f"{filt} ORDER BY {order} LIMIT {TOP}", [fq, *filt_params]).fetchall(),
                "count": lambda q: con.execute(f"SELECT count(*) FROM cable, to_tsquery('english', %s) q "
                                               f"WHERE {filt}", [fq, *filt_params]).fetchone()[0],
                "tagfacet": lambda q: con.execute(facet, [fq]).fetchall(),
            }, [f"{word} tag:{tag} year:{year}"], args.rounds)
            con.execute("DROP INDEX cable_search")
            RESULTS.append(report)
        con.close()


# --- Tantivy ----------------------------------------------------------------------------------------

def run_tantivy(args, rows: list[Row], keys: list[int]) -> None:
    import tantivy as tv

    folder = args.workdir / "tantivy"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    report = Report("tantivy", len(rows))
    sb = tv.SchemaBuilder()
    sb.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("subject", tokenizer_name="words")
    sb.add_text_field("body", tokenizer_name="words")
    sb.add_date_field("created", indexed=True, fast=True)
    sb.add_text_field("tags", tokenizer_name="raw", fast=True, index_option="basic")
    schema = sb.build()
    index = tv.Index(schema, path=str(folder))
    # A custom analyzer is not saved with the index: register it on every open.
    whitespace = tv.TextAnalyzerBuilder(tv.Tokenizer.whitespace()).filter(tv.Filter.lowercase()).build()
    index.register_tokenizer("words", whitespace)

    started = time.perf_counter()
    analysed: dict[int, tuple[str, str]] = {}
    chars = 0
    for row, key in zip(rows, keys):
        if key not in analysed:
            analysed[key] = (" ".join(words.terms(row[1])), " ".join(words.terms(row[2])))
            chars += len(row[1]) + len(row[2])
    analysis = time.perf_counter() - started
    total_chars = sum(len(r[1]) + len(r[2]) for r in rows)
    report.note(f"our analyzer: {len(analysed):,} distinct pages, {chars / 2**20:.1f} MiB in {analysis:.1f} s "
                f"= {chars / 2**20 / analysis:.2f} MiB/s on one core; all {len(rows):,} cables "
                f"({total_chars / 2**20:,.0f} MiB) would take ~{total_chars / chars * analysis:,.0f} s "
                f"of parse-worker time ({load()})")

    started = time.perf_counter()
    writer = index.writer(heap_size=args.tantivy_heap << 20, num_threads=args.tantivy_threads)
    for row, key in zip(rows, keys):
        subject, body = analysed[key]
        doc = tv.Document()
        doc.add_unsigned("id", row[0])
        doc.add_text("subject", subject)
        doc.add_text("body", body)
        doc.add_date("created", row[3])
        for tag in row[4]:
            doc.add_text("tags", tag)
        writer.add_document(doc)
    writer.commit()
    committed = time.perf_counter() - started
    writer.wait_merging_threads()
    loaded = time.perf_counter() - started
    index.reload()
    searcher = index.searcher()
    report.note(f"load {committed:.0f} s to commit, {loaded:.0f} s with merges ({args.tantivy_threads} "
                f"indexing thread(s), {args.tantivy_heap} MB heap), {searcher.num_segments} segments, "
                f"folder {du(folder) / 2**20:,.0f} MiB ({load()})")

    Occur, Query = tv.Occur, tv.Query

    def word_query(node: Word, fields: tuple[str, ...]):
        text = node.text  # already the analyzer's term (compile.normalise)
        terms = [text]
        if node.prefix:  # every indexed stem starting so, and the whole terms words.prefix_terms adds
            terms = sorted({t for f in fields for t, _ in searcher.terms_with_prefix(f, text, limit=64)}
                           | set(words.prefix_terms(text)[1]))
        clauses = []
        for f in fields:
            for t in terms:
                q = Query.term_query(schema, f, t)
                clauses.append((Occur.Should, Query.boost_query(q, SUBJECT_BOOST) if f == "subject" else q))
        return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)

    def phrase_query(node: Phrase, fields: tuple[str, ...]):
        stems = list(node.words)  # already the analyzer's terms (compile.normalise)
        clauses = []
        for f in fields:
            q = Query.phrase_query(schema, f, stems) if len(stems) > 1 else Query.term_query(schema, f, stems[0])
            clauses.append((Occur.Should, Query.boost_query(q, SUBJECT_BOOST) if f == "subject" else q))
        return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)

    def compile_tantivy(node):
        if isinstance(node, (Word, Phrase)):
            fields = ("subject",) if node.subject_only else ("subject", "body")
            return (word_query if isinstance(node, Word) else phrase_query)(node, fields)
        if isinstance(node, Not):
            raise ValueError("negation only at the top")
        occur = Occur.Must if isinstance(node, And) else Occur.Should
        return Query.boolean_query([(occur, compile_tantivy(n)) for n in node.nodes])

    def to_query(query: str, *filters):
        positive, negatives = text_node(query)
        q = compile_tantivy(positive)
        if not negatives and not filters:
            return q
        return Query.boolean_query([(Occur.Must, q), *filters,
                                    *((Occur.MustNot, compile_tantivy(n)) for n in negatives)])

    def ids(hits) -> list[int]:
        return searcher.fast_field_values("id", [addr for _, addr in hits])

    def top20(query: str, *filters):
        return ids(searcher.search(to_query(query, *filters), limit=TOP, count=False).hits)

    def top20_count(query: str, *filters):
        result = searcher.search(to_query(query, *filters), limit=TOP, count=True)
        return ids(result.hits), result.count

    def count(query: str, *filters):
        # the Count collector alone (no scoring); tantivy-py has no count-only search, an
        # aggregation over the query is the nearest
        return int(searcher.aggregate(to_query(query, *filters),
                                      {"n": {"value_count": {"field": "id"}}})["n"]["value"])

    report.time_queries({"top20": top20, "count": count, "top20+count": lambda q: top20_count(q)[1]},
                        QUERIES, args.rounds)
    word, tag, year = FILTERED
    filters = [(Occur.Must, Query.term_query(schema, "tags", tag)),
               (Occur.Must, Query.range_query(schema, "created", tv.FieldType.Date, dt.datetime(year, 1, 1),
                                              dt.datetime(year + 1, 1, 1), include_upper=False))]
    facet = {"tags": {"terms": {"field": "tags", "size": 10}}}
    report.time_queries({
        "top20": lambda q: top20(word, *filters),
        "count": lambda q: count(word, *filters),
        "top20+count": lambda q: top20_count(word, *filters)[1],
        "tagfacet": lambda q: searcher.aggregate(to_query(word), facet),
    }, [f"{word} tag:{tag} year:{year}"], args.rounds)
    RESULTS.append(report)


RESULTS: list[Report] = []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", type=Path, default=Path("/tmp/cables-synthetic-250000.csv"))
    ap.add_argument("--count", type=int, default=250_000)
    ap.add_argument("--engines", default="tantivy,sqlite,gin,rum")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/rankspike"))
    ap.add_argument("--tantivy-threads", type=int, default=1)
    ap.add_argument("--tantivy-heap", type=int, default=512, help="MB")
    args = ap.parse_args()
    engines = args.engines.split(",")
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows, keys = [], []
    for row, key in read_dump(args.dump, args.count):
        rows.append(row)
        keys.append(key)
    print(f"read {len(rows):,} cables ({len(set(keys)):,} distinct pages) from {args.dump} in "
          f"{time.perf_counter() - started:.0f} s ({load()})", flush=True)
    for engine in engines:
        if engine == "tantivy":
            run_tantivy(args, rows, keys)
        elif engine == "sqlite":
            run_sqlite(args, rows)
    pg = [e for e in engines if e in ("gin", "rum")]
    if pg:
        run_postgres(args, rows, keys, pg)
    print("\n=== summary ===")
    for report in RESULTS:
        for line in report.lines:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
