"""Answering a page in the form asked for: HTML, or its JSON twin with ``?format=json``.

Every page of the reading room (cable pages, browse lists, search, home…) has a twin at the same
address plus ``?format=json``: the page's context object (:mod:`.pages`) as JSON. A query
parameter rather than a ``.json`` suffix, because the WikiLeaks scheme's cable URLs already end
in ``.html`` and a redirect from any form of an id keeps the query. The page cache keys on the
format (:mod:`.pagecache`), so each form is kept apart; errors of a twin are JSON too
(``{"error": …}`` with the page's status: 400 for a bad query or format, 404 for what is not
there).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from . import links
from .pages.base import PageContext, jsonable

FORMAT_PARAM = links.FORMAT_PARAM
FORMATS = ("html", "json")


def json_error(message: str, status: int, **details) -> JsonResponse:
    """``{"error": message, "status": status, …details}``: the message is the one the HTML page
    shows the reader."""
    return JsonResponse({"error": message, "status": status, **jsonable(details)}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def wants_twin(request: HttpRequest) -> bool:
    """Whether to answer with the twin (or, for a format we do not make, its 400)."""
    return request.GET.get(FORMAT_PARAM) not in (None, "", "html")


def twin(request: HttpRequest, page: PageContext, status: int = 200) -> HttpResponse:
    """The page's twin, or a JSON 400 when ``?format=`` names a format we do not make."""
    value = request.GET.get(FORMAT_PARAM, "json")
    if value not in FORMATS:
        return json_error(f"there is no format “{value[:20]}”: use format=json, or nothing for "
                          "the HTML page", 400)
    return JsonResponse(page.to_json(), status=status, json_dumps_params={"ensure_ascii": False})


def respond(request: HttpRequest, template: str, page: PageContext, *,
            params: tuple[str, ...] = (), twin_query: list[tuple[str, str]] | None = None,
            status: int = 200) -> HttpResponse:
    """The page rendered with ``template``, or its twin. ``params``: the query parameters the page
    depends on, kept in the address of the twin that the HTML page links to (``twin_query``: that
    address's parameters as the page resolved them, when they may be left out)."""
    if wants_twin(request):
        return twin(request, page, status)
    context = page.template_context()
    context["json_url"] = (twin_url(request, params) if twin_query is None
                           else links.json_twin_path(request.path, twin_query))
    return render(request, template, context, status=status)


def keep_format(request: HttpRequest, path: str) -> str:
    """``path`` in the format this request asked for (a redirect from a twin goes to a twin)."""
    value = request.GET.get(FORMAT_PARAM)
    if value is None:
        return path
    return path + ("&" if "?" in path else "?") + urlencode({FORMAT_PARAM: value})


def twin_url(request: HttpRequest, params: tuple[str, ...] = ()) -> str:
    """The address of this page's twin: its path and the parameters it depends on."""
    return links.json_twin_path(request.path, [(name, request.GET[name]) for name in params
                                               if name in request.GET])
