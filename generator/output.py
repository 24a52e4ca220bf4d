"""Writing contracts to disk: safe names, atomic replacement, no silent overwrite.

Each file is written to a temporary file in the target folder and renamed
into place, so an interrupted run leaves the old file or none, never a
truncated contract.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import OutputError, short_path

_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")),
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
MAX_STEM_BYTES = 120


def safe_stem(text: str) -> str:
    """A file name stem that is valid on Linux, macOS and Windows alike."""
    stem = unicodedata.normalize("NFC", text)
    stem = _UNSAFE.sub("_", stem).strip(" .")
    stem = re.sub(r"\.{2,}", ".", stem)
    while len(stem.encode()) > MAX_STEM_BYTES:
        stem = stem[:-1]
    if not stem:
        stem = "contract"
    # Windows ignores an extension and trailing spaces here: "con .txt" is CON too.
    if stem.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return stem


def check_writable(targets: list[Path], *, force: bool) -> None:
    """Refuse before any work is done if a target exists (without ``force``)."""
    for target in targets:
        try:
            exists = target.exists()
        except OSError as error:  # a name too long, say
            raise OutputError(f"{short_path(target)}: cannot write here ({error.strerror})") from None
        if target.is_dir():
            # Checked now, not at the rename, so that no file of the set is replaced.
            raise OutputError(f"{short_path(target)}: cannot write (Is a directory)")
        if exists and not force:
            raise OutputError(f"{target}: already exists; use --force to replace it")


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    write_together({target: data})


def write_together(files: dict[Path, bytes]) -> None:
    """Write several files (a contract's DOCX and PDF) all or none.

    Every file is first written in full to a temporary file beside its
    target; only when all are on disk are they renamed into place, so a
    full disk or an interruption leaves the old files (or none), never one
    new format beside an old or missing other.
    """
    staged: list[tuple[str, Path]] = []
    target = Path()
    try:
        for target, data in files.items():
            staged.append((_stage(target, data), target))
        for temporary, target in staged:
            os.replace(temporary, target)
    except BaseException as error:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"{short_path(target)}: cannot write ({error.strerror})") from None
        raise


def _stage(target: Path, data: bytes) -> str:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as error:
        raise OutputError(f"{short_path(target.parent)}: cannot write here ({error.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary
