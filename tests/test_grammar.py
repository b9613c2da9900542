"""The format's shared rules (parse.grammar): one two-digit-year cut-off for every reader, the
strict and loose forms of a rule kept apart on purpose, and the front-matter layout handed from
``assemble`` to its readers.

Lines in the tables are my own text in the shape of the cables; the corpus rows name the page.
"""

from __future__ import annotations

import pytest

from cables.ids import full_year
from cables.parse import grammar
from cables.parse.dates import dtg_to_iso
from cables.parse.front import (
    classification_from_text,
    front_layout,
    parse_eo,
    parse_handling,
    parse_subject,
    parse_tags,
)

from conftest import cable

# --- one two-digit-year cut-off ---------------------------------------------------------------

YEARS = [
    # (two digits, year): each is read the same way as an id year, a DTG year and a DECL year
    ("66", 1966),  # the first cables: 66BUENOSAIRES2481
    ("79", 1979),  # DTG 130458Z AUG 79 of 79TEHRAN8980
    ("85", 1985),  # its DECL "GDS 8/12/85": the one two-digit DECL year of 66-99 on the mirror
    ("99", 1999),
    ("00", 2000),
    ("07", 2007),  # "DECL: 12/20/07" of a 1997 cable, 97WELLINGTON1656
    ("32", 2032),  # "DECL: 03/05/32", 07BEIJING1448
    ("55", 2055),  # no such year on the mirror: a DECL of 2055 can be, one of 1955 cannot
    ("65", 2065),
]


@pytest.mark.parametrize(("digits", "year"), YEARS)
def test_every_reader_puts_a_two_digit_year_in_the_same_century(digits: str, year: int) -> None:
    assert full_year(digits) == year
    assert grammar.year_as_written(digits) == year
    assert dtg_to_iso(f"P 150930Z MAR {digits}") == f"{year}-03-15T09:30Z"
    eo = parse_eo(f"E.O. 12958: DECL: 03/15/{digits}\nTAGS: PREL\n")
    assert eo is not None and eo.decl_date == f"{year}-03-15"
    eo = parse_eo(f"E.O. 12958: DECL: 15 MAR {digits}\nTAGS: PREL\n")
    assert eo is not None and eo.decl_date == f"{year}-03-15"


def test_four_digit_years_are_as_written() -> None:
    assert grammar.year_as_written("2035") == 2035
    assert grammar.year_as_written("1965") == 1965


@pytest.mark.parametrize(("reference_id", "dtg", "decl_date"), [
    ("79TEHRAN8980", "1979-08-13T04:58Z", "1985-08-12"),
    ("97WELLINGTON1656", "1997-12-22T01:36Z", "2007-12-20"),
    ("07BEIJING1448", "2007-03-05T12:08Z", "2032-03-05"),
])
def test_two_digit_years_on_real_pages(reference_id: str, dtg: str, decl_date: str) -> None:
    record = cable(reference_id)
    assert record.dtg == dtg
    assert record.eo is not None and record.eo.decl_date == decl_date


# --- whitespace -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "squeezed", "unspaced"), [
    ("  AMEMBASSY \t BUENOS  AIRES\n", "AMEMBASSY BUENOS AIRES", "AMEMBASSYBUENOSAIRES"),
    ("ELECTIONS IN THE\n   NORTHERN PROVINCES", "ELECTIONS IN THE NORTHERN PROVINCES",
     "ELECTIONSINTHENORTHERNPROVINCES"),
    ("C O N F I D E N T I A L", "C O N F I D E N T I A L", "CONFIDENTIAL"),
    ("\n\t \n", "", ""),
])
def test_squeeze_and_unspaced(text: str, squeezed: str, unspaced: str) -> None:
    assert grammar.squeeze(text) == squeezed
    assert grammar.unspaced(text) == unspaced


# --- strict and loose forms, side by side -----------------------------------------------------

FORMS = [
    # (pattern, text, matches): made-up lines in the shape of the cables
    ("PAGE_NUMBERS", "00000412  002.2 OF 004", True),
    ("PAGE_NUMBERS", "00000412  003.10 OF 003", True),  # two-digit parts: 09ROME558
    ("ADDRESS_BLOCK_NOISE_LINE", "LUSAKA 00000412  003.10 OF 003", True),
    ("PAGE_NUMBERS", "THE 12345678 PEOPLE", False),
    ("LATER_SECTION_LINE", "C O N F I D E N T I A L SECTION 03 OF 04 LUSAKA 000412", True),
    ("LATER_SECTION_LINE", "SECTION 01 OF 04 LUSAKA 000412", False),  # the first names the cable
    ("OLD_PAGE_HEAD", "PAGE 03 LUSAKA 04120 02 OF 03 171200Z", True),
    ("PAGE_OF_LINE", "PAGE 3 OF 4", True),
    ("ADDRESS_BLOCK_NOISE_LINE", "PAGE 02 LUSAKA 04120 171200Z", True),
    ("ADDRESS_BLOCK_NOISE_LINE", "AMEMBASSY LUSAKA", False),
    ("PAGE_BREAK_LINE", "S E C R E T SECTION 02 OF 02 LUSAKA 000412", True),
    ("OLD_FOOTER_LINE", "C O N F I D E N T I A L", True),
    # paragraph 1 ends the front matter on any "1." …
    ("FIRST_PARAGRAPH_LINE", "1. LUSAKA 411 REPORTED", True),
    ("FIRST_PARAGRAPH_LINE", "1.2 MILLION", False),
    ("FIRST_PARAGRAPH_LINE", "1.KEY POINTS -- (C) The minister", True),  # 09CAIRO1059's shape
    # … the REF reader's form wants a marking, or a blank and a capital, or a pilcrow
    ("REF_FIRST_PARAGRAPH", "1.KEY POINTS -- (C) The minister", False),
    ("REF_FIRST_PARAGRAPH", "1. (C) The minister", True),
    ("REF_FIRST_PARAGRAPH", "¶ 1 The minister", True),
    ("FIRST_PARAGRAPH_LINE", "¶ 1 The minister", False),
    # markings: a subject's leading and trailing ones; what a paragraph's parentheses hold
    ("LEADING_MARKING", "(S/NF) GRAIN SALES", True),
    ("TRAILING_MARKING", "GRAIN SALES (C)", False),  # anchored at the end after a blank: searched
    ("PARAGRAPH_MARKING", "S//NOFORN", True),
    ("PARAGRAPH_MARKING", "C/REL UK", True),
    ("PARAGRAPH_MARKING", "SEE REFTEL", False),
    # classification words: the line that starts a body, loose (lower case, stuttered) …
    ("CLASSIFICATION_LINE", "c o n f i d e n t i a l LUSAKA 000412", True),
    ("CLASSIFICATION_LINE", "SS E C R E T LUSAKA 000412", True),
    # … and the header's end, upper case only (a header is)
    ("BODY_START", "c o n f i d e n t i a l LUSAKA 000412", False),
    ("BODY_START", "SECRET SERVICE DETAIL", False),
    ("BODY_START", "UNCLAS LUSAKA 000412", True),
]


@pytest.mark.parametrize(("name", "text", "matches"), FORMS)
def test_forms(name: str, text: str, matches: bool) -> None:
    pattern = getattr(grammar, name)
    assert (pattern.match(text) is not None) is matches


def test_trailing_marking_is_found_at_the_end() -> None:
    assert grammar.TRAILING_MARKING.search("GRAIN SALES (C)")
    assert not grammar.TRAILING_MARKING.search("GRAIN SALES (C) TO ZAMBIA")


def test_serial_line_gives_station_and_serial() -> None:
    m = grammar.SERIAL_LINE.match("C O N F I D E N T I A L SECTION 01 OF 02 LUSAKA 000412")
    assert m is not None and (m.group("station"), m.group("serial")) == ("LUSAKA", "412")


# --- the front-matter layout, computed once ---------------------------------------------------

LAYOUT_PAGES = [
    "06ASTANA38",  # front matter one item a line
    "06ANKARA3352",  # flattened and glued: "003352SIPDISSIPDISNOFORNE.O. 12958"
    "09LONDON333",  # "LONDON 000333NOFORNSIPDIS E.O. 12958"
    "09CAIRO200",  # "SUBJECT:" alone, the subject after a blank line
    "10BAGHDAD290",  # classification word that lost its first letter
    "79TEHRAN8980",  # an old cable: GDS decl, no SIPDIS
]


@pytest.mark.parametrize("reference_id", LAYOUT_PAGES)
def test_readers_given_the_layout_read_what_they_read_alone(reference_id: str) -> None:
    record = cable(reference_id)
    body = record.body
    layout = front_layout(body)
    handling = parse_handling(body, layout)
    assert handling == parse_handling(body) == record.handling
    assert parse_eo(body, layout) == parse_eo(body) == record.eo
    assert parse_tags(body, layout) == parse_tags(body) == record.tags
    assert parse_subject(body, layout) == parse_subject(body) == record.subject
    assert (classification_from_text(body, layout, handling) == classification_from_text(body)
            == classification_from_text(body, layout))


def test_readers_take_the_layout_they_are_given() -> None:
    """The readers use the layout handed to them (no memo of the last body behind it)."""
    one = "UNCLAS LUSAKA 000412\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PREL, ZA\nSUBJECT: GRAIN SALES\n\n1. Text\n"
    other = ("S E C R E T LUSAKA 000413\n\nNOFORN\n\nE.O. 12958: DECL: 03/15/19\nTAGS: ETRD\n"
             "SUBJECT: COPPER\n\n1. Text\n")
    layout = front_layout(one)
    assert parse_subject(one, layout) == "GRAIN SALES"
    assert parse_subject(other, front_layout(other)) == "COPPER"
    assert parse_subject(one, layout) == "GRAIN SALES"
    assert [t.tag for t in parse_tags(one, layout)] == ["PREL", "ZA"]
    assert parse_handling(other, front_layout(other)) == ("NOFORN",)
    assert classification_from_text(other) == "SECRET//NOFORN"
