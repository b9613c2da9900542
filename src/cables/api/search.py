"""Search: the hits of a query with the paragraph each matched (snippet and ¶ number), the facets
that would narrow it and the month histogram — :func:`cables.search.service.search`, as the search
page and ``cables search --json`` get it."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router

from ..search.filters import facet_filter
from ..search.service import search
from .cables import ERRORS, Cursor, Limit, next_page, row
from .http import endpoint
from .queries import FILTERS, Filters, query_text
from .schemas import SearchResult

router = Router(tags=["search"])


@router.get("/search", response={200: SearchResult, **ERRORS}, url_name="search", by_alias=True,
            summary="Search: hits with snippets, facets, histogram")
@endpoint(params=("q", "sort", "limit", "cursor", "facets", *FILTERS))
def search_cables(request, filters: Query[Filters],
                  q: str = Query("", max_length=1000,
                                 description="the query (see the docs' description of the "
                                             "language); a reference id alone finds that cable, "
                                             "then those citing it"),
                  sort: Literal["relevance", "date", "oldest"] = Query(
                      "relevance", description="relevance (subject weighted above the body), "
                                               "date (newest first) or oldest"),
                  limit: int = Limit, cursor: str | None = Cursor,
                  facets: bool = Query(True, description="count the whole result by origin, "
                                                         "tag, classification, year and month")):
    text = query_text(q, filters)
    result = search(text, sort=sort, limit=limit, cursor=cursor, facets=facets)
    return {
        "query": text, "sort": result.sort, "total": result.total,
        "hits": [{**row(h.reference_id, h.subject, h.created, h.origin, h.classification),
                  "snippet": h.snippet, "paragraph": h.paragraph, "score": round(h.score, 6)}
                 for h in result.hits],
        "facets": {name: [{"value": value, "count": n, "filter": facet_filter(name, value)}
                          for value, n in rows] for name, rows in result.facets.items()},
        "histogram": [{"month": m, "count": n} for m, n in result.histogram],
        "next_cursor": result.next_cursor, "next": next_page(request, result.next_cursor),
    }
