"""The search page: hits, paging, facets as filters, the month chart, the id shortcut, bad queries.

The result sets are checked against the search service asked directly (the page must show what
the engine found, all of it, once) and, where a check can be made without the engine, against
the store's rows: a phrase must find at least every cable whose paragraphs hold it verbatim; a
facet click must narrow to exactly the count the facet showed; the chart's bars must add up to the
hits.
"""

from __future__ import annotations

import re
import types
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

SVG = "{http://www.w3.org/2000/svg}"


def html(response) -> LexborHTMLParser:
    return LexborHTMLParser(response.content.decode())


def hit_ids(response) -> list[str]:
    return [a.text().strip() for a in html(response).css("ol.hits .hit-title .ref")]


def total_shown(response) -> int:
    text = html(response).css_first('[role="status"]').text()
    return int(re.search(r"([\d,]+) cables?", text).group(1).replace(",", ""))


def query_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["q"][0]


def all_pages(client, url: str) -> list[str]:
    ids, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        ids += hit_ids(response)
        nxt = html(response).css_first('nav.pager a[rel="next"]')
        url = nxt.attributes["href"] if nxt else None
        pages += 1
        assert pages < 60
    return ids


# --- hits ------------------------------------------------------------------------------------------------

def test_a_phrase_finds_what_the_search_service_finds_every_page_once(client):
    from cables.search.service import search

    expected = search('"human rights"', limit=500)
    assert expected.total > 20  # more than a page
    ids = all_pages(client, "/search?q=%22human+rights%22")
    assert len(ids) == len(set(ids)) == expected.total
    assert ids == [h.reference_id for h in expected.hits]


def test_a_phrase_finds_every_cable_holding_it_verbatim(client):
    """Independent of the engine: paragraphs and subjects that hold "human rights" as written."""
    from cables.store.models import Cable, Paragraph

    phrase = re.compile(r"\bhuman\s+rights\b", re.IGNORECASE)
    holding = {cid for cid, text in Paragraph.objects.values_list("cable__canonical_id", "text")
               if phrase.search(text)}
    holding |= {cid for cid, subject in Cable.objects.values_list("canonical_id", "subject")
                if subject and phrase.search(subject)}
    assert holding
    found = set(all_pages(client, "/search?q=%22human+rights%22&sort=newest"))
    assert holding <= found


def test_hits_show_id_subject_date_origin_classification_and_snippet(client):
    from cables.search.service import search

    response = client.get("/search?q=Baliyeva")  # the Minister of Justice in 06ASTANA38
    assert response.status_code == 200
    expected = search("Baliyeva")
    hit = html(response).css_first("ol.hits li.hit")
    first = expected.hits[0]
    assert hit.css_first(".ref").text() == first.reference_id
    assert hit.css_first(".hit-title a").attributes["href"] == "/cable/2006/04/06ASTANA38.html" or \
        first.reference_id != "06ASTANA38"
    meta = hit.css_first("p.meta").text()
    assert first.created[:10] in meta and first.origin in meta and first.classification in meta
    snippet = hit.css_first("p.snippet")
    assert snippet.css_first("mark").text().lower().startswith("baliyeva")
    para = snippet.css_first("a.para")
    assert para.attributes["href"].endswith(f"#par{first.paragraph}")


@pytest.mark.parametrize("sort, reverse", [("newest", True), ("oldest", False)])
def test_sorting_by_date(client, sort, reverse):
    from cables.store.models import Cable

    ids = all_pages(client, f"/search?q=tag%3AKZ&sort={sort}")
    created = dict(Cable.objects.filter(canonical_id__in=ids).values_list("canonical_id", "created"))
    dates = [created[i] for i in ids]
    assert dates == sorted(dates, reverse=reverse)
    assert set(ids) == set(Cable.objects.filter(cable_tags__tag__code="KZ").values_list("canonical_id", flat=True))


def test_paging_is_by_a_stable_cursor_in_the_url(client):
    response = client.get("/search?q=minister")
    nxt = html(response).css_first('nav.pager a[rel="next"]').attributes["href"]
    params = parse_qs(urlsplit(nxt).query)
    assert params["q"] == ["minister"] and params["cursor"]
    second = client.get(nxt)
    assert second.status_code == 200
    assert not set(hit_ids(response)) & set(hit_ids(second))
    # the same URL gives the same page (a permalink)
    assert hit_ids(client.get(nxt)) == hit_ids(second)
    assert html(second).css_first('nav.pager a[href="/search?q=minister"]') is not None  # first page


def test_a_forged_cursor_is_a_message(client):
    response = client.get("/search?q=minister&cursor=bm90LWEtY3Vyc29y")
    assert response.status_code == 400
    assert "cursor" in html(response).css_first(".error").text()


# --- facets ----------------------------------------------------------------------------------------------

def facet_links(response, name: str) -> list[tuple[str, int, str]]:
    section = html(response).css_first(f'section[aria-labelledby="facet-{name}-h"]')
    out = []
    for li in section.css("li"):
        a = li.css_first("a")
        out.append((li.text().rsplit(" ", 1)[0].strip(), int(li.css_first(".count").text().replace(",", "")),
                    a.attributes["href"] if a else None))
    return out


@pytest.mark.parametrize("name, written", [
    ("tag", r"tag:[A-Z]+"), ("origin", r'origin:"[^"]+"'), ("year", r"year:\d{4}"),
    ("classification", r"classification:\w+"),
])
def test_a_facet_link_adds_its_filter_and_narrows_to_its_count(client, name, written):
    from cables.search.service import search

    response = client.get("/search?q=iran")
    expected = search("iran", facets=True)
    rows = facet_links(response, name)
    assert [(v, n) for v, n, _ in rows] == expected.facets[name]
    for value, count, href in rows[:6]:
        assert href, value
        narrowed = query_of(href)
        assert narrowed.startswith("iran ") and re.search(written, narrowed), narrowed
        followed = client.get(href)
        assert followed.status_code == 200
        assert total_shown(followed) == count, (value, narrowed)


def test_classification_facets_select_exactly_their_level(client):
    """classification:secret alone would take SECRET//NOFORN too; the facet excludes it."""
    from collections import Counter

    from cables.store.models import Cable

    response = client.get("/search?q=tag%3APREL")
    levels = Counter(Cable.objects.filter(cable_tags__tag__code="PREL").values_list("classification", flat=True))
    rows = facet_links(response, "classification")
    assert {v: n for v, n, _ in rows} == dict(levels)
    for value, count, href in rows:
        followed = client.get(href)
        assert total_shown(followed) == count == levels[value], value
        metas = {li.css_first("p.meta").text().rsplit("· ", 1)[1] for li in html(followed).css("li.hit")}
        assert metas == {value}


def test_every_registered_facet_has_its_section_titled_by_the_registry(client):
    from cables.search.filters import facet_filters

    sections = html(client.get("/search?q=iran")).css("aside.facets section")
    shown = [(s.attributes["aria-labelledby"], s.css_first("h3").text()) for s in sections]
    assert shown == [(f"facet-{f.name}-h", f.facet_title) for f in facet_filters()]


def test_a_facet_of_a_query_with_or_keeps_the_or_whole(client):
    response = client.get("/search?q=Iraq+OR+Afghanistan")
    assert response.status_code == 200
    value, count, href = facet_links(response, "tag")[0]
    assert query_of(href) == f"(Iraq OR Afghanistan) tag:{value}"
    assert total_shown(client.get(href)) == count


def test_an_applied_filter_can_be_removed(client):
    response = client.get("/search?q=iran+tag%3AIR")
    active = html(response).css_first("ul.active-filters")
    assert "tag:IR" in active.text()
    assert query_of(active.css_first("a").attributes["href"]) == "iran"
    # the facet of the applied filter is shown, not linked again
    ir = [row for row in facet_links(response, "tag") if row[0] == "IR"]
    assert ir and ir[0][2] is None


# --- the month chart ----------------------------------------------------------------------------------------

def bars(svg_text: str) -> list[ET.Element]:
    root = ET.fromstring(svg_text)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None
    return root.iter(f"{SVG}rect")


def test_the_histogram_svg_parses_and_its_bars_add_up_to_the_hits(client):
    from cables.store.models import Cable

    response = client.get("/search/histogram.svg?q=iran")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    found = [b for b in bars(response.content.decode()) if b.get("class") == "bar"]
    total = total_shown(client.get("/search?q=iran"))
    undated = Cable.objects.filter(created__isnull=True).count()
    assert undated == 0
    assert sum(int(b.get("data-count")) for b in found) == total
    for b in found:
        title = b.find(f"{SVG}title").text
        assert re.fullmatch(r"[A-Z][a-z]+ \d{4}: \d+ cables?", title), title


def test_a_bar_narrows_the_search_to_its_month(client):
    root = ET.fromstring(client.get("/search/histogram.svg?q=iran").content.decode())
    links = list(root.iter(f"{SVG}a"))
    assert links
    busiest = max(links, key=lambda a: int(a.find(f"{SVG}rect").get("data-count")))
    rect = busiest.find(f"{SVG}rect")
    month, count = rect.get("data-month"), int(rect.get("data-count"))
    narrowed = query_of(busiest.get("href"))
    assert re.fullmatch(rf"iran from:{month} to:{month}-\d\d", narrowed)
    assert total_shown(client.get(busiest.get("href"))) == count


def test_the_page_holds_the_chart_inline(client):
    body = client.get("/search?q=iran").content.decode()
    svg = re.search(r"<svg .*?</svg>", body, re.DOTALL).group(0)
    inline = [b for b in bars(svg) if b.get("class") == "bar"]
    alone = [b for b in bars(client.get("/search/histogram.svg?q=iran").content.decode())
             if b.get("class") == "bar"]
    assert [(b.get("data-month"), b.get("data-count")) for b in inline] == \
        [(b.get("data-month"), b.get("data-count")) for b in alone]


@pytest.mark.parametrize("query", ["", '"open', "a" * 2000])
def test_the_histogram_of_a_bad_query_is_a_400(client, query):
    response = client.get("/search/histogram.svg", {"q": query})
    assert response.status_code == 400


# --- the id shortcut --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["06ASTANA38", "06astana38", "06ASTANA038", " 06Astana38 "])
def test_an_archived_id_alone_opens_its_cable(client, typed):
    response = client.get("/search", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == "/cable/2006/04/06ASTANA38.html"


def test_an_id_not_archived_lists_the_cables_citing_it(client):
    """06ASTANA38 cites 06ALMATY1450 (REF A), a cable never released; searching it shows 06ASTANA38."""
    from cables.store.models import Cable, KnownId, ReferenceEdge

    edge = ReferenceEdge.objects.get(citing__canonical_id="06ASTANA38", label="A")
    assert edge.cited_id == "06ALMATY1450" and not Cable.objects.filter(canonical_id=edge.cited_id).exists()
    response = client.get("/search", {"q": "06almaty1450"})
    assert response.status_code == 200
    notice = html(response).css_first(".notice").text()
    assert "06ALMATY1450 is not in the archive" in notice
    # "known id" only when the archive's known-id list holds it
    assert ("known id" in notice) == KnownId.objects.filter(canonical_id="06ALMATY1450").exists()
    citing = set(ReferenceEdge.objects.filter(cited_id="06ALMATY1450")
                 .values_list("citing__canonical_id", flat=True))
    assert set(hit_ids(response)) == citing and "06ASTANA38" in citing


# --- bad input -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, says", [
    ('"unbalanced phrase', "unbalanced quotes"),
    ("x" * 10_000, "too long"),
    ("iran\x01nuclear", "control character"),
    ("tag:", "needs a value"),
    ("(iran", "never closed"),
    ("year:20x6", "not a year"),
    ("iran; DROP TABLE store_cable", "not a word"),
])
def test_a_bad_query_shows_its_message_with_a_400(client, query, says):
    response = client.get("/search", {"q": query})
    assert response.status_code == 400
    body = response.content.decode()
    assert says in html(response).css_first(".error").text()
    assert "Traceback" not in body and "OperationalError" not in body
    assert 'id="language"' in body  # the help comes with the message


def test_a_script_in_the_query_is_escaped(client):
    for query in ["<script>alert(1)</script>", 'iran "<script>alert(1)</script>"']:
        response = client.get("/search", {"q": query})
        assert response.status_code in {200, 400}
        body = response.content.decode()
        assert "<script>alert(1)" not in body
        assert "&lt;script&gt;alert(1)" in body


def test_an_unknown_sort_falls_back_to_relevance(client):
    response = client.get("/search?q=iran&sort=%3Cx%3E")
    assert response.status_code == 200
    assert html(response).css_first('select#sort option[selected]').attributes["value"] == "relevance"


def test_no_results_offers_help(client):
    response = client.get("/search?q=zzyzxqq+tag%3APGOV")
    assert response.status_code == 200
    assert total_shown(response) == 0
    body = html(response)
    assert body.css_first(".no-results") is not None
    assert query_of(body.css_first(".no-results a").attributes["href"]) == "zzyzxqq"  # without the filter


# --- the help page --------------------------------------------------------------------------------------------

def test_an_empty_query_is_the_help_page_and_its_examples_work(client):
    from cables.search.query import FILTERS

    response = client.get("/search")
    assert response.status_code == 200
    page = html(response)
    assert page.css_first("input#q").attributes.get("value") == ""
    text = page.css_first("#language").text()
    assert all(f"{name}:" in text for name in FILTERS)
    examples = [a.attributes["href"] for a in page.css("ul.examples a")]
    assert len(examples) >= 6
    for href in examples:
        assert client.get(href).status_code in {200, 302}, href
    assert client.get("/search?q=+++").status_code == 200


def test_the_help_page_says_of_each_filter_what_the_registry_says(client):
    from cables.search.filters import REGISTRY

    rows = html(client.get("/search")).css("#language dl.filters div")
    shown = [(row.css_first("dt").text(), row.css_first("dd").text()) for row in rows]
    assert shown == [(f"{name}:", spec.help) for name, spec in REGISTRY.items()]


def test_an_inexact_total_is_shown_as_an_estimate(client, monkeypatch):
    """The service may count only up to a bound (``total_exact`` False): the page says "about"."""
    from cables.search import service
    from cables.web.views import search as view

    def inexact(*args, **kwargs):
        result = service.search(*args, **kwargs)
        fields = {k: getattr(result, k) for k in result.__dataclass_fields__}
        return types.SimpleNamespace(**fields, total_exact=False)

    monkeypatch.setattr(view, "search", inexact)
    response = client.get("/search?q=iran")
    assert re.search(r"about [\d,]+ cables", html(response).css_first('[role="status"]').text())


# --- markup ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/search", "/search?q=iran", "/search?q=%22open", "/search?q=zzyzxqq",
                                  "/search?q=iran+tag%3AIR&sort=oldest"])
def test_no_inline_style_or_script(client, path):
    body = client.get(path).content.decode()
    assert not re.search(r"<[^>]+\sstyle=", body), path
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), path


# --- the chart itself ------------------------------------------------------------------------------------------

def test_the_chart_keeps_empty_months_as_gaps_and_titles_every_bar():
    from cables.web.histogram import month_chart, months_between

    assert months_between("2006-11", "2007-02") == ["2006-11", "2006-12", "2007-01", "2007-02"]
    svg = month_chart([("2006-11", 3), ("2007-02", 1)], lambda m: f"/search?q=x+from%3A{m}")
    root = ET.fromstring(svg)
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert [(r.get("data-month"), r.get("data-count")) for r in rects] == [("2006-11", "3"), ("2007-02", "1")]
    # four month slots, the two empty ones without a bar: the last bar stands three slots on
    x = [float(r.get("x")) for r in rects]
    assert x[1] - x[0] > 2.5 * float(rects[0].get("width"))
    assert [r.find(f"{SVG}title").text for r in rects] == ["November 2006: 3 cables", "February 2007: 1 cable"]
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["/search?q=x+from%3A2006-11", "/search?q=x+from%3A2007-02"]
    assert "style=" not in svg


def test_an_empty_chart_is_still_a_document():
    from cables.web.histogram import month_chart

    root = ET.fromstring(month_chart([], standalone=True))
    assert not [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert "0 cables" in root.find(f"{SVG}desc").text
