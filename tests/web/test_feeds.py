"""Atom feeds, read back with feedparser: new cables (the archive, a tag, an origin, a release), a
search, comments on a cable and all comments.

Expectations come from the store rows, sorted here by the feeds' documented order (newest
WikiLeaks release date first, then newest written, then id), not from the feed code. Hard cases:
the tag AJ (six cables of Embassy Baku over two release dates: 09BAKU226 and 09BAKU749 released
2010-12-01, four others 2010-11-28); 06ASTANA38, the blog page, which the full official builds do
not list, so it counts as removed: absent from the archive's and Embassy Astana's feeds of new
cables, present in the feed of its own release blog-06ASTANA38.
"""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest

from .discussion_support import (  # noqa: F401
    ASTANA,
    ASTANA_PAGE,
    cable_row,
    discussion_fixture,
    post_comment,
)

HOST = "http://testserver"


def _feed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed, response.content.decode()


def _page(cid: str, created: str | None) -> str:
    return f"{HOST}/cable/{created[:4]}/{created[5:7]}/{cid}.html"


def _newest_first(rows):
    """(canonical_id, released, created) rows in the feeds' order, by stable sorts."""
    rows = sorted(rows, key=lambda r: r[0])
    rows = sorted(rows, key=lambda r: r[2] or "", reverse=True)
    rows = sorted(rows, key=lambda r: r[2] is None)
    rows = sorted(rows, key=lambda r: r[1] or "", reverse=True)
    return sorted(rows, key=lambda r: r[1] is None)


def _rows(queryset):
    return list(queryset.values_list("canonical_id", "released", "created"))


def test_new_cables_of_the_archive(discussion):
    from cables.store.models import Cable, CableTag

    feed, _ = _feed(discussion, "/feeds/cables.atom")
    expected = _newest_first(_rows(Cable.objects.filter(removed_in__isnull=True)))[:50]
    assert [e.link for e in feed.entries] == [_page(c, created) for c, _, created in expected]
    assert feed.feed.title == "cables: New cables"
    assert feed.feed.link == HOST + "/"
    # 07ASTANA919 was removed by the full builds: not new any more
    removed = cable_row("07ASTANA919")
    assert removed.removed_in is not None
    assert not any(e.link.endswith("/07ASTANA919.html") for e in feed.entries)
    first, (cid, released, _) = feed.entries[0], expected[0]
    assert first.title.startswith(f"{cid}: ")
    released = dt.datetime.fromisoformat(released).replace(tzinfo=dt.UTC)
    assert dt.datetime(*first.published_parsed[:6], tzinfo=dt.UTC) == released
    assert dt.datetime(*first.updated_parsed[:6], tzinfo=dt.UTC) == released
    tags = set(CableTag.objects.filter(cable__canonical_id=cid).values_list("tag__code", flat=True))
    assert {t.term for t in first.tags} == tags


def test_a_cable_entry_summary(discussion):
    """The summary: date, origin and classification, then the start of the first paragraph."""
    feed, _ = _feed(discussion, "/feeds/release/blog-06ASTANA38.atom")
    summary = " ".join(feed.entries[0].summary.split())
    assert "2006-04-24 · Embassy Astana · UNCLASSIFIED//FOR OFFICIAL USE ONLY" in summary
    first_paragraph = " ".join(cable_row().record().paragraphs[0].text.split())
    assert first_paragraph[:200] in summary


def test_new_cables_of_a_tag(discussion):
    from cables.store.models import Cable

    feed, _ = _feed(discussion, "/feeds/tag/aj.atom")
    expected = _newest_first(_rows(Cable.objects.filter(removed_in__isnull=True, cable_tags__tag__code="AJ")))
    assert [c for c, _, _ in expected][:2] == ["09BAKU226", "09BAKU749"]
    assert [e.link for e in feed.entries] == [_page(c, created) for c, _, created in expected]
    assert feed.feed.title == "cables: New cables tagged AJ"
    assert feed.feed.link == f"{HOST}/tag/AJ/"
    assert all("AJ" in {t.term for t in e.tags} for e in feed.entries)
    assert discussion.get("/feeds/tag/NOSUCHTAG.atom").status_code == 404


def test_new_cables_of_an_origin(discussion):
    from cables.store.models import Cable

    feed, _ = _feed(discussion, "/feeds/origin/embassy-astana.atom")
    expected = _newest_first(_rows(Cable.objects.filter(removed_in__isnull=True, origin="Embassy Astana")))
    assert len(expected) == Cable.objects.filter(origin="Embassy Astana").count() - 1   # 07ASTANA919, removed by the full builds
    assert [e.link for e in feed.entries] == [_page(c, created) for c, _, created in expected]
    assert feed.feed.title == "cables: New cables from Embassy Astana"
    assert discussion.get("/feeds/origin/embassy-atlantis.atom").status_code == 404


def test_new_cables_of_a_release(discussion):
    from cables.store.models import Cable, CableVersion

    feed, _ = _feed(discussion, "/feeds/release/blog-06ASTANA38.atom")
    assert [e.link for e in feed.entries] == [HOST + ASTANA_PAGE]
    # the second build: the cables it published first (version 1 came with it), newest first
    feed, _ = _feed(discussion, "/feeds/release/cablegate-201012020501.atom")
    first_seen = set(CableVersion.objects.filter(release__name="cablegate-201012020501", number=1)
                     .values_list("cable__canonical_id", flat=True))
    assert len(first_seen) > 50
    expected = _newest_first(_rows(Cable.objects.filter(canonical_id__in=first_seen)))[:50]
    assert [e.link for e in feed.entries] == [_page(c, created) for c, _, created in expected]
    assert discussion.get("/feeds/release/no-such-release.atom").status_code == 404


def test_a_search_as_a_feed(discussion):
    from cables.store.models import Cable

    feed, _ = _feed(discussion, "/feeds/search.atom?q=tag%3AAJ")
    written = sorted(Cable.objects.filter(cable_tags__tag__code="AJ").values_list("created", "canonical_id"),
                     key=lambda r: r[0], reverse=True)
    assert [e.id for e in feed.entries] == [_page(c, created) for created, c in written]
    assert feed.feed.title == "cables: Cables matching tag:AJ"
    assert feed.feed.link == f"{HOST}/search?q=tag%3AAJ"
    # words: the hits link to the paragraph that matched
    feed, xml = _feed(discussion, "/feeds/search.atom?q=Baliyeva")
    assert [e.id for e in feed.entries] == [HOST + ASTANA_PAGE]
    assert feed.entries[0].link.startswith(HOST + ASTANA_PAGE + "#par")
    # the matches are marked (feedparser's own sanitiser drops <mark>, so read the XML)
    assert "&lt;mark&gt;Baliyeva&lt;/mark&gt;" in xml


@pytest.mark.parametrize("query, message", [
    ("", "A search feed needs a query"),
    ("tag:", "cannot be searched"),
    ("x" * 1001, "too long"),
])
def test_a_bad_search_feed_is_a_404_with_a_reason(discussion, query, message):
    response = discussion.get("/feeds/search.atom", {"q": query})
    assert response.status_code == 404
    assert message in response.content.decode()


def test_comment_feeds(discussion):
    from cables.web.discussion import moderation
    from cables.web.discussion.models import Comment

    post_comment(discussion, body="First, *held* then approved.", email="feed-alice@example.org")
    first = Comment.objects.get()
    moderation.approve(Comment.objects.all())
    post_comment(discussion, "09BAKU175", body="On Baku.", email="feed-alice@example.org",
                 website="https://alice.example.org/")
    post_comment(discussion, paragraph="4", body="About paragraph four.", email="feed-alice@example.org")
    post_comment(discussion, body="Held, not in feeds.", email="feed-bob@example.org")
    on_baku, on_par4 = Comment.objects.filter(status="approved").exclude(pk=first.pk).order_by("id")

    feed, xml = _feed(discussion, "/feeds/comments.atom")
    assert [e.link for e in feed.entries] == [
        f"{HOST}{ASTANA_PAGE}#comment-{on_par4.pk}",
        f"{HOST}/cable/2009/03/09BAKU175.html#comment-{on_baku.pk}",
        f"{HOST}{ASTANA_PAGE}#comment-{first.pk}"]
    assert feed.entries[0].title == f"Alice Reader commented on ¶4 on {ASTANA}"
    assert feed.entries[1].author == "Alice Reader"
    assert feed.entries[1].author_detail.href == "https://alice.example.org/"
    assert "<em>held</em>" in feed.entries[2].summary
    assert "feed-alice" not in xml and "@example.org" not in xml and "Held, not" not in xml

    feed, _ = _feed(discussion, f"/feeds/cable/{ASTANA.lower()}/comments.atom")
    assert [e.link for e in feed.entries] == [f"{HOST}{ASTANA_PAGE}#comment-{on_par4.pk}",
                                              f"{HOST}{ASTANA_PAGE}#comment-{first.pk}"]
    assert feed.feed.link == f"{HOST}{ASTANA_PAGE}#comments"
    assert discussion.get("/feeds/cable/99NOWHERE1/comments.atom").status_code == 404


def test_feeds_use_the_public_site_url_when_set(discussion, settings):
    settings.SITE_URL = "https://cables.example.org"
    feed, _ = _feed(discussion, "/feeds/tag/AJ.atom")
    assert feed.entries[0].link.startswith("https://cables.example.org/cable/")
    assert feed.feed.link == "https://cables.example.org/tag/AJ/"
