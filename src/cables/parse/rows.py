"""Rows of the cables.csv dump, and the tab-separated variant found inside a corrupted page.

cables.csv is not RFC 4180: fields are double-quoted and quotes inside are escaped with a
backslash (``\\"``, ``\\'``), and header and body span many lines. The tokenizer here reads one
field at a time from any iterable of text chunks, so the streaming reader of the 1.6 GB dump
(``sources.csvdump``) and the single-row parser share one grammar.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .errors import ParseError

CSV_COLUMNS = ("id", "date", "reference_id", "origin", "classification", "references", "header", "body")


def iter_csv_rows(chunks: Iterable[str]) -> Iterator[list[str]]:
    """Yield rows (lists of field strings) from the dump's text, chunk by chunk."""
    field: list[str] = []
    row: list[str] = []
    in_quotes = False
    escape = False
    outside: list[str] = []
    for chunk in chunks:
        i = 0
        n = len(chunk)
        while i < n:
            if in_quotes:
                if escape:
                    ch = chunk[i]
                    field.append(ch)
                    escape = False
                    i += 1
                    continue
                j = _next_special(chunk, i)
                if j > i:
                    field.append(chunk[i:j])
                    i = j
                    continue
                ch = chunk[i]
                if ch == "\\":
                    escape = True
                else:  # closing quote
                    in_quotes = False
                    row.append("".join(field))
                    field = []
                i += 1
            else:
                ch = chunk[i]
                if ch == '"':
                    in_quotes = True
                    outside = []
                elif ch == "\n":
                    if row:
                        yield row
                    row = []
                elif ch in ",\r \t":
                    pass
                else:
                    outside.append(ch)
                i += 1
    if in_quotes:
        row.append("".join(field))
        if row:
            yield row
        raise ParseError("the dump ends inside a quoted field (truncated file?)")
    if row:
        yield row


_SPECIAL = re.compile(r'[\\"]')


def _next_special(chunk: str, start: int) -> int:
    m = _SPECIAL.search(chunk, start)
    return m.start() if m else len(chunk)


def csv_row_fields(row: list[str]) -> dict[str, str]:
    """Name the fields of a row; a row of another width is refused."""
    if len(row) != len(CSV_COLUMNS):
        raise ParseError(f"a cables.csv row has {len(row)} fields, expected {len(CSV_COLUMNS)}")
    return dict(zip(CSV_COLUMNS, row))


_DUMP_DATE = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?"
# Rows start with an optional numeric id and the date; some corrupted rows repeat that prefix
# (08BERN443: "167757<TAB>date<TAB>167757<TAB>date<TAB>08BERN443<TAB>...").
_TAB_ROW_START = re.compile(
    rf"^(?:(?:\d+|{_DUMP_DATE})\t)*(?P<date>{_DUMP_DATE})\t(?P<ref>\d{{2}}[A-Z][A-Z0-9]*?\d+)\t", re.M
)
_TAB_ROW_START_HERE = re.compile(_TAB_ROW_START.pattern[1:])  # the same, where it is tried


_FIRST_NON_BLANK = re.compile(r"\S")


def looks_like_tab_rows(text: str) -> bool:
    # as `_TAB_ROW_START.match(text.lstrip())`, without copying the body: the row must start at
    # the first non-blank character (where "^" holds in the stripped text)
    first = _FIRST_NON_BLANK.search(text)
    return first is not None and _TAB_ROW_START_HERE.match(text, first.start()) is not None


def iter_tab_rows(text: str) -> Iterator[dict[str, str]]:
    """Rows of the tab-separated dump with backslash line continuations.

    Each record is ``[id TAB] date TAB reference id TAB origin TAB classification TAB
    references TAB header TAB body``, every line inside a field ending in a backslash. What
    follows the body after another tab is debris of a repeated row (08BERN443) and is dropped.
    """
    text = text.lstrip()
    starts = list(_TAB_ROW_START.finditer(text))
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        chunk = _CONTINUATION.sub("\n", text[m.end() : end].rstrip("\n"))
        parts = chunk.split("\t")
        if len(parts) < 5:
            continue
        origin, classification, references, header, body = (_TRAILING_BACKSLASH.sub("", p) for p in parts[:5])
        yield {
            "date": m.group("date"),
            "reference_id": m.group("ref"),
            "origin": origin,
            "classification": classification,
            "references": references,
            "header": header,
            "body": body,
        }


_CONTINUATION = re.compile(r"\\\n")
_TRAILING_BACKSLASH = re.compile(r"\s*\\\s*$")
