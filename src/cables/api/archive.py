"""The archive as a whole: its releases, tags (with meanings and kinds), origins, stations, and
the ids of a station that the collection had and nobody released."""

from __future__ import annotations

from ninja import Path, Query, Router

from ..store import browse, stations
from ..store.queries import release_summaries
from . import links
from .cables import ERRORS, next_page
from .http import BadRequest, NotFound, endpoint
from .queries import MAX_LIMIT
from .schemas import OriginCount, Release, StationCount, TagCount, Unreleased

router = Router(tags=["archive"])


@router.get("/releases", response={200: list[Release], **ERRORS}, url_name="releases",
            summary="The releases, in the order they were ingested")
@endpoint()
def releases(request):
    """Each release with the cables it holds, and how many were new, changed or removed in it."""
    return [{**r, "source": links.source_name(r["source"])} for r in release_summaries()]


@router.get("/tags", response={200: list[TagCount], **ERRORS}, url_name="tags",
            summary="Every TAGS code some cable carries: kind, meaning, count")
@endpoint()
def tags(request):
    return [{"code": t.code, "kind": t.kind, "meaning": t.meaning, "cables": t.n,
             "cables_url": links.cables(tag=t.code)} for t in browse.tag_counts()]


@router.get("/origins", response={200: list[OriginCount], **ERRORS}, url_name="origins",
            summary="Every origin (the sending post as the metadata names it), with its count")
@endpoint()
def origins(request):
    return [{"origin": g.value, "cables": g.n,
             "cables_url": links.cables(origin=g.value) if g.value else None}
            for g in browse.origin_counts()]


@router.get("/stations", response={200: list[StationCount], **ERRORS}, url_name="stations",
            summary="Every station of the ids: cables archived, ids known, ids not released")
@endpoint()
def station_list(request):
    """A station is the post part of reference ids (``ASTANA`` in ``06ASTANA38``). ``known``
    counts the ids of the list of the collection's ids (loaded by ``cables ingest
    --known-ids``); ``not_released`` those of them no archived cable has."""
    return [{"station": s.station, "cables": s.cables, "known": s.known,
             "not_released": s.not_released, "unreleased": links.unreleased(s.station)}
            for s in stations.station_counts()]


@router.get("/stations/{station}/unreleased", response={200: Unreleased, **ERRORS},
            url_name="unreleased", summary="A station's ids that were never released")
@endpoint(params=("limit", "cursor"))
def unreleased(request,
               station: str = Path(..., max_length=40, description="ASTANA, STATE, USUNNEWYORK…"),
               limit: int = Query(100, ge=1, le=MAX_LIMIT, description=f"ids a page (at most {MAX_LIMIT})"),
               cursor: str | None = Query(None, max_length=80,
                                          description="the next_cursor of the page before")):
    """The ids of the station in the list of the collection's ids that no archived cable has,
    oldest first (year, then serial), with the month the list gives."""
    name = station.strip().upper()
    if not stations.is_station(name):
        raise NotFound(f"“{station[:40]}” is no station of the ids (the letters of an id between "
                       "its year and its serial, such as ASTANA in 06ASTANA38)")
    ids = stations.not_released(name)
    start = 0
    if cursor:
        position = next((i for i, k in enumerate(ids) if k.reference_id == cursor), None)
        if position is None:
            raise BadRequest(f"the cursor {cursor[:40]!r} is not one of {name}'s unreleased ids: "
                           "start again from the first page")
        start = position + 1
    page = ids[start:start + limit]
    more = start + limit < len(ids)
    next_cursor = page[-1].reference_id if more and page else None
    return {"station": name, "total": len(ids),
            "ids": [{"id": k.reference_id, "month": k.month} for k in page],
            "next_cursor": next_cursor, "next": next_page(request, next_cursor)}
