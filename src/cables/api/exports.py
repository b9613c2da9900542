"""Bulk downloads: the cables of a query (or all) as JSONL, CSV, GraphML or GEXF, streamed —
:func:`cables.export.export_chunks`, what ``cables export`` writes and the search page offers, a
page of cables at a time whatever the result's size. The query is checked, and the first page
read, before the answer starts: a bad query is a JSON 400, never a download cut short."""

from __future__ import annotations

import itertools
from typing import Literal

from django.http import StreamingHttpResponse
from ninja import Path, Query, Router

from ..export import FORMATS, download_name, export_chunks
from .cables import ERRORS
from .http import endpoint
from .queries import FILTERS, Filters, query_text

router = Router(tags=["exports"])

Format = Literal[tuple(FORMATS)]  # type: ignore[valid-type]
ABOUT = "; ".join(f"{f.name}: {f.about}" for f in FORMATS.values())


@router.get("/export.{format}", response=ERRORS, url_name="export",
            summary="Download the cables of a query: JSONL, CSV, GraphML or GEXF",
            openapi_extra={"responses": {"200": {
                "description": f"the export, streamed as an attachment ({ABOUT})",
                "content": {f.media_type: {"schema": {"type": "string"}} for f in FORMATS.values()},
            }}})
@endpoint(params=("q", *FILTERS))
def export(request, filters: Query[Filters], format: Format = Path(..., description=ABOUT),
           q: str | None = Query(None, max_length=1000,
                                 description="a query in the search language; none: every cable")):
    text = query_text(q, filters)
    chunks = export_chunks(text, format)
    first = next(chunks, "")
    body = (chunk.encode("utf-8") for chunk in itertools.chain([first], chunks))
    response = StreamingHttpResponse(body, content_type=f"{FORMATS[format].media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{download_name(text, format)}"'
    return response
