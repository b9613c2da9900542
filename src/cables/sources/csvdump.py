"""Stream the cables.csv dump (251,287 rows, 1.6 GB) one row at a time, never whole in memory.

The dump is not RFC 4180 (backslash escapes, fields spanning lines), so rows are cut here by
tracking quotes and backslashes; each row's text goes to the parser, which reads its fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

_ROW_START = re.compile(rb'^"\d+","\d{1,2}/\d{1,2}/\d{4}')
_SPECIAL = re.compile(r'[\\"\n]')
CHUNK = 1 << 20


def is_csv_dump(path: Path) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    with open(path, "rb") as f:
        return _ROW_START.match(f.read(64).lstrip(b"\xef\xbb\xbf")) is not None


def iter_csv_dump_rows(path: Path) -> Iterator[tuple[int, str]]:
    """(row number, row text) for each row; the text keeps its quotes and escapes."""
    in_quotes = False
    pending_escape = False  # a backslash ended the previous chunk: skip the next character
    row: list[str] = []
    n = 0
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        while chunk := f.read(CHUNK):
            start = 0
            pos = 1 if pending_escape else 0
            pending_escape = False
            while m := _SPECIAL.search(chunk, pos):
                ch = m.group()
                pos = m.end()
                if ch == "\\":
                    if in_quotes:
                        if pos >= len(chunk):
                            pending_escape = True
                            break
                        pos += 1
                elif ch == '"':
                    in_quotes = not in_quotes
                elif not in_quotes:
                    row.append(chunk[start:pos])
                    start = pos
                    text = "".join(row)
                    row = []
                    if text.strip():
                        n += 1
                        yield n, text
            row.append(chunk[start:])
    text = "".join(row)
    if text.strip():
        n += 1
        yield n, text
