"""The reading room in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright — no browser is downloaded) against `cables serve` on an archive built with
`cables ingest` (see live.py).

A reader's path through the site: a cable page (06ASTANA38 from the blog page, 09BERN122 from
the mirror), a ¶ permalink, a REF link to the cited cable, a tag link, the history diff of a cable
the second build changed, a search typed in the box and narrowed by a facet; the same cable page
with JavaScript off, and at phone width. Every page must load with no console error (a CSP
violation is one), no failed request and no request to another host: every request not for the
server on 127.0.0.1 is aborted and counted.

The run saves the screenshots the README shows: docs/screenshots/cable.png, search.png, diff.png
and cable-phone.png.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from conftest import cable, known_ids

from . import live
from .browser import PHONE, Watch, chromium, new_page

pytestmark = pytest.mark.xdist_group(live.LIVE_GROUP)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

CITING, CITED = live.CITING, live.CITED  # 09BERN122 cites 09BERN98: two pages of the mirror


# --- the site, the browser, and what every page is watched for ---------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    site = live.start(live.build_archive(folder), folder, workers=2)
    yield site
    site.stop()


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture
def watch(site):
    watch = Watch(site)
    yield watch
    assert not watch.problems(), watch.problems()


@pytest.fixture
def page(browser, site, watch):
    context, page = new_page(browser, site, watch)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    """A commit-ready PNG of the viewport (not the whole page: a long cable is thousands of
    pixels tall)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=False, animations="disabled",
                    caret="hide")


# --- facts from the archive and the corpus, computed without the web layer ---------------------

def wikileaks_path(reference_id: str, created: str) -> str:
    """/cable/YYYY/MM/ID.html, the WikiLeaks scheme, from a parsed record's date."""
    return f"/cable/{created[:4]}/{created[5:7]}/{reference_id}.html"


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def archive(site, db_access):
    """The live archive, read through the ORM under the alias ``live`` (see :func:`off_loop`)."""
    from cables.store import db

    db.add_database("live", site.db)
    with db_access():
        yield "live"


def off_loop(function, *args, **kwargs):
    """``function(*args, **kwargs)`` on a thread of its own.

    Playwright's sync API runs an event loop on the test's thread, and Django refuses database
    calls on a thread with a running loop; the archive is read on another thread, which closes its
    connections when done.
    """
    from django.db import connections

    def call():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def changed_cable(using: str) -> tuple[str, object, object]:
    """A cable the second build changed in its text: (id, old record, new record)."""
    from django.db.models import Count

    from cables.store.models import Cable, CableVersion

    two = (Cable.objects.using(using).annotate(n=Count("versions")).filter(n=2)
           .order_by("canonical_id"))
    for c in two:
        old, new = CableVersion.objects.using(using).of(c.canonical_id)
        if new.change in (CableVersion.TEXT, CableVersion.BOTH):
            return c.canonical_id, old.to_record(), new.to_record()
    raise AssertionError("no cable of the archive changed its text between the two builds")


# --- the reader's path -------------------------------------------------------------------------

def test_blog_cable_page(page):
    record = cable("06ASTANA38")  # the blog page, parsed here
    page.goto(wikileaks_path("06ASTANA38", record.created))
    heading = page.get_by_role("heading", level=1)
    assert "06ASTANA38" in heading.inner_text()
    assert words(record.subject) in words(heading.inner_text())
    # its three REF ids: each cited id that is in the known-id list is "not released" (none of
    # them is archived), the others unknown
    refs = page.get_by_role("region", name="References")
    ids = [r.id for r in record.references if r.id]
    assert len(ids) == 3
    for ref_id in ids:
        item = refs.get_by_role("listitem").filter(has_text=ref_id)
        expected = "not released" if ref_id in known_ids() else "unknown"
        assert expected in item.inner_text(), ref_id
        assert item.get_by_role("link", name=ref_id).count() == 0  # nothing to link to


def test_paragraph_permalink_becomes_the_target(page):
    record = cable(CITING)
    numbers = [p.number for p in record.paragraphs]
    paragraph = next(p for p in record.paragraphs[1:] if numbers.count(p.number) == 1)
    page.goto(wikileaks_path(CITING, record.created))
    page.get_by_role("link", name=f"Paragraph {paragraph.number} permalink").click()
    expect(page).to_have_url(re.compile(rf"#par{paragraph.number}$"))
    target = page.locator(":target")
    expect(target).to_have_id(f"par{paragraph.number}")
    assert " ".join(paragraph.text.split()[3:12]) in words(target.inner_text())


def test_ref_link_opens_the_cited_cable(page):
    citing, cited = cable(CITING), cable(CITED)
    assert CITED in [r.id for r in citing.references]  # the pair, from the parser
    page.goto(wikileaks_path(CITING, citing.created))
    screenshot(page, "cable.png")
    # it came from the mirror: its first release is the mirror's
    assert page.get_by_role("link", name=live.MIRROR_RELEASE, exact=True).count() >= 1
    page.get_by_role("region", name="References").get_by_role("link", name=CITED).click()
    page.wait_for_url(f"**{wikileaks_path(CITED, cited.created)}")
    assert words(cited.subject) in words(page.get_by_role("heading", level=1).inner_text())
    # and the cited cable knows who cites it
    cited_by = page.get_by_role("region", name="Cited by")
    assert cited_by.get_by_role("link", name=CITING).count() == 1


def test_tag_link_opens_the_tag_page(page, archive):
    from django.db.models import Count

    from cables.store.models import Tag

    record = cable(CITING)
    codes = [t.tag for t in record.tags]
    # the tag of 09BERN122 that the fewest archived cables carry: the cable is on its first page
    code = off_loop(lambda: Tag.objects.using(archive).filter(code__in=codes)
                    .annotate(n=Count("cable_tags")).order_by("n", "code")
                    .values_list("code", flat=True).first())
    page.goto(wikileaks_path(CITING, record.created))
    page.get_by_role("region", name="Tags").get_by_role("link", name=code, exact=True).click()
    page.wait_for_url(f"**/tag/{code}/")
    assert code in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("link", name=CITING).count() >= 1


def test_history_diff_of_a_changed_cable(page, archive):
    ref, old, new = off_loop(changed_cable, archive)
    page.goto(wikileaks_path(ref, new.created))
    history = page.get_by_role("region", name="Release history")
    assert history.get_by_role("row").count() == 3  # a header row and two versions
    history.get_by_role("link", name="changes from version 1").click()
    page.wait_for_url(re.compile(rf"/cable/{ref}/diff\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["from"] == ["1"] and query["to"] == ["2"]
    text = words(page.locator("main").inner_text())
    added = [line.strip() for line in new.body.splitlines()
             if line.strip() and line.strip() not in {x.strip() for x in old.body.splitlines()}]
    assert added, f"{ref}: the text change added no line"
    assert words(added[0]) in text
    screenshot(page, "diff.png")


def test_search_then_a_facet_narrows_it(page, archive):
    from cables.search.service import search
    from cables.web.views.search import PER_PAGE

    query = "minister"
    page.goto("/")
    box = page.get_by_role("banner").get_by_role("searchbox", name="Search the cables")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert parse_qs(urlsplit(page.url).query)["q"] == [query]
    result = off_loop(search, query, facets=True, using=archive)  # the search layer, asked directly
    status = page.get_by_role("status")
    assert f"{result.total:,} cables" in status.inner_text()
    screenshot(page, "search.png")
    # an origin some hits come from, not all: its facet link narrows the search to them
    origin, count = next((o, n) for o, n in result.facets["origin"] if n < result.total)
    facets = page.get_by_role("complementary", name="Narrow the search")
    facets.get_by_role("region", name="Origin").get_by_role("link", name=origin, exact=True).click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query)["q"] != [query])
    narrowed_query = parse_qs(urlsplit(page.url).query)["q"][0]
    assert narrowed_query.startswith(query) and "origin:" in narrowed_query
    assert off_loop(search, narrowed_query, using=archive).total == count < result.total
    assert f"{count:,} cable" in status.inner_text()
    hits = page.locator("ol.hits > li")
    assert hits.count() == min(count, PER_PAGE)
    for n in range(hits.count()):
        assert origin in hits.nth(n).locator("p.meta").inner_text()  # date · origin · class


def test_without_javascript_the_page_and_its_permalinks_work(browser, site, watch):
    record = cable("06ASTANA38")
    paragraph = record.paragraphs[-1]
    context, page = new_page(browser, site, watch, java_script_enabled=False)
    try:
        page.goto(wikileaks_path("06ASTANA38", record.created))
        assert words(record.subject) in words(page.get_by_role("heading", level=1).inner_text())
        page.get_by_role("link", name=f"Paragraph {paragraph.number} permalink").click()
        expect(page).to_have_url(re.compile(rf"#par{paragraph.number}$"))
        expect(page.locator(":target")).to_have_id(f"par{paragraph.number}")
    finally:
        context.close()


def test_phone_width_has_no_sideways_scrolling(browser, site, watch):
    record = cable(CITING)
    context, page = new_page(browser, site, watch, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        for path in [wikileaks_path(CITING, record.created), "/", "/search?q=minister"]:
            page.goto(path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than a phone"
        page.goto(wikileaks_path(CITING, record.created))
        screenshot(page, "cable-phone.png")
    finally:
        context.close()


def test_every_kind_of_page_loads_clean(page, site, watch, archive):
    """Console errors, CSP violations, failed or outside requests on each kind of page (the
    ``watch`` fixture fails the test on any)."""
    ref, _, new = off_loop(changed_cable, archive)
    astana = cable("06ASTANA38")
    paths = ["/", "/browse/", "/release/", "/date/", "/origin/", "/tag/", "/classification/",
             "/tag/PGOV/", "/date/2006/", wikileaks_path("06ASTANA38", astana.created),
             wikileaks_path(ref, new.created), f"/cable/{ref}/history", f"/cable/{ref}/diff",
             "/search?q=tag%3APGOV", "/about/classification", "/no/such/page"]
    for path in paths:
        expected = 404 if path == "/no/such/page" else 200
        if expected == 404:
            watch.expected_404.add(urljoin(site.url, path))
        response = page.goto(path, wait_until="networkidle")  # every asset loaded, or failed
        assert response.status == expected, path
