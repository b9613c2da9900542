"""The write API ingest calls: store parsed cables in batches, idempotently, one transaction each.

``store_batch`` compares each cable with its latest version by content hash. Equal: nothing is
written (``unchanged``). Otherwise a new version is added (its record packed, see
:mod:`.versions`) and the cable's row, tags, paragraphs, addressees and reference edges are
replaced; the full-text index follows in the same transaction (:mod:`.fts`), and so does a new
archive generation (:mod:`.generation`), the token caches of pages key on.
Everything a batch writes is in one transaction, so a process killed at any moment leaves either
the whole batch or none of it: never a half-written version. Run the same batch again and it is
a no-op.

The rest: releases (``open_release``, ``finish_release`` marks the cables a full build no longer
lists), ingest runs and their log (``start_run``, ``record_failure``, ``finish_run``), reference
tables (``load_known_ids``, ``load_routes``) and ``resolve_references`` (recompute where each
cited id stands). Every function takes ``using``, the Django database alias.

Speed: a batch costs a fixed number of queries (not one per cable): COPY or executemany of plain
tuples (:mod:`.bulk`), ``IN`` lookups; the record is hashed and packed, and its full-text terms
computed (:func:`.fts.index_values`), by the parsing processes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice

from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone

from ..ids import canonical_id
from ..record import Cable as CableRecord
from ..tags import tag_meaning
from . import bulk, fts, generation
from .models import (
    Addressee, Cable, CableVersion, IngestLog, IngestRun, KnownId, ReferenceEdge, Release, Removal,
    Station, Tag,
)
from .versions import Fingerprint, change_kind, fingerprint, unpack_record


CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Written:
    """A cable a batch gave a new version: its ids, whether the archive held it before, and what
    its item carried after the fourth element (ingest: the ranking index's texts)."""

    cable_id: int
    version_id: int
    new: bool
    extra: tuple = ()


@dataclass
class StoreCounts:
    """What a batch (or a run) did: cables new, changed, unchanged; files failed; for a batch,
    the cables it wrote (``written``, in the order given)."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)

    def add(self, other: StoreCounts) -> StoreCounts:
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.failures += other.failures
        self.written += other.written
        return self

    def to_json(self) -> dict:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged,
                "failed": self.failed}


# ---------------------------------------------------------------- releases and runs

def open_release(name: str, source: str = "", full: bool = False, using: str = "default") -> Release:
    """The release called ``name``, created after the others if it is new."""
    with transaction.atomic(using=using):
        release = Release.objects.using(using).filter(name=name).first()
        if release is None:
            last = Release.objects.using(using).aggregate(m=Max("order"))["m"] or 0
            release = Release.objects.using(using).create(
                name=name, order=last + 1, source=source, full=full
            )
        elif full and not release.full:
            release.full = True
            release.save(using=using, update_fields=["full"])
        generation.advance(using)
    return release


def start_run(source: str, release: Release | None = None, using: str = "default") -> IngestRun:
    return IngestRun.objects.using(using).create(source=source, release=release)


def finish_run(run: IngestRun, counts: StoreCounts, using: str = "default") -> None:
    run.new, run.changed, run.unchanged, run.failed = (
        counts.new, counts.changed, counts.unchanged, counts.failed
    )
    run.finished = timezone.now()
    run.save(using=using)


def record_failure(file: str, error: str, *, source: str = "", run: IngestRun | None = None,
                   using: str = "default") -> None:
    """Log a file that gave no cable (unreadable, not a cable…) with its reason."""
    IngestLog.objects.using(using).create(
        run=run, source=source, file=file, outcome=IngestLog.FAILED, error=error
    )


def refresh_statistics(using: str = "default") -> None:
    """Let the query planner see the archive as it now is, after an ingest.

    PostgreSQL: a bulk load leaves dead row versions (cable rows are updated after their insert)
    and no statistics, and full-text searches then read every row's vector instead of the GIN
    index. ``VACUUM ANALYZE`` (0.8 s for the mirror) takes "kabul OR kandahar" with facets from
    142 to 20 ms, and the 20-query bench from p95 150 to about 60 ms. Inside a transaction (the
    tests' rolled-back archives) only ``ANALYZE`` may run. SQLite's ``PRAGMA optimize`` analyses
    what its planner would use, on a sample.
    """
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("PRAGMA optimize")


def finish_release(release: Release, present_ids: Iterable[str] = (),
                   using: str = "default") -> int:
    """Close a release; for a full one, mark removed the cables it no longer lists.

    A cable is removed by ``release`` when an earlier release showed it and this one did not.
    ``present_ids``: ids the build holds but that failed to parse — they are not removed.
    Returns the row ids of the cables marked removed (what the write changed of the cables: a
    caller keeping something per cable knows what to drop).
    """
    with transaction.atomic(using=using):
        removed_ids: list[int] = []
        if release.full:
            present = {canonical_id(i) for i in present_ids}
            candidates = (
                Cable.objects.using(using)
                .filter(removed_in__isnull=True, memberships__release__order__lt=release.order)
                .exclude(memberships__release=release)
                .values_list("id", "canonical_id")
                .distinct()
            )
            removed_ids = [pk for pk, cid in candidates if cid not in present]
            for chunk in _chunks(removed_ids):
                Cable.objects.using(using).filter(id__in=chunk).update(removed_in=release)
            Removal.objects.using(using).bulk_create(
                [Removal(release=release, cable_id=pk) for pk in removed_ids],
                ignore_conflicts=True, batch_size=CHUNK,
            )
        release.finished = timezone.now()
        release.save(using=using, update_fields=["finished"])
        generation.advance(using)
    return removed_ids


# ---------------------------------------------------------------- reference tables

@dataclass(frozen=True)
class KnownIdsLoaded:
    """What a load of the known-id list changed: how many ids were new to it, and the cited ids
    whose REF items it turned from unknown to known (a page lists them as "not released")."""

    added: int
    now_known: tuple[str, ...] = ()


def load_known_ids(ids: Iterable[str | tuple[str, object]], using: str = "default", *,
                   canonical: bool = False) -> KnownIdsLoaded:
    """Add ids to the known-id list (``"06ASTANA38"`` or ``("06ASTANA38", "2006-04")``).

    Bulk and idempotent; when an id was new, edge statuses are recomputed and the archive gets a
    new generation. A list the archive holds already (every ``cables ingest --known-ids`` after
    the first) changes nothing, the generation included: what is kept of the archive under it
    (pages, API answers, facet counts, renders) stays good.
    ``canonical``: the ids are canonical already (``sources.tables.load_known_ids`` gives them so),
    which spares canonicalising 251,287 ids a second time (half a second an ingest).
    """
    connection = connections[using]
    if canonical:  # in order: appends to the primary key's b-tree instead of random inserts
        rows = ((item, None) if isinstance(item, str) else _known_row(item)
                for item in sorted(ids, key=_known_key))
    else:
        rows = (_known_row(item) for item in ids)
    known = KnownId.objects.using(using)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        before = known.count()
        bulk.insert_new(cursor, "store_knownid", ["canonical_id", "month"], rows)
        added = known.count() - before
        if not added:
            return KnownIdsLoaded(0)
        cursor.execute("SELECT DISTINCT e.cited_id FROM store_referenceedge e INNER JOIN "
                       "store_knownid k ON k.canonical_id = e.cited_id WHERE e.status = %s "
                       "ORDER BY e.cited_id", [ReferenceEdge.UNKNOWN])
        now_known = tuple(cited for cited, in cursor.fetchall())
        resolve_references(using=using)
        generation.advance(using)
    return KnownIdsLoaded(added, now_known)


def _known_key(item: str | tuple[str, object]) -> str:
    return item if isinstance(item, str) else item[0]


def _known_row(item: str | tuple[str, object]) -> tuple[str, str | None]:
    if isinstance(item, str):
        return canonical_id(item), None
    reference_id, month = item[0], item[1] if len(item) > 1 else None
    return canonical_id(reference_id), (None if month in (None, "") else str(month))


def load_routes(routes: Mapping[str, str], using: str = "default") -> int:
    """Add a routing table ({routing indicator: station name}) as ``table`` stations. Returns
    how many were new; none, and the archive keeps its generation (as :func:`load_known_ids`)."""
    stations = Station.objects.using(using).filter(source=Station.TABLE)
    rows = [(r.strip().upper(), n.strip(), Station.TABLE, 0) for r, n in routes.items() if r and n]
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        before = stations.count()
        bulk.insert_new(cursor, "store_station", ["route", "name", "source", "cables"], rows)
        added = stations.count() - before
        if added:
            generation.advance(using)
    return added


def resolve_references(cited_ids: Iterable[str] | None = None, using: str = "default") -> None:
    """Recompute each edge's cited cable and status (all edges, or those citing ``cited_ids``)."""
    if cited_ids is None:
        filters = [("cited_id IS NOT NULL", [])]
    else:
        filters = [(f"cited_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
                   for chunk in _chunks(sorted(set(cited_ids)))]
    with connections[using].cursor() as cursor:
        for where, params in filters:
            cursor.execute(
                f"""UPDATE store_referenceedge SET cited_cable_id =
                      (SELECT c.id FROM store_cable c WHERE c.canonical_id = store_referenceedge.cited_id)
                    WHERE {where}""", params)
            cursor.execute(
                f"""UPDATE store_referenceedge SET status = CASE
                      WHEN cited_cable_id IS NOT NULL THEN 'archived'
                      WHEN EXISTS (SELECT 1 FROM store_knownid k
                                   WHERE k.canonical_id = store_referenceedge.cited_id) THEN 'known'
                      ELSE 'unknown' END
                    WHERE {where}""", params)


# ---------------------------------------------------------------- the batch

@dataclass(slots=True)
class _Stored:
    """What the archive holds for a cable of the batch (one query loads them all)."""

    id: int
    partial: bool
    number: int
    content_hash: str | None
    metadata_hash: str | None
    text_hash: str | None
    latest_version_id: int | None
    first_release_id: int | None
    last_release_order: int | None
    removed_in_id: int | None


@dataclass(slots=True)
class _Write:
    """A cable of the batch that gets a new version."""

    file: str
    cable: CableRecord
    print: Fingerprint
    stored: _Stored | None
    index: tuple | None = None  # what the full-text index gets (fts.index_values), when given
    extra: tuple = ()           # what the item carried after the index values: handed back
    cable_id: int = 0
    version_id: int = 0


def store_batch(parsed: Iterable[tuple[str, CableRecord] | tuple[str, CableRecord, Fingerprint]
                                 | tuple[str, CableRecord, Fingerprint, tuple[str, tuple]]],
                release: Release | None = None, *, run: IngestRun | None = None, source: str = "",
                using: str = "default", log_unchanged: bool = True) -> StoreCounts:
    """Store ``(file, cable)`` pairs in one transaction; returns new/changed/unchanged counts.

    An item may carry its :func:`.versions.fingerprint` as a third element, and as a fourth
    ``(vendor, fts.index_values(vendor, subject, body))``: ingest computes them (hashes, packed
    record, full-text terms) in the parsing processes, which takes them off the writer's critical
    path (values made for another backend than the archive's are computed again). Elements after
    the fourth are not the store's: they come back in ``written`` with the ids the cable got (the
    caller indexes them elsewhere once the batch is committed). A cable seen twice in one batch is
    stored in order (the second compared with the first).
    """
    rounds = _rounds(list(parsed))
    counts = StoreCounts()
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            bulk.relax_commit(cursor)
        for items in rounds:
            counts.add(_store_round(items, release, run, source or (run.source if run else ""),
                                    using, log_unchanged))
        generation.advance(using)  # unchanged cables too: the releases that show them move on
    return counts


def _rounds(parsed: list[tuple[str, CableRecord]]) -> list[list[tuple[str, CableRecord]]]:
    """Split a batch so that no round holds one cable twice (almost always: one round)."""
    rounds: list[list[tuple[str, CableRecord]]] = []
    seen: list[set[str]] = []
    for item in parsed:
        key = item[1].canonical_id
        for ids, items in zip(seen, rounds):
            if key not in ids:
                ids.add(key)
                items.append(item)
                break
        else:
            seen.append({key})
            rounds.append([item])
    return rounds


def _store_round(items, release, run, source, using, log_unchanged) -> StoreCounts:
    stored = _load_stored([item[1].canonical_id for item in items], using)
    prints = [item[2] if len(item) > 2 else fingerprint(item[1]) for item in items]
    shown = _shown_by_release(stored, items, prints, release, using)
    writes: list[_Write] = []
    log: list[tuple] = []
    counts = StoreCounts()
    members: list[tuple[str, _Stored | None]] = []
    for item, fp in zip(items, prints):
        file, cable = item[0], item[1]
        current = stored.get(cable.canonical_id)
        members.append((cable.canonical_id, current))
        if current is not None and cable.partial and not current.partial:
            counts.unchanged += 1
            if log_unchanged:
                log.append(_log(run, source, file, cable, IngestLog.UNCHANGED,
                                "a partial copy; the archive holds the complete cable"))
            continue
        if current is not None and (current.content_hash == fp.content_hash
                                    or (current.id, fp.content_hash) in shown):
            counts.unchanged += 1
            if log_unchanged:
                log.append(_log(run, source, file, cable, IngestLog.UNCHANGED))
            continue
        indexed = item[3] if len(item) > 3 else None
        writes.append(_Write(file, cable, fp, current, indexed[1] if indexed is not None
                             and indexed[0] == connections[using].vendor else None,
                             tuple(item[4:])))
        if current is None:
            counts.new += 1
            log.append(_log(run, source, file, cable, IngestLog.NEW))
        else:
            counts.changed += 1
            log.append(_log(run, source, file, cable, IngestLog.CHANGED))

    if writes:
        _write_versions(writes, release, source, using)
        counts.written = [Written(w.cable_id, w.version_id, w.stored is None, w.extra) for w in writes]
    if release is not None:
        _record_membership(members, writes, release, using)
    _write_log(log, using)
    return counts


def _shown_by_release(stored: dict[str, _Stored], items, prints, release: Release | None,
                      using: str) -> set[tuple[int, str]]:
    """(cable id, content hash) of the earlier versions this release already showed, for the
    cables of the round that differ from their latest version.

    A build may hold two differing copies of one cable (the mirror has three such pairs): the
    first ingest stores both, as versions 1 and 2; ingested again, neither is a change, though
    the first differs from the latest. Without this, each run would add two versions.
    """
    differing = [current.id for item, fp in zip(items, prints)
                 if (current := stored.get(item[1].canonical_id)) is not None
                 and current.content_hash != fp.content_hash]
    if not differing:
        return set()
    versions = CableVersion.objects.using(using).filter(
        cable_id__in=differing, release=release) if release is not None else \
        CableVersion.objects.using(using).filter(cable_id__in=differing, release__isnull=True)
    return set(versions.values_list("cable_id", "content_hash"))


def _log(run, source, file, cable, outcome, error=None) -> tuple:
    return (run.id if run is not None else None, source, file, cable.canonical_id, outcome, error)


def _write_log(rows: list[tuple], using: str) -> None:
    connection = connections[using]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        bulk.insert(cursor, "store_ingestlog", ["run_id", "source", "file", "canonical_id",
                                                "outcome", "error", "time"],
                    [(*row, now) for row in rows])


def _load_stored(ids: list[str], using: str) -> dict[str, _Stored]:
    rows = (
        Cable.objects.using(using)
        .filter(canonical_id__in=ids)
        .values_list(
            "canonical_id", "id", "partial", "latest_version__number", "latest_version__content_hash",
            "latest_version__metadata_hash", "latest_version__text_hash", "latest_version_id",
            "first_release_id", "last_release__order", "removed_in_id",
        )
    )
    return {row[0]: _Stored(row[1], row[2], row[3] or 0, *row[4:]) for row in rows}


CABLE_COLUMNS = ["reference_id", "created", "released", "classification", "origin", "subject",
                 "precedence", "partial", "latest_version_id"]
VERSION_COLUMNS = ["id", "cable_id", "number", "change", "content_hash", "metadata_hash",
                   "text_hash", "data", "release_id", "source", "stored"]


def _write_versions(writes: list[_Write], release: Release | None, source: str, using: str) -> None:
    """The cable rows, their new versions, the full-text index and the parts, for ``writes``."""
    connection = connections[using]
    index = fts.for_vendor(connection.vendor)
    release_id = release.id if release is not None else None
    new = [w for w in writes if w.stored is None]
    changed = [w for w in writes if w.stored is not None]
    with connection.cursor() as cursor:
        for w, pk in zip(new, bulk.reserve_ids(cursor, "store_cable", len(new))):
            w.cable_id = pk
        for w in changed:
            w.cable_id = w.stored.id
        for w, pk in zip(writes, bulk.reserve_ids(cursor, "store_cableversion", len(writes))):
            w.version_id = pk
        for w in writes:
            if w.index is None:
                w.index = index.index_values(w.cable.subject, w.cable.body)
        _write_cable_rows(cursor, new, changed, release_id, index.CABLE_COLUMN)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        bulk.insert(cursor, "store_cableversion", VERSION_COLUMNS,
                    [_version_row(w, release_id, source, now) for w in writes])
        replaced = _indexed_rows(cursor, [w.stored.latest_version_id for w in changed], index) \
            if index.DELETES_WITH_VALUES else []
        index.index(cursor, [(w.cable_id, *w.index) for w in writes], replaced)
        if changed:
            _delete_parts(cursor, [w.cable_id for w in changed])
    _write_parts(writes, using)
    _learn_stations(writes, using)
    resolve_references([w.cable.canonical_id for w in new], using=using)


def _write_cable_rows(cursor, new: list[_Write], changed: list[_Write], release_id: int | None,
                      index_column: tuple[str, str] | None) -> None:
    """Insert the new cables and update the changed ones, with the index column if the backend
    keeps one in the row (its expression reads the write's index values, after the columns).

    New rows go through :func:`bulk.insert` (PostgreSQL: ``COPY``, where the tsvector literal
    reaches the column's input function as it is): one ``INSERT`` a row, each a statement of its
    own with a 10 KB literal to scan, cost the server a quarter more on the mirror.
    """
    names = list(CABLE_COLUMNS) + ([index_column[0]] if index_column is not None else [])

    def row(w: _Write) -> tuple:
        c = w.cable
        text = w.index if index_column is not None else ()
        return (c.reference_id, c.created, c.released, c.classification, c.origin, c.subject,
                c.precedence, c.partial, w.version_id, *text, w.cable_id)

    if new:
        bulk.insert(cursor, "store_cable",
                    [*names, "id", "canonical_id", "first_release_id", "last_release_id"],
                    [(*row(w), w.cable.canonical_id, release_id, release_id) for w in new])
    if changed:
        values = ["%s"] * len(CABLE_COLUMNS) + ([index_column[1]] if index_column is not None else [])
        assignments = ", ".join(f"{n} = {v}" for n, v in zip(names, values))
        cursor.executemany(f"UPDATE store_cable SET {assignments} WHERE id = %s",
                           [row(w) for w in changed])


def _version_row(w: _Write, release_id: int | None, source: str, now) -> tuple:
    previous = (w.stored.metadata_hash, w.stored.text_hash) if w.stored is not None else None
    return (w.version_id, w.cable_id, (w.stored.number if w.stored is not None else 0) + 1,
            change_kind(previous, w.print), w.print.content_hash, w.print.metadata_hash,
            w.print.text_hash, w.print.packed, release_id,
            w.file if not source else f"{source}:{w.file}" if w.file else source, now)


def _indexed_rows(cursor, version_ids: list[int], index) -> list[tuple]:
    """(cable id, *index values) as the index holds them: made again by the same analyzer from
    these versions' packed records."""
    rows = []
    for chunk in _chunks(version_ids):
        cursor.execute(f"SELECT cable_id, data FROM store_cableversion WHERE id IN "
                       f"({', '.join(['%s'] * len(chunk))})", chunk)
        for pk, data in cursor.fetchall():
            record = unpack_record(data)
            rows.append((pk, *index.index_values(record.subject, record.body)))
    return rows


def _delete_parts(cursor, cable_ids: list[int]) -> None:
    for chunk in _chunks(cable_ids):
        marks = ", ".join(["%s"] * len(chunk))
        for table, column in (("store_cabletag", "cable_id"), ("store_paragraph", "cable_id"),
                              ("store_addressee", "cable_id"), ("store_referenceedge", "citing_id")):
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)


def _write_parts(writes: list[_Write], using: str) -> None:
    tag_ids = _tag_ids({t.tag: t.kind for w in writes for t in w.cable.tags}, using)
    tags, paragraphs, addressees, edges = [], [], [], []
    cited = {canonical_id(r.id) for w in writes for r in w.cable.references if r.id}
    archived = dict(
        Cable.objects.using(using).filter(canonical_id__in=cited).values_list("canonical_id", "id")
    ) if cited else {}
    known = set(
        KnownId.objects.using(using).filter(canonical_id__in=cited - set(archived))
        .values_list("canonical_id", flat=True)
    ) if cited else set()
    for w in writes:
        c, pk = w.cable, w.cable_id
        seen_tags: set[str] = set()
        for position, tag in enumerate(c.tags):
            if tag.tag not in seen_tags:
                seen_tags.add(tag.tag)
                tags.append((pk, tag_ids[tag.tag], position))
        paragraphs += [(pk, i, p.number, p.marking, p.text) for i, p in enumerate(c.paragraphs)]
        lines = [(Addressee.FROM, c.from_)] if c.from_ is not None else []
        lines += [(Addressee.TO, a) for a in c.to] + [(Addressee.INFO, a) for a in c.info]
        addressees += [
            (pk, role, i, a.route, a.name, a.precedence, a.serial, a.station)
            for i, (role, a) in enumerate(lines)
        ]
        for i, ref in enumerate(c.references):
            target = canonical_id(ref.id) if ref.id else None
            status = (ReferenceEdge.ARCHIVED if target in archived
                      else ReferenceEdge.KNOWN if target in known else ReferenceEdge.UNKNOWN)
            edges.append((pk, i, target, ref.label, ref.citation or "", ref.kind or "",
                          archived.get(target), status))
    with connections[using].cursor() as cursor:
        bulk.insert(cursor, "store_cabletag", ["cable_id", "tag_id", "position"], tags)
        bulk.insert(cursor, "store_paragraph", ["cable_id", "position", "number", "marking", "text"],
                    paragraphs)
        bulk.insert(cursor, "store_addressee", ["cable_id", "role", "position", "route", "name",
                                                "precedence", "serial", "station"], addressees)
        bulk.insert(cursor, "store_referenceedge", ["citing_id", "position", "cited_id", "label",
                                                    "citation", "kind", "cited_cable_id", "status"],
                    edges)


def _tag_ids(kinds: dict[str, str], using: str) -> dict[str, int]:
    """Ids of these tag codes, adding the codes the archive lacks (after the first batches: none)."""
    if not kinds:
        return {}
    tags = Tag.objects.using(using)
    ids = dict(tags.filter(code__in=list(kinds)).values_list("code", "id"))
    missing = [code for code in kinds if code not in ids]
    if missing:
        tags.bulk_create([Tag(code=code, kind=kinds[code] or "", meaning=tag_meaning(code))
                          for code in missing], ignore_conflicts=True)
        ids.update(tags.filter(code__in=missing).values_list("code", "id"))
    return ids


def _learn_stations(writes: list[_Write], using: str) -> None:
    """Each DE line's routing indicator with its FM name, counted once per new cable."""
    seen: Counter[tuple[str, str]] = Counter()
    for w in writes:
        sender = w.cable.from_
        if sender is not None and sender.route and sender.name:
            seen[(sender.route.strip().upper(), sender.name.strip())] += 1 if w.stored is None else 0
    if not seen:
        return
    with connections[using].cursor() as cursor:
        cursor.executemany(
            """INSERT INTO store_station (route, name, source, cables) VALUES (%s, %s, %s, %s)
               ON CONFLICT (route, name, source)
               DO UPDATE SET cables = store_station.cables + excluded.cables""",
            [(route, name, Station.LEARNED, n) for (route, name), n in sorted(seen.items())],
        )


def _record_membership(members: list[tuple[str, _Stored | None]], writes: list[_Write],
                       release: Release, using: str) -> None:
    """The release showed these cables (as their latest version); they are not removed."""
    written = {w.cable.canonical_id: w for w in writes}
    rows, moved = [], []
    for cid, stored in members:
        w = written.get(cid)
        if w is not None:
            rows.append((release.id, w.cable_id, w.version_id))
        else:
            rows.append((release.id, stored.id, stored.latest_version_id))
        if stored is not None and (
            stored.last_release_order is None or stored.last_release_order < release.order
            or stored.removed_in_id is not None or stored.first_release_id is None
        ):
            moved.append(stored.id)
    with connections[using].cursor() as cursor:
        cursor.executemany(
            """INSERT INTO store_releasecable (release_id, cable_id, version_id) VALUES (%s, %s, %s)
               ON CONFLICT (release_id, cable_id) DO UPDATE SET version_id = excluded.version_id""",
            rows,
        )
        if moved:
            cursor.executemany(
                """UPDATE store_cable SET last_release_id = %s, removed_in_id = NULL,
                     first_release_id = coalesce(first_release_id, %s) WHERE id = %s""",
                [(release.id, release.id, pk) for pk in sorted(set(moved))],
            )


def _chunks(items: Iterable, size: int = CHUNK):
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
