"""The neighbourhood picture of an entity page: its edges, written as a Graphviz DOT graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from ingest.normalise import shorten

_COLOURS = {"project": "#dbeafe", "law": "#fde68a", "department": "#fecaca", "unit": "#fed7aa", "office": "#fed7aa",
            "concept": "#bbf7d0", "fund": "#e9d5ff", "budget": "#fbcfe8", "document": "#e5e7eb",
            "line": "#d1fae5", "more": "#ffffff"}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


class Picture(Protocol):
    """What a picture is drawn from (an :class:`~kg.browse.views.EntityView`)."""

    iri: str
    nodes: dict[str, tuple[str, str]]  # iri → (label, kind)
    edges: list[Edge]


def _dot_text(text: str, width: int = 12) -> str:
    """``text`` as the inside of a DOT quoted string: at most three lines of ``width`` characters.

    The text is cut first and each piece escaped after, so that a cut never splits an escape; line breaks
    and tabs read as spaces."""
    text = shorten(" ".join(text.split()), 3 * width)
    pieces = (text[i:i + width] for i in range(0, len(text), width))
    return "\\n".join(piece.replace("\\", "\\\\").replace('"', '\\"') for piece in pieces)


def neighbourhood_dot(view: Picture, url_for: Callable[[str], str] | None = None) -> str:
    """The nodes and edges of ``view`` as DOT, its own node outlined; ``url_for(iri)`` makes nodes links."""
    lines = ['digraph G {', '  graph [rankdir=LR, fontname="Noto Sans CJK SC", bgcolor="transparent"];',
             '  node [shape=box, style="rounded,filled", fontname="Noto Sans CJK SC", fontsize=11, fillcolor="#f3f4f6"];',
             '  edge [fontname="Noto Sans CJK SC", fontsize=9, color="#6b7280"];']
    ids = {iri: f"n{i}" for i, iri in enumerate(view.nodes)}
    for iri, (label, kind) in view.nodes.items():
        attrs = [f'label="{_dot_text(label)}"', f'fillcolor="{_COLOURS.get(kind, "#f3f4f6")}"']
        if iri == view.iri:
            attrs += ['penwidth=2.5', 'color="#b91c1c"']
        elif url_for is not None and kind != "more":
            attrs += [f'URL="{url_for(iri)}"', 'target="_self"']
        lines.append(f'  {ids[iri]} [{", ".join(attrs)}];')
    for e in dict.fromkeys(view.edges):
        lines.append(f'  {ids[e.source]} -> {ids[e.target]} [label="{_dot_text(e.label, 8)}"];')
    lines.append("}")
    return "\n".join(lines)
