"""A cable's pages: the page itself (WikiLeaks URL scheme), its raw text, release history, diff
between versions, reference graph, and the Mastodon share hop.

Every form of an id reaches the one canonical URL by a permanent redirect (``/cable/06astana038``,
a wrong month, a garbled id WikiLeaks published), so links from anywhere keep working and search
engines see one page per cable. An id that names no cable gets a 404 page with close ids.
"""

from __future__ import annotations

import re

from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from ...ids import canonical_id, parse_id
from ...record import short_label
from ...store import queries
from ...store.textdiff import word_changes
from .. import cable_display as words
from .. import graph as graph_svg
from .. import links, pagecache, share
from ..cable_text import link_references, segment_body, use_of
from ..context import site
from ..diffview import side_by_side
from ..discussion.queries import discussion_of

CITED_BY_SHOWN = 50
GRAPH_NODES = 40
MAX_ID_LENGTH = 80


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
    cid = canonical_id(ref)
    if parse_id(cid) is None:
        return PageNotFound(f"“{ref}” is not a cable reference id: ids look like 06ASTANA38 "
                            "(year, station, serial number).")
    suggestions, known = queries.close_ids(cid)
    message = f"There is no cable {cid} in the archive."
    if known:
        message = (f"{cid} is a real cable id (it is in the list of the collection's ids), but the "
                   "cable has not been released.")
    if suggestions:
        message += " These ids are close:"
    return PageNotFound(message, suggestions)


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

@pagecache.cached_page(params=("cite",))
def cable_page(request, year: str, month: str, ref: str):
    cable = _cable_or_404(ref)
    canonical = _canonical_path(cable)
    if request.path != canonical:
        return _redirect_keeping_query(request, canonical)
    return _render_page(request, cable, canonical)


def cable_redirect(request, ref: str):
    """``/cable/ID`` and ``/cable/ID.html`` → the canonical page; the page itself for a cable
    with no known date (its canonical URL is this one)."""
    cable = _cable_or_404(ref)
    canonical = _canonical_path(cable)
    if request.path == canonical:
        return _render_page(request, cable, canonical)
    return _redirect_keeping_query(request, canonical)


def _render_page(request, cable, path: str):
    """The page: what it shows of the archive from the page cache (rendered on a miss), its
    discussion rendered for this reader. A ``?cite=`` page is rendered whole (its cite box differs)."""
    url = site(request)["site_url"] + path
    cite = request.GET.get("cite")
    if cite:
        parts = _archive_parts(request, cable, url, cite)
    else:
        parts = pagecache.cable_fragment(
            cable, "page", lambda: _archive_parts(request, cable, url, None), url)
    return render(request, "web/cable/page.html", {
        "cable": cable, "part": parts, "discussion": discussion_of(cable)})


def _archive_parts(request, cable, url: str, cite_param: str | None) -> dict:
    """Everything the page shows that comes from the archive: the head's metadata, the heading,
    the menu's counts and the article (metadata table … share), as HTML and numbers."""
    record = cable.record()
    segments, anchors = _body(record)
    cite = _selected_paragraph(cite_param, anchors)
    references = _references(cable)
    mentions = record.layout.mentions if record.layout else ()
    versions = _versions(cable)
    citing, citing_total = queries.citing_cables(cable, limit=CITED_BY_SHOWN)
    graph = queries.reference_graph(cable, max_nodes=GRAPH_NODES)
    subject = record.subject or cable.subject
    description = record.summary or (record.paragraphs[0].text if record.paragraphs else "") or subject or ""
    cited = (cable.canonical_id, subject, record.origin or cable.origin, record.created or cable.created)
    context = {
        "cable": cable,
        "record": record,
        "subject": subject,
        "page_title": f"{cable.canonical_id}: {subject}" if subject else cable.canonical_id,
        "description": _shorten(" ".join(description.split()), 300),
        "canonical_url": url,
        "meta": _metadata(cable, record),
        "header": _header(record),
        "references": references,
        "tags": queries.tags_of(cable),
        "segments": _render_segments(segments, references, mentions),
        "citing": _cited_by(citing),
        "citing_total": citing_total,
        "citing_search": links.search_path(f"ref:{cable.canonical_id}"),
        "graph_svg": (graph_svg.render_svg(graph, _graph_link, standalone=False)
                      if graph.edges else None),
        "graph_truncated": graph.truncated,
        "versions": versions,
        "share": share.share_links(url, cable.canonical_id, subject),
        "hashtags": share.hashtags(cable.canonical_id),
        "citation_head": share.citation_head(*cited),
        "citation": share.citation(*cited, url),
        "cite": cite,
        "cite_text": share.citation(*cited, url, cite) if cite else None,
        "cite_missing": cite_param[:20] if cite_param and not cite else None,
        "about_anchor": words.classification_anchor(cable.classification or record.classification),
    }
    return {
        "title": context["page_title"],
        "description": context["description"],
        "head": render_to_string("web/cable/_page_head.html", context, request),
        "heading": render_to_string("web/cable/_heading.html", context, request),
        "article": render_to_string("web/cable/_article.html", context, request),
        "references": len(references),
        "citing_total": citing_total,
        "versions": len(versions),
    }


def _versions(cable) -> list[dict]:
    """The versions, each knowing the one before it (for its "changes from" link)."""
    versions = queries.versions_of(cable)
    for before, version in zip([None, *versions], versions):
        version["previous"] = before["version"] if before else None
    return versions


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1] + "…"


def _metadata(cable, record) -> dict:
    created = record.created or cable.created
    released = record.released or cable.released
    ym = words.year_month(created)
    day = words.released_day(released)
    classification = record.classification or cable.classification
    origin = record.origin or cable.origin
    return {
        "created": words.short_date(created), "created_iso": words.iso_datetime(created),
        "created_url": links.month_path(*ym) if ym else None,
        "released": words.short_date(released), "released_iso": words.iso_datetime(released),
        "released_url": links.search_path(f"released:{day}") if day else None,
        "classification": classification,
        "classification_url": links.classification_path(classification) if classification else None,
        "origin": origin, "origin_url": links.origin_path(origin) if origin else None,
        "first_release": cable.first_release, "last_release": cable.last_release,
        "removed_in": cable.removed_in,
    }


def _header(record) -> dict:
    addressees = [a for a in (record.from_, *record.to, *record.info) if a is not None]
    missing = [a.route for a in addressees if a.route and not a.station]
    stations = queries.station_names(missing) if missing else {}

    def line(a) -> dict:
        station = a.station or stations.get(a.route or "")
        return {"route": a.route, "name": a.name,
                "station": station if station and station != a.name else None,
                "precedence": words.addressee_precedence(a.precedence), "serial": a.serial}

    eo = record.eo
    classified_by = record.classified_by
    reasons = [words.reason_parts(r) for r in (classified_by.reasons if classified_by else ())]
    return {
        "precedence": words.precedence_words(record.precedence),
        "precedence_code": record.precedence,
        "dtg": words.date_words(record.dtg),
        "dtg_iso": words.iso_datetime(record.dtg),
        "dtg_code": words.dtg_as_written(record.dtg),
        "transmission_id": record.transmission_id,
        "from": line(record.from_) if record.from_ else None,
        "to": [line(a) for a in record.to],
        "info": [line(a) for a in record.info],
        "handling": [(w, words.handling_meaning(w), links.slug(w)) for w in record.handling],
        "eo": eo,
        "decl": words.decl_words(eo.decl, eo.decl_date) if eo else None,
        "classified_by": classified_by,
        "reasons": reasons,
        "raw": record.header_raw,
    }


def _reference_anchor(edge) -> str:
    label = short_label(edge.label)
    return f"par{label}" if label else f"ref{edge.position + 1}"


def _references(cable) -> list[dict]:
    items = []
    for edge in queries.reference_items(cable):
        target = edge.cited_cable
        items.append({
            "anchor": _reference_anchor(edge), "label": edge.label, "citation": edge.citation,
            "id": edge.cited_id, "kind": edge.kind, "status": edge.status,
            "url": links.cable_path(target.canonical_id, target.created) if target else None,
            "subject": target.subject if target else None,
            "citing_url": (links.search_path(f"ref:{edge.cited_id}")
                           if edge.cited_id and not target else None),
        })
    return items


def _body(record):
    spans = record.layout.paragraphs if record.layout else ()
    segments = segment_body(record.body, record.paragraphs, spans)
    anchors = [s.anchor for s in segments if s.anchor]
    return segments, anchors


def _selected_paragraph(value: str | None, anchors: list[str]) -> str | None:
    if not value:
        return None
    value = value.strip()
    return value if value in anchors else None


_MARKING_IN_LEAD = re.compile(r"\([^()\n]{1,45}\)")


def _render_segments(segments, references, mentions) -> list[dict]:
    labelled = {r["label"]: r["anchor"] for r in references if r["label"] and r["anchor"].startswith("par")}
    lone = references[0]["anchor"] if len(references) == 1 and not labelled else None
    out = []
    for s in segments:
        if s.anchor is None:
            out.append({"anchor": None, "text": s.text})
            continue
        lead = s.lead.strip()
        marking = _MARKING_IN_LEAD.search(lead) if s.marking else None
        out.append({
            "anchor": s.anchor, "number": s.number, "marking": s.marking,
            "marking_title": words.marking_title(s.marking),
            "lead_before": lead[: marking.start()] if marking else lead,
            "lead_marking": marking.group(0) if marking else None,
            "lead_after": lead[marking.end():] if marking else "",
            "html": link_references(s.text, s.offset, mentions, labelled, lone),
        })
    return out


def _cited_by(citing) -> list[dict]:
    out = []
    for item in citing:
        c = item.cable
        url = links.cable_path(c.canonical_id, c.created)
        found = use_of(item.record, [edge.position for edge in item.edges])
        out.append({
            "id": c.canonical_id, "subject": c.subject, "created": words.short_date(c.created)[:10],
            "origin": c.origin, "url": url,
            "citations": [(e.label, e.citation) for e in item.edges],
            "paragraph": found[0] if found else None,
            "paragraph_url": f"{url}#par{found[0]}" if found else None,
            "excerpt": found[1] if found else None,
        })
    return out


def _graph_link(node) -> str:
    return links.cable_path(node.id, node.created)


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
    return render(request, "web/cable/history.html", {
        "cable": cable, "cable_url": _canonical_path(cable), "versions": _versions(cable),
    })


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
    return render(request, "web/cable/diff.html", {
        "cable": cable, "cable_url": _canonical_path(cable), "cmp": comparison,
        "versions": versions,
        "old_version": next(v for v in versions if v["version"] == comparison.old),
        "new_version": next(v for v in versions if v["version"] == comparison.new),
        "metadata": [(field, queries.format_value(a), queries.format_value(b))
                     for field, a, b in comparison.metadata],
        "text_fields": [(field, queries.format_value(a), queries.format_value(b))
                        for field, a, b in comparison.text_fields],
        "text": side_by_side(comparison.old_record.body, comparison.new_record.body),
        "words": word_changes(comparison.old_record.body, comparison.new_record.body),
    })


def cable_graph(request, ref: str):
    cable, redirect = _sub_page(request, ref, "cable_graph")
    if redirect:
        return redirect
    graph = queries.reference_graph(cable, max_nodes=GRAPH_NODES)
    svg = graph_svg.render_svg(graph, _graph_link, standalone=True)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def share_mastodon(request):
    """Send the reader to their own Mastodon instance's share page, once it is a host name."""
    ref = request.GET.get("ref", "")
    cable = _cable_or_404(ref)
    url = site(request)["site_url"] + _canonical_path(cable)
    typed = request.GET.get("instance", "")
    host = share.mastodon_host(typed)
    if host is None:
        return render(request, "web/cable/share_mastodon.html", {
            "cable": cable, "instance": typed[:300],
            "error": ("Type the host name of your Mastodon server, such as mastodon.social."
                      if typed.strip() else "Which Mastodon server is yours?"),
        }, status=400 if typed.strip() else 200)
    return HttpResponseRedirect(share.mastodon_share_url(host, url, cable.canonical_id, cable.subject))
