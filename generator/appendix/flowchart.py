"""The service flowchart of the attachment, drawn by Graphviz from this contract's terms.

The chart is built from the parameters (which services apply, the time
limits, the clock), laid out by ``dot`` and delivered in both forms the
writers need: SVG (vector, real text in the PDF) and a 300 dpi PNG (python-
docx embeds no SVG).  Contracts that share these inputs share one drawing:
a batch draws each distinct chart once per process.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from functools import lru_cache
from itertools import pairwise
from typing import Any

from ..errors import RenderError
from ..model import Figure
from ..params.schema import Agreement
from ..textfmt import FORMATS

#: The body face: a third embedded face would cost every PDF another subsetting pass.
FONT = "Noto Serif CJK SC"
PNG_DPI = 300
#: Grey levels of the DOCX picture: black text and lines on white need few.
PNG_GREYS = 16
MAX_WIDTH_MM, MAX_HEIGHT_MM = 150.0, 215.0
#: Graphviz's natural size is small on an A4 page; enlarge up to this much.
MAX_ZOOM = 1.3
_PT_PER_MM = 72 / 25.4


#: A language and its locale (``clauses/<language>/locale.yaml``): where the chart's words come from.
Labels = tuple[str, dict[str, Any]]


def flowchart_source(agreement: Agreement, languages: Sequence[Labels]) -> str:
    """The chart as Graphviz DOT: nodes for the steps that apply, each limit on its step.

    Each node's text is given in every language of ``languages``, one after the other
    (a bilingual contract's chart carries both).
    """
    limits = agreement.timeliness
    services = agreement.scope.services
    steps: dict[str, list[str]] = {}

    def node(key: str, label: str, hours: int | None = None) -> None:
        lines = steps.setdefault(key, [])
        for language, locale in languages:
            labels = locale["flowchart"]
            lines.append(labels[label])
            if hours is not None:
                lines.append(
                    str(labels["limit"]).format(duration=FORMATS[language].duration(hours, limits.clock))
                )

    node("complaint", "complaint")
    for _, locale in languages:
        names = locale["flowchart"]["channel_separator"].join(
            locale["channels"][c.kind] for c in agreement.complaint_channels
        )
        steps["complaint"].append(locale["flowchart"]["channels"].format(channels=names))
    node("confirm", "confirm", limits.response_hours)
    node("plan", "plan")
    branches: list[list[str]] = []
    if "remote_support" in services:
        node("remote", "remote")
        branches.append(["remote"])
    if "onsite_service" in services:
        node("onsite", "onsite", limits.onsite_hours)
        branches.append(["onsite"])
    if "factory_repair" in services:
        node("inspect", "inspect", limits.inspection_hours)
        node("repair", "repair")
        node("return", "return", limits.return_hours)
        branches.append(["inspect", "repair", "return"])
    node("execute", "execute")
    for _, locale in languages:
        steps.setdefault("feedback", []).append(locale["flowchart"]["feedback"])
        if agreement.process.collect_opinion:
            steps["feedback"].append(locale["flowchart"]["opinion"])
    nodes = steps

    edges = [("complaint", "confirm"), ("confirm", "plan")]
    heads = " ".join(branch[0] for branch in branches)
    for branch in branches or [[]]:
        chain = ["plan", *branch, "execute"]
        edges.extend(pairwise(chain))
    edges.append(("execute", "feedback"))

    lines = [
        "digraph service {",
        f'  graph [rankdir=TB, nodesep=0.35, ranksep=0.4, bgcolor=transparent, fontname="{FONT}"];',
        f'  node [shape=box, style="rounded", fontname="{FONT}", fontsize=12, margin="0.2,0.08"];',
        f'  edge [fontname="{FONT}", arrowsize=0.8];',
    ]
    for key, text in nodes.items():
        lines.append(f'  {key} [label="{_escape(chr(10).join(text))}"];')
    if heads:
        # The alternatives start side by side, so the branch reads as a choice.
        lines.append(f"  {{rank=same; {heads}}}")
    lines.extend(f"  {a} -> {b};" for a, b in edges)
    lines.append("}")
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def build_figure(agreement: Agreement, languages: Sequence[Labels]) -> Figure:
    """The flowchart of ``agreement`` as a model figure, labelled in each of ``languages``."""
    description = " / ".join(locale["flowchart"]["description"] for _, locale in languages)
    return _draw(flowchart_source(agreement, languages), description)


@lru_cache(maxsize=64)
def _draw(source: str, description: str) -> Figure:
    svg = run_dot(source, "svg")
    png = _Background(lambda: greyscale_png(run_dot(source, "png")))
    width_pt, height_pt = (float(v) for v in re.findall(rb'(?:width|height)="([\d.]+)pt"', svg)[:2])
    scale = min(MAX_ZOOM, MAX_WIDTH_MM * _PT_PER_MM / width_pt, MAX_HEIGHT_MM * _PT_PER_MM / height_pt)
    return Figure(
        svg=svg,
        raster=png,
        description=description,
        width_mm=round(width_pt * scale / _PT_PER_MM, 2),
        height_mm=round(height_pt * scale / _PT_PER_MM, 2),
    )


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


def greyscale_png(png: bytes) -> bytes:
    """Graphviz's RGBA picture on white, in 16 greys (4 bits a pixel).

    The chart is black on white, so nothing visible is lost, and the picture
    (most of the DOCX's size) shrinks from about 150 KB to about 60 KB.
    """
    from PIL import Image

    rgba = Image.open(io.BytesIO(png)).convert("RGBA")
    page = Image.new("RGBA", rgba.size, "white")
    page.alpha_composite(rgba)
    step = 255 // (PNG_GREYS - 1)
    levels = page.convert("L").point(lambda v: (v + step // 2) // step)
    picture = Image.frombytes("P", levels.size, levels.tobytes())
    picture.putpalette([step * (i // 3) for i in range(3 * PNG_GREYS)])
    out = io.BytesIO()
    picture.save(out, "PNG", bits=4, dpi=(PNG_DPI, PNG_DPI))
    return out.getvalue()


def run_dot(source: str, fmt: str) -> bytes:
    """Run Graphviz's ``dot``; a missing Graphviz is a clear error, not a traceback."""
    dot = shutil.which("dot")
    if dot is None:
        raise RenderError(
            "Graphviz is not installed, so the flowchart cannot be drawn; "
            "install it with: apt-get install graphviz"
        )
    args = [dot, f"-T{fmt}"] + ([f"-Gdpi={PNG_DPI}"] if fmt == "png" else [])
    result = subprocess.run(args, input=source.encode(), capture_output=True, check=False)
    if result.returncode != 0:
        raise RenderError(f"Graphviz failed: {result.stderr.decode(errors='replace')[:200]}")
    return result.stdout
