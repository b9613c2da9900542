"""The page cache (cables.web.pagecache): pages are kept once rendered, and a kept page is never
older than what it shows — the archive (every write through the store's writer gives it a new
generation), the discussion (a comment posted or moderated), the code. Each reader still gets a
CSRF token of their own and sees their own messages. On disk (as `cables serve` keeps them),
each process also keeps the answers asked most recently decoded in memory
(cables.web.cache_backend.RecentAnswers), under the same keys: never staler than the disk.

Hard cases: 06ASTANA38 (the blog page, with its comment form) and the origin list of Embassy
Astana (whose subjects come from the cable rows); 06ASTANA38's API answer, for the memory tier.
"""

from __future__ import annotations

import re

import pytest

from .discussion_support import (  # noqa: F401
    ASTANA,
    ASTANA_PAGE,
    discussion_fixture,
    good_comment,
)

ORIGIN_PAGE = "/origin/embassy-astana/"
# A kept page costs one query: the archive's generation, with the discussion's when the page
# shows comments (one round trip for both, whatever the number of comments).
KEY_QUERIES = ["SELECT generation, changed FROM store_archivestate WHERE id = 1",
               "SELECT a.generation, a.changed, other.* FROM (SELECT (SELECT token FROM "
               "web_discussionstate WHERE id = 1), (SELECT changed FROM web_discussionstate WHERE "
               "id = 1)) other LEFT JOIN store_archivestate a ON a.id = 1"]


@pytest.fixture
def disk_cache(tmp_path, settings):
    """The page cache as `cables serve` keeps it: on disk, with its memory tier."""
    from django.core.cache import cache

    from cables.settings.common import cache_settings

    settings.CACHES = cache_settings(str(tmp_path / "pages"))
    assert cache.recent is not None
    yield cache
    cache.clear()


def _queries(client, path: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, [q["sql"] for q in queries]


def _token(body: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert found, "the page has no comment form"
    return found.group(1)


def test_a_kept_cable_page_costs_its_key_and_is_the_same_page(client):
    first, rendering = _queries(client, ASTANA_PAGE)
    again, kept = _queries(client, ASTANA_PAGE)
    assert len(rendering) > 3   # the cable, its render, its discussion: read, not kept
    assert kept == KEY_QUERIES[1:], kept
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub(b"", again.content) == strip.sub(b"", first.content)
    assert b"06ASTANA38: KAZAKHSTAN: AMBASSADOR DISCUSSES AIG AND TIP WITH JUSTICE MINISTER" in again.content


def test_query_strings_the_page_ignores_share_its_entry(client):
    client.get(ASTANA_PAGE)
    _, kept = _queries(client, ASTANA_PAGE + "?utm_source=mastodon&x=1")
    assert kept == KEY_QUERIES[1:], kept
    # ?cite= changes the page: a page of its own, with the paragraph's citation
    cited, rendering = _queries(client, ASTANA_PAGE + "?cite=2")
    assert len(rendering) > 3   # the cable, its render, its discussion: read, not kept
    assert b'class="par selected" id="par2"' in cited.content and b'id="cite-box"' in cited.content
    plain = client.get(ASTANA_PAGE).content
    assert b'class="par selected"' not in plain and b'id="cite-box"' not in plain


def test_every_reader_gets_a_csrf_token_of_their_own_that_works(discussion):
    from django.test import Client

    from cables.web.discussion.models import Comment
    from cables.web.pagecache import CSRF_HOLE

    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_a = alice.get(ASTANA_PAGE).content.decode()
    page_b = bob.get(ASTANA_PAGE).content.decode()       # from the cache
    assert CSRF_HOLE not in page_a and CSRF_HOLE not in page_b
    token_a, token_b = _token(page_a), _token(page_b)
    assert "csrftoken" in alice.cookies and "csrftoken" in bob.cookies
    assert alice.cookies["csrftoken"].value != bob.cookies["csrftoken"].value
    # Bob posts with his own token: accepted; with Alice's, refused
    refused = bob.post(f"/cable/{ASTANA}/comments", {**good_comment(), "csrfmiddlewaretoken": token_a},
                       REMOTE_ADDR="192.0.2.30")
    assert refused.status_code == 403
    posted = bob.post(f"/cable/{ASTANA}/comments", {**good_comment(), "csrfmiddlewaretoken": token_b},
                      REMOTE_ADDR="192.0.2.30")
    assert posted.status_code in (302, 303), posted.status_code
    assert Comment.objects.count() == 1


def test_a_readers_message_is_shown_to_them_then_the_kept_page_again(discussion):
    from django.test import Client

    reader = Client()
    reader.get(ASTANA_PAGE)                                  # kept now
    posted = reader.post(f"/cable/{ASTANA}/comments", good_comment(), REMOTE_ADDR="192.0.2.31")
    assert posted.status_code in (302, 303)
    with_message = reader.get(ASTANA_PAGE).content.decode()
    assert "Thank you: your comment waits" in with_message
    assert "Thank you: your comment waits" not in reader.get(ASTANA_PAGE).content.decode()
    assert "Thank you: your comment waits" not in Client().get(ASTANA_PAGE).content.decode()


def test_a_comment_approved_shows_at_once_on_the_page_and_in_the_counts(discussion):
    from cables.web.discussion import moderation
    from cables.web.discussion.models import Comment

    before = discussion.get(ASTANA_PAGE).content.decode()
    assert "No comments yet." in before
    listed = discussion.get(ORIGIN_PAGE).content.decode()
    discussion.post(f"/cable/{ASTANA}/comments", good_comment(body="A kept page is never stale."),
                    REMOTE_ADDR="192.0.2.32")
    assert "A kept page is never stale." not in discussion.get(ASTANA_PAGE).content.decode()
    moderation.approve(Comment.objects.all())
    after = discussion.get(ASTANA_PAGE).content.decode()
    assert "A kept page is never stale." in after and "Comments (1)" in after
    assert discussion.get(ORIGIN_PAGE).content.decode() != listed   # its comment badge
    moderation.mark_spam(Comment.objects.all())
    assert "A kept page is never stale." not in discussion.get(ASTANA_PAGE).content.decode()


@pytest.mark.parametrize("kept_in", ["memory", "disk"])
def test_a_kept_page_lasts_until_the_archive_has_a_new_generation(client, kept_in, request):
    """Every write of the store's writer gives the archive a new generation (tested with the
    writer in tests/store); a row changed behind its back shows only once the generation moves.
    On disk, the page is read from the worker's memory tier after its first visit, which must
    not be staler than the disk."""
    if kept_in == "disk":
        request.getfixturevalue("disk_cache")
    from django.db import transaction

    from cables.store import generation
    from cables.store.models import Cable

    cable = Cable.objects.get(canonical_id=ASTANA)
    subject = cable.subject
    assert subject and subject in client.get(ORIGIN_PAGE).content.decode()
    try:
        Cable.objects.filter(pk=cable.pk).update(subject="A SUBJECT CHANGED BEHIND THE CACHE")
        assert "A SUBJECT CHANGED BEHIND THE CACHE" not in client.get(ORIGIN_PAGE).content.decode()
        with transaction.atomic():
            generation.advance()
        assert "A SUBJECT CHANGED BEHIND THE CACHE" in client.get(ORIGIN_PAGE).content.decode()
    finally:
        Cable.objects.filter(pk=cable.pk).update(subject=subject)
        generation.advance()


@pytest.mark.parametrize("path", ["/search?q=tag:KZ", "/", "/tag/", "/date/2006/04/"])
def test_pages_other_than_cables_are_kept_too(client, path):
    first, _ = _queries(client, path)
    again, kept = _queries(client, path)
    assert again.content == first.content
    assert len(kept) == 1 and kept[0] in KEY_QUERIES, kept


@pytest.mark.parametrize("path", ["/origin/nowhere-at-all/", "/search?q=%22unbalanced"])
def test_an_answer_other_than_200_is_not_kept(client, path, monkeypatch):
    from cables.web import pagecache

    kept = []
    monkeypatch.setattr(pagecache, "_put", lambda key, value, recent=False: kept.append(key))
    for _ in range(2):
        response = client.get(path)
        assert response.status_code in (400, 404), response.status_code
    assert kept == []
    assert pagecache.CSRF_HOLE.encode() not in response.content
    assert client.get("/origin/").status_code == 200 and len(kept) == 1  # a 200 is kept


def test_a_browse_page_with_made_up_parameters_is_the_kept_page(client):
    """Made-up parameters neither make a new entry nor leak into the page's links."""
    plain, _ = _queries(client, "/tag/PREL/?page=2")
    decorated, kept = _queries(client, "/tag/PREL/?page=2&utm_source=x&junk=1")
    assert len(kept) == 1 and kept[0] in KEY_QUERIES, kept
    assert decorated.content == plain.content
    assert b"utm_source" not in plain.content and b"page=3" in plain.content


def test_a_comment_that_waits_keeps_every_kept_page(discussion):
    """Nothing a waiting comment does is shown: pages stay kept (their key is unchanged)."""
    from cables.web.discussion.queries import discussion_generation

    discussion.get(ORIGIN_PAGE)
    before = discussion_generation()
    posted = discussion.post(f"/cable/{ASTANA}/comments", good_comment(), REMOTE_ADDR="192.0.2.33")
    assert posted.status_code in (302, 303)
    assert discussion_generation() == before
    from django.test import Client

    _, kept = _queries(Client(), ORIGIN_PAGE)      # another reader (the poster has a message)
    assert kept == KEY_QUERIES[1:], kept


# --- the memory tier of the on-disk cache --------------------------------------------------------

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


def test_a_kept_answer_comes_from_memory_once_asked(client, disk_cache):
    from cables.api import links

    path = links.cable(ASTANA)
    first, rendering = _queries(client, path)
    assert len(rendering) > 3 and f'"id":"{ASTANA}"'.encode() in first.content.replace(b" ", b"")
    disk_cache._cache.clear()   # the disk's copy gone behind the backend: memory still has it
    again, kept = _queries(client, path)
    assert again.content == first.content and kept == KEY_QUERIES[1:], kept   # its key alone
    disk_cache.clear()          # the backend's clear empties the memory tier too
    _, made_again = _queries(client, path)
    assert len(made_again) > 3


def test_a_memory_budget_of_zero_keeps_nothing_in_memory(tmp_path):
    """``CABLES_CACHE_MEMORY=0``: the disk cache alone, as before the tier existed."""
    from cables.web.cache_backend import PageCache

    assert PageCache(str(tmp_path / "none"), {"RECENT_BYTES": 0}).recent is None
    assert PageCache(str(tmp_path / "some"), {"RECENT_BYTES": 1024**2}).recent.budget == 1024**2
