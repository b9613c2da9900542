"""The write API ingest calls: store parsed cables in batches, idempotently, one transaction each.

``store_batch`` compares each cable with its latest version by content hash. Equal: nothing is
written (``unchanged``). Otherwise a new version is added and the cable's row, tags, paragraphs,
addressees and reference edges are replaced; the full-text indexes follow through triggers.
Everything a batch writes is in one transaction, so a process killed at any moment leaves either
the whole batch or none of it: never a half-written version. Run the same batch again and it is
a no-op.

The rest: releases (``open_release``, ``finish_release`` marks the cables a full build no longer
lists), ingest runs and their log (``start_run``, ``record_failure``, ``finish_run``), reference
tables (``load_known_ids``, ``load_routes``) and ``resolve_references`` (recompute where each
cited id stands). Every function takes ``using``, the Django database alias.

Speed: a batch costs a fixed number of queries (not one per cable): bulk inserts, executemany
updates, ``IN`` lookups.
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
from .models import (
    Addressee, Cable, CableTag, CableVersion, IngestLog, IngestRun, KnownId, Paragraph,
    ReferenceEdge, Release, ReleaseCable, Removal, Station, Tag,
)
from .versions import NEW, Fingerprint, change_kind, fingerprint

try:  # the tag table may not know meanings yet
    from ..parse.tags import tag_meaning as _tag_meaning
except ImportError:  # pragma: no cover
    _tag_meaning = None

CHUNK = 5000


@dataclass
class StoreCounts:
    """What a batch (or a run) did: cables new, changed, unchanged; files failed."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: StoreCounts) -> StoreCounts:
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.failures += other.failures
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


def finish_release(release: Release, present_ids: Iterable[str] = (),
                   using: str = "default") -> int:
    """Close a release; for a full one, mark removed the cables it no longer lists.

    A cable is removed by ``release`` when an earlier release showed it and this one did not.
    ``present_ids``: ids the build holds but that failed to parse — they are not removed.
    Returns the number of cables marked removed.
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
    return len(removed_ids)


# ---------------------------------------------------------------- reference tables

def load_known_ids(ids: Iterable[str | tuple[str, object]], using: str = "default") -> int:
    """Add ids to the known-id list (``"06ASTANA38"`` or ``("06ASTANA38", "2006-04")``).

    Bulk and idempotent; then edge statuses are recomputed. Returns how many ids were new.
    """
    connection = connections[using]
    before = KnownId.objects.using(using).count()
    sql = "INSERT INTO store_knownid (canonical_id, month) VALUES (%s, %s) ON CONFLICT DO NOTHING"
    rows = (_known_row(item) for item in ids)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for chunk in _chunks(rows, 20_000):
            cursor.executemany(sql, chunk)
        resolve_references(using=using)
    return KnownId.objects.using(using).count() - before


def _known_row(item: str | tuple[str, object]) -> tuple[str, str | None]:
    if isinstance(item, str):
        return canonical_id(item), None
    reference_id, month = item[0], item[1] if len(item) > 1 else None
    return canonical_id(reference_id), (None if month in (None, "") else str(month))


def load_routes(routes: Mapping[str, str], using: str = "default") -> int:
    """Add a routing table ({routing indicator: station name}) as ``table`` stations."""
    before = Station.objects.using(using).filter(source=Station.TABLE).count()
    sql = ("INSERT INTO store_station (route, name, source, cables) VALUES (%s, %s, %s, 0) "
           "ON CONFLICT (route, name, source) DO NOTHING")
    rows = [(r.strip().upper(), n.strip(), Station.TABLE) for r, n in routes.items() if r and n]
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for chunk in _chunks(rows, 20_000):
            cursor.executemany(sql, chunk)
    return Station.objects.using(using).filter(source=Station.TABLE).count() - before


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
    cable_id: int = 0
    version_id: int = 0


def store_batch(parsed: Iterable[tuple[str, CableRecord] | tuple[str, CableRecord, Fingerprint]],
                release: Release | None = None, *, run: IngestRun | None = None, source: str = "",
                using: str = "default", log_unchanged: bool = True) -> StoreCounts:
    """Store ``(file, cable)`` pairs in one transaction; returns new/changed/unchanged counts.

    An item may carry its :func:`.versions.fingerprint` as a third element: ingest computes it
    in the parsing processes (it is pure and Django-free), which takes it off the writer's
    critical path. A cable seen twice in one batch is stored in order (the second compared with
    the first).
    """
    rounds = _rounds(list(parsed))
    counts = StoreCounts()
    with transaction.atomic(using=using):
        for items in rounds:
            counts.add(_store_round(items, release, run, source or (run.source if run else ""),
                                    using, log_unchanged))
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
    writes: list[_Write] = []
    log: list[tuple] = []
    counts = StoreCounts()
    members: list[tuple[str, _Stored | None]] = []
    for item in items:
        file, cable = item[0], item[1]
        current = stored.get(cable.canonical_id)
        members.append((cable.canonical_id, current))
        if current is not None and cable.partial and not current.partial:
            counts.unchanged += 1
            if log_unchanged:
                log.append(_log(run, source, file, cable, IngestLog.UNCHANGED,
                                "a partial copy; the archive holds the complete cable"))
            continue
        fp = item[2] if len(item) > 2 else fingerprint(cable)
        if current is not None and current.content_hash == fp.content_hash:
            counts.unchanged += 1
            if log_unchanged:
                log.append(_log(run, source, file, cable, IngestLog.UNCHANGED))
            continue
        writes.append(_Write(file, cable, fp, current))
        if current is None:
            counts.new += 1
            log.append(_log(run, source, file, cable, IngestLog.NEW))
        else:
            counts.changed += 1
            log.append(_log(run, source, file, cable, IngestLog.CHANGED))

    if writes:
        _write_versions(writes, release, source, using)
    if release is not None:
        _record_membership(members, writes, release, using)
    _write_log(log, using)
    return counts


def _log(run, source, file, cable, outcome, error=None) -> tuple:
    return (run.id if run is not None else None, source, file, cable.canonical_id, outcome, error)


def _write_log(rows: list[tuple], using: str) -> None:
    connection = connections[using]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        _insert(cursor, IngestLog, ["run_id", "source", "file", "canonical_id", "outcome", "error",
                                    "time"], [(*row, now) for row in rows])


def _load_stored(ids: list[str], using: str) -> dict[str, _Stored]:
    rows = (
        Cable.objects.using(using)
        .filter(canonical_id__in=ids)
        .values_list(
            "canonical_id", "id", "partial", "latest_version__number", "latest_version__content_hash",
            "latest_version__metadata_hash", "latest_version__text_hash", "first_release_id",
            "last_release__order", "removed_in_id",
        )
    )
    return {row[0]: _Stored(row[1], row[2], row[3] or 0, *row[4:]) for row in rows}


def _write_versions(writes: list[_Write], release: Release | None, source: str, using: str) -> None:
    connection = connections[using]
    release_id = release.id if release is not None else None
    new = [w for w in writes if w.stored is None]
    created = Cable.objects.using(using).bulk_create(
        [Cable(canonical_id=w.cable.canonical_id, reference_id=w.cable.reference_id,
               first_release_id=release_id, last_release_id=release_id) for w in new],
        batch_size=CHUNK,
    )
    for w, row in zip(new, created):
        w.cable_id = row.id
    changed_ids = [w.stored.id for w in writes if w.stored is not None]
    for w in writes:
        if w.stored is not None:
            w.cable_id = w.stored.id
    if changed_ids:
        _delete_parts(changed_ids, using)

    versions = CableVersion.objects.using(using).bulk_create(
        [_version(w, release_id, source) for w in writes], batch_size=CHUNK
    )
    for w, version in zip(writes, versions):
        w.version_id = version.id

    with connection.cursor() as cursor:
        cursor.executemany(
            """UPDATE store_cable SET reference_id = %s, created = %s, released = %s,
                 classification = %s, origin = %s, subject = %s, precedence = %s, partial = %s,
                 latest_version_id = %s WHERE id = %s""",
            [(c.reference_id, c.created, c.released, c.classification, c.origin, c.subject,
              c.precedence, c.partial, w.version_id, w.cable_id) for w in writes for c in [w.cable]],
        )
    _write_parts(writes, using)
    _learn_stations(writes, using)
    resolve_references([w.cable.canonical_id for w in new], using=using)


def _version(w: _Write, release_id: int | None, source: str) -> CableVersion:
    previous = (w.stored.metadata_hash, w.stored.text_hash) if w.stored is not None else None
    return CableVersion(
        cable_id=w.cable_id,
        number=(w.stored.number if w.stored is not None else 0) + 1,
        change=change_kind(previous, w.print),
        content_hash=w.print.content_hash,
        metadata_hash=w.print.metadata_hash,
        text_hash=w.print.text_hash,
        record=w.print.record,
        body=w.cable.body,
        header_raw=w.cable.header_raw,
        body_raw=None if w.cable.body_raw == w.cable.body else w.cable.body_raw,
        release_id=release_id,
        source=w.file if not source else f"{source}:{w.file}" if w.file else source,
    )


def _delete_parts(cable_ids: list[int], using: str) -> None:
    for chunk in _chunks(cable_ids):
        CableTag.objects.using(using).filter(cable_id__in=chunk).delete()
        Paragraph.objects.using(using).filter(cable_id__in=chunk).delete()
        Addressee.objects.using(using).filter(cable_id__in=chunk).delete()
        ReferenceEdge.objects.using(using).filter(citing_id__in=chunk).delete()


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
        _insert(cursor, CableTag, ["cable_id", "tag_id", "position"], tags)
        _insert(cursor, Paragraph, ["cable_id", "position", "number", "marking", "text"], paragraphs)
        _insert(cursor, Addressee, ["cable_id", "role", "position", "route", "name", "precedence",
                                    "serial", "station"], addressees)
        _insert(cursor, ReferenceEdge, ["citing_id", "position", "cited_id", "label", "citation",
                                        "kind", "cited_cable_id", "status"], edges)


def _insert(cursor, model, columns: list[str], rows: list[tuple]) -> None:
    """executemany INSERT: the child rows of a batch without building a model object each."""
    if rows:
        cursor.executemany(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )


def _tag_ids(kinds: dict[str, str], using: str) -> dict[str, int]:
    if not kinds:
        return {}
    Tag.objects.using(using).bulk_create(
        [Tag(code=code, kind=kind or "", meaning=_meaning(code)) for code, kind in kinds.items()],
        ignore_conflicts=True,
    )
    return dict(Tag.objects.using(using).filter(code__in=list(kinds)).values_list("code", "id"))


def _meaning(code: str) -> str | None:
    try:
        return _tag_meaning(code) if _tag_meaning is not None else None
    except Exception:  # a meaning is a nicety; never lose a batch over it
        return None


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
        cable_id = w.cable_id if w is not None else stored.id
        version_id = w.version_id if w is not None else None
        rows.append((cable_id, version_id))
        if stored is not None and (
            stored.last_release_order is None or stored.last_release_order < release.order
            or stored.removed_in_id is not None or stored.first_release_id is None
        ):
            moved.append(cable_id)
    with connections[using].cursor() as cursor:
        cursor.executemany(
            """INSERT INTO store_releasecable (release_id, cable_id, version_id)
               SELECT %s, c.id, coalesce(%s, c.latest_version_id) FROM store_cable c WHERE c.id = %s
               ON CONFLICT (release_id, cable_id) DO UPDATE SET version_id = excluded.version_id""",
            [(release.id, version_id, cable_id) for cable_id, version_id in rows],
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
