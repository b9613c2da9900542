"""The reference graph: cables as nodes, their citations as edges, in GraphML and GEXF.

Nodes: the selected cables (``kind`` ``cable``, with their date, origin, classification and
subject); the archived cables they cite that the selection lacks (``cable`` too: an export of a
query keeps the cables its cables cite); and the ids they cite that are known but were never
released (``kind`` ``known``, with the id's month as ``date`` where the known-id list gives one:
the archive's ``KnownId``). A REF id of neither kind (``unknown``: read from a REF line, in no list)
makes no node and no edge. Edges: one per citing cable and cited id (``weight``: how many of the
citing cable's REF items name it), ``status`` ``archived`` or ``known``.

A graph file names every node before any edge refers to it, so both formats are written in two
streaming passes over the selection — the nodes, then the edges — each a page at a time: no graph
is ever built in memory. The XML is written by hand (a few fixed elements) with every text and
attribute escaped, and the characters XML 1.0 cannot hold (control characters of old pages) left
out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.db import connections

from .selection import Selection

Progress = Callable[[int], None]

NODE_ATTRIBUTES = ("kind", "date", "origin", "classification", "subject")
EDGE_ATTRIBUTES = ("status",)
CABLE, KNOWN = "cable", "known"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: str
    date: str | None = None
    origin: str | None = None
    classification: str | None = None
    subject: str | None = None

    def attributes(self) -> list[tuple[str, str]]:
        return [(name, value) for name in NODE_ATTRIBUTES if (value := getattr(self, name))]


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    status: str
    weight: int

    @property
    def id(self) -> str:
        return f"{self.source}>{self.target}"


_CABLE_COLUMNS = "c.canonical_id, c.created, c.origin, c.classification, c.subject"


def nodes(selection: Selection, progress: Progress | None = None) -> Iterator[list[Node]]:
    """Pages of nodes: the selected cables, the archived cables they cite outside the selection,
    the known-not-released ids they cite."""
    for page in selection.pages(_CABLE_COLUMNS):
        yield [Node(row[1], CABLE, *row[2:]) for row in page]
        if progress is not None:
            progress(len(page))
    if not selection.everything:  # every archived cable cited is selected already
        cited, params = selection.within("e.citing_id")
        outside, outside_params = selection.within("c.id")
        statement = (f"SELECT c.id, {_CABLE_COLUMNS} FROM store_cable c WHERE c.id > %s "
                     f"AND c.id IN (SELECT e.cited_cable_id FROM store_referenceedge e "
                     f"WHERE e.status = 'archived'{cited}) AND NOT (1 = 1{outside}) "
                     f"ORDER BY c.id LIMIT %s")
        for page in selection.pages_of(statement, params + outside_params, 0):
            yield [Node(row[1], CABLE, *row[2:]) for row in page]
    cited, params = selection.within("e.citing_id")
    statement = ("SELECT e.cited_id, k.month FROM store_referenceedge e "
                 "LEFT JOIN store_knownid k ON k.canonical_id = e.cited_id "
                 f"WHERE e.cited_id > %s AND e.status = 'known'{cited} "
                 "GROUP BY e.cited_id, k.month ORDER BY e.cited_id LIMIT %s")
    for page in selection.pages_of(statement, params, ""):
        yield [Node(cited_id, KNOWN, month) for cited_id, month in page]


def edges(selection: Selection, progress: Progress | None = None) -> Iterator[list[Edge]]:
    """Pages of edges: each selected cable's archived and known citations, in REF order."""
    for page in selection.pages("c.canonical_id"):
        ids = [row[0] for row in page]
        with connections[selection.using].cursor() as c:
            c.execute("SELECT c.canonical_id, e.cited_id, e.status, count(*) FROM store_referenceedge e "
                      "JOIN store_cable c ON c.id = e.citing_id "
                      f"WHERE e.citing_id IN ({', '.join(['%s'] * len(ids))}) "
                      "AND e.status IN ('archived', 'known') AND e.cited_id IS NOT NULL "
                      "GROUP BY e.citing_id, c.canonical_id, e.cited_id, e.status "
                      "ORDER BY e.citing_id, min(e.position)", ids)
            yield [Edge(*row) for row in c.fetchall()]
        if progress is not None:
            progress(len(page))


def _text(value: object) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def _attr(value: object) -> str:
    return quoteattr(_NOT_XML.sub("", str(value)))


def _about(selection: Selection) -> str:
    what = f"the cables matching {selection.query}" if selection.query else "every cable of the archive"
    return f"The reference graph of {what}: citations between cables and of known ids not released."


# --- GraphML --------------------------------------------------------------------------------------

def graphml(selection: Selection, progress: Progress | None = None) -> Iterator[str]:
    """The graph as GraphML (http://graphml.graphdrawing.org/): Gephi, yEd, Cytoscape, networkx."""
    head = ['<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n']
    head += [f'<key id="{name}" for="node" attr.name="{name}" attr.type="string"/>\n'
             for name in NODE_ATTRIBUTES]
    head += [f'<key id="{name}" for="edge" attr.name="{name}" attr.type="string"/>\n'
             for name in EDGE_ATTRIBUTES]
    head.append('<key id="weight" for="edge" attr.name="weight" attr.type="int"/>\n')
    head.append(f'<graph id="cables" edgedefault="directed">\n<desc>{_text(_about(selection))}</desc>\n')
    yield "".join(head)
    for page in nodes(selection, progress):
        yield "".join(
            f'<node id={_attr(n.id)}>'
            + "".join(f'<data key="{k}">{_text(v)}</data>' for k, v in n.attributes())
            + "</node>\n" for n in page)
    for page in edges(selection, progress):
        yield "".join(
            f'<edge id={_attr(e.id)} source={_attr(e.source)} target={_attr(e.target)}>'
            f'<data key="status">{e.status}</data><data key="weight">{e.weight}</data></edge>\n'
            for e in page)
    yield "</graph>\n</graphml>\n"


# --- GEXF -----------------------------------------------------------------------------------------

GEXF_NAMESPACE = "http://gexf.net/1.3"


def gexf(selection: Selection, progress: Progress | None = None) -> Iterator[str]:
    """The graph as GEXF 1.3 (https://gexf.net/), Gephi's own format."""
    head = ['<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<gexf xmlns="{GEXF_NAMESPACE}" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{GEXF_NAMESPACE} {GEXF_NAMESPACE}/gexf.xsd" version="1.3">\n'
            '<meta><creator>cables export</creator>'
            f'<description>{_text(_about(selection))}</description></meta>\n'
            '<graph defaultedgetype="directed" mode="static">\n<attributes class="node">\n']
    head += [f'<attribute id="{name}" title="{name}" type="string"/>\n' for name in NODE_ATTRIBUTES]
    head.append('</attributes>\n<attributes class="edge">\n')
    head += [f'<attribute id="{name}" title="{name}" type="string"/>\n' for name in EDGE_ATTRIBUTES]
    head.append("</attributes>\n<nodes>\n")
    yield "".join(head)
    for page in nodes(selection, progress):
        yield "".join(
            f'<node id={_attr(n.id)} label={_attr(n.id)}><attvalues>'
            + "".join(f'<attvalue for="{k}" value={_attr(v)}/>' for k, v in n.attributes())
            + "</attvalues></node>\n" for n in page)
    yield "</nodes>\n<edges>\n"
    for page in edges(selection, progress):
        yield "".join(
            f'<edge id={_attr(e.id)} source={_attr(e.source)} target={_attr(e.target)} '
            f'weight="{e.weight}"><attvalues><attvalue for="status" value="{e.status}"/>'
            "</attvalues></edge>\n" for e in page)
    yield "</edges>\n</graph>\n</gexf>\n"
