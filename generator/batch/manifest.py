"""What a batch has made: ``manifest.json`` (or one part per shard) in the output folder.

For each contract: its row, the SHA-256 of each of its files and the
fingerprint of its final parameters.  A re-run trusts a file only if the
file on disk still has the recorded hash *and* the row's parameters still
have the recorded fingerprint; then nothing is rewritten.  The manifest is
replaced atomically, at most every ``SAVE_EVERY`` seconds while the batch
runs and once at the end, so a killed run leaves a valid manifest that lags
by at most a few contracts (whose files a re-run recognises by their bytes).

Shards share the folder, so each writes only its own part and reads all of
them: the union of the parts is the whole batch.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..output import write_atomic
from .shard import Shard

FORMAT = 1
SAVE_EVERY = 0.5


@dataclass(frozen=True)
class Entry:
    """One contract as made: which row, which parameters, which files with which hashes."""

    row: int
    params: str
    #: Fingerprint of the templates and clause files (built-in and --clauses) it was made with.
    templates: str
    draft: bool
    files: dict[str, str]
    findings: tuple[str, ...] = field(default=())
    #: The options that change the files' bytes (``Options.render_label``: tracked changes,
    #: protection, signature fields, PDF/A): other options, other files.
    render_options: str = ""

    def matches(self, other: Entry) -> bool:
        """Made from the same inputs, so the same files: ``other``'s recorded files can be trusted."""
        return (self.params, self.templates, self.draft, self.render_options) == (
            other.params,
            other.templates,
            other.draft,
            other.render_options,
        )


@cache
def templates_fingerprint(roots: tuple[Path, ...]) -> str:
    """SHA-256 over the program's version and every file under the template and clause folders.

    Editing a clause or upgrading changes the contracts without changing any
    row, so it must make a re-run remake them.
    """
    digest = hashlib.sha256(version("agreement").encode())
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(f"\0{path.relative_to(root)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def sha256_of(path: Path) -> str | None:
    """The file's SHA-256, or None if there is no such file."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(f"{path}: cannot be read ({error.strerror})") from None
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def part_path(out_dir: Path, shard: Shard | None) -> Path:
    return out_dir / (f"manifest.{shard.suffix}.json" if shard else "manifest.json")


class Manifest:
    """This run's part of the manifest, plus what every part in the folder already records."""

    def __init__(self, out_dir: Path, table: str, shard: Shard | None) -> None:
        self.path = part_path(out_dir, shard)
        self.table = table
        self.shard = shard
        self.known: dict[str, list[Entry]] = {}
        parts = [out_dir / "manifest.json", *sorted(out_dir.glob("manifest.*-of-*.json"))]
        for path in (part for part in parts if part.exists()):
            for name, entry in _load(path).items():
                self.known.setdefault(name, []).append(entry)
        self.entries = _load(self.path) if self.path.exists() else {}
        self._saved = time.monotonic()
        self._dirty = False

    def prior(self, name: str) -> tuple[Entry, ...]:
        """Every recorded version of the contract ``name``, from any part."""
        return tuple(self.known.get(name, ()))

    def record(self, name: str, entry: Entry) -> None:
        self.entries[name] = entry
        self._dirty = True
        if time.monotonic() - self._saved >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        if not self._dirty and self.path.exists():
            return
        document = {
            "format": FORMAT,
            "table": self.table,
            "shard": str(self.shard) if self.shard else None,
            "contracts": {name: asdict(entry) for name, entry in sorted(self.entries.items())},
        }
        write_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=1).encode())
        self._saved = time.monotonic()
        self._dirty = False


def _load(path: Path) -> dict[str, Entry]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError(f"format {document.get('format')!r}, expected {FORMAT}")
        return {name: _entry(data) for name, data in document["contracts"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise OutputError(
            f"{path}: not a manifest this version can read ({error}); "
            "move it away, and the files it listed are checked afresh"
        ) from None


def _entry(data: dict[str, Any]) -> Entry:
    files = data["files"]
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise ValueError("'files' must map file names to hashes")
    return Entry(
        row=int(data["row"]),
        params=str(data["params"]),
        templates=str(data["templates"]),
        draft=bool(data["draft"]),
        files={str(k): v for k, v in files.items()},
        findings=tuple(str(f) for f in data.get("findings", ())),
        render_options=str(data.get("render_options", "")),
    )
