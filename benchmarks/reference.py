"""The benchmark's reference: bare WeasyPrint at its best, on our contracts' HTML.

    python benchmarks/reference.py [--compact-fonts] OUT_DIR FILE.html [FILE.html ...]

One process renders the files it is given to PDF, the way a careful user
of WeasyPrint alone would: one ``FontConfiguration`` for the whole process
(without it, memory grows with every document), the standalone HTML (its
stylesheet inline, the flowchart an inline SVG), the PDF written to a file.
The benchmark starts N of these for N cores, so start-up and imports count
as they do for ``agreement batch``.

``--compact-fonts`` adds our one change to WeasyPrint itself
(``generator/writers/compact_fonts.py``), so that ``agreement``'s time over
this reference is the rest of our pipeline alone.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any


def main(out_dir: Path, pages: list[Path], compact_fonts: bool) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    options: dict[str, Any] = {}
    if compact_fonts:
        from generator.writers import compact_fonts as compact

        compact.install()
        options["finisher"] = compact.finish
    fonts = FontConfiguration()
    for page in pages:
        html = weasyprint.HTML(string=page.read_text(encoding="utf-8"), base_url=str(page.parent))
        (out_dir / f"{page.stem}.pdf").write_bytes(html.write_pdf(font_config=fonts, **options))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    compact = "--compact-fonts" in arguments
    paths = [Path(argument) for argument in arguments if argument != "--compact-fonts"]
    main(paths[0], paths[1:], compact)
