"""Sign one signature field of a contract: PAdES baseline B-B, or B-T with a time-stamp.

pyHanko signs the field in an incremental update, so an earlier signature
stays valid (the change is form filling).  The visible stamp is drawn by the
contract's own PDF engine (WeasyPrint, the embedded CJK fonts of the
contract) or is the company's seal image, never pyHanko's default text
stamp, whose Courier font is not embedded and would break PDF/A.  pyHanko
would also bring the document information dictionary up to date; a PDF/A
contract has none (the XMP carries its metadata), and the XMP keeps its
PDF/A identification.
"""

from __future__ import annotations

import base64
import html
import io
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import AgreementError, UsageError
from .quiet import quiet_pyhanko


class SigningError(AgreementError):
    """A contract cannot be signed as asked: not ours, no such field, a bad key or password."""


@dataclass(frozen=True)
class Stamp:
    """What the visible signature shows: the signer's name and the time, or a seal image (PNG)."""

    signer: str
    when: datetime
    seal_png: bytes | None = None


def load_p12(path: Path, password: bytes | None) -> Any:
    """A pyHanko signer from a PKCS#12 file; a clear error for a wrong password or a bad file."""
    from pyhanko.sign.signers import SimpleSigner

    data = _read(path)
    try:
        return SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password)
    except ValueError:
        raise SigningError(
            f"{path}: cannot open it: wrong password, or not a PKCS#12 (.p12/.pfx) file"
        ) from None


def load_pem(key: Path, cert: Path, chain: tuple[Path, ...], password: bytes | None) -> Any:
    """A pyHanko signer from a private key and certificate (PEM or DER) and the issuers' certificates."""
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        private_key = load_private_key_from_pemder_data(_read(key), passphrase=password)
    except (ValueError, TypeError) as error:
        reason = "wrong password" if "password" in str(error).lower() else "not a private key (PEM or DER)"
        raise SigningError(f"{key}: cannot read the key: {reason}") from None
    certificates = []
    for path in (cert, *chain):
        try:
            certificates.append(list(load_certs_from_pemder_data(_read(path))))
        except ValueError:
            raise SigningError(f"{path}: not a certificate (PEM or DER)") from None
        if not certificates[-1]:
            raise SigningError(f"{path}: holds no certificate")
    registry = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]  # unannotated upstream
        [c for found in certificates[1:] for c in found]
    )
    return SimpleSigner(signing_cert=certificates[0][0], signing_key=private_key, cert_registry=registry)


def signer_name(signer: Any) -> str:
    """The common name (else the organisation) of the signer's certificate, for the stamp."""
    subject = signer.signing_cert.subject.native
    return str(subject.get("common_name") or subject.get("organization_name") or "")


def sign_pdf(
    data: bytes,
    field: str,
    signer: Any,
    stamp: Stamp,
    *,
    timestamper: Any = None,
) -> bytes:
    """The contract with ``field`` signed (incremental update); B-T when a ``timestamper`` is given."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko.stamp import StaticStampStyle

    writer = _open(data)
    fields_now = _field_names(writer)
    empty = [name for name, item in fields_now.items() if "/V" not in item]
    if field not in empty:
        if field in fields_now:
            raise SigningError(f"the field {field} is signed already")
        choices = ", ".join(empty) or "none (generate the contract with --sign-fields)"
        raise UsageError(f"the contract has no empty signature field {field}; its empty fields: {choices}")
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=stamp.signer or None,
    )
    with tempfile.NamedTemporaryFile(suffix=".pdf") as drawn:
        drawn.write(_stamp_pdf(stamp))
        drawn.flush()
        # No border of pyHanko's: the stamp draws its own.
        style = StaticStampStyle.from_pdf_file(drawn.name, border_width=0)
        pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=style)
        out = io.BytesIO()
        try:
            with quiet_pyhanko():
                pdf_signer.sign_pdf(writer, output=out, existing_fields_only=True)
        except TimestampRequestError as error:
            raise SigningError(f"the time-stamping service did not give a time-stamp: {error}") from None
        except (PdfError, ValueError) as error:
            raise SigningError(f"pyHanko could not sign the field {field}: {error}") from None
    return out.getvalue()


def _open(data: bytes) -> Any:
    """The contract, opened for an incremental update; an error unless agreement made it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        _keep_xmp(writer)
        ours = made_by_us(writer.prev)
    except (PdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise SigningError(f"not a PDF this program can read ({error})") from None
    if not ours:
        raise SigningError("not a contract made by agreement (its metadata names another creator)")
    return writer


def _keep_xmp(writer: Any) -> None:
    """Read the XMP packet as pyHanko's metadata stream, so signing updates it instead of replacing it.

    Read as a plain stream, pyHanko writes a new packet of its own, and the
    PDF/A identification (``pdfaid``) and the contract's title are lost.
    """
    root = writer.prev.root
    if "/Metadata" in root:
        writer.prev.get_object(root.raw_get("/Metadata").reference, as_metadata_stream=True)


def made_by_us(reader: Any) -> bool:
    """Whether a PDF says it was made by agreement: its XMP (PDF/A) or its document information."""
    return str(reader.document_meta_view.creator or "") == "agreement"


def _field_names(writer: Any) -> dict[str, Any]:
    form = writer.root.get("/AcroForm")
    if form is None:
        return {}
    names = {}
    for reference in form.get_object().get("/Fields", ()):
        item = reference.get_object()
        if item.get("/FT") == "/Sig":
            names[str(item.get("/T"))] = item
    return names


def _stamp_pdf(stamp: Stamp) -> bytes:
    """The visible signature: one 42 mm page drawn by the contract's PDF engine and fonts.

    A seal image fills it; else a red frame holds the signer's name (its last
    characters kept together, as in the signature blocks), 电子签名 and the time.
    """
    from ..writers.pdf import render_standalone

    if stamp.seal_png is not None:
        body = f'<img src="data:image/png;base64,{base64.b64encode(stamp.seal_png).decode()}">'
    else:
        name = html.escape(stamp.signer[:-4]) + f'<span class="kept">{html.escape(stamp.signer[-4:])}</span>'
        body = (
            f'<div class="frame"><p class="name">{name}</p><p class="kind">电子签名</p>'
            f'<p class="when">{stamp.when:%Y-%m-%d %H:%M:%S}<br>UTC{stamp.when:%z}</p></div>'
        )
    return render_standalone(
        "<style>@page { size: 42mm 42mm; margin: 0 }"
        ' html { font-family: "Noto Sans CJK SC"; color: #c8102e; text-align: center }'
        " body { margin: 0 } img { display: block; width: 42mm; height: 42mm; object-fit: contain }"
        " .frame { box-sizing: border-box; width: 40mm; height: 40mm; margin: 1mm; padding: 2mm;"
        " border: 0.7mm solid #c8102e; border-radius: 3mm; display: flex; flex-direction: column;"
        " justify-content: center }"
        " p { margin: 0.8mm 0 } .name { font-size: 10pt; line-height: 13pt; font-weight: bold }"
        " .kept { white-space: nowrap } .kind { font-size: 9pt; letter-spacing: 1pt }"
        " .when { font-size: 7pt }"
        f"</style><body>{body}</body>"
    )


def read_seal_image(path: Path) -> bytes:
    """The seal image's bytes, if it is a whole PNG (WeasyPrint would silently drop a broken one)."""
    from PIL import Image, UnidentifiedImageError

    data = _read(path)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    if kind != "PNG":
        raise SigningError(f"{path}: not a PNG image; --seal-image takes a PNG (transparent background)")
    return data


def read_input(path: Path) -> bytes:
    """A contract's bytes, with a clear error when it cannot be read."""
    return _read(path)


def read_password(path: Path) -> bytes:
    """The first line of a password file (without its line break)."""
    lines = _read(path).splitlines()
    return lines[0] if lines else b""


def http_timestamper(url: str) -> Any:
    """An RFC 3161 time-stamping client for ``url`` (http or https)."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--timestamp-url {url!r}: expected an http:// or https:// URL")
    return HTTPTimeStamper(url)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SigningError(f"{path}: cannot read it ({error.strerror})") from None
