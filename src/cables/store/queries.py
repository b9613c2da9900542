"""What the archive can tell: releases, a cable's history and diffs, references, statistics.

Read-side functions over the models, shared by the CLI now and the web and API layers later (so a
number is computed once, one way). Each returns plain data that the callers print or render.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from ..ids import canonical_id
from ..record import Cable as CableRecord
from .models import Cable, CableTag, CableVersion, ReferenceEdge, Release, ReleaseCable, Removal


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
    """Each release in order with the cables it holds, and its new, changed and removed counts."""
    versions = Counter()
    for release_id, change, n in (CableVersion.objects.values_list("release_id", "change")
                                  .annotate(n=Count("id")).order_by()):
        versions[(release_id, change == CableVersion.NEW)] += n
    members = dict(ReleaseCable.objects.values_list("release_id").annotate(n=Count("id")).order_by())
    removals = dict(Removal.objects.values_list("release_id").annotate(n=Count("id")).order_by())
    return [
        {
            "name": r.name,
            "order": r.order,
            "full": r.full,
            "cables": members.get(r.id, 0),
            "new": versions[(r.id, True)],
            "changed": versions[(r.id, False)],
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
    """What changed between two versions of a cable: metadata fields and the text."""

    reference_id: str
    old: int
    new: int
    metadata: list[tuple[str, object, object]]
    text: list[str]

    def to_json(self) -> dict:
        return {"reference_id": self.reference_id, "from": self.old, "to": self.new,
                "metadata": [{"field": f, "from": a, "to": b} for f, a, b in self.metadata],
                "text": self.text}


_TEXT_FIELDS = frozenset({"body", "body_raw", "header_raw", "paragraphs", "summary", "warnings",
                          "source_format"})


def diff(reference_id: str, old: int | None = None, new: int | None = None) -> VersionDiff:
    """The difference between versions ``old`` and ``new`` (default: the last two)."""
    cable = get_cable(reference_id)
    versions = {v.number: v for v in cable.versions.all()}
    if not versions:
        raise NotInArchive(reference_id)
    latest = max(versions)
    if latest == 1:
        raise LookupError(f"{cable.canonical_id} has one version only: nothing to compare")
    new = new or latest
    old = old or max(new - 1, 1)
    for number in (old, new):
        if number not in versions:
            raise LookupError(f"{cable.canonical_id} has versions 1 to {latest}, not {number}")
    a, b = versions[old].to_record(), versions[new].to_record()
    return VersionDiff(cable.canonical_id, old, new, _metadata_changes(a, b), _text_changes(a, b, old, new))


def _metadata_changes(a: CableRecord, b: CableRecord) -> list[tuple[str, object, object]]:
    ja, jb = a.to_json(), b.to_json()
    return [(k, ja.get(k), jb.get(k)) for k in jb if k not in _TEXT_FIELDS and ja.get(k) != jb.get(k)]


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
