"""REF citations (cables.parse.refs) on real corpus pages.

Each row is a page whose REF block shows one hard case; the expected references were read off the
page text. ``WITH_KNOWN`` is what the record says with the known ids of cable2month.csv.gz loaded
(``conftest.cable``), ``WITHOUT_KNOWN`` the ids with an empty known set (the cable's year only).
"""

from __future__ import annotations

import pytest

from cables import ParseContext
from cables.parse.context import serial_reach
from cables.parse.refs import parse_references, read_references
from conftest import cable, full_context, routes

C = "cable"

# (reference id, [(label, id, kind, citation)]) — with the known ids
WITH_KNOWN = [
    # the blog page: REF: A) ALMATY 1450, B) ASTANA 33, C) ASTANA 5
    ("06ASTANA38", [("A", "06ALMATY1450", C, "ALMATY 1450"), ("B", "06ASTANA33", C, "ASTANA 33"),
                    ("C", "06ASTANA5", C, "ASTANA 5")]),
    # REF: STATE 8866, no year: the cable's
    ("10CAIRO199", [(None, "10STATE8866", C, "STATE 8866")]),
    # REFS: A. Brasilia 1961, B. Brasilia 1996 (mixed case, one line)
    ("06BRASILIA2003", [("A", "06BRASILIA1961", C, "Brasilia 1961"),
                        ("B", "06BRASILIA1996", C, "Brasilia 1996")]),
    # REF A 09 CAIRO 074 REF B 08 CAIRO 784 Sensitive but Unclassified. (no colon, bare labels)
    ("09CAIRO173", [("A", "09CAIRO74", C, "09 CAIRO 074"), ("B", "08CAIRO784", C, "08 CAIRO 784")]),
    # REF: (A) STATE 253201 (B) WILSON/MACK / TELECON (C) WILSON/CHARLES TELECON
    ("90BAGHDAD4397", [("A", "90STATE253201", C, "STATE 253201"),
                       ("B", None, "telcon", "WILSON/MACK TELECON"),
                       ("C", None, "telcon", "WILSON/CHARLES TELECON")]),
    # compact citations: A. 09BOGOTA1506 / B. 09BOGOTA1412 / C. 09BOGOTA569 (C unindented)
    ("09BOGOTA1618", [("A", "09BOGOTA1506", C, "09BOGOTA1506"), ("B", "09BOGOTA1412", C, "09BOGOTA1412"),
                      ("C", "09BOGOTA569", C, "09BOGOTA569")]),
    # multi-line, "C.CAIRO 458 Classified By: ..." glued on the last line
    ("09CAIRO1259", [("A", "09CAIRO1114", C, "CAIRO 1114"), ("B", "09CAIRO478", C, "CAIRO 478"),
                     ("C", "09CAIRO458", C, "CAIRO 458")]),
    # two REF blocks: the site's cut copy ("C. THE HAGUE 140 (NOTAL) ...") and the full one
    ("04THEHAGUE868", [("A", "04STATE68263", C, "STATE 68263"),
                       ("B", "04THEHAGUE787", C, "THE HAGUE 787 (NOTAL)"),
                       ("C", "04THEHAGUE140", C, "THE HAGUE 140 (NOTAL)"),
                       ("D", "03THEHAGUE3168", C, "03 THE HAGUE 3168 (NOTAL)")]),
    # "REF: REF: A) 2005 ACCRA 2517 B) ACCRA 1437": four-digit year, REF written twice
    ("07ACCRA2140", [("A", "05ACCRA2517", C, "2005 ACCRA 2517"), ("B", "07ACCRA1437", C, "ACCRA 1437")]),
    # the year after the serial: State 200498 (2006); LIMA 248 (06); PANAMA 00933/08
    ("07SANJOSE18", [(None, "06STATE200498", C, "State 200498 (2006)")]),
    ("09PANAMA343", [("A", "08PANAMA933", C, "PANAMA 00933/08"), ("B", "09PANAMA332", C, "PANAMA 00332")]),
    # non-cable items
    ("09SANJOSE978", [(None, None, "email", "ANDREW/ASHE EMAIL 6 NOV 09")]),
    ("05SANAA923", [(None, None, "report", "IIR 6906012405")]),
    ("09ABUDHABI754", [("A", None, "letter", "SECRETARY'S LETTER TO MBZ ON PUMA HELICOPTERS"),
                       ("B", "09STATE76108", C, "SECSTATE 76108")]),
    ("66BUENOSAIRES2481", [(None, "66STATE106206", C, "STATE 106206 CIRCULAR"),
                           (None, None, "airgram", "STATE CA-3400 NOV 2, 1966")]),
    # several serials of one station; a bare serial takes the station of the item before
    ("06TRIPOLI198", [(None, "06TRIPOLI33", C, "TRIPOLI 33, 53"),
                      (None, "06TRIPOLI53", C, "TRIPOLI 33, 53")]),
    ("06CALCUTTA389", [("A", "06CALCUTTA354", C, "CALCUTTA 00354"), ("B", "06CALCUTTA357", C, "00357"),
                       ("C", "06CALCUTTA363", C, "CALCUTTA 00363")]),
    # "C. 08" then a blank line then "SAO PAULO 0590": the item goes on
    ("09SAOPAULO92", [("A", "08SAOPAULO443", C, "08 SAO PAULO 0443"),
                      ("B", "08SAOPAULO423", C, "08 SAO PAULO 0423"),
                      ("C", "08SAOPAULO590", C, "08 SAO PAULO 0590")]),
    # a block cut by the site in the middle of its only serial ("ROME 0472...") has nothing sure
    ("08ROME681", []),
    # ... while "A. KYIV 1557 / ..." was cut after a whole item; the full block follows on the
    # flattened SUBJECT line: "... UKRAINE REF: A. KYIV 1557 B. MOSCOW 2351 Classified By: ..."
    ("08MOSCOW2411", [("A", "08KYIV1557", C, "KYIV 1557"), ("B", "08MOSCOW2351", C, "MOSCOW 2351")]),
    # a REF block glued to the SUBJECT line of a flattened page, and nowhere else
    ("08TBILISI1379", [(None, "08TBILISI1372", C, "TBILISI 1372")]),
    ("09OTTAWA659", [("A", "09OTTAWA639", C, "OTTAWA 639"), ("B", "09OTTAWA627", C, "OTTAWA 627"),
                     ("C", "09STATE84119", C, "STATE 84119")]),
    # REFTEL:, and "Ref: a. State 131559 / B. Berlin 1770" (label case changes)
    ("00HARARE6677", [(None, "00HARARE6584", C, "HARARE 6584")]),
    ("07STATE135366", [("A", "07STATE131559", C, "State 131559"),
                       ("B", "07BERLIN1770", C, "Berlin 1770")]),
    # station spellings: SECSTATE, USEU BRUSSELS, a SECSTATE serial on the line after a blank
    ("03THEHAGUE2983", [(None, "03STATE326258", C, "SECSTATE 326258")]),
    ("04THEHAGUE2415", [("A", "04THEHAGUE1290", C, "THE HAGUE 1290 (NOTAL)"),
                        ("B", "04USEUBRUSSELS4009", C, "USEU BRUSSELS 4009")]),
    ("05MADRID4026", [("A", "05MADRID3785", C, "MADRID 3785"), ("B", "05MADRID3566", C, "MADRID 3566"),
                      ("C", "05STATE36633", C, "SECSTATE 36633")]),
    # "(D)BEIJING \n5361, (E) STATE 148514": a citation broken over two lines
    ("07STATE152317", [("A", "07STATE71143", C, "STATE 071143"), ("B", "07STATE73601", C, "STATE 073601"),
                       ("C", "07STATE72896", C, "STATE 72896"), ("D", "07BEIJING5361", C, "BEIJING 5361"),
                       ("E", "07STATE148514", C, "STATE 148514")]),
    # a page-break line glued to the REF line: "BRASILIA 882 BRASILIA 00000888 001.2 OF 002"
    ("06BRASILIA888", [(None, "06BRASILIA882", C, "BRASILIA 882")]),
    # an old page header inside the block: "A. STATE 40721 / CONFIDENTIAL / PAGE 02 ROME 01196 01
    # OF 02 082030Z  B. ROME 1098  C. ROME 894  D. MYRIAD POST-DEPARTMENT E-MAILS ...  E. ROME 348"
    ("02ROME1196", [("A", "02STATE40721", C, "STATE 40721"), ("B", "02ROME1098", C, "ROME 1098"),
                    ("C", "02ROME894", C, "ROME 894"),
                    ("D", None, "email", "MYRIAD POST-DEPARTMENT E-MAILS FROM 10/01-02/02"),
                    ("E", "02ROME348", C, "ROME 348")]),
    ("00HARARE5461", [(None, "00HARARE5346", C, "HARARE 5346")]),
    # REF before E.O. and TAGS: the block stops at them
    ("08SAOPAULO19", [("A", "07SAOPAULO780", C, "07 Sao Paulo 780"),
                      ("B", "07SAOPAULO1005", C, "07 Sao Paulo 1005"),
                      ("C", "08SAOPAULO12", C, "Sao Paulo 12"),
                      ("D", "07BRASILIA2151", C, "07 Brasilia 2151"),
                      ("E", "08BRASILIA6", C, "Brasilia 0006")]),
    # a flattened page: "REF: 09 State 124006  LONDON 00000092  001.3 OF 012   1.  In response..."
    ("10LONDON92", [(None, "09STATE124006", C, "09 State 124006")]),
    # "REF...04 CHENNAI 575": the site's ellipsis right after REF
    ("05NEWDELHI301", [(None, "04CHENNAI575", C, "04 CHENNAI 575")]),
    # the year-doubled fixture page; USUN → USUNNEWYORK
    ("7575LIBREVILLE1895", [(None, "75STATE272523", C, "STATE 272523"),
                            (None, "75USUNNEWYORK6028", C, "USUN 6028")]),
    # an empty "REF:" followed by SUMMARY
    ("06MEXICO1476", []),
    # a list separated by colons: every citation
    ("72TEHRAN1164", [(None, "72TEHRAN1091", C, "TEHRAN 1091"), (None, "72TEHRAN263", C, "TEHRAN 263"),
                      (None, "72MOSCOW1603", C, "MOSCOW 1603")]),
    # a REF glued to the subject's last word: "…AS UK PRIMEREF: A. LONDON 1939  B. LONDON 1704"
    ("08LONDON1991", [("A", "08LONDON1939", C, "LONDON 1939"), ("B", "08LONDON1704", C, "LONDON 1704")]),
    ("08MANAMA541", [(None, "08MANAMA510", C, "MANAMA 510")]),
    # "…MISSING AMCITREF:", a blank line, then the items
    ("06ISLAMABAD22025", [("A", "06ISLAMABAD21222", C, "ISLAMABAD 21222"),
                          ("B", "06PESHAWAR653", C, "PESHAWAR 653"),
                          ("C", "06ISLAMABAD21882", C, "ISLAMABAD 21882"),
                          ("D", "06ISLAMABAD16421", C, "ISLAMABAD 16421")]),
    # "SUBJECT: … SUMMIT REF:" and the items on the lines after it
    ("05BRASILIA760", [("A", "05BRASILIA564", C, "BRASILIA 564"), ("B", "05BRASILIA574", C, "BRASILIA 574"),
                       ("C", "05BRASILIA658", C, "BRASILIA 658"), ("D", "05BRASILIA718", C, "BRASILIA 718")]),
]


@pytest.mark.parametrize(("reference_id", "expected"), WITH_KNOWN)
def test_references_with_known_ids(reference_id, expected):
    got = [(r.label, r.id, r.kind, r.citation) for r in cable(reference_id).references]
    assert got == expected


# (reference id, ids with the known set, ids without it)
RESOLUTION = [
    # a January cable citing a December one: 06MADRID3095 is known, 07MADRID3095 is not
    ("07HAVANA5", ["06MADRID3095"], ["07MADRID3095"]),
    # another name of the same post: only 06AITTAIPEI2800 is known
    ("06TAIPEI2921", ["06AITTAIPEI2800", "05TAIPEI133192"], ["06TAIPEI2800", "05TAIPEI133192"]),
    # citations of other posts in April 2009 whose 2009 serials are not known yet
    ("09STATE41025",
     ["09SAOPAULO90", "08SAOPAULO679", "09BRASILIA202", "09BRASILIA681", "08BRASILIA855",
      "09BRASILIA158", "09BRASILIA388", "09BRASILIA128"],
     ["09SAOPAULO90", "09SAOPAULO679", "09BRASILIA202", "09BRASILIA681", "09BRASILIA855",
      "09BRASILIA158", "09BRASILIA388", "09BRASILIA128"]),
    # the citing post's own serials: 3974 and 3929 are below MADRID 4314, so of this year, even
    # though only 04MADRID3929 is known
    ("05MADRID4314", ["05MADRID3974", "05MADRID3929"], ["05MADRID3974", "05MADRID3929"]),
    # ... and NEW DELHI 8892 is above NEW DELHI 27 of 4 January 2006: of last year, known or not
    ("06NEWDELHI27", ["05NEWDELHI8892"], ["05NEWDELHI8892"]),
    # an explicit year is kept whatever is known
    ("09CAIRO173", ["09CAIRO74", "08CAIRO784"], ["09CAIRO74", "08CAIRO784"]),
    # later in the year, a post past that serial by then: this year's, though only last year's
    # is known (the Department was past 90,000 in September 2009; Ankara past 1,100 in July;
    # Cairo past 2,200 in November; Asuncion past 590 in September)
    ("09THEHAGUE546", ["09STATE70837"], ["09STATE70837"]),
    ("09ISTANBUL269", ["09ANKARA926"], ["09ANKARA926"]),
    ("09STATE114151", ["09CAIRO2003"], ["09CAIRO2003"]),
    ("09STATE97946", ["09ASUNCION426", "09ASUNCION418"], ["09ASUNCION426", "09ASUNCION418"]),
]


@pytest.mark.parametrize(("reference_id", "with_known", "without_known"), RESOLUTION)
def test_resolution_with_and_without_known_ids(reference_id, with_known, without_known):
    assert [r.id for r in cable(reference_id).references] == with_known
    no_known = ParseContext(routes=routes(), known_ids=frozenset())
    assert [r.id for r in cable(reference_id, no_known).references] == without_known


def test_without_the_ids_months_only_the_known_ids_decide():
    """Known ids given without their months (no serial reach): an undated citation of another
    post takes last year's id when only that one is known — 09THEHAGUE546's STATE 70837."""
    bare = ParseContext(routes=routes(), known_ids=full_context().known_ids)
    assert [r.id for r in cable("09THEHAGUE546", bare).references] == ["08STATE70837"]


def test_serial_reach_is_the_highest_known_serial_by_each_month():
    reach = serial_reach({"09STATE100": 1, "09STATE90": 1, "09STATE250": 3, "09STATE7": None,
                          "09BRASILIA12": 2, "08STATE5": 12, "not an id": 4})
    assert reach[(2009, "STATE")] == (100, 100, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250)
    assert reach[(2009, "BRASILIA")] == (0, 12, *[12] * 10)
    assert reach[(2008, "STATE")] == (0,) * 11 + (5,)
    assert len(reach) == 3


# Plain text: forms the table above does not show on its own, and the rules in isolation.
TEXTS = [
    # (reference id, year, known ids, body, [(label, id, kind)])
    ("06ASTANA38", 2006, {"05ASTANA999"}, "SUBJECT: X\n\nREF: ASTANA 999\n\n1. (C) Text.",
     [(None, "05ASTANA999", C)]),
    ("06ALMATY38", 2006, {"05ASTANA999"}, "REF: ASTANA 999\n\n1. (C) Text.",
     [(None, "05ASTANA999", C)]),
    ("06ALMATY38", 2006, set(), "REF: ASTANA 999\n\n1. (C) Text.", [(None, "06ASTANA999", C)]),
    ("07MOSCOW9", 2007, set(), "REF A: 08 MOSCOW 123\n\n1. (C) Text.", [("A", "08MOSCOW123", C)]),
    ("07MOSCOW9", 2007, set(), "REF (A) 07 STATE 123\n\n1. (C) Text.", [("A", "07STATE123", C)]),
    ("09BAGHDAD500", 2009, set(), "Ref: (A) 09BAGHDAD123\n     (B) 09BAGHDAD124\n\n1. Text.",
     [("A", "09BAGHDAD123", C), ("B", "09BAGHDAD124", C)]),
    # self-reference and duplicates dropped; NOTAL is a cable all the same
    ("05ANKARA1234", 2005, set(),
     "REFS: A. 05 ANKARA 1234 B. STATE 12345 (NOTAL) C. 2005 STATE 12345\n\n1. (U) Text.",
     [("B", "05STATE12345", C)]),
    # page-break lines inside a block
    ("08TRIPOLI467", 2008, set(),
     "REF: A. TRIPOLI 411\nTRIPOLI 00000467  001.2 OF 003\n     B. TRIPOLI 400\n\n1. (C) Text.",
     [("A", "08TRIPOLI411", C), ("B", "08TRIPOLI400", C)]),
    # non-cable kinds
    ("08PARIS1", 2008, set(),
     "REF: A. EMAIL FROM J. SMITH DATED MAY 5 B. TELCON 5/12 C. MEMCON OF MAY 3 D. FAX 12 MAY\n"
     "     E. PHONECON 5/13 F. DEMARCHE OF MAY 2\n\n1. (C) Text.",
     [("A", None, "email"), ("B", None, "telcon"), ("C", None, "memo"), ("D", None, "fax"),
      ("E", None, "telcon"), ("F", None, "demarche")]),
    # lists separated by colons or semicolons, labelled or not; a colon before a title is no
    # separator
    ("72PARIS100", 1972, set(), "REF: PARIS 91: 71 BONN 12; STATE 4455\n\n1. Text.",
     [(None, "72PARIS91", C), (None, "71BONN12", C), (None, "72STATE4455", C)]),
    ("72PARIS100", 1972, set(), "REF: A. PARIS 91: BONN 12 B. ROME 7\n\n1. Text.",
     [("A", "72PARIS91", C), ("A", "72BONN12", C), ("B", "72ROME7", C)]),
    ("09STATE500", 2009, set(), "REF: STATE 81957: REPORT OF THE EXPERTS MEETING\n\n1. Text.",
     [(None, None, "report")]),
    ("09STATE500", 2009, set(), "REF: STATE 1234: PARA 3\n\n1. Text.", [(None, None, "other")]),
    # no REF block, REF words in prose, odd input
    ("08PARIS1", 2008, set(), "SUBJECT: REFORM\n\n1. (C) The referendum, reftel, REF A).", []),
    ("08PARIS1", None, set(), "", []),
    ("", None, set(), "REF: STATE 1\n", [(None, None, C)]),
]


@pytest.mark.parametrize(("reference_id", "year", "known", "body", "expected"), TEXTS)
def test_references_of_plain_text(reference_id, year, known, body, expected):
    got = parse_references(body, reference_id, year, frozenset(known))
    assert [(r.label, r.id, r.kind) for r in got] == expected


@pytest.mark.parametrize(("month", "expected"), [(9, "09STATE70837"), (1, "08STATE70837"), (None, "08STATE70837")])
def test_an_undated_citation_is_of_this_year_once_the_post_had_reached_its_serial(month, expected):
    """STATE had reached 90,798 by August 2009 and 8,952 by January: STATE 70837 cited in
    September is of 2009, in January of 2008 (the one known); with no month, the known one."""
    reach = {(2009, "STATE"): (8952, 18884, 31093, 44254, 55654, 67910, 80219, 90798, 102030,
                               112533, 122719, 132609)}
    got = parse_references("REF: STATE 70837\n\n1. (C) Text.", "09THEHAGUE546", 2009,
                           {"08STATE70837"}, month=month, reach=reach)
    assert [r.id for r in got] == [expected]


# A block the site cut short is read from its full copy further down; without one, what was cut
# is lost, and the record says so.
CUT_BLOCKS = [
    ("05DUSHANBE1648", ['unreadable REF block: "DUSHANBE 16..." (cut short)']),
    ("08ROME681", ['unreadable REF block: "A. ROME 0472..." (cut short)']),
    # A and B read, C cut: "A. MOSCOW 1144 B. MOSCOW 692 C..."
    ("07MOSCOW1537", ['unreadable REF block: "A. MOSCOW 1144 B. MOSCOW 692 C..." (cut short)']),
    # the full copy follows: "A. ROME DAIL..." / "A. ROME DAILY REPORT 9/17/09 B. ROME 1040"
    ("09ROME1072", []),
    ("10QUITO101", []),  # "R..." / "A) QUITO 83; B) QUITO 91; …"
    ("07THEHAGUE1729", []),  # cut after its last word: "THE HAGUE 1625 AND PREVIOUS..."
]


@pytest.mark.parametrize(("reference_id", "expected"), CUT_BLOCKS)
def test_a_block_cut_short_without_a_full_copy_leaves_a_warning(reference_id, expected):
    got = cable(reference_id)
    assert [w for w in got.warnings if w.startswith("unreadable REF block")] == expected


def test_the_warning_of_a_block_cut_short_in_plain_text():
    body = "SUBJECT: X\n\nREF: A. STATE 1234 B. ROME 04...\n\n1. (C) Text."
    got = read_references(body, "08PARIS1", 2008)
    assert [r.id for r in got.value] == ["08STATE1234"]
    assert got.warnings == ('unreadable REF block: "A. STATE 1234 B. ROME 04..." (cut short)',)


def test_a_block_that_breaks_the_reader_leaves_a_warning_not_an_exception(monkeypatch,
                                                                          plain_module):
    def broken(block):
        raise ValueError("no label")

    plain_refs = plain_module("parse.refs")  # a compiled module would call its own _items
    monkeypatch.setattr(plain_refs, "_items", broken)
    got = plain_refs.read_references("REF: A. STATE 1234\n\n1. (C) Text.", "08PARIS1", 2008)
    assert got.value == ()
    assert got.warnings == ("unreadable REF block: ValueError: no label",)
