"""Search, on both backends, against answers computed here by scanning the corpus pages' text.

The archive is the first release (243 pages). Each expected set is read straight from the pages
(their <pre> text, the metadata table, the site's own tag links), never from our parser.
"""

from __future__ import annotations

import html
import json
import re
import tarfile
from functools import cache
from pathlib import Path

import pytest

from conftest import FORMAT_TARS, require
from test_ingest import cables

FIRST_RELEASE = next((t for t in FORMAT_TARS if "first-release" in t.name), None)
PRE = re.compile(r"<pre>(.*?)</pre>", re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
# The TAGS line and its continuations, up to SUBJECT (the site links tags only when the line
# reads "TAGS:", so its links miss the "TAGS PGOV, PHUM" of 09ANKARA226; the text does not).
TAGS_LINE = re.compile(r"\bTAGS:?\s(.*?)(?:\bSUBJ|\bREF\b|\n\s*\n)", re.S)
TAG = re.compile(r"<[^>]+>")
TOKEN = re.compile(r"[a-z0-9]+")


def _tags_line(text: str) -> set[str]:
    m = TAGS_LINE.search(text)
    return set(re.findall(r"[A-Z]+", m.group(1))) if m else set()


@cache
def pages() -> dict[str, dict]:
    """Per reference id: its words (as the index tokenizes), metadata cells and TAGS codes."""
    found = {}
    with tarfile.open(require(FIRST_RELEASE)) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".html"):
                page = tar.extractfile(member).read().decode("utf-8")
                start = page.find("<table class='cable'>")
                end = page.find("</table>", start)
                cells = [" ".join(TAG.sub(" ", c).split()) for c in CELL.findall(page[start:end])]
                # the body only: the index holds subject and body, not the routing header
                body = PRE.findall(page, end)[-1]
                text = html.unescape(TAG.sub(" ", body.replace("&#x000A;", "\n")))
                found[cells[0]] = {
                    "words": TOKEN.findall(text.lower()),
                    "created": cells[1], "classification": cells[2], "origin": cells[3],
                    "tags": _tags_line(text),
                    "text": text,
                }
    return found


def with_phrase(*words: str) -> set[str]:
    n = len(words)
    return {ref for ref, p in pages().items()
            if any(tuple(p["words"][i:i + n]) == words for i in range(len(p["words"]) - n + 1))}


def with_word_forms(*forms: str) -> set[str]:
    return {ref for ref, p in pages().items() if set(forms) & set(p["words"])}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("search") / "cables.db")
    else:
        db = request.getfixturevalue("pg_server").fresh_database("search_tests")
    cables("ingest", str(unpacked()), db=db)
    return db


def unpacked() -> Path:
    from conftest import unpack

    return unpack(require(FIRST_RELEASE))


def hits(db: str, query: str) -> set[str]:
    result = json.loads(cables("search", "--json", "--limit", "500", query, db=db).stdout)
    assert result["total"] == len(result["hits"]), "a page of 500 holds every hit here"
    return {h["reference_id"] for h in result["hits"]}


def test_a_phrase(archive):
    expected = with_phrase("human", "rights")
    assert len(expected) > 10
    assert hits(archive, '"human rights"') == expected


def test_a_word_with_its_forms(archive):
    """Stemming: 'negotiations' finds every form the English stemmers reduce alike."""
    expected = with_word_forms("negotiation", "negotiations")
    got = hits(archive, "negotiations")
    assert expected <= got
    forms = {w for ref in got for w in pages()[ref]["words"] if w.startswith("negotiat")}
    assert forms <= {"negotiate", "negotiated", "negotiates", "negotiating", "negotiation",
                     "negotiations", "negotiator", "negotiators"}


def test_a_prefix_finds_every_word_starting_so(archive):
    """``negotiat*``: the indexes hold stems (negotiation → negoti), so the prefix alone would
    find next to nothing; every cable with a word starting 'negotiat' must come back."""
    expected = {ref for ref, p in pages().items() if any(w.startswith("negotiat") for w in p["words"])}
    assert len(expected) > 20
    got = hits(archive, "negotiat*")
    assert expected <= got
    # and not much more: what else comes back holds a word of the same stem ('negotiable'…)
    assert all(any(w.startswith("negot") for w in pages()[ref]["words"]) for ref in got - expected)


def test_a_tag(archive):
    expected = {ref for ref, p in pages().items() if "PHUM" in p["tags"]}
    assert len(expected) > 10
    assert hits(archive, "tag:PHUM") == expected


def test_a_paragraph_marking(archive):
    """marking:S/NF alone (counted in the paragraph index): the cables with a paragraph opening
    "N. (S/NF)" in their text, and only cables with that marking written somewhere."""
    lines = re.compile(r"(?m)^\s*¶?\s*\d+\.\s*\(S/NF\)")  # the page puts a ¶ link before the number
    expected = {ref for ref, p in pages().items() if lines.search(p["text"])}
    assert len(expected) > 5
    got = hits(archive, "marking:S/NF")
    assert expected <= got
    assert all("(S/NF)" in pages()[ref]["text"] for ref in got)


def test_an_origin(archive):
    expected = {ref for ref, p in pages().items() if p["origin"] == "Embassy Moscow"}
    assert expected
    assert hits(archive, "origin:moscow") == expected


def test_an_origin_named_whole_is_that_origin_only(archive):
    """A facet writes origin:"Consulate Hong Kong"; a bare word matches every origin holding it
    (origin:embassy is nearly all of them)."""
    origins = {p["origin"] for p in pages().values()}
    name = "Embassy Moscow"
    assert hits(archive, f'origin:"{name}"') == {r for r, p in pages().items() if p["origin"] == name}
    assert hits(archive, "origin:embassy") == {r for r, p in pages().items() if "embassy" in p["origin"].lower()}
    assert len([o for o in origins if "embassy" in o.lower()]) > 10


def test_a_date_range(archive):
    expected = {ref for ref, p in pages().items() if "2009-03-01" <= p["created"][:10] <= "2009-03-31"}
    assert expected
    assert hits(archive, "from:2009-03 to:2009-03-31") == expected
    assert hits(archive, "from:2009-03-01 to:2009-03") == expected


def test_a_combined_query(archive):
    expected = {ref for ref in with_word_forms("iran") if pages()[ref]["created"].startswith("2009")
                and pages()[ref]["classification"].startswith("SECRET")}
    expected -= with_word_forms("nuclear")
    assert expected
    assert hits(archive, "iran year:2009 classification:secret -nuclear") == expected


def test_or_and_parentheses(archive):
    expected = (with_word_forms("kabul") | with_word_forms("kandahar")) & {
        ref for ref, p in pages().items() if p["created"].startswith("2009")}
    assert hits(archive, "(kabul OR kandahar) year:2009") == expected


def test_an_id_alone_opens_that_cable_first(archive):
    for typed in ("06moscow9533", "06MOSCOW09533", " 06MOSCOW9533 "):
        result = json.loads(cables("search", "--json", typed, db=archive).stdout)
        assert result["hits"][0]["reference_id"] == "06MOSCOW9533"


# (query, a hit, the paragraph its snippet is taken from, words of the snippet). A hit citing
# the id searched (typed alone, or ref:ID with no words) shows where it uses that REF item, as
# its record's layout says (Layout.uses), not its first paragraph.
CITING_SNIPPET_ROWS = [
    # "B) BERLIN 1167", used as "(Ref B)" in ¶ 8
    ("ref:09BERLIN1167", "09BERLIN1393", 8, "privacy rights (Ref B). Germany"),
    ("09BERLIN1167", "09BERLIN1393", 8, "privacy rights (Ref B). Germany"),
    # labels never named in the text: "(see reftels)" in ¶ 3
    ("ref:09BERLIN1167", "10BERLIN128", 3, "legislative proposals (see reftels)."),
    # 66STATE106206, never released: "RE PAR 3 STATE 106206" in ¶ 6, the citation as written
    ("66STATE106206", "66BUENOSAIRES2481", 6, "RE PAR 3 STATE 106206 BELIEVE"),
    ("ref:66STATE106206", "66BUENOSAIRES2481", 6, "RE PAR 3 STATE 106206 BELIEVE"),
]


@pytest.mark.parametrize("query, hit, number, words", CITING_SNIPPET_ROWS)
def test_the_snippet_of_a_citing_hit_is_where_it_uses_the_citation(archive, query, hit, number, words):
    result = json.loads(cables("search", "--json", "--limit", "500", query, db=archive).stdout)
    found = next(h for h in result["hits"] if h["reference_id"] == hit)
    assert found["paragraph"] == number
    assert words in html.unescape(found["snippet"])


def test_count_and_facets(archive):
    count = int(cables("search", "--count", "tag:PHUM", db=archive).stdout)
    result = json.loads(cables("search", "--json", "--facets", "tag:PHUM", db=archive).stdout)
    assert count == result["total"]
    years = {f["value"]: f["count"] for f in result["facets"]["year"]}
    expected_years: dict[str, int] = {}
    for p in pages().values():
        if "PHUM" in p["tags"]:
            expected_years[p["created"][:4]] = expected_years.get(p["created"][:4], 0) + 1
    assert years == expected_years
    assert sum(m["count"] for m in result["histogram"]) == count
    assert {"origin", "tag", "classification", "year"} <= set(result["facets"])


def test_pages_follow_each_other(archive):
    everything = json.loads(cables("search", "--json", "--limit", "500", "iran", db=archive).stdout)
    seen, cursor = [], None
    for _ in range(200):  # bounded: a cursor that does not advance must fail, not hang
        args = ["search", "--json", "--limit", "7", "iran"] + (["--cursor", cursor] if cursor else [])
        page = json.loads(cables(*args, db=archive).stdout)
        seen += [h["reference_id"] for h in page["hits"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert cursor is None, "the cursors never reached the last page"
    assert seen == [h["reference_id"] for h in everything["hits"]]


@pytest.mark.parametrize("query, message", [
    ('"unbalanced', "unbalanced quotes"),
    ("iran OR", "OR needs something"),
    ("(iran", "never closed"),
    ("iran)", "without its opening"),
    ("'; DROP TABLE store_cable; --", "not a word"),
    ("subject:iran NEAR/3 x", "not a word"),
    ("x" * 10_000, "too long"),
    ("iran\x07", "control character"),
    ("tag:", "needs a value"),
    ("colour:red", "unknown filter"),
    ("person:clinton", "not supported yet"),
    ("year:20O6", "not a year"),
    ("iran OR -iraq", "only exclude from the whole query"),
    ("the of and", "only very common words"),
])
def test_invalid_queries_get_a_clear_message(archive, query, message):
    result = cables("search", query, db=archive, check=False)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# A bad value of each filter, as typed: the message names the filter and the value.
BAD_VALUES = [
    ("tag", '"--"', "holds no letter or digit"),
    ("origin", '"%%"', "holds no letter or digit"),
    ("classification", "TopSecret", "is not a classification"),
    ("year", "20O6", "is not a year"),
    ("from", "2006-13", "is not a date"),
    ("to", "yesterday", "is not a date"),
    ("released", "2011-08-32", "is not a date"),
    ("release", '"?"', "holds no letter or digit"),
    ("ref", "almaty", "is not a reference id"),
    ("subject", '"..."', "holds no letter or digit"),
    ("marking", '"//"', "holds no letter or digit"),
]


def test_every_filter_has_a_bad_value_below():
    from cables.search.filters import REGISTRY

    assert sorted(name for name, _, _ in BAD_VALUES) == sorted(REGISTRY)


@pytest.mark.parametrize("name, value, says", BAD_VALUES)
def test_a_bad_filter_value_is_named_in_its_message(name, value, says):
    from cables.search.query import QueryError, parse_query

    with pytest.raises(QueryError) as raised:
        parse_query(f"iran {name}:{value}")
    assert f"{name}:{value.strip(chr(34))} {says}" in raised.value.message
    assert raised.value.position == len(f"iran {name}:")


@pytest.mark.parametrize("query, extra, narrowed_query", [
    ("iran", "tag:PGOV", "iran tag:PGOV"),
    ("  ", "tag:PGOV", "tag:PGOV"),                          # nothing to narrow: the filter alone
    ("kabul OR kandahar", "year:2009", "(kabul OR kandahar) year:2009"),  # the OR stays whole
    ("-iran", "origin:moscow", "-iran origin:moscow"),
])
def test_a_query_is_narrowed_as_it_reads(query, extra, narrowed_query):
    """One rule for the search page's facet links and the API's filter parameters."""
    from cables.search.query import narrowed, parse_query

    assert narrowed(query, extra) == narrowed_query
    parse_query(narrowed_query)
