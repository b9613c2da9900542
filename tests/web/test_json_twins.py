"""The JSON twins: every page of the reading room answers ``?format=json`` with its context
object (cables.web.pages), and the HTML page links to it.

The contract is walked from the URL scheme itself (cables.web.urls): every named route is either
a page with a twin (the pages of :func:`_pages`: an address of that kind on the test archive and the context
class whose fields the twin's keys must be) or named in :data:`NOT_PAGES` with the reason it has
none — so a new kind of page without a twin fails :func:`test_every_kind_of_url_is_a_twin_or_says_why_not`.

Values are checked on real cables of the test archive (see conftest: the first two official
builds): 09BERLIN1167 (Embassy Berlin, 21 September 2009, "DATA PRIVACY TRUMPS SECURITY…": nine
numbered paragraphs, TAGS PGOV PREL PTER KJUS KHLS GM, three REF items, read here from the build's
page), and the search for ``iran`` against the total its HTML page shows.
"""

from __future__ import annotations

import json
import re

import pytest
from selectolax.lexbor import LexborHTMLParser

BERLIN = "09BERLIN1167"
BERLIN_PAGE = "/cable/2009/09/09BERLIN1167.html"
BERLIN_SUBJECT = "DATA PRIVACY TRUMPS SECURITY: IMPLICATIONS OF A FDP VICTORY ON COUNTERTERRORISM COOPERATION"


def _changed_cable() -> str:
    """A cable the second build changed (it has two versions to compare)."""
    from cables.store.models import CableVersion

    version = CableVersion.objects.filter(number=2).order_by("cable__canonical_id").first()
    assert version is not None, "the second build changed some cables"
    return version.cable.canonical_id


def _pages():
    from cables.web.pages import browse, cable, home, search

    return {
        "home": ("/", home.HomePage),
        "cable": (BERLIN_PAGE, cable.CablePage),
        "cable_redirect": ("/cable/09berlin1167", cable.CablePage),  # redirects, keeping the query
        "cable_history": (f"/cable/{BERLIN}/history", cable.CableHistoryPage),
        "cable_diff": (lambda: f"/cable/{_changed_cable()}/diff", cable.CableDiffPage),
        "browse": ("/browse/", browse.BrowseIndexPage),
        "browse_releases": ("/release/", browse.ReleasesPage),
        "browse_release": ("/release/cablegate-201012020501/", browse.ReleasePage),
        "browse_dates": ("/date/", browse.YearsPage),
        "browse_year": ("/date/2009/", browse.YearPage),
        "browse_month": ("/date/2009/09/", browse.CableListPage),
        "browse_origins": ("/origin/", browse.OriginsPage),
        "browse_origin": ("/origin/embassy-berlin/", browse.CableListPage),
        "browse_tags": ("/tag/", browse.TagsPage),
        "browse_tag": ("/tag/PTER/", browse.CableListPage),
        "browse_classifications": ("/classification/", browse.ClassificationsPage),
        "browse_classification": ("/classification/confidential/", browse.CableListPage),
        "search": ("/search?q=iran", search.SearchPage),
        "about_classification": ("/about/classification", home.AboutClassificationPage),
    }


NOT_PAGES = {
    "robots": "robots.txt: plain text for crawlers",
    "cable_raw": "the cable's text as plain text: already data",
    "cable_graph": "an SVG image (the cable page's twin holds its data: references, citing)",
    "share_mastodon": "a hop to the reader's own Mastodon server, not a page of the archive",
    "search_histogram": "an SVG image (the search twin holds its data: months)",
    "api_no_such_address": "the JSON 404 of an unknown address under /api/v1/",
    "search_export": "a download of the search's cables (JSONL, CSV, GraphML, GEXF): already data",
    "discussion_comment": "the comment form: the reader's own page (CSRF token, their draft)",
    "discussion_ping": "the TrackBack/Webmention endpoint for other sites",
    "feed_cables": "an Atom feed: already data",
    "feed_tag": "an Atom feed: already data",
    "feed_origin": "an Atom feed: already data",
    "feed_release": "an Atom feed: already data",
    "feed_search": "an Atom feed: already data",
    "feed_comments": "an Atom feed: already data",
    "feed_cable_comments": "an Atom feed: already data",
}
NOT_PAGE_NAMESPACES = {"admin": "Django's admin, for moderators: not the reading room",
                       "api-v1": "the JSON API (cables.api): data already, tested in tests/api"}


def _route_names() -> set[str]:
    """Every named route of the site, include()s walked; routes of NOT_PAGE_NAMESPACES left out."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names = set()

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace not in NOT_PAGE_NAMESPACES:
                    walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"a route without a name: {entry.pattern}"
                names.add(entry.name)

    walk(get_resolver().url_patterns)
    return names


def _twin(client, url: str, status: int = 200) -> dict:
    response = client.get(url + ("&" if "?" in url else "?") + "format=json", follow=True)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), (url, response["Content-Type"])
    return json.loads(response.content)


def _example(name: str) -> tuple[str, type]:
    url, page_class = _pages()[name]
    return (url() if callable(url) else url), page_class


TWIN_NAMES = ["home", "cable", "cable_redirect", "cable_history", "cable_diff", "browse",
              "browse_releases", "browse_release", "browse_dates", "browse_year", "browse_month",
              "browse_origins", "browse_origin", "browse_tags", "browse_tag",
              "browse_classifications", "browse_classification", "search", "about_classification"]


def test_every_kind_of_url_is_a_twin_or_says_why_not(web_archive):
    routes = _route_names()
    assert set(TWIN_NAMES) == set(_pages())
    both = set(TWIN_NAMES) & set(NOT_PAGES)
    assert not both, f"a route is both a page with a twin and not a page: {both}"
    unaccounted = routes - set(TWIN_NAMES) - set(NOT_PAGES)
    assert not unaccounted, (f"routes with no JSON twin and no reason: {sorted(unaccounted)} — give "
                             "the page a context dataclass and add it to TWINS, or say why not")
    stale = (set(TWIN_NAMES) | set(NOT_PAGES)) - routes
    assert not stale, f"named here, gone from the URL scheme: {sorted(stale)}"


@pytest.mark.parametrize("name", TWIN_NAMES)
def test_the_twin_holds_the_context_fields_and_the_page_links_to_it(client, name):
    from cables.web.pages.base import PageContext

    url, page_class = _example(name)
    assert issubclass(page_class, PageContext)
    twin = _twin(client, url)
    assert list(twin) == list(page_class.json_keys()), name
    assert twin, name
    # the HTML page names its twin as an alternate, and that address gives the same JSON
    page = client.get(url, follow=True)
    assert page.status_code == 200, url
    link = LexborHTMLParser(page.content.decode()).css_first('link[rel="alternate"][type="application/json"]')
    assert link is not None, f"{url}: no <link rel=alternate type=application/json>"
    href = link.attributes["href"]
    assert "format=json" in href
    assert json.loads(client.get(href).content) == twin, (url, href)


def test_html_only_fields_stay_out_of_the_twin(client):
    from cables.web.pages.cable import CablePage

    assert {"segments", "graph_svg"} <= {f for f in CablePage.__dataclass_fields__}
    assert not {"segments", "graph_svg"} & set(CablePage.json_keys())
    twin = _twin(client, BERLIN_PAGE)
    assert "<svg" not in json.dumps(twin)  # the inline graph stays in the HTML page


def test_the_cable_twin_of_09BERLIN1167(client):
    twin = _twin(client, BERLIN_PAGE)
    assert twin["cable"]["id"] == BERLIN
    assert twin["subject"] == BERLIN_SUBJECT == twin["record"]["subject"]
    assert twin["canonical_url"].endswith(BERLIN_PAGE)
    assert len(twin["record"]["paragraphs"]) == 9
    assert [p["number"] for p in twin["record"]["paragraphs"]] == list(range(1, 10))
    assert [t["code"] for t in twin["tags"]] == ["PGOV", "PREL", "PTER", "KJUS", "KHLS", "GM"]
    assert [r["id"] for r in twin["references"]] == ["09BERLIN988", "08BERLIN504", "08BERLIN354"]
    assert twin["meta"]["origin"] == "Embassy Berlin"
    assert twin["meta"]["created"].startswith("2009-09-21")
    assert twin["header"]["from"]["name"] == "AMEMBASSY BERLIN"
    assert twin["record"]["signers"] == ["MURPHY"]
    assert [v["version"] for v in twin["versions"]] == list(range(1, len(twin["versions"]) + 1))
    # per-reader parts (the discussion, its form and CSRF token) are not in the twin
    assert not {"discussion", "csrf_token", "form"} & set(twin)


def test_the_search_twin_counts_what_the_page_shows(client):
    page = client.get("/search?q=iran").content.decode()
    shown = re.search(r'<p class="summary" role="status">(?:about )?([\d,]+) cable', page)
    assert shown, "the search page shows no total"
    twin = _twin(client, "/search?q=iran")
    assert twin["total"] == int(shown.group(1).replace(",", "")) > 20
    assert len(twin["hits"]) == 20 and twin["next_url"]
    page_ids = re.findall(r'<span class="ref">(\w+)</span>', page)
    assert [h["id"] for h in twin["hits"]] == page_ids
    assert any("<mark>" in h["snippet"].lower() for h in twin["hits"])
    assert {f["name"] for f in twin["facets"]} >= {"tag", "origin"}
    assert sum(m["n"] for m in twin["months"]) <= twin["total"]
    # the help page (no query) is the same kind of page: the same keys, no result
    help_twin = _twin(client, "/search")
    assert list(help_twin) == list(twin) and help_twin["total"] is None and help_twin["hits"] == []


def test_a_list_twin_pages_as_its_page_does(client):
    first = _twin(client, "/tag/PTER/")
    assert first["page"]["number"] == 1 and first["page"]["total"] > 50
    assert len(first["page"]["rows"]) == first["page"]["per_page"]
    second = _twin(client, first["pager"]["next"])
    assert second["page"]["number"] == 2
    assert not {r["id"] for r in first["page"]["rows"]} & {r["id"] for r in second["page"]["rows"]}
    assert all(r["url"].startswith("/cable/") for r in second["page"]["rows"])


@pytest.mark.parametrize("url, status, says", [
    ("/cable/2009/09/09BERLIN99999.html", 404, "no cable 09BERLIN99999"),
    ("/cable/NOTANID", 404, "not a cable reference id"),
    ("/cable/09BERLIN1167/diff", 404, "one version only"),
    ("/cable/09BERLIN1167/diff?from=1&to=7", 404, "one version only"),
    ("/cable/09BERLIN1167/diff?from=x", 404, "not a version number"),
    ("/search?q=%22unbalanced", 400, ""),
    ("/search?q=tag:", 400, ""),
    ("/tag/PTER/?page=9999", 404, "no page 9999"),
    ("/tag/NOSUCHTAG/", 404, "NOSUCHTAG"),
    ("/origin/nowhere-at-all/", 404, "nowhere-at-all"),
    ("/date/1066/", 404, "1066"),
    ("/date/2009/13/", 404, "not a month"),
    ("/release/no-such-release/", 404, "no-such-release"),
    ("/no/such/page", 404, "no page at this address"),
])
def test_a_twin_error_is_json_with_its_status(client, url, status, says):
    error = _twin(client, url, status)
    message = error["error"]
    assert message, error
    assert says.lower() in message.lower(), (url, message)


def test_an_unknown_id_suggests_close_ids(client):
    error = _twin(client, "/cable/09BERLIN1166", 404)  # one serial off
    assert "09BERLIN1166" in error["error"]
    assert BERLIN in [s["id"] for s in error["suggestions"]], error


@pytest.mark.parametrize("url", [BERLIN_PAGE, "/search?q=iran", "/tag/PTER/", "/"])
def test_an_unknown_format_is_a_json_400(client, url):
    response = client.get(url + ("&" if "?" in url else "?") + "format=xml")
    assert response.status_code == 400
    assert "xml" in json.loads(response.content)["error"]


def test_an_empty_or_html_format_is_the_page(client):
    for value in ("", "html"):
        response = client.get(f"/tag/PTER/?format={value}")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("url", [BERLIN_PAGE, "/search?q=iran", "/tag/PTER/", "/"])
def test_the_page_cache_keeps_a_page_and_its_twin_apart(client, url):
    """Either first: the second asked is still its own format (the cache keys on the format)."""
    twin_url = url + ("&" if "?" in url else "?") + "format=json"
    for first, second in ((url, twin_url), (twin_url, url)):
        from django.core.cache import cache

        cache.clear()
        client.get(first)
        response = client.get(second)
        assert response.status_code == 200
        is_json = response["Content-Type"].startswith("application/json")
        assert is_json == (second == twin_url), (first, second, response["Content-Type"])
        again = client.get(second)  # now from the cache: the same answer, the same type
        assert _without_csrf(again.content) == _without_csrf(response.content)
        assert again["Content-Type"] == response["Content-Type"]


def _without_csrf(body: bytes) -> bytes:
    """A page without its CSRF token (masked afresh for every answer)."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)


def test_a_search_for_an_id_sends_the_twin_to_the_cable_twin(client):
    response = client.get(f"/search?q={BERLIN}&format=json")
    assert response.status_code == 302
    assert response["Location"] == f"{BERLIN_PAGE}?format=json"


def test_the_diff_twin_of_a_changed_cable(client):
    ref = _changed_cable()
    twin = _twin(client, f"/cable/{ref}/diff")
    assert (twin["old"], twin["new"], twin["latest"]) == (1, 2, 2)
    assert twin["cable"]["id"] == ref and twin["old_version"]["version"] == 1
    assert twin["metadata"] or twin["text_fields"] or twin["words"]["changed_words"]
    assert _twin(client, f"/cable/{ref}/diff?from=1&to=2") == twin
    error = _twin(client, f"/cable/{ref}/diff?from=9", 404)
    assert "not 9" in error["error"]
