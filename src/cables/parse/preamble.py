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
from .grammar import (
    CLASSIFICATION_LINE,
    CLASSIFICATION_LINE_HERE as _CLASSIFICATION_LINE_HERE,
    PAGE_COUNT,
    squeeze,
)
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


# --- text exports: five lines of metadata, then the raw cable -------------------------------------

# One file a cable: the reference id, the subject, the creation date as Ruby writes a time
# (``Fri Feb 23 00:00:00 +0100 2001``), the classification, the origin (``** Dhahran`` in some),
# then the cable's text — or nothing, when the export had the metadata only.
_EXPORT_LINES = re.compile(
    r"[ \t\n]*(?P<reference_id>\d{2,4}[A-Za-z][A-Za-z0-9]*\d)[ \t]*\n"
    r"(?P<subject>[^\n]*)\n"
    r"(?P<created>[A-Z][a-z]{2}[ \t]+[A-Z][a-z]{2}[ \t]+\d{1,2}[ \t]+\d{1,2}:\d\d(?::\d\d)?"
    r"(?:[ \t]+[+-]\d{4})?[ \t]+\d{4})[ \t]*\n"
    r"(?P<classification>[^\n]*)(?:\n(?P<origin>[^\n]*))?(?:\n|\Z)"
)
_CLASSIFICATION_WORD = (r"(?:UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|LIMITED[ \t]+OFFICIAL[ \t]+USE|"
                        r"C[ \t]O[ \t]N[ \t]F[ \t]I[ \t]D[ \t]E[ \t]N[ \t]T[ \t]I[ \t]A[ \t]L|S[ \t]E[ \t]C[ \t]R[ \t]E[ \t]T)")
# The serial line glued to the end of the header's last line: "…SECSTATE WASHDC 8861UNCLAS
# CHISINAU 000081", "…CIA WASHDC IMMEDIATESECRET CAIRO 000269"; also a later section's head
# glued to the text before it ("…as reported.CONFIDENTIAL SECTION 02 OF 03 CAIRO 000269").
_GLUED_SERIAL_LINE = re.compile(
    rf"(?<=\S){_CLASSIFICATION_WORD}(?=(?:[ \t]+SECTION[ \t]+\d+[ \t]+OF[ \t]+\d+)?[ \t]+"
    r"[A-Z][A-Z .'-]*[ \t]+\d{1,8}[ \t]*$)",
    re.M,
)
# A page line with the next page's first words glued after it: "CHISINAU 00000081 002 OF 003The…",
# "… 003 OF 0039. (C)" (the page count has three digits: what follows is text).
# (One glued after text is cut by the body cleaner, which reads its station from the serial line.)
_GLUED_AFTER_PAGE_LINE = re.compile(rf"(?<=[ \t]\d{{8}})([ \t]+{PAGE_COUNT})(?=\S)")


def read_export_lines(text: str) -> tuple[dict[str, str], str] | None:
    """The metadata of a text export's five lines and the raw cable text after them (may be
    empty), or None when ``text`` does not open with those lines.

    The plain-text reader undoes the export's gluing of lines (:func:`unglue_lines`).
    """
    m = _EXPORT_LINES.match(text)
    if m is None:
        return None
    meta = {"reference_id": m.group("reference_id"), "created": m.group("created")}
    for key in ("subject", "classification", "origin"):
        value = squeeze(m.group(key) or "").lstrip("* ").strip()
        if value:
            meta[key] = value
    rest = text[m.end() :]
    return meta, rest


def unglue_lines(text: str) -> str:
    """Cable text with the lines that exports run together cut apart again: the serial line
    glued to the header's last line (:data:`_GLUED_SERIAL_LINE`), the next page's words glued
    to a page line (:data:`_GLUED_AFTER_PAGE_LINE`). Text without such gluing is unchanged."""
    text = _GLUED_SERIAL_LINE.sub(r"\n\g<0>", text)
    if " OF " in text:
        text = _GLUED_AFTER_PAGE_LINE.sub(r"\1\n", text)
    return text
