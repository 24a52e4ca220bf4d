"""The service flowchart of the attachment, drawn by Graphviz from this contract's terms.

The chart is built from the parameters (which services apply, the time
limits, the clock) and follows clauses 2.2 and 2.3: the response limit
spans confirming the problem and telling the plan; the branches (remote,
on-site, return to factory) are how the plan is carried out, each ending in
the feedback.  Graphviz's ``dot`` lays it out and delivers the forms the
writers need: SVG (vector, real text, for the PDF and the DOCX) and a 300
dpi PNG (the DOCX's fallback).  Contracts that share these inputs share one
drawing.

``dot`` runs as a process per drawing.  Graphviz 2.43's library called in
this process (ctypes, libgvc) was 30 times cheaper for the SVG but not
reproducible: it orders clusters by the addresses of their name strings, so
the same chart drawn twice in one process came out in different bytes.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import lru_cache
from itertools import pairwise
from typing import Any

from ..errors import RenderError
from ..model import Figure
from ..params.schema import Agreement
from ..textfmt import duration

#: The body face: a third embedded face would cost every PDF another subsetting pass.
FONT = "Noto Serif CJK SC"
#: Print quality.  The DOCX's PNG is the fallback for readers of its SVG
#: that cannot draw SVG: Word before 2016, and LibreOffice 7.4 prints it.
PNG_DPI = 300
#: Grey levels of the PNG: black text and lines on white need few.
PNG_GREYS = 16
MAX_WIDTH_MM, MAX_HEIGHT_MM = 150.0, 215.0
#: Graphviz's natural size is small on an A4 page; enlarge up to this much.
MAX_ZOOM = 1.3
_PT_PER_MM = 72 / 25.4


def flowchart_source(agreement: Agreement, locale: dict[str, Any]) -> str:
    """The chart as Graphviz DOT: nodes for the steps that apply, each limit on its step."""
    labels = locale["flowchart"]
    limits = agreement.timeliness
    services = agreement.scope.services

    def limit(hours: int) -> str:
        return str(labels["limit"]).format(duration=duration(hours, limits.clock))

    channels = "、".join(locale["channels"][c.kind] for c in agreement.complaint_channels)
    response = limit(limits.response_hours)
    nodes = {
        "complaint": [labels["complaint"], f"（{channels}）"],
        "confirm": [labels["confirm"]],
        "plan": [labels["plan"]],
    }
    branches: list[list[str]] = []
    if "remote_support" in services:
        nodes["remote"] = [labels["remote"]]
        branches.append(["remote"])
    if "onsite_service" in services:
        nodes["onsite"] = [labels["onsite"], limit(limits.onsite_hours)]
        branches.append(["onsite"])
    if "factory_repair" in services:
        nodes["inspect"] = [labels["inspect"], limit(limits.inspection_hours)]
        nodes["repair"] = [labels["repair"]]
        nodes["return"] = [labels["return"], limit(limits.return_hours)]
        branches.append(["inspect", "repair", "return"])
    if not branches:
        # No service names how the plan is carried out: the step itself stands.
        nodes["execute"] = [labels["execute"]]
        branches.append(["execute"])
    feedback = [labels["feedback"]]
    if agreement.process.collect_opinion:
        feedback.append(labels["opinion"])
    nodes["feedback"] = feedback

    edges = [("complaint", "confirm"), ("confirm", "plan")]
    for branch in branches:
        edges.extend(pairwise(["plan", *branch, "feedback"]))

    def node(key: str) -> str:
        return f'    {key} [label="{_escape(chr(10).join(nodes[key]))}"];'

    lines = [
        "digraph service {",
        f'  graph [rankdir=TB, nodesep=0.35, ranksep=0.4, fontname="{FONT}", fontsize=12];',
        f'  node [shape=box, style="rounded", fontname="{FONT}", fontsize=12, margin="0.2,0.08"];',
        f'  edge [fontname="{FONT}", arrowsize=0.8];',
        node("complaint"),
        # 2.2(1): one limit for responding, confirming the problem and telling the plan.
        f'  subgraph cluster_response {{ label="{_escape(response)}"; labeljust=r; style="dashed,rounded";',
        node("confirm"),
        node("plan"),
        "  }",
    ]
    steps = [key for branch in branches for key in branch]
    if len(branches) == 1:
        # One way of carrying out the plan: its steps stand alone, no choice to frame.
        lines.extend(node(key) for key in steps)
    else:
        # Carrying out the plan is one of the alternatives, started side by side;
        # the frame's name sits in a bottom corner, clear of the arrows.
        execute = _escape(labels["execute"])
        lines.append(f'  subgraph cluster_execute {{ label="{execute}"; labelloc=b; labeljust=l;')
        lines.append('    style="rounded";')
        lines.extend(node(key) for key in steps)
        lines.append(f"    {{rank=same; {' '.join(branch[0] for branch in branches)}}}")
        lines.append("  }")
    lines.append(node("feedback"))
    lines.extend(f"  {a} -> {b};" for a, b in edges)
    lines.append("}")
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def build_figure(agreement: Agreement, locale: dict[str, Any]) -> Figure:
    """The flowchart of ``agreement`` as a model figure."""
    return _draw(flowchart_source(agreement, locale), locale["flowchart"]["description"])


@lru_cache(maxsize=64)
def _draw(source: str, description: str) -> Figure:
    svg = run_dot(source, "svg")
    png = _Background(lambda: draw_png(source, PNG_DPI))
    width_pt, height_pt = (float(v) for v in re.findall(rb'(?:width|height)="([\d.]+)pt"', svg)[:2])
    scale = min(MAX_ZOOM, MAX_WIDTH_MM * _PT_PER_MM / width_pt, MAX_HEIGHT_MM * _PT_PER_MM / height_pt)
    return Figure(
        svg=svg,
        raster=png,
        description=description,
        width_mm=round(width_pt * scale / _PT_PER_MM, 2),
        height_mm=round(height_pt * scale / _PT_PER_MM, 2),
    )


def draw_png(source: str, dpi: int) -> bytes:
    """The chart as a greyscale PNG at ``dpi``, on white."""
    return greyscale_png(run_dot(source, "png", dpi=dpi), dpi)


# A forked process (a batch worker) has none of this one's threads: it must
# not inherit drawings whose PNG is still being made by one.
os.register_at_fork(after_in_child=_draw.cache_clear)


class _Background:
    """A PNG drawn once, in a thread from ``start`` (or on first use); calls wait for it.

    Drawing it is Graphviz and Pillow working outside the interpreter lock,
    so it runs on another core while this process makes the PDF.
    """

    def __init__(self, work: Callable[[], bytes]) -> None:
        self._work = work
        self._result: Future[bytes] = Future()
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name="flowchart-png", daemon=True).start()

    def _run(self) -> None:
        try:
            self._result.set_result(self._work())
        except BaseException as error:
            self._result.set_exception(error)

    def __call__(self) -> bytes:
        self.start()
        return self._result.result()


def greyscale_png(png: bytes, dpi: int) -> bytes:
    """Graphviz's picture (drawn on white) in 16 greys, 4 bits a pixel.

    The chart is black on white, so nothing visible is lost, and the picture
    shrinks to less than half (at 300 dpi from about 150 KB to about 60 KB).
    """
    from PIL import Image

    step = 255 // (PNG_GREYS - 1)
    levels = Image.open(io.BytesIO(png)).convert("L").point(lambda v: (v + step // 2) // step)
    picture = Image.frombytes("P", levels.size, levels.tobytes())
    picture.putpalette([step * (i // 3) for i in range(3 * PNG_GREYS)])
    out = io.BytesIO()
    picture.save(out, "PNG", bits=4, dpi=(dpi, dpi))
    return out.getvalue()


def run_dot(source: str, fmt: str, dpi: int | None = None) -> bytes:
    """Run Graphviz's ``dot``; a missing Graphviz is a clear error, not a traceback.

    The SVG has no background (the page shows through); a raster is drawn on
    white, which spares decoding an alpha channel to flatten it (a fifth of
    the grey conversion's time).
    """
    dot = shutil.which("dot")
    if dot is None:
        raise RenderError(
            "Graphviz is not installed, so the flowchart cannot be drawn; "
            "install it with: apt-get install graphviz"
        )
    background = "transparent" if fmt == "svg" else "white"
    args = [dot, f"-T{fmt}", f"-Gbgcolor={background}"] + ([f"-Gdpi={dpi}"] if dpi is not None else [])
    result = subprocess.run(args, input=source.encode(), capture_output=True, check=False)
    if result.returncode != 0:
        raise RenderError(f"Graphviz failed: {result.stderr.decode(errors='replace')[:200]}")
    return result.stdout
