"""Debris before the cable body: the metadata that other tools glued in front of the text.

About one page in fourteen of the 2011 mirror does not start its body with the classification
line but with leftovers of whoever produced it: a key/value block (``id: 2745`` … ``header ends``,
07BOGOTA1903), a dump row split into lines (06MEXICO456), a CSV row (08MEXICO23), a weekday date
line (00HARARE6677), ``Cable dated:…`` glued to the text (02ANKARA8305), or a title with
``Class:``/``Key:``/``Tags:`` lines (06LONDON4338). Left in place, the TAGS and header lines of
that debris would be read as the cable's own. The debris is cut here, and what it states is
returned as metadata, so a text dump in such a shape still yields its id, date and origin.
"""

from __future__ import annotations

import re

# A classification line that starts a cable body, in all its shapes: the format's (.grammar).
from .grammar import CLASSIFICATION_LINE, CLASSIFICATION_LINE_HERE as _CLASSIFICATION_LINE_HERE
_FIRST_NON_BLANK = re.compile(r"\S")
_KEY_VALUE = re.compile(
    r"^(id|date|refid|origin|source|classification|destination|class|key|tags|misc|header):[ \t]*(.*)$",
    re.M | re.I,
)
_HEADER_ENDS = re.compile(r"^-+\s*header ends\s*-+[ \t]*$", re.M | re.I)
_CABLE_DATED = re.compile(r"^\s*(?:ID:\s*\d+\s+)?Cable dated:\s*(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d)?", re.I)
_WEEKDAY_LINE = re.compile(
    r"^\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4},"
    r"\s+\d{1,2}:\d\d[ \t]*\n"
)
_ROW_LINES = re.compile(
    r"^\s*(?:>\s*\n)?(?:\d+\s*\n)?(?P<date>\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?|\d\d\.\d\d\.\d{4} \d\d:\d\d)"
    r"\s*\n(?P<ref>\d\d[A-Z][A-Z0-9]*\d)\s*\n(?P<origin>[^\n]+)\n(?P<classification>[A-Z/ ]+)\n"
)
_CSV_LINE = re.compile(
    r'^\s*\d+,(?P<date>\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d),(?P<ref>\d\d[A-Z][A-Z0-9]*\d),'
    r'"?(?P<origin>[^",]+)"?,(?P<classification>[A-Z/ ]+),'
)
_CSV_BODY_START = re.compile(r'",\s*"(?=\s*(?:U?UNCLAS|C ?O ?N ?F|S ?E ?C ?R ?E ?T|CONFIDENTIAL|SECRET))')
_SEARCH_LINES = 120
_REFERENCE_ID = re.compile(r"^\d\d[A-Z][A-Z0-9]*\d$")
_STRAY_MARKS = "]\"'.>|"


def strip_preamble(body: str) -> tuple[str, dict[str, str]]:
    """The body without leading debris, and the metadata the debris stated (may be empty)."""
    first = _FIRST_NON_BLANK.search(body)
    if first is None or _CLASSIFICATION_LINE_HERE.match(body, first.start()):
        return body, {}  # the common case, told without copying the body
    head = body.lstrip()
    if not head or CLASSIFICATION_LINE.match(head):
        return body, {}
    if head[0] in _STRAY_MARKS and CLASSIFICATION_LINE.match(head, 1):  # ']C O N F…' (05LIMA3571)
        return head[1:], {}
    m = _CABLE_DATED.match(head)
    if m:
        rest = head[m.end() :]
        if rest[:1] in _STRAY_MARKS:
            rest = rest[1:]
        return rest, {"created": f"{m.group(1)} {m.group(2)}"}
    m = _WEEKDAY_LINE.match(head)
    if m:
        return head[m.end() :], {}
    if _KEY_VALUE.match(head):
        return _strip_key_values(head)
    m = _ROW_LINES.match(head)
    if m:
        return _cut_at_classification(head, m.end()), _meta(m)
    m = _CSV_LINE.match(head)
    if m:
        start = _CSV_BODY_START.search(head, m.end())
        cut = head[start.end() :] if start else _cut_at_classification(head, m.end())
        return cut.rstrip().removesuffix('"'), _meta(m)
    if _KEY_VALUE.search(head[:600]):  # a title line, then Class:/Date:/Key:/Tags: (06LONDON4338)
        return _strip_key_values(head)
    return body, {}


def _strip_key_values(head: str) -> tuple[str, dict[str, str]]:
    """A block of ``key: value`` lines (after at most one title line), then the cable."""
    meta: dict[str, str] = {}
    end = 0
    pos = 0
    for number, line in enumerate(head[:4000].split("\n")):
        m = _KEY_VALUE.match(line)
        if m:
            key, value = m.group(1).lower(), m.group(2).strip()
            field = _KEY_FIELDS.get(key)
            if field == "origin" and _REFERENCE_ID.match(value):  # "ORIGIN: 09KUWAIT110"
                field = "reference_id"
            if field and value:
                meta.setdefault(field, value)
            end = pos + len(line)
        elif line.strip() and not (number == 0 or line.lower().startswith(("misc:", "source:", "header:"))):
            break
        pos += len(line) + 1
    ends = _HEADER_ENDS.search(head, end)
    if ends:
        return head[ends.end() :].lstrip("\n"), meta
    return _cut_at_classification(head, end), meta


_KEY_FIELDS = {"refid": "reference_id", "key": "reference_id", "date": "created", "origin": "origin",
               "source": "origin", "classification": "classification", "class": "classification"}


def _cut_at_classification(head: str, start: int) -> str:
    """From the first classification line after ``start`` within the next lines; else unchanged."""
    limit = _nth_line_end(head, start, _SEARCH_LINES)
    for m in CLASSIFICATION_LINE.finditer(head, start, limit):
        # "secret by taking very careful steps…": a line of prose in a lower-cased cable
        # (08STATE43817), not its classification line.
        if not m.group().islower():
            return head[m.start() :]
    return head


def _nth_line_end(text: str, start: int, n: int) -> int:
    pos = start
    for _ in range(n):
        pos = text.find("\n", pos + 1)
        if pos < 0:
            return len(text)
    return pos


def _meta(m: re.Match) -> dict[str, str]:
    return {
        "created": m.group("date"),
        "reference_id": m.group("ref"),
        "origin": m.group("origin").strip(),
        "classification": m.group("classification").strip(),
    }
