"""The lines of the printed message that are not the cable's text: page and section lines.

:func:`clean_body` keeps the cable's own line breaks (no reflow); it removes the page-break
markers that the message system printed at each page (``ASTANA 00000038  001.2 OF 002``,
``PAGE 02 ROME 01196 01 OF 02 082030Z``), the mid-body ``SECTION 02 OF 03`` lines of old
multi-section cables, the cables.csv columns that the final-release pages glued after the
signature, trailing spaces and runs of blank lines.

Every rule here is looked for from a literal first (``" OF 0"``, ``"PAGE "``, ``"SECTION"``,
the ``0`` of the dump columns) and its regex tried only where the literal is, on the lines that
hold it: a regex tried at every character of a 10 KB body costs more than the rest of the
cleaning.
"""

from __future__ import annotations

import re

from .grammar import (
    LATER_SECTION_LINE as _LATER_SECTION_LINE,
    OLD_FOOTER_LINE as _OLD_FOOTER_LINE,
    OLD_PAGE_FOOTER as _OLD_PAGE_FOOTER,
    OLD_PAGE_HEAD as _OLD_PAGE_HEAD,
    PAGE_NUMBERS as _PAGE_NUMBERS,
    PAGE_OF_AFTER as _PAGE_OF_AFTER,
    PAGE_OF_LINE as _PAGE_OF_LINE,
    PARAGRAPH_START,
    STATION_SERIAL as _HEADER_STATION,
)

# --- page-break markers ----------------------------------------------------------------------
# The page-line shapes are the format's (:mod:`.grammar`); how they are cut from a body is here.

# ``ASTANA 00000038  001.2 OF 002``: the station before the serial is cut to 10 characters
# (``BUENOS AIR``, ``USUN NEW Y``).
_STATION_TAIL = re.compile(r"(?<![A-Za-z0-9'])([A-Z][A-Z.'\- ]{0,11}?)[ \t]*$")
_HEADER_STATION_CHARS = 3000
_WORD = re.compile(r"\S+")

# The final-release pages append cables.csv columns after the signature, on the same line:
# ``STEVENS 0 03/13/2008 9871 PGOV,PREL,PHUM,PINR,LY DETAINED HUMAN RIGHTS … summary``. The
# pattern opens on the "0" (its blank checked behind it): a leading blank is the commonest
# character of a text, and the regex engine would stop at every one.
_DUMP_COLUMNS = re.compile(
    r"0(?<= 0)[ \t]+\d{1,2}/\d{1,2}/\d{4}(?:[ \t]+\d+[ \t]+[A-Z][A-Z0-9]+(?:,[ \t]*[A-Z][A-Z0-9]*)+\b.*|[ \t.]*$)",
    re.S,
)
# Every line is right-stripped first and stays so, hence a blank line is an empty one.
_BLANK_RUNS = re.compile(r"\n\n\n+")
_PAGE_WORD = re.compile("PAGE ")


def clean_body(body_raw: str, lines: list[str] | None = None) -> str:
    """The body as a reader wants it: page and section markers gone, line breaks kept.

    ``lines``, when given, is ``body_raw.split("\n")`` (the extractor has it already).
    """
    if lines is None:
        if "\r" in body_raw:
            body_raw = body_raw.replace("\r\n", "\n").replace("\r", "\n")
        lines = body_raw.split("\n")
    text = "\n".join(map(str.rstrip, lines))
    markers = _page_number_markers(text)
    if markers:
        text = _remove_page_numbers(text, markers)
    if _PAGE_WORD.search(text):  # a literal-led regex finds it faster than `in` does
        text = _remove_old_page_heads(text)
    text = _remove_later_section_lines(text)
    junk = _DUMP_COLUMNS.search(text)
    if junk:
        text = text[: junk.start() - 1].rstrip()  # from the blank before the "0"
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n").rstrip()


def _page_number_markers(text: str) -> list[re.Match[str]]:
    """The ``0000NNNN 00P OF 00N`` markers, found from their literal `` OF 0`` (fast)."""
    found = []
    position = text.find(" OF 0")
    while position >= 0:
        m = _PAGE_NUMBERS.search(text, max(0, position - 24), position + 8)
        if m:
            found.append(m)
        position = text.find(" OF 0", position + 5)
    return found


def _remove_page_numbers(text: str, markers: list[re.Match[str]]) -> str:
    """Cut every ``STATION 0000NNNN 00P OF 00N`` marker, whole line or glued inside a line.

    A marker alone on its line goes with its line. A glued one (flattened pages) takes the
    station with it: the station is read from the header line that carries the same serial
    (``SECTION 01 OF 03 TRIPOLI 000220``), so that an upper-case word of the text before the
    marker (``GOL TRIPOLI 00000220``, ``IN NEW YORK TRIPOLI 00000014``) is not taken for part
    of the station.
    """
    pieces: list[str] = []
    position = 0
    stations: dict[str, tuple[str, ...]] = {}
    for m in markers:
        if m.start() < position:
            continue
        line_start = max(text.rfind("\n", 0, m.start()) + 1, position)
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start : m.start()]
        station_start = line_start + _station_offset(before, m.group(1), text, stations)
        if not text[line_start:station_start].strip() and not text[m.end() : line_end].strip():
            pieces.append(text[position:line_start])  # the marker is the whole line
            position = min(line_end + 1, len(text))
            continue
        head = text[position:station_start].rstrip(" \t")
        pieces.append(head)
        rest_start = m.end()
        while rest_start < line_end and text[rest_start] in " \t":
            rest_start += 1
        if head and not head.endswith("\n") and text[line_start:station_start].strip() and rest_start < line_end:
            pieces.append(" ")
        position = rest_start
    pieces.append(text[position:])
    return "".join(pieces)


def _station_offset(before: str, serial: str, text: str, stations: dict[str, tuple[str, ...]]) -> int:
    """Where the station starts in ``before`` (the line up to the marker's serial)."""
    stripped = before.rstrip(" \t")
    tail = _STATION_TAIL.search(stripped)
    if not tail:
        return len(before)
    candidate = tail.group(1).strip()
    if not candidate:
        return len(before)
    if stripped[: tail.start()].strip() == "" and len(candidate) <= 12:
        return len(before) - len(before.lstrip(" \t"))  # the marker opens its line
    known = stations.get(serial)
    if known is None:
        known = _stations_for_serial(text, serial)
        stations[serial] = known
    words = [(w.start(), w.group()) for w in _WORD.finditer(candidate)]
    for k in range(len(words)):
        guess = " ".join(word for _, word in words[k:])
        if any(guess == name or (len(guess) >= 9 and name.startswith(guess)) for name in known):
            return tail.start(1) + words[k][0]  # "GAZA  LONDON": spaces kept as written
    # unknown station: take the last word only (most stations are one word)
    return stripped.rfind(words[-1][1])


def _stations_for_serial(text: str, serial: str) -> tuple[str, ...]:
    """The names a header line gives before ``serial``, each cut to 10 characters too.

    Page markers (``… BY GAZA LONDON 00000207  001.2 OF 005``) carry the serial too but are
    not header lines: the words before them are text. Only the lines that hold the serial's
    digits are scanned (a header match never spans lines).
    """
    number = str(int(serial))
    window = min(len(text), _HEADER_STATION_CHARS)
    found: set[str] = set()
    line_end = 0
    at = text.find(number, 0, window)
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        if line_start >= line_end:  # a line not scanned yet
            line_end = text.find("\n", at, window)
            line_end = window if line_end < 0 else line_end
            _add_header_stations(text, line_start, line_end, number, found)
        at = text.find(number, max(at + 1, line_end), window)
    return tuple(found)


def _add_header_stations(text: str, start: int, end: int, number: str, found: set[str]) -> None:
    for m in _HEADER_STATION.finditer(text, start, end):
        if m.group(2) != number or _PAGE_OF_AFTER.match(text, m.end()):
            continue
        words = m.group(1).split()
        for k in range(len(words)):
            name = " ".join(words[k:])
            found.add(name)
            found.add(name[:10].rstrip())


def _lines_holding(text: str, literal: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` from ``start`` on that holds ``literal``, in order."""
    spans: list[tuple[int, int]] = []
    at = text.find(literal, start)
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        spans.append((max(line_start, start), line_end))
        at = text.find(literal, line_end)
    return spans


def _remove_old_page_heads(text: str) -> str:
    """Drop OASYS page heads (``PAGE 02 ROME 01196 01 OF 02 082030Z``) and their footers.

    Both shapes hold ``PAGE``: only the lines that do are tried.
    """
    candidates = _lines_holding(text, "PAGE")
    hits = [(start, end) for start, end in candidates
            if _PAGE_OF_LINE.match(text, start, end) or _OLD_PAGE_HEAD.match(text, start, end)]
    if not hits:
        return text
    lines = text.split("\n")
    line_number = _line_numbers(text, [start for start, _ in hits])
    for i in line_number:
        line = lines[i]
        if _PAGE_OF_LINE.match(line):
            lines[i] = ""
            continue
        head = _OLD_PAGE_HEAD.match(line)
        if not head:
            continue
        lines[i] = line[head.end() :]
        j = i - 1
        while j >= 0 and (not lines[j].strip() or _OLD_FOOTER_LINE.match(lines[j])):
            if lines[j].strip():
                lines[j] = ""
            j -= 1
        if j >= 0:
            lines[j] = _OLD_PAGE_FOOTER.sub("", lines[j])
    return "\n".join(lines)


def _line_numbers(text: str, offsets: list[int]) -> list[int]:
    """The 0-based line number of each offset (``offsets`` ascending)."""
    numbers = []
    counted = 0
    line = 0
    for offset in offsets:
        line += text.count("\n", counted, offset)
        counted = offset
        numbers.append(line)
    return numbers


def _remove_later_section_lines(text: str) -> str:
    """Drop ``SECTION 02 OF 03`` lines, except at the very top where they name the cable."""
    if text.find("SECTION", 60) < 0:
        return text
    top = _nth_line_end(text, 3)
    spans = [(start, end) for start, end in _lines_holding(text, "SECTION", top)
             if _LATER_SECTION_LINE.match(text, start, end)]
    if not spans:
        return text
    pieces = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _nth_line_end(text: str, count: int) -> int:
    """The offset after the ``count``-th non-blank line."""
    seen = 0
    position = 0
    while seen < count:
        end = text.find("\n", position)
        if end < 0:
            return len(text)
        if text[position:end].strip():
            seen += 1
        position = end + 1
    return position
