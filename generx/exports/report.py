"""A self-contained HTML report of relation records, and the network picture alone as SVG.

``write_report`` writes one HTML file that opens offline anywhere (inline CSS, inline vanilla JS, an
inline SVG; no URL is fetched): the job's summary, the network of genes, GO terms and gene families, and
a filterable table of relations whose evidence shows subject, object and trigger as displaCy-style boxes.
``write_network_svg`` writes the same network drawing as a standalone SVG for papers. No PNG writer:
rasterising needs a renderer (cairo, a browser) that generx does not otherwise depend on; convert the
SVG with ``rsvg-convert -o network.png network.svg`` or Inkscape when a bitmap is needed.

Both read the documents once. Counts cover every relation; what is kept in memory is bounded by the
table cap (``max_rows``) and by the number of distinct nodes and (subject, predicate, object) edges,
so a job of millions of relations still gives a usable file.
"""

from __future__ import annotations

import html
import json
import math
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from string import Template
from typing import Any, BinaryIO

from generx.exports import XML_INVALID, Document

MAX_ROWS = 5000  # table rows; a browser stays responsive and the file stays a few MB
MAX_NODES = 150  # network nodes; past this a force layout is a hairball nobody can read
MAX_EDGES = 50_000  # distinct edges kept for the picture; memory stays flat however large the job
GRAVITY = 6.0  # pull to the centre, in units of the ideal edge length: keeps components together

# The controlled vocabulary (DESIGN.md) in reading order, with its colours: signed predicates in
# green/red, the unsigned ones in greys, physical interaction blue, process participation purple, and
# the GO annotations (a gene's function, its place, the complex it is part of) and family membership in
# the colours of the node shapes they point at.
PREDICATE_COLOURS = {
    "positively_regulates": "#2e7d32",
    "negatively_regulates": "#c62828",
    "regulates": "#616161",
    "binds": "#1565c0",
    "involved_in": "#7b1fa2",
    "associated_with": "#a8a8a8",
    "enables": "#00897b",
    "located_in": "#d84315",
    "part_of": "#6d4c41",
    "member_of": "#ad1457",
}
OTHER_COLOUR = "#000000"  # a predicate outside the vocabulary still gets drawn, visibly unlike the rest
# Directed predicates get an arrowhead (negatively_regulates a flat bar); binds and associated_with
# are symmetric claims and get none.
ARROW_PREDICATES = {
    "positively_regulates",
    "regulates",
    "involved_in",
    "enables",
    "located_in",
    "part_of",
    "member_of",
}
BAR_PREDICATES = {"negatively_regulates"}
# (fill, stroke) per argument type; genes are circles, processes squares, molecular functions diamonds,
# cellular components hexagons, gene families (HGNC gene groups) triangles.
NODE_STYLES = {
    "gene": ("#90caf9", "#1e88e5"),
    "process": ("#ffe082", "#f9a825"),
    "function": ("#b2dfdb", "#00897b"),
    "component": ("#ffccbc", "#d84315"),
    "family": ("#f8bbd0", "#ad1457"),
}
# Argument types as the summary, the legend and the caption name them (singular, plural).
TYPE_NAMES = {
    "gene": ("gene", "genes"),
    "process": ("process", "processes"),
    "function": ("molecular function", "molecular functions"),
    "component": ("cellular component", "cellular components"),
    "family": ("gene family", "gene families"),
}


def _e(value: Any) -> str:
    """Escape for HTML/XML text and attribute values alike, dropping characters neither may hold (the
    standalone SVG must parse, and UTF-8 cannot encode lone surrogates)."""
    return html.escape(XML_INVALID.sub("", "" if value is None else str(value)), quote=True)


def _colour(predicate: str) -> str:
    return PREDICATE_COLOURS.get(predicate, OTHER_COLOUR)


def _ordered(predicates: Iterable[str]) -> list[str]:
    """Predicates in vocabulary order, unknown ones after, alphabetically."""
    order = list(PREDICATE_COLOURS)
    return sorted(predicates, key=lambda p: (order.index(p) if p in order else len(order), p))


# --- the summary ------------------------------------------------------------------------------------


@dataclass
class _Counts:
    """Streaming counts over every relation (not just the rows the table keeps)."""

    statements: int = 0
    relations: int = 0
    predicates: Counter[str] = field(default_factory=Counter)
    mechanisms: Counter[str] = field(default_factory=Counter)
    negated: int = 0
    hedged: int = 0
    implicit: int = 0
    # distinct arguments (grounded id, else text) per argument type
    arguments: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in TYPE_NAMES})

    def add(self, relation: dict[str, Any]) -> None:
        self.relations += 1
        self.predicates[str(relation.get("predicate"))] += 1
        if mechanism := (relation.get("mechanism") or {}).get("type"):
            self.mechanisms[str(mechanism)] += 1
        self.negated += bool(relation.get("negated"))
        self.hedged += bool(relation.get("hedged"))
        self.implicit += bool(relation.get("implicit"))
        for role in ("subject", "object"):
            argument = relation.get(role) or {}
            key = argument.get("id") or f"text:{str(argument.get('text', '')).lower()}"
            if argument.get("type") in self.arguments:
                self.arguments[argument["type"]].add(key)


def _summary_html(counts: _Counts, extra: dict[str, Any] | None) -> str:
    items = [(key, value) for key, value in (extra or {}).items()]
    items += [
        ("statements", counts.statements),
        ("relations", counts.relations),
        ("negated", counts.negated),
        ("hedged", counts.hedged),
        ("implicit", counts.implicit),
        *((f"distinct {TYPE_NAMES[kind][1]}", len(found)) for kind, found in counts.arguments.items()),
    ]
    rows = "".join(f"<tr><th>{_e(key)}</th><td>{_e(_plain(value))}</td></tr>" for key, value in items)
    predicates = "".join(
        f'<tr><th><span class="swatch" style="background:{_colour(p)}"></span>{_e(p)}</th>'
        f"<td>{counts.predicates[p]}</td></tr>"
        for p in _ordered(counts.predicates)
    )
    mechanisms = "".join(
        f"<tr><th>{_e(kind)}</th><td>{n}</td></tr>" for kind, n in sorted(counts.mechanisms.items())
    )
    return (
        f'<table class="summary" id="summary-counts">{rows}</table>'
        f'<table class="summary" id="summary-predicates"><tr><th colspan="2">per predicate</th></tr>'
        f"{predicates}</table>"
        f'<table class="summary" id="summary-mechanisms"><tr><th colspan="2">per mechanism</th></tr>'
        f"{mechanisms}</table>"
    )


def _plain(value: Any) -> str:
    """A summary value as short text; long lists (a job's errors) are cut so the page stays small."""
    if isinstance(value, list) and len(value) > 20:
        return f"{json.dumps(value[:20], default=str)} … and {len(value) - 20} more"
    if isinstance(value, dict | list):
        return json.dumps(value, default=str)
    return str(value)


# --- the table --------------------------------------------------------------------------------------


def highlight_evidence(relation: dict[str, Any], text: str | None = None) -> str:
    """The evidence text as HTML with subject, object and trigger marked, displaCy style.

    Offsets in records are into the statement; the evidence carries its own start, so a span's place in
    the evidence is its start minus the evidence's. A span whose offsets do not match the evidence
    (implicit arguments have none) is looked up by its text once, and left unmarked when absent.
    """
    evidence = relation.get("evidence") or {"text": text or "", "start": 0}
    evidence_text = str(evidence.get("text") or "")
    base = evidence.get("start") or 0
    spans: list[tuple[int, int, str, str]] = []
    for role, label in (("subject", "subj"), ("object", "obj"), ("trigger", "trigger")):
        span = relation.get(role) or {}
        span_text = str(span.get("text") or "")
        start = span.get("start")
        if isinstance(start, int) and evidence_text[start - base : span["end"] - base] == span_text:
            begin = start - base
        else:
            begin = evidence_text.find(span_text) if span_text and start is not None else -1
        if begin >= 0 and span_text:
            tag = f"{label} {span['type']}" if span.get("type") else label
            spans.append((begin, begin + len(span_text), role, tag))
    parts, cursor = [], 0
    for begin, end, role, tag in sorted(spans):
        if begin < cursor:  # overlapping spans: the first one wins, nesting marks would mislead
            continue
        parts.append(_e(evidence_text[cursor:begin]))
        parts.append(f'<mark class="{role}" data-label="{_e(tag)}">{_e(evidence_text[begin:end])}</mark>')
        cursor = end
    parts.append(_e(evidence_text[cursor:]))
    return "".join(parts)


def _argument_cell(argument: dict[str, Any]) -> str:
    name = argument.get("name") or argument.get("text") or ""
    kind = argument.get("type") or "unknown"
    return (
        f'<span class="arg {_e(kind)}">{_e(name)}</span>'
        f'<span class="id">{_e(argument.get("id") or "ungrounded")}</span>'
    )


def _mechanism_cell(mechanism: dict[str, Any] | None) -> str:
    """The mechanism under the predicate: "phosphorylation S473"; nothing when the text states none."""
    if not mechanism or not mechanism.get("type"):
        return ""
    site = f"{mechanism.get('residue') or ''}{mechanism.get('position') or ''}"
    return f'<span class="mechanism">{_e(mechanism["type"])}{" " + _e(site) if site else ""}</span>'


def _row(relation: dict[str, Any], document: Document) -> str:
    predicate = str(relation.get("predicate"))
    confidence = relation.get("confidence")
    flags = [flag for flag in ("negated", "hedged", "implicit") if relation.get(flag)]
    least = 0 if confidence is None else confidence  # no confidence passes only a zero minimum
    return (
        f'<tr data-predicate="{_e(predicate)}" data-confidence="{_e(least)}"'
        f' data-negated="{"true" if relation.get("negated") else "false"}">'
        f'<td class="id">{_e(relation.get("statement_id") or document.id)}</td>'
        f"<td>{_argument_cell(relation.get('subject') or {})}</td>"
        f'<td><span class="pred" style="border-color:{_colour(predicate)}">{_e(predicate)}</span>'
        f"{_mechanism_cell(relation.get('mechanism'))}</td>"
        f"<td>{_argument_cell(relation.get('object') or {})}</td>"
        f"<td>{' '.join(f'<span class=flag>{flag}</span>' for flag in flags)}</td>"
        f"<td>{'' if confidence is None else f'{float(confidence):.2f}'}</td>"
        f'<td class="evidence">{highlight_evidence(relation, document.text)}</td></tr>'
    )


# --- the network ------------------------------------------------------------------------------------


@dataclass
class _Node:
    id: str
    name: str
    type: str


@dataclass
class _Edge:
    subject: str
    predicate: str
    object: str
    count: int = 0
    negated: int = 0


class _Network:
    """Grounded nodes and relations aggregated per (subject, predicate, object), built as records stream.

    Distinct edges grow almost as fast as relations in a large job, so only the first ``max_edges`` are
    kept (a picture of 150 nodes draws far fewer); how connected a node is counts every relation.
    """

    def __init__(self, max_edges: int = MAX_EDGES) -> None:
        self.nodes: dict[str, _Node] = {}
        self.edges: dict[tuple[str, str, str], _Edge] = {}
        self.degree: Counter[str] = Counter()
        self.max_edges = max_edges
        self.unkept = 0
        self.relations = 0

    def add(self, relation: dict[str, Any]) -> None:
        subject, obj = relation.get("subject") or {}, relation.get("object") or {}
        if not subject.get("id") or not obj.get("id"):  # an ungrounded argument is no node to draw
            return
        for argument in (subject, obj):
            if argument["id"] not in self.nodes:
                name = str(argument.get("name") or argument.get("text") or argument["id"])
                self.nodes[argument["id"]] = _Node(argument["id"], name, str(argument.get("type")))
        self.degree.update((subject["id"], obj["id"]))
        self.relations += 1
        key = (subject["id"], str(relation.get("predicate")), obj["id"])
        edge = self.edges.get(key)
        if edge is None:
            if len(self.edges) >= self.max_edges:
                self.unkept += 1
                return
            edge = self.edges[key] = _Edge(*key)
        edge.count += 1
        edge.negated += bool(relation.get("negated"))


def _layout(count: int, pairs: list[tuple[int, int]], *, iterations: int = 150) -> list[tuple[float, float]]:
    """Fruchterman–Reingold (1991) in the unit square, seeded so the same data gives the same picture.

    A weak pull to the centre keeps disconnected components on the page (plain FR pushes them apart
    forever); the temperature cools linearly so the layout settles.
    """
    rng = random.Random(0)
    pos = [[rng.random(), rng.random()] for _ in range(count)]
    k = math.sqrt(1.0 / max(count, 1))
    temperature = 0.1
    for _ in range(iterations):
        disp = [[0.0, 0.0] for _ in range(count)]
        for i in range(count):
            xi, yi = pos[i]
            for j in range(i + 1, count):
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                force = k * k / max(dx * dx + dy * dy, 1e-9)  # repulsion k²/d, times the unit vector
                disp[i][0] += dx * force
                disp[i][1] += dy * force
                disp[j][0] -= dx * force
                disp[j][1] -= dy * force
        for i, j in pairs:
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            force = math.hypot(dx, dy) / k  # attraction d²/k, times the unit vector
            disp[i][0] -= dx * force
            disp[i][1] -= dy * force
            disp[j][0] += dx * force
            disp[j][1] += dy * force
        for i in range(count):
            disp[i][0] -= (pos[i][0] - 0.5) * GRAVITY * k
            disp[i][1] -= (pos[i][1] - 0.5) * GRAVITY * k
            length = math.hypot(*disp[i]) or 1e-9
            step = min(length, temperature) / length
            pos[i][0] += disp[i][0] * step
            pos[i][1] += disp[i][1] * step
        temperature = max(temperature - 0.1 / iterations, 0.002)
    return [(x, y) for x, y in pos]


def _markers() -> str:
    defs = []
    for predicate, colour in PREDICATE_COLOURS.items():
        if predicate in ARROW_PREDICATES:
            shape = f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/>'
            ref = 2.0  # the tip reaches past the line's end so a thick line never pokes out beside it
        elif predicate in BAR_PREDICATES:
            shape = f'<rect x="0" y="0" width="3" height="10" fill="{colour}"/>'
            ref = 1.5
        else:
            continue
        defs.append(
            f'<marker id="end-{predicate}" viewBox="0 0 10 10" refX="{ref}" refY="5" markerWidth="10"'
            f' markerHeight="10" markerUnits="userSpaceOnUse" orient="auto">{shape}</marker>'
        )
    return "<defs>" + "".join(defs) + "</defs>"


# Argument types drawn as regular polygons, by their number of corners.
POLYGON_CORNERS = {"function": 4, "component": 6, "family": 3}


def _node_shape(node: _Node, x: float, y: float, r: float) -> str:
    fill, stroke = NODE_STYLES.get(node.type, ("#e0e0e0", "#757575"))
    paint = f' fill="{fill}" stroke="{stroke}" stroke-width="1.5"'
    if node.type == "process":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" rx="3"{paint}/>'
        )
    corners = POLYGON_CORNERS.get(node.type)
    if corners:
        # a diamond, a hexagon or a triangle, its corners on the node's circle
        angles = [2 * math.pi * i / corners for i in range(corners)]
        points = " ".join(f"{x + r * math.sin(a):.1f},{y - r * math.cos(a):.1f}" for a in angles)
        return f'<polygon points="{points}"{paint}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"{paint}/>'


def _legend(x: float) -> str:
    rows = []
    y = 18
    for predicate, colour in PREDICATE_COLOURS.items():
        marker = (
            f' marker-end="url(#end-{predicate})"' if predicate in ARROW_PREDICATES | BAR_PREDICATES else ""
        )
        rows.append(
            f'<line x1="10" y1="{y}" x2="42" y2="{y}" stroke="{colour}" stroke-width="2"{marker}/>'
            f'<text x="54" y="{y + 4}">{_e(predicate)}</text>'
        )
        y += 20
    rows.append(
        f'<line x1="10" y1="{y}" x2="48" y2="{y}" stroke="#616161" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="54" y="{y + 4}">negated</text>'
    )
    for kind, (name, _) in TYPE_NAMES.items():
        y += 22
        rows.append(
            _node_shape(_Node("", "", kind), 26, y, 7) + f'<text x="54" y="{y + 4}">{_e(name)}</text>'
        )
    return (
        f'<g class="legend" transform="translate({x:.0f},10)" font-size="12">'
        f'<rect x="0" y="0" width="190" height="{y + 16}" fill="#ffffff" stroke="#d0d0d0"/>'
        + "".join(rows)
        + "</g>"
    )


def _network_svg(network: _Network, *, max_nodes: int, standalone: bool) -> tuple[str, str]:
    """The drawing and its caption. Nodes past ``max_nodes`` (the least connected) are left out."""
    degree = network.degree
    ranked = sorted(network.nodes.values(), key=lambda node: (-degree[node.id], node.id))
    shown = ranked[:max_nodes]
    index = {node.id: i for i, node in enumerate(shown)}
    edges = sorted(
        (edge for edge in network.edges.values() if edge.subject in index and edge.object in index),
        key=lambda edge: (edge.subject, edge.object, edge.predicate),
    )
    pairs = sorted({(index[e.subject], index[e.object]) for e in edges if e.subject != e.object})
    caption = f"{_node_counts(shown)} and {len(edges)} edges from {network.relations} grounded relations"
    if len(shown) < len(ranked):
        caption += f"; showing the {len(shown)} most connected of {len(ranked)} nodes"
    if network.unkept:
        caption += f"; edges drawn from the first {network.max_edges} distinct edges"

    side = max(360.0, min(1400.0, 110 * math.sqrt(len(shown) or 1)))
    # room for a centred 30-character label either side, a self-loop above the top node and a label
    # under the lowest
    margin_x, margin_y, legend_width = 95.0, 60.0, 210.0
    width, height = side * 1.3 + legend_width, side + (24 if len(shown) < len(ranked) else 0)
    raw = _layout(len(shown), pairs)
    xs, ys = [p[0] for p in raw] or [0.5], [p[1] for p in raw] or [0.5]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    plot_w, plot_h = side * 1.3 - 2 * margin_x, side - 2 * margin_y
    points = [
        (
            margin_x + (x - min(xs)) / span_x * plot_w if len(shown) > 1 else margin_x + plot_w / 2,
            margin_y + (y - min(ys)) / span_y * plot_h if len(shown) > 1 else margin_y + plot_h / 2,
        )
        for x, y in raw
    ]
    radius = [7 + min(9.0, 2 * math.log2(1 + degree[node.id])) for node in shown]

    # Edges between the same two nodes (REL regulates IL2 and REL positively_regulates IL2) bend apart;
    # the bend is measured from a canonical direction so A→B and B→A do not land on each other.
    parallel: dict[tuple[int, int], list[_Edge]] = {}
    for edge in edges:
        a, b = index[edge.subject], index[edge.object]
        parallel.setdefault((min(a, b), max(a, b)), []).append(edge)
    paths = []
    for group in parallel.values():
        for n, edge in enumerate(group):
            s, t = index[edge.subject], index[edge.object]
            bend = n - (len(group) - 1) / 2
            paths.append(_edge_path(edge, points[s], points[t], radius[s], radius[t], s > t, bend))

    nodes = []
    for node, (x, y), r in zip(shown, points, radius, strict=True):
        label = node.name if len(node.name) <= 30 else node.name[:29] + "…"
        nodes.append(
            f'<g class="node {_e(node.type)}" data-id="{_e(node.id)}"><title>{_e(node.name)} ({_e(node.id)})'
            f"</title>{_node_shape(node, x, y, r)}"
            f'<text x="{x:.1f}" y="{y + r + 12:.1f}" text-anchor="middle" paint-order="stroke"'
            f' stroke="#ffffff" stroke-width="3">{_e(label)}</text></g>'
        )
    body = (
        _markers()
        + '<rect width="100%" height="100%" fill="#ffffff"/>'
        + f'<g class="edges" fill="none">{"".join(paths)}</g>'
        + f'<g class="nodes" font-size="11">{"".join(nodes)}</g>'
        + _legend(side * 1.3 + 10)
    )
    if not shown:
        body += f'<text x="{margin_x}" y="{margin_y}" font-size="14">no grounded relations to draw</text>'
    if len(shown) < len(ranked):
        body += f'<text x="10" y="{height - 8:.0f}" font-size="12" fill="#555555">{_e(caption)}</text>'
    namespace = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    svg = (
        f'<svg{namespace} id="network-svg" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}"'
        f' height="{height:.0f}" font-family="sans-serif" role="img"><title>generx relation network</title>'
        f"<desc>{_e(caption)}</desc>{body}</svg>"
    )
    return svg, caption


def _node_counts(nodes: list[_Node]) -> str:
    """The drawn nodes counted by type: genes and processes always, molecular functions, cellular
    components and gene families when there are any."""
    found = Counter(node.type for node in nodes)
    parts = [
        f"{found[kind]} {plural}"
        for kind, (_, plural) in TYPE_NAMES.items()
        if kind in ("gene", "process") or found[kind]
    ]
    return ", ".join(parts)


def _edge_path(
    edge: _Edge,
    source: tuple[float, float],
    target: tuple[float, float],
    r_source: float,
    r_target: float,
    reverse: bool,
    bend: float,
) -> str:
    """One edge as a quadratic curve from node border to node border, ending where its marker sits."""
    colour = _colour(edge.predicate)
    end_gap = 9 if edge.predicate in ARROW_PREDICATES else 2.5 if edge.predicate in BAR_PREDICATES else 0.5
    (sx, sy), (tx, ty) = source, target
    if source == target:  # a self-loop: a small loop above the node
        d = (
            f"M{sx - r_source * 0.7:.1f},{sy - r_source * 0.7:.1f} C{sx - 40:.1f},{sy - 60:.1f}"
            f" {sx + 40:.1f},{sy - 60:.1f} {sx + r_source * 0.7:.1f},{sy - r_source * 0.7 - end_gap:.1f}"
        )
    else:
        dx, dy = tx - sx, ty - sy
        length = math.hypot(dx, dy) or 1e-9
        # bend from the perpendicular of the canonical direction (lower node index to higher), so a
        # reversed edge (B→A beside A→B) bends to the other side rather than onto it
        perp_x, perp_y = -dy / length, dx / length
        if reverse:
            perp_x, perp_y = -perp_x, -perp_y
        cx, cy = (sx + tx) / 2 + perp_x * bend * 36, (sy + ty) / 2 + perp_y * bend * 36
        ux, uy = _unit(cx - sx, cy - sy)
        vx, vy = _unit(cx - tx, cy - ty)
        start = (sx + ux * r_source, sy + uy * r_source)
        end = (tx + vx * (r_target + end_gap), ty + vy * (r_target + end_gap))
        d = f"M{start[0]:.1f},{start[1]:.1f} Q{cx:.1f},{cy:.1f} {end[0]:.1f},{end[1]:.1f}"
    marker = (
        f' marker-end="url(#end-{edge.predicate})"'
        if edge.predicate in ARROW_PREDICATES | BAR_PREDICATES
        else ""
    )
    dashed = ' stroke-dasharray="6 4"' if edge.negated == edge.count else ""
    width = 1.5 + min(4.0, math.log2(edge.count))
    note = f"{edge.subject} {edge.predicate} {edge.object}: {edge.count} relation(s), {edge.negated} negated"
    return (
        f'<path class="edge" data-predicate="{_e(edge.predicate)}" d="{d}" stroke="{colour}"'
        f' stroke-width="{width:.1f}"{dashed}{marker}><title>{_e(note)}</title></path>'
    )


def _unit(dx: float, dy: float) -> tuple[float, float]:
    length = math.hypot(dx, dy) or 1e-9
    return dx / length, dy / length


# --- the page ---------------------------------------------------------------------------------------

# One page, no external resource: system fonts, inline CSS and JS. The evidence marks follow displaCy's
# entity style (rounded coloured box, small bold label after the text); the label is CSS generated
# content so it never enters a row's text, which the filter box searches.
_PAGE = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table.summary { display: inline-table; vertical-align: top; margin-right: 2em; border-collapse: collapse; }
table.summary th { text-align: left; font-weight: 600; padding: 2px 1em 2px 0; }
.swatch { display: inline-block; width: .9em; height: .9em; margin-right: .4em; vertical-align: middle; }
figure { margin: 0; } figcaption { color: #555; font-size: .9em; }
#network-svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
.filters { display: flex; gap: 1em; flex-wrap: wrap; align-items: center; margin: .6em 0; }
#relations { border-collapse: collapse; width: 100%; }
#relations th, #relations td { border-bottom: 1px solid #e5e5e5; padding: 4px 6px; text-align: left;
  vertical-align: top; }
#relations th { background: #f5f5f5; position: sticky; top: 0; }
.id { display: block; color: #777; font-size: .85em; }
td.id { display: table-cell; }
.arg.gene { font-weight: 600; color: #0d47a1; } .arg.process { font-weight: 600; color: #8d6e00; }
.arg.function { font-weight: 600; color: #00695c; } .arg.component { font-weight: 600; color: #bf360c; }
.arg.family { font-weight: 600; color: #880e4f; }
.pred { border-left: 4px solid; padding-left: 4px; white-space: nowrap; }
.mechanism { display: block; color: #555; font-size: 90%; padding-left: 8px; }
.flag { background: #eee; border-radius: 3px; padding: 0 4px; font-size: .85em; }
.evidence { line-height: 2.3; min-width: 28em; }
mark { padding: .3em .45em; margin: 0 .2em; border-radius: .35em; line-height: 1; }
mark::after { content: attr(data-label); font-size: .7em; font-weight: bold; margin-left: .45em;
  text-transform: uppercase; vertical-align: middle; white-space: nowrap; }
mark.subject { background: #bbdefb; } mark.object { background: #ffe0b2; }
mark.trigger { background: #c8e6c9; }
.note { color: #b71c1c; }
</style></head>
<body>
<h1>$title</h1>
<section id="summary"><h2>Summary</h2>$summary</section>
<section id="network"><h2>Network</h2>
<figure id="network-figure">$network<figcaption>$caption</figcaption></figure></section>
<section><h2>Relations</h2>
<div class="filters">
<label>Filter <input id="filter-text" type="search" placeholder="gene, process, word, id…"></label>
<label>Predicate <select id="filter-predicate"><option value="">all</option>$options</select></label>
<label>Min. confidence
<input id="filter-confidence" type="number" min="0" max="1" step="0.05" value="0"></label>
<label><input id="filter-negated" type="checkbox"> hide negated</label>
<span id="row-count"></span></div>
$truncated
<table id="relations"><thead><tr><th>statement</th><th>subject</th><th>predicate</th><th>object</th>
<th>flags</th><th>confidence</th><th>evidence</th></tr></thead>
<tbody>
$rows
</tbody></table></section>
<script>
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("#relations tbody tr"));
  var text = document.getElementById("filter-text");
  var predicate = document.getElementById("filter-predicate");
  var confidence = document.getElementById("filter-confidence");
  var negated = document.getElementById("filter-negated");
  var haystacks = rows.map(function (row) { return row.textContent.toLowerCase(); });
  function apply() {
    var query = text.value.trim().toLowerCase(), wanted = predicate.value;
    var least = parseFloat(confidence.value) || 0, hideNegated = negated.checked, shown = 0;
    rows.forEach(function (row, i) {
      var keep = (!query || haystacks[i].indexOf(query) >= 0)
        && (!wanted || row.dataset.predicate === wanted)
        && parseFloat(row.dataset.confidence) >= least
        && !(hideNegated && row.dataset.negated === "true");
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    document.getElementById("row-count").textContent = shown + " of " + rows.length + " rows shown";
  }
  [text, predicate, confidence, negated].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
</script>
</body></html>
""")


def write_report(
    documents: Iterable[Document],
    out: BinaryIO,
    *,
    title: str,
    summary: dict[str, Any] | None = None,
    max_rows: int = MAX_ROWS,
    max_nodes: int = MAX_NODES,
) -> int:
    """Write the HTML report of the documents' relations; return how many rows the table holds.

    ``summary`` is what the caller knows beyond the records (job id, state, errors) and is shown first.
    The table keeps the first ``max_rows`` relations and says so when there are more; the summary and
    the network count every relation.
    """
    counts, network = _Counts(), _Network()
    rows: list[str] = []
    for document in documents:
        counts.statements += 1
        for relation in document.relations:
            counts.add(relation)
            network.add(relation)
            if len(rows) < max_rows:
                rows.append(_row(relation, document))
    svg, caption = _network_svg(network, max_nodes=max_nodes, standalone=False)
    truncated = ""
    if counts.relations > len(rows):
        truncated = (
            f'<p class="note" id="truncated">The table shows the first {len(rows)} of {counts.relations}'
            " relations; the summary and the network count all of them.</p>"
        )
    options = "".join(f'<option value="{_e(p)}">{_e(p)}</option>' for p in _ordered(counts.predicates))
    page = _PAGE.substitute(
        title=_e(title),
        summary=_summary_html(counts, summary),
        network=svg,
        caption=_e(caption),
        options=options,
        truncated=truncated,
        rows="\n".join(rows),
    )
    out.write(page.encode("utf-8"))
    return len(rows)


def write_network_svg(documents: Iterable[Document], out: BinaryIO, *, max_nodes: int = MAX_NODES) -> int:
    """Write the report's network picture as a standalone SVG file; return the relations drawn from.

    The count is of relations with both arguments grounded (the only ones a node can stand for),
    including those whose nodes fall past ``max_nodes``; the picture says when nodes were left out.
    """
    network = _Network()
    for document in documents:
        for relation in document.relations:
            network.add(relation)
    svg, _caption = _network_svg(network, max_nodes=max_nodes, standalone=True)
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n' + svg.encode("utf-8") + b"\n")
    return network.relations
