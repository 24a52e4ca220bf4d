"""The benchmark's worker-like loop: every contract through the pipeline, in one process.

    python benchmarks/stages.py BASE COUNT HTML_DIR MARK

Makes COUNT contracts (DOCX and PDF) the way a batch worker does, timing
each stage with the pipeline's own ``Timings``, and reads this process's
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

from generator.params import file_layer, set_layers
from generator.pipeline import Options, Timings, build, prepare, render
from generator.writers.html import render_html


def memory_kib() -> dict[str, int]:
    """Resident memory now (VmRSS) and at its highest so far (VmHWM), in KiB."""
    status = Path("/proc/self/status").read_text()
    return {key: int(value) for key, value in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M)}


def main(base: Path, count: int, html_dir: Path, mark: int) -> None:
    options = Options()
    timings = Timings()
    bases = [file_layer(base, "base")]
    sizes: dict[str, list[int]] = {"docx": [], "pdf": []}
    at_mark: dict[str, int] = {}
    for number, row in enumerate(client_rows(count), 1):
        with timings.stage("parameters"):
            layers = [*bases, *set_layers(assignments(row))]
        prepared = prepare(layers, options, timings)
        document = build(prepared, options, timings)
        outputs = render(document, ("docx", "pdf"), prepared.library.roots, timings)
        for fmt, data in outputs.items():
            sizes[fmt].append(len(data))
        (html_dir / f"{number:05d}.html").write_text(render_html(document), encoding="utf-8")
        if number == mark:
            at_mark = memory_kib()
    print(json.dumps({"seconds": timings.seconds, "sizes": sizes, "mark": at_mark, "last": memory_kib()}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
