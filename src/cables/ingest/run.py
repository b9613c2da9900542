"""Ingest sources into the archive: parse on every core, write in batches, one release per source.

Each batch of parsed cables is stored in one transaction (``store.writer.store_batch``), so a run
killed at any moment leaves whole batches only; run again, the stored cables come back
``unchanged`` and the rest is written — the archive ends as if nothing had happened. A document
that fails is logged with its reason and the run goes on.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..parse import EMPTY_CONTEXT, ParseContext
from ..sources.documents import SourceError, iter_documents
from ..store import fts
from ..store.versions import fingerprint
from .parallel import default_jobs, parse_documents

BATCH = 1000
READ_AHEAD = 2000  # parsed documents held ready while a batch is being written
# The writer (one thread: SQLite, or the client of the one PostgreSQL connection) is what an
# ingest waits for; with the parsers as nice as this, it keeps a core to itself. On the mirror
# with SQLite: 9.4, 9.8, 10.0 s at 0 against 8.7, 9.1, 9.2 s at 10 (the same at 19).
PARSER_NICENESS = 10


@dataclass
class SourceReport:
    """What one source gave: counts, failures, the release it went into."""

    source: str
    release: str | None
    documents: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    def to_json(self) -> dict:
        return {"source": self.source, "release": self.release, "documents": self.documents,
                "new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "removed": self.removed, "failed": self.failed, "seconds": round(self.seconds, 2),
                "failures": [{"document": d, "error": e} for d, e in self.failures]}


Progress = Callable[[int], None]
# Called after each batch's transaction committed, with (cable id, version id, new to the
# archive, the ranking index's texts or None) of each cable it gave a new version.
Stored = Callable[[list[tuple[int, int, bool, tuple[str, str] | None]]], None]


class Writes(Protocol):
    """Told of each write of a source's ingest that gives the archive a new generation
    (:mod:`cables.store.generation`): the release opened, each batch, the release finished.
    ``before()`` right before the write; ``after(changed)`` once it is committed, with the row
    ids of the cables it changed: a batch's cables given a new version, the cables a full
    release marked removed, none for a release opened. (A batch also moves the last release of
    the cables it holds unchanged on; that is in their rows, for whoever keys on them.)"""

    def before(self) -> None: ...

    def after(self, changed: list[int]) -> None: ...


@dataclass(frozen=True)
class StoreForm:
    """What the writer needs of a cable besides the record, computed in the parsing processes:
    its fingerprint (hashes, packed record) and what the full-text index of ``vendor`` gets
    (``(vendor, values)``, or None when the backend is not known yet); with ``ranking``, what
    the ranking index gets too, from the same analysis (:func:`cables.store.fts.analysed`)."""

    vendor: str | None = None
    ranking: bool = False

    def __call__(self, cable) -> tuple:
        if self.ranking:
            values, texts = fts.analysed(self.vendor, cable.subject, cable.body)
            return fingerprint(cable), (self.vendor, values) if self.vendor is not None else None, texts
        indexed = None
        if self.vendor is not None:
            indexed = (self.vendor, fts.index_values(self.vendor, cable.subject, cable.body))
        return fingerprint(cable), indexed


def release_name_for(source: str | Path) -> str:
    """A release named after its source: ``builds/cablegate-201011301701.tar.xz`` →
    ``cablegate-201011301701``."""
    name = Path(source).name
    for suffix in (".tar.gz", ".tar.xz", ".tar.bz2", ".tgz", ".txz", ".tar", ".csv", ".html", ".txt",
                   ".jsonl.gz", ".ndjson.gz", ".jsonl", ".ndjson"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def ingest_source(
    source: str | Path, *, release: str | None = None, full: bool = False,
    context: ParseContext = EMPTY_CONTEXT, jobs: int | None = None, batch: int = BATCH,
    using: str = "default", progress: Progress | None = None,
    prepare: Callable[[], None] | None = None, vendor: str | None = None,
    stored: Stored | None = None, writes: Writes | None = None,
) -> SourceReport:
    """Ingest one source (directory, archive, dump or file) into the archive at ``using``.

    Django must be set up (``cables.store.db.setup``) and the schema migrated, or ``prepare``
    must do it: ``prepare`` is called once the parsers are at work, so that what it costs
    (opening the archive, loading the reference tables: a second on the mirror) is spent while
    the first documents are parsed instead of before. ``vendor``: the archive's backend
    (``sqlite``, ``postgresql``), so that the parsers compute what its full-text index gets;
    without it, that of ``using`` when Django is set up already, else the writer computes it.
    ``stored``: told of the cables each batch wrote once it is committed, with the ranking
    index's texts of each (computed by the parsers too): the CLI feeds the ranking index so,
    which ingest knows nothing of. ``writes``: told of each write that gives the archive a new
    generation, before it and after it with the cables it changed (:class:`Writes`): the CLI
    carries the cable pages kept rendered over each, which ingest knows nothing of either.
    """
    started = time.perf_counter()
    derive = StoreForm(vendor or _vendor(using), ranking=stored is not None)
    outcomes = ReadAhead(parse_documents(iter_documents(source), context, jobs or default_jobs(),
                                         derive=derive, niceness=PARSER_NICENESS))
    try:
        outcomes.wait_started()  # the workers exist: forked before ``prepare`` runs beside them
        if prepare is not None:
            prepare()
        return _store_outcomes(outcomes, source, release, full, batch, using, progress, started,
                               stored, writes)
    finally:
        outcomes.close()


def _store_outcomes(outcomes: Iterator, source: str | Path, release: str | None, full: bool,
                    batch: int, using: str, progress: Progress | None,
                    started: float, stored: Stored | None = None,
                    writes: Writes | None = None) -> SourceReport:
    from ..store import writer  # needs Django set up: imported when used, not at module load

    def told(write: Callable[[], object], changed: Callable[[object], list[int]]):
        """``write()``, with ``writes`` told before and after it."""
        if writes is not None:
            writes.before()
        done = write()
        if writes is not None:
            writes.after(changed(done))
        return done

    name = release or release_name_for(source)
    report = SourceReport(str(source), name)
    rel = told(lambda: writer.open_release(name, source=str(source), full=full, using=using),
               lambda _release: [])
    run = writer.start_run(str(source), rel, using=using)
    present: list[str] = []
    pending: list[tuple] = []

    def flush() -> None:
        counts = told(lambda: writer.store_batch(pending, rel, run=run, source=str(source),
                                                 using=using),
                      lambda counts: [w.cable_id for w in counts.written])
        report.new += counts.new
        report.changed += counts.changed
        report.unchanged += counts.unchanged
        pending.clear()
        if stored is not None and counts.written:
            stored([(w.cable_id, w.version_id, w.new, w.extra[0] if w.extra else None)
                    for w in counts.written])

    try:
        for outcome in outcomes:
            report.documents += 1
            if not outcome.ok:
                report.failures.append((outcome.name, outcome.error))
                writer.record_failure(outcome.name, outcome.error, source=str(source), run=run,
                                      using=using)
                present.extend(_id_from_name(outcome.name))
            else:
                pending.extend((outcome.name, cable, *extra)
                               for cable, extra in zip(outcome.cables, outcome.extras))
                if len(pending) >= batch:
                    flush()
            if progress:
                progress(1)
    except SourceError as exc:
        report.failures.append((str(source), str(exc)))
        writer.record_failure(str(source), str(exc), source=str(source), run=run, using=using)
        present = None  # an unreadable source says nothing about what disappeared
    if pending:  # also what was read before an archive turned out truncated
        flush()
    counts = writer.StoreCounts(report.new, report.changed, report.unchanged, report.failed)
    writer.finish_run(run, counts, using=using)
    if present is not None:
        removed = told(lambda: writer.finish_release(rel, present_ids=present, using=using),
                       lambda removed: removed)
        report.removed = len(removed)
    writer.refresh_statistics(using=using)
    report.seconds = time.perf_counter() - started
    return report


class ReadAhead:
    """``items``, pulled by a thread up to ``size`` ahead of the consumer, from the moment it is
    made.

    While a batch is written (SQLite and psycopg release the GIL; PostgreSQL computes the
    tsvectors in its own process), the parsers keep working instead of waiting for the writer
    to ask for more. An exception of ``items`` (e.g. ``SourceError``) is raised to the consumer
    where it would have been; :meth:`close` (a consumer that stops early) stops the thread and
    closes ``items``.
    """

    _END = object()

    def __init__(self, items: Iterator, size: int = READ_AHEAD) -> None:
        self._items = items
        self._ready: queue.Queue = queue.Queue(maxsize=size)
        self._stop = threading.Event()
        self._first: tuple | None = None  # an item taken by wait_started, given back first
        self._done = False
        self._thread = threading.Thread(target=self._pump, name="cables-read-ahead", daemon=True)
        self._thread.start()

    def wait_started(self) -> None:
        """Wait for the first item (or the end): by then a pool behind ``items`` has forked its
        workers, so the caller may start threads or imports of its own without a fork copying a
        lock they hold."""
        if self._first is None and not self._done:
            self._first = self._ready.get()

    def __iter__(self) -> ReadAhead:
        return self

    def __next__(self):
        if self._done:
            raise StopIteration
        if self._first is not None:
            (item, error), self._first = self._first, None
        else:
            item, error = self._ready.get()
        if error is not None:
            self._done = True
            raise error
        if item is self._END:
            self._done = True
            raise StopIteration
        return item

    def close(self) -> None:
        self._done = True
        self._stop.set()
        self._thread.join()

    def _put(self, entry: tuple) -> bool:
        while not self._stop.is_set():
            try:
                self._ready.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _pump(self) -> None:
        try:
            for item in self._items:
                if not self._put((item, None)):
                    break
            else:
                self._put((self._END, None))
        except BaseException as exc:  # handed to the consumer
            self._put((self._END, exc))
        finally:
            close = getattr(self._items, "close", None)
            if close is not None:
                close()


def _vendor(using: str) -> str | None:
    """The backend of ``using`` if Django is set up already (the CLI sets it up later, in
    ``prepare``, and passes the vendor)."""
    from django.conf import settings

    if not settings.configured or using not in settings.DATABASES:
        return None
    engine = settings.DATABASES[using]["ENGINE"]
    return "postgresql" if "postgresql" in engine else "sqlite" if "sqlite" in engine else None


def _id_from_name(name: str) -> list[str]:
    """A page that failed to parse is still in its build: its id, from ``…/06ASTANA38.html``."""
    stem = Path(name.split("!")[-1]).stem
    return [stem] if stem[:2].isdigit() else []
