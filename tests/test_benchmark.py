"""The benchmark script keeps working: a run on a handful of contracts prints every line.

Only the report's shape is checked, never a timing: the benchmark reports,
the tests check correctness.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT

#: Every measurement of a scenario, by the label it is printed under (once per scenario).
LINES = (
    "agreement batch -j 1",
    "agreement batch -j 2",
    "bare WeasyPrint, 1 process",
    "bare WeasyPrint, 2 processes",
    "overhead -j 1: batch ÷ bare WeasyPrint",
    "overhead -j 2: batch ÷ bare WeasyPrint",
    "bare WeasyPrint + compact fonts, -j 2",
    "overhead -j 2 ÷ that (no font gain)",
    "parameters",
    "clauses",
    "model (the rest)",
    "flowchart: layout + SVG",
    "flowchart: PNG for the DOCX",
    "4 rows, -j 2: batch ÷ bare WeasyPrint",
    "docx",
    "html",
    "pdf layout",
    "pdf write",
    "total",
    "peak, worker-like loop",
    "growth, contract 2 → 4",
    "peak, largest process of batch -j 2",
    "PDF",
    "DOCX",
)
#: Measured once per run, after the scenarios.
ONCE = (
    "agreement generate (DOCX + PDF)",
    "agreement validate",
    "agreement --help",
    "SQLite: error rate",
    "SQLite: latency p95",
    "PostgreSQL: error rate",
    "PostgreSQL: latency p95",
    "preview (HTML), server time p95 of 30",
    "PDF, warm server, one at a time",
    "16 PDFs at once",
    "/healthz meanwhile, slowest",
    "preview meanwhile, slowest",
)


def test_benchmark_prints_every_measurement() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--count", "4", "--repeats", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    # Both scenarios print every figure of their own, under their own heading.
    sections = re.split(r"^=== (.+) ===$", result.stdout, flags=re.M)
    headings = sections[1::2]
    assert headings == [
        "four standard offers: 4 rows, 4 distinct flowcharts",
        "every row its own limits: 4 rows, 4 distinct flowcharts",
    ], result.stdout
    for heading, text in zip(headings, sections[2::2], strict=True):
        lines = [line.strip() for line in text.splitlines()]
        for label in LINES:
            matching = [line for line in lines if re.match(rf"{re.escape(label)}\s{{2,}}\S", line)]
            assert len(matching) == 1, f"{heading}: no line for {label!r} in:\n{text}"
    for label in ONCE:
        assert re.search(rf"^  {re.escape(label)}\s{{2,}}\S", result.stdout, re.M), label
    assert "contracts: 4 generated client rows per scenario" in result.stdout
    assert "median of 1" in result.stdout
    targets = [line for line in result.stdout.splitlines() if line.endswith(("PASS", "MISS"))]
    # Seven targets per scenario; generate, validate, --help; the store's two error rates;
    # the web server's five.
    assert len(targets) == 2 * 7 + 3 + 2 + 5, result.stdout
