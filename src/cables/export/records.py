"""The cables themselves: JSONL (every field of every record) and CSV (one row of metadata each).

Both read each selected cable's latest version, packed in the archive (:mod:`cables.store.versions`),
and unpack it into the parser's record (:func:`cables.store.models.stored_record`): a JSONL line
is that record as ``cables parse --json`` prints it (:meth:`cables.record.Cable.dumps`), key for
key and byte for byte, so that ``cables ingest`` takes an export back (see
:mod:`cables.sources.records`). CSV keeps what a spreadsheet can hold: the columns of
:data:`COLUMNS`, each list's items joined by ``; ``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..record import Cable
from .selection import Selection

Progress = Callable[[int], None]


def _latest_records(selection: Selection, progress: Progress | None) -> Iterator[Iterator[Cable]]:
    """The selected cables' latest records, a page at a time; each page's records unpacked one
    by one as they are written (a page holds its packed versions, ~5 KB each, not its records)."""
    from ..store.models import stored_record  # the models need Django set up: not at import

    for page in selection.pages("v.data", "JOIN store_cableversion v ON v.id = c.latest_version_id"):
        yield (stored_record(data) for _, data in page)
        if progress is not None:
            progress(len(page))


def jsonl(selection: Selection, progress: Progress | None = None) -> Iterator[str]:
    """One JSON record a line, as ``cables parse --json`` writes them."""
    for records in _latest_records(selection, progress):
        yield "".join(record.dumps() + "\n" for record in records)


# --- CSV ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    about: str
    value: Callable[[Cable], object]


LIST_SEPARATOR = "; "  # a tag may hold a space (ITALIAN POLITICS), a signer too


def _joined(values) -> str:
    return LIST_SEPARATOR.join(values)


COLUMNS: tuple[Column, ...] = (
    Column("id", "the reference id, corrected (canonical_id: 06ASTANA38)", lambda r: r.canonical_id),
    Column("reference_id", "the id as published", lambda r: r.reference_id),
    Column("created", "ISO 8601 date and time (2006-04-24T03:36)", lambda r: r.created),
    Column("released", "when the site released it (ISO 8601), empty where unknown", lambda r: r.released),
    Column("classification", "as in the metadata (SECRET//NOFORN)", lambda r: r.classification),
    Column("origin", "the sending post (Embassy Astana)", lambda r: r.origin),
    Column("subject", "the subject line", lambda r: r.subject),
    Column("tags", "the TAGS codes (PGOV; PREL; KZ)", lambda r: _joined(t.tag for t in r.tags)),
    Column("references", "the ids the REF items cite (items without an id left out)",
           lambda r: _joined(ref.id for ref in r.references if ref.id)),
    Column("handling", "handling words (SIPDIS; NOFORN)", lambda r: _joined(r.handling)),
    Column("precedence", "of the message (P, O, R…)", lambda r: r.precedence),
    Column("from", "the sender as the FM line names it", lambda r: r.from_.name if r.from_ else None),
    Column("to", "the TO addressees", lambda r: _joined(a.name for a in r.to)),
    Column("info", "the INFO addressees", lambda r: _joined(a.name for a in r.info)),
    Column("signers", "the surnames at the end", lambda r: _joined(r.signers)),
    Column("paragraphs", "how many numbered paragraphs", lambda r: len(r.paragraphs)),
    Column("partial", "true for a partial extract or a record of metadata alone",
           lambda r: "true" if r.partial else "false"),
    Column("summary", "the summary text, empty where none", lambda r: r.summary),
)


def csv_rows(selection: Selection, progress: Progress | None = None) -> Iterator[str]:
    """A header row, then one row a cable (RFC 4180: CRLF, quotes where needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.name for column in COLUMNS])
    for records in _latest_records(selection, progress):
        for record in records:
            writer.writerow(["" if (v := column.value(record)) is None else v for column in COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # the header of an empty selection
        yield buffer.getvalue()
