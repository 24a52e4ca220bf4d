"""The CFF charset reader against fontTools, on the installed Noto CJK fonts and on our own subsets."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from generator.writers import cff_charset

from .conftest import fonttools_cids, name_keyed_font


def _cids(program: bytes | memoryview) -> list[int] | None:
    runs = cff_charset.cid_runs(program)
    return None if runs is None else [cid for run in runs for cid in range(run.cid, run.cid + run.length)]


@pytest.mark.parametrize("face", ["Noto Serif CJK SC", "Noto Sans CJK SC:bold"])
def test_noto_cjk_glyphs_are_their_own_cids(face: str) -> None:
    found = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", face], check=True, capture_output=True)
    path, index = found.stdout.decode().split("\n")
    with TTFont(path, fontNumber=int(index), lazy=True) as font:
        program = font.reader["CFF "]
    assert cff_charset.cid_runs(program) == [(0, 0, 1), (1, 1, 65534)]  # every glyph is its own CID
    assert _cids(program) == fonttools_cids(program)


def test_a_subset_keeps_the_cids_of_its_glyphs(form_a: Path) -> None:
    reader = PdfReader(form_a / "HX-AS-2026-0158.pdf")
    programs = [
        item["/FontFile3"].get_data()
        for number in range(1, reader.trailer["/Size"])
        if isinstance(item := reader.get_object(number), DictionaryObject) and "/FontFile3" in item
    ]
    assert programs
    for program in programs:
        cids = _cids(program)
        assert cids == fonttools_cids(program)
        assert cids is not None and cids != list(range(len(cids)))  # renumbered: glyph ids are not CIDs


def test_a_name_keyed_or_broken_program_has_no_cids(tmp_path: Path) -> None:
    font = tmp_path / "name-keyed.otf"
    name_keyed_font(font)
    assert cff_charset.cid_runs(TTFont(str(font)).reader["CFF "]) is None
    assert cff_charset.cid_runs(b"not a font") is None
    assert cff_charset.cid_runs(b"") is None
