"""The search page as data: the query and its sort, then (for a query) the hits with their
snippets, the facets as filters to add, the active filters to take off, the months with hits.

The help page (no query yet) is the same page with no result: one class, so the twin of
``/search`` has the same keys whatever was asked. A query the engine refuses is ``error`` (the
page's status is 400).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .base import PageContext, html_only


@dataclass(frozen=True, slots=True)
class SearchPage(PageContext):
    """``total``: the cables matching (``total_exact`` False when it is an estimate); ``hits``:
    this page of them, each with its snippet (HTML: the paragraph's text escaped, the matched
    words in ``<mark>``) and the ¶ it is from; ``facets``: per filter, the values with their counts
    and the search narrowed to each; ``missing_id``: a reference id typed alone that names no
    archived cable (``known``: in the collection's list of ids)."""

    query: str
    sort: str
    sorts: list[str]
    examples: list[dict[str, str]]
    filters: dict[str, str]
    error: str | None = None
    missing_id: dict[str, Any] | None = None
    total: int | None = None
    total_exact: bool = True
    applied_sort: str | None = None
    hits: list[dict[str, Any]] = field(default_factory=list)
    sort_links: list[tuple[str, str, bool]] = field(default_factory=list)
    next_url: str | None = None
    first_url: str | None = None
    facets: list[dict[str, Any]] = field(default_factory=list)
    active: list[dict[str, str]] = field(default_factory=list)
    months: list[dict[str, Any]] = field(default_factory=list)
    chart_url: str | None = None
    # the month chart drawn inline (``months`` is its data; ``chart_url`` serves it alone)
    chart: str | None = html_only(default=None)
    # the search service's answer, for the template's comment counts (``hits`` is its data)
    result: Any = html_only(default=None)
