"""The ranking index: a Tantivy index folder derived from the archive, which answers text queries.

FTS5's ``bm25()`` and PostgreSQL's ``ts_rank`` score every match before keeping a page of them;
Tantivy's block-max WAND skips the documents that cannot reach the page (the spike of issue 13,
bench/ranking_spike.py, 250,000 cables: top-20 p95 14 ms against 153 ms and 3.6 s). The archive
stays the one source of truth: this index holds nothing that cannot be made again from it, and
the SQL full-text indexes stay as they are (the SQL path answers whatever this index cannot).

What a document holds, per cable with a latest version (``id`` its store_cable id):

- ``subject`` and ``body``: the terms of :mod:`cables.words` as FTS5 gets them (the very strings
  of :func:`cables.store.fts_sqlite.columns`, fillers included), split at spaces and nothing more:
  the same terms at the same positions as both SQL indexes, so phrases match alike;
- a field per filter of :mod:`.filters` with an index form (``tag``, ``release``, ``ref``,
  ``marking``: the values of its related rows, as its SQL compares them; ``classification_is``:
  the classification filters it passes; ``created``, ``released``: minutes since 1970),
  ``present`` (the columns that are not NULL, for negated filters), and the facets' values
  (``origin``, ``classification``, ``month``; tags are the ``tag`` field);
- ``newest`` and ``oldest``: one integer per cable that orders as SQL's ``created DESC, id`` and
  ``created, id`` do (a page sorted by date is the same page on both paths).

Staying in step. The archive's *change number* is the largest ``store_cableversion.id``: every
change of what a cable's document holds (text, metadata, tags, citations, markings, the releases
of its versions) is a new version, whose id is larger than any before (a new cable too), so the
cables to index again are those whose ``latest_version_id`` exceeds the number the index caught
up to. That number sits in a marker document (``id`` 0) written in the same Tantivy commit as the
documents, so the index is never ahead of the archive: ingest commits the archive first, then
the index. ``cables ingest`` feeds it (:class:`Feed`) the cables each archive transaction wrote,
after the commit, with the terms its parsing processes computed (no cable is analysed twice),
and commits with the marker once the source is stored; :func:`catch_up` (the search service's,
before answering, and ``cables reindex``) reads the changed cables back from the archive. A
killed ingest leaves the index behind, and the next catch-up deletes and adds the changed
cables' documents.
The generation token of :mod:`cables.store.generation` is random, not ordered, so it cannot say
how far behind an index is. The marker also holds the archive's identity (its first version's id
and time: another archive, or one rebuilt from scratch, has another) and :data:`VERSION` (the
schema and the analyzer): a mismatch, a missing folder, or a document count unlike the archive's
rebuilds the index from scratch, into a new folder swapped in when complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.db import connections

from .. import words
from ..store import fts
from ..store.routing import same_data_as
from ..store.versions import unpack_record
from .filters import REGISTRY, DateFilter, IndexForm, RelatedFilter

SCHEMA_VERSION = 1
MARKER_ID = 0
BATCH = 500                  # cables read, analysed and added per round
CATCH_UP_LIMIT = 2_000       # cables the search service indexes before answering; more: SQL answers
HEAP = 64 << 20
SUBJECT_BOOST = 10.0         # as the SQL paths' bm25 weights 10:1
ID_BITS = 24                 # store_cable ids below 16.7 million: the sort keys' low bits
NO_DATE = -(1 << 36)         # a cable without a date: last newest first, first oldest first (as SQLite)
TOKENIZER = "terms"
FACET_FIELDS = ("origin", "classification", "month")
KEYWORD_FIELDS = ("present",)
ENV = "CABLES_SEARCH_INDEX"
ROOT_ENV = "CABLES_SEARCH_INDEX_ROOT"  # where PostgreSQL archives' folders go (default: the current directory)


def _analyzer_fingerprint() -> str:
    """What decides the terms: a change of any of these makes every index out of date (the
    stemmer's rules are Snowball English's, whichever library runs them; a ``words.VERSION``, if
    the analyzer gains one, is counted too)."""
    parts = [words.TOKEN.pattern, sorted(words.STOP_WORDS), words.LONGEST_WORD, words.MAX_POSITION,
             words.MAX_OCCURRENCES, words.SUBJECT_TERMS, words.TAIL_BYTES, words.CUT_ENDINGS,
             getattr(words, "VERSION", "")]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


VERSION = f"{SCHEMA_VERSION}:{tantivy.__version__}:{_analyzer_fingerprint()}"


# --- where the index lives -----------------------------------------------------------------------

def folder_for(using: str = "default") -> Path | None:
    """The index folder of archive ``using``, or None (no index: an in-memory SQLite database,
    or ``CABLES_SEARCH_INDEX=off``).

    A SQLite archive's index sits beside it (``cables.db`` → ``cables.db.index/``); a PostgreSQL
    archive's in the current directory, named after its database, host and port, unless
    ``CABLES_SEARCH_INDEX`` (or ``--index``) names the folder (``CABLES_SEARCH_INDEX_ROOT``: another
    folder than the current one to make it in); each instance of the site may hold its own copy. A connection's settings may carry ``SEARCH_INDEX`` (a second alias in one
    process). A replica's index is its primary's (:func:`cables.store.routing.same_data_as`).
    """
    using = same_data_as(using)
    connection = connections[using]
    settings = connection.settings_dict
    if "SEARCH_INDEX" in settings:
        return Path(settings["SEARCH_INDEX"]) if settings["SEARCH_INDEX"] else None
    chosen = os.environ.get(ENV, "") if using == "default" else ""
    if chosen:
        return None if chosen.lower() in {"off", "none"} else Path(chosen)
    name = str(settings.get("NAME") or "")
    if connection.vendor == "sqlite":
        if not name or name == ":memory:" or "mode=memory" in name or name.startswith("file:"):
            return None
        return Path(name + ".index")
    if connection.vendor == "postgresql":
        host = str(settings.get("HOST") or "local").replace("/", "_")
        root = Path(os.environ.get(ROOT_ENV) or Path.cwd())
        return root / f"{name}@{host}-{settings.get('PORT') or 5432}.index"
    return None


# --- the archive's side --------------------------------------------------------------------------

@dataclass(frozen=True)
class ArchiveState:
    number: int      # the largest store_cableversion.id: rises with every change of a cable
    identity: str    # the first version's id and time: another archive has another

    @staticmethod
    def of(connection) -> ArchiveState:
        with connection.cursor() as c:
            c.execute("SELECT (SELECT max(id) FROM store_cableversion), "
                      "(SELECT id || '@' || stored FROM store_cableversion ORDER BY id LIMIT 1)"
                      if connection.vendor == "sqlite" else
                      "SELECT (SELECT max(id) FROM store_cableversion), "
                      "(SELECT id::text || '@' || stored::text FROM store_cableversion ORDER BY id LIMIT 1)")
            number, identity = c.fetchone()
        return ArchiveState(number or 0, identity or "")


def _indexable_count(connection) -> int:
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM store_cable WHERE latest_version_id IS NOT NULL")
        return c.fetchone()[0]


# --- the schema and the documents --------------------------------------------------------------------

def _integer_fields() -> list[str]:
    return sorted({spec.index_field for spec in REGISTRY.values() if isinstance(spec, DateFilter)})


def _keyword_fields() -> list[str]:
    found = {spec.index_field for spec in REGISTRY.values()
             if spec.index_field and not isinstance(spec, DateFilter)}
    return sorted(found | set(FACET_FIELDS) | set(KEYWORD_FIELDS))


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", indexed=True, fast=True)
    sb.add_text_field("subject", tokenizer_name=TOKENIZER, index_option="position")
    sb.add_text_field("body", tokenizer_name=TOKENIZER, index_option="position")
    for name in _integer_fields():
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_integer_field("newest", fast=True)
    sb.add_integer_field("oldest", fast=True)
    for name in _keyword_fields():
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_text_field("meta", stored=True, tokenizer_name="raw")
    return sb.build()


def _register(index: tantivy.Index) -> None:
    """Terms are made by :mod:`cables.words`: the index splits at spaces and changes nothing (a
    custom tokenizer is not saved with the index: registered on every open)."""
    index.register_tokenizer(TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


def _sort_keys(cable_id: int, created: str | None) -> tuple[int, int]:
    from .filters import minutes

    m = minutes(created) if created else None
    m = NO_DATE if m is None else m
    return (m << ID_BITS) + ((1 << ID_BITS) - 1 - cable_id), (m << ID_BITS) + cable_id


Given = dict[int, tuple[int, "tuple[str, str] | None"]]  # cable id → (version id, its ranking texts)


def _documents(connection, cable_ids: list[int],
               given: Given | None = None) -> list[tuple[int, int, tantivy.Document]]:
    """(cable id, version id, document) of ``cable_ids`` (those with a latest version), read
    from the archive.

    The one place a cable becomes a document, whichever path indexes it. Its text is
    :func:`cables.store.fts.ranking_texts`: ``given`` (computed by ingest's parsing processes)
    when given for the cable's latest version, else analysed from that version's record.
    """
    marks = ", ".join(["%s"] * len(cable_ids))
    given = given or {}
    with connection.cursor() as c:
        c.execute(f"SELECT id, latest_version_id, created, released, origin, classification "
                  f"FROM store_cable WHERE id IN ({marks}) AND latest_version_id IS NOT NULL "
                  f"ORDER BY id", cable_ids)
        rows = c.fetchall()
        texts = {cable_id: found[1] for cable_id, version_id, *_ in rows
                 if (found := given.get(cable_id)) is not None and found[0] == version_id
                 and found[1] is not None}
        unread = [row[0] for row in rows if row[0] not in texts]
        if unread:
            c.execute(f"SELECT c.id, v.data FROM store_cable c JOIN store_cableversion v "
                      f"ON v.id = c.latest_version_id WHERE c.id IN ({', '.join(['%s'] * len(unread))})",
                      unread)
            for cable_id, data in c.fetchall():
                record = unpack_record(bytes(data))
                texts[cable_id] = fts.ranking_texts(words.index_form(record.subject or "", record.body))
        related: dict[str, dict[int, set]] = {}
        for spec in REGISTRY.values():
            if isinstance(spec, RelatedFilter):
                sql, params = spec.related_values(cable_ids)
                c.execute(sql, params)
                held: dict[int, set] = {}
                for cable, value in c.fetchall():
                    held.setdefault(cable, set()).add(str(value))
                related[spec.index_field] = held
    documents = []
    for cable_id, version_id, created, released, origin, classification in rows:
        subject, body = texts[cable_id]
        doc = tantivy.Document()
        doc.add_unsigned("id", cable_id)
        doc.add_text("subject", subject)
        doc.add_text("body", body)
        row = {"created": created, "released": released, "origin": origin, "classification": classification}
        done = set()
        for spec in REGISTRY.values():
            field = spec.index_field
            if not field or field in done or isinstance(spec, RelatedFilter):
                continue
            done.add(field)
            values = spec.index_values(row)
            if values is None:
                continue
            doc.add_text("present", field)
            for value in values:
                if isinstance(value, int):
                    doc.add_integer(field, value)
                else:
                    doc.add_text(field, value)
        for field, held in related.items():
            for value in sorted(held.get(cable_id, ())):
                doc.add_text(field, value)
        for field, value in (("origin", origin), ("classification", classification),
                             ("month", (created or "")[:7])):
            if value:
                doc.add_text(field, value)
        newest, oldest = _sort_keys(cable_id, created)
        doc.add_integer("newest", newest)
        doc.add_integer("oldest", oldest)
        documents.append((cable_id, version_id, doc))
    return documents


def _marker(state: ArchiveState) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_unsigned("id", MARKER_ID)
    doc.add_text("meta", json.dumps({"number": state.number, "identity": state.identity,
                                     "version": VERSION}))
    return doc


# --- an open index -------------------------------------------------------------------------------------

class RankingIndex:
    """An index folder opened for searching; :attr:`number` is the change number it holds."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.index = tantivy.Index.open(str(folder))
        _register(self.index)
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self.meta = self._read_meta()

    def _read_meta(self) -> dict:
        hits = self.searcher.search(tantivy.Query.term_query(self.schema, "id", MARKER_ID), 1).hits
        if not hits:
            return {}
        try:
            return json.loads(self.searcher.doc(hits[0][1])["meta"][0])
        except (KeyError, IndexError, ValueError):
            return {}

    def reload(self) -> None:
        self.index.reload()
        self.searcher = self.index.searcher()
        self.meta = self._read_meta()

    @property
    def number(self) -> int:
        return int(self.meta.get("number", -1))

    def current_for(self, state: ArchiveState) -> bool:
        """Caught up with the archive as it is: same archive, same analyzer, same number."""
        return (self.meta.get("version") == VERSION and self.meta.get("identity") == state.identity
                and self.number == state.number)

    def cables(self) -> int:
        return self.searcher.num_docs - (1 if self.meta else 0)


def _open(folder: Path) -> RankingIndex | None:
    try:
        if not tantivy.Index.exists(str(folder)):
            return None
        return RankingIndex(folder)
    except ValueError:
        return None


# --- catching up -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CatchUp:
    """What :func:`catch_up` did: ``rebuilt`` from scratch or not, ``indexed`` cables, the number
    the index holds now; ``skipped``: why it left the index as it was (None: it is caught up)."""

    rebuilt: bool = False
    indexed: int = 0
    number: int = 0
    skipped: str | None = None


def catch_up(using: str = "default", *, rebuild: bool = False, limit: int | None = None,
             progress: Callable[[int], None] | None = None) -> CatchUp:
    """Bring the index of archive ``using`` up to the archive: index the cables changed since its
    marker, or build it anew (missing, another archive or analyzer, a count unlike the archive's,
    ``rebuild``). ``limit``: do nothing when more cables than that would be indexed (the search
    service's bound: a request indexes a few cables, never the archive). Another process
    writing the index (its lock) is a skip too."""
    folder = folder_for(using)
    if folder is None:
        return CatchUp(skipped="this archive has no index folder")
    connection = connections[using]
    state = ArchiveState.of(connection)
    opened = None if rebuild else _usable(_open(folder), state)
    if opened is not None and opened.current_for(state):
        if opened.cables() == _indexable_count(connection):
            return CatchUp(number=state.number)
        opened = None  # cables deleted by hand, or added without a version: only a rebuild knows
    if limit is not None and opened is None:
        total = _indexable_count(connection)
        if total > limit:
            return CatchUp(skipped=f"a rebuild of {total:,} cables is more than {limit:,}")
    elif limit is not None:
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM store_cable WHERE latest_version_id > %s", [opened.number])
            changed = c.fetchone()[0]
        if changed > limit:
            return CatchUp(skipped=f"{changed:,} changed cables are more than {limit:,}")
    try:
        writing = _Writing(connection, folder, opened)
    except _Busy:
        return CatchUp(skipped="another process is writing the index")
    return writing.finish(progress, limit)


def _usable(opened: RankingIndex | None, state: ArchiveState) -> RankingIndex | None:
    """``opened`` if it can be caught up with the archive as it is (same archive and analyzer,
    not ahead), else None (it must be built anew)."""
    if (opened is None or opened.meta.get("version") != VERSION
            or opened.meta.get("identity") != state.identity or opened.number > state.number):
        return None
    return opened


class _Busy(Exception):
    pass


def _writer(index: tantivy.Index):
    try:
        return index.writer(heap_size=HEAP, num_threads=1)
    except ValueError as exc:
        if "Lock" in str(exc):
            raise _Busy() from exc
        raise


class _Writing:
    """An index being written: cables' documents added (their old ones deleted first), then
    :meth:`finish` adds those of every other cable the archive changed since, and commits them
    with the marker: the index is never ahead of the archive, and a process killed before the
    commit leaves it as it was.

    ``opened``: the index to catch up from its marker's number on; None: a new index, built in
    a new folder beside ``folder`` and swapped in by :meth:`finish`. Raises :class:`_Busy` when
    another process writes the index.
    """

    def __init__(self, connection, folder: Path, opened: RankingIndex | None):
        self.connection, self.folder, self.opened = connection, folder, opened
        self.fresh: Path | None = None
        if opened is None:
            folder.parent.mkdir(parents=True, exist_ok=True)
            self.fresh = folder.with_name(f"{folder.name}.new-{os.getpid()}")
            shutil.rmtree(self.fresh, ignore_errors=True)
            self.fresh.mkdir()
            self.index = tantivy.Index(_schema(), path=str(self.fresh))
            _register(self.index)
        else:
            self.index = opened.index
        self.base = 0 if opened is None else opened.number
        self.writer = _writer(self.index)
        self.fed: dict[int, int] = {}  # cable id → the version its document was made of

    def add(self, cable_ids: list[int], given: Given | None = None,
            replacing: list[int] | None = None) -> None:
        """Index ``cable_ids`` as the archive holds them now (texts ``given`` or read);
        ``replacing``: those the index may hold already (default: all), deleted first."""
        if self.fresh is None:
            schema = self.index.schema
            for cable_id in cable_ids if replacing is None else replacing:
                self.writer.delete_documents_by_query(tantivy.Query.term_query(schema, "id", cable_id))
        for cable_id, version_id, doc in _documents(self.connection, cable_ids, given):
            self.writer.add_document(doc)
            self.fed[cable_id] = version_id

    def finish(self, progress: Callable[[int], None] | None = None,
               limit: int | None = None) -> CatchUp:
        """Index the cables changed since :attr:`base` that no document added holds as they are
        now, write the marker, commit (and swap a new folder in)."""
        state = ArchiveState.of(self.connection)
        last = 0
        try:
            while True:
                with self.connection.cursor() as c:
                    c.execute("SELECT id, latest_version_id FROM store_cable WHERE id > %s AND "
                              "latest_version_id > %s ORDER BY id LIMIT %s", [last, self.base, BATCH])
                    rows = c.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                todo = [cable_id for cable_id, version_id in rows if self.fed.get(cable_id) != version_id]
                if todo:
                    self.add(todo)
                    if progress:
                        progress(len(todo))
            if self.fresh is None:
                self.writer.delete_documents_by_query(
                    tantivy.Query.term_query(self.index.schema, "id", MARKER_ID))
            self.writer.add_document(_marker(state))
            self.writer.commit()
            self.writer.wait_merging_threads()
        finally:
            self.writer = None  # the lock goes with it
        indexed = len(self.fed)
        if self.fresh is not None:
            self.index = None
            _swap(self.fresh, self.folder)
            _forget(self.folder)
            return CatchUp(rebuilt=True, indexed=indexed, number=state.number)
        self.opened.reload()
        if self.opened.cables() != _indexable_count(self.connection):  # e.g. cables deleted by hand
            return catch_up(self.connection.alias, rebuild=True, limit=limit, progress=progress)
        return CatchUp(indexed=indexed, number=state.number)

    def abandon(self) -> None:
        """Drop what was added, uncommitted (an ingest that failed: the next catch-up does it)."""
        self.writer = self.index = None
        if self.fresh is not None:
            shutil.rmtree(self.fresh, ignore_errors=True)


def _swap(fresh: Path, folder: Path) -> None:
    old = folder.with_name(f"{folder.name}.old-{os.getpid()}")
    try:
        if folder.exists():
            folder.rename(old)
        fresh.rename(folder)
    except OSError:  # another process swapped its own rebuild in meanwhile: that one stays
        shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


# --- fed by an ingest ------------------------------------------------------------------------------------

class Feed:
    """The index written as an ingest stores, without analysing a cable again.

    :meth:`add` is given the cables each archive transaction wrote, once it is committed, with
    the texts ingest's parsing processes made of them (:func:`cables.store.fts.analysed`), and
    adds their documents; :meth:`finish` then catches up whatever else changed and commits with
    the marker. The writer is taken at the first batch (after the parsing processes were forked)
    and kept until :meth:`finish`; meanwhile a search answers by the SQL path, as it does while
    the index is behind. Without a folder, or while another process writes the index, it adds
    nothing and :meth:`finish` is :func:`catch_up`.
    """

    def __init__(self, using: str = "default"):
        self.using = using
        self._writing: _Writing | None = None
        self._tried = False

    def add(self, stored: list[tuple[int, int, bool, tuple[str, str] | None]]) -> None:
        """``stored``: (cable id, version id, new to the archive, ranking texts) of each cable."""
        if not self._tried:
            self._tried = True
            self._writing = self._start()
        if self._writing is None or not stored:
            return
        given = {cable_id: (version_id, texts) for cable_id, version_id, _new, texts in stored}
        self._writing.add(list(given), given, [cable_id for cable_id, _v, new, _t in stored if not new])

    def _start(self) -> _Writing | None:
        folder = folder_for(self.using)
        if folder is None:
            return None
        connection = connections[self.using]
        opened = _usable(_open(folder), ArchiveState.of(connection))
        try:
            return _Writing(connection, folder, opened)
        except _Busy:
            return None

    def finish(self, progress: Callable[[int], None] | None = None) -> CatchUp:
        writing, self._writing, self._tried = self._writing, None, False
        if writing is None:
            return catch_up(self.using, progress=progress)
        return writing.finish(progress)

    def abandon(self) -> None:
        writing, self._writing, self._tried = self._writing, None, False
        if writing is not None:
            writing.abandon()


# --- the search service's entry ------------------------------------------------------------------------

_opened: dict[Path, RankingIndex] = {}
_skipped: dict[Path, ArchiveState] = {}  # the archive as it was when a catch-up was left undone
_lock = threading.Lock()


def _forget(folder: Path) -> None:
    with _lock:
        _opened.pop(folder, None)


def ready(using: str = "default", catch_up_limit: int | None = CATCH_UP_LIMIT) -> RankingIndex | None:
    """The index of archive ``using`` caught up with it, or None (the SQL path answers).

    Checked on every call with one small query (the archive's number and identity). When the
    number moved, the folder is opened again (another process may have caught up, or rebuilt it
    into a new folder); when it is still behind by at most ``catch_up_limit`` cables, this process
    catches up first.
    """
    folder = folder_for(using)
    if folder is None:
        return None
    state = ArchiveState.of(connections[using])
    with _lock:
        opened = _opened.get(folder)
        if opened is not None and opened.current_for(state):
            return opened
        opened = _reopen(folder)
        if opened is not None and opened.current_for(state):
            return opened
    if not catch_up_limit or _skipped.get(folder) == state:
        return None  # not again before the archive changes: each request would pay for the look
    if catch_up(using, limit=catch_up_limit).skipped:
        _skipped[folder] = state
        return None
    _skipped.pop(folder, None)
    with _lock:
        opened = _reopen(folder)
        return opened if opened is not None and opened.current_for(state) else None


def _reopen(folder: Path) -> RankingIndex | None:
    opened = _open(folder)
    if opened is None:
        _opened.pop(folder, None)
    else:
        _opened[folder] = opened
    return opened
