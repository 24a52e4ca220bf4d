"""The service flowchart of the attachment, drawn by Graphviz from this contract's terms.

The chart is built from the parameters (which services apply, the time
limits, the clock) and follows clauses 2.2 and 2.3: the response limit
spans confirming the problem and telling the plan; the branches (remote,
on-site, return to factory) are how the plan is carried out, each ending in
the feedback.  It comes in the forms the writers need: SVG (vector, real
text, for the PDF and the DOCX) and a 300 dpi PNG (the DOCX's fallback).

A chart is laid out once per shape (``drawing.ShapeLayout``): contracts
whose limits differ only in their digits share the layout, and each gets
its limits set into the drawing.

Graphviz runs as a ``dot`` process.  Graphviz 2.43's library called in this
process (ctypes, libgvc) was cheaper but not reproducible: it orders
clusters by the addresses of their name strings, so the same chart drawn
twice in one process came out in different bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from ..model import Figure
from ..params.schema import Agreement
from ..textfmt import FORMATS
from .drawing import Background, ShapeLayout

#: The body face: a third embedded face would cost every PDF another subsetting pass.
FONT = "Noto Serif CJK SC"
FONT_SIZE = 12
#: Print quality.  The DOCX's PNG is the fallback for readers of its SVG
#: that cannot draw SVG: Word before 2016, and LibreOffice 7.4 prints it.
PNG_DPI = 300
MAX_WIDTH_MM, MAX_HEIGHT_MM = 150.0, 215.0
#: Graphviz's natural size is small on an A4 page; enlarge up to this much.
MAX_ZOOM = 1.3
_PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Shape:
    """Everything of a chart but the digits of its limits: what a layout depends on.

    ``slots`` name the limits (``response``: the frame around confirming and
    planning; the others: the last line of that node) with a placeholder of
    the same form and number of digits, all nines, the widest figure of the
    font: the shape is laid out once for the widest labels it can hold.
    """

    nodes: tuple[tuple[str, tuple[str, ...]], ...]
    branches: tuple[tuple[str, ...], ...]
    slots: tuple[tuple[str, str], ...]
    execute: str


#: A language and its locale (``clauses/<language>/locale.yaml``): where the chart's words come from.
Labels = tuple[str, dict[str, Any]]


def chart(agreement: Agreement, languages: Sequence[Labels]) -> tuple[Shape, dict[str, str]]:
    """The chart of ``agreement``: its shape, and the label of each limit (by slot).

    Every label is given in each of ``languages`` in turn (a bilingual contract's chart has both).
    """
    limits = agreement.timeliness
    services = agreement.scope.services

    def each(*keys: str) -> tuple[str, ...]:
        return tuple(locale["flowchart"][key] for _, locale in languages for key in keys)

    def limit(hours: int) -> str:
        return " / ".join(
            str(locale["flowchart"]["limit"]).format(duration=FORMATS[language].duration(hours, limits.clock))
            for language, locale in languages
        )

    channels = tuple(
        locale["flowchart"]["channels"].format(
            channels=locale["flowchart"]["channel_separator"].join(
                locale["channels"][c.kind] for c in agreement.complaint_channels
            )
        )
        for _, locale in languages
    )
    nodes = {
        "complaint": (*each("complaint"), *channels),
        "confirm": each("confirm"),
        "plan": each("plan"),
    }
    hours = {"response": limits.response_hours}
    branches: list[tuple[str, ...]] = []
    if "remote_support" in services:
        nodes["remote"] = each("remote")
        branches.append(("remote",))
    if "onsite_service" in services:
        nodes["onsite"] = each("onsite")
        hours["onsite"] = limits.onsite_hours
        branches.append(("onsite",))
    if "factory_repair" in services:
        nodes["inspect"] = each("inspect")
        nodes["repair"] = each("repair")
        nodes["return"] = each("return")
        hours["inspect"], hours["return"] = limits.inspection_hours, limits.return_hours
        branches.append(("inspect", "repair", "return"))
    if not branches:
        # No service names how the plan is carried out: the step itself stands.
        nodes["execute"] = each("execute")
        branches.append(("execute",))
    nodes["feedback"] = each("feedback", "opinion") if agreement.process.collect_opinion else each("feedback")
    slots = tuple((slot, limit(10 ** len(str(value)) - 1)) for slot, value in hours.items())
    shape = Shape(tuple(nodes.items()), tuple(branches), slots, " / ".join(each("execute")))
    return shape, {slot: limit(value) for slot, value in hours.items()}


def dot_source(shape: Shape, limits: Mapping[str, str], widths: Mapping[str, float]) -> str:
    """The chart as Graphviz DOT, with ``limits`` in its slots and the nodes at least ``widths`` wide.

    A node of a set width (the width of its widest label) has the same size
    and place whatever the digits of its limit, and its text is centred.
    ``widths["response"]``, if given, is the response frame's margin.
    """
    nodes = dict(shape.nodes)
    edges = [("complaint", "confirm"), ("confirm", "plan")]
    for branch in shape.branches:
        edges.extend(pairwise(["plan", *branch, "feedback"]))

    def node(key: str) -> str:
        lines = (*nodes[key], limits[key]) if key in limits else nodes[key]
        width = f"width={widths[key] / 72:.4f}, " if key in widths else ""
        return f'    {key} [{width}label="{_escape(chr(10).join(lines))}"];'

    margin = f" margin={widths['response']:.0f};" if "response" in widths else ""
    lines = [
        "digraph service {",
        f'  graph [rankdir=TB, nodesep=0.35, ranksep=0.4, fontname="{FONT}", fontsize={FONT_SIZE}];',
        f'  node [shape=box, style="rounded", fontname="{FONT}", fontsize={FONT_SIZE}, margin="0.2,0.08"];',
        f'  edge [fontname="{FONT}", arrowsize=0.8];',
        node("complaint"),
        # 2.2(1): one limit for responding, confirming the problem and telling the plan.
        f'  subgraph cluster_response {{ label="{_escape(limits["response"])}"; labeljust=r;{margin}',
        '    style="dashed,rounded";',
        node("confirm"),
        node("plan"),
        "  }",
    ]
    steps = [key for branch in shape.branches for key in branch]
    if len(shape.branches) == 1:
        # One way of carrying out the plan: its steps stand alone, no choice to frame.
        lines.extend(node(key) for key in steps)
    else:
        # Carrying out the plan is one of the alternatives, started side by side;
        # the frame's name sits in a bottom corner, clear of the arrows.
        lines.append(
            f'  subgraph cluster_execute {{ label="{_escape(shape.execute)}"; labelloc=b; labeljust=l;'
        )
        lines.append('    style="rounded";')
        lines.extend(node(key) for key in steps)
        lines.append(f"    {{rank=same; {' '.join(branch[0] for branch in shape.branches)}}}")
        lines.append("  }")
    lines.append(node("feedback"))
    lines.extend(f"  {a} -> {b};" for a, b in edges)
    lines.append("}")
    return "\n".join(lines)


def flowchart_source(agreement: Agreement, languages: Sequence[Labels]) -> str:
    """The chart of ``agreement`` as DOT, as its shape's layout draws it (a fresh drawing of the same)."""
    shape, limits = chart(agreement, languages)
    return dot_source(shape, limits, layout(shape).widths)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def build_figure(agreement: Agreement, languages: Sequence[Labels]) -> Figure:
    """The flowchart of ``agreement`` as a model figure, labelled in each of ``languages``."""
    shape, limits = chart(agreement, languages)
    description = " / ".join(locale["flowchart"]["description"] for _, locale in languages)
    return _draw(shape, tuple(limits.items()), description)


@lru_cache(maxsize=8)
def layout(shape: Shape) -> ShapeLayout:
    """The shape laid out once per process (a batch has a few shapes, however many limits).

    Each holds its 300 dpi picture, 3–4 MB: eight at most.
    """

    def source(limits: Mapping[str, str], widths: Mapping[str, float]) -> str:
        return dot_source(shape, limits, widths)

    return ShapeLayout(source, dict(shape.slots), (FONT, FONT_SIZE), PNG_DPI)


@lru_cache(maxsize=64)
def _draw(shape: Shape, limits: tuple[tuple[str, str], ...], description: str) -> Figure:
    drawing = layout(shape)
    svg = drawing.svg(dict(limits))
    png = Background(lambda: drawing.png(dict(limits)))
    width_pt, height_pt = (float(v) for v in re.findall(rb'(?:width|height)="([\d.]+)pt"', svg)[:2])
    scale = min(MAX_ZOOM, MAX_WIDTH_MM * _PT_PER_MM / width_pt, MAX_HEIGHT_MM * _PT_PER_MM / height_pt)
    return Figure(
        svg=svg,
        raster=png,
        description=description,
        width_mm=round(width_pt * scale / _PT_PER_MM, 2),
        height_mm=round(height_pt * scale / _PT_PER_MM, 2),
    )


def _after_fork_in_child() -> None:
    # A forked process (a batch worker) has none of this one's threads: it must
    # not inherit drawings whose PNG is still being made by one.
    _draw.cache_clear()
    layout.cache_clear()


os.register_at_fork(after_in_child=_after_fork_in_child)
