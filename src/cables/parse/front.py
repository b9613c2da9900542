"""The body's front matter: handling words, E.O. line, TAGS, SUBJECT (Classified By: its module).

The front matter is the part of the body before the first numbered paragraph: the classification
line (``C O N F I D E N T I A L SECTION 01 OF 02 ASTANA 000038``), handling lines (``SIPDIS``,
``NOFORN``), address lines (``STATE FOR EUR/CARC``), then ``E.O.``, ``TAGS``, ``SUBJECT``, ``REF``
and ``Classified By``. Most pages keep it one item a line, but some pages (the 2011 re-exports)
flatten it into one run of text, sometimes with the words glued together
(``SIPDISSIPDISNOFORNE.O. 12958: DECL: 06/05/2026TAGS: MOPS``). So every reader here finds its
item by its keyword and ends it at the next keyword, a blank line or the line structure,
whichever comes first — never by line position alone.

Where the front matter ends and where its items can start is found once per body
(:func:`front_layout`); ``assemble`` hands that :class:`FrontLayout` to every reader here. Called
on a body alone (tests, other callers), a reader finds the layout itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..record import ExecutiveOrder, Tag
from ..tags import KNOWN_CODES
from .classified_by import parse_classified_by
from .grammar import (
    CLASSIFICATION_WORD as _CLASSIFICATION_LINE,
    FIRST_PARAGRAPH_AFTER_NEWLINE as _FIRST_PARAGRAPH_AFTER_NEWLINE,
    FIRST_PARAGRAPH_LINE as _FIRST_PARAGRAPH_LINE,
    INLINE_PAGE_MARK as _PAGE_MARK,
    LEADING_MARKING as _MARKING,
    STATION_SERIAL as _STATION_SERIAL,
    TRAILING_MARKING as _TRAILING_MARKING,
    squeeze as _squeeze,
    unspaced,
    year_as_written,
)
from .tagline import tags_of

__all__ = ["FrontLayout", "classification_from_text", "front_layout", "parse_classified_by", "parse_eo",
           "parse_handling", "parse_subject", "parse_tags"]

_FRONT_CHARS = 6000
"""The front matter fits in the first few thousand characters of the body; the readers look no
further (a long address list is the largest front seen, about 2,500 characters)."""

# ``1.`` opening a line (the format's first paragraph, .grammar): matched at the text's start,
# else searched from the newline before it (a ``^`` under re.M is tried at every character).

# --- the item keywords ------------------------------------------------------------------------
# Each keyword may be glued to the end of the previous item in flattened pages ("2015TAGS:"),
# hence the look-behinds on letters only.
_EO_PREFIX = r"E\s?\.?\s*[O0]\s?\.?:?\s*"
_EO_WITH_DECL = re.compile(
    r"(?=[E1])(?:(?<![A-Z])" + _EO_PREFIX + r"|(?<![\d./]))(1\d{3,4})(?!\d)[ \t]*[:;.,]?[ \t]*"
    r"(?=\s*(?:DECL|N/?A\b|X?N?GDS\b|DNG\b|OADR\b|AS AMENDED|\d{1,2}/))",
    re.I,
)
_EO_AT_LINE_START = re.compile(r"^[ \t]*" + _EO_PREFIX + r"(1\d{3,4})(?!\d)", re.I | re.M)
"""The E.O. line is ``E.O. 12958`` followed by its decl (anywhere: flattened pages glue it to the
address lines), or ``E.O. 12958`` alone at the start of a line. An order named in a subject
(``…UNDER E.O. 13382``) or a Classified By statement is neither."""
_EO_MARK = re.compile(
    r"(?<![A-Za-z])" + _EO_PREFIX + r"1\d{3,4}(?!\d)|(?<![\d./])1\d{3,4}[ \t]*:?[ \t]*(?:DECL|N/?A\b)",
    re.I,
)
_TAGS_MARK = re.compile(
    r"(?im:^[ \t]*TAGS?\b[ \t]*:?|(?=[TA])(?<![A-Z])T?AGS?[ \t]*:)|(?=T)(?<![A-Za-z])TAGS?[ \t]+(?=[A-Z]{2,4}\b)"
)
"""``TAGS`` at the start of a line, or ``TAGS:`` anywhere (glued in flattened pages, ``AGS:`` typo)
— not the word in ``C O R R E C T E D COPY (PRIMARY TAG)``."""
_SUBJECT_MARK = re.compile(
    r"(?:^[ \t]*(?:SUBJECT|SUBJ)\b[ \t]*[:.]?|(?=[SU])(?<![A-Z])(?:SUBJECT|SUBJ|UBJECT)[ \t]*:)", re.I | re.M
)
# _PAGE_MARK (.grammar): a page line carried inline in flattened text; the station name before
# it is removed by :func:`_before_page_mark`.


_ITEM_MARK = re.compile(
    r"(?i:(?=[ \t]*[E1TASU]))(?:(?i:(?=[E1])(?:" + _EO_MARK.pattern + r"))|(?:" + _TAGS_MARK.pattern
    + r")|(?im:" + _SUBJECT_MARK.pattern + r"))"
)
"""The first of the E.O./TAGS/SUBJECT items: where the handling region ends."""


@dataclass(frozen=True, slots=True)
class FrontLayout:
    """The front matter of one body and where its parts are (see :func:`front_layout`)."""

    front: str
    classification: re.Match[str] | None
    items_start: int
    tags_starts: tuple[int, ...] | None
    """Where a TAGS mark can start (None: anywhere, search the pattern)."""
    subject_starts: tuple[int, ...] | None
    """Where a SUBJECT mark can start (None: anywhere, search the pattern)."""
    order_starts: tuple[int, ...] | None
    """Where an E.O. mark can start: at its ``E``, or at its order's ``1`` (None: anywhere)."""


def front_layout(body: str) -> FrontLayout:
    """The front matter of a body and where its parts are: found once per body by ``assemble``
    and handed to every reader here.

    The item marks (E.O., TAGS, SUBJECT) open on look-arounds: searched, such a pattern is
    tried at every character. So they are tried only where one can start: every mark holds
    ``1`` and three more digits (E.O. 12958), ``AG`` after a ``T`` or before ``S?:`` (TAGS,
    AGS:) or ``UBJ`` (SUBJECT, SUBJ, UBJECT); a TAGS or SUBJECT mark starts at the line of its
    letters or at the letter before them, an E.O. mark at its ``1`` or at the ``E`` before the
    blanks, dots and ``O`` before it. Those few places are tried in order; the first that
    matches is where the search would have stopped.
    """
    head = body[:_FRONT_CHARS]
    first_paragraph = _first_paragraph_line(head)
    front = head[:first_paragraph] if first_paragraph is not None else head
    upper = front.upper()
    if len(upper) != len(front):  # a capital longer than its letter shifts the positions
        item = _ITEM_MARK.search(front)
        tags_starts = subject_starts = order_starts = None
    else:
        tags_starts = _keyword_starts(upper, _TAGS_LETTERS.finditer(upper))
        subject_starts = _keyword_starts(upper, _SUBJECT_LETTERS.finditer(upper))
        order_starts = tuple(sorted(_order_starts(front)))
        item = _first_match(_ITEM_MARK, front, sorted({*tags_starts, *subject_starts, *order_starts}))
    items_start = item.start() if item else len(front)
    classification = _CLASSIFICATION_LINE.search(front, 0, items_start)
    return FrontLayout(front, classification, items_start, tags_starts, subject_starts, order_starts)


def _first_paragraph_line(head: str) -> int | None:
    """Where the line of paragraph ``1.`` starts."""
    if _FIRST_PARAGRAPH_LINE.match(head):
        return 0
    m = _FIRST_PARAGRAPH_AFTER_NEWLINE.search(head)
    return m.start() + 1 if m else None


def _keyword_starts(upper: str, letters: Iterator[re.Match[str]]) -> tuple[int, ...]:
    """Where a TAGS or SUBJECT mark around each of its letters can start, in order."""
    starts: set[int] = set()
    for found in letters:
        at = found.start()
        starts.update((upper.rfind("\n", 0, at) + 1, at - 1, at))
    return tuple(sorted(start for start in starts if start >= 0))


def _order_starts(front: str) -> set[int]:
    """Where an E.O. mark around each ``1ddd`` can start."""
    starts = set()
    for order in _ORDER_NUMBER.finditer(front):
        at = order.start()
        starts.add(at)
        if at and (front[at - 1] in ".:Oo0" or front[at - 1].isspace()):
            starts.add(_eo_mark_bound(front, at))
    return starts


def _first_match(pattern: re.Pattern[str], text: str, starts: Iterable[int], position: int = 0
                 ) -> re.Match[str] | None:
    """The first match of ``pattern`` at one of ``starts`` (ascending) from ``position`` on:
    ``pattern.search(text, position)`` when no match can start elsewhere."""
    for start in starts:
        if start >= position:
            m = pattern.match(text, start)
            if m:
                return m
    return None


def _mark_search(pattern: re.Pattern[str], starts: tuple[int, ...] | None, text: str, position: int
                 ) -> re.Match[str] | None:
    if starts is None:
        return pattern.search(text, position)
    return _first_match(pattern, text, starts, position)


_TAGS_LETTERS = re.compile(r"AG(?:(?<=TAG)|(?=S?[ \t]*:))")  # on the upper-cased text
_SUBJECT_LETTERS = re.compile("UBJ")
_ORDER_NUMBER = re.compile(r"1\d{3}")


def _eo_mark_bound(front: str, one: int) -> int:
    """Where an E.O. mark whose order starts at ``one`` starts: at its ``E`` when blanks, dots,
    colons and ``O``/``0`` lead back to one (``E. O. 12958``), else at the ``1``."""
    at = one - 1
    while at >= 0 and (front[at] in ".:Oo0" or front[at].isspace()):
        at -= 1
    return at if at >= 0 and front[at] in "Ee" else one


# --- handling ---------------------------------------------------------------------------------

_HANDLING_WORDS = (
    "SIPDIS", "SENSITIVE", "NOFORN", "NODIS", "EXDIS", "LIMDIS", "STADIS", "NOCONTRACT", "ORCON",
    "PROPIN", "TERREP",
)
_HANDLING = re.compile(
    "(" + "|".join(rf"{word[0]}(?<![a-z]{word[0]})(?<!IN{word[0]}){word[1:]}" for word in _HANDLING_WORDS)
    + r")(?![a-z])"
)
"""Handling words, also glued to their neighbours (``SIPDISSIPDIS``, ``NOFORNE.O.``)."""
_EFTO = re.compile(r"E(?<=\bE) ?F ?T ?O\b")  # \bE…, opening on the literal (scanned for quickly)
_HANDLING_WORDS_ONLY = r"(?:(?:" + "|".join(_HANDLING_WORDS) + r")[ \t,.;]*)+$"
"""The rest of a line, made of nothing but handling words (case-insensitive where it is used)."""
_HANDLING_ONLY_LINE_AFTER_NEWLINE = re.compile(r"\n([ \t]*" + _HANDLING_WORDS_ONLY + ")", re.M | re.I)
"""A line of nothing but handling words, from the newline before it (scanned for quickly)."""
# _CLASSIFICATION_LINE (.grammar's CLASSIFICATION_WORD): the classification line's word.


def parse_handling(body: str, layout: FrontLayout | None = None) -> tuple[str, ...]:
    """The handling words of the front matter, each once, in order of first occurrence.

    Taken from the classification line down to the first of E.O./TAGS/SUBJECT (where handling
    and address lines are, flattened or not), and from lines made of nothing but handling words
    further down the front matter. Words of running text (``REF: ANKARA 1561 (EXDIS)``, a
    subject "…REMAINS SENSITIVE ISSUE…") are not handling. ``EFTO`` (``UNCLAS E F T O``) counts
    as a handling word; ``TERREP`` (a distribution caption) too.
    """
    layout = layout or front_layout(body)
    front = layout.front
    start = layout.classification.start() if layout.classification else 0
    end = max(layout.items_start, start)
    found: list[str] = []
    region = front[start:end].upper()  # "Sipdis", "Sensitive" on the lower-cased pages
    line_end = region.find("\n")
    if _EFTO.search(region, 0, line_end if line_end >= 0 else len(region)):
        found.append("EFTO")
    found.extend(m.group(1) for m in _HANDLING.finditer(region))
    for line in _handling_only_lines(front, end):
        found.extend(m.group(1) for m in _HANDLING.finditer(line.upper()))
    return tuple(dict.fromkeys(found))


def _handling_only_lines(front: str, start: int) -> list[str]:
    """The lines made of handling words only that start at or after ``start``."""
    if start == 0:  # the text's first line has no newline before it
        line_end = front.find("\n")
        first = front[: line_end if line_end >= 0 else len(front)]
        lines = [first] if _HANDLING_ONLY_LINE_AFTER_NEWLINE.match("\n" + first) else []
        return lines + [m.group(1) for m in _HANDLING_ONLY_LINE_AFTER_NEWLINE.finditer(front)]
    return [m.group(1) for m in _HANDLING_ONLY_LINE_AFTER_NEWLINE.finditer(front, start - 1)]


# --- classification ---------------------------------------------------------------------------

def classification_from_text(body: str, layout: FrontLayout | None = None,
                             handling: tuple[str, ...] | None = None) -> str | None:
    """The classification as the site's metadata writes it, read from the classification line.

    ``UNCLAS`` → ``UNCLASSIFIED``, or ``UNCLASSIFIED//FOR OFFICIAL USE ONLY`` when the cable is
    marked SENSITIVE (the SBU cables the site labels FOUO); ``C O N F I D E N T I A L`` →
    ``CONFIDENTIAL``; ``S E C R E T`` → ``SECRET``; a NOFORN handling word adds ``//NOFORN``.
    ``LIMITED OFFICIAL USE`` is the old equivalent of SBU and reads as FOUO, and so does an
    UNCLAS cable marked NOFORN (the site's metadata does so for all 15 such pages).
    ``handling``, when given, is :func:`parse_handling` of the body (``assemble`` has it already).
    """
    layout = layout or front_layout(body)
    m = layout.classification
    if not m:
        return None
    word = unspaced(m.group(1)).upper()
    if handling is None:
        handling = parse_handling(body, layout)
    if "NCLAS" in word or word == "LIMITEDOFFICIALUSE":
        fouo = word == "LIMITEDOFFICIALUSE" or "SENSITIVE" in handling or "NOFORN" in handling
        return "UNCLASSIFIED//FOR OFFICIAL USE ONLY" if fouo else "UNCLASSIFIED"
    level = "CONFIDENTIAL" if word.endswith("ONFIDENTIAL") else "SECRET"
    if word == "TOPSECRET":
        level = "TOP SECRET"
    return level + "//NOFORN" if "NOFORN" in handling else level


# --- E.O. line ----------------------------------------------------------------------------------

_EO_VALUE_END = re.compile(r"(?<![A-Za-z])(?:TAGS?\b|AGS:|SUBJECT\b|SUBJ\b)", re.I)
_DECL_START = re.compile(r"^[ \t]*(?:DECL|N/A|GDS|XGDS|DNG|OADR)", re.I)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4})(?!\d)")
_COMPACT_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_MONTHS = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1)}
_WORD_DATE = re.compile(
    r"\b(?:(\d{1,2})\s+)?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?\s+(?:(\d{1,2}),?\s+)?(\d{4}|\d{2})\b",
    re.I,
)


def parse_eo(body: str, layout: FrontLayout | None = None) -> ExecutiveOrder | None:
    """The E.O. line: ``E.O. 12958: DECL: 08/30/2016`` → order, decl as written, ISO date.

    Accepts the spellings seen (``EO 12958``, ``E.0. 12958``, ``E. O. 12958``, ``12958 DECL:``)
    and a decl written on the next line. The decl keeps its words (``DECL: 08/30/2016``,
    ``N/A``, ``DECL: OADR``, ``GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P``) with spaces squeezed;
    its date, when it has one, comes out as ISO with two-digit years put in the century that
    makes sense for a declassification date (the one cut-off, .grammar: 00–65 → 20xx).
    """
    layout = layout or front_layout(body)
    front = layout.front
    start = layout.items_start
    if layout.order_starts is None:
        found = [m for m in (_EO_WITH_DECL.search(front, start), _EO_AT_LINE_START.search(front, start)) if m]
    else:  # both hold the order number: tried where an E.O. mark can start, or the line of its E
        line_starts = sorted({front.rfind("\n", 0, at) + 1 for at in layout.order_starts})
        found = [m for m in (_first_match(_EO_WITH_DECL, front, layout.order_starts, start),
                             _first_match(_EO_AT_LINE_START, front, line_starts, start)) if m]
    if not found:
        return None
    m = min(found, key=lambda match: match.start())
    line_end = front.find("\n", m.end())
    if line_end < 0:
        line_end = len(front)
    order = m.group(1)
    decl = _eo_value(front[m.end() : line_end].lstrip(" \t:;.,"))
    if not decl:
        next_end = front.find("\n", line_end + 1)
        next_line = front[line_end + 1 : next_end if next_end >= 0 else len(front)]
        if _DECL_START.match(next_line):
            decl = _eo_value(next_line)
    return ExecutiveOrder(order=order, decl=decl or None, decl_date=_decl_date(decl) if decl else None)


def _eo_value(text: str) -> str:
    upper = text.upper()
    # _EO_VALUE_END (TAGS, AGS:, SUBJECT, SUBJ) holds "AG" or "UBJ": tried only then (a
    # flattened page's E.O. "line" runs on for thousands of characters)
    end = _EO_VALUE_END.search(text) if "AG" in upper or "UBJ" in upper else None
    if end:
        text = text[: end.start()]
    return _squeeze(text).strip(" ,;\\\"")


@lru_cache(maxsize=4096)
def _decl_date(decl: str) -> str | None:
    m = _NUMERIC_DATE.search(decl)
    if m:
        a, b, c = m.groups()
        if len(a) == 4:
            return _iso(int(a), int(b), int(c))
        return _iso(year_as_written(c), int(a), int(b))
    m = _COMPACT_DATE.search(decl)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _WORD_DATE.search(decl)
    if m:
        day = m.group(1) or m.group(3)
        return _iso(year_as_written(m.group(4)), _MONTHS[m.group(2).upper()], int(day) if day else 1) if day else None
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


# --- TAGS -----------------------------------------------------------------------------------------

_TAG_ITEM_END = re.compile(
    r"(?<![A-Za-z])(?:S?UBJECT\b|SUBJ\b|REFS?\s*:|CLASSIFIED\s+BY\b|E\.\s?O\.)", re.I
)
_STOP_LINE = re.compile(
    r"^[ \t]*(?:S?UBJ|REF|CLASSIFIED|E\.?\s?O\.?\s?1\d|¶?\d+[ \t]*\.|\()", re.I
)
_CODE_LIKE = re.compile(r"[A-Z]{2,4}")


def parse_tags(body: str, layout: FrontLayout | None = None) -> tuple[Tag, ...]:
    """The TAGS line, cleaned: one Tag per code, each once, in order, with its kind.

    Separators are spaces, commas and semicolons; the list goes on to the next lines while they
    look like more tags (or the line ended with a comma) and stops at SUBJECT, REF, a blank line
    or a line of prose. Glued codes are split on the code table (``ITPHUM`` → ``IT``, ``PHUM``).
    A misspelt code with one letter too many is the code (``ENERG`` → ``ENRG``). ``OVIP
    (CLINTON, HILLARY)`` and ``OVIP CLINTON HILLARY`` give a person tag ``CLINTON, HILLARY``; the
    keyword phrases some posts add (``HUMAN RIGHTS``, ``IRAQI FREEDOM``) stay one tag each, and
    any other word is a tag of its own, as the site links it.
    """
    layout = layout or front_layout(body)
    text = _tags_text(layout.front, layout.items_start, layout.tags_starts)
    if not text:
        return ()
    return tags_of(text)


def _tags_text(front: str, start: int = 0, tags_starts: tuple[int, ...] | None = None) -> str:
    """The text of the TAGS item: its line, cut at the next keyword, and its continuation lines."""
    m = _mark_search(_TAGS_MARK, tags_starts, front, start)
    if not m:
        return ""
    rest = front[m.end() :]
    lines = rest.split("\n")
    first, stopped = _cut_item(lines[0])
    parts = [first]
    if stopped:
        return first
    previous = first
    for line in lines[1:6]:
        if not line.strip() or _STOP_LINE.match(line):
            break
        piece, stopped = _cut_item(line)
        if not (previous.rstrip().endswith(",") or _looks_like_tags(piece)):
            break
        parts.append(piece)
        if stopped:
            break
        previous = piece
    return " ".join(parts)


def _cut_item(line: str) -> tuple[str, bool]:
    end = _TAG_ITEM_END.search(line)
    if end:
        return line[: end.start()], True
    if " OF " in line and _PAGE_MARK.search(line):
        return _before_page_mark(line), True
    return line, False


def _before_page_mark(text: str, front: str = "") -> str:
    """The text before an inline page line, without the page line's station name.

    The station (``TRIPOLI``, ``NEW DELHI``) is the one the classification line writes before the
    same serial; without that line, one word is dropped.
    """
    m = _PAGE_MARK.search(text)
    if not m:
        return text
    words = text[: m.start()].split()
    serial = int(m.group(1))
    station_words: list[str] = []
    for station in _STATION_SERIAL.finditer(front, 0, 400):
        if int(station.group(2)) == serial:
            station_words = station.group(1).split()
            break
    drop = 0
    while drop < len(words) and drop < len(station_words) and (
        words[len(words) - 1 - drop] == station_words[len(station_words) - 1 - drop]
    ):
        drop += 1
    if not station_words:
        drop = 1
    return " ".join(words[: len(words) - drop])


def _looks_like_tags(line: str) -> bool:
    tokens = line.upper().replace(",", " ").replace(";", " ").split()
    return bool(tokens) and all(t in KNOWN_CODES or _CODE_LIKE.fullmatch(t) for t in tokens)


# --- SUBJECT ------------------------------------------------------------------------------------

_SUBJECT_STOP_LINE = re.compile(
    r"^[ \t]*(?:REFS?\b|REF\(S\)|REFERENCES?\b|CLASSIFIED\b|TAGS?\b|SIPDIS\b|SUMMARY\b|-{3,}|[A-Z]\.[ \t]"
    r"|E\.?\s?O\.?\s?1\d{3,4}(?!\d)[ \t]*[:;.,]?[ \t]*"
    r"(?:DECL|N/?A\b|X?N?GDS\b|DNG\b|OADR\b|AS AMENDED|\d{1,2}/)"
    r"|¶?\d{1,2}[ \t]*[.)](?!\d)"
    r"|\((?:[A-Z]|\d{1,2}|TS|SBU|LOU|FOUO|NF|U//FOUO|U/FOUO|C/NF|S/NF|C//NF|S//NF|SBU/NF|U/SBU|S/REL[^)]*)\)"
    r"|" + _HANDLING_WORDS_ONLY + ")",
    re.I,
)
"""A line that ends a wrapped subject: the next item (REF, Classified By, TAGS, an E.O. line with
its decl), a numbered or marked paragraph, a line of handling words (kept by :func:`parse_handling`).
A wrapped line is the subject's: ``E.O. 13382`` (09SANJOSE59), ``2009)`` (09KAMPALA551), ``(PLN)
COMMITTED TO CAFTA-DR`` (06SANJOSE777)."""
_SUBJECT_INLINE_END = re.compile(
    r"(?<![A-Za-z])(?:REFS?[ \t]*:|REF\(S\)[ \t]*:|REFTELS?\b|CLASSIFIED[ \t]+BY\b|\s1\.[ \t]*\(|-{5,}|/{5,})"
    r"|(?-i:(?<=[A-Za-z’'])REF(?:S|TELS?)?[ \t]*:)"
    r"|CLASSIFIED[ \t]+BY[ \t]*:|SENSITIVE BUT UNCLASSIFIED|,,\"|[ \t]CLASSIFIED[ \t]*$"
    r"|(?<=\.\.\.)\s*(?=\d|C O N F|S E C R E T|UNCLAS|CONFIDENTIAL|SECRET)"
    r"|(?<=\S)\s\((?:U|C|S|SBU|C/NF|S/NF)\)\s+(?-i:(?=[A-Z][a-z]))|(?-i:\sREF\s+(?=\d{2,}\s))",
    re.I,
)
"""Where a subject ends inside its line in flattened text: at REF/Classified By (also glued,
``…TO CAIROClassified By:``, ``…AS UK PRIMEREF: A. LONDON 1939``, 08LONDON1991), an SBU caveat,
a truncation mark ``...`` followed by the next header, a marked paragraph of prose, or dump-row
quotes (``,,""``)."""
# What every match of _SUBJECT_INLINE_END holds (upper-cased), and how far before it the match
# may start: the pattern opens on look-behinds and would be tried at every character of a
# flattened subject line (thousands of characters), so it is tried only where it can match.
_SUBJECT_END_LITERALS = (("REF", 1), ("CLASSIFIED", 1), ("SENSITIVE BUT UNCLASSIFIED", 0), ("1.", 1),
                         ("-----", 0), ("/////", 0), (',,"', 0), ("...", -3), ("(", 1))
"""(literal, how many characters before it a match may start: 1 means there or one before;
-3 means just after it, as the match after ``...``)."""


def _subject_inline_end(line: str) -> re.Match[str] | None:
    """The first match of _SUBJECT_INLINE_END in ``line`` (as its search would find it)."""
    upper = line.upper()
    if len(upper) != len(line):
        return _SUBJECT_INLINE_END.search(line)
    starts: set[int] = set()
    for literal, back in _SUBJECT_END_LITERALS:
        if literal not in upper:  # most are not there: `in` is cheaper than a find call
            continue
        at = upper.find(literal)
        while at >= 0:
            starts.add(at - back)
            if back == 1:
                starts.add(at)
            at = upper.find(literal, at + 1)
    for start in sorted(starts):
        if start >= 0:
            m = _SUBJECT_INLINE_END.match(line, start)
            if m:
                return m
    return None


_SUBJECT_LINES = 5


def parse_subject(body: str, layout: FrontLayout | None = None) -> str | None:
    """The SUBJECT item joined onto one line, its leading marking (``(C)``, ``(SBU)``) removed.

    It ends at a blank line, a REF/Classified By/numbered paragraph/marked paragraph line, or
    inline at ``REF:``/``Classified By`` in flattened text.
    """
    layout = layout or front_layout(body)
    front = layout.front
    m = _mark_search(_SUBJECT_MARK, layout.subject_starts, front, layout.items_start)
    if not m:
        return None
    lines = front[m.end() :].split("\n")
    if not lines[0].strip() and len(lines) > 2 and not lines[1].strip():
        lines = lines[2:]  # "SUBJECT:" alone, the subject after a blank line (09CAIRO200)
    parts: list[str] = []
    for index, line in enumerate(lines[:_SUBJECT_LINES]):
        if index and (not line.strip() or _SUBJECT_STOP_LINE.match(line)):
            break
        end = _subject_inline_end(line)
        if end:
            line = line[: end.start()]
        if " OF " in line and _PAGE_MARK.search(line):
            parts.append(_before_page_mark(line, front))
            break
        parts.append(line)
        if end or line.rstrip().endswith("..."):  # the site cut the subject short here
            break
    subject = _join_wrapped(parts).lstrip(" :;.-")
    subject = _TRAILING_MARKING.sub("", _MARKING.sub("", subject)).strip()
    if not subject.strip(".…- "):
        return None
    return subject


def _join_wrapped(lines: list[str]) -> str:
    """Join wrapped lines: a line ending in a hyphen runs into the next without a space."""
    out = ""
    for line in lines:
        piece = _squeeze(line)
        if not piece:
            continue
        if out.endswith("-") and not out.endswith(" -") and not out.endswith("--"):
            out += piece
        else:
            out = f"{out} {piece}" if out else piece
    return out
