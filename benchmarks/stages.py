"""The benchmark's worker-like loop: every contract through the pipeline, in one process.

    python benchmarks/stages.py BASE SCENARIO COUNT HTML_DIR MARK

Makes COUNT contracts of the SCENARIO's rows (DOCX and PDF) the way a batch
worker does, timing each stage with the pipeline's own ``Timings``.  The
flowchart's PNG, which ``render`` draws in the background while the PDF is
made, is drawn in the foreground here, so that its cost is a stage of its
own ("flowchart png").  It reads this process's
memory from ``/proc/self/status`` after contract MARK and after the last.
Writes each contract's standalone HTML into HTML_DIR (untimed: it is the
reference's input) and prints one JSON object for ``run.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from clients import assignments, client_rows

from generator.model import Attachment
from generator.params import file_layer, set_layers
from generator.pipeline import Options, Timings, build, prepare, render
from generator.writers.html import render_html


def memory_kib() -> dict[str, int]:
    """Resident memory now (VmRSS) and at its highest so far (VmHWM), in KiB."""
    status = Path("/proc/self/status").read_text()
    return {key: int(value) for key, value in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M)}


def main(base: Path, scenario: str, count: int, html_dir: Path, mark: int) -> None:
    options = Options()
    timings = Timings()
    bases = [file_layer(base, "base")]
    sizes: dict[str, list[int]] = {"docx": [], "pdf": []}
    at_mark: dict[str, int] = {}
    for number, row in enumerate(client_rows(count, scenario), 1):
        with timings.stage("parameters"):
            layers = [*bases, *set_layers(assignments(row))]
        prepared = prepare(layers, options, timings)
        document = build(prepared, options, timings)
        with timings.stage("flowchart png"):
            for block in document.blocks:
                if isinstance(block, Attachment):
                    block.figure.png  # noqa: B018 (drawn now, and kept for the DOCX)
        outputs = render(document, ("docx", "pdf"), prepared.library.roots, timings)
        for fmt, data in outputs.items():
            sizes[fmt].append(len(data))
        (html_dir / f"{number:05d}.html").write_text(render_html(document), encoding="utf-8")
        if number == mark:
            at_mark = memory_kib()
    print(
        json.dumps(
            {
                "seconds": timings.seconds,
                "sizes": sizes,
                "mark": at_mark,
                "mark_number": mark,
                "last": memory_kib(),
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5]))
