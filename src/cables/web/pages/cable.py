"""A cable's pages as data: the page itself (:class:`CablePage`, made by :func:`cable_page`), its
release history and the diff between two of its versions.

The cable page's context is what the page shows *of the archive*: the same for every reader, so
it is rendered once and kept (see :mod:`..pagecache`); its discussion (comments, the form) is the
reader's and is not part of it, nor of its JSON twin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ...record import Cable as CableRecord
from ...record import short_label
from ...store import queries
from ...store.models import Cable
from .. import cable_display as words
from .. import graph as graph_svg
from .. import links, share
from ..cable_text import link_references, segment_body, use_of
from .base import PageContext, html_only

CITED_BY_SHOWN = 50
GRAPH_NODES = 40


@dataclass(frozen=True, slots=True)
class CablePage(PageContext):
    """A cable's page. ``record`` is the latest parsed record, whole (its JSON is the record of
    ``cables show --json``); the other fields are what the page makes of it and of the archive."""

    cable: Cable
    record: CableRecord
    subject: str | None
    page_title: str
    description: str
    canonical_url: str
    meta: dict[str, Any]
    header: dict[str, Any]
    references: list[ReferenceItem]
    tags: list
    citing: list[CitingItem]
    citing_total: int
    citing_search: str
    graph_truncated: bool
    versions: list[dict[str, Any]]
    share: dict[str, str]
    hashtags: str
    citation_head: str
    citation: str
    cite: str | None
    cite_text: str | None
    cite_missing: str | None
    about_anchor: str
    # the body with paragraph anchors and REF links as HTML (``record.paragraphs`` is the data)
    segments: list[dict[str, Any]] = html_only()
    # the reference graph drawn inline (``/cable/ID/graph.svg`` serves it alone)
    graph_svg: str | None = html_only()
    # the ids of the other cables the page shows (references, citing, graph): a kept render of
    # the page is stale when one of them changes (see ..version_render)
    shown_ids: frozenset[str] = html_only(default=frozenset())


def cable_page(cable: Cable, url: str, cite_param: str | None) -> CablePage:
    """Everything the page shows that comes from the archive. ``url``: the page's absolute
    address (canonical link, citations, share links); ``cite_param``: the ``?cite=`` paragraph."""
    record = queries.latest_record(cable)
    segments, anchors = _body(record)
    cite = _selected_paragraph(cite_param, anchors)
    references = reference_items(cable)
    mentions = record.layout.mentions if record.layout else ()
    citing, citing_total = queries.citing_cables(cable, limit=CITED_BY_SHOWN)
    graph = queries.reference_graph(cable, max_nodes=GRAPH_NODES)
    subject = record.subject or cable.subject
    description = record.summary or (record.paragraphs[0].text if record.paragraphs else "") or subject or ""
    cited = (cable.canonical_id, subject, record.origin or cable.origin, record.created or cable.created)
    return CablePage(
        cable=cable,
        record=record,
        subject=subject,
        page_title=f"{cable.canonical_id}: {subject}" if subject else cable.canonical_id,
        description=_shorten(" ".join(description.split()), 300),
        canonical_url=url,
        meta=_metadata(cable, record),
        header=_header(record),
        references=references,
        tags=queries.tags_of(cable),
        segments=_render_segments(segments, references, mentions),
        citing=citing_items(citing),
        citing_total=citing_total,
        citing_search=links.search_path(f"ref:{cable.canonical_id}"),
        graph_svg=(graph_svg.render_svg(graph, graph_link, standalone=False) if graph.edges else None),
        graph_truncated=graph.truncated,
        versions=versions_with_previous(cable),
        share=share.share_links(url, cable.canonical_id, subject),
        hashtags=share.hashtags(cable.canonical_id),
        citation_head=share.citation_head(*cited),
        citation=share.citation(*cited, url),
        cite=cite,
        cite_text=share.citation(*cited, url, cite) if cite else None,
        cite_missing=cite_param[:20] if cite_param and not cite else None,
        about_anchor=words.classification_anchor(cable.classification or record.classification),
        shown_ids=frozenset(
            [cable.canonical_id, *(r.id for r in references if r.id),
             *(item.cable.canonical_id for item in citing), *(node.id for node in graph.nodes)]),
    )


def versions_with_previous(cable: Cable) -> list[dict]:
    """The versions, each knowing the one before it (for its "changes from" link)."""
    versions = queries.versions_of(cable)
    for before, version in zip([None, *versions], versions):
        version["previous"] = before["version"] if before else None
    return versions


def graph_link(node) -> str:
    return links.cable_path(node.id, node.created)


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
    releases = queries.releases_of(cable)
    return {
        "created": words.short_date(created), "created_iso": words.iso_datetime(created),
        "created_url": links.month_path(*ym) if ym else None,
        "released": words.short_date(released), "released_iso": words.iso_datetime(released),
        "released_url": links.search_path(f"released:{day}") if day else None,
        "classification": classification,
        "classification_url": links.classification_path(classification) if classification else None,
        "origin": origin, "origin_url": links.origin_path(origin) if origin else None,
        "first_release": releases["first_release"], "last_release": releases["last_release"],
        "removed_in": releases["removed_in"],
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


@dataclass(frozen=True, slots=True)
class ReferenceItem:
    """A REF item of the cable as the page lists it (and the API answers it): what it says, the
    id it names, and where that id stands in the archive (``archived_id``: the cable holding it,
    ``url`` its page; ``citing_url``, for an id nobody archived, the search of the cables citing
    it)."""

    anchor: str
    label: str | None
    citation: str
    id: str | None
    kind: str | None
    status: str
    subject: str | None
    archived_id: str | None
    url: str | None
    citing_url: str | None


def reference_items(cable) -> list[ReferenceItem]:
    """The cable's REF items in order (see :class:`ReferenceItem`)."""
    items = []
    for edge in queries.reference_items(cable):
        target = edge.cited_cable
        items.append(ReferenceItem(
            anchor=_reference_anchor(edge), label=edge.label, citation=edge.citation,
            id=edge.cited_id, kind=edge.kind, status=edge.status,
            subject=target.subject if target else None,
            archived_id=target.canonical_id if target else None,
            url=links.cable_path(target.canonical_id, target.created) if target else None,
            citing_url=(links.search_path(f"ref:{edge.cited_id}")
                        if edge.cited_id and not target else None),
        ))
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
    labelled = {r.label: r.anchor for r in references if r.label and r.anchor.startswith("par")}
    lone = references[0].anchor if len(references) == 1 and not labelled else None
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


@dataclass(frozen=True, slots=True)
class CitingItem:
    """An archived cable citing this one, as the page's "Cited by" lists it (and the API answers
    it): the REF items that name this cable, as (label, citation), and the paragraph that uses
    one of them (its key, ``paragraph_url`` on the citing cable's page, an excerpt), if found."""

    id: str
    subject: str | None
    created: datetime | None
    created_day: str
    origin: str | None
    url: str
    citations: tuple[tuple[str | None, str], ...]
    paragraph: str | None
    paragraph_url: str | None
    excerpt: str | None


def citing_items(citing: list[queries.CitingCable]) -> list[CitingItem]:
    """``citing`` (:func:`queries.citing_cables`) as the page and the API show them."""
    out = []
    for item in citing:
        c = item.cable
        url = links.cable_path(c.canonical_id, c.created)
        found = use_of(item.record, [edge.position for edge in item.edges])
        out.append(CitingItem(
            id=c.canonical_id, subject=c.subject, created=c.created,
            created_day=words.short_date(c.created)[:10], origin=c.origin, url=url,
            citations=tuple((e.label, e.citation) for e in item.edges),
            paragraph=found[0] if found else None,
            paragraph_url=f"{url}#par{found[0]}" if found else None,
            excerpt=found[1] if found else None,
        ))
    return out


# --- the other pages of a cable -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CableHistoryPage(PageContext):
    """A cable's versions, oldest first, and the release that brought each."""

    cable: Cable
    cable_url: str
    versions: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class CableDiffPage(PageContext):
    """Two versions of a cable side by side: the metadata fields that changed, the fields read
    from the text, the text word by word (``words``) and line by line (``text``)."""

    cable: Cable
    cable_url: str
    old: int
    new: int
    latest: int
    versions: list[dict[str, Any]]
    old_version: dict[str, Any]
    new_version: dict[str, Any]
    metadata: list[tuple[str, str, str]]
    text_fields: list[tuple[str, str, str]]
    text: Any  # diffview.SideBySide
    words: Any  # textdiff.WordChanges
    # the comparison with both records whole (the fields above are what the page shows of it)
    cmp: queries.VersionComparison = html_only()
