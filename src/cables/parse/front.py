"""The body's front matter: handling words, E.O. line, TAGS, SUBJECT, Classified By.

The front matter is the part of the body before the first numbered paragraph: the classification
line (``C O N F I D E N T I A L SECTION 01 OF 02 ASTANA 000038``), handling lines (``SIPDIS``,
``NOFORN``), address lines (``STATE FOR EUR/CARC``), then ``E.O.``, ``TAGS``, ``SUBJECT``, ``REF``
and ``Classified By``. Most pages keep it one item a line, but some pages (the 2011 re-exports)
flatten it into one run of text, sometimes with the words glued together
(``SIPDISSIPDISNOFORNE.O. 12958: DECL: 06/05/2026TAGS: MOPS``). So every reader here finds its
item by its keyword and ends it at the next keyword, a blank line or the line structure,
whichever comes first — never by line position alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..record import ClassifiedBy, ExecutiveOrder, Tag
from .tags import (
    KNOWN_CODES,
    ORGANISATION_CODES,
    PERSON,
    PHRASE_TAGS,
    PROGRAM_CODES,
    SUBJECT_CODES,
    tag_kind,
)

_FRONT_CHARS = 6000
"""The front matter fits in the first few thousand characters of the body; the readers look no
further (a long address list is the largest front seen, about 2,500 characters)."""

_CLASSIFIED_BY_CHARS = 10000
"""``Classified By`` may follow a long REF list or sit inside paragraph 1 (02ANKARA8305)."""

_FIRST_PARAGRAPH = re.compile(r"^[ \t]*¶?1[ \t]*\.(?!\d)", re.M)

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
_CLASSIFIED_BY_MARK = re.compile(r"(?=C)(?<![A-Z])CLASSIFIED[ \t]*\n?[ \t]*BY\b[ \t]*:?", re.I)
_PAGE_MARK = re.compile(r" 0{3,}(\d+) +\d{3}(?:\.\d)? OF \d{3}\b")
"""A page line carried inline in flattened text: ``TRIPOLI 00000201 001.2 OF 003``. The match
starts at the serial; the station name before it is removed by :func:`_before_page_mark`."""


_ITEM_MARK = re.compile(
    r"(?i:(?=[ \t]*[E1TASU]))(?:(?i:(?=[E1])(?:" + _EO_MARK.pattern + r"))|(?:" + _TAGS_MARK.pattern
    + r")|(?im:" + _SUBJECT_MARK.pattern + r"))"
)
"""The first of the E.O./TAGS/SUBJECT items: where the handling region ends."""


@dataclass(frozen=True, slots=True)
class _Layout:
    front: str
    classification: re.Match[str] | None
    items_start: int


@lru_cache(maxsize=8)
def _layout(body: str) -> _Layout:
    """The front matter of a body and where its parts are, found once per body.

    Every reader here is called with the same body by ``assemble``; the cache (keyed by the
    string, whose hash Python keeps) spares them finding the same front matter six times.
    """
    head = body[:_FRONT_CHARS]
    m = _FIRST_PARAGRAPH.search(head)
    front = head[: m.start()] if m else head
    item = _ITEM_MARK.search(front)
    items_start = item.start() if item else len(front)
    classification = _CLASSIFICATION_LINE.search(front, 0, items_start)
    return _Layout(front, classification, items_start)


def _front(body: str) -> str:
    """The front matter: the body up to its first numbered paragraph (at most _FRONT_CHARS)."""
    return _layout(body).front


def _squeeze(text: str) -> str:
    return " ".join(text.split())


# --- handling ---------------------------------------------------------------------------------

_HANDLING_WORDS = (
    "SIPDIS", "SENSITIVE", "NOFORN", "NODIS", "EXDIS", "LIMDIS", "STADIS", "NOCONTRACT", "ORCON",
    "PROPIN", "TERREP",
)
_HANDLING = re.compile(r"(?=[ENLOPST])(?<![a-z])(?<!IN)(" + "|".join(_HANDLING_WORDS) + r")(?![a-z])")
"""Handling words, also glued to their neighbours (``SIPDISSIPDIS``, ``NOFORNE.O.``)."""
_EFTO = re.compile(r"\bE ?F ?T ?O\b")
_HANDLING_ONLY_LINE = re.compile(
    r"^[ \t]*(?:(?:" + "|".join(_HANDLING_WORDS) + r")[ \t,.;]*)+$", re.M | re.I
)
_CLASSIFICATION_LINE = re.compile(
    r"(T ?O ?P +S ?E ?C ?R ?E ?T(?![A-Za-z])|(?<![A-Za-z])U*NCLAS(?:SIFIED)?(?![A-Za-z])"
    r"|C?\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|S?\s?E\s?C\s?R\s?E\s?T(?![A-Za-z])"
    r"|LIMITED +OFFICIAL +USE)",
    re.I,
)
"""The classification word of the classification line. The spaced forms may lose their first
letter (``O N F I D E N T I A L BAGHDAD 000290``), be spaced unevenly (``CO N F I D E N T I A L``,
``UUNCLAS``) or be glued to the station (``C O N F I D E N T I A LCAIRO``)."""


def parse_handling(body: str) -> tuple[str, ...]:
    """The handling words of the front matter, each once, in order of first occurrence.

    Taken from the classification line down to the first of E.O./TAGS/SUBJECT (where handling
    and address lines are, flattened or not), and from lines made of nothing but handling words
    further down the front matter. Words of running text (``REF: ANKARA 1561 (EXDIS)``, a
    subject "…REMAINS SENSITIVE ISSUE…") are not handling. ``EFTO`` (``UNCLAS E F T O``) counts
    as a handling word; ``TERREP`` (a distribution caption) too.
    """
    return _handling(body)


@lru_cache(maxsize=8)
def _handling(body: str) -> tuple[str, ...]:
    layout = _layout(body)
    front = layout.front
    start = layout.classification.start() if layout.classification else 0
    end = max(layout.items_start, start)
    found: list[str] = []
    region = front[start:end].upper()  # "Sipdis", "Sensitive" on the lower-cased pages
    line_end = region.find("\n")
    if _EFTO.search(region, 0, line_end if line_end >= 0 else len(region)):
        found.append("EFTO")
    found.extend(m.group(1) for m in _HANDLING.finditer(region))
    for line in _HANDLING_ONLY_LINE.finditer(front, end):
        found.extend(m.group(1) for m in _HANDLING.finditer(line.group(0).upper()))
    return tuple(dict.fromkeys(found))


# --- classification ---------------------------------------------------------------------------

_SPACED = re.compile(r"\s+")


def classification_from_text(body: str) -> str | None:
    """The classification as the site's metadata writes it, read from the classification line.

    ``UNCLAS`` → ``UNCLASSIFIED``, or ``UNCLASSIFIED//FOR OFFICIAL USE ONLY`` when the cable is
    marked SENSITIVE (the SBU cables the site labels FOUO); ``C O N F I D E N T I A L`` →
    ``CONFIDENTIAL``; ``S E C R E T`` → ``SECRET``; a NOFORN handling word adds ``//NOFORN``.
    ``LIMITED OFFICIAL USE`` is the old equivalent of SBU and reads as FOUO, and so does an
    UNCLAS cable marked NOFORN (the site's metadata does so for all 15 such pages).
    """
    m = _layout(body).classification
    if not m:
        return None
    word = _SPACED.sub("", m.group(1)).upper()
    handling = parse_handling(body)
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


def parse_eo(body: str) -> ExecutiveOrder | None:
    """The E.O. line: ``E.O. 12958: DECL: 08/30/2016`` → order, decl as written, ISO date.

    Accepts the spellings seen (``EO 12958``, ``E.0. 12958``, ``E. O. 12958``, ``12958 DECL:``)
    and a decl written on the next line. The decl keeps its words (``DECL: 08/30/2016``,
    ``N/A``, ``DECL: OADR``, ``GDS 8/12/85 (TOMSETH, VICTOR L.) OR-P``) with spaces squeezed;
    its date, when it has one, comes out as ISO with two-digit years put in the century that
    makes sense for a declassification date (00–50 → 20xx).
    """
    front = _front(body)
    start = _layout(body).items_start
    found = [m for m in (_EO_WITH_DECL.search(front, start), _EO_AT_LINE_START.search(front, start)) if m]
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
    end = _EO_VALUE_END.search(text)
    if end:
        text = text[: end.start()]
    return _squeeze(text).strip(" ,;\\\"")


def _decl_date(decl: str) -> str | None:
    m = _NUMERIC_DATE.search(decl)
    if m:
        a, b, c = m.groups()
        if len(a) == 4:
            return _iso(int(a), int(b), int(c))
        return _iso(_full_year(c), int(a), int(b))
    m = _COMPACT_DATE.search(decl)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _WORD_DATE.search(decl)
    if m:
        day = m.group(1) or m.group(3)
        return _iso(_full_year(m.group(4)), _MONTHS[m.group(2).upper()], int(day) if day else 1) if day else None
    return None


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        year += 2000 if year <= 50 else 1900
    return year


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
_PERSON_IN_PARENS = re.compile(r"\(([^()]*)\)")
_TAG_SPLIT = re.compile(r"[,;]")
_TAG_TOKEN = re.compile(r"[A-Z0-9][A-Z0-9.&/'-]*")
_CODE_LIKE = re.compile(r"[A-Z]{2,4}")


def parse_tags(body: str) -> tuple[Tag, ...]:
    """The TAGS line, cleaned: one Tag per code, each once, in order, with its kind.

    Separators are spaces, commas and semicolons; the list goes on to the next lines while they
    look like more tags (or the line ended with a comma) and stops at SUBJECT, REF, a blank line
    or a line of prose. Glued codes are split on the code table (``ITPHUM`` → ``IT``, ``PHUM``).
    A misspelt code with one letter too many is the code (``ENERG`` → ``ENRG``). ``OVIP
    (CLINTON, HILLARY)`` and ``OVIP CLINTON HILLARY`` give a person tag ``CLINTON, HILLARY``; the
    keyword phrases some posts add (``HUMAN RIGHTS``, ``IRAQI FREEDOM``) stay one tag each, and
    any other word is a tag of its own, as the site links it.
    """
    layout = _layout(body)
    text = _tags_text(layout.front, layout.items_start)
    if not text:
        return ()
    tags: list[Tag] = []
    seen: set[str] = set()

    def add(tag: str, kind: str) -> None:
        if len(tag) > 1 and tag not in seen:
            seen.add(tag)
            tags.append(Tag(tag, kind))

    for item_kind, value in _tag_items(text.upper()):
        if item_kind == PERSON:
            add(value.strip(" ,"), PERSON)
            continue
        value = value.strip(" .:-")
        codes = _split_glued(value)
        for code in codes if len(codes) > 1 else [_typo_fixed(value)]:
            add(code, tag_kind(code))
    return tuple(tags)


def _tags_text(front: str, start: int = 0) -> str:
    """The text of the TAGS item: its line, cut at the next keyword, and its continuation lines."""
    m = _TAGS_MARK.search(front, start)
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
    if _PAGE_MARK.search(line):
        return _before_page_mark(line), True
    return line, False


_STATION_SERIAL = re.compile(r"([A-Z][A-Z ]*[A-Z]) +0*(\d{1,6})\b")


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


def _tag_items(text: str) -> list[tuple[str, str]]:
    """(kind, value) items: persons already joined, everything else one token or phrase."""
    items: list[tuple[str, str]] = []
    pos = 0
    for paren in _PERSON_IN_PARENS.finditer(text):
        items.extend(_plain_items(text[pos : paren.start()]))
        inside = _squeeze(paren.group(1))
        if inside:
            items.append((PERSON, _person(inside)) if _is_person(inside) else ("code", inside))
        pos = paren.end()
    items.extend(_plain_items(text[pos:]))
    return items


def _plain_items(text: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for chunk in _TAG_SPLIT.split(text):
        tokens = _TAG_TOKEN.findall(chunk)
        i = 0
        while i < len(tokens):
            phrase = _phrase_at(tokens, i)
            if phrase:
                items.append(("code", phrase))
                i += phrase.count(" ") + 1
                continue
            items.append(("code", tokens[i]))
            if tokens[i] == "OVIP":
                person = _person_after_ovip(tokens, i + 1)
                if person:
                    items.append((PERSON, person[0]))
                    i = person[1]
                    continue
            i += 1
    return items


_PHRASE_STARTS = frozenset(phrase.split()[0] for phrase in PHRASE_TAGS)


def _phrase_at(tokens: list[str], i: int) -> str | None:
    if tokens[i] not in _PHRASE_STARTS:
        return None
    for size in (4, 3, 2):
        phrase = " ".join(tokens[i : i + size])
        if phrase in PHRASE_TAGS:
            return phrase
    return None


def _person_after_ovip(tokens: list[str], i: int) -> tuple[str, int] | None:
    """``OVIP RICE CONDOLEEZZA`` → ("RICE, CONDOLEEZZA", next index)."""
    names: list[str] = []
    j = i
    while j < len(tokens) and len(names) < 4:
        token = tokens[j]
        if token in KNOWN_CODES or not (token.replace(".", "").isalpha()):
            break
        if names and len(token) <= 4 and not token.endswith(".") and _CODE_LIKE.fullmatch(token) and len(token) != 1:
            break
        names.append(token)
        j += 1
    if len(names) < 2 or not any(len(n) >= 5 for n in names):
        return None
    return f"{names[0]}, {' '.join(names[1:])}", j


def _is_person(text: str) -> bool:
    return "," in text and all(part.strip().replace(".", "").replace(" ", "").isalpha()
                               for part in text.split(","))


def _person(text: str) -> str:
    surname, _, given = text.partition(",")
    return f"{surname.strip()}, {given.strip()}"


def _typo_fixed(token: str) -> str:
    """``MOPPS`` → ``MOPS``, ``ENERG`` → ``ENRG``: an unknown word that is one known code with
    one letter too many (and only one such code) is that code."""
    if token in KNOWN_CODES or len(token) < 5 or not token.isalpha():
        return token
    candidates = {token[:k] + token[k + 1 :] for k in range(len(token))} & _TYPO_TARGETS
    return candidates.pop() if len(candidates) == 1 else token


def _split_glued(token: str) -> list[str]:
    """``ITPHUM`` → [IT, PHUM]; a token that is no sequence of known codes stays whole.

    Only codes of the code table count, and at least one code longer than two letters must be
    among them: otherwise words would fall apart into country codes (``POLITICS`` → PO LI TI CS).
    """
    if len(token) <= 4 or token in KNOWN_CODES or not token.isalpha():
        return [token]
    found = _segment(token, 0, {})
    if found and any(len(code) >= 3 for code in found):
        return found
    return [token]


def _segment(token: str, start: int, memo: dict[int, list[str] | None]) -> list[str] | None:
    if start == len(token):
        return []
    if start in memo:
        return memo[start]
    result = None
    for size in (4, 3, 2):
        code = token[start : start + size]
        if len(code) == size and code in _SPLITTABLE:
            rest = _segment(token, start + size, memo)
            if rest is not None:
                result = [code, *rest]
                break
    memo[start] = result
    return result


_SPLITTABLE = frozenset(code for code in KNOWN_CODES if 2 <= len(code) <= 4 and code.isalpha())


_TYPO_TARGETS = frozenset(SUBJECT_CODES) | frozenset(PROGRAM_CODES) | frozenset(
    code for code in ORGANISATION_CODES if len(code) >= 4
)


# --- SUBJECT ------------------------------------------------------------------------------------

_SUBJECT_STOP_LINE = re.compile(
    r"^[ \t]*(?:REFS?\b|REF\(S\)|REFERENCES?\b|CLASSIFIED\b|E\.?\s?O\.?\s?1\d|TAGS?\b|SIPDIS\b"
    r"|SUMMARY\b|¶?\d+[ \t]*[.)]|\(\w{1,4}(?:/+\w{1,4})*\)|-{3,}|[A-Z]\.[ \t])",
    re.I,
)
_SUBJECT_INLINE_END = re.compile(
    r"(?<![A-Za-z])(?:REFS?[ \t]*:|REF\(S\)[ \t]*:|REFTELS?\b|CLASSIFIED[ \t]+BY\b|\s1\.[ \t]*\(|-{5,}|/{5,})"
    r"|CLASSIFIED[ \t]+BY[ \t]*:|SENSITIVE BUT UNCLASSIFIED|,,\"|[ \t]CLASSIFIED[ \t]*$"
    r"|(?<=\.\.\.)\s*(?=\d|C O N F|S E C R E T|UNCLAS|CONFIDENTIAL|SECRET)"
    r"|(?<=\S)\s\((?:U|C|S|SBU|C/NF|S/NF)\)\s+(?-i:(?=[A-Z][a-z]))|(?-i:\sREF\s+(?=\d{2,}\s))",
    re.I,
)
"""Where a subject ends inside its line in flattened text: at REF/Classified By (also glued,
``…TO CAIROClassified By:``), an SBU caveat, a truncation mark ``...`` followed by the next
header, a marked paragraph of prose, or dump-row quotes (``,,""``)."""
_MARKING = re.compile(
    r"^\((?:U|C|S|TS|SBU|LOU|FOUO|NF|U//FOUO|U/FOUO|C/NF|S/NF|C//NF|S//NF|SBU/NF|U/SBU|S/REL[^)]*)\)\s*",
    re.I,
)
_TRAILING_MARKING = re.compile(r"\s+\((?:U|C|S|SBU|C/NF|S/NF|S//NF|C//NF|U//FOUO)\)$", re.I)
"""State's subjects may carry their marking at the end instead (``…GRAPHITE CASE (S)``)."""
_SUBJECT_LINES = 5


def parse_subject(body: str) -> str | None:
    """The SUBJECT item joined onto one line, its leading marking (``(C)``, ``(SBU)``) removed.

    It ends at a blank line, a REF/Classified By/numbered paragraph/marked paragraph line, or
    inline at ``REF:``/``Classified By`` in flattened text.
    """
    front = _front(body)
    m = _SUBJECT_MARK.search(front, _layout(body).items_start)
    if not m:
        return None
    lines = front[m.end() :].split("\n")
    if not lines[0].strip() and len(lines) > 2 and not lines[1].strip():
        lines = lines[2:]  # "SUBJECT:" alone, the subject after a blank line (09CAIRO200)
    parts: list[str] = []
    for index, line in enumerate(lines[:_SUBJECT_LINES]):
        if index and (not line.strip() or _SUBJECT_STOP_LINE.match(line)):
            break
        end = _SUBJECT_INLINE_END.search(line)
        if end:
            line = line[: end.start()]
        if _PAGE_MARK.search(line):
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


# --- Classified By -------------------------------------------------------------------------------

_REASON_WORD = re.compile(
    r"(?=[FPREUS1])(?:(?:\b(?:f\s?o\s?r|per)\s+)?(?:\bE\.\s?O\.\s*1\d{4},?\s*)?\br\s?e\s?a\s?s\s?o\s?n\s?s?\b\s*:?"
    r"|\bp\s?e\s?r\s+(?=1\s?\.)|\b(?:under\s+)?section\s+(?=1\s?\.)|\bE\.\s?O\.\s*1\d{4}"
    r"|(?<![\d.])1\s?[.,]\s?[4-6]\s*(?=\(|[a-h]\b))",
    re.I,
)
"""Where the reasons begin: ``for reasons``, ``Reason:``, ``per 1.4``, ``E.O. 12958 1.4``, or the
bare ``1.4 (b)``; also wrapped mid-word (``for rea sons``)."""
_REASON_CODE = re.compile(r"(?<![\d.])1\s?[.,]\s?([4-6])(?!\d)")
_LETTER_RUN = re.compile(r"(?:[\s(),&/+-]|\band\b|\bor\b|(?<![A-Za-z])[a-h](?![A-Za-z]))+", re.I)
_LETTER = re.compile(r"(?<![A-Za-z])([a-h])(?![A-Za-z])|(-)", re.I)
_STATEMENT_END = re.compile(r"\n[ \t]*\n|\s1\.[ \t]*\(|-{5,}| {3,}|\bSUMMARY\b")
_AFFAIRES = re.compile(r"\bd\s*,\s*affaires\b", re.I)
_TITLE_WORDS = frozenset("""
ambassador amb amb. ambassador-designate charge chargé charg d'affaires daffaires cda dcm
deputy chief of mission political economic econ pol polcouns polcounselor poloff econoff
counselor counsellor minister consul general principal officer offficer acting section head
director secretary assistant under affairs public management regional security rso defense
attache datt mc m/c p/e p/m mil polmil senior advisor adviser coordinator special envoy
representative permanent alternate u.s. us usun a.i. interagency provincial legal commercial
agricultural labor consular the and for office in staff polecon econpol a/s das pdas nea io eur
wha af sca eap isn inr drl mincouns polmincouns polmilcouns econcouns ministercounselor pao esth
a/dcm a/pol a/econ pol-econ d’affaires unit dir cg po desk chargé de affairs ecpo est epol internal
global issues ait watch cheif actiing com pm polmc econmincouns executive
""".split())
"""Words of an official's title (lower case; hyphen and slash compounds are split first)."""
_REPEATED_MARK = re.compile(r"classif\w*\s+(?:confidential\s+)?by\b\s*:?", re.I)
_NAME_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III)\.?$", re.I)


def parse_classified_by(body: str) -> ClassifiedBy | None:
    """``Classified By: Deputy Chief of Mission Daniel A. Russell. Reason 1.4 (b, d)``.

    Gives the official's name and title (the title words before the name, or the comma part
    after it: ``Chris Stevens, CDA, Embassy Tripoli``), the reasons as ``1.4(b)``… (E.O. 12958's
    1.5 too; ``1.5(b)-(d)`` spans b to d), and the whole statement on one line.
    """
    head = body[:_CLASSIFIED_BY_CHARS]
    m = _find_classified_by(head)
    if not m:
        return None
    end = _STATEMENT_END.search(head, m.end())
    raw = head[m.end() : end.start() if end else min(len(head), m.end() + 400)]
    statement = _squeeze(raw)
    repeated = _REPEATED_MARK.match(statement)  # "Classified By: CLASSIFIED BY POLOFF…"
    if repeated:
        statement = statement[repeated.end() :].lstrip()
    reason_at = _REASON_WORD.search(statement)
    reasons: tuple[str, ...] = ()
    if reason_at:
        who = statement[: reason_at.start()]
        reasons, reasons_end = _reasons(statement, reason_at.start())
        if reasons_end:
            statement = statement[:reasons_end]
    else:
        statement = _first_sentence(statement)
        who = statement
    name, title = _name_and_title(who)
    if not (name or title or reasons):
        return None
    text = _squeeze(head[m.start() : m.end()]) + " " + statement.rstrip()
    return ClassifiedBy(name=name, title=title, reasons=reasons, text=text)


def _find_classified_by(head: str) -> re.Match[str] | None:
    """The first ``Classified By`` (not ``DECLASSIFIED BY``), found with ``str.find`` first:
    a case-insensitive regex over 10,000 characters is the slowest step of the front matter."""
    upper = head.upper()
    if len(upper) != len(head):  # a character whose capital is longer shifts the positions
        return _CLASSIFIED_BY_MARK.search(head)
    at = upper.find("CLASSIFIED")
    while at >= 0:
        m = _CLASSIFIED_BY_MARK.match(head, at)
        if m:
            return m
        at = upper.find("CLASSIFIED", at + 10)
    return None


def _first_sentence(text: str) -> str:
    m = re.search(r"\.\s+(?=[A-Z(])", text)
    return text[: m.start() + 1] if m else text


def _reasons(statement: str, start: int) -> tuple[tuple[str, ...], int]:
    """The reasons from ``start`` on (``1.4(b)``, ``1.4(d)``) and where they end."""
    found: list[str] = []
    end = 0
    while True:
        code = _REASON_CODE.search(statement, end or start)
        if not code or code.start() - (end or start) > 40:
            break
        section = code.group(1)
        letters, letters_end = _reason_letters(statement, code.end())
        if letters:
            found.extend(f"1.{section}({letter})" for letter in letters)
            end = letters_end
        else:
            found.append(f"1.{section}")
            end = code.end()
    if end < len(statement) and statement[end : end + 1] == ".":
        end += 1
    return tuple(dict.fromkeys(found)), end


def _reason_letters(statement: str, pos: int) -> tuple[list[str], int]:
    """The letters after ``1.4``: ``(b) and (d)``, ``b/d``, ``(b,d)``, ``(b)-(d)`` (b to d)."""
    if statement.startswith(".(", pos):  # "Reason 1.4.(d)"
        pos += 1
    run = _LETTER_RUN.match(statement, pos)
    if not run:
        return [], pos
    letters: list[str] = []
    end = pos
    span = False
    for m in _LETTER.finditer(run.group(0)):
        if m.group(2):
            span = bool(letters)
            continue
        letter = m.group(1).lower()
        if span:
            letters.extend(chr(c) for c in range(ord(letters[-1]) + 1, ord(letter) + 1))
        else:
            letters.append(letter)
        span = False
        end = pos + m.end()
    rest = statement[end : end + 3]
    closing = re.match(r"\s?\)", rest)
    if closing:
        end += closing.end()
    return list(dict.fromkeys(letters)), end


def _name_and_title(who: str) -> tuple[str | None, str | None]:
    """Split ``Deputy Chief of Mission Daniel A. Russell`` or ``Chris Stevens, CDA, Embassy…``."""
    who = _AFFAIRES.sub("d'Affaires", who)
    who = re.sub(r"(?i)[\s,;:.]*\b(?:for|per|by)\s*$", "", who).strip(" ,.;:")
    if not who or who.lower().startswith("derived from"):
        return None, None
    parts = [p.strip(" .;:") for p in re.split(r"[,;]", who) if p.strip(" .;:")]
    name: str | None = None
    title: str | None = None
    for index, part in enumerate(parts):
        words = part.split()
        lead = 0
        while lead < len(words) and _is_title_word(words[lead]):
            lead += 1
        if lead and title is None:
            title = " ".join(words[:lead])
        rest = " ".join(words[lead:])
        if rest and name is None:
            name = rest
            if index + 1 < len(parts) and _NAME_SUFFIX.match(parts[index + 1]):
                name += ", " + parts[index + 1] + ("." if not parts[index + 1].endswith(".") else "")
        if name and title:
            break
    return name or None, title or None


def _is_title_word(word: str) -> bool:
    word = word.lower().strip(",.")
    if word in _TITLE_WORDS or word + "." in _TITLE_WORDS:
        return True
    if "/" in word and word.upper() == word.upper() and len(word) <= 8 and word.replace("/", "").isalpha():
        return True  # office symbols: ISN/CB, S/ES, E/Pol
    pieces = [p for p in re.split(r"[-/]", word) if p]
    return bool(pieces) and all(p in _TITLE_WORDS for p in pieces)
