"""Browsing the archive: by release, by date, by origin, by tag and by classification.

Each index page lists the groups with their counts; each group page lists its cables newest
first, a page at a time (``?page=N``). The numbers and rows come from :mod:`cables.store.browse`;
this module only picks the page, builds the links and turns unknown groups or pages into 404
pages that say what was not found.
"""

from __future__ import annotations

import calendar

from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from ...search.filters import filter_named
from ...store import browse as store
from ...store.queries import release_summaries
from .. import links
from ..pagecache import cached_page
from ..pages.browse import (
    BrowseIndexPage,
    CableListPage,
    ClassificationsPage,
    OriginsPage,
    ReleasePage,
    ReleasesPage,
    TagsPage,
    YearPage,
    YearsPage,
)
from ..twins import respond


class NotFound(Http404):
    """A 404 whose message the error page shows (see :mod:`.errors`)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --- paging -------------------------------------------------------------------------------------------

# The parameters a browse page reads; its links keep these and drop any other (?utm_source=…),
# so the page is the same whatever else its address carries, and is kept once (see pagecache).
BROWSE_PARAMS = ("page", "sort", "changed", "removed")


def _page_link(request, param: str, number: int) -> str:
    params = QueryDict(mutable=True)
    for name in BROWSE_PARAMS:
        if name in request.GET:
            params[name] = request.GET[name]
    if number <= 1:
        params.pop(param, None)
    else:
        params[param] = str(number)
    query = params.urlencode()
    return request.path + (f"?{query}" if query else "")


def _pager(request, page: store.CablePage, param: str = "page") -> dict:
    return {
        "previous": _page_link(request, param, page.previous_number) if page.has_previous else None,
        "next": _page_link(request, param, page.next_number) if page.has_next else None,
        "first": _page_link(request, param, 1) if page.number > 2 else None,
        "last": _page_link(request, param, page.pages) if page.pages - page.number > 1 else None,
    }


def _paged(request, fetch, param: str = "page") -> tuple[store.CablePage, dict]:
    """The page ``?{param}=`` asks for; a page past the end is a 404 that names the last page."""
    try:
        page = fetch(store.page_number(request.GET.get(param)))
    except store.PageOutOfRange as exc:
        raise NotFound(f"{str(exc)[0].upper()}{str(exc)[1:]}.") from exc
    return page, _pager(request, page, param)


def _answer(request, template: str, page) -> object:
    return respond(request, template, page, params=BROWSE_PARAMS)


def _list_page(request, fetch, **fields) -> object:
    page, pager = _paged(request, fetch)
    return _answer(request, "web/browse/cables.html", CableListPage(page=page, pager=pager, **fields))


# --- the index ------------------------------------------------------------------------------------------

@cached_page(params=BROWSE_PARAMS)
def index(request):
    return _answer(request, "web/browse/index.html", BrowseIndexPage(totals=store.overview()))


# --- by release ------------------------------------------------------------------------------------------

@cached_page(params=BROWSE_PARAMS)
def releases(request):
    return _answer(request, "web/browse/releases.html", ReleasesPage(releases=release_summaries()))


@cached_page(params=BROWSE_PARAMS)
def release(request, name: str):
    """A release: its counts, then the cables it changed, those it showed first, those it removed;
    each list paginated on its own (``?changed=``, ``?page=``, ``?removed=``)."""
    found = store.release_named(name)
    if found is None:
        raise NotFound(f"There is no release named “{name}” in the archive.")
    counts = store.release_counts(found)
    lists = {}
    for key, param, fetch in (
        ("changed", "changed", store.release_changed),
        ("new", "page", store.release_new),
        ("removed", "removed", store.release_removals),
    ):
        if counts[key]:
            page, pager = _paged(request, lambda n, f=fetch, k=key: f(found, n, total=counts[k]), param)
            lists[key] = {"page": page, "pager": pager}
    return _answer(request, "web/browse/release.html", ReleasePage(
        release=found, counts=counts, crumbs=[(reverse("browse_releases"), "Releases")], **lists))


# --- by date ----------------------------------------------------------------------------------------------

@cached_page(params=BROWSE_PARAMS)
def years(request):
    groups = store.year_counts()
    return _answer(request, "web/browse/years.html", YearsPage(
        years=[g for g in groups if g.value and g.value.isdigit()],
        undated=sum(g.n for g in groups if not (g.value and g.value.isdigit())),
        peak=max((g.n for g in groups), default=0),
    ))


@cached_page(params=BROWSE_PARAMS)
def year(request, year: str):
    months = store.month_counts(year)
    if not months:
        raise NotFound(f"No cable of the archive was written in {year}.")
    before, after = store.neighbour_periods(year)
    return _answer(request, "web/browse/year.html", YearPage(
        year=year, months=[_month_entry(g) for g in months],
        total=sum(g.n for g in months), before=before, after=after,
        peak=max(g.n for g in months),
        crumbs=[(reverse("browse_dates"), "Dates")],
        search=links.search_path(f"year:{year}"),
    ))


def _month_entry(group: store.Group) -> dict:
    month = int(group.value[5:7]) if group.value[5:7].isdigit() else 0
    name = calendar.month_name[month] if 1 <= month <= 12 else group.value
    return {"value": group.value, "name": name, "n": group.n,
            "url": links.month_path(group.value[:4], month) if 1 <= month <= 12 else None}


@cached_page(params=BROWSE_PARAMS)
def month(request, year: str, month: str):
    if not 1 <= int(month) <= 12:
        raise NotFound(f"{year}-{month} is not a month.")
    label = f"{calendar.month_name[int(month)]} {year}"
    page, pager = _paged(request, lambda n: store.month_cables(year, month, n))
    if not page.total:
        raise NotFound(f"No cable of the archive was written in {label}.")
    before, after = store.neighbour_periods(f"{year}-{month}")
    return _answer(request, "web/browse/cables.html", CableListPage(
        title=f"Cables of {label}", heading=f"Cables of {label}",
        crumbs=[(reverse("browse_dates"), "Dates"), (links.year_path(year), year)],
        before=_month_link(before), after=_month_link(after),
        search=links.search_path(f"from:{year}-{month} to:{store.last_day(year, month)}"),
        page=page, pager=pager,
    ))


def _month_link(period: str | None) -> dict | None:
    if not period:
        return None
    return {"url": links.month_path(period[:4], period[5:7]),
            "label": f"{calendar.month_name[int(period[5:7])]} {period[:4]}"}


# --- by origin ---------------------------------------------------------------------------------------------

@cached_page(params=BROWSE_PARAMS)
def origins(request):
    """Every origin with its count: by place (``Embassy Paris`` under P, with a jump list of
    letters) or, with ``?sort=count``, busiest first."""
    groups = store.origin_counts()
    by_count = request.GET.get("sort") == "count"
    if by_count:
        groups = sorted(groups, key=lambda g: (-g.n, g.label.lower()))
    else:
        groups = sorted(groups, key=lambda g: (_place(g.label).lower(), g.label.lower()))
    entries, letters = [], []
    for g in groups:
        initial = _place(g.label)[:1].upper()
        first_of_letter = not by_count and initial.isalpha() and initial not in letters
        if first_of_letter:
            letters.append(initial)
        entries.append({"label": g.label, "n": g.n, "url": links.origin_path(g.value or ""),
                        "letter": initial if first_of_letter else None})
    return _answer(request, "web/browse/origins.html", OriginsPage(
        origins=entries, by_count=by_count, total=sum(g.n for g in groups), letters=letters,
    ))


_POST_KINDS = ("Embassy ", "Consulate ", "Mission ", "US Mission ", "USMission ")


def _place(label: str) -> str:
    """The place of an origin, for sorting and the letter index: ``Embassy Paris`` → ``Paris``."""
    for prefix in _POST_KINDS:
        if label.startswith(prefix) and len(label) > len(prefix):
            return label[len(prefix):]
    return label


@cached_page(params=BROWSE_PARAMS)
def origin(request, slug: str):
    values = store.values_for_slug("origin", slug, links.slug)
    if not values:
        raise NotFound(f"No cable of the archive comes from “{slug}”.")
    label = " / ".join(v or "unknown origin" for v in values)
    return _list_page(
        request, lambda n: store.cables_with("origin", values, n),
        title=f"Cables from {label}", heading=f"Cables from {label}",
        crumbs=[(reverse("browse_origins"), "Origins")],
        search=_origin_search(values),
        feed=("origin", values[0]) if len(values) == 1 and values[0] else None,
    )


def _origin_search(values: list[str | None]) -> str | None:
    """The search for these origins (``origin:`` matches a name as a part of the origin)."""
    written = [filter_named("origin").written(v) for v in values if v is not None]
    if not values or len(written) < len(values) or None in written:
        return None
    return links.search_path(" OR ".join(written))


# --- by tag --------------------------------------------------------------------------------------------------

@cached_page(params=BROWSE_PARAMS)
def tags(request):
    counts = store.tag_counts()
    by_count = request.GET.get("sort") == "count"
    if by_count:
        counts = sorted(counts, key=lambda t: (-t.n, t.code))
    return _answer(request, "web/browse/tags.html", TagsPage(
        tags=[{"code": t.code, "kind": t.kind, "meaning": t.meaning, "n": t.n, "url": safe_tag_path(t.code)}
              for t in counts],
        by_count=by_count,
    ))


def safe_tag_path(code: str) -> str | None:
    """The tag's page, or None for a code no URL can carry (an empty one: the route takes any
    other, slashes included)."""
    try:
        return links.tag_path(code)
    except NoReverseMatch:
        return None


@cached_page(params=BROWSE_PARAMS)
def tag(request, code: str):
    found = store.tag_named(code)
    if found is None:
        raise NotFound(f"No cable of the archive is tagged “{code}”.")
    canonical = safe_tag_path(found.code)
    if canonical and code != found.code.upper():  # /tag/pgov/ → /tag/PGOV/, one URL per tag
        query = request.GET.urlencode()
        return redirect(canonical + (f"?{query}" if query else ""), permanent=True)
    about = found.meaning or ""
    heading = f"Cables tagged {found.code}" + (f": {about}" if about else "")
    search = filter_named("tag").written(found.code)
    return _list_page(
        request, lambda n: store.tag_cables(found, n),
        title=heading, heading=heading,
        crumbs=[(reverse("browse_tags"), "Tags")],
        lead=f"{found.kind.capitalize()} tag." if found.kind else "",
        search=links.search_path(search) if search else None,
        feed=("tag", found.code),
    )


# --- by classification -------------------------------------------------------------------------------------

@cached_page(params=BROWSE_PARAMS)
def classifications(request):
    groups = store.classification_counts()
    return _answer(request, "web/browse/classifications.html", ClassificationsPage(
        classifications=[{"label": g.label, "n": g.n, "url": links.classification_path(g.value or ""),
                          "about": reverse("about_classification") + "#" + links.slug(g.value or "")}
                         for g in groups],
        total=sum(g.n for g in groups),
    ))


@cached_page(params=BROWSE_PARAMS)
def classification(request, slug: str):
    values = store.values_for_slug("classification", slug, links.slug)
    if not values:
        raise NotFound(f"No cable of the archive is classified “{slug}”.")
    label = " / ".join(v or "unknown" for v in values)
    return _list_page(
        request, lambda n: store.cables_with("classification", values, n),
        title=f"{label} cables", heading=f"Cables classified {label}",
        crumbs=[(reverse("browse_classifications"), "Classifications")],
        lead_link=(reverse("about_classification") + "#" + slug, f"What {label} means"),
    )
