"""A contract's PDF objects serialised once per write: the same bytes as pydyf's double pass."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import pytest

from generator.params import file_layer
from generator.pipeline import Options, build, prepare
from generator.writers import pdf, pdf_objects
from generator.writers.html import render_html

ROOT = Path(__file__).resolve().parent.parent


def _counting_deflates(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the compressors pydyf creates (one per stream serialised)."""
    import pydyf

    made: list[int] = []

    class Counting:
        def compressobj(self, *args: Any, **kwargs: Any) -> Any:
            made.append(1)
            return zlib.compressobj(*args, **kwargs)

    monkeypatch.setattr(pydyf, "zlib", Counting())
    return made


def test_each_stream_is_deflated_once_and_the_bytes_are_pydyfs(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pdf_objects.install()
    layers = [
        file_layer(ROOT / "examples/company-standard.yaml", "base"),
        file_layer(ROOT / "examples/client-form-a.yaml", "client"),
    ]
    prepared = prepare(layers, Options())
    document = build(prepared, Options())
    rendered = pdf.layout(render_html(document, standalone=False), prepared.library.roots)
    identifier = pdf.identifier(document)
    made = _counting_deflates(monkeypatch)

    ours = pdf.write(rendered, document)
    once = len(made)
    made.clear()
    # The same write outside ``writing``: pydyf's own double pass for the identifier.
    from generator.writers import compact_fonts

    stock = rendered.write_pdf(pdf_identifier=identifier, finisher=compact_fonts.finish)
    twice = len(made)

    assert ours == stock
    # pydyf's own pass deflates every stream again for the identifier's hash.
    assert once > 20
    assert twice - once > 20
