"""The API's one instance, its error answers and its addresses (under ``/api/v1/``, see
:mod:`cables.web.urls`).

Every error is JSON (:func:`.http.error`): a query the language refuses is a 400 saying what and
where (``position``); a parameter of the wrong type or out of range a 400 naming it; an id or a
station that names nothing a 404, with the close ids; an unknown address under the API a 404
too. A bug still gives a 500, as JSON, and is logged.
"""

from __future__ import annotations

import logging

from django.urls import path, re_path
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError

from ..export import FORMATS
from ..search.errors import QueryError
from . import archive, cables, exports, links, search
from .http import BadRequest, NotFound, endpoint, error
from .schemas import Index

log = logging.getLogger(__name__)

DESCRIPTION = """The archive of diplomatic cables as data: the cables and their versions,
references and comments' counts; search with snippets, facets and a histogram; releases, tags,
origins, stations and the ids that were never released.

`q` takes the search language of the site's search page: words, `"phrases"`, `prefix*`,
`-excluded`, `a OR b`, `(grouping)`, filters (`tag:PGOV`, `origin:astana`,
`classification:secret`, `year:2006`, `from:2006-01`, `to:2006-06-30`, `released:2011-08`,
`release:NAME`, `ref:06ALMATY1450`, `subject:"…"`, `marking:S`), and a reference id alone. Each
filter is also a parameter of its own.

Lists are paged by cursor: pass a page's `next_cursor` as `cursor` (or follow `next`). At most 100
items a page. Answers carry `ETag` and `Last-Modified` (the archive's generation): send
`If-None-Match` or `If-Modified-Since` to get a 304 while nothing changed. Requests are counted per
client address (default: 300 a minute, 20,000 a day; a 429 with `Retry-After` past that). Every
error is `{"error", "detail", "position"}`."""

api = NinjaAPI(
    title="cables API", version="1", description=DESCRIPTION, urls_namespace=links.NAMESPACE,
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    docs_url="/docs", openapi_url="/openapi.json",
)
api.add_router("", cables.router)
api.add_router("", search.router)
api.add_router("", archive.router)
api.add_router("", exports.router)


@api.get("/", response=Index, url_name="index", tags=["index"], summary="Where everything is")
@endpoint()
def index(request):
    names = ("cables", "search", "releases", "tags", "origins", "stations")
    return {"openapi": links.named("openapi-json"), "docs": links.named("openapi-view"),
            "endpoints": {name: links.named(name) for name in names}
            | {f"export.{f}": links.export(f) for f in FORMATS}}


@api.exception_handler(QueryError)
def bad_query(request, exc: QueryError):
    return error(400, "bad_query", exc.message, exc.position)


@api.exception_handler(BadRequest)
def bad_request(request, exc: BadRequest):
    return error(400, "invalid_request", str(exc))


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    return error(400, "invalid_request", "; ".join(_problem(e) for e in exc.errors))


def _problem(problem: dict) -> str:
    where = [str(part) for part in problem.get("loc", ()) if part not in ("query", "path", "filters")]
    return f"{'.'.join(where) or 'request'}: {problem.get('msg', 'not valid')}"


@api.exception_handler(NotFound)
def not_found(request, exc: NotFound):
    return error(404, "not_found", str(exc))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return error(exc.status_code, "invalid_request" if exc.status_code < 500 else "server_error", str(exc))


@api.exception_handler(Exception)
def server_error(request, exc: Exception):
    log.exception("API error on %s", request.get_full_path())
    return error(500, "server_error", "the server failed to answer this request; it was logged")


def no_such_address(request, rest: str = ""):
    return error(404, "not_found", f"the API has no address /api/v1/{rest[:80]}: see /api/v1/docs")


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", no_such_address, name="api_no_such_address"),
]
