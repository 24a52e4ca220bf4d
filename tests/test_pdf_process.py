"""The PDF process of ``agreement generate``: same bytes as in-process, errors come back, none left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import RenderError
from generator.pipeline import Options, build, contract_layers, prepare, render
from generator.writers import pdf
from generator.writers.html import render_html
from generator.writers.pdf_process import PdfProcess

from .conftest import FORM_B, STANDARD, run_cli


def _started() -> PdfProcess:
    # ``fork``, not ``start``: the process itself is tested whatever the core count.
    return PdfProcess.fork()


def test_generate_writes_the_same_bytes_as_rendering_in_process(tmp_path: Path) -> None:
    result = run_cli("generate", FORM_B, "--base", STANDARD, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    prepared = prepare(contract_layers(FORM_B, (STANDARD,), ()), Options())
    expected = render(build(prepared, Options()), ("docx", "pdf"), prepared.library.roots)
    stem = prepared.params.agreement.contract_no
    assert (tmp_path / f"{stem}.pdf").read_bytes() == expected["pdf"]
    assert (tmp_path / f"{stem}.docx").read_bytes() == expected["docx"]


def test_a_refusal_in_the_pdf_process_is_the_projects_error_and_the_process_is_reaped() -> None:
    prepared = prepare(contract_layers(FORM_B, (STANDARD,), ()), Options())
    document = build(prepared, Options())
    html = render_html(document, standalone=False).replace(
        "<body>", '<body><img src="file:///etc/passwd">', 1
    )
    process = _started()
    try:
        made = process.submit(html, prepared.library.roots, pdf.identifier(document))
        with pytest.raises(RenderError, match="refused to fetch file:///etc/passwd"):
            made()
        # The process goes on serving after an error.
        good = render_html(document, standalone=False)
        data = process.submit(good, prepared.library.roots, pdf.identifier(document))()
        assert data.startswith(b"%PDF-")
    finally:
        process.close()
    with pytest.raises(ProcessLookupError):
        os.kill(process._pid, 0)


def test_a_command_that_fails_before_the_pdf_leaves_no_process(tmp_path: Path) -> None:
    before = _children()
    result = run_cli("generate", tmp_path / "missing.yaml", "--base", STANDARD, "-o", tmp_path)
    assert result.exit_code == 1 and "missing.yaml" in result.output
    assert _children() == before
    assert not list(tmp_path.iterdir())


def _children() -> set[int]:
    """This process's forked children (Graphviz runs of earlier tests' PNG threads aside), from /proc."""
    me, name = str(os.getpid()), Path("/proc/self/comm").read_text()
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                same_program = (entry / "comm").read_text() == name
            except OSError:
                continue
            if parent == me and same_program:
                found.add(int(entry.name))
    return found


def test_weasyprint_loads_its_libraries_without_spawning_a_search() -> None:
    """Without ``_sonames_only``, ctypes runs ldconfig, gcc and ld while WeasyPrint is imported."""
    script = (
        "import sys\n"
        "spawned = []\n"
        "def hook(event, args):\n"
        "    if event == 'subprocess.Popen':\n"
        "        spawned.append(args[1])\n"
        "sys.addaudithook(hook)\n"
        "from generator.writers import pdf\n"
        "assert not pdf.subsetter_missing()\n"
        "print(spawned)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
