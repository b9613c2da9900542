"""A cable's pages: the page itself (WikiLeaks URL scheme), its raw text, release history, diff
between versions, reference graph, and the Mastodon share hop.

Every form of an id reaches the one canonical URL by a permanent redirect (``/cable/06astana038``,
a wrong month, a garbled id WikiLeaks published), so links from anywhere keep working and search
engines see one page per cable. An id that names no cable gets a 404 page with close ids.
"""

from __future__ import annotations

from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse

from ...store import queries
from ...store.textdiff import word_changes
from .. import graph as graph_svg
from .. import archive_part, links, pagecache, share, twins
from ..diffview import side_by_side
from ..discussion.queries import discussion_of
from ..pages import cable as pages

MAX_ID_LENGTH = 80
PAGE_PARAMS = ("cite",)  # what a cable page depends on besides its address


class PageNotFound(Http404):
    """A 404 with a message for the reader and, for a cable id, the close ids that exist."""

    def __init__(self, message: str, suggestions=()):
        super().__init__(message)
        self.message = message
        self.suggestions = list(suggestions)


# --- finding the cable ----------------------------------------------------------------------------

def _cable_or_404(ref: str):
    if len(ref) > MAX_ID_LENGTH:
        raise PageNotFound("That is too long to be a cable's reference id.")
    cable = queries.cable_for_page(ref)
    if cable is None or cable.latest_version_id is None:
        raise _not_found(ref)
    return cable


def _not_found(ref: str) -> PageNotFound:
    missing = queries.missing_cable(ref)
    message = missing.message + (" These ids are close:" if missing.close else "")
    return PageNotFound(message, missing.close)


def _canonical_path(cable) -> str:
    return links.cable_path(cable.canonical_id, cable.created)


def _redirect_keeping_query(request, path: str) -> HttpResponsePermanentRedirect:
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(path + ("?" + query if query else ""))


def _sub_page(request, ref: str, view_name: str):
    """The cable of a sub-page (raw, history…), or a redirect to the sub-page of its canonical id."""
    cable = _cable_or_404(ref)
    if ref != cable.canonical_id:
        return cable, _redirect_keeping_query(request, reverse(view_name, args=[cable.canonical_id]))
    return cable, None


# --- the page -------------------------------------------------------------------------------------

@pagecache.cached_page(params=PAGE_PARAMS)
def cable_page(request, year: str, month: str, ref: str):
    cable = _cable_or_404(ref)
    canonical = _canonical_path(cable)
    if request.path != canonical:
        return _redirect_keeping_query(request, canonical)
    return _render_page(request, cable)


def cable_redirect(request, ref: str):
    """``/cable/ID`` and ``/cable/ID.html`` → the canonical page; the page itself for a cable
    with no known date (its canonical URL is this one)."""
    cable = _cable_or_404(ref)
    canonical = _canonical_path(cable)
    if request.path == canonical:
        return _render_page(request, cable)
    return _redirect_keeping_query(request, canonical)


def _render_page(request, cable):
    """The page: what it shows of the archive from its kept render, else rendered
    (:func:`..archive_part.for_page`), its discussion rendered for this reader. A ``?cite=``
    page is rendered whole (its cite box differs). The twin is the archive's part as data
    (``?format=json``)."""
    url = archive_part.page_url(request, cable)
    cite = request.GET.get("cite")
    if twins.wants_twin(request):
        return twins.twin(request, pages.cable_page(cable, url, cite))
    if cite:
        parts = archive_part.rendered(request, pages.cable_page(cable, url, cite))
    else:
        parts = archive_part.for_page(request, cable, url)
    return render(request, "web/cable/page.html", {
        "cable": cable, "part": parts, "discussion": discussion_of(cable),
        "json_url": twins.twin_url(request, PAGE_PARAMS)})


# --- the other views of a cable -------------------------------------------------------------------

def cable_raw(request, ref: str):
    cable, redirect = _sub_page(request, ref, "cable_raw")
    if redirect:
        return redirect
    record = cable.record()
    text = record.header_raw + ("\n\n" if record.header_raw else "") + record.body_raw
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


def cable_history(request, ref: str):
    cable, redirect = _sub_page(request, ref, "cable_history")
    if redirect:
        return redirect
    return twins.respond(request, "web/cable/history.html", pages.CableHistoryPage(
        cable=cable, cable_url=_canonical_path(cable), versions=pages.versions_with_previous(cable)))


def _version_param(request, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) < 100_000:
        raise PageNotFound(f"“{value}” is not a version number: versions are numbered 1, 2, 3…")
    return int(value)


def cable_diff(request, ref: str):
    cable, redirect = _sub_page(request, ref, "cable_diff")
    if redirect:
        return redirect
    old, new = _version_param(request, "from"), _version_param(request, "to")
    try:
        comparison = queries.compare_versions(cable, old, new)
    except LookupError as error:
        raise PageNotFound(str(error).rstrip(".") + ".") from None
    versions = queries.versions_of(cable)
    return twins.respond(request, "web/cable/diff.html", pages.CableDiffPage(
        cable=cable, cable_url=_canonical_path(cable), cmp=comparison,
        old=comparison.old, new=comparison.new, latest=comparison.latest,
        versions=versions,
        old_version=next(v for v in versions if v["version"] == comparison.old),
        new_version=next(v for v in versions if v["version"] == comparison.new),
        metadata=[(field, queries.format_value(a), queries.format_value(b))
                  for field, a, b in comparison.metadata],
        text_fields=[(field, queries.format_value(a), queries.format_value(b))
                     for field, a, b in comparison.text_fields],
        text=side_by_side(comparison.old_record.body, comparison.new_record.body),
        words=word_changes(comparison.old_record.body, comparison.new_record.body),
    ), twin_query=[("from", str(comparison.old)), ("to", str(comparison.new))])


def cable_graph(request, ref: str):
    cable, redirect = _sub_page(request, ref, "cable_graph")
    if redirect:
        return redirect
    graph = queries.reference_graph(cable, max_nodes=pages.GRAPH_NODES)
    svg = graph_svg.render_svg(graph, pages.graph_link, standalone=True)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def share_mastodon(request):
    """Send the reader to their own Mastodon instance's share page, once it is a host name."""
    ref = request.GET.get("ref", "")
    cable = _cable_or_404(ref)
    url = archive_part.page_url(request, cable)
    typed = request.GET.get("instance", "")
    host = share.mastodon_host(typed)
    if host is None:
        return render(request, "web/cable/share_mastodon.html", {
            "cable": cable, "instance": typed[:300],
            "error": ("Type the host name of your Mastodon server, such as mastodon.social."
                      if typed.strip() else "Which Mastodon server is yours?"),
        }, status=400 if typed.strip() else 200)
    return HttpResponseRedirect(share.mastodon_share_url(host, url, cable.canonical_id, cable.subject))
