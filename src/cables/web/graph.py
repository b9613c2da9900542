"""The reference graph of a cable drawn as SVG on the server: no script, no external service.

The cable sits in the middle; the cables it cites and that cite it (one REF step) on an inner
ring; the archived cables one step further on an outer ring, each placed next to the neighbour
that brought it. Arrows point from the citing cable to the cited one. Archived cables are links;
cited ids never released are drawn hollow (known id) or grey (unknown id). Every node carries a
``<title>`` (id and subject) and the drawing a ``<title>``/``<desc>``, for screen readers and
tooltips. Only presentation attributes are used, never ``style=``, so the strict CSP holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape  # as Django's escape gives it, without its lazy-string check
from itertools import pairwise

from ..store.queries import GraphNode, ReferenceGraph

SIZE = 820
CENTER = SIZE / 2
RINGS = {0: 0.0, 1: 170.0, 2: 295.0}
RADIUS = {0: 11.0, 1: 8.0, 2: 6.0}
FILL = {"archived": "#0b4f9c", "known": "#ffffff", "unknown": "#d9d9d9"}
STROKE = {"archived": "#0b4f9c", "known": "#595959", "unknown": "#6b6b6b"}
STATUS_WORDS = {"archived": "archived", "known": "known id, not released", "unknown": "unknown id"}


def layout(graph: ReferenceGraph) -> dict[str, tuple[float, float]]:
    """Node id → (x, y): rings by hop, the outer ring ordered by the angle of each node's parent."""
    positions: dict[str, tuple[float, float]] = {}
    angles: dict[str, float] = {}
    by_hop: dict[int, list[GraphNode]] = {0: [], 1: [], 2: []}
    for node in graph.nodes:
        by_hop[min(node.hop, 2)].append(node)
    for node in by_hop[0]:
        positions[node.id] = (CENTER, CENTER)
    neighbours: dict[str, list[str]] = {}
    for a, b in graph.edges:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    ring = by_hop[1]
    for i, node in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(ring), 1)
        angles[node.id] = angle
    outer = by_hop[2]

    def parent_angle(node: GraphNode) -> float:
        known = [angles[n] for n in neighbours.get(node.id, []) if n in angles]
        return (known[0] + 2 * math.pi) % (2 * math.pi) if known else 0.0

    outer.sort(key=parent_angle)
    for node_id, angle in _spread([(n.id, parent_angle(n)) for n in outer]).items():
        angles[node_id] = angle
    for node in ring + outer:
        r = RINGS[min(node.hop, 2)]
        positions[node.id] = (CENTER + r * math.cos(angles[node.id]), CENTER + r * math.sin(angles[node.id]))
    return positions


def _spread(wanted: list[tuple[str, float]], gap: float = 0.09) -> dict[str, float]:
    """Angles near the wanted ones (sorted), at least ``gap`` apart; evenly spaced when the ring
    is too full for that."""
    if not wanted:
        return {}
    if len(wanted) * gap >= 2 * math.pi:
        base = wanted[0][1]
        return {node_id: base + 2 * math.pi * i / len(wanted) for i, (node_id, _) in enumerate(wanted)}
    # siblings of one parent fan out around it, then the sweep pushes overlapping ones apart
    out = [[node_id, angle] for node_id, angle in wanted]
    groups: dict[float, list[list]] = {}
    for item in out:
        groups.setdefault(item[1], []).append(item)
    for base, items in groups.items():
        for k, item in enumerate(items):
            item[1] = base + (k - (len(items) - 1) / 2) * gap
    out.sort(key=lambda item: item[1])
    for previous, item in pairwise(out):
        item[1] = max(item[1], previous[1] + gap)
    overflow = out[-1][1] - (out[0][1] + 2 * math.pi - gap)
    if overflow > 0:  # the sweep ran into the first nodes: shift everything back evenly
        for i, item in enumerate(out):
            item[1] -= overflow * i / max(len(out) - 1, 1)
    return {node_id: angle for node_id, angle in out}


def render_svg(graph: ReferenceGraph, link: Callable[[GraphNode], str], *, standalone: bool) -> str:
    """The SVG markup. ``link`` gives an archived node's URL; ``standalone`` adds the XML prolog
    (the graph.svg file) instead of sizing the drawing for a page."""
    center = graph.nodes[0]
    positions = layout(graph)
    cites = sum(1 for a, b in graph.edges if a == center.id)
    cited = sum(1 for a, b in graph.edges if b == center.id)
    title = f"Reference graph of {center.id}"
    desc = (f"{center.id} cites {cites} {'cable' if cites == 1 else 'cables'} and is cited by {cited} "
            f"archived {'cable' if cited == 1 else 'cables'}; the drawing shows {len(graph.nodes)} "
            f"cables up to two references away"
            + (" (the closest ones only: more are in reach)" if graph.truncated else "") + ".")
    # the drawing is cropped to the rings in use (with room for the labels) plus the legend
    reach = max(max((RINGS[min(n.hop, 2)] for n in graph.nodes), default=0.0) + 125, 260)
    left, side = CENTER - reach, 2 * reach
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="{left:.0f} {left:.0f} {side:.0f} {side + 40:.0f}" width="{side:.0f}" height="{side + 40:.0f}" '
        f'class="refgraph" role="group" aria-labelledby="refgraph-title refgraph-desc" '
        f'font-family="system-ui, DejaVu Sans, Arial, sans-serif" font-size="12">'
        f'<title id="refgraph-title">{escape(title)}</title>'
        f'<desc id="refgraph-desc">{escape(desc)}</desc>'
        '<defs><marker id="refgraph-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b6b6b"/>'
        '</marker></defs>'
        f'<rect x="{left:.0f}" y="{left:.0f}" width="{side:.0f}" height="{side + 40:.0f}" fill="#ffffff"/>'
    )
    hops = {n.id: n.hop for n in graph.nodes}
    out.append('<g class="edges" stroke="#8c8c8c" stroke-width="1.2" fill="none">')
    for a, b in graph.edges:
        if a == b or a not in positions or b not in positions:
            continue
        (x1, y1), (x2, y2) = positions[a], positions[b]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ra, rb = RADIUS[min(hops[a], 2)] + 1, RADIUS[min(hops[b], 2)] + 2
        sx, sy = x1 + (x2 - x1) * ra / length, y1 + (y2 - y1) * ra / length
        ex, ey = x2 - (x2 - x1) * rb / length, y2 - (y2 - y1) * rb / length
        out.append(f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" '
                   f'marker-end="url(#refgraph-arrow)"><title>{escape(a)} cites {escape(b)}</title></line>')
    out.append('</g><g class="nodes">')
    crowded = sum(1 for n in graph.nodes if n.hop == 1) > 12
    for node in graph.nodes:
        out.append(_node(node, positions[node.id], link, crowded))
    out.append('</g>')
    out.append(_legend(left, left + side))
    out.append('</svg>')
    return "".join(out)


def _node(node: GraphNode, position: tuple[float, float], link: Callable[[GraphNode], str],
          crowded: bool) -> str:
    x, y = position
    hop = min(node.hop, 2)
    r = RADIUS[hop]
    tip = node.id + (f": {node.subject}" if node.subject else "") + f" ({STATUS_WORDS.get(node.status, node.status)})"
    dash = ' stroke-dasharray="3 2"' if node.status == "known" else ""
    fill = "#1d3557" if hop == 0 else FILL.get(node.status, "#d9d9d9")
    stroke = "#1d3557" if hop == 0 else STROKE.get(node.status, "#6b6b6b")
    shape = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.0f}" fill="{fill}" stroke="{stroke}" '
             f'stroke-width="1.5"{dash}/>')
    if hop == 0:
        label = (f'<text x="{x:.1f}" y="{y + r + 16:.1f}" text-anchor="middle" fill="#1b1b1b" '
                 f'font-weight="700">{escape(node.id)}</text>')
    else:
        angle = math.degrees(math.atan2(y - CENTER, x - CENTER))
        ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        colour = "#1b1b1b" if node.status == "archived" else "#595959"
        halo = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"'
        if hop == 1 and not crowded:
            # the inner ring: level labels beside the node, away from the centre
            tx, ty = x + ux * (r + 5), y + uy * (r + 5)
            anchor = "start" if ux > 0.3 else "end" if ux < -0.3 else "middle"
            dy = "0.35em" if anchor != "middle" else ("1em" if uy > 0 else "-0.3em")
            label = (f'<text x="{tx:.1f}" y="{ty:.1f}" dy="{dy}" text-anchor="{anchor}" '
                     f'fill="{colour}" {halo}>{escape(node.id)}</text>')
        else:
            # the outer ring (or a crowded inner one): labels run outward along the radius,
            # so neighbours never overlap
            left = abs(angle) > 90
            tx, ty = x + ux * (r + 4), y + uy * (r + 4)
            rotation = angle + 180 if left else angle
            label = (f'<text x="{tx:.1f}" y="{ty:.1f}" dy="0.35em" text-anchor="{"end" if left else "start"}" '
                     f'transform="rotate({rotation:.1f} {tx:.1f} {ty:.1f})" fill="{colour}" {halo}>'
                     f'{escape(node.id)}</text>')
    body = f"<title>{escape(tip)}</title>{shape}{label}"
    if node.status == "archived" and hop > 0:
        href = escape(link(node))
        return f'<a href="{href}" xlink:href="{href}" class="node">{body}</a>'
    return f'<g class="node">{body}</g>'


def _legend(left: float, bottom: float) -> str:
    y = bottom + 22
    items = [("archived cable (a link)", FILL["archived"], STROKE["archived"], ""),
             ("known id, not released", FILL["known"], STROKE["known"], ' stroke-dasharray="3 2"'),
             ("unknown id", FILL["unknown"], STROKE["unknown"], "")]
    out = ['<g class="legend" font-size="12" fill="#1b1b1b">']
    x = left + 14
    for text, fill, stroke, dash in items:
        out.append(f'<circle cx="{x:.0f}" cy="{y - 4:.0f}" r="6" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>'
                   f'<text x="{x + 11:.0f}" y="{y:.0f}">{escape(text)}</text>')
        x += 165
    out.append('</g>')
    return "".join(out)
