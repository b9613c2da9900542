"""The cables: the list (a query in the search language and the filters as parameters, sorted,
paged by cursor), one cable (its record, versions, references both ways, tags, comment count), one
of its versions, and what changed between two.

Thin: each operation reads its parameters and answers with what the store and the search service
give (:mod:`cables.store.queries`, :func:`cables.search.service.search`), the one place each
number is computed for the CLI, the pages and this API alike. A cable's REF items and the cables
citing it are the cable page's own (:class:`~cables.web.pages.cable.ReferenceItem`,
:class:`~cables.web.pages.cable.CitingItem`): the same paragraph found, the same excerpt cut,
here with the API's addresses beside the page's.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlencode

from ninja import Path, Query, Router

from ..search.service import search
from ..store import queries
from ..store.models import Cable
from ..web import links as pages
from ..web.pages.cable import CitingItem, ReferenceItem, citing_items, reference_items
from ..web.discussion.queries import comment_counts
from . import links
from .http import NotFound, endpoint
from .queries import FILTERS, MAX_LIMIT, Filters, query_text
from .schemas import CableDetail, CableList, Diff, Error, VersionDetail

router = Router(tags=["cables"])

CITED_BY_SHOWN = 100
MAX_ID_LENGTH = 80
ERRORS = {400: Error, 404: Error, 429: Error}

Reference = Path(..., max_length=MAX_ID_LENGTH,
                 description="a reference id in any written form (06astana038, 06ASTANA38)")
Limit = Query(20, ge=1, le=MAX_LIMIT, description=f"hits a page (at most {MAX_LIMIT})")
Cursor = Query(None, max_length=1000, description="the next_cursor of the page before")


def next_page(request, cursor: str | None) -> str | None:
    """This request's address with the next page's cursor (None on the last page)."""
    if cursor is None:
        return None
    params = {k: v for k, v in request.GET.items() if k != "cursor"}
    return request.path + "?" + urlencode({**params, "cursor": cursor})


def row(reference_id: str, subject, created, origin, classification) -> dict:
    return {"id": reference_id, "subject": subject, "created": created, "origin": origin,
            "classification": classification, "url": links.cable(reference_id),
            "page": pages.cable_path(reference_id, created)}


@router.get("/cables", response={200: CableList, **ERRORS}, url_name="cables", by_alias=True,
            summary="List cables: all, or those of a query")
@endpoint(params=("q", "sort", "limit", "cursor", *FILTERS))
def cable_list(request, filters: Query[Filters],
               q: str | None = Query(None, max_length=1000,
                                     description="a query in the search language (words, "
                                                 "\"phrases\", prefix*, -excluded, OR, filters); "
                                                 "none: every cable"),
               sort: Literal["date", "oldest", "relevance"] = Query(
                   "date", description="date: newest first; oldest; relevance (with words)"),
               limit: int = Limit, cursor: str | None = Cursor):
    """Cables newest first (or as ``sort`` says), ``limit`` a page; every filter of the search
    language is also a parameter of its own (``tag=PGOV`` adds ``tag:PGOV`` to ``q``)."""
    text = query_text(q, filters)
    result = search(text, sort=sort, limit=limit, cursor=cursor, every_cable_when_empty=True)
    return {"query": text, "sort": result.sort, "total": result.total,
            "cables": [row(h.reference_id, h.subject, h.created, h.origin, h.classification)
                       for h in result.hits],
            "next_cursor": result.next_cursor, "next": next_page(request, result.next_cursor)}


# --- one cable ------------------------------------------------------------------------------------

def cable_or_404(ref: str) -> Cable:
    cable = queries.cable_for_page(ref)
    if cable is None or cable.latest_version_id is None:
        raise NotFound(_why_not_found(ref))
    return cable


def _why_not_found(ref: str) -> str:
    missing = queries.missing_cable(ref)
    if not missing.close:
        return missing.message
    return missing.message + " Close ids: " + ", ".join(c.canonical_id for c in missing.close) + "."


@router.get("/cables/{ref}", response={200: CableDetail, **ERRORS}, url_name="cable",
            by_alias=True, summary="One cable: record, versions, references, comments")
@endpoint(discussion=True)
def cable_detail(request, ref: str = Reference):
    """The cable's latest record (paragraphs included), its versions, the tags with their
    meanings, what it cites (and where each cited id stands), the cables citing it (the first
    100; ``cited_by.all`` lists them all) and how many comments readers left."""
    cable = cable_or_404(ref)
    cid = cable.canonical_id
    citing, total = queries.citing_cables(cable, limit=CITED_BY_SHOWN)
    return {
        "id": cid, "url": links.cable(cid), "page": pages.cable_path(cid, cable.created),
        "first_release": _name(cable.first_release), "last_release": _name(cable.last_release),
        "removed_in": _name(cable.removed_in),
        "comments": comment_counts([cable.pk]).get(cable.pk, 0),
        "tags": [{"code": t.code, "kind": t.kind, "meaning": t.meaning} for t in queries.tags_of(cable)],
        "record": cable.record().to_json(),
        "versions": [{**v, "source": links.source_name(v["source"]), "url": links.version(cid, v["version"])}
                     for v in queries.versions_of(cable)],
        "cites": [_cited(item) for item in reference_items(cable)],
        "cited_by": {"total": total, "shown": len(citing),
                     "cables": [_citing(item) for item in citing_items(citing)],
                     "all": links.cables(ref=cid, sort="oldest")},
    }


def _name(release) -> str | None:
    return release.name if release is not None else None


def _cited(item: ReferenceItem) -> dict:
    """A REF item as the page lists it, with the API's address of the cable it names."""
    return {"label": item.label, "citation": item.citation, "id": item.id, "kind": item.kind,
            "status": item.status, "subject": item.subject,
            "url": links.cable(item.archived_id) if item.archived_id else None}


def _citing(item: CitingItem) -> dict:
    """A citing cable as the page's "Cited by" lists it, with the API's address beside the page's."""
    return {"id": item.id, "subject": item.subject, "created": item.created, "origin": item.origin,
            "url": links.cable(item.id), "page": item.url,
            "citations": [{"label": label, "citation": citation} for label, citation in item.citations],
            "paragraph": item.paragraph, "paragraph_page": item.paragraph_url, "excerpt": item.excerpt}


@router.get("/cables/{ref}/versions/{number}", response={200: VersionDetail, **ERRORS},
            url_name="version", by_alias=True, summary="One version of a cable")
@endpoint()
def version_detail(request, ref: str = Reference,
                   number: int = Path(..., ge=1, le=99_999, description="1 is the first")):
    cable = cable_or_404(ref)
    version = cable.versions.select_related("release").filter(number=number).first()
    if version is None:
        latest = cable.versions.count()
        raise NotFound(f"{cable.canonical_id} has versions 1 to {latest}, not {number}")
    return {"id": cable.canonical_id, "version": version.number,
            "release": _name(version.release), "change": version.change,
            "stored": version.stored.isoformat(timespec="seconds"),
            "record": version.to_record().to_json()}


@router.get("/cables/{ref}/diff", response={200: Diff, **ERRORS}, url_name="diff", by_alias=True,
            summary="What changed between two versions of a cable")
@endpoint(params=("from", "to"))
def version_diff(request, ref: str = Reference,
                 from_: int | None = Query(None, alias="from", ge=1, le=99_999,
                                           description="the older version (default: the one "
                                                       "before `to`)"),
                 to: int | None = Query(None, ge=1, le=99_999,
                                        description="the newer version (default: the latest)")):
    """Metadata fields, fields read from the text (summary, signers), the body line by line
    (unified diff) and word by word: what ``cables diff --json`` prints."""
    cable = cable_or_404(ref)
    try:
        return queries.diff(cable.canonical_id, from_, to).to_json()
    except LookupError as exc:
        raise NotFound(str(exc)) from None

