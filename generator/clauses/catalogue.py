"""A listing of the clause library for ``agreement clauses``: which file, when, what it uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import meta, nodes

from .library import load_library
from .render import compiled, condition, environment

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
                label = str(number) if number else "-"
                # Compiling first turns a broken snippet into an error naming its file and line.
                compiled(library, clause)
                condition(library, clause)
                uses = _uses(clause.body, clause.when)
                rows.append(Row(label, key, clause.relpath, clause.when, uses))
    return rows


def _uses(body: str, when: str | None) -> tuple[str, ...]:
    """The parameters a snippet reads, as dotted keys (``timeliness.response_hours``)."""
    tree = environment().parse(body + (f"{{{{ {when} }}}}" if when else ""))
    parameters = meta.find_undeclared_variables(tree) - _HELPERS
    found: set[str] = set()
    for node in tree.find_all(nodes.Getattr):
        path = [node.attr]
        inner = node.node
        while isinstance(inner, nodes.Getattr):
            path.insert(0, inner.attr)
            inner = inner.node
        if isinstance(inner, nodes.Name) and inner.name in parameters:
            found.add(".".join([inner.name, *path]))
    # Keep only the longest paths: ``timeliness`` is implied by ``timeliness.clock``.
    longest = {p for p in found if not any(q.startswith(p + ".") for q in found)}
    bare = {name for name in parameters if not any(p.startswith(name + ".") for p in longest)}
    return tuple(sorted(longest | bare))
