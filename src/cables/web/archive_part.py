"""The archive part of a cable page: what the page shows of the archive, the same for every reader
(the head's metadata, the heading, the menu's counts, the article, the comment form's empty
fields), as opposed to its discussion, which is each reader's.

One home for making it, so that a part made ahead of a visit (``cables render``,
:mod:`.prerender`) is the part a first visit makes, byte for byte: the page's view
(:mod:`.views.cable`) and the prerender both render it with :func:`parts_and_shown`, for the
address :func:`page_url` gives, and keep it with :mod:`.version_render`.
"""

from __future__ import annotations

from . import jinja, links, pagecache, version_render
from .context import site, site_url
from .pages import cable as pages
from .templatetags.discussion import empty_form_fields


def page_url(request, cable) -> str:
    """The cable page's absolute address as ``request`` reaches the site (:func:`.context.site_url`:
    ``CABLES_SITE_URL``, else the request's scheme and host): in the page's canonical, share and
    citation links, and in its kept render's key."""
    return site_url(request) + links.cable_path(cable.canonical_id, cable.created)


def for_page(request, cable, url: str) -> dict:
    """The archive part a page shows: :func:`kept_or_rendered`, which the database keeps, when
    renders are kept (no second copy in the page cache: packing and writing one cost every first
    visit 0.3-0.5 ms for an entry the kept render already is); else kept in the page cache
    (:func:`.pagecache.cable_fragment`), so that a new comment re-renders only the discussion."""
    if version_render.enabled():
        return kept_or_rendered(request, cable, url)
    return pagecache.cable_fragment(request, cable, "page",
                                    lambda: kept_or_rendered(request, cable, url), url)


def kept_or_rendered(request, cable, url: str) -> dict:
    """The archive part of the page at ``url``: its version's kept render, else rendered now
    (:func:`parts_and_shown`) and kept (:func:`.version_render.render_version`)."""
    return version_render.render_version(request, cable, url,
                                         lambda: parts_and_shown(request, cable, url))


def parts_and_shown(request, cable, url: str) -> tuple[dict, frozenset[str]]:
    """The archive part rendered, and the ids of the cables it shows (what makes it stale)."""
    page = pages.cable_page(cable, url, None)
    return rendered(request, page), page.shown_ids


def rendered(request, page: pages.CablePage) -> dict:
    """The page's context rendered: the head's metadata, the heading, the menu's counts, the
    article (metadata table … share) and the comment form's empty fields (they offer the
    version's paragraphs), as HTML and numbers."""
    context = {**page.template_context(), **site(request)}
    return {
        "form_fields": empty_form_fields(page.cable),
        "title": page.page_title,
        "description": page.description,
        "head": jinja.render("web/cable/_page_head.html", context),
        "heading": jinja.render("web/cable/_heading.html", context),
        "article": jinja.render("web/cable/_article.html", context),
        "references": len(page.references),
        "citing_total": page.citing_total,
        "versions": len(page.versions),
    }
