"""The reading room on PostgreSQL: `cables ingest` into a PostgreSQL archive, `cables serve` on it,
and every kind of page asked over HTTP.

The Django test-client tests run on the embedded SQLite archive; this module checks that the same
pages (their raw SQL included: search, facets, browse counts, the discussion) work on the other
backend, and give the same answers as on SQLite for the same collection.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.parse

import pytest

from conftest import BLOG_PAGE, KNOWN_IDS_CSV, ROUTES_CSV, require

from . import live

pytestmark = pytest.mark.xdist_group(live.LIVE_GROUP)

FIRST_BUILD = live.FIRST_BUILDS[0] if live.FIRST_BUILDS else None


def ingest(db: str) -> None:
    tables = ["--known-ids", str(require(KNOWN_IDS_CSV)), "--routes", str(require(ROUTES_CSV))]
    live.cables("ingest", "--db", db, "--full", *tables, str(require(FIRST_BUILD)))
    live.cables("ingest", "--db", db, "--release", "blog-06ASTANA38", *tables, str(require(BLOG_PAGE)))


@pytest.fixture(scope="module")
def archives(pg_server, tmp_path_factory) -> dict[str, str]:
    """The first build and the blog page, in a new PostgreSQL database and a SQLite file."""
    found = {"postgresql": pg_server.fresh_database(f"web_{os.getpid()}"),
             "sqlite": str(tmp_path_factory.mktemp("web-sqlite") / "cables.db")}
    for db in found.values():
        ingest(db)
    return found


@pytest.fixture(scope="module")
def sites(archives, tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-pg")
    started = {backend: live.start(db, folder, workers=1) for backend, db in archives.items()}
    yield started
    for site in started.values():
        site.stop()


PAGES = [
    "/", "/browse/", "/release/", "/release/blog-06ASTANA38/", "/date/", "/date/2006/",
    "/date/2006/04/", "/origin/", "/origin/embassy-astana/", "/tag/", "/tag/KZ/",
    "/classification/", "/classification/confidential/", "/about/classification",
    "/cable/2006/04/06ASTANA38.html", "/cable/06ASTANA38/history", "/cable/06ASTANA38/raw",
    "/cable/06ASTANA38/graph.svg", "/search?q=minister", '/search?q="prime+minister"+tag:PREL',
    "/search?q=negotiat*&sort=newest", "/search/histogram.svg?q=minister",
    "/feeds/cables.atom", "/feeds/tag/KZ.atom", "/feeds/search.atom?q=minister",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_kind_of_page_answers_on_postgresql(sites, path):
    status, _, body = sites["postgresql"].get(path)
    assert status == 200, (path, body[:2000])


def _hit_ids(body: bytes) -> list[str]:
    return re.findall(r'<span class="ref">(\w+)</span>', body.decode())


@pytest.mark.parametrize("query", ["minister", '"human rights"', "tag:PREL", "negotiat*",
                                   "origin:moscow year:2009", "kabul OR kandahar"])
def test_a_search_page_lists_the_same_cables_on_both_backends(sites, archives, query):
    """The first page of hits by date (relevance may order ties differently): the same cables on
    both backends, and the count each page shows is the count `cables search --count` gives."""
    pages = {}
    for backend, site in sites.items():
        status, _, body = site.get("/search?" + urllib.parse.urlencode({"q": query, "sort": "newest"}))
        assert status == 200
        pages[backend] = body
        shown = re.search(r'<p class="summary" role="status">([\d,]+) cable', body.decode())
        count = subprocess.run([sys.executable, "-m", "cables", "search", "--count", "--db",
                                archives[backend], query], capture_output=True, text=True, check=True)
        assert shown and int(shown.group(1).replace(",", "")) == int(count.stdout), (backend, query)
    assert _hit_ids(pages["sqlite"]), query
    assert _hit_ids(pages["postgresql"]) == _hit_ids(pages["sqlite"])


def test_unknown_cable_and_bad_query_are_not_server_errors(sites):
    site = sites["postgresql"]
    assert site.get("/cable/2006/04/06ASTANA99999.html")[0] == 404
    assert site.get("/search?q=%22unbalanced")[0] == 400
    assert site.get("/search?q=" + "x" * 3000)[0] == 400   # over the language's 1,000 characters
    # 10,000 characters: gunicorn refuses the request line itself (URI too long), before Django
    assert site.get("/search?q=" + "x" * 10000)[0] == 414


# A page's JSON twin (?format=json) on both backends: what each shows of the archive, the same.
TWIN_VALUES = {
    "/browse/": lambda t: t["totals"],
    "/cable/2006/04/06ASTANA38.html": lambda t: (t["record"], t["tags"], t["references"], t["citing"],
                                                 t["citing_total"], t["meta"]["origin"]),
    "/tag/KZ/": lambda t: (t["page"]["total"], [r["id"] for r in t["page"]["rows"]]),
    "/date/2006/04/": lambda t: (t["page"]["total"], [r["id"] for r in t["page"]["rows"]]),
    "/search?q=minister&sort=newest": lambda t: (t["total"], [h["id"] for h in t["hits"]], t["months"]),
    "/search?q=%22unbalanced": lambda t: t["error"],
}


@pytest.mark.parametrize("path", TWIN_VALUES)
def test_the_json_twins_agree_on_both_backends(sites, path):
    import json

    shown = {}
    for backend, site in sites.items():
        status, headers, body = site.get(path + ("&" if "?" in path else "?") + "format=json")
        assert status == (400 if "unbalanced" in path else 200), (backend, path, body[:500])
        assert headers["Content-Type"].startswith("application/json"), (backend, path)
        shown[backend] = TWIN_VALUES[path](json.loads(body))
    assert shown["postgresql"] == shown["sqlite"], path
