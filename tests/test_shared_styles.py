"""Computed styles shared across a process's documents: the same PDFs as WeasyPrint's own computing."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.params import file_layer
from generator.pipeline import Options, build, prepare
from generator.writers import pdf, shared_styles

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ("client-form-a.yaml", "client-form-b.yaml", "client-bilingual.yaml")


def _pdfs() -> list[bytes]:
    made = []
    for client in CLIENTS:
        layers = [
            file_layer(ROOT / "examples/company-standard.yaml", "base"),
            file_layer(ROOT / "examples" / client, "client"),
        ]
        prepared = prepare(layers, Options())
        made.append(pdf.render_pdf(build(prepared, Options()), prepared.library.roots))
    return made


def test_shared_styles_make_the_same_pdfs_and_are_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.css import StyleFor

    _pdfs()  # the PDF engine set up, and this thread's styles made
    assert shared_styles.install()
    kept = dict(shared_styles._store.styles)
    assert kept
    shared = _pdfs()
    # The same contracts again: every style found, none made.
    assert shared_styles._store.styles == kept

    monkeypatch.setattr(StyleFor, "set_computed_styles", StyleFor.set_computed_styles.__wrapped__)
    assert _pdfs() == shared


@pytest.mark.parametrize(
    "html",
    [
        # The body's overflow: WeasyPrint moves it to the page and sets the body's to visible.
        "<style>body { overflow: hidden; margin: 0 }"
        " div { width: 30cm; height: 5cm; background: #000 }</style><body><div></div></body>",
        # Markers, pseudo-elements WeasyPrint changes as it builds them; one list inside, one outside.
        "<style>.in { list-style-position: inside } li::marker { color: #c00 }</style>"
        "<ol><li>甲方</li><li>乙方</li></ol><ol class='in'><li>甲方</li></ol><ul><li>丙方</li></ul>",
    ],
)
def test_styles_weasyprint_changes_stay_the_documents_own(html: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint
    from weasyprint.css import StyleFor
    from weasyprint.text.fonts import FontConfiguration

    assert shared_styles.install()
    fonts = FontConfiguration()
    shared = [weasyprint.HTML(string=html).write_pdf(font_config=fonts) for _ in range(3)]
    monkeypatch.setattr(StyleFor, "set_computed_styles", StyleFor.set_computed_styles.__wrapped__)
    assert [weasyprint.HTML(string=html).write_pdf(font_config=fonts) for _ in range(3)] == shared
