"""``origin:`` on both backends, where one origin's name holds another's.

The corpus has no such pair (Embassy Paris beside a "Embassy Paris Unesco"), so one is made from
real cables: 06BOGOTA3049 stored with the origin "Embassy Astana Annex" beside 06ASTANA38 (Embassy
Astana). A facet writes ``origin:"Embassy Astana"``, the whole name: that origin only.
"""

from __future__ import annotations

import dataclasses

from conftest import cable

from cables.search.service import search
from cables.store import writer


def hits(query: str, using: str) -> set[str]:
    return {h.reference_id for h in search(query, limit=50, using=using).hits}


def test_a_whole_origin_name_is_that_origin_and_a_word_is_any_holding_it(store):
    annex = dataclasses.replace(cable("06BOGOTA3049"), origin="Embassy Astana Annex")
    writer.store_batch([("astana", cable("06ASTANA38")), ("annex", annex)], using=store)
    assert hits('origin:"Embassy Astana"', store) == {"06ASTANA38"}
    assert hits('origin:"embassy astana annex"', store) == {"06BOGOTA3049"}
    assert hits("origin:astana", store) == {"06ASTANA38", "06BOGOTA3049"}
    assert hits('origin:"Embassy Astana" OR origin:bogota', store) == {"06ASTANA38"}
