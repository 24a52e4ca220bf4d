"""The benchmark's reference: bare WeasyPrint at its best, on our contracts' HTML.

    python benchmarks/reference.py OUT_DIR FILE.html [FILE.html ...]

One process renders the files it is given to PDF, the way a careful user
of WeasyPrint alone would: one ``FontConfiguration`` for the whole process
(without it, memory grows with every document), the standalone HTML (its
stylesheet inline, the flowchart an inline SVG), the PDF written to a file.
The benchmark starts N of these for N cores, so start-up and imports count
as they do for ``agreement batch``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path


def main(out_dir: Path, pages: list[Path]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    for page in pages:
        html = weasyprint.HTML(string=page.read_text(encoding="utf-8"), base_url=str(page.parent))
        (out_dir / f"{page.stem}.pdf").write_bytes(html.write_pdf(font_config=fonts))


if __name__ == "__main__":
    main(Path(sys.argv[1]), [Path(arg) for arg in sys.argv[2:]])
