"""REF item text → the cables it cites (year, station, serial), or the kind of item it is.

The grammar of one REF item, once :mod:`.refs` has cut the block into items: a citation is an
optional year, up to five station words and a serial (``05 ANKARA 1234``, ``2005 ANKARA 1234``,
``STATE 200498 (2006)``, ``PANAMA 00933/08``) or the compact id form (``05ANKARA1234``); more
serials of the station just cited may follow (``TRIPOLI 33, 53``). An item citing no cable of the
id space is an e-mail, telcon, memo… by its words (:func:`kind_of`). Which id a citation stands
for (its year when none is written, the known ids) is decided in :mod:`.refs`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..ids import canonical_station, full_year, is_known_station

# Citations. Station words: letters (with inner hyphens/dots), up to four of them.
_WORD = r"[A-Za-z](?:[A-Za-z'.]*[A-Za-z])?"
_MONTHS = (r"(?:JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|"
           r"SEPT?(?:EMBER)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)")
_MONTH_AFTER = re.compile(rf"\A[ \t,]*{_MONTHS}\b", re.I)
_NOT_STATION_WORDS = rf"(?:{_MONTHS}|DATED|OF|ON|PARA|PARAS|PARAGRAPH|NO|NUMBER|PAGE|ITEM|SECTION|FY|CY|AND|THE)"
_NOT_STATION_WORD = re.compile(rf"^{_NOT_STATION_WORDS}$")
# A colon after a serial ends the citation when another follows (``TEHRAN 1091: TEHRAN 263: MOSCOW
# 1603``, 72TEHRAN1164); else it opens a title, a time or a paragraph (``STATE 81957: REPORT OF
# ...``, ``STATE 1234: PARA 3``).
_NEXT_CITATION = (rf"[ \t]*(?:(?:19|20)?\d\d[ \t]*)?(?!(?i:{_NOT_STATION_WORDS})\b)"
                  rf"{_WORD}(?:(?:[ \t]+|-){_WORD}){{0,4}}[ \t]*0*\d{{1,7}}(?![\d/A-Za-z])")
LIST_SEPARATOR = re.compile(rf";|(?<=\d):(?={_NEXT_CITATION})")
"""What separates the items of an unlabelled REF list: a semicolon, or a colon between citations."""
CITATION = re.compile(
    rf"(?<![A-Za-z0-9/])(?:(?P<year>(?:19|20)\d\d|\d\d)[ \t]*(?=[A-Za-z]))?"
    rf"(?P<words>{_WORD}(?:(?:[ \t]+|-){_WORD}){{0,4}})[ \t]*(?:NO\.?[ \t]*|#[ \t]*|-[ \t]*)?"
    rf"(?P<raw>0*(?P<serial>\d{{1,7}}))(?:/(?P<year_slash>\d\d)(?![\d/]))?"
    rf"(?![\d/]|:(?!{_NEXT_CITATION})|\.\d|\.\.\.|[A-Za-z])"
    rf"(?:[ \t]*\((?P<year_after>(?:19|20)?\d\d)\))?"
)
COMPACT_CITATION = re.compile(  # the look-behind after the year: the scan opens on a digit
    r"(?P<year>\d\d)(?<![A-Za-z0-9]\d\d)(?P<station>[A-Z]{3,})0*(?P<serial>\d{1,7})(?![\d/A-Za-z]|\.\.\.)"
)
# "TRIPOLI 33, 53 AND 60": more serials of the station just cited.
_MORE_SERIALS = re.compile(
    r"(?:[ \t]*(?:\((?:NOTAL|notal|Notal)\))?[ \t]*(?:,|&|/|\bAND\b|\band\b)[ \t]*0*(?P<serial>\d{1,7})"
    r"(?![\d/:]|\.\d|\.\.\.|[ \t]*[A-Za-z]{3,}[ \t]*\d|[ \t]*(?:ST|ND|RD|TH)\b))"
)
# Senders whose messages are cables but not in the State id space: kept as cables, id None.
_OTHER_SENDER = re.compile(
    r"\b(?:SECDEF|WHITE[ \t]*HOUSE|USDEL|SECTO|TOSEC|CIA(?:WASH)?|USDAO|DIA|JCS|DOD|"
    r"TREASURY|DEPT[ \t]+OF[ \t]+TREAS\w*|USCINC\w*|CINC\w*|SEPTELS?|FBI|USCG|CABLES?|"
    r"TELEGRAMS?)\b"
)
BARE_SERIAL = re.compile(
    r"^(?:(?P<year>(?:19|20)?\d\d)[ \t]+)?0*(?P<serial>\d{1,7})(?:[ \t]*\(NOTAL\))?$", re.I
)
_YEAR_ONLY = re.compile(r"^(?:19|20)\d\d(?:[ \t]+AND[ \t]+(?:PRIOR|PREVIOUS))?$", re.I)
_STATION_ONLY = re.compile(
    r"^(?:(?:19|20)?\d\d[ \t]+)?(?P<words>[A-Za-z][A-Za-z .'-]*?)[ \t]*(?:\(NOTAL\))?$", re.I
)
_NOTHING = re.compile(r"^(?:NONE|N/?A|NIL|-+)(?:[ \t]+1\..*)?$", re.I)  # "NONE 1. THE OFFICE..."

_ETC = re.compile(r"^\s*(?:AND\s+)?(?:PREVIOUS|PREVIOUS\s+\w+|OTHERS|ETC)\.?\s*$", re.I)
_WORD_SEPARATORS = re.compile(r"[ \t]+|-")

# Kinds of non-cable items, by the first word group that matches.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"E-?\s?MAILS?|EMAILED|\bE-?MAIL|\bEMAIL", re.I)),
    ("fax", re.compile(r"\bFAX(?:ES|ED)?\b|FACSIMILE", re.I)),
    ("telcon", re.compile(r"TELCONS?\b|TELECONS?\b|PHONECONS?\b|TELEPHONE|PHONE\s*CALL|\bS?VTC\b|"
                          r"\bPHONE\b|\bCALLS?\b|VIDEO\s*CONFERENCE|\bVTC\b|\bDVC\b", re.I)),
    ("memo", re.compile(r"\bMEMCONS?\b|\bMEMOS?\b|MEMORAND", re.I)),
    ("letter", re.compile(r"\bLETTERS?\b|DIP(?:LOMATIC)?\.?\s*NOTES?\b|NOTE\s+VERBALE|"
                          r"\bNON[- ]?PAPER|\bAIDE[- ]MEMOIRE", re.I)),
    ("report", re.compile(r"\bIIRS?\b|REPORTS?\b|\bSITREP|\bINTREP|\bSPOTREP|ASSESSMENT|\bSTUDY\b|"
                          r"\bCRS\b|\bOSC\b|\bFBIS\b|\bINR\b|\bNIE\b|\bTDX?\b|\bASDAR\b|"
                          r"\bINCSR\b|PARIS\s+POINTS?\b|STATISTICS", re.I)),
    ("meeting", re.compile(r"MEETINGS?\b|CONVERSATIONS?\b|DISCUSSIONS?\b|\bBRIEFINGS?\b|"
                           r"\bVISIT\b|\bTALKS\b|\bCONSULTATIONS\b", re.I)),
    ("press", re.compile(r"\bPRESS\b|ARTICLE|NEWSPAPER|\bDAILY\b|\bMEDIA\b|\bNEWS\b|"
                         r"\bTIMES\b|\bPOST\b", re.I)),
    ("web", re.compile(r"https?:|\bwww\.|\.gov\b|\.com\b|WEBSITE|WEB\s*SITE", re.I)),
    ("airgram", re.compile(r"\bA-\d+|AIRGRAM|\bCA-\d+", re.I)),
    ("demarche", re.compile(r"DEMARCHE|TALKING\s*POINTS|\bNONPAPER", re.I)),
)
# E-mails, faxes, telcons, memos, letters and reports of another sender are not its cables.
_FIRST_KIND_AFTER_SENDERS = 6

Citation = tuple[int | None, str, int]  # (year or None, station, serial)


def cites_nothing(text: str) -> bool:
    """Whether an item's text cites nothing on purpose: empty, ``NONE``, ``N/A``, ``AND PREVIOUS``,
    a year alone."""
    return not text or bool(_ETC.match(text) or _NOTHING.match(text) or _YEAR_ONLY.match(text))


def _offset(found: tuple[int, Citation]) -> int:
    """Where in the item a citation was found (a named function: mypyc fails on a lambda here)."""
    return found[0]


def cables_cited(text: str) -> list[tuple[int | None, str, int]]:
    """(year or None, station, serial) of every cable cited in an item's text."""
    found: list[tuple[int, Citation]] = []
    taken: list[tuple[int, int]] = []
    upper = text.upper()
    for m in COMPACT_CITATION.finditer(upper):
        station = canonical_station(m.group("station"))
        if is_known_station(station):
            found.append((m.start(), (full_year(m.group("year")), station, int(m.group("serial")))))
            taken.append((m.start(), m.end()))
    position = 0
    while True:
        c = CITATION.search(upper, position)
        if c is None:
            break
        position = c.end() if c.end() > c.start() else c.start() + 1
        if any(start <= c.start() < end for start, end in taken):
            continue
        station_found = station_of_words(c.group("words"))
        if station_found is None or _MONTH_AFTER.match(upper, c.end()):
            position = c.start("serial") if c.start("serial") > c.start() else position
            position = max(position, c.start() + 1)
            continue
        station, _ = station_found
        if c.group("year_slash") and len(c.group("raw")) < 4:  # "STATE 11/15" is a date
            position = max(position, c.start() + 1)
            continue
        cited_year = c.group("year_after") or c.group("year_slash") or c.group("year")
        year = full_year(cited_year) if cited_year else None
        found.append((c.start(), (year, station, int(c.group("serial")))))
        tail = c.end()
        while True:
            more = _MORE_SERIALS.match(upper, tail)
            if more is None or _MONTH_AFTER.match(upper, more.end()):
                break
            found.append((more.start("serial"), (year, station, int(more.group("serial")))))
            tail = more.end()
        position = max(position, tail)
    found.sort(key=_offset)
    return [citation for _, citation in found]


@lru_cache(maxsize=4096)
def station_of_words(words: str) -> tuple[str, int] | None:
    """The longest run of final words that names a station: ``A. 99 PRETORIA`` → PRETORIA,
    ``USEU BRUSSELS`` → USEUBRUSSELS, ``EMBASSY MADRID E-MAIL`` → None."""
    parts = _WORD_SEPARATORS.split(words)
    for first in range(len(parts)):
        candidate = parts[first:]
        if _NOT_STATION_WORD.match(candidate[-1]):
            return None
        station = canonical_station("".join(candidate))
        if is_known_station(station):
            return station, first
    return None


def kind_of(text: str) -> str:
    """The kind of an item that cites no cable of the id space: a cable all the same when it
    names a station without serial (``REF: SAN SALVADOR``) or another sender (``SECDEF 31828``,
    ``SEPTEL``); else by its words."""
    station_only = _STATION_ONLY.match(text)
    if station_only and station_of_words(station_only.group("words").strip(" .-")):
        return "cable"
    for position, (kind, pattern) in enumerate(_KINDS):
        if position == _FIRST_KIND_AFTER_SENDERS and _OTHER_SENDER.search(text.upper()):
            return "cable"
        if pattern.search(text):
            return kind
    return "other"
