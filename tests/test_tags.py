"""TAGS lines of real pages, and the code knowledge of ``cables.tags``.

Each row names the page whose TAGS line shows the case; the expected tags were read off it.
"""

from __future__ import annotations

import pytest

from cables.parse.front import parse_tags
from cables.tags import tag_kind, tag_meaning

from conftest import BUILD_TARS, cable, cables_of, require, unpack

G, S, P, O, PERSON = "geographic", "subject", "program", "organisation", "person"

TAGS = [
    # the blog copy
    ("06ASTANA38", [("EFIN", S), ("KCRM", P), ("KDEM", P), ("PGOV", S), ("PREL", S), ("SMIG", S),
                    ("KZ", G)]),
    # "OVIP CLINTON HILLARY PREL …" and a continuation line "NATO, UK, CN"
    ("09STATE11937", [("OVIP", S), ("CLINTON, HILLARY", PERSON), ("PREL", S), ("KPAL", P), ("FR", G),
                      ("IR", G), ("RS", G), ("NATO", O), ("UK", G), ("CN", G)]),
    # "OVIP (CLINTON, HILLARY), PREL, AS, …, ASEAN"
    ("09STATE30049", [("OVIP", S), ("CLINTON, HILLARY", PERSON), ("PREL", S), ("AS", G), ("PK", G),
                      ("AF", G), ("CH", G), ("RS", G), ("JA", G), ("KS", G), ("ASEAN", O)]),
    # "OVIP RICE CONDOLEEZZA … LE\nSY, IS"
    ("06PARTO9", [("OVIP", S), ("RICE, CONDOLEEZZA", PERSON), ("KISL", P), ("PGOV", S), ("PHUM", S),
                  ("LE", G), ("SY", G), ("IS", G)]),
    # all glued: "KFRDKIRFCVISCMGTKOCIASECPHUMSMIGEG"
    ("09CAIRO2178", [("KFRD", P), ("KIRF", P), ("CVIS", S), ("CMGT", S), ("KOCI", P), ("ASEC", S),
                     ("PHUM", S), ("SMIG", S), ("EG", G)]),
    # "PHUM, OPRC, OPRC, OPRC, OPRC, IT, ITPHUM, ITPHUM, ITPHUM, HUMAN RIGHTS"
    ("02ROME1196", [("PHUM", S), ("OPRC", S), ("IT", G), ("HUMAN RIGHTS", S)]),
    # three keyword phrases in a row, separated by spaces only
    ("05ROME3585", [("PREL", S), ("PGOV", S), ("CVIS", S), ("IT", G), ("ITALY NATIONAL ELECTIONS", S),
                    ("ITALIAN POLITICS", S), ("IRAQI FREEDOM", S)]),
    ("06TELAVIV145", [("PREL", S), ("PGOV", S), ("IR", G), ("IS", G), ("KPAL", P), ("PINR", S),
                      ("ELECTIONS", S), ("GOI INTERNAL", S), ("ISRAELI PALESTINIAN AFFAIRS", S),
                      ("GOI EXTERNAL", S)]),
    # typo "AGS:" after the decl
    ("07BUENOSAIRES1673", [("PGOV", S), ("PREL", S), ("ECON", S), ("SOCI", S), ("AR", G)]),
    # "DECL: 03/20/2019 TAG PTER, PGOV, …" on the E.O. line
    ("09STOCKHOLM194", [("PTER", S), ("PGOV", S), ("ASEC", S), ("EFIN", S), ("ENRG", S), ("KCIP", P),
                        ("SW", G)]),
    # "C O R R E C T E D C O P Y (PRIMARY TAG)" above the real TAGS line
    ("07PARIS159", [("KDEM", P), ("LE", G), ("PGOV", S), ("PREL", S), ("FR", G), ("IR", G)]),
    # "TAGS PTER, …, TBIO, \nKCRM, …": no colon, list continued after a trailing comma
    ("06NEWDELHI2587", [("PTER", S), ("PGOV", S), ("PINR", S), ("PREL", S), ("PINS", S), ("MASS", S),
                        ("KJUS", P), ("KTIA", P), ("TBIO", S), ("KCRM", P), ("TINT", S), ("EFIN", S),
                        ("EAIR", S), ("SNAR", S), ("KISL", P), ("IN", G), ("PK", G), ("BK", G),
                        ("NE", G)]),
    # "ENERG": ENRG with one letter too many
    ("08RIYADH732", [("EPET", S), ("ENRG", S), ("ECON", S), ("NI", G), ("SA", G)]),
    # glued in flattened text: "DECL: 08/16/2015TAGS: EMIN …"
    ("05LIMA3571", [("EMIN", S), ("PGOV", S), ("SNAR", S), ("ASEC", S), ("EINV", S), ("ENRG", S),
                    ("PE", G)]),
    # the next line is the rest of a subject, not more tags
    ("05BRASILIA2231", [("PREL", S), ("MARR", S), ("BR", G), ("UNSC", O), ("US", G)]),
    # the next line is a flattened cable body, not more tags
    ("08TRIPOLI642", [("ECON", S), ("EPET", S), ("EWWT", S), ("PGOV", S), ("KCOR", P), ("CY", G),
                      ("LY", G)]),
    # a header copy with its own TAGS line before the cable: same tags, once each
    ("06MEXICO456", [("PGOV", S), ("PINR", S), ("PREL", S), ("MX", G)]),
    # lower-cased, flattened: "E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu Subject: …"
    ("04ANKARA348", [("PREL", S), ("PGOV", S), ("PINS", S), ("TU", G)]),
    # "ZANU-PF" stays whole
    ("00HARARE5461", [("PGOV", S), ("PINS", S), ("ZI", G), ("MDC", O), ("ZANU-PF", O)]),
]


@pytest.mark.parametrize(("reference_id", "expected"), TAGS)
def test_tags(reference_id: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.tag, t.kind) for t in cable(reference_id).tags] == expected


def test_no_tags_line() -> None:
    # 08BEIJING3662's text was cut before its E.O. and TAGS lines
    assert cable("08BEIJING3662").tags == ()


TAGS_TEXT = [
    ("TAGS: PREL,PGOV;ECON\nSUBJECT: X", ["PREL", "PGOV", "ECON"]),
    ("TAGS: KPAO, XF, PGOV, PGOV\n\nSUBJECT: X", ["KPAO", "XF", "PGOV"]),
    ("TAGS: ITPHUM PGOVPREL\n", ["IT", "PHUM", "PGOV", "PREL"]),
    ("TAGS: POLITICS\n", ["POLITICS"]),  # a word is not split into country codes
    # a topic written in mixed case after the codes stays one tag (handwritten: the mirror has
    # only "Human Rights", a phrase of the table, and "India-Burma", one word)
    ("TAGS: SNAR, KCRM, BU, Organized Crime\nSUBJECT: X", ["SNAR", "KCRM", "BU", "ORGANIZED CRIME"]),
    ("TAGS: PGOV KDEM Rule of Law MK\nSUBJECT: X", ["PGOV", "KDEM", "RULE OF LAW", "MK"]),
    ("TAGS: Prel Pgov Kdem\n", ["PREL", "PGOV", "KDEM"]),  # codes in mixed case are codes
]


@pytest.mark.parametrize(("text", "expected"), TAGS_TEXT)
def test_tag_separators_and_glue(text: str, expected: list[str]) -> None:
    assert [t.tag for t in parse_tags(text)] == expected


def test_a_mixed_case_topic_is_a_subject_tag() -> None:
    assert parse_tags("TAGS: SNAR, BU, Organized Crime\n")[-1].kind == "subject"


def test_the_mixed_case_topic_of_a_real_page_is_one_tag() -> None:
    """05SOFIA1207 (in the builds of December 2010, not in the mirror) ends its TAGS with
    ``BU, Organized Crime``: once read as ORGANIZED (subject) and CRIME (organisation)."""
    assert BUILD_TARS, "the corpus has no builds"
    page = unpack(require(BUILD_TARS[-1])) / "cable" / "2005" / "07" / "05SOFIA1207.html"
    tags = [(t.tag, t.kind) for t in cables_of(page)[0].tags]
    assert tags[-2:] == [("BU", "geographic"), ("ORGANIZED CRIME", "subject")]


MEANINGS = [
    ("PGOV", "Internal governmental affairs"),
    ("PHUM", "Human rights"),
    ("KZ", "Kazakhstan"),
    ("KTIP", "Trafficking in persons"),
    ("NATO", "North Atlantic Treaty Organization"),
    ("pgov", "Internal governmental affairs"),
    ("XF", None),  # a region code: geographic, but not explained
    ("QQQQ", None),
]


@pytest.mark.parametrize(("code", "meaning"), MEANINGS)
def test_tag_meaning(code: str, meaning: str | None) -> None:
    assert tag_meaning(code) == meaning


KINDS = [
    ("KZ", G), ("XF", G), ("ZP", G),
    ("PREL", S), ("PHSA", S), ("QQQQ", S),
    ("KDEM", P), ("KQQQ", P),
    ("UNSC", O), ("IAEA", O), ("EUN", O), ("FBI", O),
    ("HUMAN RIGHTS", S), ("COUNTERTERRORISM", S),
]


@pytest.mark.parametrize(("tag", "kind"), KINDS)
def test_tag_kind(tag: str, kind: str) -> None:
    assert tag_kind(tag) == kind
