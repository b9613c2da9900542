"""The flowing text: clean body, numbered paragraphs, summary, signers, end of a quoted cable.

Every row names the real page whose oddity it shows; expected values were read on the page.
"""

from __future__ import annotations

import pytest
from conftest import BLOG_PAGE, cable, require

from cables.parse.extract import extract
from cables.parse.paragraphs import clean_body, find_cable_end

# --- clean_body ---------------------------------------------------------------------------------

# (reference id, text that must be gone from the body, text that must be in it)
CLEAN_BODY_ROWS = [
    # the blog page: page lines "ASTANA 00000038  001.2 OF 002" on their own line
    ("06ASTANA38", "ASTANA 00000038", "End Summary.\n\nAIG: SIGNED AT LAST"),
    ("06ASTANA38", "002.2 OF 002", "PENAL REFORM AND ALTERNATIVE SENTENCING\n\n---------------------------------------\n\n7."),
    # flattened page: the marker glued inside paragraph 6's line, and cables.csv columns after
    # the signer ("STEVENS 0 03/13/2008 9871 PGOV,PREL,...")
    ("08TRIPOLI220", "TRIPOLI 00000220", "at this point extends only to Muhammad and his mother"),
    ("08TRIPOLI220", "03/13/2008 9871", "End comment. STEVENS"),
    ("08TRIPOLI220", "PGOV,PREL,PHUM", "C O N F I D E N T I A L SECTION 01 OF 03 TRIPOLI 000220"),
    # a truncated station glued between two words: "in BUENOS AIR 00000118  004 OF 006  2006."
    ("06BUENOSAIRES118", "BUENOS AIR 00000118", "near Rosario, in Santa Fe Province, in 2006."),
    # glued after a lower-case word: "was ISTANBUL 00000336 002 OF 003 engaged"
    ("09ISTANBUL336", "ISTANBUL 00000336", "Iranian workforce was engaged in an"),
    # old OASYS pages: "PAGE 02 ROME 01196 01 OF 02 071049Z" glued before the page's first line
    ("02ROME1196", "PAGE 02 ROME 01196", "CLASSIFIED BY: POL MINCOUNS THOMAS COUNTRYMAN"),
    # the heads of later sections of an old multi-section cable
    ("01VATICAN3507", "SECTION 02 OF 04 VATICAN 003507", "C O N F I D E N T I A L"),
    # final-release page whose cable has no junk: the signer stays
    ("08REYKJAVIK195", "REYKJAVIK 00000195", "End Comment.\n\nVAN VOORST"),
]


@pytest.mark.parametrize(("reference_id", "gone", "kept"), CLEAN_BODY_ROWS)
def test_clean_body(reference_id: str, gone: str, kept: str) -> None:
    body = cable(reference_id).body
    assert gone not in body
    assert kept in body


def test_clean_body_keeps_line_breaks_and_collapses_blank_runs() -> None:
    """06ASTANA38: the cable's lines stay as written; no trailing spaces, no double blank line."""
    body = cable("06ASTANA38").body
    assert "1.  (SBU) SUMMARY:  The Ambassador met with Minister of Justice\nZagipa Baliyeva" in body
    assert "\n\n\n" not in body
    assert all(line == line.rstrip() for line in body.split("\n"))


def test_clean_body_is_idempotent_on_a_page_with_markers() -> None:
    """09ISTANBUL336 (glued markers): cleaning twice changes nothing more."""
    body = cable("09ISTANBUL336").body
    assert clean_body(body) == body


# --- paragraphs -----------------------------------------------------------------------------------

# (reference id, [(number, marking), ...]) — the whole sequence as written in the cable
PARAGRAPH_ROWS = [
    ("06ASTANA38", [(n, "SBU") for n in range(1, 9)]),
    # "1.(C)" without a space; markers glued inside paragraphs 6 and 11
    ("08TRIPOLI220", [(n, "C") for n in range(1, 12)]),
    # "(C - ENTIRE TEXT)" is marking C; the cable really has two paragraphs 6
    ("79TEHRAN8980", [(1, "C"), (2, None), (3, None), (4, None), (5, None), (6, None), (6, None), (7, None)]),
    # "1) 11/25 Cacique Nutibara Bloc ..." is a table inside paragraph 2, not paragraphs
    ("06BOGOTA405", [(1, "U"), (2, "U"), (3, "U")]),
    # "See para.\n3." wrapped to a line start inside paragraph 1
    ("09CAIRO1727", [(1, "SBU"), (2, "C"), (3, "SBU"), (4, "SBU"), (5, "C"), (6, "C"), (7, "SBU"), (8, "C"),
                     (9, "C"), (10, "SBU"), (11, "C"), (12, "C"), (13, "SBU"), (14, "C"), (15, "C"), (16, "C")]),
    # "Sakhalin\n1. Regarding gas sales" inside paragraph 7 is not a restart
    ("07MOSCOW5835", [(1, "C")] + [(n, "SBU") for n in range(2, 11)] + [(11, "C")]),
    # paragraph 1 written "1) (C)", the others "2. (SBU)"
    ("09PANAMA519", [(1, "C"), (2, "SBU"), (3, "C"), (4, "C"), (5, "C"), (6, "C"), (7, "SBU")]),
    # a partial release: only paragraphs 1, 5 and 11 were published
    ("06BUENOSAIRES118", [(1, "C"), (5, "C"), (11, "C")]),
    # "C/NF", "S//NF"-style markings kept as written
    ("08LONDON2525", [(1, "C/NF"), (2, "SBU"), (3, "SBU"), (4, "SBU"), (5, "SBU"), (6, "C/NF")]),
    ("05SANAA1352", [(n, "S/NF") for n in range(1, 8)]),
    # the signature glued after a trailer on the last paragraph's line
    ("08LONDON1823", [(1, "C"), (2, "C")]),
]


@pytest.mark.parametrize(("reference_id", "expected"), PARAGRAPH_ROWS)
def test_paragraph_numbers_and_markings(reference_id: str, expected: list[tuple[int, str | None]]) -> None:
    paragraphs = cable(reference_id).paragraphs
    assert [(p.number, p.marking) for p in paragraphs] == expected


def test_partial_release_opening_at_paragraph_38() -> None:
    """09LONDON2616 is a partial extract whose first paragraph is 38."""
    numbers = [p.number for p in cable("09LONDON2616").paragraphs]
    assert numbers[:3] == [38, 39, 40]
    assert numbers == list(range(38, 38 + len(numbers)))


# (reference id, paragraph number (first of that number), text start, text end)
PARAGRAPH_TEXT_ROWS = [
    # the number and the marking are not in the text; the dashed heading of paragraph 2
    # ("AIG: SIGNED AT LAST" + "-----") is dropped from the end of paragraph 1
    ("06ASTANA38", 1, "SUMMARY:  The Ambassador met with Minister of Justice\nZagipa", "resolution of the AIG case.\nEnd Summary."),
    # the repaired "&#x000A\n;" entity: "currently being implemented" on the next line
    ("06ASTANA38", 7, "Baliyeva turned next to prison supervision issues.", "reduction of the number of prisoners."),
    # the signer is not part of the last paragraph
    ("06ASTANA38", 8, "Besides reducing the prison population", "to work with prisoners and\nprison staff."),
    # the page marker glued in the middle of paragraph 6 is gone, the sentence whole again
    ("08TRIPOLI220", 11, "Comment: While we lack the expertise", "his continued medical treatment. End comment."),
    # a flattened page: "... End Comment. GUTIERREZ" on the paragraph's line
    ("06BUENOSAIRES118", 11, "Miceli was hopeful about Latin America's", "illegal price cartel.  End Comment."),
]


@pytest.mark.parametrize(("reference_id", "number", "start", "end"), PARAGRAPH_TEXT_ROWS)
def test_paragraph_text(reference_id: str, number: int, start: str, end: str) -> None:
    paragraph = next(p for p in cable(reference_id).paragraphs if p.number == number)
    assert paragraph.text.startswith(start)
    assert paragraph.text.endswith(end)


def test_paragraph_7_of_the_blog_page_keeps_the_repaired_line() -> None:
    text = cable("06ASTANA38").paragraphs[6].text
    assert "which is\ncurrently being implemented.  End note.)" in text
    assert "&#x" not in text


@pytest.mark.parametrize("reference_id", ["06REYKJAVIK141", "05SANJOSE1671"])
def test_unnumbered_cable_has_no_paragraphs(reference_id: str) -> None:
    """A one-paragraph cable written without a number: "(C) Icelandic MFA Head …"."""
    assert cable(reference_id).paragraphs == ()


# --- summary --------------------------------------------------------------------------------------

# (reference id, summary start, summary end) — None when the cable has no summary
SUMMARY_ROWS = [
    # "1.  (SBU) SUMMARY:  The Ambassador met … End Summary."
    ("06ASTANA38", "The Ambassador met with Minister of Justice Zagipa Baliyeva on April 18 in Astana.",
     "who previously worked on resolution of the AIG case."),
    # "1.(C) Summary: ... End summary."
    ("08TRIPOLI220", "Reports by the Qadhafi Development Foundation (QDF) that detained human rights activist",
     "for independent assessments of his status and medical condition."),
    # a "SUMMARY" heading between two rules, the summary is paragraph 1
    ("05LIMA4861", "Former President Alberto Fujimori's arrest in Chile, pursuant to a Peruvian request",
     "vacated by the National Electoral Board."),
    # a flattened heading "Summary -------------" before paragraph 1
    ("04BRASILIA526", "Econoff delivered reftel talking points to Regis Arslanian",
     "Trade Negotiations Committee (TNC) meeting in February."),
    # "1.  (C) INTRODUCTION AND SUMMARY.  Costa Rica's Foreign Trade ..."
    ("09SANJOSE969", "Costa Rica's Foreign Trade Ministry (COMEX) has informed Embassy", None),
    # no "Summary:" label, only "End Summary." at the end of paragraph 1
    ("05SANAA1352", "Ambassador met informally with XXXXXXXXXXXX.",
     "close relationship with the USG in the long term."),
    # an old all-capitals cable: "1. (C) SUMMARY: AS POST PREDICTED, ..."
    ("02ROME1196", "AS POST PREDICTED, THE U.S. COUNTRY REPORT FOR ITALY PROVIDED IMMEDIATE GRIST", None),
    # no summary at all
    ("79TEHRAN8980", None, None),
    ("08LONDON1823", None, None),
]


@pytest.mark.parametrize(("reference_id", "start", "end"), SUMMARY_ROWS)
def test_summary(reference_id: str, start: str | None, end: str | None) -> None:
    summary = cable(reference_id).summary
    if start is None:
        assert summary is None
        return
    assert summary is not None
    assert summary.startswith(start)
    if end is not None:
        assert summary.endswith(end)
    assert "  " not in summary and "\n" not in summary
    assert "End Summary" not in summary and "END SUMMARY" not in summary


def test_summary_spanning_a_heading_stops_before_it() -> None:
    """10ANKARA251: the summary does not take the dashed heading that follows it."""
    summary = cable("10ANKARA251").summary
    assert summary is not None
    assert summary.endswith("in ongoing tenders.")


# --- signers --------------------------------------------------------------------------------------

SIGNER_ROWS = [
    ("06ASTANA38", ("TRACY",)),  # WordPress boilerplate after the signature
    ("08TRIPOLI220", ("STEVENS",)),  # glued: "End comment. STEVENS 0 03/13/2008 9871 PGOV,..."
    ("08REYKJAVIK195", ("VAN VOORST",)),  # a two-word surname
    ("79TEHRAN8980", ("LAINGEN",)),  # followed by the footer "CONFIDENTIAL"
    ("08LONDON1823", ("LEBARON",)),  # "Visit London's Classified Website:XXXXXXXXXXXX LeBaron"
    ("06NEWDELHI3997", ("MULFORD",)),  # "(http://www.state.sgov.gov/p/sa/newdelhi/) MULFORD"
    ("07MANAMA1012", ("ERELI",)),  # "XXXXXXXXXX****…**** ******** ERELI"
    ("05BRASILIA437", ("DANILOVICH",)),  # glued in mixed case: "... closely. Danilovich"
    ("05BRASILIA1207", ("DANILOVICH",)),  # "DANILOVICH 2005-05-06"
    ("06BUENOSAIRES118", ("GUTIERREZ",)),  # "End Comment. GUTIERREZ" on a flattened line
    ("02ROME1196", ("POPE",)),  # old OASYS page, footers and the "2002ROME01196 - Classification" line after
    ("08BERLIN643", ("TIMKEN JR",)),  # "Timken jr"
    ("06REYKJAVIK141", ("VAN VOORST",)),  # written "van Voorst"
    ("05SANJOSE1671", ("KAPLAN",)),
    ("02BRASILIA4227", ()),  # ends with "20. (U) AMBASSADOR REICH CLEARED THIS CABLE."
]


@pytest.mark.parametrize(("reference_id", "expected"), SIGNER_ROWS)
def test_signers(reference_id: str, expected: tuple[str, ...]) -> None:
    assert cable(reference_id).signers == expected


# --- the end of a quoted cable ----------------------------------------------------------------------


def test_find_cable_end_on_the_blog_page() -> None:
    """06ASTANA38 as copied from a blog: the cable ends after TRACY, before "Wikileaks"."""
    text = require(BLOG_PAGE).read_text(encoding="utf-8")
    end = find_cable_end(text)
    assert text[:end].rstrip().endswith("prison staff. \nTRACY")
    assert "Wikileaks" in text[end:]
    assert "Leave a Reply" not in text[:end]


def test_extracted_blog_body_ends_with_the_cable() -> None:
    """The extractor cuts a quoted page's body where find_cable_end says; nothing is left to cut."""
    body = extract(require(BLOG_PAGE).read_text(encoding="utf-8"))[0].body
    assert body.endswith("TRACY")
    assert find_cable_end(body) == len(body)


def test_find_cable_end_when_nothing_follows() -> None:
    """08REYKJAVIK195 (final-release fixture): a clean cable ends at its end."""
    body = cable("08REYKJAVIK195").body
    assert find_cable_end(body) == len(body)
