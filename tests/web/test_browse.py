"""Browsing: the five ways in, their counts, the paginated lists, the 404s.

Every count a page shows is checked against a count made here, independently, from the store's
rows (``Counter`` over ``values_list``), and every list against the rows it should hold. The
archive is the web test archive (see conftest): 609 cables, the blog page 06ASTANA38 removed by
the first full build, 26 cables changed by the second.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from selectolax.lexbor import LexborHTMLParser

from cables.web.links import slug

PER_PAGE = 50  # what the list pages show; the tests page through it


def html(response) -> LexborHTMLParser:
    return LexborHTMLParser(response.content.decode())


def cable_links(response, section: str | None = None) -> list[str]:
    """The reference ids a list page links to, in page order (in one section of it, if given)."""
    scope = html(response).css_first(f'section[aria-labelledby="{section}"]') if section else html(response)
    return [a.text().strip() for a in scope.css("ul.browse-list a.ref")] if scope else []


def walk(client, url: str, section: str | None = None) -> list[str]:
    """Every id of a paginated list, following its Next links."""
    ids, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        ids += cable_links(response, section)
        scope = html(response).css_first(f'section[aria-labelledby="{section}"]') if section else html(response)
        nxt = scope.css_first('nav.browse-pager a[rel="next"]') if scope else None
        url = nxt.attributes["href"] if nxt else None
        pages += 1
        assert pages < 100
    return ids


def table_counts(response, selector: str = "table.counts tbody tr") -> dict[str, int]:
    """``{row label: count}`` of a counts table."""
    out = {}
    for row in html(response).css(selector):
        label = row.css_first("th").text().strip()
        count = row.css_first("td.num").text().strip().replace(",", "")
        out[label] = int(count)
    return out


def newest_first(rows) -> list[str]:
    """Ids ordered as the lists order them: created descending (undated last), then id."""
    dated = sorted((r for r in rows if r[1]), key=lambda r: r[0])
    dated.sort(key=lambda r: r[1], reverse=True)
    return [r[0] for r in dated] + sorted(r[0] for r in rows if not r[1])


@pytest.fixture
def rows():
    from cables.store.models import Cable

    return list(Cable.objects.values_list("canonical_id", "created", "origin", "classification"))


# --- the index ---------------------------------------------------------------------------------------

def test_index_lists_the_five_ways_with_totals(client, rows):
    from cables.store.models import CableTag, Release

    response = client.get("/browse/")
    assert response.status_code == 200
    text = " ".join(html(response).css_first("main").text().split())
    assert f"Browse {len(rows)} cables" in text
    assert f"{Release.objects.count()} releases" in text
    assert f"{len({r[1][:4] for r in rows if r[1]})} years" in text
    assert f"{len({r[2] for r in rows})} origins" in text
    assert f"{len(set(CableTag.objects.values_list('tag_id', flat=True)))} TAGS codes" in text
    assert f"{len({r[3] for r in rows})} levels" in text
    hrefs = {a.attributes["href"] for a in html(response).css("ul.ways a")}
    assert {"/release/", "/date/", "/origin/", "/tag/", "/classification/"} <= hrefs


# --- by release ----------------------------------------------------------------------------------------

def test_releases_in_order_with_their_counts(client):
    from cables.store.models import CableVersion, Release, ReleaseCable, Removal

    response = client.get("/release/")
    assert response.status_code == 200
    body = response.content.decode()
    names = [r.name for r in Release.objects.order_by("order")]
    assert names == ["mirror-sample", "cablegate-201011301701", "cablegate-201012020501", "blog-06ASTANA38"]
    assert [body.index(f'href="/release/{n}/"') for n in names] == sorted(
        body.index(f'href="/release/{n}/"') for n in names)
    for row in html(response).css("table.list tbody tr"):
        cells = [c.text().strip() for c in row.css("td")]
        release = Release.objects.get(name=cells[1])
        changes = Counter(CableVersion.objects.filter(release=release).values_list("change", flat=True))
        assert int(cells[3]) == ReleaseCable.objects.filter(release=release).count()
        assert int(cells[4]) == changes["new"]
        assert int(cells[5]) == sum(changes.values()) - changes["new"]
        assert int(cells[6]) == Removal.objects.filter(release=release).count()


def test_second_build_lists_its_new_and_changed_cables_with_the_change(client):
    """cablegate-201012020501: 318 new and 26 changed cables; the new ones over pages of 50."""
    from cables.store.models import Cable, CableVersion

    versions = {v.cable.canonical_id: v.change for v in CableVersion.objects.filter(
        release__name="cablegate-201012020501").select_related("cable")}
    assert Counter(c == "new" for c in versions.values()) == {True: 318, False: 26}
    created = dict(Cable.objects.values_list("canonical_id", "created"))
    url = "/release/cablegate-201012020501/"
    new = walk(client, url, "new-h")
    changed = walk(client, url, "changed-h")
    assert new == newest_first([(i, created[i]) for i, c in versions.items() if c == "new"])
    assert changed == newest_first([(i, created[i]) for i, c in versions.items() if c != "new"])
    # the change kind is shown beside each changed cable
    page = html(client.get(url)).css_first('section[aria-labelledby="changed-h"]')
    for li in page.css("ul.browse-list li"):
        ref = li.css_first("a.ref").text()
        assert li.css_first(".badge").text() == f"changed: {versions[ref]}", ref
    # the new list pages on ?page=, the changed list keeps its place
    second = client.get(url + "?page=2")
    assert cable_links(second, "new-h") == new[PER_PAGE:2 * PER_PAGE]
    assert cable_links(second, "changed-h") == changed


def test_first_full_build_lists_the_cable_it_removed(client):
    """The mirror page 07ASTANA919 came first; the full build cablegate-201011301701 lacks it."""
    response = client.get("/release/cablegate-201011301701/")
    assert response.status_code == 200
    removed = html(response).css_first('section[aria-labelledby="removed-h"]')
    assert removed is not None
    assert [a.text() for a in removed.css("a.ref")] == ["07ASTANA919"]
    assert 'href="/cable/2007/04/07ASTANA919.html"' in removed.html


def test_unknown_release_is_a_404_that_says_so(client):
    response = client.get("/release/cablegate-1999/")
    assert response.status_code == 404
    assert "no release named" in response.content.decode()


# --- by date ---------------------------------------------------------------------------------------------

def test_years_and_months_with_their_counts(client, rows):
    by_year = Counter(r[1][:4] for r in rows if r[1])
    response = client.get("/date/")
    assert response.status_code == 200
    assert table_counts(response) == dict(by_year)
    for year in by_year:
        months = Counter(r[1][:7] for r in rows if r[1] and r[1][:4] == year)
        response = client.get(f"/date/{year}/")
        assert response.status_code == 200, year
        import calendar

        expected = {calendar.month_name[int(m[5:7])]: n for m, n in months.items()}
        assert table_counts(response) == expected, year


def test_a_month_lists_its_cables_newest_first(client, rows):
    """April 2006 holds the blog page 06ASTANA38 (created 2006-04-24)."""
    month = [r for r in rows if r[1] and r[1][:7] == "2006-04"]
    assert "06ASTANA38" in {r[0] for r in month}
    ids = walk(client, "/date/2006/04/")
    assert ids == newest_first(month)


def test_months_link_to_their_neighbours(client, rows):
    months = sorted({r[1][:7] for r in rows if r[1]})
    i = months.index("2006-04")
    page = client.get("/date/2006/04/").content.decode()
    before, after = months[i - 1], months[i + 1]
    assert f'href="/date/{before[:4]}/{before[5:]}/"' in page
    assert f'href="/date/{after[:4]}/{after[5:]}/"' in page


@pytest.mark.parametrize("path", ["/date/1800/", "/date/2006/13/", "/date/2006/00/", "/date/1801/01/"])
def test_dates_without_cables_are_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


# --- by origin --------------------------------------------------------------------------------------------

def test_origins_with_their_counts_by_place_or_by_count(client, rows):
    by_origin = Counter(r[2] for r in rows)
    response = client.get("/origin/")
    assert response.status_code == 200
    assert table_counts(response) == dict(by_origin)
    # by place: Embassy Paris files under P, after Consulate Munich (M)
    body = response.content.decode()
    assert body.index(">Consulate Munich<") < body.index(">Embassy Paris<")
    response = client.get("/origin/?sort=count")
    counts = list(table_counts(response).values())
    assert counts == sorted(counts, reverse=True)


def test_every_origin_page_resolves_with_its_count(client, rows):
    by_origin = Counter(r[2] for r in rows)
    for origin, n in by_origin.items():
        response = client.get(f"/origin/{slug(origin)}/")
        assert response.status_code == 200, origin
        assert f"{n} cable" in html(response).css_first("p.lead").text(), origin


def test_an_origin_list_pages_through_all_its_cables(client, rows):
    """Embassy Paris sent more cables than a page holds."""
    paris = [r for r in rows if r[2] == "Embassy Paris"]
    assert len(paris) > PER_PAGE
    first = cable_links(client.get("/origin/embassy-paris/"))
    second = cable_links(client.get("/origin/embassy-paris/?page=2"))
    assert len(first) == PER_PAGE and second and not set(first) & set(second)
    assert walk(client, "/origin/embassy-paris/") == newest_first(paris)


def test_removed_cables_are_listed_and_marked(client):
    """07ASTANA919 was removed by the first full build; Embassy Astana's list still shows it."""
    page = html(client.get("/origin/embassy-astana/"))
    item = next(li for li in page.css("ul.browse-list li") if li.css_first("a.ref").text() == "07ASTANA919")
    assert item.css_first(".badge.removed") is not None


@pytest.mark.parametrize("path", ["/origin/embassy-atlantis/", "/origin/unknown/"])
def test_unknown_origin_is_a_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "comes from" in response.content.decode()


# --- pagination --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["abc", "0", "-3", "", "1.5", "%00"])
def test_a_page_that_is_not_a_number_is_page_one(client, page):
    first = cable_links(client.get("/origin/embassy-paris/"))
    response = client.get(f"/origin/embassy-paris/?page={page}")
    assert response.status_code == 200
    assert cable_links(response) == first


@pytest.mark.parametrize("page", ["3", "99", "99999999999999999999999"])
def test_a_page_past_the_end_is_a_404_naming_the_last(client, page):
    response = client.get(f"/origin/embassy-paris/?page={page}")  # 83 cables: 2 pages
    assert response.status_code == 404
    assert "this list has 2 pages" in response.content.decode()


# --- by tag --------------------------------------------------------------------------------------------------

def test_tags_with_meaning_kind_and_count(client):
    from cables.store.models import CableTag

    by_tag = Counter(CableTag.objects.values_list("tag__code", flat=True))
    response = client.get("/tag/")
    assert response.status_code == 200
    page = html(response)
    shown = {}
    for row in page.css("table.tags tbody tr"):
        cells = row.css("td")
        shown[row.css_first("th").text().strip()] = (cells[0].text().strip(), cells[1].text().strip(),
                                                    int(cells[2].text().replace(",", "")))
    assert {code: n for code, (_, _, n) in shown.items()} == dict(by_tag)
    assert shown["PGOV"][:2] == ("Internal governmental affairs", "subject")
    assert shown["KZ"][:2] == ("Kazakhstan", "geographic")


def test_a_tag_lists_its_cables(client):
    """KZ (Kazakhstan) tags 06ASTANA38 among others."""
    from cables.store.models import Cable

    kz = list(Cable.objects.filter(cable_tags__tag__code="KZ").values_list("canonical_id", "created"))
    assert "06ASTANA38" in {r[0] for r in kz}
    assert walk(client, "/tag/KZ/") == newest_first(kz)


def test_tag_codes_are_case_insensitive(client):
    response = client.get("/tag/pgov/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/tag/PGOV/?page=2"


def test_a_person_tag_with_spaces_resolves(client):
    """TAGS lines hold people too: ``STEINBERG, JAMES B.``."""
    from cables.store.models import Tag

    people = list(Tag.objects.filter(kind="person", cable_tags__isnull=False).values_list("code", flat=True))
    assert any(" " in p for p in people)
    for code in people:
        response = client.get(f"/tag/{code}/")
        assert response.status_code == 200, code


@pytest.mark.parametrize("code", ["NOPE", "pgov2", "%3Cscript%3E"])
def test_unknown_tag_is_a_404_page(client, code):
    response = client.get(f"/tag/{code}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "No cable of the archive is tagged" in body and "<script>" not in body


# --- by classification ---------------------------------------------------------------------------------------

def test_classifications_with_counts_least_to_most_restricted(client, rows):
    by_class = Counter(r[3] for r in rows)
    response = client.get("/classification/")
    assert response.status_code == 200
    counts = table_counts(response)
    assert counts == dict(by_class)
    assert list(counts) == ["UNCLASSIFIED", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "CONFIDENTIAL",
                            "CONFIDENTIAL//NOFORN", "SECRET", "SECRET//NOFORN"]


def test_every_classification_page_resolves_and_lists_its_cables(client, rows):
    for value, n in Counter(r[3] for r in rows).items():
        response = client.get(f"/classification/{slug(value)}/")
        assert response.status_code == 200, value
        assert f"{n} cable" in html(response).css_first("p.lead").text(), value
        page = html(response)
        metas = [li.css_first(".meta").text() for li in page.css("ul.browse-list li")]
        assert metas and all(m.endswith(f"· {value}") for m in metas), value
    # SECRET is not SECRET//NOFORN: the slugs keep them apart
    secret = walk(client, "/classification/secret/")
    assert sorted(secret) == sorted(r[0] for r in rows if r[3] == "SECRET")


def test_unknown_classification_is_a_404(client):
    assert client.get("/classification/top-secret/").status_code == 404


# --- cost and markup -------------------------------------------------------------------------------------------

PAGE_KEY_QUERIES = 1  # cables.web.pagecache: the archive's and the discussion's states, in one query

@pytest.mark.parametrize("path, most", [
    ("/browse/", 6), ("/release/", 5), ("/release/cablegate-201011301701/", 10), ("/date/", 1),
    ("/date/2009/", 3), ("/date/2009/12/", 5), ("/origin/", 1), ("/origin/embassy-paris/?page=2", 4),
    ("/tag/", 2), ("/tag/PREL/?page=3", 4), ("/classification/", 1), ("/classification/confidential/", 4),
])
def test_each_page_runs_a_few_queries_whatever_its_length(client, path, most):
    """No query per row: a list page is a COUNT, a SELECT of one page, a lookup or two, and one
    query for the comment counts of each list; once kept, it costs only the page cache's key."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert len(queries) <= most + PAGE_KEY_QUERIES, [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(path)
    assert len(queries) == PAGE_KEY_QUERIES, [q["sql"] for q in queries]
    assert again.content == response.content


BROWSE_PAGES = ["/browse/", "/release/", "/release/cablegate-201012020501/", "/release/cablegate-201011301701/",
                "/date/", "/date/2006/", "/date/2006/04/", "/origin/", "/origin/?sort=count",
                "/origin/embassy-astana/", "/tag/", "/tag/?sort=count", "/tag/KZ/", "/classification/",
                "/classification/secret-noforn/", "/origin/nope/"]


@pytest.mark.parametrize("path", BROWSE_PAGES)
def test_no_inline_style_or_script(client, path):
    """The CSP forbids inline styles and scripts: none may be written."""
    body = client.get(path).content.decode()
    assert not re.search(r"<[^>]+\sstyle=", body), path
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), path
    assert "/static/web/browse.css" in body or path == "/origin/nope/"
