"""Never invent an id: an id read from a cable's text names a station of the ids (words glued in
front dropped) or none is made; with the known ids, one they lack is said so on the record.

The glued shapes are real: 09CAIRO269's header ends ``CIA WASHDC IMMEDIATE`` and 86MADRID5480's
``AMEMBASSY TUNIS``, before ``S E C R E T CAIRO 000269`` / ``S E C R E T MADRID 05480``; other
tools read them as 09CIAWASHDCIMMEDIATESECRETCAIRO269 and 86AMEMBASSYTUNISSECRETMADRID5480.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cables import EMPTY_CONTEXT, ParseError, parse_one
from cables.ids import canonical_id, glued_station_readings, id_readings, known_reading
from cables.parse.extract import extract
from cables.parse.preamble import strip_preamble

from conftest import BLOG_PAGE, full_context, page_path, require

GLUED_STATIONS = [
    # (letters, stations they may name, best first)
    ("CIAWASHDCIMMEDIATESECRETCAIRO", ("CAIRO",)),
    ("AMEMBASSYTUNISSECRETMADRID", ("MADRID",)),
    ("EFTOLONDON", ("LONDON",)),
    ("INFOSECSTATE", ("STATE",)),
    ("SECRETUSNATOBRUSSELS", ("USNATO", "BRUSSELS")),
    # a front that is no run of known words names nothing: no guess
    ("XYZMADRID", ()),
    ("AMEMBASSYXTUNIS", ()),
    ("SECRETKL", ()),  # short names of citations are not read out of glued letters
]


@pytest.mark.parametrize("letters, stations", GLUED_STATIONS)
def test_glued_station_readings(letters, stations):
    assert glued_station_readings(letters) == stations


def test_glued_ids_are_canonicalised_to_their_station():
    assert canonical_id("09CIAWASHDCIMMEDIATESECRETCAIRO269") == "09CAIRO269"
    assert canonical_id("86AMEMBASSYTUNISSECRETMADRID5480") == "86MADRID5480"
    assert canonical_id("09XYZMADRID1") == "09XYZMADRID1"  # as written, not a guessed station


def test_a_known_reading_is_preferred():
    assert id_readings("09SECRETUSNATOBRUSSELS12")[:2] == ("09USNATO12", "09BRUSSELS12")
    assert known_reading("09SECRETUSNATOBRUSSELS12", {"09BRUSSELS12"}) == "09BRUSSELS12"
    assert known_reading("09SECRETUSNATOBRUSSELS12", {"09PARIS12"}) is None


# --- on the record ----------------------------------------------------------------------------

SYNTHETIC = """\
R 221015Z FEB 01
FM AMCONSUL DHAHRAN
TO SECSTATE WASHDC 3310
{serial_line}

E.O. 12958: N/A
TAGS: ECON, SA
SUBJECT: A TENDER FOR A DESALINATION PLANT

1. Saudi Aramco asked six firms to bid for a plant on the coast.
"""


@pytest.mark.parametrize("serial_line, expected", [
    ("UNCLAS DHAHRAN 000412", "01DHAHRAN412"),
    ("AMEMBASSY RIYADH IMMEDIATEUNCLAS DHAHRAN 000412", "01DHAHRAN412"),
    ("UNCLAS SECTION 01 OF 02 DHAHRAN 000412", "01DHAHRAN412"),
])
def test_id_read_from_the_serial_line(serial_line, expected):
    cable = parse_one(SYNTHETIC.format(serial_line=serial_line))
    assert cable.canonical_id == expected


@pytest.mark.parametrize("serial_line", ["UNCLAS QQ DHAHRAN 000412", "UNCLAS NOWHERE 000412",
                                         "UNCLAS XDHAHRAN 000412"])
def test_a_serial_line_of_no_known_station_makes_no_id(serial_line):
    with pytest.raises(ParseError, match="no known station"):
        parse_one(SYNTHETIC.format(serial_line=serial_line), source="synthetic.txt")


def test_stated_ids_the_known_ids_lack_are_warned_of():
    """06ASTANA38 (blog copy) is known; its REF C, ASTANA 5, is not (06ASTANA5)."""
    cable = parse_one(require(BLOG_PAGE).read_bytes(), context=full_context())
    assert cable.canonical_id == "06ASTANA38"
    assert [w for w in cable.warnings if w.startswith("unknown-id")] == ["unknown-id: REF C 06ASTANA5"]
    export = f"06ASTANA99999\n\nMon Apr 24 00:00:00 +0600 2006\nUNCLASSIFIED\nAstana\n"
    assert "unknown-id: 06ASTANA99999 is not in the known ids" in parse_one(export, context=full_context()).warnings


def test_a_stated_id_of_no_known_station_is_warned_of_without_known_ids():
    export = "01NOWHERE412\n\nFri Feb 23 00:00:00 +0100 2001\nUNCLASSIFIED\nNowhere\n"
    cable = parse_one(export, context=EMPTY_CONTEXT)
    assert cable.canonical_id == "01NOWHERE412"
    assert any(w.startswith("unknown-station: 01NOWHERE412") for w in cable.warnings)


# --- the property: glued words and page debris never make up an id ------------------------------

# Real cables of the mirror, each with its real header, serial line and DTG.
REAL = ["09CAIRO269", "86MADRID5480", "06BOGOTA3049", "79TEHRAN8980", "08TRIPOLI220", "06MOSCOW9533"]


@cache
def _header_and_body(reference_id: str) -> tuple[str, str, str]:
    x = extract(page_path(reference_id).read_text(encoding="utf-8"))[0]
    body = strip_preamble(x.body)[0].lstrip()
    return x.header.strip("\n"), body, parse_one(page_path(reference_id).read_bytes()).canonical_id


GLUED_WORDS = st.sampled_from([
    "AMEMBASSY", "AMCONSUL", "TUNIS", "CIA", "WASHDC", "SECSTATE", "IMMEDIATE", "PRIORITY", "ROUTINE",
    "SECRET", "CONFIDENTIAL", "UNCLAS", "EFTO", "NOFORN", "INFO", "RUEHC/", "8861", "1637", "BT", " ",
])
DEBRIS_LINES = st.sampled_from([
    "", " ", "BT", "NNNN", "#0269", "PAGE 02 STATE 023763 071504Z", "PAGE 01", "- - - - -",
    "CAIRO 00000269  002 OF 003", "MADRID 00005480  001.2 OF 002", "SECTION 02 OF 03", "ZZZZ", ">",
])
PROPERTY = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(reference_id=st.sampled_from(REAL),
       prefix=st.lists(st.one_of(GLUED_WORDS, st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=5)),
                       max_size=5).map("".join),
       separator=st.sampled_from(["", " "]), onto_header=st.booleans(),
       before=st.lists(DEBRIS_LINES, max_size=3), after=st.lists(DEBRIS_LINES, max_size=3),
       known=st.booleans())
def test_glued_prefixes_and_debris_give_the_real_id_or_a_parse_error(
        reference_id, prefix, separator, onto_header, before, after, known):
    header, body, real = _header_and_body(reference_id)
    serial_line, _, rest = body.partition("\n")
    glued = prefix + separator + serial_line
    lines = [header + glued] if onto_header else [header, *before, glued]
    text = "\n".join([*lines, *after, rest])
    try:
        cable = parse_one(text, source="fuzz", context=full_context() if known else EMPTY_CONTEXT)
    except ParseError:
        return
    assert cable.canonical_id == real, (text[:1500], cable.warnings)
