"""Records already parsed, one JSON object a line: ``cables export --format jsonl`` (or ``cables
parse --json``) read back, so that an export ingested into another archive gives the same cables.

Like every source, this only reads: each line comes out as raw text in a :class:`Document` of kind
``record``. Turning it into a :class:`cables.record.Cable` is the ingest's work, done where pages
are parsed (:func:`cables.ingest.parallel.parse_document`), with
:meth:`cables.record.Cable.from_json` instead of the parser: the record *is* the parser's output
(every field, its warnings and layout too), so parsing its text again could only lose what the
archive held (the raw page is not in the record; its ``body_raw`` is the page's text as the parser
read it, not the page) — and the round trip is exact by construction, record for record. Why not
a new input shape of the parser instead: the parser reads cables as published (pages, texts,
dumps), never our own JSON, and stays free of this format; a line that is not a record is reported
like a page that holds no cable, and the run goes on.

A file is taken for such an export by its name (``.jsonl``, ``.ndjson``, or those gzipped) and its
first character (``{``).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


def _open(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="\n")
    return open(path, encoding="utf-8", newline="\n")


def is_record_lines(path: Path) -> bool:
    if not path.name.lower().endswith(SUFFIXES):
        return False
    try:
        with _open(path) as f:
            return f.read(64).lstrip("\ufeff \t\r\n").startswith("{")
    except (OSError, UnicodeDecodeError, EOFError):
        return False


def iter_record_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-blank line, streamed."""
    with _open(path) as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                yield n, line
