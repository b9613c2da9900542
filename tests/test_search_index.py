"""The ranking index (cables.search.index) gives the SQL path's answers, and stays in step.

1. Same answers: on a SQLite archive of the whole mirror (6,712 pages, by the real ``cables
   ingest``), every query of ``bench/search.py``, of the other tests (tests/test_differential.py's
   list) and queries hypothesis writes get from the ranking index the same set of hits, the same
   total, the same facet counts and histogram as from the SQL path (FTS5), which stays the
   reference. A query the index cannot answer (no words, ``origin:``) must say so, and the SQL
   path answers it.
2. Never silently wrong: an ingest killed mid-way (SIGKILL, after some batches were committed)
   leaves the index behind the archive, never ahead; until it catches up the SQL path answers;
   after the catch-up every cable is indexed once, the marker is the archive's number and the
   hits are the SQL path's.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import FORMAT_TARS, MIRROR_TAR, require, setup_django, unpack
from test_differential import EXAMPLES, TEST_QUERIES, _bench_queries, queries, vocabulary
from test_ingest import cables

setup_django()

FIRST_RELEASE = next((t for t in FORMAT_TARS if "first-release" in t.name), None)


@pytest.fixture(scope="module")
def mirror(mirror_archive, db_access) -> str:
    """A SQLite archive of the mirror with its ranking index: its Django alias."""
    with db_access():
        yield mirror_archive("sqlite")[1]


def index_answer(alias: str, text: str):
    """(hit ids, total, facets, histogram) from the ranking index, or None when it cannot answer."""
    from cables.search import index, ranked
    from cables.search.query import QueryError, parse_query
    from cables.search.service import search

    try:
        result = search(text, limit=1, facets=True, using=alias, engine="index")
    except QueryError:
        return None
    opened = index.ready(alias)
    compiled = ranked.compile_query(opened, parse_query(text))
    found = opened.searcher.search(compiled, max(result.total, 1), count=False).hits
    ids = opened.searcher.fast_field_values("id", [address for _, address in found]) if found else []
    return sorted(ids), result.total, result.facets, result.histogram


def sql_answer(alias: str, text: str):
    from django.db import connections

    from cables.search.query import parse_query
    from cables.search.service import search
    from cables.search.sql import hits_sql

    result = search(text, limit=1, facets=True, using=alias, engine="sql")
    sql = hits_sql(parse_query(text), connections[alias].vendor)
    with connections[alias].cursor() as c:
        c.execute(sql.ids, sql.ids_params)
        ids = sorted(row[0] for row in c.fetchall())
    return ids, result.total, result.facets, result.histogram


def same_answer(alias: str, text: str) -> bool:
    """True when the index answered (and agreed), False when it left the query to SQL."""
    from cables.search.compile import normalise, split_negatives
    from cables.search.query import QueryError, parse_query

    try:
        query = parse_query(text)
        if query.id_lookup or query.is_empty:
            return False
        reference = sql_answer(alias, text)
    except QueryError:
        return False
    found = index_answer(alias, text)
    if found is None:
        text_node = normalise(query.text)
        positive = split_negatives(text_node)[0] if text_node is not None else None
        assert positive is None or any(f.name == "origin" for f in query.filters), \
            f"{text!r}: the index should answer a query with words and no origin: filter"
        return False
    ids, total, facets, histogram = found
    only_index, only_sql = set(ids) - set(reference[0]), set(reference[0]) - set(ids)
    assert not only_index and not only_sql and len(ids) == len(reference[0]), \
        f"{text!r}: {len(ids)} hits from the index, {len(reference[0])} from SQL; only in the " \
        f"index: {sorted(only_index)[:10]}, only in SQL: {sorted(only_sql)[:10]}"
    assert total == reference[1], f"{text!r}: total {total} (index) against {reference[1]} (SQL)"
    assert facets == reference[2], f"{text!r}: facets differ"
    assert histogram == reference[3], f"{text!r}: histograms differ"
    return True


def test_known_queries_get_the_sql_answer_from_the_index(mirror):
    answered = [text for text in _bench_queries() + TEST_QUERIES if same_answer(mirror, text)]
    assert len(answered) >= 40, answered  # most of them have words and no origin: filter


def test_written_queries_get_the_sql_answer_from_the_index(mirror):
    vocab = vocabulary(mirror)
    answered: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(queries(vocab))
    def check(text: str) -> None:
        if same_answer(mirror, text):
            answered.append(text)

    check()
    print(f"\n{len(answered)} written queries answered by the index, all as the SQL path")
    assert len(answered) >= min(EXAMPLES, 100) // 2


def test_pages_sorted_by_date_are_the_sql_paths_pages(mirror):
    from cables.search.service import search

    for sort in ("date", "oldest"):
        pages = {}
        for engine in ("index", "sql"):
            seen, cursor = [], None
            for _ in range(50):
                result = search("nuclear tag:PREL", sort=sort, limit=40, cursor=cursor, using=mirror,
                                engine=engine)
                seen += [h.reference_id for h in result.hits]
                cursor = result.next_cursor
                if not cursor:
                    break
            pages[engine] = seen
        assert len(pages["sql"]) > 100
        assert pages["index"] == pages["sql"], sort


# --- the two ways documents are made ---------------------------------------------------------------

def _scored_hits(opened, query) -> list[tuple[int, float]] | None:
    """(id, score) of every hit of ``query`` in an open index, by id; None if it cannot answer."""
    from cables.search import ranked

    compiled = ranked.compile_query(opened, query)
    if compiled is None:
        return None
    found = opened.searcher.search(compiled, opened.cables() + 1, count=False).hits
    ids = opened.searcher.fast_field_values("id", [address for _, address in found]) if found else []
    return sorted((cable_id, round(score, 4)) for cable_id, (score, _) in zip(ids, found))


def test_the_index_ingest_fed_is_the_index_a_rebuild_makes(mirror, tmp_path):
    """``cables ingest`` feeds the index the terms its parsing processes computed, batch by batch
    (search.index.Feed); a rebuild reads each cable back from the archive and analyses it again
    (catch_up). Same documents either way: the same hits with the same BM25 scores (so the same
    terms, positions and field lengths) for the bench's and the tests' queries and 300 words of
    the archive, and the same marker."""
    from django.db import connections

    from cables.search import index
    from cables.search.query import QueryError, parse_query
    from cables.store import db

    fed = index.ready(mirror, catch_up_limit=None)
    assert fed is not None, "the ingest left its index caught up"
    alias = db.add_database("rebuilt_sqlite", connections[mirror].settings_dict["NAME"])
    connections[alias].settings_dict["SEARCH_INDEX"] = str(tmp_path / "rebuilt.index")
    try:
        done = index.catch_up(alias)
        assert done.rebuilt and done.indexed == fed.cables() > 6000
        rebuilt = index.RankingIndex(tmp_path / "rebuilt.index")
        assert rebuilt.meta == fed.meta
        compared = 0
        for text in _bench_queries() + TEST_QUERIES + sorted(vocabulary(mirror)[0])[::50][:300]:
            try:
                query = parse_query(text)
                hits = _scored_hits(fed, query)
            except QueryError:
                continue
            assert hits == _scored_hits(rebuilt, query), text
            compared += hits is not None
        assert compared >= 250
    finally:
        connections[alias].close()


# --- an ingest killed mid-way ---------------------------------------------------------------------

def _versions(path: str) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as con:
            return con.execute("SELECT count(*) FROM store_cableversion").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_killed_ingest_leaves_the_index_behind_and_the_catch_up_agrees(tmp_path, db_access):
    from django.db import connections

    from cables.search import index
    from cables.search.service import search
    from cables.store import db

    target = str(tmp_path / "cables.db")
    cables("ingest", str(unpack(require(FIRST_RELEASE))), db=target)
    first = _versions(target)
    folder = tmp_path / "cables.db.index"
    assert folder.is_dir()
    # The whole mirror next (it changes cables of the first release too), killed mid-way.
    process = subprocess.Popen([sys.executable, "-m", "cables", "ingest", "--batch", "200",
                                str(unpack(require(MIRROR_TAR))), "--db", target],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while _versions(target) < first + 1000 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, "the ingest ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with db_access():
        alias = db.add_database("killed_sqlite", target)
        try:
            state = index.ArchiveState.of(connections[alias])
            behind = index.RankingIndex(folder)
            assert first < state.number and behind.number < state.number, "the index is behind"
            assert behind.number <= first
            # Behind by more than a request catches up: the SQL path answers meanwhile.
            assert index.ready(alias, catch_up_limit=10) is None
            assert search("iran", using=alias, engine="sql").total > 0

            done = index.catch_up(alias)
            assert not done.skipped and done.number == state.number
            caught = index.RankingIndex(folder)
            assert caught.number == state.number
            with connections[alias].cursor() as c:
                c.execute("SELECT count(*) FROM store_cable WHERE latest_version_id IS NOT NULL")
                assert caught.cables() == c.fetchone()[0], "each cable indexed once"
            for text in ("iran", '"human rights"', "negotiat*", "nuclear tag:PREL -iran", "minister's"):
                assert same_answer(alias, text), text
            assert search("iran", using=alias).engine == "index"
        finally:
            connections[alias].close()
