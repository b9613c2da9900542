"""Reference ids and station names: the one canonicalizer of the project.

A reference id is ``YY`` + station + serial: ``06ASTANA38`` is the 38th cable Embassy Astana
sent in 2006. Every layer that compares, stores or links ids goes through :func:`canonical_id`,
so that ``06astana38``, ``06ASTANA038`` and the garbled ids WikiLeaks published
(``08ECTION01OF02MANAMA492``) meet at one key; REF citations reach the same key through
:func:`canonical_station` / :func:`make_id`.

What was surveyed (the 251,287 known ids of ``cable2month.csv.gz``, the 6,712 mirror pages and
their REF citations) and what it decided:

* Valid station parts are kept as they are, even where one post was filed under two names
  (``KIEV``/``KYIV``, ``CALCUTTA``/``KOLKATA``, ``TAIPEI``/``AITTAIPEI``,
  ``PARISFR``/``UNESCOPARISFR``, ``BELIZE``/``BELMOPAN``…): those are the ids the world cites,
  and their serial series never collide. :data:`SAME_POST` lists such names so that a citation
  (``KIEV 1234`` in 2008) can be resolved against the known ids.
* Distinct stations that share a city stay distinct: ``BRUSSELS`` (the embassy), ``USEUBRUSSELS``
  and ``USNATO``; ``VIENNA``, ``UNVIEVIENNA`` and ``USOSCE``; ``ROME``, ``UNROME`` and
  ``VATICAN``; ``GENEVA`` and ``CDGENEVA``; ``DUBAI`` and ``RPODUBAI`` (their serials overlap).
* 135 known ids are garbled. Their classes and fixes:

  - a fragment of the ``SECTION 01 OF 02`` line before the station:
    ``08ECTION01OF02MANAMA492`` → ``08MANAMA492``, ``0901OF02RPODUBAI288`` → ``09RPODUBAI288``;
  - a handling word or address glued to the station: ``08EFTOLONDON2883`` → ``08LONDON2883``,
    ``09AMEMBASSYHANOI1284``, ``85NOFORNMOGADISHU1643``, ``09SIFIEDABUJA1673`` (from
    UNCLASSIFIED);
  - a misspelled station: ``08BANGOK1382`` → ``08BANGKOK1382`` (:data:`GARBLED_STATIONS`);
  - the year written twice: ``7575LIBREVILLE1895`` → ``75LIBREVILLE1895``;
  - a trailer after a zero-padded serial: ``06MADRID002583ZFR2585`` → ``06MADRID2583``,
    ``90STATE255195TOSEC140301`` → ``90STATE255195``;
  - a few that no rule can read, checked one by one against the known ids
    (:data:`ID_CORRECTIONS`): ``08SECTION01GF02BISHIEK21`` is ``08BISHKEK1021`` (its DE line
    says ``#1021``), ``09SECTION01OF03BRUSSELS1234`` is ``09USEUBRUSSELS1234``.

Everything here is pure and cached: it is called for every id and every citation of a corpus.
"""

from __future__ import annotations

import re
from collections.abc import Set
from functools import lru_cache

# The station parts of the known ids (garbled ones excluded), i.e. the names ids are made of.
ID_STATIONS: frozenset[str] = frozenset("""
ABIDJAN ABUDHABI ABUJA ACCRA ADANA ADDISABABA AITTAIPEI ALEXANDRIA ALGIERS ALMATY AMMAN AMSTERDAM
ANKARA ANTANANARIVO APIA ASHGABAT ASMARA ASTANA ASUNCION ATHENS AUCKLAND BAGHDAD BAKU BAMAKO
BANDARSERIBEGAWAN BANGKOK BANGUI BANJUL BARCELONA BASRAH BEIJING BEIRUT BELFAST BELGRADE BELIZE
BELMOPAN BERLIN BERN BISHKEK BOGOTA BONN BRASILIA BRATISLAVA BRAZZAVILLE BRIDGETOWN BRUSSELS
BUCHAREST BUDAPEST BUENOSAIRES BUJUMBURA CAIRO CALCUTTA CALGARY CANBERRA CAPETOWN CARACAS CASABLANCA
CDGENEVA CHENGDU CHENNAI CHIANGMAI CHISINAU CIUDADJUAREZ COLOMBO CONAKRY COPENHAGEN COTONOU CURACAO
DAKAR DAMASCUS DARESSALAAM DHAHRAN DHAKA DILI DJIBOUTI DOHA DUBAI DUBLIN DURBAN DUSHANBE DUSSELDORF
FESTTWO FLORENCE FRANKFURT FREETOWN FSCCHARLESTON FSINFATC FUKUOKA GABORONE GENEVA GEORGETOWN
GRENADA GUADALAJARA GUANGZHOU GUATEMALA GUAYAQUIL HALIFAX HAMBURG HAMILTON HANOI HARARE HAVANA
HELSINKI HERMOSILLO HILLAH HOCHIMINHCITY HONGKONG HYDERABAD IRANRPODUBAI ISLAMABAD ISTANBUL IZMIR
JAKARTA JEDDAH JERUSALEM JOHANNESBURG KABUL KADUNA KAMPALA KARACHI KATHMANDU KHARTOUM KIEV KIGALI
KINGSTON KINSHASA KIRKUK KOLKATA KOLONIA KOROR KRAKOW KUALALUMPUR KUWAIT KYIV LAGOS LAHORE LAPAZ
LEIPZIG LENINGRAD LIBREVILLE LILONGWE LIMA LISBON LJUBLJANA LOME LONDON LUANDA LUSAKA LUXEMBOURG
MADRAS MADRID MAJURO MALABO MANAGUA MANAMA MANILA MAPUTO MARSEILLE MASERU MATAMOROS MBABANE
MELBOURNE MERIDA MEXICO MILAN MINSK MOGADISHU MONROVIA MONTERREY MONTEVIDEO MONTREAL MOSCOW MOSUL
MUMBAI MUNICH MUSCAT NAGOYA NAHA NAIROBI NAPLES NASSAU NDJAMENA NEWDELHI NIAMEY NICOSIA NOGALES
NOUAKCHOTT NUEVOLAREDO OSAKAKOBE OSLO OTTAWA OUAGADOUGOU PANAMA PARAMARIBO PARIS PARISFR PARTO PERTH
PESHAWAR PHNOMPENH PODGORICA PONTADELGADA PORTAUPRINCE PORTLOUIS PORTMORESBY PORTOFSPAIN PRAGUE
PRAIA PRETORIA PRISTINA QUEBEC QUITO RABAT RANGOON RECIFE REYKJAVIK RIGA RIODEJANEIRO RIYADH ROME
RPODUBAI SANAA SANJOSE SANSALVADOR SANTIAGO SANTODOMINGO SAOPAULO SAPPORO SARAJEVO SEOUL SHANGHAI
SHENYANG SINGAPORE SKOPJE SOFIA STATE STOCKHOLM STPETERSBURG STRASBOURG SURABAYA SUVA SYDNEY TAIPEI
TALLINN TASHKENT TBILISI TEGUCIGALPA TEHRAN TELAVIV THEHAGUE THESSALONIKI TIJUANA TIRANA TOKYO
TORONTO TRIPOLI TUNIS ULAANBAATAR UNESCOPARIS UNESCOPARISFR UNROME UNVIEVIENNA USEUBRUSSELS USNATO
USOSCE USTRGENEVA USUNNEWYORK VALLETTA VANCOUVER VATICAN VIENNA VIENTIANE VILNIUS VLADIVOSTOK WARSAW
WASHDC WELLINGTON WINDHOEK YAOUNDE YEKATERINBURG YEREVAN ZAGREB
""".split())

# Misspelled station parts of known ids (each seen in cable2month.csv.gz) → the station.
GARBLED_STATIONS: dict[str, str] = {
    "AITTAIPIE": "AITTAIPEI", "ANILA": "MANILA", "ANOI": "HANOI", "AQNA": "ASTANA",
    "ARAJEVO": "SARAJEVO", "ATANANARIVO": "ANTANANARIVO", "BANGOK": "BANGKOK", "BAU": "BAKU",
    "BEIJIG": "BEIJING", "BEIRT": "BEIRUT", "BELGADE": "BELGRADE", "BISHIEK": "BISHKEK",
    "BRAILIA": "BRASILIA", "BRASIIA": "BRASILIA", "BRUSELS": "BRUSSELS", "BRUSSLS": "BRUSSELS",
    "BRUSSQLS": "BRUSSELS", "BUENOSQRES": "BUENOSAIRES", "BUSSELS": "BRUSSELS",
    "COPENHAEN": "COPENHAGEN", "DAMASCCUS": "DAMASCUS", "DULIN": "DUBLIN", "EIJING": "BEIJING",
    "GEORGETON": "GEORGETOWN", "GUATEMLA": "GUATEMALA", "HONGKOG": "HONGKONG",
    "IHARTOUM": "KHARTOUM", "INSHASA": "KINSHASA", "KAPALA": "KAMPALA", "KINHASA": "KINSHASA",
    "KINSHAA": "KINSHASA", "LINSK": "MINSK", "MAAMA": "MANAMA", "MAILA": "MANILA",
    "MILSK": "MINSK", "MINSI": "MINSK", "NDJAENA": "NDJAMENA", "NOUKKCHOTT": "NOUAKCHOTT",
    "NSSAU": "NASSAU", "PORTOFPAIN": "PORTOFSPAIN", "POTAUPRINCE": "PORTAUPRINCE",
    "QRIPOLI": "TRIPOLI", "QXICO": "MEXICO", "RUSSELS": "BRUSSELS", "SANODOMINGO": "SANTODOMINGO",
    "SANTOOMINGO": "SANTODOMINGO", "SARAEVO": "SARAJEVO", "SOIA": "SOFIA", "THEHAGE": "THEHAGUE",
    "THEHAGU": "THEHAGUE", "TILISI": "TBILISI",
}

# How REF citations and addresses name a station, when that differs from the id spelling.
# Only names that mean the very same station are here (USEU is not BRUSSELS, UNVIE not VIENNA).
CITATION_STATIONS: dict[str, str] = {
    # the Department
    "SECSTATE": "STATE", "SECSTATEWASHDC": "STATE", "STATEWASHDC": "STATE", "SECSTATEDC": "STATE",
    "DEPTEL": "STATE", "DEPTELS": "STATE", "DEPT": "STATE", "DEPARTMENT": "STATE",
    "SECSTAE": "STATE", "SECSTATES": "STATE", "SECTATE": "STATE", "STAT": "STATE",
    # missions
    "USUN": "USUNNEWYORK", "USUNNY": "USUNNEWYORK", "USUNNEWYOR": "USUNNEWYORK",
    "USUNNEYORK": "USUNNEWYORK", "USMISSIONUSUNNEWYORK": "USUNNEWYORK",
    "USEU": "USEUBRUSSELS", "USEUBRUSSEL": "USEUBRUSSELS",
    "USNATOBRUSSELS": "USNATO", "USNATOBRUSSELSBE": "USNATO",
    "UNVIE": "UNVIEVIENNA", "USUNVIE": "UNVIEVIENNA", "UNVIEVIEN": "UNVIEVIENNA",
    "USMISSIONUNVIEVIENNA": "UNVIEVIENNA", "USOSCEVIENNA": "USOSCE",
    "USMISSIONGENEVA": "GENEVA", "USMISSIONUSOSCE": "USOSCE", "USMISSIONUSNATO": "USNATO",
    "UNESCOPARISFRANCE": "UNESCOPARISFR", "USUNESCOPARISFR": "UNESCOPARISFR",
    "USUNESCO": "UNESCOPARISFR", "UNESCO": "UNESCOPARISFR", "USUNROME": "UNROME",
    "AIT": "AITTAIPEI", "CD": "CDGENEVA", "USCDGENEVA": "CDGENEVA",
    # posts written in words or short
    "HAGUE": "THEHAGUE", "MEXICOCITY": "MEXICO", "DELHI": "NEWDELHI", "HCMC": "HOCHIMINHCITY",
    "HOCHIMINH": "HOCHIMINHCITY", "RIO": "RIODEJANEIRO", "STPETERSBURGRUSSIA": "STPETERSBURG",
    "SAINTPETERSBURG": "STPETERSBURG", "PETERSBURG": "STPETERSBURG", "KUWAITCITY": "KUWAIT",
    "GUATEMALACITY": "GUATEMALA", "PANAMACITY": "PANAMA", "BANDARSERI": "BANDARSERIBEGAWAN",
    "ADDIS": "ADDISABABA", "OSAKA": "OSAKAKOBE", "KOBE": "OSAKAKOBE", "DARES": "DARESSALAAM",
    "TELAVIVISRAEL": "TELAVIV", "IRANRPO": "IRANRPODUBAI",
    "BRASILA": "BRASILIA", "BRAZILIA": "BRASILIA", "DUESSELDORF": "DUSSELDORF",
    "ULANBATAAR": "ULAANBAATAR", "ULAANBATAAR": "ULAANBAATAR",
    "ULANBAATAR": "ULAANBAATAR", "NDJAMENACHAD": "NDJAMENA", "CIUDADJUARES": "CIUDADJUAREZ",
    "JUAREZ": "CIUDADJUAREZ", "PORTOFPRINCE": "PORTAUPRINCE",
    # the short names posts use for themselves, and typos seen in REF citations
    "BA": "BUENOSAIRES", "KL": "KUALALUMPUR", "TGG": "TEGUCIGALPA", "CASA": "CASABLANCA",
    "MADRIDSP": "MADRID", "BASRA": "BASRAH", "DUBAIRPO": "RPODUBAI", "KUALALUMP": "KUALALUMPUR",
    "SANJSE": "SANJOSE", "BUENOSAIREDS": "BUENOSAIRES", "SATTE": "STATE", "BEIJINJG": "BEIJING",
    "ASHBABAT": "ASHGABAT", "TALLIN": "TALLINN", "SANTIAG": "SANTIAGO", "TEGUC": "TEGUCIGALPA",
    "TRIPOLII": "TRIPOLI",
}

STATION_ALIASES: dict[str, str] = {**GARBLED_STATIONS, **CITATION_STATIONS}

# Names under which one post filed cables in different years. Never merged in ids (see the
# module doc); a citation of one name may resolve to a known id of another.
SAME_POST: tuple[frozenset[str], ...] = (
    frozenset({"KIEV", "KYIV"}),
    frozenset({"CALCUTTA", "KOLKATA"}),
    frozenset({"MADRAS", "CHENNAI"}),
    frozenset({"TAIPEI", "AITTAIPEI"}),
    frozenset({"PARISFR", "UNESCOPARISFR", "UNESCOPARIS"}),
    frozenset({"RPODUBAI", "IRANRPODUBAI"}),
    frozenset({"BELIZE", "BELMOPAN"}),
    frozenset({"LENINGRAD", "STPETERSBURG"}),
    frozenset({"STATE", "WASHDC"}),
)
_OTHER_NAMES: dict[str, tuple[str, ...]] = {
    name: tuple(sorted(group - {name})) for group in SAME_POST for name in group
}

# Garbled known ids that no rule reads right, each checked against the known ids.
ID_CORRECTIONS: dict[str, str] = {
    "08SECTION01GF02BISHIEK21": "08BISHKEK1021",       # DE RUEHEK #1021/01
    "09SECTION01OF03BRUSSELS1234": "09USEUBRUSSELS1234",  # no 09BRUSSELS1234 exists
    "06AITTAIPIE2654": "06TAIPEI2654",                 # no 06AITTAIPEI2654 exists
    "06ASTANA": "06ASTANA204",                         # the serial was lost; same cable
    "092OF5": "09STATE126780",                         # heuer/cablemap's reading; same month
}

# Words glued before a station in garbled ids: EFTO (encrypt for transmission only), the
# address form, handling words, the tail of UNCLASSIFIED.
_JUNK_PREFIX = re.compile(r"^(?:EFTO|AMEMBASSY|AMCONSUL|USMISSION|NOFORN|SIFIED|UNCLASSIFIED)+")
# Words that stand glued before the station when an id is read from text whose lines ran
# together: the header's last line on the serial line (``CIA WASHDC IMMEDIATE`` + ``SECRET CAIRO
# 000269`` → ``CIAWASHDCIMMEDIATESECRETCAIRO``), an addressee (``AMEMBASSY TUNIS``), handling and
# precedence words, classification words. Station names count as such words too (the addressee
# before the serial line names one). See :func:`glued_station_readings`.
LEADING_WORDS: frozenset[str] = frozenset("""
EFTO AMEMBASSY AMCONSUL USMISSION USDEL USLO USINT NOFORN NOCONTRACT ORCON SIPDIS SENSITIVE EXDIS
NODIS LIMDIS STADIS UNCLASSIFIED UNCLAS SIFIED CONFIDENTIAL SECRET LIMITEDOFFICIALUSE IMMEDIATE
PRIORITY ROUTINE FLASH NIACT CRITIC INFO TO FM CIA DIA NSA NSC SECDEF JCS JOINTSTAFF WASHDC
SECSTATE WHITEHOUSE SECTION OF BT
""".split())
_WORD_RUN = re.compile(
    "(?:" + "|".join(sorted(LEADING_WORDS | ID_STATIONS, key=len, reverse=True)) + ")+"
)
# What is left of "SECTION 01 OF 02" when it got into an id.
_SECTION_FRAGMENT = re.compile(r"^(?:S?E?C?T?I?[OQK]?N{0,2}|[OG]?F|QF|O)$")
_TOKEN = re.compile(r"\d+|[A-Z]+")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_NOT_ALPHA = re.compile(r"[^A-Z]+")
_CANONICAL = re.compile(r"^(\d{2})([A-Z]+)(\d+)$")


def canonical_id(reference_id: str) -> str:
    """The corrected id: ``06astana038`` → ``06ASTANA38``, ``08ECTION01OF02MANAMA492`` →
    ``08MANAMA492``, ``06 SECSTATE 12345`` → ``06STATE12345``.

    Text that is no id at all comes back upper-cased and compacted, never raises.
    """
    key = str(reference_id).upper()
    if not (key.isascii() and key.isalnum()):  # already compact (make_id's keys): no regex pass
        key = _NOT_ALNUM.sub("", key)
    return _canonical_compact(key)


@lru_cache(maxsize=1 << 19)
def _canonical_compact(key: str) -> str:
    fixed = ID_CORRECTIONS.get(key)
    if fixed is not None:
        return fixed
    whole = _CANONICAL.match(key)
    if whole and whole.group(2) in ID_STATIONS and not whole.group(3).startswith("0"):
        return key  # already canonical, as nearly every id of a list is: no token pass
    return _canonical_from_tokens(key)


def _canonical_from_tokens(key: str) -> str:
    tokens = _TOKEN.findall(key)
    if len(tokens) < 3 or not tokens[0].isdigit():
        return key
    year = _two_digit_year(tokens[0])
    if year is None:
        return key
    picked = _pick_station(tokens[1:])
    if picked is None:
        return key
    station, serial = picked
    return f"{year}{station}{int(serial)}"


def _two_digit_year(digits: str) -> str | None:
    """``06`` → ``06``; ``2006``/``1975`` → last two; ``7575`` (year written twice) and ``0901``
    (year glued to a section fragment) → first two."""
    if len(digits) == 2:
        return digits
    if len(digits) == 4:
        if digits[:2] in ("19", "20") and digits[2:] != digits[:2]:
            return digits[2:]
        return digits[:2]
    return None


def _pick_station(tokens: list[str]) -> tuple[str, str] | None:
    """The (station, serial) among letter/digit tokens: the first letter run that names a
    station and is followed by digits; failing that, the first that is no SECTION fragment."""
    pairs = [(tokens[i], tokens[i + 1]) for i in range(len(tokens) - 1)
             if tokens[i].isalpha() and tokens[i + 1].isdigit()]
    for letters, serial in pairs:
        station = _station_in_id(letters)
        if station is not None:
            return station, serial
    for letters, serial in pairs:
        if not _SECTION_FRAGMENT.match(letters):
            return letters, serial
    return None


@lru_cache(maxsize=4096)
def _station_in_id(letters: str) -> str | None:
    """A station part of an id, corrected; None when it names no known station."""
    if letters in ID_STATIONS:
        return letters
    alias = STATION_ALIASES.get(letters)
    if alias is not None:
        return alias
    stripped = _JUNK_PREFIX.sub("", letters)
    if stripped != letters and stripped:
        return _station_in_id(stripped)
    readings = glued_station_readings(letters)
    return readings[0] if readings else None


@lru_cache(maxsize=4096)
def glued_station_readings(letters: str) -> tuple[str, ...]:
    """The stations that letters with words glued in front may name, longest station first:
    ``CIAWASHDCIMMEDIATESECRETCAIRO`` → ``("CAIRO",)``, ``AMEMBASSYTUNISSECRETMADRID`` →
    ``("MADRID",)``.

    A reading is a station (or a name of one) at the end of the letters whose whole front is a
    run of :data:`LEADING_WORDS` and station names; letters with any other front name no station
    (``XYZMADRID`` → ``()``): an id is never made of a guess. A caller that knows which ids exist
    picks the first reading they hold (:func:`known_reading`).
    """
    found: list[str] = []
    for cut in range(2, len(letters) - 1):
        tail = letters[cut:]
        station = tail if tail in ID_STATIONS else STATION_ALIASES.get(tail) if len(tail) >= 5 else None
        if station is not None and station not in found and _WORD_RUN.fullmatch(letters, 0, cut):
            found.append(station)
    return tuple(found)


def station_readings(written: str, also_stations: Set[str] = frozenset()) -> tuple[str, ...]:
    """The stations that a station written in a cable's text may be, best first: the station
    :func:`canonical_station` reads (``AMEMBASSY ALMATY`` → ``ALMATY``) when ids are made of it
    or ``also_stations`` (a routing table's) has it, then readings with glued words dropped
    (:func:`glued_station_readings`). Empty when it names no known station: no id is made."""
    station = canonical_station(written)
    readings = [station] if station in ID_STATIONS or station in also_stations else []
    readings += [s for s in glued_station_readings(station) if s not in readings]
    return tuple(readings)


def id_readings(reference_id: str) -> tuple[str, ...]:
    """The ids a written reference id may be, the canonical one first: other readings of a
    station with words glued in front (:func:`glued_station_readings`), then the id as written,
    compacted (a garbled id the known ids list as it stands)."""
    canonical = canonical_id(reference_id)
    readings = [canonical]
    tokens = _TOKEN.findall(_NOT_ALNUM.sub("", str(reference_id).upper()))
    if len(tokens) == 3 and tokens[0].isdigit() and tokens[2].isdigit():
        year = _two_digit_year(tokens[0])
        if year is not None:
            for station in glued_station_readings(tokens[1]):
                readings.append(f"{year}{station}{int(tokens[2])}")
    readings.append(_NOT_ALNUM.sub("", str(reference_id).upper()))
    return tuple(dict.fromkeys(readings))


def known_reading(reference_id: str, known_ids: Set[str]) -> str | None:
    """The first of :func:`id_readings` that ``known_ids`` holds, None when none is known."""
    for reading in id_readings(reference_id):
        if reading in known_ids:
            return reading
    return None


def has_known_station(reference_id: str, also_stations: Set[str] = frozenset()) -> bool:
    """Whether the canonical form of an id is a year, a station (of the ids, or of
    ``also_stations``) and a serial."""
    parsed = split_canonical_id(canonical_id(reference_id))
    return parsed is not None and (parsed[1] in ID_STATIONS or parsed[1] in also_stations)


@lru_cache(maxsize=8192)
def canonical_station(name: str) -> str:
    """A station as a citation or address writes it → the station part of ids.

    ``USUN NEW YORK`` → ``USUNNEWYORK``, ``SECSTATE`` → ``STATE``, ``THE HAGUE`` →
    ``THEHAGUE``, ``AMEMBASSY ALMATY`` → ``ALMATY``. An unknown name comes back compacted.
    """
    compact = _NOT_ALPHA.sub("", str(name).upper())
    station = _station_in_id(compact)
    if station is not None:
        return station
    for suffix in ("WASHDC", "WASHINGTONDC", "WASHINGTON"):
        if compact.endswith(suffix) and len(compact) > len(suffix):
            station = _station_in_id(compact[: -len(suffix)])
            if station is not None:
                return station
    return compact


def is_known_station(name: str) -> bool:
    """Whether ``name`` (as written in a citation) is a station that ids are made of."""
    return canonical_station(name) in ID_STATIONS


def other_station_names(station: str) -> tuple[str, ...]:
    """The other names the same post filed under (``KIEV`` → ``("KYIV",)``), for resolving."""
    return _OTHER_NAMES.get(station, ())


def make_id(year: int | str, station: str, number: int | str) -> str:
    """``(2006, "ALMATY", "1450")`` → ``06ALMATY1450``; ``("05", "USUN NEW YORK", "0012")`` →
    ``05USUNNEWYORK12``. The year may be written with two or four digits."""
    year_digits = f"{int(year) % 100:02d}"
    station_part = canonical_station(station)
    serial = int(number)
    if station_part in ID_STATIONS and serial >= 0:
        # already canonical: two digits, a station of the ids, a serial without zeros
        return f"{year_digits}{station_part}{serial}"
    return canonical_id(f"{year_digits}{station_part}{serial}")


def parse_id(reference_id: str) -> tuple[str, str, int] | None:
    """``06astana038`` → ``("06", "ASTANA", 38)`` (of the canonical id); None for no id."""
    return split_canonical_id(canonical_id(reference_id))


def split_canonical_id(canonical: str) -> tuple[str, str, int] | None:
    """:func:`parse_id` of an id known to be canonical already (a table's hundreds of thousands
    of ids), without canonicalising it again."""
    m = _CANONICAL.match(canonical)
    if m is None:
        return None
    return m.group(1), m.group(2), int(m.group(3))


def is_valid_id(reference_id: str) -> bool:
    """Whether the text is a well-formed id of a known station as it stands (case, spaces and
    zero padding aside) — False for the garbled ids that :func:`canonical_id` has to repair."""
    key = _NOT_ALNUM.sub("", str(reference_id).upper())
    m = _CANONICAL.match(key)
    return m is not None and m.group(2) in ID_STATIONS and key not in ID_CORRECTIONS


def full_year(year2: str | int) -> int:
    """The four-digit year of a two-digit year: 66–99 → 19xx, 00–65 → 20xx.

    The one cut-off for every two-digit year the cables write (ids, date-time groups, DECL
    dates; :mod:`cables.parse.grammar` says why it fits each): the cables run from 1966 to 2010.
    """
    value = int(year2) % 100
    return 1900 + value if value >= 66 else 2000 + value
