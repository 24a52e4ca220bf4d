"""The same inputs give the same bytes, in separate processes, whatever the clock or the machine's settings.

Two real ``agreement`` processes (different working folders, time zones,
hash seeds and output folders) must write byte-identical DOCX and PDF; the
dates inside the files come from ``signing.date``, else a fixed default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from generator.build import UNDATED

from .conftest import FORM_A, FORM_B, STANDARD, run_cli

AGREEMENT = Path(sys.executable).with_name("agreement")


def generate(contract: Path, out: Path, env: dict[str, str], *extra: str) -> dict[str, str]:
    """Run ``agreement generate`` in a process of its own; SHA-256 of each file written."""
    out.mkdir(parents=True)
    subprocess.run(
        [str(AGREEMENT), "generate", str(contract), "--base", str(STANDARD), "-o", str(out), *extra],
        check=True,
        capture_output=True,
        cwd=out,
        env={**os.environ, **env},
        timeout=300,
    )
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())}


def undated(tmp_path: Path) -> Path:
    """Form B without a signing date: its files take the fixed default date."""
    path = tmp_path / "undated.yaml"
    text = FORM_B.read_text(encoding="utf-8")
    path.write_text(text.replace("signing:\n  date: 2026-11-25\n", ""), encoding="utf-8")
    assert "date:" not in path.read_text(encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("which", "extra", "day"),
    [("form A", (), dt.date(2026, 11, 25)), ("undated draft", ("--draft",), UNDATED)],
)
def test_two_processes_write_identical_bytes(
    which: str, extra: tuple[str, ...], day: dt.date, tmp_path: Path
) -> None:
    contract = FORM_A if which == "form A" else undated(tmp_path)
    first = generate(contract, tmp_path / "one", {"TZ": "Asia/Shanghai", "PYTHONHASHSEED": "1"}, *extra)
    second = generate(
        contract, tmp_path / "two" / "deeper", {"TZ": "America/New_York", "PYTHONHASHSEED": "2"}, *extra
    )
    assert sorted(first) == sorted(second) and len(first) == 2
    assert first == second

    docx = next((tmp_path / "one").glob("*.docx"))
    pdf = next((tmp_path / "one").glob("*.pdf"))
    # Dates inside come from the contract, never the clock.
    assert open_docx(str(docx)).core_properties.created == dt.datetime.combine(day, dt.time(), dt.UTC)
    assert {info.date_time for info in zipfile.ZipFile(docx).infolist()} == {
        (day.year, day.month, day.day, 0, 0, 0)
    }
    metadata = PdfReader(pdf).metadata
    assert metadata is not None
    stamp = f"D:{day:%Y%m%d}000000"
    assert str(metadata["/CreationDate"]).startswith(stamp)
    assert str(metadata["/ModDate"]).startswith(stamp)


def test_a_batch_like_process_writes_the_same_bytes_as_a_fresh_one(tmp_path: Path) -> None:
    """Caches (fonts, stylesheet, flowcharts) warmed by another contract change no byte."""
    fresh = generate(FORM_A, tmp_path / "fresh", {})
    for contract, out in ((FORM_B, tmp_path / "warm-up"), (FORM_A, tmp_path / "warm")):
        result = run_cli("generate", contract, "--base", STANDARD, "-o", out)
        assert result.exit_code == 0, result.output
    warm = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((tmp_path / "warm").iterdir())}
    assert warm == fresh
