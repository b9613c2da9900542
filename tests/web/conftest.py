"""The reading room's tests: one archive per test process, shown through Django's test client.

The archive holds one page of the April 2011 mirror (07ASTANA919, release "mirror-sample"), which
the full builds after it mark removed; the first two official builds (cablegate-201011301701 and
cablegate-201012020501: 608 cables, 26 of them changed by the second, so pages have histories and
diffs), then the blog page 06ASTANA38 as a release of its own; the known-id list and the routing
table are loaded as ``cables ingest --known-ids --routes`` loads them, so two of 06ASTANA38's REF
ids are known-not-released. Enough for every kind of page and link.
"""

from __future__ import annotations

import os

import pytest

from conftest import BLOG_PAGE, BUILD_TARS, full_context, page_path, require, setup_django

setup_django()

REMOVED_SAMPLE = "07ASTANA919"
FIRST_BUILDS = [t for t in BUILD_TARS if t.name.startswith("cablegate-2010113")
                or t.name.startswith("cablegate-2010120205")]


@pytest.fixture(scope="session")
def web_archive(db_access) -> str:
    """The default database, emptied and filled with the blog page and the first two builds."""
    from django.conf import settings
    from django.db import connections

    from cables.ingest.run import ingest_source
    from cables.store import db, writer

    require(BLOG_PAGE)
    assert len(FIRST_BUILDS) == 2, f"the first two builds are missing: {FIRST_BUILDS}"
    path = settings.DATABASES["default"]["NAME"]
    connections["default"].close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    context = full_context()
    with db_access():
        db.migrate()
        writer.load_routes(context.routes)     # as `cables ingest --routes --known-ids` does
        writer.load_known_ids(context.known_ids, canonical=True)
        # A page of the April 2011 mirror first, so that the full builds, which lack it, mark a
        # cable removed (07ASTANA919, Embassy Astana).
        ingest_source(page_path(REMOVED_SAMPLE), release="mirror-sample", context=context, jobs=1)
        for build in FIRST_BUILDS:
            ingest_source(build, full=True, context=context, jobs=2)
        # after the full builds, which would otherwise mark it removed (it is in none of them)
        ingest_source(BLOG_PAGE, release="blog-06ASTANA38", context=context, jobs=1)
    return path


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no page kept: a test that rolls back leaves the archive's and the
    discussion's generations as they were, so a page kept under them could show its rows to the
    next test (the cache is this process's memory: see cables.web.pagecache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def client(web_archive, db_access):
    from django.test import Client

    with db_access():
        yield Client()
