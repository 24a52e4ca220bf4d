"""Where the built-in templates and clauses live.

In a wheel they travel inside the package (``generator/_data/templates``,
``generator/_data/clauses``); in a source checkout they sit at the top of the
repository, where legal staff edit them.  Both layouts are found here and
nowhere else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def builtin(name: str) -> Path:
    """The built-in folder ``name`` (``templates`` or ``clauses``)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the built-in '{name}' folder is missing from this installation")
