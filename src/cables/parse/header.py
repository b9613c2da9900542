"""The transmission header: VZCZC id, precedence, date-time group, FM/TO/INFO with routes.

A cable's header is a short run of lines that machines wrote, in a few stable shapes::

    VZCZCXRO1728                                   transmission id
    PP RUEHDBU RUEHLN RUEHVK RUEHYG                relay precedence and routes
    DE RUEHAST #0038/01 1140336                    originating routing indicator
    ZNR UUUUU ZZH
    P 240336Z APR 06                               message precedence and date-time group
    FM USOFFICE ASTANA
    TO RUEHC/SECSTATE WASHDC PRIORITY 0116         addressee: route/name precedence serial
    INFO RUEHTA/AMEMBASSY ALMATY PRIORITY 0108
    RUCNCIS/CIS COLLECTIVE                         continuation of the INFO block

Old (1960s–1990s) headers have no VZCZC/DE lines and no routes (``TO SECSTATE WASHDC 3182``);
some carry a telegram distribution block (``ACTION AF-00`` / ``INFO LOG-00 …``) *before* the
DTG line, which is why TO/INFO blocks are only read after the FM line. Page-break lines
(``PAGE 02 STATE 023763 071504Z``, ``ASTANA 00000038 002 OF 002``) can fall inside the
address blocks and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache, partial
from dataclasses import dataclass

from ..record import Addressee
from .dates import dtg_to_iso
from .grammar import (
    ADDRESS_BLOCK_NOISE_LINE as _NOISE_LINE,
    BODY_START as _BODY_START,
    BODY_START_LOOSE as _BODY_START_LOOSE,
    CLIPPED_CLASSIFICATION_PREFIXES as _CLASSIFICATION_PREFIXES,
    NOT_CLASSIFICATION as _NOT_CLASSIFICATION,
    SPACES as _SPACES,
    squeeze,
)

# --- line shapes -----------------------------------------------------------------------------

_TRANSMISSION_ID = re.compile(r"^\s*(VZCZC[A-Z0-9]*)\s*$")
_DE_LINE = re.compile(r"^\s*DE\s+(R[A-Z0-9]{3,7})\b")
# "P 240336Z APR 06", "O R 141538Z MAR 06 ZDK", "061428Z Jun 03" (no precedence). The
# precedence letters are the ACP ones: Z flash, O immediate, P priority, R routine, W/Y.
_DTG_LINE = re.compile(
    r"^\s*(?:(?P<precedence>[OPRZWY]{1,2}(?:[ \t]+[OPRZWY]{1,2})?)[ \t]+)?"
    r"(?P<dtg>\d{6}Z[ \t]*[A-Za-z]{3}[ \t]*\d{2,4})\b"
)
_FM_LINE = re.compile(r"^[ \t]*FM[ \t]+(?P<rest>\S.*?)\s*$")
# Some dumps (and e-mailed copies) write "From: AMCONSUL TIJUANA" instead of an FM line.
_FROM_LINE = re.compile(r"^[ \t]*From:[ \t]*(?P<rest>\S.*?)\s*$")
# A block keyword, also glued to a route as in "TORUEHC/SECSTATE WASHDC PRIORITY 8009".
_BLOCK_LINE = re.compile(
    r"^[ \t]*(?P<kind>TO|INFO|XMT)(?:\b[ \t]*|(?=R[A-Z0-9]{3,7}/))(?P<rest>.*)$"
)
# The first token of an addressee: an ACP routing indicator (they all begin with R) and the
# name glued after the slash. "ZEN/" marks an addressee delivered by other means: it is kept
# as an addressee, with no route.
_ROUTE_PREFIX = re.compile(r"^(R[A-Z0-9]{3,7}|ZEN)/")
# "RUAYJAA/CTF 72": a task force's number is part of its name, not a serial.
_NUMBERED_UNITS = {"CTF", "TF", "JTF", "CJTF", "TG", "CTG"}
_PRECEDENCE_WORDS = {"FLASH", "IMMEDIATE", "PRIORITY", "ROUTINE", "NIACT", "CRITIC"}
# Misspelt precedences seen in the corpus: PRIOITY, PIORITY, PRIORTY, PRORITY.
_MISSPELT_PRIORITY = re.compile(r"^P[RIOTY]{5,7}$")

# --- where the body begins -------------------------------------------------------------------

# What a header line can look like: upper case, digits and the punctuation of office symbols.
_HEADER_CHARSET = re.compile(r"^[ \t]*[A-Z0-9][A-Z0-9 \t./&()'\-:,#]*$")
# Words that open a body line although they look like an old-style addressee.
_BODY_WORDS = re.compile(
    r"^[ \t]*(?:SIPDIS|NOFORN|SENSITIVE|EXDIS|NODIS|LIMDIS|STADIS|NOCONTRACT|ORCON|"
    r"E\.\s?O\.|EO\b|TAGS?\b|SUBJ(?:ECT)?\b|REFS?\b|CORRECTED\b|PASS\b)"
)
# What ends a header although it is no classification line: the ">" and date / reference id
# lines that corrupted pages (09NAIROBI1829, 10ASTANA251) carry after the address blocks.
_HEADER_END_MARK = re.compile(
    r"^[ \t]*(?:>[ \t]*$|\d{1,2}[./]\d{1,2}[./]\d{4}\b|\d{4}-\d{2}-\d{2}\b"
    r"|\d{2}[A-Z]{3,}\d+[ \t]*$)"
)
# Anchors are searched in the first characters only: a header never starts later than that.
# Each anchor pattern begins with a literal or a digit run, so that the search skips through
# a long body quickly; that the match opens its line is checked afterwards.
_ANCHOR_WINDOW = 20_000
_FM_ANCHOR = re.compile(r"FM[ \t]+\S")
_FROM_ANCHOR = re.compile(r"From:")
# The DTG is found by its "Z MON YY" tail (a literal first), then its six digits are checked.
_DTG_TAIL = re.compile(r"Z[ \t]*[A-Za-z]{3}[ \t]*\d{2,4}\b")
_DTG_LEAD = re.compile(r"^[ \t]*(?:[OPRZWY]{1,2}[ \t]+){0,2}$")
_VZCZC_ANCHOR = re.compile(r"VZCZC")
_DE_ANCHOR = re.compile(r"DE[ \t]+R[A-Z0-9]{3,7}\b")


def split_header_body(text: str) -> tuple[str, str]:
    """Cut plain cable text where the header ends and the body (classification line) begins.

    The cut is searched after the header's anchor (the FM line, else the DTG or VZCZC line), so
    that classification lines that some copies print *above* the header (03ABUDHABI2641,
    08TRIPOLI453) do not end it early. After the anchor, the header goes on while lines look
    like addressees; the first classification line, or the first line that cannot be part of
    a header, starts the body. Text with no header anchor is cut at its first classification
    line.
    """
    anchor_end = _header_anchor_end(text)
    if anchor_end is None:
        m = _BODY_START.search(text)
        if not m:
            return "", text
        return text[: m.start()], text[m.start() :]
    pos = anchor_end + 1
    while pos < len(text):
        end = _line_end(text, pos)
        line = text[pos:end]
        if line.strip() and (_starts_body(line) or _HEADER_END_MARK.match(line)
                             or not _looks_like_header_line(line)):
            return text[:pos], text[pos:]
        pos = end + 1
    return text, ""


def _header_anchor_end(text: str) -> int | None:
    """Where the line that surely belongs to the header ends, or None when there is none.

    An FM line counts only when it sits where a header's FM line sits (after a DTG line or
    before a TO/INFO line): a body line may well begin with "FM LAVROV SAID".
    """
    window = min(len(text), _ANCHOR_WINDOW)
    for fm in _FM_ANCHOR.finditer(text, 0, window):
        if not _opens_line(text, fm.start()):
            continue
        start = _line_start(text, fm.start())
        if _previous_line_is_dtg(text, start) or _next_line_is_block(text, _line_end(text, start)):
            return _line_end(text, start)
    for tail in _DTG_TAIL.finditer(text, 6, window):
        digits = tail.start() - 6
        if text[digits : tail.start()].isdigit() and _DTG_LEAD.match(
                text, _line_start(text, digits), digits):
            end = _line_end(text, digits)
            from_line = _FROM_ANCHOR.search(text, end, min(window, end + 200))
            if from_line and _opens_line(text, from_line.start()):
                return _line_end(text, from_line.start())
            return end
    for pattern in (_VZCZC_ANCHOR, _DE_ANCHOR):
        for found in pattern.finditer(text, 0, window):
            if _opens_line(text, found.start()):
                return _line_end(text, found.start())
    return None


def _opens_line(text: str, pos: int) -> bool:
    """Only blanks stand between the line's start and ``pos``."""
    return not text[_line_start(text, pos) : pos].strip()


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _previous_line_is_dtg(text: str, start: int) -> bool:
    before = [line for line in text[max(0, start - 400) : start].split("\n")[-4:] if line.strip()]
    return bool(before) and _DTG_LINE.match(before[-1]) is not None


def _next_line_is_block(text: str, end: int) -> bool:
    after = [line for line in text[end : end + 400].split("\n")[:4] if line.strip()]
    return bool(after) and _BLOCK_LINE.match(after[0]) is not None


def _starts_body(line: str) -> bool:
    if _BODY_START.match(line) or _BODY_START_LOOSE.search(line):
        return True
    # Misspaced or clipped classification lines: "CO N F I D E N T I A L",
    # "E C R E T SANAA 473", "UUNCLAS MANAGUA 001002".
    compact = line.replace(" ", "")[:16]
    return (compact.startswith(_CLASSIFICATION_PREFIXES)
            and not compact.startswith(_NOT_CLASSIFICATION))


def _looks_like_header_line(line: str) -> bool:
    if _NOISE_LINE.match(line):
        return True
    if not _HEADER_CHARSET.match(line) or _BODY_WORDS.match(line):
        return False
    stripped = line.rstrip()
    return not (stripped.endswith(":") or ": " in stripped or stripped.isdigit())


# --- the header fields -------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """What the transmission header says; every field is empty when the source has no header."""

    transmission_id: str | None = None
    precedence: str | None = None
    dtg: str | None = None
    from_: Addressee | None = None
    to: tuple[Addressee, ...] = ()
    info: tuple[Addressee, ...] = ()
    warnings: tuple[str, ...] = ()


def parse_header(text: str, routes: Mapping[str, str]) -> Header:
    """Read the header lines: transmission id, DE route, DTG, FM, then the TO/INFO blocks.

    Lines before the FM line are only searched for the VZCZC, DE and DTG lines (the telegram
    distribution block of old cables says ``INFO LOG-00 …`` there and is not an address).
    """
    if not text or text.isspace():
        return Header()
    lines = text.split("\n")
    warnings: list[str] = []
    transmission_id = originator_route = precedence = dtg = None
    fm_index = _fm_index(lines)
    head = lines if fm_index is None else lines[:fm_index]
    for line in head:  # each pattern tried only on lines holding its letters (VZCZC, DE, the Z)
        if transmission_id is None and "VZCZC" in line and (m := _TRANSMISSION_ID.match(line)):
            transmission_id = m.group(1)
        elif originator_route is None and "DE" in line and (m := _DE_LINE.match(line)):
            originator_route = m.group(1)
        elif dtg is None and "Z" in line and (m := _DTG_LINE.match(line)):
            precedence = _SPACES.sub(" ", m.group("precedence")) if m.group("precedence") else None
            dtg = dtg_to_iso(m.group("dtg"))
            if dtg is None:
                warnings.append(f"unreadable date-time group {line.strip()!r}")
    if fm_index is None:
        if any(_BLOCK_LINE.match(line) for line in lines):
            warnings.append("header without an FM line: addressees not read")
        return Header(transmission_id, precedence, dtg, None, (), (), tuple(warnings))
    from_ = _originator(lines[fm_index], originator_route, routes)
    to, info = _address_blocks(lines[fm_index + 1 :], routes)
    return Header(transmission_id, precedence, dtg, from_, to, info, tuple(warnings))


def _fm_index(lines: list[str]) -> int | None:
    """The FM line; a "From:" line only when there is no FM line (e-mailed copies have both)."""
    from_line = None
    for i, line in enumerate(lines):
        if "FM" in line and _FM_LINE.match(line):
            return i
        if from_line is None and "From:" in line and _FROM_LINE.match(line):
            from_line = i
    return from_line


_FROM_NOTE = re.compile(r"\s*\([^)]*\)\s*$")


def _originator(line: str, originator_route: str | None,
                routes: Mapping[str, str]) -> Addressee | None:
    """The FM addressee: its name as written, its route from the DE line (or a route prefix)."""
    m = _FM_LINE.match(line)
    if m:
        rest = m.group("rest")
    else:  # a "From:" line, the only other line _fm_index gives
        m = _FROM_LINE.match(line)
        rest = _FROM_NOTE.sub("", m.group("rest")) if m else line
    route = _ROUTE_PREFIX.match(rest)
    if route:
        rest = rest[route.end() :]
        if route.group(1) != "ZEN":
            originator_route = route.group(1)
    name = squeeze(rest)
    if not name:
        return None
    return Addressee(route=originator_route, name=name,
                     station=station_of(originator_route, routes))


def _address_blocks(lines: list[str], routes: Mapping[str, str]
                    ) -> tuple[tuple[Addressee, ...], tuple[Addressee, ...]]:
    """The TO and INFO addressees; continuation lines belong to the block above them."""
    blocks: dict[str, list[Addressee]] = {"TO": [], "INFO": [], "XMT": []}
    current: list[Addressee] | None = None
    for line in lines:
        if current is not None and _ROUTE_PREFIX.match(line):  # the common case, read at once
            addressee = _cached_addressee(line, routes)
            if addressee is not None:
                current.append(addressee)
            continue
        if _BODY_START.match(line) or _HEADER_END_MARK.match(line):
            break
        if not line.strip() or _NOISE_LINE.match(line):
            continue
        keyword = _BLOCK_LINE.match(line)
        if keyword:
            current = blocks[keyword.group("kind")]
            line = keyword.group("rest")
            if not line.strip() or _NOISE_LINE.match(line):
                continue
        if current is None:
            continue
        addressee = _cached_addressee(line, routes)
        if addressee is not None:
            current.append(addressee)
    return tuple(blocks["TO"]), tuple(blocks["INFO"])


_ADDRESSEE_READERS: list[tuple[Mapping[str, str], Callable[[str], Addressee | None]]] = []


def _cached_addressee(line: str, routes: Mapping[str, str]) -> Addressee | None:
    """:func:`_addressee`, remembered: half the address lines of a corpus are repeats
    (``RHEHNSC/NSC WASHDC``, the collectives). Records are immutable, so one is shared; the
    cache belongs to one routing table (kept by identity, as :func:`_route_blocks` does)."""
    if _ADDRESSEE_READERS and _ADDRESSEE_READERS[0][0] is routes:
        return _ADDRESSEE_READERS[0][1](line)
    reader = lru_cache(maxsize=8192)(partial(_addressee, routes=routes))
    _ADDRESSEE_READERS[:] = [(routes, reader)]
    return reader(line)


def _addressee(line: str, routes: Mapping[str, str]) -> Addressee | None:
    """``RUEHC/SECSTATE WASHDC PRIORITY 0116`` → route, name, precedence, serial, station.

    Read from the right, word by word: a serial, then a precedence (a serial may also stand
    before it: ``AMEMBASSY LONDON 8778 PRIORITY``), the rest is the name. String tests rather
    than regexes: this runs for every address line of every cable.
    """
    words = line.split()
    if not words:
        return None
    route = None
    m = _ROUTE_PREFIX.match(words[0])
    if m:
        route = m.group(1) if m.group(1) != "ZEN" else None
        words[0] = words[0][m.end() :]
        if not words[0]:
            del words[0]
    serial = words.pop() if _ends_with_serial(words) else None
    precedence = None
    if len(words) > 1 and _is_precedence(words[-1]):
        precedence = words.pop()
        if precedence not in _PRECEDENCE_WORDS:
            precedence = "PRIORITY"
        if len(words) > 1 and words[-1] == "NIACT":
            words.pop()
            precedence = "NIACT " + precedence
        if serial is None and _ends_with_serial(words):
            serial = words.pop()
    if serial is None and words:
        last = words[-1]
        if len(last) > 4 and last[-4:].isdigit() and last[-5].isalpha():  # "WASHDC0000"
            words[-1], serial = last[:-4], last[-4:]
    if not words:
        return None
    return Addressee(route=route, name=" ".join(words), precedence=precedence, serial=serial,
                     station=station_of(route, routes))


def _is_precedence(word: str) -> bool:
    return word in _PRECEDENCE_WORDS or (word[0] == "P" and bool(_MISSPELT_PRIORITY.match(word)))


def _ends_with_serial(words: list[str]) -> bool:
    """A serial ``0116`` or range ``2276-2279`` ends the words (3–5 digits: some are clipped)."""
    if len(words) < 2 or words[-2] in _NUMBERED_UNITS:
        return False
    first, _, last = words[-1].partition("-")
    return _is_number(first) and (not last or _is_number(last))


def _is_number(word: str) -> bool:
    return 3 <= len(word) <= 5 and word.isdigit()


def station_of(route: str | None, routes: Mapping[str, str]) -> str | None:
    """The station a routing indicator stands for in the routing table.

    The ACP 117 table also lists blocks such as ``RUEAWJA THRU RUEAWJD``; a route missing from
    the table is looked up among the blocks of its first six letters.
    """
    if not route or not routes:
        return None
    station = routes.get(route)
    if station is not None or len(route) != 7:
        return station
    for first, last, block_station in _route_blocks(routes).get(route[:6], ()):
        if first <= route <= last:
            return block_station
    return None


_BLOCKS_CACHE: list[tuple[Mapping[str, str], dict[str, list[tuple[str, str, str]]]]] = []


def _route_blocks(routes: Mapping[str, str]) -> dict[str, list[tuple[str, str, str]]]:
    """The table's ``A THRU B`` blocks by six-letter stem, indexed once per table.

    The cache holds the table itself, so the identity test cannot match a recycled object.
    """
    for table, cached in _BLOCKS_CACHE:
        if table is routes:
            return cached
    blocks: dict[str, list[tuple[str, str, str]]] = {}
    for key, station in routes.items():
        first, sep, last = key.partition(" THRU ")
        if sep and len(first) == len(last) == 7:
            blocks.setdefault(first[:6], []).append((first, last, station))
    _BLOCKS_CACHE.insert(0, (routes, blocks))
    del _BLOCKS_CACHE[4:]
    return blocks


# --- the metadata's Origin --------------------------------------------------------------------

# Names the site writes in its own way (the FM name, //office// suffix removed → Origin).
_IRREGULAR_ORIGINS = {
    "SECSTATE WASHDC": "Secretary of State",
    "USOFFICE ASTANA": "Embassy Astana",
    "USOFFICE ALMATY": "Embassy Almaty",
    "USOFFICE FSC CHARLESTON": "US OFFICE FSC CHARLESTON",
    "USDEL SECRETARY": "US Delegation, Secretary",
    "USMISSION USNATO": "Mission USNATO",
    "USMISSION USOSCE": "Mission USOSCE",
    "USMISSION UNESCO PARIS": "Mission UNESCO",
    "USMISSION USUN NEW YORK": "USUN New York",
    "USMISSION UN ROME": "USUN Rome",
    "USMISSION UNVIE VIENNA": "UNVIE",
    "USMISSION GENEVA": "US Mission Geneva",
    "USMISSION CD GENEVA": "US Mission CD Geneva",
    "USMISSION USTR GENEVA": "USMISSION USTR GENEVA",
    "USEU BRUSSELS": "USEU Brussels",
    "USINT HAVANA": "US Interests Section Havana",
    "AIT TAIPEI": "American Institute Taiwan, Taipei",
    "RPO DUBAI": "Iran RPO Dubai",
    "IRAN RPO DUBAI": "Iran RPO Dubai",
    "USLO TRIPOLI": "Embassy Tripoli",
}
# Cities the site names as they are called now, not as the cable spelled them.
_RENAMED_CITIES = {"KIEV": "Kyiv", "CALCUTTA": "Kolkata", "BOMBAY": "Mumbai", "MADRAS": "Chennai"}
_POST_KINDS = {"AMEMBASSY": "Embassy", "AMCONSUL": "Consulate", "REO": "REO"}
_OFFICE_SUFFIX = re.compile(r"//.*$")
# "AMEMBASSY TRIPOLI LY": a trailing two-letter country code.
_COUNTRY_CODE = re.compile(r"\s+[A-Z]{2}$")


def origin_from_station(name: str) -> str | None:
    """The metadata's Origin column for a FM name: ``AMEMBASSY ASTANA`` → ``Embassy Astana``.

    Used when a source (a plain text dump) states no metadata. Embassies, consulates and
    regional offices follow one rule (kind word, then the city in title case); missions,
    delegations and offices the site names in its own way are listed in a small table.
    Unknown shapes are returned as written.
    """
    if not name:
        return None
    station = squeeze(_OFFICE_SUFFIX.sub("", name.upper()))
    if not station:
        return None
    if station in _IRREGULAR_ORIGINS:
        return _IRREGULAR_ORIGINS[station]
    kind, _, city = station.partition(" ")
    if kind in _POST_KINDS and city:
        city = _COUNTRY_CODE.sub("", city) if " " in city else city
        return f"{_POST_KINDS[kind]} {_RENAMED_CITIES.get(city) or city.title()}"
    if kind == "USOFFICE" and city:
        return f"Embassy {city.title()}"
    return squeeze(name)
