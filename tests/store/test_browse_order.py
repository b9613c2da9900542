"""Browse lists newest first (cables.store.browse) read a page from an index on PostgreSQL
(migration store.0008) instead of sorting every cable of the list, and give the same pages as
SQLite, which sorts.

Hard cases, in the mirror: the tag PREL (the largest list of a tag: 10CAIRO255 and 10CAIRO257,
sent the same minute, are in the order of their ids), Embassy Paris's cables and the
CONFIDENTIAL list (thousands of cables).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def archives(mirror_archive, db_access) -> dict[str, str]:
    with db_access():
        yield {backend: mirror_archive(backend)[1] for backend in ("sqlite", "postgresql")}


class ReadFrom:
    """A router sending reads to one archive: the browse functions read where the site reads."""

    def __init__(self, alias: str):
        self.alias = alias

    def db_for_read(self, model, **hints) -> str:
        return self.alias


def _pages(alias: str, which: str, number: int):
    from django.db import connections, router
    from django.test.utils import CaptureQueriesContext

    from cables.store import browse
    from cables.store.models import Tag

    with pytest.MonkeyPatch.context() as patch, CaptureQueriesContext(connections[alias]) as queries:
        patch.setattr(router, "routers", [ReadFrom(alias)])
        if which == "tag":
            page = browse.tag_cables(Tag.objects.using(alias).get(code="PREL"), number)
        elif which == "origin":
            page = browse.cables_with("origin", ["Embassy Paris"], number)
        else:
            page = browse.cables_with("classification", ["CONFIDENTIAL"], number)
    rows = [(row.reference_id, row.created) for row in page.rows]
    return rows, queries.captured_queries[-1]["sql"]


# the lists of thousands walk the index; Embassy Paris's 158 cables are fewer to sort than to
# walk past (the planner chooses, by the counts: both orders must be the same)
@pytest.mark.parametrize("which, walks_index", [("tag", True), ("origin", False),
                                                ("classification", True)])
def test_a_list_page_is_read_from_the_index_and_is_sqlite_s_page(archives, which, walks_index):
    from django.db import connections

    from cables.store.browse import PER_PAGE

    for number in (1, 3):
        on_sqlite, _ = _pages(archives["sqlite"], which, number)
        on_postgres, sql = _pages(archives["postgresql"], which, number)
        assert len(on_sqlite) == PER_PAGE and on_postgres == on_sqlite, (which, number)
        created = [c or "" for _, c in on_postgres]
        assert created == sorted(created, reverse=True)
    with connections[archives["postgresql"]].cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert ("store_cable_newest_first" in plan) == walks_index, plan
