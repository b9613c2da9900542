"""The cable pages: the page in the WikiLeaks URL scheme, its redirects and 404, raw text,
release history, diff, reference graph, share and cite.

Expectations come from the corpus (the blog page 06ASTANA38.txt, the known-id list, the routing
table) or from the store rows, never from the page code. The hard cases are real cables of the
test archive, named where they are used.
"""

from __future__ import annotations

import difflib
import html
import re
import xml.etree.ElementTree as ET
from calendar import month_abbr, month_name
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import BLOG_PAGE, known_ids, routes

from cables.record import METADATA_FIELDS

BLOG_ID = "06ASTANA38"
BLOG_URL = "/cable/2006/04/06ASTANA38.html"
CANONICAL = "http://testserver" + BLOG_URL
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module", autouse=True)
def reference_tables_in_store(web_archive, db_access):
    """Load the known-id list and the routing table into the store, as ``cables ingest`` does
    when given them (the session archive parsed with them but did not store them). Idempotent."""
    from cables.store import writer

    with db_access():
        writer.load_routes(routes())
        writer.load_known_ids(known_ids(), canonical=True)


def blog_text() -> str:
    return BLOG_PAGE.read_text(encoding="utf-8")


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get("Location"))
    return response.content.decode()


def store_cable(reference_id: str):
    from cables.store.models import Cable

    return Cable.objects.select_related("latest_version").get(canonical_id=reference_id)


def page_path(reference_id: str) -> str:
    from cables.web.links import cable_path

    c = store_cable(reference_id)
    return cable_path(c.canonical_id, c.created)


def text_section(page: str) -> str:
    """The cable's text as the page shows it: tags stripped, the ¶/cite tools and cite box left out."""
    m = re.search(r'<div class="cable-text">(.*?)\n</div>\n</section>', page, re.DOTALL)
    assert m, "no text section"
    body = re.sub(r'<span class="par-tools no-print">.*?</a></span>', "", m.group(1), flags=re.DOTALL)
    body = re.sub(r"<aside.*?</aside>", "", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def section(page: str, section_id: str) -> str:
    m = re.search(rf'<section[^>]*id="{section_id}".*?</section>', page, re.DOTALL)
    assert m, f"no section #{section_id}"
    return m.group(0)


# --- the page of 06ASTANA38 -----------------------------------------------------------------------

def test_title_canonical_link_and_open_graph(client):
    page = get(client, BLOG_URL)
    c = store_cable(BLOG_ID)
    assert "<title>06ASTANA38: KAZAKHSTAN: AMBASSADOR DISCUSSES AIG AND TIP WITH JUSTICE MINISTER</title>" in page
    assert f"<title>{c.canonical_id}: {c.subject}</title>" in page
    assert f'<link rel="canonical" href="{CANONICAL}">' in page
    assert f'<meta property="og:url" content="{CANONICAL}">' in page
    assert f'<meta property="og:title" content="{c.canonical_id}: {c.subject}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    description = re.search(r'<meta property="og:description" content="([^"]*)">', page).group(1)
    # the summary: the blog page's first paragraph after "SUMMARY:"
    summary = re.search(r"SUMMARY:\s+(.*?)End Summary", blog_text(), re.DOTALL).group(1)
    assert " ".join(description.split())[:80] == " ".join(summary.split())[:80]


def test_metadata_table_links_each_value_to_its_browse_page(client):
    from django.urls import reverse

    from cables.web.links import (
        classification_path,
        month_path,
        origin_path,
        search_path,
    )

    page = get(client, BLOG_URL)
    meta = section(page, "metadata")
    # the blog page's metadata row: id, created, released, classification, origin
    row = re.search(r"^06ASTANA38 (\d{4})-(\d{2})-\d{2} \d\d:\d\d (\d{4}-\d{2}-\d{2}) \d\d:\d\d "
                    r"((?:UNCLASSIFIED|CONFIDENTIAL|SECRET)(?://[A-Z ]+?)?) ([A-Z][a-z].+)$", blog_text(), re.MULTILINE)
    year, month, released, classification, origin = row.groups()
    assert f'<a href="{month_path(year, month)}">' in meta
    assert f'<a href="{search_path("released:" + released)}">' in meta
    assert f'<a href="{classification_path(classification)}">{classification}</a>' in meta
    assert f'<a href="{origin_path(origin)}">{origin}</a>' in meta
    assert f'href="{CANONICAL}"' in meta
    assert (f'<a class="about-link no-print" href="{reverse("about_classification")}'
            f'#unclassified-for-official-use-only">about this classification</a>') in meta
    assert "/date/2006/04/" in meta and "released%3A2011-08-30" in meta


def test_transmission_header_in_words(client):
    page = get(client, BLOG_URL)
    header = section(page, "transmission")
    text = blog_text()
    # "P 240336Z APR 06" in the blog page → Priority, 24 April 2006, 03:36 UTC
    precedence, day, hour, minute, mon, yy = re.search(
        r"^([ZOPR]) (\d{2})(\d{2})(\d{2})Z ([A-Z]{3}) (\d{2})\s*$", text, re.MULTILINE).groups()
    words = {"Z": "Flash", "O": "Immediate", "P": "Priority", "R": "Routine"}[precedence]
    month = month_name[[m.upper() for m in month_abbr].index(mon)]
    assert f"<dd>{words} " in header
    assert f"{int(day)} {month} 20{yy}, {hour}:{minute} UTC" in header
    assert "24 April 2006, 03:36 UTC" in header and "Priority" in header
    # every addressee line of the blog page, its route and the routing table's station name
    table = routes()
    for route, name in re.findall(r"^(?:TO |INFO )?(RU[A-Z]+)/([A-Z][A-Z .]+?)(?: PRIORITY| \d{4}|$)",
                                  text, re.MULTILINE):
        assert f'<code class="code route">{route}</code>' in header
        assert html.escape(name.strip()) in header
        if route in table and table[route] != name.strip():
            assert f"({html.escape(table[route])})" in header, route
    assert "FM USOFFICE ASTANA" in text and "USOFFICE ASTANA" in header
    # handling words with their meaning, the E.O. line, the raw header one click away
    assert ('<a href="/about/classification#handling-sipdis" class="handling-word"><strong>SIPDIS</strong></a>: '
            "SIPRNet distribution") in header
    assert "<strong>SENSITIVE</strong>" in header
    assert "E.O. 12958" in header
    assert 'href="/about/classification#handling"' in header
    raw = re.search(r'<details class="raw-header"><summary>Raw header</summary><pre class="text-pre">(.*?)</pre>',
                    header, re.DOTALL).group(1)
    assert "P 240336Z APR 06" in raw and "DE RUEHAST #0038/01 1140336" in raw


def test_classification_reasons_and_declassification_in_words(client):
    # 09BERLIN1197: "Classified By: AMBASSADOR PHILIP D. MURPHY FOR REASONS 1.4 (B) and (D)",
    # "E.O. 12958: DECL: 09/28/2019"
    record = store_cable("09BERLIN1197").record()
    header = section(get(client, page_path("09BERLIN1197")), "transmission")
    assert "1.4 (B) and (D)" in record.classified_by.text
    meanings = {"b": "foreign government information",
                "d": "foreign relations or foreign activities of the United States"}
    for letter in re.findall(r"\(([a-h])\)", " ".join(record.classified_by.reasons)):
        assert f'<a href="/about/classification#reason-{letter}">Reason 1.4 ({letter})</a>: {meanings[letter]}' in header
    month, day, year = re.search(r"(\d\d)/(\d\d)/(\d{4})", record.eo.decl).groups()
    assert f"declassify on {int(day)} {month_name[int(month)]} {year}" in header
    assert 'href="/about/classification#eo-reasons"' in header


def test_reference_items_linked_or_marked(client):
    # 06ASTANA38 cites ALMATY 1450, ASTANA 33 and ASTANA 5: the first two are in the known-id list
    # (cable2month), none is archived, ASTANA 5 is no known id
    page = get(client, BLOG_URL)
    refs = section(page, "references")
    known = known_ids()
    for label, cited in (("A", "06ALMATY1450"), ("B", "06ASTANA33"), ("C", "06ASTANA5")):
        item = re.search(rf'<li id="par{label}" .*?</li>', refs, re.DOTALL).group(0)
        assert cited in item
        status = "not released" if cited in known else "unknown"
        assert f'<span class="status">{status}</span>' in item, (label, item)
    assert sum(1 for c in ("06ALMATY1450", "06ASTANA33", "06ASTANA5") if c in known) == 2
    # "(see Ref A)" in ¶ 2 links to the REF item
    par2 = re.search(r'<div class="par[^"]*" id="par2">.*?</div>', page, re.DOTALL).group(0)
    assert 'Ref <a href="#parA" class="xref">A</a>' in par2


def test_reference_to_an_archived_cable_is_a_link(client):
    from cables.store.models import ReferenceEdge
    from cables.web.links import cable_path

    # 09BERLIN1197 cites 09BERLIN1176, 09BERLIN1167 and 09BERLIN1162, all archived
    edges = ReferenceEdge.objects.filter(citing__canonical_id="09BERLIN1197", status=ReferenceEdge.ARCHIVED)
    assert edges.count() >= 3
    page = get(client, page_path("09BERLIN1197"))
    refs = section(page, "references")
    for e in edges.select_related("cited_cable"):
        assert f'<a href="{cable_path(e.cited_cable.canonical_id, e.cited_cable.created)}" class="mono">{e.cited_id}</a>' in refs


def test_tags_linked_with_their_meaning(client):
    from cables.store.models import Tag
    from cables.web.links import tag_path

    page = get(client, BLOG_URL)
    tags = section(page, "tags")
    codes = re.search(r"^TAGS: (.+)$", blog_text(), re.MULTILINE).group(1).split()
    assert codes == ["EFIN", "KCRM", "KDEM", "PGOV", "PREL", "SMIG", "KZ"]
    shown = re.findall(r'<a href="([^"]+)" class="tag-code">(\w+)</a> <span class="tag-meaning">([^<]*)</span>', tags)
    assert [code for _, code, _ in shown] == codes
    for href, code, meaning in shown:
        assert href == tag_path(code)
        tag = Tag.objects.get(code=code)
        assert tag.meaning and html.unescape(meaning) == tag.meaning


def test_every_paragraph_has_an_anchor_a_permalink_and_its_marking(client):
    page = get(client, BLOG_URL)
    record = store_cable(BLOG_ID).record()
    anchors = re.findall(r'<div class="par[^"]*" id="par(\d+)">', page)
    assert [int(a) for a in anchors] == [p.number for p in record.paragraphs]
    # the blog page numbers 8 paragraphs, each marked (SBU)
    assert len(re.findall(r"^\d\.\s+\(SBU\)", blog_text(), re.MULTILINE)) == len(anchors) == 8
    for p in record.paragraphs:
        assert f'<a class="pilcrow" href="#par{p.number}"' in page
        assert f'href="?cite={p.number}#par{p.number}"' in page
    assert page.count('title="Sensitive but unclassified">(SBU)</abbr>') == 8


def test_text_before_between_and_after_the_paragraphs_is_kept(client):
    page = get(client, BLOG_URL)
    shown = text_section(page)
    # the preamble before ¶ 1, a heading between paragraphs, the signature
    for line in ("USDOC FOR DAS STEWART, CENTRAL ASIA DESK OFFICER DSTARKS", "REF: A) ALMATY 1450",
                 "AIG: SIGNED AT LAST", "PENAL REFORM AND ALTERNATIVE SENTENCING", "TRACY"):
        assert line in shown, line
    body = store_cable(BLOG_ID).record().body
    assert re.sub(r"\s+", "", shown) == re.sub(r"\s+", "", body)


@pytest.mark.parametrize("reference_id", [
    "06MOSCOW12751",   # ¶ 11 is only a heading: its parsed text is empty
    "07STATE164120",   # ¶ 5 is "XXXXXXXXXXX", a text that also appears before it
    "09TELAVIV1177",   # ¶ 12's text was left to the trailer by the parser
    "79TEHRAN8980",    # "1. (C - ENTIRE TEXT)."
    "09BERLIN1626",    # a list "2.   (U.S.)   Failed…" then paragraphs 1-5 again: repeated numbers
])
def test_hard_bodies_lose_no_text_and_anchor_every_paragraph(client, reference_id):
    page = get(client, page_path(reference_id))
    record = store_cable(reference_id).record()
    assert re.sub(r"\s+", "", text_section(page)) == re.sub(r"\s+", "", record.body)
    anchors = re.findall(r'<div class="par[^"]*" id="par(\d+(?:-\d+)?)">', page)
    assert len(anchors) == len(record.paragraphs)
    assert len(set(anchors)) == len(anchors), "ids must be unique"


def test_a_version_packed_before_layouts_renders_the_same_page(client):
    """An archive written before records carried their layout (where paragraphs and ``Ref A``
    stand in the body) shows the same page: the layout is derived from the text when such a
    version is read. 06ASTANA38 names its REF items A, B and C in the text."""
    import json

    import zstandard
    from django.core.cache import cache

    from cables.store.models import CableVersion

    def page_without_token() -> str:  # the discussion form's CSRF token differs at each request
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", get(client, page_path(BLOG_ID)))

    version = store_cable(BLOG_ID).latest_version
    packed = bytes(version.data)
    page = page_without_token()
    assert page.count('class="xref"') == 4  # Ref A, B, C, C in paragraphs 2, 4 and 6
    metadata, text, raw = json.loads(zstandard.ZstdDecompressor().decompress(packed))
    assert raw.pop("layout")
    legacy = zstandard.ZstdCompressor().compress(json.dumps([metadata, text, raw]).encode())
    try:
        CableVersion.objects.filter(pk=version.pk).update(data=legacy)
        cache.clear()
        assert page_without_token() == page
    finally:
        CableVersion.objects.filter(pk=version.pk).update(data=packed)
        cache.clear()


def test_cables_without_numbered_paragraphs_show_their_whole_text(client):
    from cables.store.models import Cable

    unnumbered = list(Cable.objects.filter(paragraphs__isnull=True).select_related("latest_version")[:8])
    assert unnumbered, "the archive has cables without numbered paragraphs"
    for c in unnumbered:
        page = get(client, page_path(c.canonical_id))
        assert re.sub(r"\s+", "", text_section(page)) == re.sub(r"\s+", "", c.record().body), c.canonical_id


# --- redirects and 404 ----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/cable/06astana38",                  # lower case
    "/cable/06ASTANA038.html",            # zero padding, .html
    "/cable/06ASTANA38/",                 # trailing slash
    "/cable/06ECTION01OF02ASTANA38",      # a SECTION fragment glued before the station
    "/cable/2006/04/06astana38.html",     # right month, wrong case
    "/cable/2006/05/06ASTANA38.html",     # wrong month
    "/cable/2007/04/06ASTANA38.html",     # wrong year
])
def test_every_form_of_the_id_redirects_permanently_to_the_canonical_url(client, url):
    # no garbled id of the known-id list names a cable of this archive (its reference_id and
    # canonical_id columns agree everywhere), so the malformed form is one ids.py documents
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == BLOG_URL


def test_redirect_keeps_the_query_and_sub_pages_redirect_to_the_canonical_id(client):
    response = client.get("/cable/06astana38?cite=3")
    assert response.status_code == 301 and response["Location"] == BLOG_URL + "?cite=3"
    for view in ("raw", "history", "graph.svg"):
        response = client.get(f"/cable/06astana038/{view}")
        assert response.status_code == 301 and response["Location"] == f"/cable/06ASTANA38/{view}"


def test_unknown_cable_is_a_404_with_close_ids(client):
    from cables.store.models import Cable, KnownId

    # 06ASTANA37: no such cable; 06ASTANA38 (same station and year, next serial) is suggested
    assert not Cable.objects.filter(canonical_id="06ASTANA37").exists()
    page = get(client, "/cable/06ASTANA37", status=404)
    assert "06ASTANA37" in page and "Did you mean" in page
    assert f'<a href="{BLOG_URL}">06ASTANA38</a>' in page
    # a misspelled station: 06ASTAMA38
    page = get(client, "/cable/2006/04/06ASTAMA38.html", status=404)
    assert f'<a href="{BLOG_URL}">06ASTANA38</a>' in page
    # 06ASTANA33 is a known id (cable2month), never released
    assert KnownId.objects.filter(canonical_id="06ASTANA33").exists()
    page = get(client, "/cable/06ASTANA33", status=404)
    assert "not been released" in page
    # not an id at all
    page = get(client, "/cable/hello-world", status=404)
    assert "not a cable reference id" in page
    get(client, "/cable/06ASTANA37/raw", status=404)
    get(client, "/cable/06ASTANA37/graph.svg", status=404)


# --- raw, history, diff ---------------------------------------------------------------------------

def test_raw_view_is_the_text_as_the_source_gave_it(client):
    response = client.get("/cable/06ASTANA38/raw")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    record = store_cable(BLOG_ID).record()
    assert response.content.decode() == record.header_raw + "\n\n" + record.body_raw
    text = response.content.decode()
    # the blog page's lines, trailing spaces and all
    assert "P 240336Z APR 06" in text and "UNCLAS SECTION 01 OF 02 ASTANA 000038 \n" in text


def changed_cable():
    """A cable the second build changed in metadata and text (the first such, by id)."""
    from cables.store.models import CableVersion

    version = (CableVersion.objects.filter(number=2, change=CableVersion.BOTH)
               .select_related("cable", "release").order_by("cable__canonical_id").first())
    assert version is not None, "the second build changed some cables' text"
    return version.cable


def test_diff_word_by_word_shows_what_a_rewrapped_text_really_changed(client):
    """06MOSCOW9533's second version puts each paragraph on one line, so nearly every line differs;
    word by word, the change is a few words — among them names the first release had redacted
    (XXXXXX → Khalid)."""
    from cables.store.models import CableVersion

    versions = list(CableVersion.objects.filter(cable__canonical_id="06MOSCOW9533").order_by("number"))
    assert len(versions) == 2
    old, new = (v.to_record().body for v in versions)
    page = get(client, "/cable/06MOSCOW9533/diff")
    words = page.split('<p class="diff-words">')[1].split("</p>")[0]
    deleted = [html.unescape(t) for t in re.findall(r"<del>(.*?)</del>", words)]
    inserted = [html.unescape(t) for t in re.findall(r"<ins>(.*?)</ins>", words)]
    # each run is words of its own version, in it as written (line breaks aside)
    assert deleted and all(run in " ".join(old.split()) for run in deleted)
    assert inserted and all(run in " ".join(new.split()) for run in inserted)
    assert any("XXXXXX" in run for run in deleted) and any("Khalid" in run for run in inserted)
    changed_words = int(re.search(r"(\d+) words? changed, whatever the line breaks", page).group(1))
    changed_lines = int(re.search(r"(\d+) lines? changed;", page).group(1))
    assert changed_words <= sum(len(run.split()) for run in deleted + inserted)
    assert changed_words * 5 < changed_lines


def test_history_lists_each_version_with_its_release_and_change(client):
    from cables.store.models import CableVersion

    cable = changed_cable()  # 06MOSCOW9533 in this archive
    page = get(client, f"/cable/{cable.canonical_id}/history")
    versions = list(CableVersion.objects.filter(cable=cable).select_related("release").order_by("number"))
    assert len(versions) == 2
    rows = re.findall(r"<tr><td>(\d+)</td><td><a href=\"/release/([^/]+)/\">", page)
    assert rows == [(str(v.number), v.release.name) for v in versions]
    assert "metadata and text" in page and "first version" in page
    assert f'href="/cable/{cable.canonical_id}/diff?from=1&amp;to=2"' in page
    # the cable page shows the same history
    assert f'href="/cable/{cable.canonical_id}/diff?from=1&amp;to=2"' in get(client, page_path(cable.canonical_id))
    # a cable with one version says so
    assert "This cable has one version" in get(client, "/cable/06ASTANA38/history")


def test_diff_shows_metadata_changes_and_the_text_side_by_side(client):
    from cables.store.models import CableVersion

    cable = changed_cable()
    old, new = (v.to_record() for v in CableVersion.objects.filter(cable=cable).order_by("number"))
    page = get(client, f"/cable/{cable.canonical_id}/diff")
    assert get(client, f"/cable/{cable.canonical_id}/diff?from=1&to=2") == page
    assert "version 1 → version 2" in page
    a, b = old.to_json(), new.to_json()
    changed = [k for k in METADATA_FIELDS if a.get(k) != b.get(k)]
    assert changed, "a metadata+text change has metadata changes"
    table = page.split('<table class="diff-meta">')[1].split("</table>")[0]
    for field in changed:
        assert f'<th scope="row">{field}</th>' in table
    assert '<th scope="row">layout</th>' not in page  # derived from the text: never listed
    # the lines difflib sees removed and added are in the left and right columns
    rows = page.split('<table class="diff-text">')[1].split("</table>")[0]
    left = {html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r'<td class="old text-pre">(.*?)</td>', rows)}
    right = {html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r'<td class="new text-pre">(.*?)</td>', rows)}
    diff = list(difflib.unified_diff(old.body.splitlines(), new.body.splitlines(), lineterm="", n=0))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---") and line[1:].strip()]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++") and line[1:].strip()]
    assert removed and added
    assert set(removed) <= left and set(added) <= right
    assert "<del>" in rows and "<ins>" in rows


@pytest.mark.parametrize("query, message", [
    ("from=3", "has versions 1 to 2, not 3"),
    ("to=9", "has versions 1 to 2, not 9"),
    ("from=abc", "is not a version number"),
    ("from=-1", "is not a version number"),
    ("from=1&to=99999999999999999999", "is not a version number"),
])
def test_diff_with_bad_versions_is_a_404_with_a_message(client, query, message):
    cable = changed_cable()
    page = get(client, f"/cable/{cable.canonical_id}/diff?{query}", status=404)
    assert html.escape(message) in page or message in page


def test_diff_of_a_cable_with_one_version_says_so(client):
    page = get(client, "/cable/06ASTANA38/diff", status=404)
    assert "one version" in page


# --- cited by and the graph -----------------------------------------------------------------------

def most_cited():
    from django.db.models import Count

    from cables.store.models import Cable

    return (Cable.objects.annotate(n=Count("cited_by_edges__citing", distinct=True))
            .filter(n__gt=1).order_by("-n", "canonical_id").first())


def test_cited_by_lists_the_citing_cables_with_the_paragraph_that_uses_the_citation(client):
    from cables.store.models import Paragraph, ReferenceEdge
    from cables.web.links import cable_path

    # 09BERLIN1167 is cited by 09BERLIN1197, 09BERLIN1360, 09BERLIN1393, 09BERLIN1528, 10BERLIN128
    cited = store_cable("09BERLIN1167")
    edges = list(ReferenceEdge.objects.filter(cited_cable=cited).select_related("citing"))
    assert len({e.citing_id for e in edges}) >= 5
    page = get(client, page_path("09BERLIN1167"))
    block = section(page, "cited-by")
    for e in edges:
        url = cable_path(e.citing.canonical_id, e.citing.created)
        assert f'<a href="{url}" class="mono">{e.citing.canonical_id}</a>' in block
    # 09BERLIN1393 cites it as "B) BERLIN 1167" and writes "(Ref B)" in one paragraph
    b = next(e for e in edges if e.citing.canonical_id == "09BERLIN1393")
    assert b.label == "B"
    number = next(p.number for p in Paragraph.objects.filter(cable=b.citing).order_by("position")
                  if re.search(r"(?i)\bref\s+B\b", p.text))
    assert f'<a href="{cable_path(b.citing.canonical_id, b.citing.created)}#par{number}">¶ {number}</a>' in block


# (cited id, citing id, the paragraph of the citing cable that uses the REF item, words of the
# excerpt around the use; None: no paragraph uses it, no excerpt). Where the use stands is the
# parser's (Layout.uses): label, citation, a bare REFTEL in a one-REF cable, a plural reftels.
CITED_BY_ROWS = [
    # "B) BERLIN 1167", then "(Ref B)" in ¶ 8
    ("09BERLIN1167", "09BERLIN1393", 8, "privacy rights (Ref B). Germany's new Justice Minister"),
    # labels A-D never named: "(see reftels)" in ¶ 3 points at every item
    ("09BERLIN1167", "10BERLIN128", 3, "counterterrorism legislative proposals (see reftels). At times"),
    # "REF: Berlin 1337, Berlin 1340, Berlin 1167": never named again
    ("09BERLIN1167", "09BERLIN1360", None, None),
    # one REF item, no label: "(reftel)" in ¶ 11
    ("06PARIS953", "06PARIS1681", 11, "and Pol M/C (reftel)."),
]


@pytest.mark.parametrize("cited, citing, number, words", CITED_BY_ROWS)
def test_cited_by_excerpt_is_where_the_citing_cable_uses_the_reference(client, cited, citing, number, words):
    from cables.web.links import cable_path

    c = store_cable(citing)
    url = cable_path(c.canonical_id, c.created)
    block = section(get(client, page_path(cited)), "cited-by")
    item = re.search(rf'<li>(?:(?!</li>).)*?class="mono">{citing}</a>.*?</li>', block, re.DOTALL)
    assert item, f"{citing} is not listed"
    quote = re.search(r'<blockquote class="mention"><a href="([^"]+)">¶ (\d+)</a> (.*?)</blockquote>',
                      item.group(0), re.DOTALL)
    if number is None:
        assert quote is None
        return
    assert quote and quote.group(1) == f"{url}#par{number}" and quote.group(2) == str(number)
    assert words in html.unescape(quote.group(3))


def test_cited_by_of_the_most_cited_cable(client):
    from cables.store.models import ReferenceEdge

    cable = most_cited()
    citing = set(ReferenceEdge.objects.filter(cited_cable=cable).values_list("citing__canonical_id", flat=True))
    block = section(get(client, page_path(cable.canonical_id)), "cited-by")
    assert set(re.findall(r'class="mono">(\w+)</a>', block)) == citing
    assert f"{len(citing)} archived cables cite this one" in block


def test_a_cable_nobody_cites_says_so(client):
    block = section(get(client, BLOG_URL), "cited-by")
    assert "No archived cable cites 06ASTANA38." in block


def svg_links(root) -> set[str]:
    out = set()
    for a in root.iter(f"{SVG}a"):
        out.add(a.get("href"))
    return out


def test_graph_svg_parses_and_links_the_neighbours(client):
    from cables.store.models import ReferenceEdge
    from cables.web.links import cable_path

    cable = store_cable("09BERLIN1167")
    response = client.get("/cable/09BERLIN1167/graph.svg")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Reference graph of 09BERLIN1167"
    assert "09BERLIN1167" in root.find(f"{SVG}desc").text
    # every archived cable one REF away either way is a linked node
    neighbours = set()
    for e in ReferenceEdge.objects.filter(citing=cable, cited_cable__isnull=False).select_related("cited_cable"):
        neighbours.add(cable_path(e.cited_cable.canonical_id, e.cited_cable.created))
    for e in ReferenceEdge.objects.filter(cited_cable=cable).select_related("citing"):
        neighbours.add(cable_path(e.citing.canonical_id, e.citing.created))
    links = svg_links(root)
    assert neighbours and neighbours <= links
    # and two steps away (10BERLIN180 cites 10BERLIN128, which cites 09BERLIN1167)
    near = {e.citing_id for e in ReferenceEdge.objects.filter(cited_cable=cable)}
    near |= {e.cited_cable_id for e in ReferenceEdge.objects.filter(citing=cable, cited_cable__isnull=False)}
    second = set()
    for e in ReferenceEdge.objects.filter(cited_cable_id__in=near).select_related("citing"):
        second.add(cable_path(e.citing.canonical_id, e.citing.created))
    second -= neighbours | {cable_path(cable.canonical_id, cable.created)}
    assert page_path("10BERLIN180") in second and second & links
    nodes = [g for g in root.iter() if g.get("class") == "node"]
    assert 1 < len(nodes) <= 40
    for node in nodes:
        assert node.find(f"{SVG}title") is not None


def test_graph_is_inline_on_the_page_and_capped(client):
    cable = most_cited()
    page = get(client, page_path(cable.canonical_id))
    svg = re.search(r"<svg .*?</svg>", page, re.DOTALL).group(0)
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}desc") is not None
    assert len([g for g in root.iter() if g.get("class") == "node"]) <= 40
    assert svg_links(root)
    # a cable with only unarchived references still gets its drawing, without links
    blog = ET.fromstring(client.get("/cable/06ASTANA38/graph.svg").content)
    assert not svg_links(blog)
    assert {t.text for t in blog.iter(f"{SVG}text")} >= {"06ALMATY1450", "06ASTANA33", "06ASTANA5"}


# --- share and cite -------------------------------------------------------------------------------

def test_share_links_carry_the_canonical_url_and_the_hashtags(client):
    page = get(client, BLOG_URL)
    share = section(page, "share")
    assert "#cablegate #06ASTANA38" in share
    hrefs = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)"', share)]
    x = next(h for h in hrefs if h.startswith("https://twitter.com/intent/tweet?"))
    assert quote(CANONICAL, safe="") in x
    assert parse_qs(urlsplit(x).query)["url"] == [CANONICAL]
    assert "#cablegate #06ASTANA38" in parse_qs(urlsplit(x).query)["text"][0]
    bluesky = next(h for h in hrefs if h.startswith("https://bsky.app/intent/compose?"))
    text = parse_qs(urlsplit(bluesky).query)["text"][0]
    assert CANONICAL in text and "#cablegate #06ASTANA38" in text
    assert quote(CANONICAL, safe="") in bluesky
    mail = next(h for h in hrefs if h.startswith("mailto:"))
    assert CANONICAL in parse_qs(urlsplit(mail).query)["body"][0]
    assert 'action="/share/mastodon"' in share and 'name="instance"' in share


@pytest.mark.parametrize("typed, host", [
    ("mastodon.social", "mastodon.social"),
    ("@reader@Mastodon.Social", "mastodon.social"),
    ("https://infosec.exchange/", "infosec.exchange"),
])
def test_mastodon_share_goes_to_the_readers_instance(client, typed, host):
    response = client.get("/share/mastodon", {"ref": "06astana38", "instance": typed})
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", host, "/share")
    text = parse_qs(target.query)["text"][0]
    assert CANONICAL in text and "#cablegate #06ASTANA38" in text


@pytest.mark.parametrize("typed", ["not a host", "javascript:alert(1)", "127.0.0.1", "localhost",
                                   "exa_mple.com", "-bad.example"])
def test_mastodon_share_refuses_what_is_no_host_name(client, typed):
    response = client.get("/share/mastodon", {"ref": BLOG_ID, "instance": typed})
    assert response.status_code == 400
    assert "host name" in response.content.decode()
    assert client.get("/share/mastodon", {"ref": "06ASTANA37", "instance": "mastodon.social"}).status_code == 404


def test_cite_box_for_the_whole_cable_and_for_one_paragraph(client):
    page = get(client, BLOG_URL)
    cite = section(page, "cite")
    assert "06ASTANA38, “KAZAKHSTAN: AMBASSADOR DISCUSSES AIG AND TIP WITH JUSTICE MINISTER”, Embassy Astana, 24 April 2006" in cite
    assert CANONICAL in cite
    assert 'id="cite-box"' not in page
    # ?cite=4 renders the box for ¶ 4 right under it
    page = get(client, BLOG_URL + "?cite=4")
    par4 = re.search(r'<div class="par selected" id="par4">.*?</aside>\s*</div>', page, re.DOTALL).group(0)
    assert 'id="cite-box"' in par4
    assert f"¶ 4. {CANONICAL}#par4" in par4
    assert f'<a href="{CANONICAL}#par4" class="cite-url">' in par4
    # a paragraph that does not exist: the page says so, no box
    page = get(client, BLOG_URL + "?cite=99")
    assert 'id="cite-box"' not in page and "no paragraph “99”" in page


# --- the page as a whole --------------------------------------------------------------------------

def test_no_inline_style_or_script_anywhere(client):
    cable = changed_cable()
    urls = [BLOG_URL, BLOG_URL + "?cite=2", page_path("09BERLIN1167"), page_path(cable.canonical_id),
            f"/cable/{cable.canonical_id}/history", f"/cable/{cable.canonical_id}/diff",
            "/share/mastodon?ref=06ASTANA38&instance=bad+host", "/cable/06ASTANA37"]
    for url in urls:
        page = client.get(url).content.decode()
        assert not re.search(r"\sstyle\s*=", page), url
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), url
        assert not re.search(r"\son[a-z]+\s*=", page), url
    svg = client.get("/cable/09BERLIN1167/graph.svg").content.decode()
    assert "style=" not in svg and "<script" not in svg
    page = get(client, BLOG_URL)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert client.get(asset).status_code == 200, asset


def test_query_count_is_bounded_whatever_the_cable(client):
    """Rendering a page (not taking it from the page cache) costs a bounded number of queries."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    # 06ASTANA38: cited by none; the most cited cable of the archive; a cable changed twice
    for reference_id in (BLOG_ID, most_cited().canonical_id, changed_cable().canonical_id):
        url = page_path(reference_id)
        client.get(url)  # warm caches that are not ours (templates, sessions)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[reference_id] = len(queries)
    assert max(counts.values()) <= 20, counts
    assert max(counts.values()) - min(counts.values()) <= 3, counts  # no query per citing cable
