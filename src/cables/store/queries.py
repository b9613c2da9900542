"""What the archive can tell: releases, a cable's history and diffs, references, statistics.

Read-side functions over the models, shared by the CLI now and the web and API layers later (so a
number is computed once, one way). Each returns plain data that the callers print or render.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count

from ..ids import canonical_id
from ..record import METADATA_FIELDS, TEXT_FIELDS
from ..record import Cable as CableRecord
from .generation import as_time
from .models import Cable, CableTag, CableVersion, ReferenceEdge, Release, ReleaseCable, Removal
from .routing import read_alias
from .textdiff import WordChanges, word_changes


class NotInArchive(LookupError):
    """No archived cable has this id (in any of its written forms)."""

    def __init__(self, reference_id: str):
        self.reference_id = reference_id
        super().__init__(f"{reference_id}: no such cable in the archive "
                         f"(looked for {canonical_id(reference_id)})")


def get_cable(reference_id: str) -> Cable:
    """The archived cable an id names, tolerant of case and malformed ids."""
    cable = Cable.objects.by_ref(reference_id).select_related("latest_version").first()
    if cable is None:
        raise NotInArchive(reference_id)
    return cable


# --- releases -----------------------------------------------------------------------------------

def release_summaries() -> list[dict]:
    """Each release in order with the cables it holds, and its new, changed and removed counts.

    Counted from indexes alone (each a GROUP BY over a foreign-key index): a cable is new in the
    release that first showed it (``Cable.first_release``), and every other version a release
    brought is a change.
    """
    def per_release(queryset, field: str) -> dict:
        return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())

    versions = per_release(CableVersion.objects.all(), "release_id")
    new = per_release(Cable.objects.all(), "first_release_id")
    members = per_release(ReleaseCable.objects.all(), "release_id")
    removals = per_release(Removal.objects.all(), "release_id")
    return [
        {
            "name": r.name,
            "order": r.order,
            "full": r.full,
            "cables": members.get(r.id, 0),
            "new": new.get(r.id, 0),
            "changed": versions.get(r.id, 0) - new.get(r.id, 0),
            "removed": removals.get(r.id, 0),
            "source": r.source,
            "ingested": r.created.isoformat(timespec="seconds"),
        }
        for r in Release.objects.ordered()
    ]


# --- one cable ------------------------------------------------------------------------------------

def history(reference_id: str) -> list[dict]:
    """A cable's versions, oldest first: which release brought each and what changed."""
    cable = get_cable(reference_id)
    return [
        {
            "version": v.number,
            "release": v.release.name if v.release else None,
            "change": v.change,
            "content_hash": v.content_hash,
            "stored": v.stored.isoformat(timespec="seconds"),
            "source": v.source,
        }
        for v in cable.versions.select_related("release").order_by("number")
    ]


def show(reference_id: str) -> dict:
    """The latest parsed record of a cable, with its versions and where it stands."""
    cable = get_cable(reference_id)
    data = cable.record().to_json()
    data["versions"] = history(reference_id)
    data["removed_in"] = cable.removed_in.name if cable.removed_in_id else None
    return data


@dataclass(frozen=True)
class VersionDiff:
    """What changed between two versions of a cable: metadata fields, the fields read from the
    text (``text_fields``) and the text itself, line by line and word by word."""

    reference_id: str
    old: int
    new: int
    metadata: list[tuple[str, object, object]]
    text_fields: list[tuple[str, object, object]]
    text: list[str]
    words: WordChanges

    def to_json(self) -> dict:
        return {"reference_id": self.reference_id, "from": self.old, "to": self.new,
                "metadata": _field_changes_json(self.metadata),
                "text_fields": _field_changes_json(self.text_fields),
                "text": self.text, "words": self.words.to_json()}


def _field_changes_json(changes: list[tuple[str, object, object]]) -> list[dict]:
    return [{"field": f, "from": a, "to": b} for f, a, b in changes]


# The text fields a diff lists by name: the body (and its paragraphs, cut from it) is shown line
# by line instead; what is read from it (summary, signers) can change with the body unchanged.
_LISTED_TEXT_FIELDS = tuple(k for k in TEXT_FIELDS if k not in ("body", "paragraphs"))


def diff(reference_id: str, old: int | None = None, new: int | None = None) -> VersionDiff:
    """The difference between versions ``old`` and ``new`` (default: the last two)."""
    c = compare_versions(get_cable(reference_id), old, new)
    a, b = c.old_record, c.new_record
    return VersionDiff(c.reference_id, c.old, c.new, c.metadata, c.text_fields,
                       _text_changes(a, b, c.old, c.new), word_changes(a.body, b.body))


def _field_changes(a: CableRecord, b: CableRecord,
                   keys: tuple[str, ...]) -> list[tuple[str, object, object]]:
    """(field, old value, new value) of each of ``keys`` that differs, in the record's order.

    Which fields are metadata and which text is :mod:`cables.record`'s one split, the one the
    version hashes use: a version stored as a ``text`` change lists its fields under text."""
    ja, jb = a.to_json(), b.to_json()
    return [(k, ja.get(k), jb.get(k)) for k in keys if ja.get(k) != jb.get(k)]


def _text_changes(a: CableRecord, b: CableRecord, old: int, new: int) -> list[str]:
    return list(difflib.unified_diff(a.body.splitlines(), b.body.splitlines(),
                                     f"{a.canonical_id} v{old}", f"{b.canonical_id} v{new}", lineterm=""))


def format_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


# --- references -----------------------------------------------------------------------------------

def references(reference_id: str) -> dict:
    """What a cable cites (with where each cited id stands) and the archived cables citing it.

    The cited id need not be archived: ``cited_by`` also answers for known, unreleased ids.
    """
    cid = canonical_id(reference_id)
    citing = Cable.objects.by_ref(reference_id).first()
    cites = []
    if citing is not None:
        for e in ReferenceEdge.objects.filter(citing=citing).cables().order_by("position"):
            cites.append({"id": e.cited_id, "label": e.label, "citation": e.citation,
                          "status": e.status})
    cited_by = sorted(ReferenceEdge.objects.filter(cited_id=cid)
                      .values_list("citing__canonical_id", flat=True).distinct())
    if citing is None and not cited_by:
        raise NotInArchive(reference_id)
    return {"id": cid, "archived": citing is not None, "cites": cites, "cited_by": cited_by}


# --- the whole archive ------------------------------------------------------------------------------

def stats(top: int | None = None) -> dict:
    """Counts by year, origin, classification, tag and release (``top`` limits the long lists)."""
    cables = Cable.objects.all()
    by_year = Counter()
    for created, n in cables.values_list("created").annotate(n=Count("id")).order_by():
        by_year[(created or "unknown")[:4]] += n

    def counted(field: str) -> dict:
        rows = (cables.values_list(field).annotate(n=Count("id")).order_by("-n", field))
        rows = rows[:top] if top else rows
        return {k or "unknown": n for k, n in rows}

    tags = (CableTag.objects.values_list("tag__code").annotate(n=Count("cable", distinct=True))
            .order_by("-n", "tag__code"))
    return {
        "cables": cables.count(),
        "current": cables.current().count(),
        "removed": cables.removed().count(),
        "versions": CableVersion.objects.count(),
        "releases": Release.objects.count(),
        "references": ReferenceEdge.objects.filter(cited_id__isnull=False).count(),
        "references_archived": ReferenceEdge.objects.filter(status=ReferenceEdge.ARCHIVED).count(),
        "by_year": dict(sorted(by_year.items())),
        "by_origin": counted("origin"),
        "by_classification": counted("classification"),
        "by_tag": dict(tags[:top] if top else tags),
        "by_release": {r["name"]: r["cables"] for r in release_summaries()},
    }


# --- the cable page (reading room) ------------------------------------------------------------------
#
# What one cable page shows, in a handful of queries whatever the archive's size: the cable row
# (one query), its latest record, releases, versions, tags, REF items, the cables citing it and
# their records, the stations of its routes, its reference graph (one or two queries each).
#
# These are written in SQL, the ORM's queries as it would write them (same joins, same order): a
# page nobody asked for yet makes a dozen of them, and the ORM spends 0.3-1 ms of CPU building
# each one and its model instances, which SQLite answers in 0.02-0.05 ms (bench/render.py: the
# page's reads fell from ~10 ms to ~1 ms). Rows become models with ``Model.from_db``, as the ORM
# makes them, with the fields a query did not read deferred.

def _rows(sql: str, params: list, using: str | None = None) -> list[tuple]:
    with connections[using or read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _model(model, fields: tuple[str, ...], values, using: str | None = None):
    """A model instance of a row, as the ORM makes it (``fields``: the attributes read)."""
    return model.from_db(using or read_alias(), fields, values)


_CABLE_FIELDS = tuple(f.attname for f in Cable._meta.concrete_fields)


def cable_for_page(reference_id: str) -> Cable | None:
    """The archived cable an id names (any written form): its row alone, a third of the CPU of
    one joined with its latest version and releases, which a page kept rendered does not need
    (a page rendered reads them apart: :func:`latest_record`, :func:`releases_of`)."""
    found = _rows(f"SELECT {', '.join(_CABLE_FIELDS)} FROM store_cable WHERE canonical_id = %s "
                  "LIMIT 1", [canonical_id(reference_id)])
    if not found:
        return None
    return _cable(found[0])


def _cable(row: tuple) -> Cable:
    values = list(row)
    partial = _CABLE_FIELDS.index("partial")
    values[partial] = bool(values[partial])  # SQLite gives 0 or 1
    return _model(Cable, _CABLE_FIELDS, values)


def cables_for_pages(ids: list[int]) -> list[Cable]:
    """The cables of ``ids`` (row ids) that have a page (a latest version), as
    :func:`cable_for_page` reads each, in the order of ``ids``."""
    if not ids:
        return []
    found = {}
    for row in _rows(f"SELECT {', '.join(_CABLE_FIELDS)} FROM store_cable WHERE id IN ({_marks(ids)}) "
                     "AND latest_version_id IS NOT NULL", list(ids)):
        cable = _cable(row)
        found[cable.pk] = cable
    return [found[pk] for pk in ids if pk in found]


def latest_record(cable: Cable) -> CableRecord:
    """The cable's latest record (``cable.record()`` without reading the version's row as a model)."""
    from .models import stored_record

    (packed,), = _rows("SELECT data FROM store_cableversion WHERE id = %s", [cable.latest_version_id])
    return stored_record(packed)


def releases_of(cable: Cable) -> dict[str, Release | None]:
    """The cable's first and last releases and the release that removed it, by the field's name."""
    fields = ("first_release", "last_release", "removed_in")
    wanted = {getattr(cable, f"{name}_id") for name in fields} - {None}
    by_id = {}
    if wanted:
        names = ("id", "name", "order", "source", "full", "created", "finished")
        for pk, name, order, source, full, created, finished in _rows(
                'SELECT id, name, "order", source, "full", created, finished FROM store_release '
                f"WHERE id IN ({_marks(wanted)})", sorted(wanted)):
            by_id[pk] = _model(Release, names, (pk, name, order, source, bool(full),
                                                as_time(created), as_time(finished)))
    return {name: by_id.get(getattr(cable, f"{name}_id")) for name in fields}


def versions_of(cable: Cable) -> list[dict]:
    """The cable's versions, oldest first, without their packed records (``history`` without the lookup)."""
    return [
        {"version": number, "release": release, "change": change, "content_hash": content_hash,
         "stored": as_time(stored).isoformat(timespec="seconds"), "source": source}
        for number, release, change, content_hash, stored, source in _rows(
            "SELECT v.number, r.name, v.change, v.content_hash, v.stored, v.source "
            "FROM store_cableversion v LEFT OUTER JOIN store_release r ON v.release_id = r.id "
            "WHERE v.cable_id = %s ORDER BY v.number ASC", [cable.pk])
    ]


def tags_of(cable: Cable) -> list:
    """The cable's tags in the order its TAGS line gives them, with their kind and meaning."""
    from .models import Tag

    names = ("id", "code", "kind", "meaning")
    return [_model(Tag, names, row) for row in _rows(
        "SELECT t.id, t.code, t.kind, t.meaning FROM store_tag t "
        "INNER JOIN store_cabletag ct ON t.id = ct.tag_id WHERE ct.cable_id = %s "
        "ORDER BY ct.position ASC", [cable.pk])]


def reference_items(cable: Cable) -> list[ReferenceEdge]:
    """The REF items of the latest version in order, each with the cited cable when archived."""
    names = ("id", "position", "cited_id", "label", "citation", "kind", "cited_cable_id", "status")
    items = []
    for row in _rows(
            "SELECT e.id, e.position, e.cited_id, e.label, e.citation, e.kind, e.cited_cable_id, "
            "e.status, c.id, c.canonical_id, c.created, c.subject FROM store_referenceedge e "
            "LEFT OUTER JOIN store_cable c ON e.cited_cable_id = c.id WHERE e.citing_id = %s "
            "ORDER BY e.position ASC", [cable.pk]):
        edge = _model(ReferenceEdge, names, row[:8])
        edge.cited_cable = (_model(Cable, ("id", "canonical_id", "created", "subject"), row[8:])
                            if row[8] is not None else None)
        items.append(edge)
    return items


@dataclass(frozen=True)
class CitingCable:
    """An archived cable citing another: its REF items naming that cable, and its latest record,
    whose layout says where a paragraph uses each REF item (``Layout.uses``, by the items'
    positions) so a reader can be sent to it."""

    cable: Cable
    edges: tuple[ReferenceEdge, ...]
    record: CableRecord | None


def citing_cables(cable: Cable, limit: int = 50) -> tuple[list[CitingCable], int]:
    """The archived cables whose REF list cites ``cable`` (oldest first, at most ``limit``), with
    how many there are in all. Three queries, however many cite it: the edges, the count when
    the edges were cut, the citing cables' latest versions (unpacking one is ~0.02 ms)."""
    edge_names = ("id", "citing_id", "position", "label", "citation")
    cable_names = ("id", "canonical_id", "created", "classification", "origin", "subject")
    grouped: dict[int, list[ReferenceEdge]] = {}
    rows = _rows(
        "SELECT e.id, e.citing_id, e.position, e.label, e.citation, c.id, c.canonical_id, "
        "c.created, c.classification, c.origin, c.subject FROM store_referenceedge e "
        "INNER JOIN store_cable c ON e.citing_id = c.id WHERE e.cited_cable_id = %s "
        "ORDER BY c.created ASC, c.canonical_id ASC, e.position ASC LIMIT %s", [cable.pk, limit * 4])
    citing: dict[int, Cable] = {}
    for row in rows:
        edge = _model(ReferenceEdge, edge_names, row[:5])
        if edge.citing_id not in citing:
            citing[edge.citing_id] = _model(Cable, cable_names, row[5:])
        edge.citing = citing[edge.citing_id]
        grouped.setdefault(edge.citing_id, []).append(edge)
    total = len(grouped)
    if len(rows) == limit * 4 or total > limit:
        (total,), = _rows("SELECT COUNT(DISTINCT citing_id) FROM store_referenceedge "
                          "WHERE cited_cable_id = %s", [cable.pk])
    shown = list(grouped.items())[:limit]
    records = records_of([pk for pk, _ in shown])
    return [CitingCable(group[0].citing, tuple(group), records.get(pk)) for pk, group in shown], total


def records_of(cable_ids: list[int], using: str = "default") -> dict[int, CableRecord]:
    """{cable id: its latest record} in one query (a page of search hits: unpacking a version
    is ~0.02 ms, cheaper than reading and matching their paragraphs' rows)."""
    from .models import stored_record

    if not cable_ids:
        return {}
    return {pk: stored_record(packed) for pk, packed in _rows(
        "SELECT c.id, v.data FROM store_cable c INNER JOIN store_cableversion v "
        f"ON c.latest_version_id = v.id WHERE c.id IN ({_marks(cable_ids)})", list(cable_ids),
        using)}


def station_names(routes: list[str]) -> dict[str, str]:
    """Routing indicator → station name for ``routes``: the routing table's name first, else the
    name learned from the most cables."""
    from .models import Station

    wanted = sorted(set(routes))
    if not wanted:
        return {}
    best: dict[str, tuple[tuple[int, int], str]] = {}
    for route, name, source, cables in _rows(
            f"SELECT route, name, source, cables FROM store_station WHERE route IN ({_marks(wanted)}) "
            "ORDER BY route ASC, source ASC, name ASC", wanted):
        rank = (1 if source == Station.TABLE else 0, cables)
        if route not in best or rank > best[route][0]:
            best[route] = (rank, name)
    return {route: name for route, (_, name) in best.items()}


@dataclass(frozen=True)
class GraphNode:
    id: str                  # canonical id
    created: str | None      # set when archived
    subject: str | None
    status: str              # archived, known, unknown
    hop: int                 # 0: the cable, 1: cites it or is cited by it, 2: one more step


@dataclass(frozen=True)
class ReferenceGraph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[tuple[str, str], ...]   # (citing id, cited id), both among the nodes
    truncated: bool                       # more cables were in reach than the cap allows


_GRAPH_EDGES = (
    "SELECT e.citing_id, citing.canonical_id, citing.created, citing.subject, e.cited_id, "
    "e.cited_cable_id, cited.created, cited.subject, e.status FROM store_referenceedge e "
    "INNER JOIN store_cable citing ON e.citing_id = citing.id "
    "LEFT OUTER JOIN store_cable cited ON e.cited_cable_id = cited.id ")


def reference_graph(cable: Cable, max_nodes: int = 40) -> ReferenceGraph:
    """The cables two REF steps from ``cable`` either way, at most ``max_nodes`` of them.

    The first step keeps every cited id (archived or not); the second follows archived cables
    only, the way a reader can. Two queries: the edges touching the cable, then the edges touching
    its archived neighbours (capped in SQL, so a cable cited by thousands costs the same).
    """
    nodes: dict[str, GraphNode] = {cable.canonical_id: GraphNode(
        cable.canonical_id, cable.created, cable.subject, ReferenceEdge.ARCHIVED, 0)}
    edges: set[tuple[str, str]] = set()
    truncated = False

    def add(row: tuple, hop: int) -> None:
        nonlocal truncated
        _citing_pk, citing, citing_created, citing_subject, cited, cited_pk, cited_created, \
            cited_subject, status = row
        new = [(citing, citing_created, citing_subject, ReferenceEdge.ARCHIVED),
               (cited, cited_created, cited_subject, status if cited_pk is None else ReferenceEdge.ARCHIVED)]
        for node_id, created, subject, node_status in new:
            if node_id not in nodes:
                if len(nodes) >= max_nodes:
                    truncated = True
                    return
                nodes[node_id] = GraphNode(node_id, created, subject, node_status, hop)
        edges.add((citing, cited))

    first = _rows(_GRAPH_EDGES + "WHERE (e.citing_id = %s OR e.cited_cable_id = %s) "
                  "AND NOT (e.cited_id IS NULL) "
                  "ORDER BY e.status ASC, citing.created ASC, e.position ASC LIMIT %s",
                  [cable.pk, cable.pk, max_nodes * 2])
    # archived neighbours first, so a cap keeps the cables a reader can open
    for row in sorted(first, key=lambda r: r[5] is None and r[0] != cable.pk):
        add(row, 1)
    neighbours = {r[5] for r in first if r[0] == cable.pk and r[5] is not None}
    neighbours |= {r[0] for r in first if r[0] != cable.pk}
    neighbours.discard(cable.pk)
    if neighbours and len(nodes) < max_nodes:
        pks = sorted(neighbours)
        second = _rows(
            _GRAPH_EDGES + f"WHERE (e.citing_id IN ({_marks(pks)}) OR e.cited_cable_id IN ({_marks(pks)})) "
            "AND e.status = %s AND NOT (e.citing_id = %s) "
            "AND NOT (e.cited_cable_id = %s AND e.cited_cable_id IS NOT NULL) "
            "ORDER BY citing.created ASC, e.position ASC LIMIT %s",
            [*pks, *pks, ReferenceEdge.ARCHIVED, cable.pk, cable.pk, max_nodes * 4])
        for row in second:
            add(row, 2)
    return ReferenceGraph(tuple(nodes.values()), tuple(sorted(edges)), truncated)


@dataclass(frozen=True)
class VersionComparison:
    """Two versions of a cable, whole: what the side-by-side diff page shows."""

    reference_id: str
    old: int
    new: int
    latest: int
    metadata: list[tuple[str, object, object]]
    text_fields: list[tuple[str, object, object]]
    old_record: CableRecord
    new_record: CableRecord


def compare_versions(cable: Cable, old: int | None = None, new: int | None = None) -> VersionComparison:
    """Versions ``old`` and ``new`` of ``cable`` (default: the last two), the only two records
    read; raises LookupError with a message for a reader when there is nothing to compare."""
    numbers = sorted(cable.versions.values_list("number", flat=True))
    if not numbers:
        raise NotInArchive(cable.canonical_id)
    latest = numbers[-1]
    if latest == 1:
        raise LookupError(f"{cable.canonical_id} has one version only: nothing to compare")
    new = new or latest
    old = old or max(new - 1, 1)
    for number in (new, old):  # the one the reader typed is reported, not one derived from it
        if number not in numbers:
            raise LookupError(f"{cable.canonical_id} has versions 1 to {latest}, not {number}")
    records = {v.number: v.to_record() for v in cable.versions.filter(number__in={old, new})}
    a, b = records[old], records[new]
    return VersionComparison(cable.canonical_id, old, new, latest, _field_changes(a, b, METADATA_FIELDS),
                             _field_changes(a, b, _LISTED_TEXT_FIELDS), a, b)


@dataclass(frozen=True)
class MissingCable:
    """Why an id names no cable of the archive, in words every reader of it (a page, the API) is
    given the same: ``message`` (one sentence) and the ``close`` cables that exist."""

    message: str
    close: list[Cable]


def missing_cable(reference_id: str) -> MissingCable:
    """What to tell a reader who asked for ``reference_id`` and found no cable: not an id at all,
    a real id never released (in the known-id list), or no such cable; with the close ids."""
    from ..ids import parse_id

    cid = canonical_id(reference_id)
    if parse_id(cid) is None:
        return MissingCable(f"“{reference_id[:40]}” is not a cable reference id: ids look like "
                            "06ASTANA38 (year, station, serial number).", [])
    close, known = close_ids(cid)
    if known:
        return MissingCable(f"{cid} is a real cable id (it is in the list of the collection's "
                            "ids), but the cable has not been released.", close)
    return MissingCable(f"There is no cable {cid} in the archive.", close)


def close_ids(reference_id: str, limit: int = 8) -> tuple[list[Cable], bool]:
    """Archived cables whose id is close to one that names none: the same station and year with a
    near serial, the same serial in a neighbouring year, a station spelled alike. And whether the
    id is a known one (in the known-id list) that was never released.

    Each candidate set is built from ids (index lookups), never by scanning the table.
    """
    from ..ids import ID_STATIONS, parse_id
    from .models import KnownId

    cid = canonical_id(reference_id)
    known = KnownId.objects.filter(canonical_id=cid).exists()
    parsed = parse_id(cid)
    if parsed is None:
        return [], known
    year, station, serial = parsed
    wanted: list[str] = []
    for delta in range(1, 41):
        wanted += [f"{year}{station}{serial + delta}", f"{year}{station}{serial - delta}"]
    for other in difflib.get_close_matches(station, sorted(ID_STATIONS), n=4, cutoff=0.75):
        if other != station:
            wanted.append(f"{year}{other}{serial}")
    for delta in (1, -1, 2, -2):
        wanted.append(f"{(int(year) + delta) % 100:02d}{station}{serial}")
    digits = str(serial)
    for i in range(len(digits) - 1):   # two digits swapped: 1540 for 1450
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
        wanted.append(f"{year}{station}{int(swapped)}")
    found = {c.canonical_id: c for c in Cable.objects.filter(canonical_id__in=set(wanted) - {cid})
             .only("canonical_id", "created", "subject")}
    ranked = difflib.get_close_matches(cid, list(found), n=limit, cutoff=0)
    return [found[i] for i in ranked], known
