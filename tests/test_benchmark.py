"""The benchmark script keeps working: a run on a handful of contracts prints every line.

Only the report's shape is checked, never a timing: the benchmark reports,
the tests check correctness.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT

#: Every measurement the issue asks for, by the label it is printed under.
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
    "flowchart",
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
    lines = {line.strip() for line in result.stdout.splitlines()}
    for label in LINES:
        matching = [line for line in lines if re.match(rf"{re.escape(label)}\s{{2,}}\S", line)]
        assert matching, f"no line for {label!r} in:\n{result.stdout}"
    assert "contracts: 4 generated client rows" in result.stdout
    assert "median of 1" in result.stdout
    targets = [line for line in lines if line.endswith(("PASS", "MISS"))]
    assert len(targets) == 16, result.stdout
