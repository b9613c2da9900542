"""Template filters for the links of :mod:`cables.web.links`: ``{{ cable.canonical_id|cable_url:cable.created }}``."""

from __future__ import annotations

from django import template

from .. import links

register = template.Library()


@register.filter
def cable_url(reference_id: str, created: str | None = None) -> str:
    return links.cable_path(reference_id, created)


@register.filter
def tag_url(code: str) -> str:
    return links.tag_path(code)


@register.filter
def origin_url(origin: str) -> str:
    return links.origin_path(origin)


@register.filter
def classification_url(classification: str) -> str:
    return links.classification_path(classification)


@register.filter
def release_url(name: str) -> str:
    return links.release_path(name)


@register.filter
def search_url(query: str) -> str:
    return links.search_path(query)


@register.filter
def month_url(yyyymm: str) -> str:
    """``2006-04`` → the browse page of that month."""
    return links.month_path(yyyymm[:4], yyyymm[5:7])


@register.filter
def year_url(year: str) -> str:
    return links.year_path(year)


@register.simple_tag
def export_links(query: str) -> list[dict]:
    """The downloads of a search's cables, one per export format: ``{name, url}``."""
    from ...export import FORMATS

    return [{"name": name, "url": links.export_path(query, name)} for name in FORMATS]
