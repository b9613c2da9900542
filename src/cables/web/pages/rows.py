"""The JSON form of the archive's rows that pages hold: a cable, a release, a tag, a list page.

Each says what a reader of the twin needs to find the thing again — its id and its page on the
site — and no more: the cable's whole record is the cable page's ``record``, not every mention
of a cable.
"""

from __future__ import annotations

from ...store import browse
from ...store.models import Cable, Release, Tag
from .. import links
from .base import converts


@converts(Cable)
def cable_json(cable: Cable) -> dict:
    return {
        "id": cable.canonical_id, "subject": cable.subject, "created": cable.created,
        "origin": cable.origin, "classification": cable.classification,
        "url": links.cable_path(cable.canonical_id, cable.created),
    }


@converts(Release)
def release_json(release: Release) -> dict:
    return {"name": release.name, "order": release.order, "full": release.full,
            "source": release.source, "created": release.created,
            "url": links.release_path(release.name)}


@converts(Tag)
def tag_json(tag: Tag) -> dict:
    return {"code": tag.code, "kind": tag.kind, "meaning": tag.meaning}


@converts(browse.CableRow)
def row_json(row: browse.CableRow) -> dict:
    return {"id": row.reference_id, "subject": row.subject, "created": row.created,
            "origin": row.origin, "classification": row.classification,
            "removed_in": row.removed_in, "change": row.change,
            "url": links.cable_path(row.reference_id, row.created)}


@converts(browse.CablePage)
def list_page_json(page: browse.CablePage) -> dict:
    return {"number": page.number, "pages": page.pages, "per_page": page.per_page,
            "total": page.total, "rows": page.rows}


@converts(browse.Group)
def group_json(group: browse.Group) -> dict:
    return {"value": group.value, "label": group.label, "n": group.n}
