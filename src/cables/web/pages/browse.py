"""The browse pages as data: the index, each kind's list of groups with counts, and a group's
cables a page at a time (:class:`CableListPage`, shared by months, origins, tags and
classifications).

``pager`` fields hold the addresses of the neighbouring pages of a list (``previous``, ``next``,
``first``, ``last``: None where there is none); ``crumbs`` and bar-chart scales are the HTML's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...store import browse as store
from ...store.models import Release
from .base import PageContext, html_only

Crumbs = list[tuple[str, str]]  # (url, label) above the page's heading


@dataclass(frozen=True, slots=True)
class BrowseIndexPage(PageContext):
    """How many cables, releases, years, origins, tags and classifications the archive holds."""

    totals: dict[str, int]


@dataclass(frozen=True, slots=True)
class ReleasesPage(PageContext):
    """Every release in order with its cables, new, changed and removed counts."""

    releases: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class ReleasePage(PageContext):
    """A release: its counts, then its changed, new and removed cables, each list paged on its own
    (``{"page": …, "pager": …}``; None when the release has none of them)."""

    release: Release
    counts: dict[str, int]
    changed: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    removed: dict[str, Any] | None = None
    crumbs: Crumbs = html_only(default_factory=list)


@dataclass(frozen=True, slots=True)
class YearsPage(PageContext):
    """The years with their counts; ``undated``: the cables with no readable date."""

    years: list[store.Group]
    undated: int
    peak: int = html_only(default=0)


@dataclass(frozen=True, slots=True)
class YearPage(PageContext):
    """A year's months with their counts, the years before and after that have cables, and the
    search for the year."""

    year: str
    months: list[dict[str, Any]]
    total: int
    before: str | None
    after: str | None
    search: str
    peak: int = html_only(default=0)
    crumbs: Crumbs = html_only(default_factory=list)


@dataclass(frozen=True, slots=True)
class CableListPage(PageContext):
    """One group's cables (a month, an origin, a tag, a classification), newest first, a page at a
    time. ``search``: the same cables as a search; ``feed``: the Atom feed's kind and value;
    ``before``/``after``: the neighbouring months of a month."""

    title: str
    heading: str
    page: store.CablePage
    pager: dict[str, str | None]
    lead: str = ""
    lead_link: tuple[str, str] | None = None
    search: str | None = None
    feed: tuple[str, str] | None = None
    before: dict[str, str] | None = None
    after: dict[str, str] | None = None
    crumbs: Crumbs = html_only(default_factory=list)


@dataclass(frozen=True, slots=True)
class OriginsPage(PageContext):
    """Every origin with its count, by place (``letters``: the jump list) or busiest first."""

    origins: list[dict[str, Any]]
    by_count: bool
    total: int
    letters: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TagsPage(PageContext):
    """Every tag with its kind, meaning and count, by code or busiest first."""

    tags: list[dict[str, Any]]
    by_count: bool


@dataclass(frozen=True, slots=True)
class ClassificationsPage(PageContext):
    """Every classification with its count and the anchor that explains it."""

    classifications: list[dict[str, Any]]
    total: int
