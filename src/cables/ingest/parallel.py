"""Parse many documents on every core, in input order, one outcome per document.

A document that fails does not stop the run: its outcome carries the error, the caller reports it
and goes on (bad input gets a clear error, the rest of the work goes on).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..parse import EMPTY_CONTEXT, ParseContext, ParseError, parse
from ..processes import end_with_parent
from ..record import Cable, quick_pickle
from ..sources.documents import RECORD, Document
from .records import record_from_line


@quick_pickle
@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one document: its cables, or the reason it gave none."""

    name: str
    cables: tuple[Cable, ...] = ()
    error: str | None = None
    extras: tuple = ()
    """Per cable, what ``derive`` computed from it in the parsing process (see parse_documents)."""

    @property
    def ok(self) -> bool:
        return self.error is None


Derive = Callable[[Cable], Any]

_worker_context: ParseContext = EMPTY_CONTEXT
_worker_derive: Derive | None = None


def _init_worker(context: ParseContext, derive: Derive | None, niceness: int) -> None:
    global _worker_context, _worker_derive
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    _worker_context = context
    _worker_derive = derive
    end_with_parent()  # a killed ingest's parsers do not parse its source for nobody


def parse_document(doc: Document, context: ParseContext | None = None,
                   derive: Derive | None = None) -> Outcome:
    """Parse one document; any failure becomes an Outcome with the error, never an exception.
    A record parsed already (a line of a JSONL export) is taken as it is, not parsed again."""
    ctx = _worker_context if context is None else context
    try:
        if doc.kind == RECORD:
            cables: tuple[Cable, ...] = (record_from_line(doc.data, doc.name),)
        else:
            cables = tuple(parse(doc.data, source=doc.name, context=ctx))
        extras = tuple(derive(c) for c in cables) if derive else ()
        return Outcome(doc.name, cables, extras=extras)
    except ParseError as exc:
        return Outcome(doc.name, error=exc.reason)
    except Exception as exc:  # a parser bug must not lose the rest of the run
        return Outcome(doc.name, error=f"internal parser error: {type(exc).__name__}: {exc}")


def _parse_batch(docs: list[Document]) -> list[Outcome]:
    return [parse_document(d, derive=_worker_derive) for d in docs]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def parse_documents(
    documents: Iterable[Document], context: ParseContext = EMPTY_CONTEXT, jobs: int | None = None,
    batch_size: int = 32, derive: Derive | None = None, niceness: int = 0,
) -> Iterator[Outcome]:
    """Outcomes of ``documents`` in input order, parsed by ``jobs`` processes (1: in-process).

    ``derive`` (a module-level function) is applied to each cable in the parsing process, so
    work that only needs the record (hashing it, for ingest) is spread over the cores too.
    ``niceness``: the parsing processes lower their priority by that much, for a caller whose
    own thread is the bottleneck (ingest's writer): they then use the CPU it leaves.
    """
    jobs = jobs or default_jobs()
    if jobs <= 1:
        for doc in documents:
            yield parse_document(doc, context, derive)
        return
    batches = _batched(documents, batch_size)
    with ProcessPoolExecutor(jobs, initializer=_init_worker,
                             initargs=(context, derive, niceness)) as pool:
        # Keep a bounded number of batches in flight so a huge source is never held in memory.
        pending = []
        source_error: Exception | None = None
        try:
            for batch in batches:
                pending.append(pool.submit(_parse_batch, batch))
                if len(pending) >= jobs * 4:
                    yield from pending.pop(0).result()
        except Exception as exc:  # the source broke (a truncated archive): finish what was read
            source_error = exc
        for future in pending:
            yield from future.result()
        if source_error is not None:
            raise source_error


def _batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Batches of ``size``; when the source fails, the documents read so far come first."""
    batch: list[Document] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch
