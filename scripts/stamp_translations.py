"""Record in each translated clause the hash of the zh-CN body it translates (``source_sha:``).

Run it after translating or re-translating a clause, never to silence
``agreement clauses --check``: the hash says "this translation matches that
Chinese text", which only a translator can know.

    .venv/bin/python scripts/stamp_translations.py en content/scope.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.clauses.parity import SOURCE, source_sha

CLAUSES = Path(__file__).resolve().parent.parent / "clauses"


def stamp(language: str, relpath: str) -> None:
    original = (CLAUSES / SOURCE / relpath).read_text(encoding="utf-8")
    body = original[original.find("\n---\n", 4) + 5 :]
    path = CLAUSES / language / relpath
    text = path.read_text(encoding="utf-8")
    end = text.find("\n---\n", 4)
    front = [line for line in text[:end].split("\n") if not line.startswith("source_sha:")]
    path.write_text("\n".join([*front, f"source_sha: {source_sha(body)}"]) + text[end:], encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    for name in sys.argv[2:]:
        stamp(sys.argv[1], name)
