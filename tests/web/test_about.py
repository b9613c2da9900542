"""The classification explainer: every anchor the cable pages link to, counts from the archive."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from selectolax.lexbor import LexborHTMLParser

from cables.web.links import slug


@pytest.fixture
def page(client):
    response = client.get("/about/classification")
    assert response.status_code == 200
    return LexborHTMLParser(response.content.decode())


def test_every_classification_of_the_archive_has_its_anchor_and_count(client, page):
    from cables.store.models import Cable

    counts = Counter(Cable.objects.values_list("classification", flat=True))
    assert len(counts) == 6
    for value, n in counts.items():
        section = page.css_first(f"#{slug(value)}")
        assert section is not None, value
        link = section.css_first(f'a[href="/classification/{slug(value)}/"]')
        assert link is not None and link.text().startswith(f"{n} cable"), value
        assert client.get(link.attributes["href"]).status_code == 200


@pytest.mark.parametrize("anchor", [
    "unclassified", "unclassified-for-official-use-only", "confidential", "secret",
    "confidential-noforn", "secret-noforn", "handling", "markings", "eo-reasons",
    *[f"reason-{letter}" for letter in "abcdefgh"],
])
def test_the_anchors_the_cable_pages_link_to(page, anchor):
    assert page.css_first(f"#{anchor}") is not None


def test_the_reasons_of_section_1_4(page):
    """E.O. 12958 as amended by E.O. 13292, section 1.4 (a)–(h)."""
    reasons = {li.attributes["id"]: " ".join(li.text().split()) for li in page.css("ol.reasons li")}
    assert list(reasons) == [f"reason-{c}" for c in "abcdefgh"]
    assert "military plans, weapons systems, or operations" in reasons["reason-a"]
    assert "foreign government information" in reasons["reason-b"]
    assert "cryptology" in reasons["reason-c"]
    assert "confidential sources" in reasons["reason-d"]
    assert "scientific, technological, or economic" in reasons["reason-e"]
    assert "nuclear materials or facilities" in reasons["reason-f"]
    assert "infrastructures" in reasons["reason-g"] and "protection services" in reasons["reason-g"]
    assert "weapons of mass destruction" in reasons["reason-h"]


def test_handling_words_and_markings_are_explained(client, page):
    handling = page.css_first("#handling").text()
    for word in ["SIPDIS", "NOFORN", "EXDIS", "NODIS", "LIMDIS", "STADIS", "SENSITIVE", "SBU"]:
        assert page.css_first(f"#handling-{word.lower()}") is not None, word
        assert word in handling
    markings = page.css_first("#markings")
    shown = [c.text() for c in markings.css("tbody th code")]
    assert {"(U)", "(SBU)", "(C)", "(S)", "(S/NF)"} <= set(shown)
    # each marking links to the search of the paragraphs carrying it, and the search runs
    for a in markings.css("tbody a"):
        assert a.attributes["href"].startswith("/search?q=marking")
        assert client.get(a.attributes["href"]).status_code == 200


def test_a_levels_search_link_finds_exactly_its_cables(client, page):
    """SECRET's search excludes SECRET//NOFORN (classification:secret alone takes both)."""
    from cables.store.models import Cable

    for value in ["SECRET", "SECRET//NOFORN", "UNCLASSIFIED"]:
        link = next(a for a in page.css_first(f"#{slug(value)}").css("a") if a.text() == "search them")
        response = client.get(link.attributes["href"])
        text = LexborHTMLParser(response.content.decode()).css_first('[role="status"]').text()
        shown = int(re.search(r"([\d,]+) cables?", text).group(1).replace(",", ""))
        assert shown == Cable.objects.filter(classification=value).count(), value


def test_the_browse_and_cable_pages_link_into_it(client):
    body = client.get("/classification/").content.decode()
    assert 'href="/about/classification#secret-noforn"' in body


def test_one_query_and_no_inline_style_or_script(client):
    """One query for the counts, one for the page cache's key (the archive's generation); kept,
    the page costs the key alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/about/classification").content.decode()
    assert len(queries) == 2, [q["sql"] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/about/classification").content.decode() == body
    assert [q["sql"] for q in queries] == ["SELECT generation, changed FROM store_archivestate WHERE id = 1"]
    assert not re.search(r"<[^>]+\sstyle=", body)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
