"""The search page: the query box, hits with highlighted snippets, facets as filters, the month chart.

Everything a result page shows is in its URL (``?q=…&sort=…&cursor=…``), so any page can be
linked to and comes back the same. The facets and the chart are links to the same search with one
more filter, written in the query language itself (``tag:PGOV``, ``origin:"Embassy Astana"``,
``from:2006-04 to:2006-04-30``), so that a reader sees, and can edit, what narrowed the result.
The search itself is :func:`cables.search.service.search`; what a person typed that it cannot
take comes back as a :class:`QueryError` message on the page (status 400), never as a 500.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import mark_safe

from ...search.filters import REGISTRY, facet_filter, plain_value
from ...search.query import FILTERS, QueryError, narrowed, parse_query
from ...search.service import search
from ...store import browse as store
from .. import links
from ..histogram import month_chart, month_label, valid_month
from ..pagecache import cached_page
from ..pages.search import SearchPage
from ..twins import keep_format, respond

log = logging.getLogger(__name__)

PER_PAGE = 20
SORTS = {"relevance": "relevance", "newest": "date", "oldest": "oldest"}
_SORT_NAMES = {"relevance": "relevance", "date": "newest", "-date": "newest", "oldest": "oldest"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

EXAMPLES = (
    ('"human rights"', "an exact phrase"),
    ("corruption tag:KZ", "a word, among the cables tagged KZ (Kazakhstan)"),
    ('origin:"Embassy Paris" year:2009', "what one embassy sent in one year"),
    ("negotiat* -Iran", "words beginning with negotiat, leaving out cables that mention Iran"),
    ("(Iraq OR Afghanistan) classification:secret", "either word, in SECRET cables"),
    ("from:2006-01 to:2006-06-30 tag:PGOV", "a date range and a tag"),
    ('subject:"human rights"', "words of the subject line only"),
    ("ref:06ALMATY1450", "the cables citing an id"),
    ("06ASTANA38", "a reference id alone opens that cable"),
)


# --- filters in the query language --------------------------------------------------------------------
# (a facet row's filter is written by its class in :mod:`cables.search.filters`: facet_filter)

def _search_url(query: str, sort: str | None = None, cursor: str | None = None) -> str:
    params = {"q": query}
    if sort and sort != "relevance":
        params["sort"] = sort
    if cursor:
        params["cursor"] = cursor
    return reverse("search") + "?" + urlencode(params)


def _remove_filter(query: str, written: str) -> str | None:
    """The query without a filter it holds as written (the undo of a facet click), if it parses."""
    pattern = re.compile(r"(?:^|\s)" + re.escape(written) + r"(?=\s|$)")
    if not pattern.search(query):
        return None
    rest = " ".join(pattern.sub(" ", query).split())
    if rest.startswith("(") and rest.endswith(")"):
        inner = rest[1:-1]
        try:
            parse_query(inner)
            rest = inner if "(" not in inner and ")" not in inner else rest
        except QueryError:
            pass
    try:
        parse_query(rest)
    except QueryError:
        return None
    return rest


# --- the pages ------------------------------------------------------------------------------------------

SEARCH_PARAMS = ("q", "sort", "cursor")


@cached_page(params=SEARCH_PARAMS)
def search_page(request):
    query = request.GET.get("q", "")
    sort = request.GET.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    cursor = request.GET.get("cursor") or None
    asked = {"query": _CONTROL.sub("", query), "sort": sort, "sorts": list(SORTS),
             "examples": _examples(), "filters": FILTERS}
    if not query.strip():
        return _answer(request, "web/search/help.html", SearchPage(**asked))
    try:
        result = search(query, sort=SORTS[sort], limit=PER_PAGE, cursor=cursor, facets=cursor is None)
    except QueryError as exc:
        return _answer(request, "web/search/results.html", SearchPage(**asked, error=str(exc)), 400)
    except DatabaseError:
        log.exception("search failed for %r", query)
        return _answer(request, "web/search/results.html", SearchPage(
            **asked, error="the search engine could not run this query; try simpler words"), 400)
    missing_id = None
    if result.id_lookup:
        shortcut = _id_shortcut(result)
        if shortcut:
            return redirect(keep_format(request, shortcut))
        known = store.known_id_month(result.id_lookup)
        missing_id = {"id": result.id_lookup, "known": known is not False,
                      "month": month_label(known) if isinstance(known, str) else None}
    applied = _SORT_NAMES.get(result.sort, sort)
    chart = months = chart_url = None
    histogram = [(m, n) for m, n in result.histogram if valid_month(m)]
    if histogram:
        month_links = {m: _search_url(narrowed(query, _month_filter(m)), sort) for m, _ in histogram}
        # month_chart escapes every text and attribute it writes (the query is in its title)
        chart = mark_safe(month_chart(
            histogram, month_links.get, title=f"Cables per month matching {query}"))
        months = [{"label": month_label(m), "n": n, "url": month_links[m]} for m, n in histogram]
        chart_url = reverse("search_histogram") + "?" + urlencode({"q": query})
    return _answer(request, "web/search/results.html", SearchPage(
        **asked,
        missing_id=missing_id,
        result=result,
        total=result.total,
        total_exact=getattr(result, "total_exact", True) is not False,
        applied_sort=applied,
        hits=[_hit(h) for h in result.hits],
        sort_links=[(name, _search_url(query, name), name == applied) for name in SORTS],
        next_url=_search_url(query, sort, result.next_cursor) if result.next_cursor else None,
        first_url=_search_url(query, sort) if cursor else None,
        facets=_facets(query, result.facets, sort),
        active=_active_filters(query, sort),
        chart=chart, months=months or [], chart_url=chart_url,
    ))


def _answer(request, template: str, page: SearchPage, status: int = 200):
    return respond(request, template, page, params=SEARCH_PARAMS, status=status)


@cached_page(discussion=False, params=("q",))
def histogram_svg(request):
    """The month chart of a search alone, as an SVG document (bars link to the narrowed search)."""
    query = request.GET.get("q", "")
    if not query.strip():
        return HttpResponse("give a query: ?q=…\n", status=400, content_type="text/plain; charset=utf-8")
    try:
        result = search(query, limit=1, facets=True)
    except (QueryError, DatabaseError) as exc:
        message = str(exc) if isinstance(exc, QueryError) else "the search engine could not run this query"
        return HttpResponse(f"bad query: {message}\n", status=400, content_type="text/plain; charset=utf-8")
    svg = month_chart(result.histogram,
                      lambda month: _search_url(narrowed(query, _month_filter(month))),  # valid months only
                      title=f"Cables per month matching {query}", standalone=True)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def _month_filter(month: str) -> str:
    return f"from:{month} to:{store.last_day(month[:4], month[5:7])}"


def _id_shortcut(result) -> str | None:
    """The cable page when the id typed alone names an archived cable (it is then the first hit)."""
    if result.hits and result.hits[0].reference_id == result.id_lookup:
        first = result.hits[0]
        return links.cable_path(first.reference_id, first.created)
    return None


def _hit(hit) -> dict:
    return {
        "id": hit.reference_id,
        "url": links.cable_path(hit.reference_id, hit.created),
        "subject": hit.subject,
        "created": hit.created,
        "origin": hit.origin,
        "classification": hit.classification,
        # the service escapes the paragraph text itself and adds only <mark>: safe as it comes
        "snippet": mark_safe(hit.snippet),
        "paragraph": hit.paragraph,
        "paragraph_url": (links.paragraph_path(hit.reference_id, hit.created, hit.paragraph)
                          if hit.paragraph is not None else None),
    }


def _facets(query: str, facets: dict, sort: str) -> list[dict]:
    meanings = store.tag_meanings([v for v, _ in facets.get("tag", [])])
    out = []
    for name, rows in facets.items():
        entries = []
        for value, n in rows:
            written = facet_filter(name, value)
            active = written is not None and _remove_filter(query, written) is not None
            entries.append({
                "value": value, "n": n, "filter": written, "active": active,
                "url": _search_url(narrowed(query, written), sort) if written and not active else None,
                "meaning": meanings.get(value) if name == "tag" else None,
            })
        if entries:
            out.append({"name": name, "title": REGISTRY[name].facet_title,
                        "entries": entries})
    return out


def _active_filters(query: str, sort: str) -> list[dict]:
    """The filters of the query a click can take off again (those written as a facet writes them)."""
    try:
        parsed = parse_query(query)
    except QueryError:
        return []
    out = []
    for f in parsed.filters:
        for value in f.values:
            written = f"{'-' if f.negated else ''}{f.name}:{plain_value(value) or value}"
            rest = _remove_filter(query, written)
            if rest is None and not f.negated:  # as its facet writes it (origin:"Embassy Paris")
                written = REGISTRY[f.name].written(value) or written
                rest = _remove_filter(query, written)
            if rest is not None and rest.strip():
                out.append({"filter": written, "url": _search_url(rest, sort)})
    return out


def _examples() -> list[dict]:
    return [{"query": q, "about": about, "url": _search_url(q)} for q, about in EXAMPLES]
