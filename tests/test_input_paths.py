"""Every case through every path: a cable as a site page, as plain text and as a cables.csv row
gives the same record (feedparser's habit of running each case through each code path)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cables import parse_one
from cables.parse.extract import extract
from cables.parse.rows import iter_csv_rows

from conftest import full_context, page_path

# Pages chosen for their variety: old header without routes (79TEHRAN8980), long INFO list
# (07BERN881 is corrupted, so 08TRIPOLI220 from the final site), first release (06MOSCOW9533),
# relative links (06LAPAZ417), REF-heavy pages, a partial extract (04BOGOTA11339).
CASES = ["79TEHRAN8980", "06MOSCOW9533", "06LAPAZ417", "08TRIPOLI220", "06BOGOTA3049",
         "09RIYADH496", "04BOGOTA11339"]
CONTENT_FIELDS = ("transmission_id", "precedence", "dtg", "from_", "to", "info", "handling", "eo",
                  "tags", "subject", "references", "paragraphs", "summary", "signers",
                  "classified_by", "body")


def _csv_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'") + '"'


def _as_csv_row(page: str) -> str:
    x = extract(page)[0]
    y, mo, d = x.created[:10].split("-")
    date = f"{int(mo)}/{int(d)}/{y} {x.created[11:]}"
    fields = ["1", date, x.reference_id, x.origin, x.classification, "", x.header, x.body]
    return ",".join(_csv_quote(f) for f in fields) + "\n"


def _as_text_dump(page: str) -> str:
    x = extract(page)[0]
    return x.header.rstrip("\n") + "\n\n" + x.body


@pytest.mark.parametrize("reference_id", CASES)
def test_csv_row_gives_the_page_record(reference_id):
    page = page_path(reference_id).read_text(encoding="utf-8")
    from_page = parse_one(page, context=full_context())
    from_row = parse_one(_as_csv_row(page), context=full_context())
    assert from_row.source_format == "csv-row"
    # The dump has no Released column, no article list and no partial-extract note; all else
    # must agree.
    expected = replace(from_page, released=None, articles=(), source_format="csv-row", partial=False)
    assert replace(from_row, partial=False) == expected


@pytest.mark.parametrize("reference_id", [c for c in CASES if c != "04BOGOTA11339"])
def test_plain_text_gives_the_page_content(reference_id):
    page = page_path(reference_id).read_text(encoding="utf-8")
    from_page = parse_one(page, context=full_context())
    from_text = parse_one(_as_text_dump(page), context=full_context())
    assert from_text.source_format == "text"
    for name in CONTENT_FIELDS:
        assert getattr(from_text, name) == getattr(from_page, name), name
    # With no metadata table, the id comes from the text and the date from the DTG.
    assert from_text.canonical_id == from_page.canonical_id
    assert from_text.created[:10] == from_page.created[:10]


def test_csv_tokenizer_keeps_escaped_quotes_and_multiline_fields():
    row = '"7","1/2/2006 3:04","06X1","Embassy X","SECRET","","H\\"1\\"\nH2","it\\\'s\nbody"\n'
    rows = list(iter_csv_rows([row[:20], row[20:]]))
    assert rows == [["7", "1/2/2006 3:04", "06X1", "Embassy X", "SECRET", "", 'H"1"\nH2', "it's\nbody"]]


def test_saved_html_page_quoting_a_cable_gives_the_text_page_record():
    """The blog post of 06ASTANA38 saved as HTML (table markup, <br> line breaks, a script) gives
    the same record as its copied text."""
    import html

    from conftest import BLOG_PAGE, require

    text = require(BLOG_PAGE).read_text(encoding="utf-8")
    cable_text = text[text.index("VZCZC"):]
    page = (
        "<!DOCTYPE html><html><head><title>06ASTANA38</title><script>var x = '<pre>';</script>"
        "</head><body><h1>06ASTANA38, KAZAKHSTAN</h1><table><tr><th>Reference ID</th>"
        "<th>Created</th><th>Released</th><th>Classification</th><th>Origin</th></tr><tr>"
        "<td>06ASTANA38</td><td>2006-04-24 03:36</td><td>2011-08-30 01:44</td>"
        "<td>UNCLASSIFIED//FOR OFFICIAL USE ONLY</td><td>Embassy Astana</td></tr></table><p>"
        + html.escape(cable_text).replace("\n", "<br>\n") + "</p></body></html>"
    )
    from_html = parse_one(page, context=full_context())
    from_text = parse_one(text, context=full_context())
    # A browser drops the spaces that start a line after <br>: the flowing text may differ in
    # whitespace only.
    in_whitespace = {"paragraphs", "body", "summary"}
    for name in CONTENT_FIELDS + ("reference_id", "created", "released", "classification", "origin"):
        if name not in in_whitespace:
            assert getattr(from_html, name) == getattr(from_text, name), name
    assert _words(from_html.body) == _words(from_text.body)
    assert [(p.number, p.marking, _words(p.text)) for p in from_html.paragraphs] == [
        (p.number, p.marking, _words(p.text)) for p in from_text.paragraphs]


def _words(text: str) -> list[str]:
    return text.split()
