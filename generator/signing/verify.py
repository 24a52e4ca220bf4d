"""Verify every signature of a contract, with pyHanko's validation and modification analysis.

A signature's bottom line is pyHanko's: intact (the signed bytes hash as
signed), valid (the signature over them checks out), trusted (a chain to
one of the trust roots, revocation soft-failing offline), its time-stamp
valid if it has one, and nothing changed after it but what is allowed
(filling in further signature fields).  "Intact" alone is not enough: an
edit appended after signing leaves the signed bytes intact.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .quiet import quiet_pyhanko
from .sign import SigningError


@dataclass(frozen=True)
class Verdict:
    """One signature as checked; ``good`` is the bottom line."""

    field: str
    #: The field's readable name (甲方, 乙方), or "".
    label: str
    signer: str
    #: Signing time as the signer's computer stated it (ISO 8601), or None.
    signed_at: str | None
    #: Time from a time-stamping authority (ISO 8601), or None (baseline B-B).
    timestamp: str | None
    intact: bool
    valid: bool
    trusted: bool
    #: What was changed after this signature: none, signatures/form filling, … or "other".
    changes_after: str
    changes_allowed: bool
    good: bool
    #: Why not good, in words, when it is not.
    problems: tuple[str, ...]


def load_trust(paths: tuple[Path, ...]) -> list[Any]:
    """Trust roots from certificate files (PEM or DER, several per PEM file)."""
    from pyhanko.keys import load_certs_from_pemder_data

    roots = []
    for path in paths:
        try:
            found = list(load_certs_from_pemder_data(path.read_bytes()))
        except OSError as error:
            raise SigningError(f"{path}: cannot read it ({error.strerror})") from None
        except ValueError:
            raise SigningError(f"{path}: not a certificate (PEM or DER)") from None
        if not found:
            raise SigningError(f"{path}: holds no certificate")
        roots.extend(found)
    return roots


def verify_pdf(data: bytes, trust: list[Any] | None = None) -> list[Verdict]:
    """A verdict per signature, in signing order; ``trust`` replaces the system's trust roots."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as error:
        raise SigningError(f"not a PDF this program can read ({error})") from None
    if not signatures:
        raise SigningError("the PDF has no signatures")
    verdicts = []
    for embedded in signatures:
        # No trust roots given: the system's.  Nothing is fetched: revocation checks soft-fail offline.
        validation = ValidationContext(trust_roots=trust, allow_fetching=False)
        try:
            with quiet_pyhanko():
                status = validate_pdf_signature(embedded, validation, ts_validation_context=validation)
        except (PdfError, ValueError, KeyError, TypeError) as error:
            verdicts.append(_broken(embedded.field_name, f"cannot be read ({error})"))
            continue
        verdicts.append(_verdict(embedded.field_name, str(embedded.sig_field.get("/TU", "")), status))
    return verdicts


def _verdict(field: str, label: str, status: Any) -> Verdict:
    level = status.modification_level
    changes = "none" if level is None else level.name.lower().replace("_", " ")
    allowed = bool(status.docmdp_ok or level is None)
    timestamp = status.timestamp_validity
    problems = []
    if not status.intact:
        problems.append("the signed bytes were changed")
    elif not status.valid:
        problems.append("the signature does not match the signed bytes")
    if not status.trusted:
        problems.append("the signer's certificate does not chain to a trusted root (give --trust CA.pem)")
    if timestamp is not None and not (timestamp.intact and timestamp.valid and timestamp.trusted):
        problems.append("the time-stamp is not valid or not trusted")
    if not allowed:
        problems.append(f"the document was changed after signing ({changes})")
    if status.bottom_line:
        problems = []
    elif not problems:
        problems.append("pyHanko judges it invalid")
    subject = status.signing_cert.subject.native
    return Verdict(
        field=field,
        label=label,
        signer=str(subject.get("common_name") or subject.get("organization_name") or ""),
        signed_at=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
        timestamp=timestamp.timestamp.isoformat() if timestamp is not None else None,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        changes_after=changes,
        changes_allowed=allowed,
        good=bool(status.bottom_line),
        problems=tuple(problems),
    )


def _broken(field: str, reason: str) -> Verdict:
    return Verdict(field, "", "", None, None, False, False, False, "unknown", False, False, (reason,))


def as_json(verdicts: list[Verdict]) -> dict[str, Any]:
    """The verdicts as a JSON-ready object, with the bottom line of them all."""
    return {"good": all(v.good for v in verdicts), "signatures": [asdict(v) for v in verdicts]}


def as_text(verdicts: list[Verdict]) -> str:
    """The verdicts for a person, one block per signature and the bottom line of them all."""
    lines = []
    yes = {True: "yes", False: "NO"}
    for verdict in verdicts:
        name = f"{verdict.field} ({verdict.label})" if verdict.label else verdict.field
        lines.append(f"{name}: signed by {verdict.signer or '(unknown)'}")
        lines.append(f"  signing time (signer's clock): {verdict.signed_at or '—'}")
        lines.append(f"  time-stamp: {verdict.timestamp or 'none (PAdES B-B)'}")
        lines.append(
            f"  intact: {yes[verdict.intact]}   valid: {yes[verdict.valid]}   trusted: {yes[verdict.trusted]}"
        )
        lines.append(
            f"  changed after signing: {verdict.changes_after}"
            f" ({'allowed' if verdict.changes_allowed else 'NOT allowed'})"
        )
        lines.append(f"  bottom line: {'GOOD' if verdict.good else 'BAD: ' + '; '.join(verdict.problems)}")
    bad = sum(not v.good for v in verdicts)
    if not bad:
        lines.append(
            "the signature is good" if len(verdicts) == 1 else f"all {len(verdicts)} signatures are good"
        )
    else:
        lines.append(f"{bad} of {len(verdicts)} signature{'s' if len(verdicts) > 1 else ''} NOT good")
    return "\n".join(lines)
