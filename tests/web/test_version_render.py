"""Cable pages kept rendered per version in the archive (cables.web.version_render): a page served
from its kept render is the page a full render gives, byte for byte but the CSRF token; a write
of an ingest carries the renders it left alone over to the new generation and drops those that
show a cable it changed, or lie within two REF steps of one (a new cable citing an archived one:
06PARIS1251), or list an id it made known (06ASTANA5). tests/web/test_prerender.py has a real
`cables ingest` do it on the whole mirror.

Hard cases: 06ASTANA38 (the blog page: its comment form offers 8 paragraphs), 07BERN881,
09BERLIN1167, 04BOGOTA11339, 79TEHRAN8980 when the archive holds them (the first two builds).
"""

from __future__ import annotations

import re

import pytest

HARD = ["06ASTANA38", "07BERN881", "09BERLIN1167", "04BOGOTA11339", "79TEHRAN8980"]
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def _path(ref):
    from cables.store.models import Cable
    from cables.web import links

    cable = Cable.objects.get(canonical_id=ref)
    return cable, links.cable_path(cable.canonical_id, cable.created)


def _page(client, path):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the page cache: out of the way, this is about the kept render
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return CSRF.sub(b"", response.content), [q["sql"] for q in queries]


def _hard_cables():
    from cables.store.models import Cable

    present = list(Cable.objects.filter(canonical_id__in=HARD).values_list("canonical_id", flat=True))
    assert "06ASTANA38" in present and len(present) >= 2, present
    return sorted(present)


def test_a_page_from_its_kept_render_is_the_full_render(client, monkeypatch):
    from cables.web.version_render import VersionRender

    for ref in _hard_cables():
        cable, path = _path(ref)
        VersionRender.objects.filter(cable_id=cable.pk).delete()  # an earlier test's visit kept one
        monkeypatch.setenv("CABLES_VERSION_RENDERS", "off")
        full, _ = _page(client, path)
        assert not VersionRender.objects.filter(cable_id=cable.pk).exists()
        monkeypatch.setenv("CABLES_VERSION_RENDERS", "on")
        first, rendering = _page(client, path)
        assert VersionRender.objects.filter(cable_id=cable.pk,
                                            version_id=cable.latest_version_id).exists(), ref
        kept, served = _page(client, path)
        assert any("store_referenceedge" in q for q in rendering)
        assert not any("store_referenceedge" in q or "store_cableversion" in q for q in served), served
        assert first == full and kept == full, ref
        assert ref.encode() in kept


def _neighbours(cable):
    from django.db.models import Q

    from cables.store.models import ReferenceEdge

    rows = ReferenceEdge.objects.filter(Q(citing=cable) | Q(cited_cable=cable))
    return {x for pair in rows.values_list("citing_id", "cited_cable_id") for x in pair if x} - {cable.pk}


def test_a_batch_carries_the_renders_it_left_alone_and_drops_the_others(client):
    """A batch that wrote a cable citing another of the archive (the first such by id): its page
    and those within two REF steps are rendered again, every other kept render is served as it
    was, under the new generation."""
    from cables.store import generation
    from cables.store.models import Cable, ReferenceEdge
    from cables.web.version_render import Carry, VersionRender

    edge = (ReferenceEdge.objects.filter(cited_cable__isnull=False)
            .order_by("citing__canonical_id", "position").select_related("citing").first())
    changed = edge.citing
    near = _neighbours(changed)
    assert edge.cited_cable_id in near
    far = [c for c in Cable.objects.exclude(pk__in=near | {changed.pk})
           .exclude(latest_version__isnull=True).order_by("canonical_id")[:40]
           if not (_neighbours(c) & (near | {changed.pk}))][:3]
    one_near = Cable.objects.get(pk=sorted(near)[0])
    pages = [changed, one_near, *far]
    for cable in pages:
        _page(client, _path(cable.canonical_id)[1])
    assert VersionRender.objects.filter(cable_id__in=[c.pk for c in pages]).count() == len(pages)

    carry = Carry()
    carry.before()
    generation.advance()  # the batch's write
    carry.after([changed.pk])

    kept = set(VersionRender.objects.values_list("cable_id", flat=True))
    assert changed.pk not in kept and one_near.pk not in kept
    assert {c.pk for c in far} <= kept, [c.canonical_id for c in far]
    for cable in far:  # under the new generation
        _, served = _page(client, _path(cable.canonical_id)[1])
        assert not any("store_referenceedge" in q for q in served), cable.canonical_id


def test_a_write_the_carry_did_not_see_leaves_every_render_behind(client):
    from cables.store import generation
    from cables.web.version_render import Carry, VersionRender, count_current

    cable, path = _path("06ASTANA38")
    _page(client, path)
    carry = Carry()
    generation.advance()  # a write without before(): one this module was not told of
    carry.after([cable.pk + 1])
    assert VersionRender.objects.filter(cable_id=cable.pk).exists()
    assert count_current(generation.current()) == 0
    _, served = _page(client, path)
    assert any("store_referenceedge" in q for q in served)  # rendered again


def test_a_known_id_loaded_drops_the_renders_listing_it_and_carries_the_others(client):
    """06ASTANA38's REF C, 06ASTANA5, is in no known-id list (its page says "unknown"): a list
    that adds it makes the page say "not released" there, so its render goes; 09BERLIN1167's, which
    does not list it, serves the new generation. Rolled back: the other tests see the archive as
    it was."""
    from django.db import transaction

    from cables.store import writer
    from cables.web.version_render import Carry, VersionRender

    blog, blog_path = _path("06ASTANA38")
    other, other_path = _path("09BERLIN1167")
    with transaction.atomic():
        before, _ = _page(client, blog_path)
        _page(client, other_path)
        assert before.count(b'<span class="status">not released</span>') == 2
        carry = Carry()
        carry.before()
        loaded = writer.load_known_ids(["06ASTANA5"])
        carry.after(now_known=loaded.now_known)
        assert loaded == writer.KnownIdsLoaded(1, ("06ASTANA5",))
        assert set(VersionRender.objects.filter(cable_id__in=[blog.pk, other.pk])
                   .values_list("cable_id", flat=True)) == {other.pk}
        after, rendering = _page(client, blog_path)
        assert any("store_referenceedge" in q for q in rendering)
        assert after.count(b'<span class="status">not released</span>') == 3
        _, served = _page(client, other_path)
        assert not any("store_referenceedge" in q for q in served)
        transaction.set_rollback(True)


def test_a_new_cable_drops_the_renders_of_the_cables_two_ref_steps_from_it(client):
    """06PARIS1251 (the mirror's, in no build this archive holds) cites 06PARIS953: a batch that
    brings it makes 06PARIS953's page list it among the cables citing it, and 06PARIS1681's
    reference graph (two steps away) draw it. Neither render showed 06PARIS1251: only the walk of
    REF steps from the batch's cables finds them. 09BERLIN1167's render is carried. Rolled back."""
    from django.db import transaction

    from conftest import cable as parsed_cable
    from cables.store import writer
    from cables.web.version_render import Carry, VersionRender

    pages = {ref: _path(ref) for ref in ("06PARIS953", "06PARIS1681", "09BERLIN1167")}
    with transaction.atomic():
        before = {ref: _page(client, path)[0] for ref, (_, path) in pages.items()}
        assert not any(b"06PARIS1251" in page for page in before.values())
        carry = Carry()
        carry.before()
        counts = writer.store_batch([("06PARIS1251.html", parsed_cable("06PARIS1251"))])
        carry.after([w.cable_id for w in counts.written])
        assert counts.new == 1
        assert set(VersionRender.objects.filter(cable_id__in=[c.pk for c, _ in pages.values()])
                   .values_list("cable_id", flat=True)) == {pages["09BERLIN1167"][0].pk}
        for ref in ("06PARIS953", "06PARIS1681"):
            after, rendering = _page(client, pages[ref][1])
            assert any("store_referenceedge" in q for q in rendering), ref
            assert b"06PARIS1251" in after, ref
        _, served = _page(client, pages["09BERLIN1167"][1])
        assert not any("store_referenceedge" in q for q in served)
        transaction.set_rollback(True)


def test_a_carry_that_fails_keeps_no_render_and_says_why(client, monkeypatch):
    """The archive locked past SQLite's wait while renders are carried: the carry's transaction
    is rolled back, no render serves the new generation (none older than the data), and why is
    returned for `cables ingest` to say, instead of failing an ingest whose write is committed."""
    from django.db import OperationalError

    from cables.store import generation
    from cables.web import version_render

    cable, path = _path("09BERLIN1167")
    _page(client, path)

    def locked(*args):
        raise OperationalError("database is locked")

    monkeypatch.setattr(version_render, "_within_two_steps", locked)
    carry = version_render.Carry()
    carry.before()
    generation.advance()
    assert carry.after([cable.pk]) == "OperationalError: database is locked"
    assert version_render.count_current(generation.current()) == 0
    assert version_render.VersionRender.objects.filter(cable_id=cable.pk).exists()
