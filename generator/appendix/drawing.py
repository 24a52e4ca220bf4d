"""Drawing a chart with Graphviz: once per shape, then only the limits per contract.

When every client has limits of its own, every contract has a chart of its
own, and drawing one (a ``dot`` process for the SVG, another for the 300 dpi
PNG, the PNG's grey conversion) cost about 150 ms of CPU: more than the rest
of the contract's DOCX and PDF together (benchmarks/README.md).  But a chart's
layout depends on its steps and the widths of its labels, not on the digits
of its limits.  So a ``ShapeLayout`` lays out a shape once, with every limit
at its widest (all nines, the widest figure of the font) and each node that
holds a limit set to that width, and then:

- the SVG of a contract is the shape's SVG with the limits' text put in
  their places: the same bytes as a fresh layout of the same nodes, whose
  texts are centred in nodes of the same size, but for the response limit
  (a frame's label, which Graphviz right-aligns and this centres where the
  widest label was: at most a point apart; tests/test_flowchart.py);
- the PNG is the shape drawn once with its limits blank (a space: every
  line keeps its place), and each contract's limits written into it by
  FreeType (Pillow) in the same face and size, where Graphviz writes them
  (through cairo and FreeType).
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from functools import cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ..errors import RenderError

if TYPE_CHECKING:
    from PIL import Image, ImageFont

#: Grey levels of the PNG: black text and lines on white need few.
PNG_GREYS = 16

#: Graphviz's margin of a frame around its nodes (points), and the gap kept
#: between the response limit and the arrow down the frame's middle.
_CLUSTER_MARGIN, _ARROW_GAP = 8, 6

_freetype = threading.Lock()

Source = Callable[[Mapping[str, str], Mapping[str, float]], str]


class ShapeLayout:
    """One shape laid out once; its SVG and PNG for any limits.

    ``source(limits, widths)`` is the shape as DOT; ``placeholders`` the
    widest label of each limit slot (a node's key, or ``response`` for the
    frame labelled with the response limit); ``font`` the labels' family
    and size (points); ``dpi`` the PNG's resolution.
    """

    def __init__(
        self, source: Source, placeholders: Mapping[str, str], font: tuple[str, float], dpi: int
    ) -> None:
        self._source, self._placeholders, self._dpi = source, dict(placeholders), dpi
        self._font = _font(font[0], round(font[1] * dpi / 72))
        probe = run_dot(source(placeholders, {}), "svg").decode()
        nodes = [key for key in placeholders if key != "response"]
        #: The set width of each node that holds a limit, in points (its widest
        #: label's), and the response frame's margin ("response") when its
        #: label would otherwise reach the arrow down its middle.
        self.widths = {key: math.ceil(_extent(_group(probe, key))[0] * 2) / 2 for key in nodes}
        if "response" in placeholders:
            overlap = self._overlap(probe, placeholders["response"])
            if overlap > 0:
                self.widths["response"] = _CLUSTER_MARGIN + math.ceil(overlap)
        template = run_dot(self.source(placeholders), "svg").decode()
        self._pieces: list[str] = []
        self._slots: list[str] = []
        self._anchors: dict[str, tuple[float, float]] = {}
        rest = template
        for key, placeholder in sorted(placeholders.items(), key=lambda item: _slot_at(template, item)):
            start, end, x, y = _text(rest, _title(key), escape(placeholder))
            self._pieces.append(rest[:start])
            self._slots.append(key)
            self._anchors[key] = (x, y)
            rest = rest[end:]
        self._pieces.append(rest)
        origin = re.search(r"translate\(([\d.]+) ([\d.]+)\)", template)
        if origin is None:
            raise RenderError("Graphviz drew the flowchart without its usual origin")
        self._origin = (float(origin.group(1)), float(origin.group(2)))
        self._base: Future[Image.Image] | None = None
        self._lock = threading.Lock()

    def _overlap(self, probe: str, label: str) -> float:
        """How far (points) the frame's label, right-aligned, reaches past the frame's middle plus a gap."""
        left, _, right, _ = _bounds(_group(probe, "response"))
        _, _, x, _ = _text(probe, _title("response"), escape(label))
        with _freetype:
            width = self._font.getlength(label) * 72 / self._dpi
        return (left + right) / 2 + _ARROW_GAP - (x - width / 2)

    @property
    def blank(self) -> dict[str, str]:
        """Limits of one space each: a drawing with every line in its place and no limit written."""
        return dict.fromkeys(self._placeholders, " ")

    def source(self, limits: Mapping[str, str]) -> str:
        """The DOT of a fresh layout with these limits (same nodes, same widths)."""
        return self._source(limits, self.widths)

    def svg(self, limits: Mapping[str, str]) -> bytes:
        """The shape's SVG with ``limits`` in their places."""
        texts = [escape(limits[key]) for key in self._slots]
        pieces = [piece for pair in zip(self._pieces, [*texts, ""], strict=True) for piece in pair]
        return "".join(pieces).encode()

    def png(self, limits: Mapping[str, str]) -> bytes:
        """The shape's picture with ``limits`` drawn in their places: greys on white, 4 bits a pixel."""
        from PIL import ImageDraw

        picture = self._picture().copy()
        draw = ImageDraw.Draw(picture)
        with _freetype:  # one FreeType face, not to be used by two threads at once
            for key, (x, y) in self._anchors.items():
                draw.text(self._pixel(x, y), limits[key], font=self._font, fill=0, anchor="ms")
        return greys_png(picture, self._dpi)

    def _picture(self) -> Image.Image:
        """The shape drawn by Graphviz in greys, its limits blank (drawn once)."""
        with self._lock:
            if self._base is None:
                self._base = Future()
                try:
                    self._base.set_result(self._draw_base())
                except BaseException as error:
                    self._base.set_exception(error)
        return self._base.result()

    def _draw_base(self) -> Image.Image:
        from PIL import Image

        png = run_dot(self.source(self.blank), "png", self._dpi)
        return Image.open(io.BytesIO(png)).convert("L")

    def _pixels(self, points: float) -> float:
        return points * self._dpi / 72

    def _pixel(self, x: float, y: float) -> tuple[float, float]:
        return self._pixels(x + self._origin[0]), self._pixels(y + self._origin[1])


def _title(key: str) -> str:
    return "cluster_response" if key == "response" else key


def _group(svg: str, key: str) -> str:
    """The SVG group of the node (or frame) ``key``."""
    match = re.search(
        rf'class="(?:node|cluster)">\s*<title>{re.escape(_title(key))}</title>(.*?)</g>', svg, re.S
    )
    if match is None:
        raise RenderError(f"Graphviz drew no '{key}' in the flowchart")
    return match.group(1)


def _slot_at(svg: str, item: tuple[str, str]) -> int:
    return svg.index(f"<title>{_title(item[0])}</title>")


def _bounds(group: str) -> tuple[float, float, float, float]:
    """Left, top, right, bottom of the outline drawn in an SVG group."""
    outline = re.search(r'(?:points|d)="([^"]*)"', group)
    if outline is None:
        raise RenderError("Graphviz drew a flowchart step without its outline")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", outline.group(1))]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _extent(group: str) -> tuple[float, float]:
    """Width and height of the outline drawn in an SVG group."""
    left, top, right, bottom = _bounds(group)
    return right - left, bottom - top


def _text(svg: str, title: str, text: str) -> tuple[int, int, float, float]:
    """Where ``text`` is, in the group titled ``title``: its span in ``svg`` and its anchor (x, y)."""
    group = svg.index(f"<title>{title}</title>")
    match = re.compile(
        rf'<text text-anchor="middle" x="([-\d.]+)" y="([-\d.]+)"[^>]*>({re.escape(text)})</text>'
    )
    found = match.search(svg, group)
    if found is None or found.start() > svg.find("</g>", group):
        raise RenderError(f"Graphviz drew no '{text}' in the flowchart's '{title}'")
    return found.start(3), found.end(3), float(found.group(1)), float(found.group(2))


@cache
def _font(family: str, pixels: int) -> ImageFont.FreeTypeFont:
    """``family`` as FreeType draws it, found by fontconfig as Graphviz (pango) finds it."""
    from PIL import ImageFont

    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise RenderError("fontconfig's fc-match is missing; install it with: apt-get install fontconfig")
    found = subprocess.run(
        [fc_match, "--format=%{file}\n%{index}", family], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return ImageFont.truetype(found[0], size=pixels, index=int(found[1] or 0))


def greys_png(picture: Image.Image, dpi: int) -> bytes:
    """A greyscale picture in 16 greys, 4 bits a pixel.

    The chart is black on white, so nothing visible is lost, and the picture
    shrinks to less than half (at 300 dpi from about 150 KB to about 60 KB).
    """
    from PIL import Image

    step = 255 // (PNG_GREYS - 1)
    levels = picture.point(lambda v: (v + step // 2) // step)
    paletted = Image.frombytes("P", levels.size, levels.tobytes())
    paletted.putpalette([step * (i // 3) for i in range(3 * PNG_GREYS)])
    out = io.BytesIO()
    paletted.save(out, "PNG", bits=4, dpi=(dpi, dpi))
    return out.getvalue()


class Background:
    """Bytes made once, in a thread from ``start`` (or on first use); calls wait for them.

    Drawing the PNG is mostly Pillow and zlib working outside the interpreter
    lock, so it runs on another core while this process makes the PDF.
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


def run_dot(source: str, fmt: str, dpi: int | None = None) -> bytes:
    """Run Graphviz's ``dot``; a missing Graphviz is a clear error, not a traceback.

    The SVG has no background (the page shows through); a raster is drawn on
    white, which spares decoding an alpha channel to flatten it.
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
