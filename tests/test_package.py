"""``pip install .`` gives a working tool: the templates and clauses travel inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import ROOT


def pip(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_wheel_carries_templates_and_clauses_and_runs_outside_the_source(tmp_path: Path) -> None:
    pip(
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(tmp_path / "dist"),
        str(ROOT),
    )
    wheel = next((tmp_path / "dist").glob("agreement-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for required in (
        "generator/_data/clauses/zh-CN/locale.yaml",
        "generator/_data/templates/after-sales/manifest.yaml",
        "generator/_data/templates/docx/reference.docx",
        "generator/_data/templates/html/contract.css",
    ):
        assert required in names
    site = tmp_path / "site"
    pip("install", "--no-deps", "-q", "--target", str(site), str(wheel))
    # Run from an empty folder with only the installed copy importable.
    script = (
        "import generator.resources as r, sys; print(r.builtin('clauses')); "
        "from generator.cli.main import main; sys.argv=['agreement','init','-o','c.yaml']; main()"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=work,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert str(site) in result.stdout, result.stderr
    generated = subprocess.run(
        [
            sys.executable,
            "-c",
            "from generator.cli.main import main; main()",
            "generate",
            "c.yaml",
            "-f",
            "docx",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert generated.returncode == 0, generated.stderr
    assert (work / "output" / "HX-AS-2026-0001.docx").is_file()
