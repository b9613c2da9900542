"""SQLite and PostgreSQL archives of the same sources give the same answers.

Both archives are ingested from the whole April 2011 mirror (6,712 pages) by the real command.
Every query of ``bench/search.py``, every query string the other tests search with, and queries
hypothesis writes over the query language (words, phrases and prefixes drawn from the archive's
own paragraphs, OR, -exclusion, every filter, excluded ones too) must give, on both: the same set
of hits (by reference id), the same total, the same facet counts and histogram — or the same
error message.

What would make them differ is what :mod:`cables.words` exists to prevent: an engine with its own
idea of a word (before it, 12 of the bench's 20 queries differed: ``minister's`` 321 against
3,870 hits).
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, setup_django
from test_ingest import cables

setup_django()


@cache
def _bench():
    """bench/search.py: its queries, and how an archive's answer to one is compared."""
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bench_queries() -> list[str]:
    return list(_bench().QUERIES)


# The query strings the other tests search with (where: the file that uses them).
TEST_QUERIES = [
    # tests/test_search.py
    '"human rights"', "negotiations", "negotiat*", "tag:PHUM", "marking:S/NF", "origin:moscow",
    'origin:"Embassy Moscow"', "origin:embassy", "from:2009-03 to:2009-03-31",
    "from:2009-03-01 to:2009-03", "iran year:2009 classification:secret -nuclear",
    "(kabul OR kandahar) year:2009", "06moscow9533", "06MOSCOW09533", " 06MOSCOW9533 ",
    "ref:09BERLIN1167", "09BERLIN1167", "66STATE106206", "ref:66STATE106206", "iran",
    '"unbalanced', "iran OR", "(iran", "iran)", "'; DROP TABLE store_cable; --",
    "subject:iran NEAR/3 x", "iran\x07", "tag:", "colour:red", "person:clinton", "year:20O6",
    "iran OR -iraq", "the of and",
    # tests/store/test_links.py (words and phrases the store's index is checked with)
    "Baliyeva", "trafficking", "Kazakhstan", "Feneco", "concessions", "zzyzxnotaword",
    '"justice minister"', '"discusses ambassador"', '"minister justice"', '"minister of justice"',
    # tests/web/test_search_page.py, tests/web/test_feeds.py, tests/web/test_browser.py
    "minister", 'tag:AJ "human rights"', "tag:AJ", "tag:PGOV",
    # the examples of disagreement (issue 13)
    "minister's", '"end summary"', '"end of summary"',
    # hard cases of the analyzer: apostrophes, accents, split words, stop words in phrases
    "U.S.", "el-Jahmi", "Müller", "MULLER", "o'brien", "don't", '"prime minister\'s office"',
    "policy*", "iranian*", "subject:negotiat*", 'subject:"human rights" -iran', "the*",
    "ministry OR ministries -minister", "nuclear -iran -iraq", "a OR the OR nuclear",
    # a filter excluded (-tag:…): each index form's exclusion, which no query above has
    "iran -tag:PGOV", "tag:PREL -tag:PGOV", "nuclear -classification:secret", "iran -year:2009",
    "iran -marking:S/NF", "iran -released:2010-11", "nuclear -from:2008-01",
]


@pytest.fixture(scope="module")
def archives(mirror_archive, db_access) -> dict[str, str]:
    """{backend: Django alias} of the two archives of the mirror."""
    with db_access():
        yield {backend: mirror_archive(backend)[1] for backend in ("sqlite", "postgresql")}


def same_answer(archives: dict[str, str], text: str) -> None:
    answer = _bench().answer  # hits, total, facets, histogram (or the error), by reference id
    sqlite, postgres = answer(archives["sqlite"], text), answer(archives["postgresql"], text)
    if sqlite != postgres:
        only_sqlite = set(sqlite[0]) - set(postgres[0]) if sqlite[0] != "error" else sqlite
        only_postgres = set(postgres[0]) - set(sqlite[0]) if postgres[0] != "error" else postgres
        raise AssertionError(f"{text!r}: totals {sqlite[1]} (SQLite) and {postgres[1]} "
                             f"(PostgreSQL); only on SQLite: {sorted(only_sqlite)[:10]}, only on "
                             f"PostgreSQL: {sorted(only_postgres)[:10]}")


@pytest.mark.parametrize("text", _bench_queries() + TEST_QUERIES)
def test_a_known_query_gets_the_same_answer_on_both(archives, text):
    same_answer(archives, text)


# --- queries hypothesis writes -----------------------------------------------------------------

_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")


@cache
def vocabulary(alias: str) -> tuple[list[str], list[tuple[str, ...]], list[str], list[str], list[str]]:
    """Words and runs of 2-3 words (with their stop words and apostrophes) of the archive's
    paragraphs, its tags and origins, and the ids it cites most, in a fixed order."""
    from django.db import connections

    words: set[str] = set()
    runs: set[tuple[str, ...]] = set()
    with connections[alias].cursor() as c:
        c.execute("SELECT text FROM store_paragraph ORDER BY cable_id, position LIMIT 30000")
        for number, (text,) in enumerate(c.fetchall()):
            found = _WORDS.findall(text)
            words.update(found)
            if found and number % 5 == 0:
                at = number % max(1, len(found))
                runs.add(tuple(found[at:at + 2 + number % 2]))
        c.execute("SELECT code FROM store_tag ORDER BY code")
        tags = [row[0] for row in c.fetchall() if re.fullmatch(r"[A-Z]+", row[0])]
        c.execute("SELECT DISTINCT origin FROM store_cable WHERE origin IS NOT NULL ORDER BY origin")
        origins = sorted({w.lower() for (o,) in c.fetchall() for w in o.split() if len(w) > 3})
        c.execute("SELECT cited_id FROM store_referenceedge WHERE cited_id IS NOT NULL "
                  "GROUP BY cited_id ORDER BY count(*) DESC, cited_id LIMIT 200")
        cited = [row[0] for row in c.fetchall()]
    return sorted(words), sorted(r for r in runs if len(r) > 1), tags, origins, cited


def queries(vocab) -> st.SearchStrategy[str]:
    words, runs, tags, origins, cited = vocab
    word = st.sampled_from(words)
    prefix = word.filter(lambda w: len(w) >= 4 and "'" not in w and "’" not in w).flatmap(
        lambda w: st.integers(3, len(w)).map(lambda n: w[:n] + "*"))
    phrase = st.sampled_from(runs).map(lambda r: '"' + " ".join(r) + '"')
    subject = word.map(lambda w: f"subject:{w}")
    term = st.one_of(word, word, prefix, phrase, subject)
    either = st.tuples(term, term).map(lambda t: f"({t[0]} OR {t[1]})")
    positive = st.one_of(term, either, st.tuples(term, term).map(" ".join))
    excluded = st.one_of(word, phrase).map(lambda t: f"-{t}")
    filters = st.one_of(
        st.sampled_from(tags).map(lambda t: f"tag:{t}"),
        st.integers(1966, 2010).map(lambda y: f"year:{y}"),
        st.sampled_from(["secret", "confidential", "unclassified", "noforn"]).map(
            lambda c: f"classification:{c}"),
        st.sampled_from(origins).map(lambda o: f"origin:{o}"),
        st.sampled_from(["S", "C", "SBU", "U", "S/NF", "c", "C/NF"]).map(lambda m: f"marking:{m}"),
        st.tuples(st.integers(1985, 2010), st.integers(1, 12)).map(
            lambda d: f"from:{d[0]}-{d[1]:02d}"),
        st.tuples(st.integers(1985, 2010), st.integers(1, 12), st.integers(1, 28)).map(
            lambda d: f"to:{d[0]}-{d[1]:02d}-{d[2]:02d}"),
        st.sampled_from(["2010", "2010-11", "2010-12", "2011-04", "2011-08"]).map(
            lambda r: f"released:{r}"),
        st.sampled_from(cited).map(lambda r: f"ref:{r}"),
    )
    either_filter = st.one_of(filters, filters.map(lambda f: f"-{f}"))  # excluded filters too
    return st.tuples(positive, st.lists(excluded, max_size=2), st.lists(either_filter, max_size=2)).map(
        lambda parts: " ".join([parts[0], *parts[1], *parts[2]]))


EXAMPLES = int(os.environ.get("CABLES_DIFFERENTIAL_EXAMPLES", "300"))


def test_written_queries_get_the_same_answer_on_both(archives):
    vocab = vocabulary(archives["sqlite"])
    seen: list[str] = []

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(queries(vocab))
    def check(text: str) -> None:
        seen.append(text)
        same_answer(archives, text)

    check()
    print(f"\n{len(seen)} written queries, the same answer on both backends")
    assert len(seen) >= min(EXAMPLES, 100)
