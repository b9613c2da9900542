"""The transmission header: split of plain text, VZCZC id, precedence, DTG, FM/TO/INFO, Origin.

Every row names the corpus page whose header shows the case; the expected values were read off
that page.
"""

from __future__ import annotations

import pytest

from cables.parse.dates import dtg_to_iso
from cables.parse.extract import extract
from cables.parse.header import origin_from_station, parse_header, split_header_body
from cables.record import Addressee
from conftest import BLOG_PAGE, FORMAT_TARS, cable, page_path, require, routes, unpack


def addr(route, name, precedence=None, serial=None, station=None):
    """An expected addressee, written in the order of the header line."""
    return Addressee(route=route, name=name, precedence=precedence, serial=serial, station=station)


# --- whole header on real pages -----------------------------------------------------------------

HEADERS = [
    # The blog copy of 06ASTANA38: the reference case of the brief.
    ("06ASTANA38", "VZCZCXRO1728", "P", "2006-04-24T03:36Z",
     addr("RUEHAST", "USOFFICE ASTANA", station="AMCONSUL ASTANA"),
     (addr("RUEHC", "SECSTATE WASHDC", "PRIORITY", "0116", "DEPT OF STATE WASHINGTON DC"),),
     (addr("RUEHTA", "AMEMBASSY ALMATY", "PRIORITY", "0108", "AMEMBASSY ASTANA"),
      addr("RUCNCIS", "CIS COLLECTIVE"),
      addr("RUEHBUL", "AMEMBASSY KABUL", None, "0024", "AMEMBASSY KABUL"),
      addr("RUEHVEN", "USMISSION USOSCE", None, "0048", "USMISSION USOSCE VIENNA AU"),
      addr("RUCPDOC", "DEPT OF COMMERCE WASHINGTON DC", station="DEPT OF COMMERCE WASHINGTON DC"),
      addr("RUEHAST", "USOFFICE ASTANA", None, "0118", "AMCONSUL ASTANA"))),
    # A 1979 header: no VZCZC, no DE line, no routes; the serial follows the name.
    ("79TEHRAN8980", None, "R", "1979-08-13T04:58Z", addr(None, "AMEMBASSY TEHRAN"),
     (addr(None, "SECSTATE WASHDC", serial="3182"),), ()),
    # A page-break line sits right after the TO keyword: "TO PAGE 02  STATE 023763  071504Z".
    ("08STATE23763", None, "P", "2008-03-07T15:00Z", addr(None, "SECSTATE WASHDC"),
     (addr(None, "AMEMBASSY NEW DELHI", "PRIORITY"),),
     (addr(None, "MISSILE TECHNOLOGY CONTROL REGIME COLLECTIVE", "PRIORITY"),)),
    # The same after INFO; two precedence letters on the DTG line, kept as written.
    ("08STATE50524", None, "O P", "2008-05-13T15:28Z", addr(None, "SECSTATE WASHDC"),
     (addr(None, "AMEMBASSY BEIJING", "IMMEDIATE"),),
     (addr(None, "AMEMBASSY BAGHDAD", "PRIORITY"),)),
    # 1966: "P R" precedence, TO without serial, an INFO block of eleven continuation lines.
    ("66BUENOSAIRES2481", None, "P R", "1966-12-28T18:48Z", addr(None, "AMEMBASSY BUENOS AIRES"),
     (addr(None, "SECSTATE WASHDC", "PRIORITY"),),
     tuple(addr(None, n) for n in [
         "USCINCSO", "CINCLANT", "AMEMBASSY RIO DE JANEIRO", "AMEMBASSY SANTIAGO",
         "AMEMBASSY MONTEVIDEO", "AMEMBASSY QUITO", "AMEMBASSY LIMA", "AMEMBASSY MEXICO",
         "AMEMBASSY OTTAWA", "AMEMBASSY LONDON", "STATE GRNC"])),
    # A 1990 telegram: its "INFO LOG-00 ADS-00 …" distribution block above the DTG is no address.
    ("90CAPETOWN97", None, "R", "1990-01-17T15:12Z", addr(None, "AMCONSUL CAPE TOWN"),
     (addr(None, "SECSTATE WASHDC", serial="5365"),),
     tuple(addr(None, n) for n in [
         "AMEMBASSY PRETORIA", "AMCONSUL JOHANNESBURG", "AMCONSUL DURBAN", "AMEMBASSY LUSAKA",
         "AMEMBASSY HARARE", "AMEMBASSY LONDON", "AMEMBASSY PARIS"])),
    # A multi-line TO block with ZEN/ (delivered by other means: an addressee with no route),
    # NIACT IMMEDIATE and serial ranges.
    ("08STATE103511", "VZCZCXYZ0003", "O", "2008-09-27T03:33Z",
     addr("RUEHC", "SECSTATE WASHDC", station="DEPT OF STATE WASHINGTON DC"),
     (addr(None, "AMEMBASSY BELMOPAN", "NIACT IMMEDIATE", "2276-2279"),
      addr("RUEHKV", "AMEMBASSY KYIV", "NIACT IMMEDIATE", "7881-7884", "AMEMBASSY KYIV"),
      addr(None, "AMEMBASSY MOSCOW", "NIACT IMMEDIATE", "4778-4781"),
      addr(None, "AMEMBASSY NAIROBI", "NIACT IMMEDIATE", "9314-9317"),
      addr(None, "AMEMBASSY RIGA", "NIACT IMMEDIATE", "0612-0615")),
     (addr(None, "AMEMBASSY ADDIS ABABA", "IMMEDIATE", "5844-5847"),
      addr(None, "AMEMBASSY DJIBOUTI", "IMMEDIATE", "4024-4027"),
      addr(None, "AMEMBASSY KHARTOUM", "IMMEDIATE", "6405-6408"),
      addr(None, "CNO WASHINGTON DC", "IMMEDIATE"),
      addr(None, "JOINT STAFF WASHINGTON DC", "IMMEDIATE"),
      addr(None, "SECDEF WASHINGTON DC", "IMMEDIATE"),
      addr(None, "DEPT OF JUSTICE WASHINGTON DC", "IMMEDIATE"),
      addr(None, "USCENTCOM MACDILL AFB FL", "IMMEDIATE"),
      addr(None, "COMDT COGARD WASHINGTON DC", "IMMEDIATE", "0745-0748"))),
    # Two TO lines, then an XMT (exempted) line whose addressees are not INFO addressees.
    ("08STATE116943", None, "P", "2008-11-03T18:12Z", addr(None, "SECSTATE WASHDC"),
     (addr(None, "SECURITY OFFICER COLLECTIVE", "PRIORITY"),
      addr(None, "AMEMBASSY TRIPOLI", "PRIORITY")),
     (addr(None, "AMCONSUL CASABLANCA", "PRIORITY"),)),
    # A serial glued to the name: "TO RUEHC/SECSTATE WASHDC0000".
    ("07CAIRO1417", "VZCZCXYZ0000", "R", "2007-05-14T14:23Z",
     addr("RUEHEGA", "AMEMBASSY CAIRO"),
     (addr("RUEHC", "SECSTATE WASHDC", None, "0000", "DEPT OF STATE WASHINGTON DC"),),
     (addr(None, "ARAB ISRAELI COLLECTIVE"), addr(None, "ARAB LEAGUE COLLECTIVE"))),
    # FM followed directly by INFO: a cable with no TO addressee.
    ("08STATE125686", None, "R", "2008-11-27T02:30Z", addr(None, "SECSTATE WASHDC"),
     (), (addr(None, "AMEMBASSY PANAMA"),)),
]


@pytest.mark.parametrize("ref, tid, precedence, dtg, from_, to, info", HEADERS,
                         ids=[row[0] for row in HEADERS])
def test_header_fields(ref, tid, precedence, dtg, from_, to, info):
    c = cable(ref)
    assert (c.transmission_id, c.precedence, c.dtg) == (tid, precedence, dtg)
    assert c.from_ == from_
    assert c.to == to
    assert c.info == info


# --- single addressees of the odd shapes found in the survey ------------------------------------

ADDRESSEES = [
    # (page, block, the addressee as it must be read)
    # "TORUEHC/…": keyword glued to the route.
    ("08ECTION01OF02MANAMA492", "to",
     addr("RUEHC", "SECSTATE WASHDC", "PRIORITY", "8009", "DEPT OF STATE WASHINGTON DC")),
    # The serial written before the precedence: "RUEHLO/AMEMBASSY LONDON 8778 PRIORITY".
    ("08TRIPOLI803", "info",
     addr("RUEHLO", "AMEMBASSY LONDON", "PRIORITY", "8778", "AMEMBASSY LONDON")),
    # A misspelt precedence ("PIORITY"), and a three-digit (clipped) serial.
    ("09BAKU179", "info", addr(None, "AMEMBASSY NEW DELHI", "PRIORITY")),
    ("09BAKU179", "info", addr(None, "AMCONSUL ISTANBUL", "PRIORITY", "012")),
    # A task force's number is its name, not a serial; an office suffix stays in the name.
    ("09TOKYO1441", "info", addr("RUAYJAA", "CTF 72")),
    ("09TOKYO1441", "info",
     addr("RUEKJCS", "JOINT STAFF WASHDC//J5//", station="JOINT STAFF WASHINGTON DC")),
    # "RUEHUNV/USMISSION UNVIE VIENNA0162": a serial glued to the name after a route.
    ("08THEHAGUE553", "info",
     addr("RUEHUNV", "USMISSION UNVIE VIENNA", None, "0162", "USMISSIN UNVIE VIENNA")),
    # A route the table only knows as a block ("RUEAWJA THRU RUEAWJD").
    ("06BOGOTA405", "info",
     addr("RUEAWJC", "DEPT OF JUSTICE WASHDC", station="DEPT OF JUSTICE WASHINGTON DC")),
    # "JAN LIMA" glued to La Paz by the site's processing: kept as written.
    ("06BOGOTA405", "info",
     addr("RUEHLP", "AMEMBASSY LA PAZ JAN LIMA", None, "3112", "AMEMBASSY LA PAZ")),
]


@pytest.mark.parametrize("ref, block, expected", ADDRESSEES,
                         ids=[f"{r[0]}-{r[2].name}" for r in ADDRESSEES])
def test_odd_addressee_lines(ref, block, expected):
    found = [a for a in getattr(cable(ref), block) if a.name == expected.name]
    assert found == [expected]


BLOCK_SIZES = [
    # A blank line inside the INFO block does not end it (the 9th INFO line follows it).
    ("06BOGOTA1145", 1, 9, "USINT HAVANA"),
    # One- and two-character debris lines ("R", "E") are no addressees.
    ("08ASMARA543", 1, 13, "COMUSNAVCENT"),
    # A copy with an e-mail preamble ("From: CBPC, EACTAPP" / "To: EACTTripoli") before the header.
    ("08TRIPOLI540", 1, 9, "AMEMBASSY TRIPOLI"),
    # Classification lines and a "From:" form above the real header (a DB printout).
    ("03ABUDHABI2641", 1, 8, "USCINCCENT MACDILL AFB FL//CCJ2/POLAD//"),
    # XMT (exempted) line ends the INFO block.
    ("07SANJOSE1106", 1, 3, "AIT TAIPEI"),
]


@pytest.mark.parametrize("ref, n_to, n_info, last_info", BLOCK_SIZES,
                         ids=[r[0] for r in BLOCK_SIZES])
def test_block_sizes(ref, n_to, n_info, last_info):
    c = cable(ref)
    assert (len(c.to), len(c.info)) == (n_to, n_info)
    assert c.info[-1].name == last_info


def test_from_line_instead_of_fm():
    """09TIJUANA1116's header is "301931Z OCT 09 / From: AMCONSUL TIJUANA": no precedence letter."""
    c = cable("09TIJUANA1116")
    assert (c.precedence, c.dtg) == (None, "2009-10-30T19:31Z")
    assert c.from_ == addr(None, "AMCONSUL TIJUANA")
    assert c.to == () and c.info == ()


def test_unreadable_dtg_is_a_warning():
    """79TEHRAN8980's header with the DTG's day (13) garbled to 41: no date, a warning."""
    header_text = extract(page_path("79TEHRAN8980").read_text(encoding="utf-8"))[0].header
    garbled = header_text.replace("R 130458Z AUG 79", "R 410458Z AUG 79")
    assert garbled != header_text
    header = parse_header(garbled, routes())
    assert (header.precedence, header.dtg) == ("R", None)
    assert header.warnings == ("unreadable date-time group 'R 410458Z AUG 79'",)
    assert header.from_ == addr(None, "AMEMBASSY TEHRAN")


def test_no_header_gives_empty_fields():
    header = parse_header("", routes())
    assert header.from_ is None and header.to == () and header.dtg is None and not header.warnings


# --- split of plain text -------------------------------------------------------------------------

SPLITS = [
    # (page, first characters of the body)
    ("06BOGOTA1145", "C O N F I D E N T I A L BOGOTA 001145"),   # blank line inside the header
    ("03ABUDHABI2641", "C O N F I D E N T I A L ABU DHABI 002641"),  # classification above VZCZC
    ("08TRIPOLI453", "C O N F I D E N T I A L TRIPOLI 000453"),  # "TelegramC O N F…" above VZCZC
    ("08STATE23763", "Friday, 07 March 2008, 15:00"),  # body opens with a date line
    ("09LONDON109", "UNCLAS LONDON 000109"),  # old-style INFO after "DEPT OF …" lines
    ("08STATE116943", "S E C R E T STATE 116943"),  # XMT line and distribution block
    ("90CAPETOWN97", "C O N F I D E N T I A L SECTION 01 OF 03 CAPE TOWN 00097"),
    ("08TRIPOLI554", "UNCLAS TRIPOLI 000554"),  # addressees without routes down to the body
]


@pytest.mark.parametrize("ref, body_start", SPLITS, ids=[r[0] for r in SPLITS])
def test_split_of_a_text_dump(ref, body_start):
    """A text dump is the page's header then its body: the split must give both back."""
    x = extract(page_path(ref).read_text(encoding="utf-8"))[0]
    text = x.header.rstrip() + "\n\n" + x.body.lstrip("\n")
    header, body = split_header_body(text)
    assert header.strip() == x.header.strip()
    assert body.lstrip().startswith(body_start)
    assert body.strip() == x.body.strip()


def test_split_of_the_blog_page():
    x = extract(require(BLOG_PAGE).read_text(encoding="utf-8"))[0]
    assert x.header.startswith("VZCZCXRO1728\n")
    assert x.header.rstrip().endswith("RUEHAST/USOFFICE ASTANA 0118")
    assert x.body.startswith("UNCLAS SECTION 01 OF 02 ASTANA 000038")


def test_split_ignores_fm_in_a_body():
    """A body alone ("FM LAVROV …" lines and all) has no header to cut off."""
    x = extract(page_path("79TEHRAN8980").read_text(encoding="utf-8"))[0]
    body = x.body.replace("SUBJECT: NEGOTIATIONS", "SUBJECT: NEGOTIATIONS\nFM LAVROV SAID")
    header, rest = split_header_body(body)
    assert header.strip() == ""
    assert rest == body


# --- date-time groups ----------------------------------------------------------------------------

DTGS = [
    ("P 240336Z APR 06", "2006-04-24T03:36Z"),      # 06ASTANA38
    ("P R 281848Z DEC 66", "1966-12-28T18:48Z"),    # 66BUENOSAIRES2481
    ("061428Z Jun 03", "2003-06-06T14:28Z"),        # 03ANKARA3694: lower-case month
    ("R 061344Z APR 06 ZDK", "2006-04-06T13:44Z"),  # 06BOGOTA3049: trailing service marks
    ("R 310930Z FEB 06", None),                     # no such day
    ("R 302460Z JAN 06", None),                     # no such minute
]


@pytest.mark.parametrize("text, iso", DTGS, ids=[t for t, _ in DTGS])
def test_dtg_to_iso(text, iso):
    assert dtg_to_iso(text) == iso


# --- Origin from the FM name ---------------------------------------------------------------------

ORIGINS = [
    ("AMEMBASSY ASTANA", "Embassy Astana"),                 # 06ASTANA... pages of 2007+
    ("USOFFICE ASTANA", "Embassy Astana"),                  # 06ASTANA38
    ("AMCONSUL JERUSALEM", "Consulate Jerusalem"),
    ("AMCONSUL RIO DE JANEIRO", "Consulate Rio De Janeiro"),
    ("AMEMBASSY DAR ES SALAAM", "Embassy Dar Es Salaam"),
    ("AMEMBASSY TRIPOLI LY", "Embassy Tripoli"),            # country code after the city
    ("AMEMBASSY KIEV", "Embassy Kyiv"),                     # the site's current spelling
    ("AMCONSUL CALCUTTA", "Consulate Kolkata"),
    ("SECSTATE WASHDC", "Secretary of State"),
    ("USMISSION USNATO", "Mission USNATO"),
    ("USMISSION USUN NEW YORK", "USUN New York"),
    ("USMISSION UNVIE VIENNA", "UNVIE"),
    ("USMISSION GENEVA", "US Mission Geneva"),
    ("USDEL SECRETARY//EUROPE//", "US Delegation, Secretary"),
    ("USINT HAVANA", "US Interests Section Havana"),
    ("AIT TAIPEI", "American Institute Taiwan, Taipei"),
    ("RPO DUBAI", "Iran RPO Dubai"),
    ("USLO TRIPOLI", "Embassy Tripoli"),
    ("REO BASRAH", "REO Basrah"),
    ("", None),
]


@pytest.mark.parametrize("name, origin", ORIGINS, ids=[n or "empty" for n, _ in ORIGINS])
def test_origin_from_station(name, origin):
    assert origin_from_station(name) == origin


def test_origin_rules_reproduce_the_site_on_format_fixtures():
    """Every fixture page with an FM line: the rule gives the page's own Origin column."""
    checked = 0
    for tar in FORMAT_TARS:
        for path in sorted(unpack(tar).rglob("*.html")):
            for x in extract(path.read_text(encoding="utf-8", errors="replace")):
                header = parse_header(x.header, {})
                if header.from_ is None or not x.origin:
                    continue
                assert origin_from_station(header.from_.name) == x.origin, path.name
                checked += 1
    assert checked > 200
