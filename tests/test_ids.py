"""The canonicalizer of reference ids and station names (cables.ids).

Every garbled id below is a real one of cable2month.csv.gz (most also have a mirror page); the
expected canonical id was checked against the known ids (where it exists there, the garbled one
is a second copy of that cable) or against the page's own serial line and DE line.
"""

from __future__ import annotations

import pytest

from cables.ids import (
    ID_STATIONS,
    canonical_id,
    canonical_station,
    full_year,
    is_valid_id,
    make_id,
    other_station_names,
    parse_id,
)
from conftest import KNOWN_IDS_CSV, known_ids, require

CANONICAL_IDS = [
    # (as written, canonical id) — case, blanks and zero padding
    ("06ASTANA38", "06ASTANA38"),
    ("06astana38", "06ASTANA38"),
    (" 06 Astana 038 ", "06ASTANA38"),
    ("06ASTANA000038", "06ASTANA38"),
    ("2006ASTANA38", "06ASTANA38"),
    # fragments of "SECTION 01 OF 02" before the station (mirror pages of these exist)
    ("08ECTION01OF02MANAMA492", "08MANAMA492"),
    ("08SCTION02OF02SAOPAULO335", "08SAOPAULO335"),
    ("09SECTION01OF03SANJOSE525", "09SANJOSE525"),
    ("06SECTION01O02HONGKONG2311", "06HONGKONG2311"),
    ("09SECTION0QF05HANOI297", "09HANOI297"),
    ("0901OF02RPODUBAI288", "09RPODUBAI288"),
    # ... with a garbled station too
    ("07SECTION02OF03EIJING483", "07BEIJING483"),
    ("09SECTION02OF03QRIPOLI583", "09TRIPOLI583"),
    # rules cannot read these: the page's DE line says #1021; no 09BRUSSELS1234 exists
    ("08SECTION01GF02BISHIEK21", "08BISHKEK1021"),
    ("09SECTION01OF03BRUSSELS1234", "09USEUBRUSSELS1234"),
    # handling words and the address glued to the station
    ("08EFTOLONDON2883", "08LONDON2883"),
    ("09EFTOTRIPOLI704", "09TRIPOLI704"),
    ("09AMEMBASSYHANOI1284", "09HANOI1284"),
    ("85NOFORNMOGADISHU1643", "85MOGADISHU1643"),
    ("09SIFIEDABUJA1673", "09ABUJA1673"),
    # the year written twice (a final-release fixture page is named so)
    ("7575LIBREVILLE1895", "75LIBREVILLE1895"),
    # trailers after a zero-padded serial
    ("06MADRID002583ZFR2585", "06MADRID2583"),
    ("07OSLO000160ZDK164", "07OSLO160"),
    ("90STATE255195TOSEC140301", "90STATE255195"),
    ("08ACCRA001382SUSPECTEDDUPLICATE1392", "08ACCRA1382"),
    # misspelled stations
    ("08BANGOK1382", "08BANGKOK1382"),
    ("07QXICO3307", "07MEXICO3307"),
    ("10AQNA272", "10ASTANA272"),
    ("08THEHAGU799", "08THEHAGUE799"),
    ("06AITTAIPIE2654", "06TAIPEI2654"),
    ("08AITTAIPIE1698", "08AITTAIPEI1698"),
    # a lost serial
    ("06ASTANA", "06ASTANA204"),
    # station spellings of citations
    ("06SECSTATE12345", "06STATE12345"),
    ("06USUN12", "06USUNNEWYORK12"),
    ("04USEU3226", "04USEUBRUSSELS3226"),
    # valid ids of one post under two names stay as the world cites them
    ("06KIEV4", "06KIEV4"),
    ("08KYIV1557", "08KYIV1557"),
    ("06TAIPEI2800", "06TAIPEI2800"),
    ("08PARISFR12", "08PARISFR12"),
    ("07USEUBRUSSELS12", "07USEUBRUSSELS12"),
    # not an id at all: compacted, never raises
    ("", ""),
    ("hello world", "HELLOWORLD"),
]


@pytest.mark.parametrize(("written", "expected"), CANONICAL_IDS)
def test_canonical_id(written, expected):
    assert canonical_id(written) == expected


STATIONS = [
    # (as written in a citation or address, station part of ids)
    ("ALMATY", "ALMATY"),
    ("Astana", "ASTANA"),
    ("USUN NEW YORK", "USUNNEWYORK"),
    ("USUN", "USUNNEWYORK"),
    ("SECSTATE", "STATE"),
    ("SECSTATE WASHDC", "STATE"),
    ("STATE", "STATE"),
    ("DEPTEL", "STATE"),
    ("USNATO", "USNATO"),
    ("THE HAGUE", "THEHAGUE"),
    ("HAGUE", "THEHAGUE"),
    ("SAO PAULO", "SAOPAULO"),
    ("PORT-AU-PRINCE", "PORTAUPRINCE"),
    ("USEU BRUSSELS", "USEUBRUSSELS"),
    ("USEU", "USEUBRUSSELS"),
    ("UNVIE", "UNVIEVIENNA"),
    ("AMEMBASSY LONDON", "LONDON"),
    ("HO CHI MINH CITY", "HOCHIMINHCITY"),
    ("HCMC", "HOCHIMINHCITY"),
    ("TGG", "TEGUCIGALPA"),
    ("KUALA LUMP", "KUALALUMPUR"),
    ("BRUSSELS", "BRUSSELS"),  # the embassy: not USEU, not USNATO
    ("VIENNA", "VIENNA"),      # not UNVIE, not USOSCE
    ("SECDEF", "SECDEF"),      # not a station of ids: compacted as is
]


@pytest.mark.parametrize(("written", "expected"), STATIONS)
def test_canonical_station(written, expected):
    assert canonical_station(written) == expected


MADE_IDS = [
    ((2006, "ALMATY", "1450"), "06ALMATY1450"),
    ((6, "ASTANA", 33), "06ASTANA33"),
    (("05", "USUN NEW YORK", "0012"), "05USUNNEWYORK12"),
    ((1975, "SECSTATE", 272523), "75STATE272523"),
    ((2004, "THE HAGUE", "03525"), "04THEHAGUE3525"),
]


@pytest.mark.parametrize(("args", "expected"), MADE_IDS)
def test_make_id(args, expected):
    assert make_id(*args) == expected


PARSED_IDS = [
    ("06ASTANA38", ("06", "ASTANA", 38)),
    ("06astana038", ("06", "ASTANA", 38)),
    ("08ECTION01OF02MANAMA492", ("08", "MANAMA", 492)),
    ("66BUENOSAIRES2481", ("66", "BUENOSAIRES", 2481)),
    ("no id", None),
]


@pytest.mark.parametrize(("written", "expected"), PARSED_IDS)
def test_parse_id(written, expected):
    assert parse_id(written) == expected


VALIDITY = [
    ("06ASTANA38", True),
    ("06astana038", True),
    ("08KYIV1557", True),
    ("08ECTION01OF02MANAMA492", False),
    ("08EFTOLONDON2883", False),
    ("08BANGOK1382", False),
    ("06ASTANA", False),
    ("06SECSTATE12345", False),  # a citation spelling, not an id
    ("ASTANA38", False),
]


@pytest.mark.parametrize(("written", "expected"), VALIDITY)
def test_is_valid_id(written, expected):
    assert is_valid_id(written) is expected


def test_full_year_spans_1966_to_2010():
    assert [full_year(y) for y in ("66", "99", "00", "10", 6)] == [1966, 1999, 2000, 2010, 2006]


def test_same_post_names():
    assert other_station_names("KIEV") == ("KYIV",)
    assert other_station_names("TAIPEI") == ("AITTAIPEI",)
    assert other_station_names("BRUSSELS") == ()


def test_every_known_id_canonicalizes_to_a_known_station():
    """The whole universe of 251,287 ids: each canonical id is YY + a station of ids + serial."""
    require(KNOWN_IDS_CSV)
    ids = known_ids()
    assert len(ids) > 251_000
    odd = sorted(i for i in ids if (parse_id(i) or ("", "", 0))[1] not in ID_STATIONS)
    assert odd == []
    assert "08MANAMA492" in ids and "08ECTION01OF02MANAMA492" not in ids


def test_the_shortcut_for_canonical_ids_gives_what_the_full_reading_gives():
    """An id already canonical (YY + a station of ids + serial without leading zero) is returned
    as it is; over the 251,287 ids of the list, as written there, the full token reading agrees."""
    import gzip

    from cables.ids import ID_CORRECTIONS, _canonical_compact, _canonical_from_tokens

    require(KNOWN_IDS_CSV)
    with gzip.open(KNOWN_IDS_CSV, "rt", encoding="utf-8") as f:
        written = [line.split(",", 1)[0].strip().upper() for line in f if line[:1].isdigit()]
    assert len(written) > 251_000
    differing = [key for key in written
                 if _canonical_compact(key) != ID_CORRECTIONS.get(key, _canonical_from_tokens(key))]
    assert differing == []
    for key in ("06ASTANA038", "08ECTION01OF02MANAMA492", "06AITTAIPIE2654"):  # not shortcuts
        assert _canonical_compact(key) == canonical_id(key) != key
