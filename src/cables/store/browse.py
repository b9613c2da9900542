"""The archive as a reader browses it: counts by release, date, origin, tag and classification,
and the cables of each, a page at a time.

Read-side only, like :mod:`.queries`: the web's browse pages and the classification explainer call
these and render what they return. Everything here is meant to stay cheap on a 250,000-cable
archive: counts group over indexed columns (``created``, ``origin``, ``classification``, the
foreign keys), a list page reads one page of rows through ``LIMIT``/``OFFSET`` and one ``COUNT``
over the same indexed filter, and no page issues a query per row.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr

from ..ids import canonical_id
from .models import Cable, CableTag, CableVersion, KnownId, Release, Tag
from .queries import release_summaries

PER_PAGE = 50

# The levels as the archive writes them, least to most restricted: the order lists are shown in.
CLASSIFICATION_ORDER = (
    "UNCLASSIFIED",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL",
    "CONFIDENTIAL//NOFORN",
    "SECRET",
    "SECRET//NOFORN",
    "TOP SECRET",
)

# The columns a list row shows; read with values_list so a page builds no model instances.
_ROW_FIELDS = ("canonical_id", "subject", "created", "origin", "classification", "removed_in__name")


@dataclass(frozen=True)
class CableRow:
    """One line of a browse list. ``change`` is set in a release's list (new, metadata, text…)."""

    reference_id: str
    subject: str | None
    created: str | None
    origin: str | None
    classification: str | None
    removed_in: str | None = None
    change: str | None = None


@dataclass(frozen=True)
class CablePage:
    """A page of a list: its rows, where it stands and how many rows the whole list has."""

    rows: list[CableRow]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def first_index(self) -> int:
        """The position (from 1) of the page's first row in the whole list."""
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.rows) - 1 if self.rows else 0


class PageOutOfRange(LookupError):
    """A page number past the last page of a list."""

    def __init__(self, number: int, pages: int):
        self.number, self.pages = number, pages
        super().__init__(f"there is no page {number}: this list has {pages} "
                         f"page{'s' if pages != 1 else ''}")


@dataclass(frozen=True)
class Group:
    """A value a list is grouped by (an origin, a classification, a year…) and its cable count.

    ``value`` is what the archive stores (None when the cables have none); ``label`` is what a
    reader sees.
    """

    value: str | None
    n: int

    @property
    def label(self) -> str:
        return self.value or "unknown"


# --- paging -----------------------------------------------------------------------------------------

def page_number(raw: str | None) -> int:
    """The page a ``?page=`` parameter asks for: anything that is not a positive number is page 1."""
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def _newest_first(queryset: QuerySet) -> QuerySet:
    """The browse lists' order, which an index walks (migration ``store.0008``): keep the two
    the same, or every first visit of a list sorts all its cables again."""
    return queryset.order_by(F("created").desc(nulls_last=True), "canonical_id")


def _page(rows_queryset: QuerySet, total: int, number: int, to_row, per_page: int = PER_PAGE) -> CablePage:
    pages = max(1, -(-total // per_page))
    if number > pages:
        raise PageOutOfRange(number, pages)
    offset = (number - 1) * per_page
    rows = [to_row(r) for r in rows_queryset[offset:offset + per_page]]
    return CablePage(rows, number, per_page, total)


def _cable_page(queryset: QuerySet, number: int, per_page: int = PER_PAGE,
                total: int | None = None) -> CablePage:
    """A page of cables, newest first: one COUNT (unless the caller knows it) and one SELECT.

    The SELECT sorts the ids alone and reads the page's rows after (a deferred join): sorting a
    large group (100,000 CONFIDENTIAL cables) with the subjects in tow costs twice as much.
    """
    total = queryset.count() if total is None else total
    pages = max(1, -(-total // per_page))
    if number > pages:
        raise PageOutOfRange(number, pages)
    offset = (number - 1) * per_page
    ids = _newest_first(queryset).values("id")[offset:offset + per_page]
    rows = _newest_first(Cable.objects.filter(id__in=ids)).values_list(*_ROW_FIELDS)
    return CablePage([CableRow(*r) for r in rows], number, per_page, total)


# --- the index of the ways to browse ---------------------------------------------------------------

def overview() -> dict[str, int]:
    """How many cables, and how many releases, years, origins, tags and classifications hold them."""
    cables = Cable.objects.all()
    return {
        "cables": cables.count(),
        "releases": Release.objects.count(),
        "years": len(year_counts()),
        "origins": cables.order_by().values("origin").distinct().count(),
        "tags": CableTag.objects.order_by().values("tag_id").distinct().count(),
        "classifications": cables.order_by().values("classification").distinct().count(),
    }


# --- by release ---------------------------------------------------------------------------------------

def release_named(name: str) -> Release | None:
    return Release.objects.named(name)


def release_counts(release: Release) -> dict[str, int]:
    """The counts of one release, as :func:`.queries.release_summaries` gives them."""
    summary = next(r for r in release_summaries() if r["name"] == release.name)
    return {k: summary[k] for k in ("cables", "new", "changed", "removed")}


def release_new(release: Release, number: int, per_page: int = PER_PAGE,
                total: int | None = None) -> CablePage:
    """The cables a release showed first; newest first."""
    return _cable_page(Cable.objects.filter(first_release=release), number, per_page, total)


def release_changed(release: Release, number: int, per_page: int = PER_PAGE,
                    total: int | None = None) -> CablePage:
    """The cables a release brought back changed, with the kind of change; newest first."""
    versions = CableVersion.objects.in_release(release).exclude(change=CableVersion.NEW)
    total = versions.count() if total is None else total
    order = (F("cable__created").desc(nulls_last=True), "cable__canonical_id", "number")
    rows = versions.order_by(*order).values_list(*(f"cable__{f}" for f in _ROW_FIELDS), "change")
    return _page(rows, total, number, lambda r: CableRow(*r), per_page)


def release_removals(release: Release, number: int, per_page: int = PER_PAGE,
                     total: int | None = None) -> CablePage:
    """The cables a full release no longer listed; newest first (``total``: from release_counts)."""
    return _cable_page(Cable.objects.filter(removals__release=release), number, per_page, total)


# --- by date ------------------------------------------------------------------------------------------

def year_counts() -> list[Group]:
    """Each year of creation with its cable count, oldest first (cables without a date last)."""
    rows = (Cable.objects.order_by().annotate(year=Substr("created", 1, 4)).values_list("year")
            .annotate(n=Count("id")))
    return sorted((Group(y, n) for y, n in rows), key=lambda g: (g.value is None, g.value or ""))


def month_counts(year: str) -> list[Group]:
    """Each month of ``year`` holding cables (value ``YYYY-MM``), with its count, in order."""
    rows = (_created_between(year, _next_period(year)).order_by()
            .annotate(month=Substr("created", 1, 7)).values_list("month").annotate(n=Count("id")))
    return sorted((Group(m, n) for m, n in rows), key=lambda g: g.value)


def month_cables(year: str, month: str, number: int, per_page: int = PER_PAGE) -> CablePage:
    start = f"{year}-{month}"
    return _cable_page(_created_between(start, _next_period(start)), number, per_page)


def neighbour_periods(period: str) -> tuple[str | None, str | None]:
    """The nearest year (``YYYY``) or month (``YYYY-MM``) before and after ``period`` that hold
    cables: two index lookups, so a page can link to its neighbours without listing them all."""
    size = len(period)
    before = (Cable.objects.filter(created__lt=period).order_by("-created")
              .values_list("created", flat=True).first())
    after = (Cable.objects.filter(created__gte=_next_period(period)).order_by("created")
             .values_list("created", flat=True).first())
    return (before[:size] if before else None), (after[:size] if after else None)


def _created_between(start: str, end: str) -> QuerySet:
    # ISO date strings compare as dates: a range over the created index, no function on the column
    return Cable.objects.filter(created__gte=start, created__lt=end)


def _next_period(period: str) -> str:
    """``2006`` → ``2007``; ``2006-12`` → ``2007-01``."""
    if len(period) == 4:
        return f"{int(period) + 1:04d}"
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def last_day(year: int | str, month: int | str) -> str:
    """The last day of a month, ``YYYY-MM-DD``."""
    y, m = int(year), int(month)
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


# --- by origin and by classification --------------------------------------------------------------------

def origin_counts() -> list[Group]:
    """Every origin with its cable count, by name."""
    return _grouped("origin", key=lambda g: (g.value is None, (g.value or "").lower()))


def classification_counts() -> list[Group]:
    """Every classification with its cable count, least to most restricted."""
    def rank(g: Group) -> tuple:
        known = g.value in CLASSIFICATION_ORDER
        return (g.value is None, not known, CLASSIFICATION_ORDER.index(g.value) if known else 0,
                g.value or "")
    return _grouped("classification", key=rank)


def _grouped(field: str, key) -> list[Group]:
    rows = Cable.objects.order_by().values_list(field).annotate(n=Count("id"))
    return sorted((Group(v, n) for v, n in rows), key=key)


def values_for_slug(field: str, slug: str, slugify) -> list[str | None]:
    """The stored values of ``field`` (``origin``, ``classification``) whose slug is ``slug``.

    Read from the few hundred distinct values (an index scan), so the slug needs no column of its
    own; several spellings with one slug are one list, and ``unknown`` names the cables without one.
    """
    distinct = Cable.objects.order_by().values_list(field, flat=True).distinct()
    return [v for v in distinct if slugify(v or "") == slug]


def cables_with(field: str, values: list[str | None], number: int, per_page: int = PER_PAGE) -> CablePage:
    """The cables whose ``field`` is one of ``values`` (None: the cables without one)."""
    named = [v for v in values if v is not None]
    condition = Q(**{f"{field}__in": named})
    if None in values:
        condition |= Q(**{f"{field}__isnull": True})
    return _cable_page(Cable.objects.filter(condition), number, per_page)


# --- by tag ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TagCount:
    code: str
    kind: str
    meaning: str | None
    n: int


def tag_counts() -> list[TagCount]:
    """Every tag some cable carries, with its kind, meaning and cable count, by code.

    Counted on the cable-tag table's tag index alone, then named: a join of the tags with their
    million cable-tag rows before grouping costs five times as much."""
    counts = dict(CableTag.objects.order_by().values_list("tag_id").annotate(n=Count("id")))
    tags = Tag.objects.order_by("code").values_list("id", "code", "kind", "meaning")
    return [TagCount(code, kind, meaning, counts[i]) for i, code, kind, meaning in tags if i in counts]


def tag_meanings(codes: list[str]) -> dict[str, str]:
    """The meaning of each of ``codes`` that has one (one query, for a page of facets)."""
    if not codes:
        return {}
    return dict(Tag.objects.filter(code__in=codes, meaning__isnull=False).exclude(meaning="")
                .values_list("code", "meaning"))


def tag_named(code: str) -> Tag | None:
    """The tag a code names, in any case (``pgov`` is ``PGOV``)."""
    code = code.strip()
    exact = Tag.objects.filter(code=code.upper()).first()
    return exact or Tag.objects.filter(code__iexact=code).order_by("code").first()


def tag_cables(tag: Tag, number: int, per_page: int = PER_PAGE) -> CablePage:
    total = CableTag.objects.filter(tag=tag).count()
    return _cable_page(Cable.objects.filter(cable_tags__tag=tag), number, per_page, total)


# --- ids -----------------------------------------------------------------------------------------------

def known_id_month(reference_id: str) -> str | None | bool:
    """Whether an id is in the known-id list: its month (``YYYY-MM``) or True; False when unknown."""
    row = KnownId.objects.filter(canonical_id=canonical_id(reference_id)).values_list("month").first()
    if row is None:
        return False
    return row[0] or True
