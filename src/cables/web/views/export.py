"""The search page's downloads: the cables of the current query as JSONL, CSV, GraphML or GEXF.

``/search/export.FORMAT?q=…`` streams :func:`cables.export.export_chunks` (a page of cables at a
time, whatever the result's size) as an attachment named after the query. The query is checked,
and the first page read, before the response starts: a bad query is a 400 with its message, not a
download cut short.
"""

from __future__ import annotations

import itertools
import logging

from django.db import DatabaseError
from django.http import Http404, HttpResponse, StreamingHttpResponse

from ...export import FORMATS, download_name, export_chunks
from ...search.query import QueryError

log = logging.getLogger(__name__)


def export_download(request, format: str):
    if format not in FORMATS:
        raise Http404(f"no export format {format!r}")
    query = request.GET.get("q", "")
    try:
        chunks = export_chunks(query, format)
        first = next(chunks, "")
    except QueryError as exc:
        return _bad(f"bad query: {exc}")
    except DatabaseError:
        log.exception("export failed for %r", query)
        return _bad("the search engine could not run this query; try simpler words")
    body = (chunk.encode("utf-8") for chunk in itertools.chain([first], chunks))
    response = StreamingHttpResponse(body, content_type=f"{FORMATS[format].media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{download_name(query, format)}"'
    response["X-Robots-Tag"] = "noindex"
    return response


def _bad(message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
