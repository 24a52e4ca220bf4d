"""``--track-changes`` and ``--protect-tracking``: the DOCX comes back with every edit recorded."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from .conftest import FORM_A, STANDARD, run_cli
from .test_batch import batch, contract_rows, manifest, write_csv

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONTRACT = "HX-AS-2026-0158"


def settings(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/settings.xml"))


def made(tmp_path: Path, *flags: str) -> Path:
    result = run_cli("generate", FORM_A, "--base", STANDARD, "-o", tmp_path, "-f", "docx", *flags)
    assert result.exit_code == 0, result.output
    return tmp_path / f"{CONTRACT}.docx"


@pytest.mark.parametrize(
    ("flags", "tracked", "protected"),
    [((), False, False), (("--track-changes",), True, False), (("--protect-tracking",), True, True)],
    ids=["plain", "tracked", "protected"],
)
def test_settings_say_what_the_options_ask(
    tmp_path: Path, flags: tuple[str, ...], tracked: bool, protected: bool
) -> None:
    path = made(tmp_path, *flags)
    root = settings(path)
    assert (root.find(f"{W}trackRevisions") is not None) is tracked
    protection = root.find(f"{W}documentProtection")
    if protected:
        assert dict(protection.attrib) == {f"{W}edit": "trackedChanges", f"{W}enforcement": "1"}
    else:
        assert protection is None
    result = OpenXmlValidator(max_errors=0).validate(path)
    assert [str(error) for error in result.errors] == []


@pytest.mark.parametrize("flag", ["--track-changes", "--protect-tracking"])
def test_libreoffice_opens_it_recording_changes(tmp_path: Path, flag: str) -> None:
    """LibreOffice reads the settings: saved again by LibreOffice, the DOCX still records changes
    (and still allows only tracked changes)."""
    path = made(tmp_path, flag)
    soffice = shutil.which("soffice")
    assert soffice
    again = tmp_path / "libreoffice"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(again),
            str(path),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "HOME": str(tmp_path)},
        timeout=240,
    )
    root = settings(again / path.name)
    assert root.find(f"{W}trackRevisions") is not None
    protection = root.find(f"{W}documentProtection")
    if flag == "--protect-tracking":
        assert protection.get(f"{W}edit") == "trackedChanges" and protection.get(f"{W}enforcement") == "1"
    else:
        assert protection is None


def test_batch_tracks_changes_and_remakes_when_the_option_changes(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "clients.csv", contract_rows(2))
    out = tmp_path / "out"
    assert batch(table, out, "--track-changes").exit_code == 0
    first = sorted(out.glob("*.docx"))
    assert len(first) == 2
    assert all(settings(p).find(f"{W}trackRevisions") is not None for p in first)
    assert {entry["editing"] for entry in manifest(out).values()} == {"tracked"}
    assert batch(table, out).exit_code == 0
    assert all(settings(p).find(f"{W}trackRevisions") is None for p in sorted(out.glob("*.docx")))
    assert {entry["editing"] for entry in manifest(out).values()} == {""}
