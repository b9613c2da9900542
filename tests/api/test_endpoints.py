"""Every endpoint of the API on both backends, over HTTP against `cables serve`, on real cables.

The archive (tests/api/conftest.py): the first two official builds, the April 2011 mirror, the
blog page 06ASTANA38. The figures asserted are the archive's own: `cables show`, `cables refs`,
`cables releases` and the pages say the same (09BERLIN1167's REF items A–C, its five citing
cables, 08OTTAWA918's three versions, the releases' counts). Then the two backends are compared
answer by answer.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from .conftest import RELEASES, SITES_GROUP, get_json

pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group(SITES_GROUP)]


def test_the_index_names_every_endpoint(site):
    index = get_json(site, "/api/v1/")
    assert index["openapi"] == "/api/v1/openapi.json" and index["docs"] == "/api/v1/docs"
    for name, path in index["endpoints"].items():
        if name.startswith("export."):
            status, headers, body = site.get(path + "?tag=KZ")
            assert status == 200 and body and "attachment" in headers["Content-Disposition"], name
            continue
        get_json(site, path + ("?q=iran" if name == "search" else ""))


def test_a_cable_whole(site):
    """09BERLIN1167 (Embassy Berlin, September 2009): record, tags with meanings, its REF items
    and where each cited id stands, the five cables citing it and the paragraph each uses it in."""
    cable = get_json(site, "/api/v1/cables/09BERLIN1167")
    record = cable["record"]
    assert cable["id"] == record["canonical_id"] == "09BERLIN1167"
    assert record["subject"].startswith("DATA PRIVACY TRUMPS SECURITY: IMPLICATIONS OF A FDP VICTORY")
    assert (record["origin"], record["classification"], record["created"]) == (
        "Embassy Berlin", "CONFIDENTIAL", "2009-09-21T08:08")
    assert record["from"]["route"] == "RUEHRL" and record["eo"]["decl_date"] == "2019-09-17"
    assert [(p["number"], p["marking"]) for p in record["paragraphs"][:2]] == [(1, "C"), (2, "C")]
    assert len(record["paragraphs"]) == 9
    assert cable["page"] == "/cable/2009/09/09BERLIN1167.html"
    assert (cable["first_release"], cable["last_release"], cable["removed_in"]) == (
        "cablegate-201011301701", "cablegate-site-2011-04-25", None)
    assert cable["comments"] == 0
    assert [t["code"] for t in cable["tags"]] == ["PGOV", "PREL", "PTER", "KJUS", "KHLS", "GM"]
    assert cable["tags"][0] == {"code": "PGOV", "kind": "subject", "meaning": "Internal governmental affairs"}
    assert [(c["label"], c["citation"], c["id"], c["status"]) for c in cable["cites"]] == [
        ("A", "BERLIN 988", "09BERLIN988", "known"),            # in the id list, never released
        ("B", "2008 BERLIN 504", "08BERLIN504", "unknown"),
        ("C", "2008 BERLIN 354", "08BERLIN354", "unknown"),
    ]
    cited_by = cable["cited_by"]
    assert cited_by["total"] == cited_by["shown"] == 5
    citing = {c["id"]: c for c in cited_by["cables"]}
    assert set(citing) == {"09BERLIN1197", "09BERLIN1360", "09BERLIN1393", "09BERLIN1528", "10BERLIN128"}
    assert citing["09BERLIN1197"]["citations"] == [{"label": "D", "citation": "BERLIN 1167"}]
    assert citing["09BERLIN1197"]["paragraph"] == "6"
    assert citing["09BERLIN1197"]["paragraph_page"] == "/cable/2009/09/09BERLIN1197.html#par6"
    assert "data privacy (see REFTEL D)" in citing["09BERLIN1197"]["excerpt"]
    everyone = get_json(site, cited_by["all"])
    assert sorted(c["id"] for c in everyone["cables"]) == sorted(citing)
    assert [v["version"] for v in cable["versions"]] == [1]
    assert cable["versions"][0]["source"] == "cablegate-201011301701.tar.xz!cable/2009/09/09BERLIN1167.html"


def test_the_api_answers_the_cable_page_s_own_items(site):
    """The API's REF items and citing cables are the page's (web.pages.cable.ReferenceItem and
    CitingItem), not a second reading of the archive: 09BERLIN1167's three REF items and five
    citing cables, each with the same paragraph and excerpt in the page's JSON twin."""
    cable = get_json(site, "/api/v1/cables/09BERLIN1167")
    status, _, body = site.get(cable["page"] + "?format=json")
    assert status == 200
    twin = json.loads(body)
    assert [(r["label"], r["citation"], r["id"], r["status"], r["subject"])
            for r in twin["references"]] == [
        (c["label"], c["citation"], c["id"], c["status"], c["subject"]) for c in cable["cites"]]
    shown = [(c["id"], c["created"], c["paragraph"], c["paragraph_url"], c["excerpt"],
              [list(x) for x in c["citations"]]) for c in twin["citing"]]
    answered = [(c["id"], c["created"], c["paragraph"], c["paragraph_page"], c["excerpt"],
                 [[x["label"], x["citation"]] for x in c["citations"]])
                for c in cable["cited_by"]["cables"]]
    assert len(shown) == 5 and shown == answered


def test_any_written_form_of_an_id_is_the_cable(site):
    assert get_json(site, "/api/v1/cables/09berlin01167")["id"] == "09BERLIN1167"
    assert get_json(site, "/api/v1/cables/06astana038")["id"] == "06ASTANA38"


def test_known_but_unreleased_references_of_the_blog_page(site):
    """06ASTANA38 (the blog page, a release of its own): two of its REF ids are in the id list
    and were never released, one is neither; none is archived."""
    cable = get_json(site, "/api/v1/cables/06ASTANA38")
    assert cable["first_release"] == "blog-06ASTANA38"
    assert cable["record"]["subject"] == "KAZAKHSTAN: AMBASSADOR DISCUSSES AIG AND TIP WITH JUSTICE MINISTER"
    assert [(c["id"], c["status"], c["url"]) for c in cable["cites"]] == [
        ("06ALMATY1450", "known", None), ("06ASTANA33", "known", None), ("06ASTANA5", "unknown", None)]
    unreleased = get_json(site, "/api/v1/stations/ASTANA/unreleased?limit=100")
    ids = [k["id"] for k in unreleased["ids"]]
    assert "06ASTANA33" in ids and "06ASTANA38" not in ids   # 38 is archived, 33 never was


def test_versions_and_diffs(site):
    """08OTTAWA918: new in the first build, its release date changed by the second, its text
    too by the mirror."""
    cable = get_json(site, "/api/v1/cables/08OTTAWA918")
    assert [(v["version"], v["release"], v["change"]) for v in cable["versions"]] == [
        (1, "cablegate-201011301701", "new"), (2, "cablegate-201012020501", "metadata"),
        (3, "cablegate-site-2011-04-25", "metadata+text")]
    second = get_json(site, cable["versions"][1]["url"])
    assert (second["version"], second["release"], second["change"]) == (2, "cablegate-201012020501", "metadata")
    assert second["record"]["released"] == "2010-12-01T18:06"
    first = get_json(site, "/api/v1/cables/08OTTAWA918/diff?from=1&to=2")
    assert (first["from"], first["to"]) == (1, 2)
    assert first["metadata"] == [{"field": "released", "from": "2010-11-29T21:09", "to": "2010-12-01T18:06"}]
    assert first["text"] == [] and first["words"]["changed_words"] == 0
    last = get_json(site, "/api/v1/cables/08OTTAWA918/diff")       # default: the last two
    assert (last["from"], last["to"]) == (2, 3)
    assert {"field": "released", "from": "2010-12-01T18:06", "to": "2010-12-14T21:09"} in last["metadata"]
    assert any(c["field"] == "summary" for c in last["text_fields"])


def test_the_list_pages_by_cursor_and_takes_every_filter(site):
    everything = get_json(site, "/api/v1/cables?limit=6")
    assert everything["total"] == 6712 and everything["sort"] == "date"
    dates = [c["created"] for c in everything["cables"]]
    assert dates == sorted(dates, reverse=True)
    paged, path = [], "/api/v1/cables?limit=2"
    for _ in range(3):
        page = get_json(site, path)
        paged += [c["id"] for c in page["cables"]]
        path = page["next"]
    assert paged == [c["id"] for c in everything["cables"]]
    # a filter as a parameter is the filter in q
    for params, query in [({"tag": "PGOV"}, "tag:PGOV"),
                          ({"q": "iran", "tag": "PGOV"}, "iran tag:PGOV"),
                          ({"from": "2009-03", "to": "2009-03-31"}, "from:2009-03 to:2009-03-31"),
                          ({"origin": "Embassy Berlin"}, 'origin:"Embassy Berlin"'),
                          ({"q": "kabul OR kandahar", "year": "2009"}, "(kabul OR kandahar) year:2009")]:
        by_params = get_json(site, "/api/v1/cables?" + urllib.parse.urlencode({**params, "limit": 5}))
        by_q = get_json(site, "/api/v1/cables?" + urllib.parse.urlencode({"q": query, "limit": 5}))
        assert by_params["total"] == by_q["total"] > 0, params
        assert by_params["query"] == query  # narrowed as the search page's facet links narrow
        assert [c["id"] for c in by_params["cables"]] == [c["id"] for c in by_q["cables"]]
    assert get_json(site, "/api/v1/cables?tag=PGOV&limit=1")["total"] == 3776
    oldest = get_json(site, "/api/v1/cables?sort=oldest&limit=1")["cables"][0]
    assert (oldest["id"], oldest["created"][:4]) == ("66BUENOSAIRES2481", "1966")


def test_search_hits_snippets_facets_histogram(site):
    result = get_json(site, "/api/v1/search?" + urllib.parse.urlencode({"q": "ref:09BERLIN1167", "sort": "date"}))
    assert result["total"] == 5
    hits = {h["id"]: h for h in result["hits"]}
    assert hits["09BERLIN1197"]["paragraph"] == 6 and "REFTEL" in hits["09BERLIN1197"]["snippet"]
    assert set(result["facets"]) == {"origin", "tag", "classification", "year"}
    assert {"value": "Embassy Berlin", "count": 5, "filter": 'origin:"Embassy Berlin"'} in result["facets"]["origin"]
    assert sum(m["count"] for m in result["histogram"]) == 5
    words = get_json(site, "/api/v1/search?" + urllib.parse.urlencode({"q": '"data privacy"', "limit": 3}))
    assert words["total"] > 3 and words["next_cursor"]
    assert all("<mark>" in h["snippet"] for h in words["hits"])
    after = get_json(site, words["next"])
    assert not {h["id"] for h in after["hits"]} & {h["id"] for h in words["hits"]}


def test_releases_tags_origins_stations(site):
    releases = get_json(site, "/api/v1/releases")
    assert [r["name"] for r in releases] == RELEASES
    assert [(r["cables"], r["new"], r["changed"]) for r in releases] == [
        (290, 290, 0), (608, 318, 26), (6711, 6103, 170), (1, 1, 0)]
    assert releases[1]["source"] == "cablegate-201012020501.tar.xz"   # no server path
    tags = {t["code"]: t for t in get_json(site, "/api/v1/tags")}
    assert tags["KZ"] == {"code": "KZ", "kind": "geographic", "meaning": "Kazakhstan", "cables": 22,
                          "cables_url": "/api/v1/cables?tag=KZ"}
    assert get_json(site, tags["KZ"]["cables_url"])["total"] == 22
    origins = {o["origin"]: o for o in get_json(site, "/api/v1/origins")}
    assert origins["Embassy Berlin"]["cables"] == 58
    assert get_json(site, origins["Embassy Berlin"]["cables_url"])["total"] == 58
    stations = {s["station"]: s for s in get_json(site, "/api/v1/stations")}
    astana = stations["ASTANA"]
    assert (astana["cables"], astana["known"], astana["not_released"]) == (12, 1392, 1380)
    first = get_json(site, astana["unreleased"] + "?limit=3")
    assert first["total"] == 1380
    assert [k["id"] for k in first["ids"]] == ["06ASTANA3", "06ASTANA21", "06ASTANA22"]  # by serial
    second = get_json(site, first["next"])
    six = get_json(site, astana["unreleased"] + "?limit=6")
    assert [k["id"] for k in first["ids"] + second["ids"]] == [k["id"] for k in six["ids"]]


@pytest.mark.parametrize("path, status, words", [
    ("/api/v1/cables/09BERLIN99999", 404, "no cable 09BERLIN99999"),
    ("/api/v1/cables/09BERLIN988", 404, "has not been released"),
    ("/api/v1/cables/hello", 404, "not a cable reference id"),
    ("/api/v1/cables/09BERLIN1167/versions/2", 404, "versions 1 to 1, not 2"),
    ("/api/v1/cables/09BERLIN1167/diff", 404, "one version only"),
    ("/api/v1/stations/ATLANTIS/unreleased", 404, "no station"),
    ("/api/v1/search?q=%22iran", 400, "unbalanced quotes"),
    ("/api/v1/cables?limit=101", 400, "limit"),
    ("/api/v1/cables?cursor=garbage", 400, "cursor"),
    ("/api/v1/nowhere", 404, "no address"),
    ("/api/v1/cables?release=x%00", 400, "NUL"),          # PostgreSQL cannot even compare one
    ("/api/v1/stations/%C3%A9T%C3%89/unreleased", 404, "no station"),
    ("/api/v1/cables?release=%C3%A9t%C3%A9%F0%9F%99%82", 200, None),
])
def test_errors_say_what_is_wrong(site, path, status, words):
    answer = get_json(site, path, status)
    if status == 200:
        return
    assert answer["error"] in {"not_found", "bad_query", "invalid_request"}
    assert words in answer["detail"], answer


# --- the two backends, answer by answer ------------------------------------------------------------

SAME_ON_BOTH = [
    "/api/v1/cables/09BERLIN1167", "/api/v1/cables/06ASTANA38", "/api/v1/cables/08OTTAWA918",
    "/api/v1/cables/08OTTAWA918/versions/1", "/api/v1/cables/08OTTAWA918/diff",
    "/api/v1/cables?limit=50", "/api/v1/cables?sort=oldest&limit=50&tag=PREL",
    "/api/v1/cables?q=minister&sort=date&limit=30", "/api/v1/search?q=negotiat*&sort=date&limit=30",
    "/api/v1/search?q=06ASTANA38", "/api/v1/tags", "/api/v1/origins", "/api/v1/stations",
    "/api/v1/stations/STATE/unreleased?limit=100",
    "/api/v1/search?q=%28iran&sort=date", "/api/v1/cables/06ASTANA99999",
]
VOLATILE = {"stored", "ingested", "score"}   # times of the ingest; bm25 and ts_rank differ


def _stable(value):
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


@pytest.mark.parametrize("path", SAME_ON_BOTH)
def test_both_backends_answer_alike(sites, path):
    answers = {}
    for backend, served in sites.items():
        status, _, body = served.get(path)
        answers[backend] = (status, _stable(json.loads(body)))
    assert answers["sqlite"] == answers["postgresql"], path
