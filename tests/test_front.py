"""The body's front matter on real pages: handling, classification, E.O., SUBJECT, Classified By.

Each row names the page whose text shows the case; the expected values were read off that page.
"""

from __future__ import annotations

import pytest

from cables.parse.front import (
    classification_from_text,
    parse_classified_by,
    parse_eo,
    parse_handling,
    parse_subject,
)
from cables.record import ClassifiedBy, ExecutiveOrder

from conftest import cable

# --- handling ---------------------------------------------------------------------------------

HANDLING = [
    # the blog copy: SIPDIS, SENSITIVE, SIPDIS again on its own lines
    ("06ASTANA38", ("SIPDIS", "SENSITIVE")),
    # flattened and glued: "003352SIPDISSIPDISNOFORNE.O. 12958"
    ("06ANKARA3352", ("SIPDIS", "NOFORN")),
    # "LONDON 000333NOFORNSIPDIS E.O. 12958"
    ("09LONDON333", ("NOFORN", "SIPDIS")),
    # TERREP caption among the handling lines
    ("04THEHAGUE1903", ("SIPDIS", "SENSITIVE", "TERREP")),
    # "UNCLAS E F T O LONDON 002211" then NOFORN, SIPDIS
    ("09EFTOLONDON2211", ("EFTO", "NOFORN", "SIPDIS")),
    # "REF: ANKARA 1561 (EXDIS)" is a reference, not this cable's handling
    ("09ANKARA1583", ("SIPDIS",)),
    # a 1966 NARA copy: no handling words at all
    ("66BUENOSAIRES2481", ()),
    # header copy before the cable: handling read from the cable's own lines
    ("06MEXICO456", ("SIPDIS",)),
]


@pytest.mark.parametrize(("reference_id", "expected"), HANDLING)
def test_handling(reference_id: str, expected: tuple[str, ...]) -> None:
    assert cable(reference_id).handling == expected


# --- classification read from the text --------------------------------------------------------

CLASSIFICATION = [
    # UNCLAS + SENSITIVE is the site's FOUO
    ("06ASTANA38", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
    ("66BUENOSAIRES2481", "UNCLASSIFIED"),
    # "S E C R E T ABU DHABI 000192" with a NOFORN line
    ("09ABUDHABI192", "SECRET//NOFORN"),
    # first letter lost: "O N F I D E N T I A L BAGHDAD 000290"
    ("10BAGHDAD290", "CONFIDENTIAL"),
    # glued to the station: "C O N F I D E N T I A LCAIRO 000079"
    ("09CAIRO79", "CONFIDENTIAL"),
    # unevenly spaced: "CO N F I D E N T I A L BOGOTA 005603"
    ("06BOGOTA5603", "CONFIDENTIAL"),
    # "UUNCLAS MANAGUA 001002" + SENSITIVE
    ("06MANAGUA1002", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
    # "UNCLAS E F T O" + NOFORN: the site says FOUO
    ("09EFTOLONDON2211", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
    # "S e c r e t state 068250" on a lower-cased page
    ("88BAGHDAD28", "SECRET"),
]


@pytest.mark.parametrize(("reference_id", "expected"), CLASSIFICATION)
def test_classification_from_text(reference_id: str, expected: str) -> None:
    assert classification_from_text(cable(reference_id).body) == expected


def test_classification_without_classification_line() -> None:
    # 05PARIS4749's text starts with its address lines: nothing to read
    assert classification_from_text(cable("05PARIS4749").body) is None


# --- E.O. line --------------------------------------------------------------------------------

EO = [
    ("06ASTANA38", ExecutiveOrder("12958", "N/A", None)),
    ("06MOSCOW9533", ExecutiveOrder("12958", "DECL: 08/30/2016", "2016-08-30")),
    ("79TEHRAN8980", ExecutiveOrder("12065", "GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P", "1985-08-12")),
    # "E. O. 11652: GDS"
    ("73TEHRAN2077", ExecutiveOrder("11652", "GDS", None)),
    ("85BEIRUT1725", ExecutiveOrder("12356", "DECL:OADR", None)),
    # "E.O. 12958: \nDECL: 04/05/2011": the decl on the next line
    ("08MEXICO2187", ExecutiveOrder("12958", "DECL: 04/05/2011", "2011-04-05")),
    # glued: "INL FOR AGUILERAE.O. 12958: DECL: 08/16/2015TAGS: EMIN"
    ("05LIMA3571", ExecutiveOrder("12958", "DECL: 08/16/2015", "2015-08-16")),
    # "E.O.: 12958: N/A"
    ("08RIODEJANEIRO19", ExecutiveOrder("12958", "N/A", None)),
    # "E.0. 12958: DECL: 03/05/11" (zero for O, two-digit year)
    ("01VATICAN1261", ExecutiveOrder("12958", "DECL: 03/05/11", "2011-03-05")),
    # "EO 12958 DECL: 02/22/2011"
    ("01PRETORIA1173", ExecutiveOrder("12958", "DECL: 02/22/2011", "2011-02-22")),
    ("09BELGRADE765", ExecutiveOrder("12958", "DECL: 2019/07/29", "2019-07-29")),
    ("97WELLINGTON1656", ExecutiveOrder("12958", "DECL: 12/20/07", "2007-12-20")),
    # a decl that is not a date
    ("08STATE86156", ExecutiveOrder("12958", "DECL: 25X1", None)),
    ("04THEHAGUE2793", ExecutiveOrder("12958", "DECL: FIVE YEARS AFTER ICTY CLOSURE", None)),
    # the subject names E.O. 13382; the E.O. line is 12958
    ("07SANJOSE657", ExecutiveOrder("12958", "N/A", None)),
    # "E.O. 12958 " alone on its line, no decl
    ("09SANJOSE34", ExecutiveOrder("12958", None, None)),
    # a lower-cased cable: "E.o. 12958: n/a"
    ("08STATE43817", ExecutiveOrder("12958", "n/a", None)),
]


@pytest.mark.parametrize(("reference_id", "expected"), EO)
def test_eo(reference_id: str, expected: ExecutiveOrder) -> None:
    assert cable(reference_id).eo == expected


def test_eo_absent() -> None:
    # 04BRASILIA564 goes from its address line straight to TAGS
    assert cable("04BRASILIA564").eo is None


EO_TEXT = [
    ("E.O. 12958: DECL: 1.4 (B), (D)\nTAGS: PREL", ExecutiveOrder("12958", "DECL: 1.4 (B), (D)", None)),
    ("EO 12958 DECL 3/13/2018\nTAGS: PREL", ExecutiveOrder("12958", "DECL 3/13/2018", "2018-03-13")),
    ("E.O. 12958: DECL: 20190101\nTAGS: PREL", ExecutiveOrder("12958", "DECL: 20190101", "2019-01-01")),
    ("E.O. 13526: DECL: 02/30/2020\n", ExecutiveOrder("13526", "DECL: 02/30/2020", None)),
]


@pytest.mark.parametrize(("text", "expected"), EO_TEXT)
def test_eo_spellings(text: str, expected: ExecutiveOrder) -> None:
    assert parse_eo(text) == expected


# --- SUBJECT ----------------------------------------------------------------------------------

SUBJECT = [
    ("06ASTANA38", "KAZAKHSTAN: AMBASSADOR DISCUSSES AIG AND TIP WITH JUSTICE MINISTER"),
    ("06MOSCOW9533", "A CAUCASUS WEDDING"),
    # "SUBJECT:" alone, the subject after a blank line
    ("09CAIRO200", "INVITATION TO NNSA HUMAN RESOURCES SEMINAR DELIVERED TO EGYPTIAN OFFICIALS"),
    # the page line "TRIPOLI 00000248 001.2 OF 003" runs into the subject
    ("08TRIPOLI248", "SECURITY PROCEDURES AND EMERGENCY RESPONSE AT TRIPOLI INTERNATIONAL AIRPORT"),
    # …and a two-word station: "… CONGRESS NEW DELHI 00007273 001.2 OF 003"
    ("06NEWDELHI7273", "KASHMIR: PENDING EXECUTION CAUSING STRIFE FOR CONGRESS"),
    # "…TO CAIROClassified By: DEPUTY CHIEF OF MISSION…"
    ("07CAIRO3126", "SCENESETTER FOR AMBASSADOR CROCKER’S VISIT TO CAIRO"),
    # leading marking "(U)" removed, two lines joined
    ("06PARTO9", "Secretary Rice's February 23 Meeting with Lebanese Parliament Speaker Nabih Berri"),
    # trailing marking "(S)" removed
    ("08STATE23763", "FOLLOWING-UP WITH INDIA ON THE XXXXXXXXXXXX GRAPHITE CASE"),
    # typo "UBJECT:" in flattened text
    ("08MANAMA117", "BAHRAIN WILL FORMALLY REQUEST QATAR TO EXECUTE LEGAL JUDGMENT AGAINST KHALIFA AL SUBAIE"),
    # flattened: "SUBJECT: MFA ON RUSSIAN-EU ENERGY RELATIONS REF: A. MOSCOW 5266 …"
    ("07MOSCOW5399", "MFA ON RUSSIAN-EU ENERGY RELATIONS"),
    # cut short by the site, then the next page glued on: keep up to the "..."
    ("05ISTANBUL329", "MUNICIPALITY TO FUND..."),
    # wrapped over two lines in a 1966 NARA copy
    ("66BUENOSAIRES2481", "EXTENDED NATIONAL JURISDICTIONS OVER HIGH SEAS"),
    # a page line glued at the end ("… BY GAZA  LONDON 00000207  001.2 OF 005"): the subject stays
    ("09LONDON207", "IRAN - XXXXXXXXXXXX ARGUES FOR: BROADENING ENGAGEMENT ON NUCLEAR ISSUE; NUANCED HUMAN "
                    "RIGHTS ADVOCACY; IRAN OUTREACH OPPORTUNITY GENERATED BY GAZA"),
    # …and its last word with it ("… IN NEW YORK TRIPOLI 00000014 001.2 OF 002 CLASSIFIED BY:")
    ("08TRIPOLI14", 'QADHAFI TELLS MUBARAK HE "MAY" SEEK TO ATTEND UNSC IN NEW YORK'),
    ("09TRIPOLI564", "SE GRATION URGES LIBYA'S TREIKI TO ORGANIZE CONTACT GROUP IN KHARTOUM BY END OF JULY"),
    ("09TRIPOLI762", '"WE ARE HERE": DOMESTIC REACTION TO QADHAFI AT UNGA'),
    # a lower-cased cable, read from its own front matter (nothing before it cut away)
    ("08STATE43817", "syria's clandestine nuclear program"),
    # wrapped: the next line is the subject's, though it looks like an E.O. line, a paragraph
    # number or a marking ("E.O. 13382", "2009)", "(PLN) COMMITTED…")
    ("09SANJOSE59", "DESIGNATION OF ADDITIONAL IRANIAN ENTITIES UNDER E.O. 13382"),
    ("09KAMPALA551", "UGANDA/DRC: OPERATION RUDIA II UPDATE (JUNE 1, 2009)"),
    ("09USNATO30", "READOUT NORTH ATLANTIC COUNCIL MEETING JANUARY 28, 2009."),
    ("06SANJOSE777", "DEPUTIES-ELECT OF RULING NATIONAL LIBERATION PARTY (PLN) COMMITTED TO CAFTA-DR"),
    # a REF glued to the subject's last word: "…AS UK PRIMEREF: A. LONDON 1939  B. LONDON 1704"
    ("08LONDON1991", "WHO WOULD REPLACE GORDON BROWN AS UK PRIME"),
    ("08MANAMA541", "GENERAL PETRAEUS’ VISIT TO BAHRAIN"),
]


@pytest.mark.parametrize(("reference_id", "expected"), SUBJECT)
def test_subject(reference_id: str, expected: str) -> None:
    assert cable(reference_id).subject == expected


# Handwritten (the mirror has no subject wrapped above handling lines but one flattened page).
WRAPPED_SUBJECT = """UNCLAS SECTION 01 OF 02 SOFIA 000123

E.O. 12958: N/A
TAGS: PGOV, BU
SUBJECT: BULGARIA: PARLIAMENT PASSES THE LAW ON
CONFISCATION OF CRIMINAL ASSETS (CCA)
NOFORN
EXDIS

1. (U) Text.
"""


def test_a_wrapped_subject_is_read_whole_and_the_handling_lines_after_it_are_kept() -> None:
    assert parse_subject(WRAPPED_SUBJECT) == ("BULGARIA: PARLIAMENT PASSES THE LAW ON CONFISCATION OF "
                                              "CRIMINAL ASSETS (CCA)")
    assert parse_handling(WRAPPED_SUBJECT) == ("NOFORN", "EXDIS")


def test_a_handling_line_after_a_flattened_subject_is_handling_not_subject() -> None:
    # 09ISLAMABAD3037: "... ISLAMABAD 003037" then a line "NOFORN"
    got = cable("09ISLAMABAD3037")
    assert not got.subject.endswith("NOFORN")
    assert "NOFORN" in got.handling


@pytest.mark.parametrize("reference_id", ["08TRIPOLI220", "02ANKARA8305", "10STATE284"])
def test_subject_absent(reference_id: str) -> None:
    # the site dropped these cables' SUBJECT line; nothing else may stand in for it
    assert cable(reference_id).subject is None


# --- Classified By ----------------------------------------------------------------------------

CLASSIFIED_BY = [
    ("06MOSCOW9533", ClassifiedBy(
        "Daniel A. Russell", "Deputy Chief of Mission", ("1.4(b)", "1.4(d)"),
        "Classified By: Deputy Chief of Mission Daniel A. Russell. Reason 1.4 ( b, d)")),
    ("08TRIPOLI220", ClassifiedBy(
        "Chris Stevens", "CDA", ("1.4(b)", "1.4(d)"),
        "CLASSIFIED BY: Chris Stevens, CDA, Embassy Tripoli, Dept of State. REASON: 1.4 (b), (d)")),
    # "1.5(b)-(d)": b to d
    ("04THEHAGUE2793", ClassifiedBy(
        "Clifton M. Johnson", "Legal Counselor", ("1.5(b)", "1.5(c)", "1.5(d)"),
        "Classified By: Clifton M. Johnson, Legal Counselor, Reason 1.5(b)-(d).")),
    # inside paragraph 1 of a flattened page, E.O. 12958's 1.5
    ("02ANKARA8305", ClassifiedBy(
        "ROBERT S. DEUTSCH", "DCM", ("1.5(b)", "1.5(d)"),
        "CLASSIFIED BY DCM ROBERT S. DEUTSCH; REASONS 1.5 (B) AND (D).")),
    # title, "a.i.", then the name, all between commas
    ("06BUENOSAIRES1610", ClassifiedBy(
        "Hugo Llorens", "CDA", ("1.4(b)", "1.4(d)"),
        "Classified By: CDA, a.i., Hugo Llorens, Reasons 1.4(b) and (d)")),
    # "Reason 1.4.(d)"
    ("06PARTO9", ClassifiedBy(
        "Arnold Chacon", "Deputy Executive Secretary", ("1.4(d)",),
        "Classified by: Arnold Chacon, Deputy Executive Secretary, S/ES, Department of State. "
        "Reason 1.4.(d)")),
    ("09LONDON333", ClassifiedBy(
        "KATHLEEN DOHERTY", "ECON COUNSELOR", ("1.4(b)", "1.4(d)"),
        "Classified By: ECON COUNSELOR KATHLEEN DOHERTY FOR REASONS 1.4 b & d")),
    # "and" wrapped mid-word: "1.4(b) a\nnd (d)" is (b) and (d), not (b) and (a)
    ("09BERLIN1167", ClassifiedBy(
        "Don Brown", "Global Affairs Unit Chief", ("1.4(b)", "1.4(d)"),
        "Classified By: Global Affairs Unit Chief Don Brown for Reasons 1.4(b) a nd (d).")),
    # "Clark T. Randt, Jr." keeps its suffix
    ("07BEIJING1760", ClassifiedBy(
        "Clark T. Randt, Jr.", "Ambassador", ("1.4(b)", "1.4(d)"),
        "Classified By: Ambassador Clark T. Randt, Jr. Reasons 1.4 (b) and (d).")),
    # cut short by the site: a fragment of a name is no name; a name whose cut word was after it
    # keeps the words before ("Ronald Spogli f...")
    ("04THEHAGUE1919", ClassifiedBy(None, None, (), "Classified By: A...")),
    ("05THEHAGUE2064", ClassifiedBy(None, "Ambassador", (), "Classified By: Ambassador Cl...")),
    ("08THEHAGUE185", ClassifiedBy(None, "CDA", (), "Classified By: CDA Andrew Schof...")),
    ("05ROME3081", ClassifiedBy("Ronald Spogli", "Ambassador", (),
                                "Classified By: Ambassador Ronald Spogli f...")),
    # ... and a cut in the title leaves the name alone
    ("09BOGOTA3093", ClassifiedBy("Mark Wells", "Political", (),
                                  "CLASSIFIED BY: Mark Wells, Political Counse...")),
]


@pytest.mark.parametrize(("reference_id", "expected"), CLASSIFIED_BY)
def test_classified_by(reference_id: str, expected: ClassifiedBy) -> None:
    assert cable(reference_id).classified_by == expected


def test_classified_by_absent() -> None:
    # an unclassified cable has no statement ("DECLASSIFIED BY NARA" is not one)
    assert cable("66BUENOSAIRES2481").classified_by is None


CLASSIFIED_BY_TEXT = [
    ("Classified by: Ambassador John Doe for reasons 1.4 b and d\n\n1. (C) Text",
     ClassifiedBy("John Doe", "Ambassador", ("1.4(b)", "1.4(d)"),
                  "Classified by: Ambassador John Doe for reasons 1.4 b and d")),
    ("CLASSIFIED BY POLOFF JSMITH, REASONS 1.5 (B) AND (D)\n",
     ClassifiedBy("JSMITH", "POLOFF", ("1.5(b)", "1.5(d)"),
                  "CLASSIFIED BY POLOFF JSMITH, REASONS 1.5 (B) AND (D)")),
    ("Classified By: J...\n\n1. (C) Text", ClassifiedBy(None, None, (), "Classified By: J...")),
    ("Classified By: DCM Jane Ann Publ…\n\n1. (C) Text",
     ClassifiedBy("Jane Ann", "DCM", (), "Classified By: DCM Jane Ann Publ…")),
]


@pytest.mark.parametrize(("text", "expected"), CLASSIFIED_BY_TEXT)
def test_classified_by_forms(text: str, expected: ClassifiedBy) -> None:
    assert parse_classified_by(text) == expected


ODD_INPUT = ["", "\n\n\n", "SUBJECT:", "TAGS:", "E.O.", "CLASSIFIED BY", "¶1. (C)", "x" * 20000]


@pytest.mark.parametrize("text", ODD_INPUT)
def test_odd_input_never_raises(text: str) -> None:
    parse_handling(text)
    classification_from_text(text)
    parse_eo(text)
    parse_subject(text)
    parse_classified_by(text)
