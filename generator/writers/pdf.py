"""The PDF writer: the HTML writer's output laid out by WeasyPrint.

WeasyPrint is set up once per process (one ``FontConfiguration``, one parsed
stylesheet) and reused for every contract: without that, a batch worker's
memory grows with every document.  Its URL fetcher is locked: it serves
``data:`` URLs and files inside the template and clause folders, and stops
the rendering (rather than warning, WeasyPrint's default) on anything else,
so no value can make the PDF engine read a file or touch the network.
Its CJK fonts are embedded compactly (``compact_fonts``).  On request the
PDF also gets empty signature fields over the seal areas and is written as
PDF/A-3b carrying its parameter file (``PdfOptions``, ``generator.signing``).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import RenderError
from ..model import Document, Signatures
from . import compact_fonts, pdf_objects, shared_styles
from .html import render_html, stylesheet


@cache
def _weasyprint() -> Any:
    """WeasyPrint, imported once per process, quietly and with its libraries found by soname."""
    with warnings.catch_warnings(), _sonames_only():
        warnings.simplefilter("ignore")
        import weasyprint
    return weasyprint


@contextmanager
def _sonames_only() -> Iterator[None]:
    """While WeasyPrint is imported on Linux, let ``dlopen`` alone find its C libraries.

    WeasyPrint tries several names per library (for Linux, macOS and
    Windows), and cffi hands each name ``dlopen`` rejects to
    ``ctypes.util.find_library``, which on Linux runs ``ldconfig``, ``gcc``
    and ``ld`` for it: some sixteen searches, 0.2 s of the 0.5 s import, on
    the critical path of ``agreement generate``.  Each list ends with the
    library's Linux soname, which ``dlopen`` finds itself (the ld.so cache,
    ``LD_LIBRARY_PATH``), and a soname is all ``find_library`` returns on
    Linux anyway; so it answers "not found" during the import.
    """
    if sys.platform != "linux":
        yield
        return
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


@cache
def _engine(roots: tuple[Path, ...]) -> tuple[Any, Any, Any]:
    """WeasyPrint's per-process state: font configuration, stylesheet, URL fetcher."""
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    allowed = tuple(root.resolve() for root in roots)

    class LockedFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            #: URLs refused since the last check: WeasyPrint swallows some
            #: refusals (an SVG's ``<image>``), so ``_refusals`` also looks here.
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            if parsed.scheme == "file" and not parsed.netloc:
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in allowed) and path.is_file():
                    return super().fetch(url, headers)
            self.refused.append(url[:80])
            raise FatalURLFetchingError(f"refused to fetch {url[:80]}")

    compact_fonts.install()
    shared_styles.install()
    fonts = FontConfiguration()
    fetcher = LockedFetcher()
    css = weasyprint.CSS(string=stylesheet(), font_config=fonts, url_fetcher=fetcher)
    return fonts, css, fetcher


def layout(html: str, roots: tuple[Path, ...]) -> Any:
    """Lay out and paginate the HTML writer's (non-standalone) output: WeasyPrint's ``Document``."""
    weasyprint = _weasyprint()
    fonts, css, fetcher = _engine(roots)
    page = weasyprint.HTML(
        string=html,
        base_url=str(roots[0]),
        url_fetcher=fetcher,
    )
    with _refusals(fetcher):
        return page.render(font_config=fonts, stylesheets=[css])


@dataclass(frozen=True)
class PdfOptions:
    """What a PDF carries besides the contract (the web's and the CLI's ``sign_fields``, ``pdf_a``).

    ``field_labels``: an empty signature field over each party's seal area,
    with these readable names (甲方, 乙方); none when empty.  ``source``: the
    parameter file, which makes the PDF a PDF/A-3b that carries it, dated
    ``day``; a plain PDF when None.
    """

    field_labels: tuple[str, ...] = ()
    source: str | None = None
    day: date = date(2026, 1, 1)

    @classmethod
    def of(cls, document: Document, *, sign_fields: bool, source: str | None) -> PdfOptions:
        """The options for ``document``: the fields named after its signature blocks' parties.

        A redline's deleted signature table (the standard's) has no seal areas to sign.
        """
        labels = tuple(
            party.role
            for block in document.blocks
            if isinstance(block, Signatures) and block.change != "deleted" and sign_fields
            for party in block.parties
        )
        return cls(labels, source, document.meta.date)


PLAIN = PdfOptions()


def write(rendered: Any, document: Document, options: PdfOptions = PLAIN) -> bytes:
    """The laid-out document as PDF bytes, identical for identical contracts."""
    return write_as(rendered, identifier(document), options)


def identifier(document: Document) -> bytes:
    """The PDF's file identifier: from the parameters, never random, so equal contracts are equal bytes."""
    return document.meta.fingerprint[:32].encode()


def write_as(rendered: Any, pdf_identifier: bytes, options: PdfOptions = PLAIN) -> bytes:
    """``write`` for a caller that holds only the identifier (the PDF process)."""
    from ..signing import fields, pdfa

    def finish(document: Any, pdf: Any) -> None:
        compact_fonts.finish(document, pdf)
        if options.field_labels:
            fields.add_signature_fields(document, pdf, options.field_labels)
        if options.source is not None:
            pdfa.repair(pdf)
        pdf_objects.remember(pdf)

    archive: dict[str, Any] = {}
    if options.source is not None:
        archive = {"pdf_variant": pdfa.VARIANT, "attachments": [pdfa.attachment(options.source, options.day)]}
    # Writing fetches too: WeasyPrint reads attachments only now.
    with _refusals(rendered.url_fetcher), pdf_objects.writing():
        pdf: bytes = rendered.write_pdf(pdf_identifier=pdf_identifier, finisher=finish, **archive)
    return pdf


@contextmanager
def _refusals(fetcher: Any) -> Iterator[None]:
    """Any URL the locked fetcher refused, as the project's error: rendering fails, never warns."""
    fetcher.refused.clear()
    try:
        yield
    except BaseException as error:
        if type(error).__name__ == "FatalURLFetchingError":
            raise RenderError(f"PDF rendering stopped: {error}") from None
        raise
    if fetcher.refused:
        raise RenderError(f"PDF rendering stopped: refused to fetch {fetcher.refused[0]}")


def render_pdf(document: Document, roots: tuple[Path, ...], options: PdfOptions = PLAIN) -> bytes:
    """The contract as PDF bytes."""
    return write(layout(render_html(document, standalone=False), roots), document, options)


def render_standalone(html: str) -> bytes:
    """A small PDF (a signature stamp) from self-contained HTML, in the contract's fonts.

    The same locked fetcher: ``data:`` URLs only.
    """
    weasyprint = _weasyprint()
    fonts, _, fetcher = _engine(())
    page = weasyprint.HTML(string=html, url_fetcher=fetcher)
    with _refusals(fetcher):
        drawn: bytes = page.render(font_config=fonts).write_pdf(finisher=compact_fonts.finish)
    return drawn


SLOW_WARNING = (
    "warning: HarfBuzz's subset library is missing, so each PDF takes seconds; "
    "install it with: apt-get install libharfbuzz-subset0"
)


def subsetter_missing() -> bool:
    """True when HarfBuzz's subset library is absent, which makes each CJK PDF ~50× slower."""
    _weasyprint()
    from weasyprint.text.ffi import harfbuzz_subset

    return not harfbuzz_subset
