"""Bulk exports of the archive: the cables of a query (or all) as JSONL, CSV, GraphML or GEXF.

    chunks = export_chunks("tag:PGOV", "csv")        # raises QueryError on a bad query
    for chunk in chunks: out.write(chunk)

Every format is a generator of text chunks (a page of cables each, see :mod:`.selection`): the
``cables export`` command writes them to a file or standard output, the site streams them as a
download (``/search/export.FORMAT?q=…``), and an API can stream them the same way. Memory holds
one page, whatever the size of the archive. This layer reads the archive (store) and selects by
the search's query language (search); it never parses or ingests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import graph, records
from .selection import PAGE_SIZE, Selection

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Format:
    """An export format: its name (``--format``, the file's suffix), what a download is sent as,
    how many passes over the selection it makes (for a progress bar), its writer, what it is."""

    name: str
    media_type: str
    passes: int
    write: Callable[[Selection, Progress | None], Iterator[str]]
    about: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("jsonl", "application/x-ndjson", 1, records.jsonl,
           "one full JSON record a line, as `cables parse --json` prints it; `cables ingest` takes it back"),
    Format("csv", "text/csv", 1, records.csv_rows,
           "one row of metadata a cable (the columns below)"),
    Format("graphml", "application/graphml+xml", 2, graph.graphml,
           "the reference graph (cables, known-not-released ids, citations) in GraphML"),
    Format("gexf", "application/gexf+xml", 2, graph.gexf,
           "the reference graph in GEXF 1.3, Gephi's format"),
)}


def export_chunks(query: str | None, format: str, *, using: str = "default",
                  page_size: int = PAGE_SIZE, progress: Progress | None = None) -> Iterator[str]:
    """The export of the cables ``query`` finds (None or blank: all) in ``format``, as text chunks.

    The query is checked now: a bad one raises :class:`cables.search.query.QueryError` (a message
    naming the problem) before the first chunk, so that a caller can answer with an error instead
    of half a file. ``progress`` is called with the number of cables each page went through
    (``count(query) * FORMATS[format].passes`` in all)."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r} (one of {', '.join(FORMATS)})")
    selection = Selection.of(query, using=using, page_size=page_size)
    return FORMATS[format].write(selection, progress)


def count(query: str | None, using: str = "default") -> int:
    """How many cables the export of ``query`` holds."""
    return Selection.of(query, using=using).count()


def download_name(query: str | None, format: str) -> str:
    """A file name for the export of ``query``: ``cables-tag-PGOV.csv``, ``cables.jsonl``."""
    words = re.sub(r"[^A-Za-z0-9]+", "-", (query or "").strip()).strip("-")[:60].rstrip("-")
    return f"cables-{words}.{format}" if words else f"cables.{format}"
