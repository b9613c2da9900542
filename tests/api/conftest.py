"""The API's tests: on both backends over HTTP, and in process with Django's test client.

- ``sites``: the April 2011 mirror on SQLite and on PostgreSQL, each ingested by the real command
  with the known-id list and the routing table, after the first two official builds (so that
  cables have versions and diffs: 08OTTAWA918 has three) and before the blog page 06ASTANA38 (a
  release of its own, whose REF ids include known-not-released ones), each served by
  `cables serve` (tests/web/live.py). The API's rate limit is raised for them: the tests send
  hundreds of requests from one address; its own test runs in process.
- ``client``: the reading room's in-process archive (tests/web/conftest.py: the first two builds,
  the blog page, one mirror page removed by the builds) through Django's test client, for what
  needs settings changed or many requests (errors, 304s, rate limits, schemathesis).
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import BLOG_PAGE, KNOWN_IDS_CSV, MIRROR_TAR, ROUTES_CSV, require
from web import live
from web.conftest import client, empty_page_cache, web_archive  # noqa: F401  (fixtures reused)

SITES_GROUP = "api-sites"   # the xdist group of the tests that use ``sites``: one worker builds them

RELEASES = ["cablegate-201011301701", "cablegate-201012020501", "cablegate-site-2011-04-25",
            "blog-06ASTANA38"]
UNLIMITED = json.dumps({"api-address": [[1_000_000_000, 60]]})


def ingest(db: str) -> None:
    tables = ["--known-ids", str(require(KNOWN_IDS_CSV)), "--routes", str(require(ROUTES_CSV))]
    live.cables("ingest", "--db", db, "--full", *tables, *map(str, live.FIRST_BUILDS))
    live.cables("ingest", "--db", db, *tables, str(require(MIRROR_TAR)))
    live.cables("ingest", "--db", db, "--release", "blog-06ASTANA38", *tables, str(require(BLOG_PAGE)))


@pytest.fixture(scope="session")
def api_archives(pg_server, tmp_path_factory) -> dict[str, str]:
    """{backend: archive}: the builds, the mirror and the blog page, on SQLite and PostgreSQL."""
    assert len(live.FIRST_BUILDS) == 2, f"the first two builds are missing: {live.FIRST_BUILDS}"
    found = {"sqlite": str(tmp_path_factory.mktemp("api-sqlite") / "cables.db"),
             "postgresql": pg_server.fresh_database(f"api_{os.getpid()}")}
    for db in found.values():
        ingest(db)
    return found


@pytest.fixture(scope="session")
def sites(api_archives, tmp_path_factory):
    """{backend: a running `cables serve`} on the two archives."""
    folder = tmp_path_factory.mktemp("api-serve")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CABLES_DISCUSSION_LIMITS", UNLIMITED)
        patch.setenv("CABLES_CACHE", "memory")
        started = {backend: live.start(db, folder, workers=1, threads=4)
                   for backend, db in api_archives.items()}
    yield started
    for site in started.values():
        site.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, sites):
    return sites[request.param]


def get_json(site, path: str, status: int = 200, headers: dict | None = None):
    """The JSON answer to ``path``, checked to come with ``status`` and the CORS header."""
    code, answer_headers, body = site.get(path, headers=headers)
    assert code == status, (path, code, body[:1500])
    assert answer_headers["Access-Control-Allow-Origin"] == "*", path
    return json.loads(body)


@pytest.fixture(autouse=True)
def api_limit_out_of_the_way():
    """In process, every test but the rate limit's own sends as many requests as it likes."""
    from django.test import override_settings

    with override_settings(CABLES_DISCUSSION_LIMITS={"api-address": [(1_000_000_000, 60)]}):
        yield
