"""A listing of the clause library for ``agreement clauses``: which file, when, what it uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import meta

from .library import load_library
from .render import environment

#: Names a snippet may use that are not parameters.
_HELPERS = {"t", "clause_no", "attachment"}


@dataclass(frozen=True)
class Row:
    section: str
    key: str
    relpath: str
    when: str | None
    uses: tuple[str, ...]


def catalogue(template: str, language: str, user_dirs: tuple[Path, ...] = ()) -> list[Row]:
    """Every clause variant in manifest order, with the parameters its text and condition use."""
    library = load_library(template, language, user_dirs)
    rows = []
    sections: list[tuple[str, tuple[str, ...]]] = []
    if library.manifest.preamble:
        sections.append(("", (library.manifest.preamble,)))
    sections += [(s.key, s.clauses) for s in library.manifest.sections]
    for number, (_, keys) in enumerate(sections, 0 if library.manifest.preamble else 1):
        for key in keys:
            for clause in library.variants[key]:
                source = clause.body + (f"{{{{ {clause.when} }}}}" if clause.when else "")
                names = meta.find_undeclared_variables(environment().parse(source))
                rows.append(
                    Row(
                        str(number) if number else "-",
                        key,
                        clause.relpath,
                        clause.when,
                        tuple(sorted(names - _HELPERS)),
                    )
                )
    return rows
