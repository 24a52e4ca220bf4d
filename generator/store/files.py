"""A contract's files: final when its version is approved, draft-marked otherwise; kept once final.

Also the redline between two of its versions: every file that leaves the
store, contract or redline, is written to the audit log with its SHA-256.

Rendering is the pipeline's (``render_file``) or the web's worker pool's
(any ``Renderer``); it runs outside every transaction, so a slow PDF never
holds a database lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import RenderError
from ..output import safe_stem
from ..params import Layer
from . import audit
from .contracts import built_versions, contract_row, layers, version_info, version_row
from .database import Store
from .errors import InvalidRequest
from .models import FinalFile
from .roles import Account

if TYPE_CHECKING:
    from ..pipeline import Options

#: Renders one file of a contract: (layers, format, options) → bytes.  The web
#: passes its worker pool's; ``render_file`` is the in-process one.
Renderer = Callable[[list[Layer], str, "Options"], bytes]


@dataclass(frozen=True)
class Download:
    data: bytes
    sha256: str
    final: bool
    version: int
    filename: str


def render_file(contract_layers: list[Layer], fmt: str, options: Options) -> bytes:
    """One file of a contract, made in this process exactly as ``agreement generate`` makes it."""
    from ..pipeline import build, prepare, render

    prepared = prepare(contract_layers, options)
    return render(build(prepared, options), (fmt,), prepared.library.roots)[fmt]


def download(
    store: Store,
    actor: Account,
    contract_id: int,
    fmt: str,
    render: Renderer = render_file,
    version: int | None = None,
) -> Download:
    """A version's file (the latest by default): final if approved, else draft-marked; audited.

    The first download of an approved version's file keeps its bytes and
    SHA-256; every later one returns those very bytes, whatever changed
    in the templates since.  Rendering happens outside any transaction.
    """
    with store.transaction() as session:
        contract = contract_row(session, actor, contract_id, "download")
        stored = version_row(session, contract, version)
        info = version_info(session, contract, stored)
        kept = (
            session.scalar(
                select(FinalFile).where(FinalFile.version_id == stored.id, FinalFile.format == fmt)
            )
            if info.final
            else None
        )
        kept_data = kept.data if kept else None
    data = (
        kept_data
        if kept_data is not None
        else render(
            layers(store, info.params, f"contract {contract_id} v{info.number}"),
            fmt,
            store.options(draft=not info.final),
        )
    )
    digest = hashlib.sha256(data).hexdigest()
    if info.final and kept_data is None:
        try:
            with store.transaction() as session:
                session.add(
                    FinalFile(
                        version_id=stored.id, format=fmt, sha256=digest, data=data, created_at=store.clock()
                    )
                )
        except IntegrityError:  # a simultaneous first download kept its bytes first: use those
            with store.transaction() as session:
                data = session.scalars(
                    select(FinalFile.data).where(FinalFile.version_id == stored.id, FinalFile.format == fmt)
                ).one()
            digest = hashlib.sha256(data).hexdigest()
    _record(
        store,
        actor,
        "download",
        contract_id,
        info.number,
        digest,
        f"{fmt} {'final' if info.final else 'draft'}",
    )
    stem = safe_stem(str(info.params.get("contract_no", contract_id)))
    suffix = "" if info.final else "-draft"
    return Download(data, digest, info.final, info.number, f"{stem}-v{info.number}{suffix}.{fmt}")


def redline(store: Store, actor: Account, contract_id: int, old: int, new: int, fmt: str) -> Download:
    """Version ``new`` marked against version ``old`` (``agreement diff --format docx|pdf``); audited.

    A redline is never final: it is made afresh on every download, from
    the versions' parameters, outside any transaction.
    """
    from ..diff import redline_between

    (_, before), (after_prepared, after) = built_versions(store, actor, contract_id, old, new)
    try:
        data = redline_between(before, after, after_prepared.library.roots, fmt, author=actor.name)
    except RenderError as error:  # versions in other languages, a chapter added: the page says so
        raise InvalidRequest(f"no redline of v{old} → v{new}: {error}") from None
    digest = hashlib.sha256(data).hexdigest()
    _record(store, actor, "redline", contract_id, new, digest, f"{fmt} v{old} → v{new}")
    return Download(data, digest, False, new, f"contract-{contract_id}-v{old}-v{new}-redline.{fmt}")


def _record(
    store: Store, actor: Account, action: str, contract_id: int, version: int, digest: str, detail: str
) -> None:
    """The audit entry of a file that left the store: who took which version's file, and its SHA-256."""
    with store.transaction() as session:
        audit.record(
            session,
            store,
            action,
            actor,
            contract=contract_id,
            version=version,
            file_sha256=digest,
            detail=detail,
        )
