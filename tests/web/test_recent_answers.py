"""The on-disk page cache's memory tier (cables.web.cache_backend.RecentAnswers): a process keeps
the answers asked most recently decoded, so a kept API answer or page costs no disk read, no
inflating, no unpickling; and it is never staler than the disk: its keys are the page cache's.

Hard case: 06ASTANA38's API answer. That the tier never serves a page older than the archive is
tested with the other kept pages, on both caches (tests/web/test_pagecache.py).
"""

from __future__ import annotations

ASTANA = "06ASTANA38"


def test_the_least_recently_asked_go_beyond_the_budget():
    from cables.web.cache_backend import RecentAnswers

    recent = RecentAnswers(budget=800)
    for key in "abcdefgh":
        recent.put(key, key.upper(), 100)
    assert recent.get("a") == "A"            # asked: the most recent now
    recent.put("i", "I", 100)                # 900 bytes: b, the least recent, goes
    assert recent.get("b") is None
    assert [recent.get(k) for k in "acdefghi"] == list("ACDEFGHI") and recent.size == 800
    recent.put("huge", "H", 101)             # more than an eighth of the budget: not kept
    assert recent.get("huge") is None and recent.size == 800
    recent.put("c", "C2", 50)                # kept again: counted once
    assert recent.get("c") == "C2" and recent.size == 750
    recent.clear()
    assert recent.get("a") is None and recent.size == 0


def _sql(client, path: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return response.content, len(queries)


def test_a_kept_answer_comes_from_memory_once_asked(client, disk_cache):
    from cables.api import links

    path = links.cable(ASTANA)
    first, rendering = _sql(client, path)
    assert rendering > 3 and f'"id":"{ASTANA}"'.encode() in first.replace(b" ", b"")
    disk_cache._cache.clear()   # the disk's copy gone behind the backend: memory still has it
    again, kept = _sql(client, path)
    assert again == first and kept == 1   # the answer's key alone
    disk_cache.clear()          # the backend's clear empties the memory tier too
    _, made_again = _sql(client, path)
    assert made_again > 3

