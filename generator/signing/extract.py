"""Read back the parameter file a PDF/A contract carries (``agreement params``)."""

from __future__ import annotations

import io
from typing import Any

from .embedded import NAME
from .sign import SigningError


def parameter_file(data: bytes) -> str:
    """The YAML parameter file embedded in a contract made with ``--pdf-a``."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        specs = [spec.get_object() for spec in reader.root.get("/AF", ())]
        found = [spec for spec in specs if _name(spec) == NAME]
        stream = found[0]["/EF"]["/F"].get_object() if found else None
        text = str(stream.data.decode("utf-8")) if stream is not None else None
    except (PdfError, ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise SigningError(f"not a PDF this program can read ({error})") from None
    if text is None:
        raise SigningError(
            f"the PDF carries no parameter file ({NAME}); only contracts made with --pdf-a carry one"
        )
    return text


def _name(spec: Any) -> str:
    return str(spec.get("/UF") or spec.get("/F") or "")
