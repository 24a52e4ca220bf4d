"""The clause library and the template manifest, read from disk once per process.

A clause file is Markdown with Jinja, behind a small YAML front matter::

    ---
    id: disputes
    section: liability
    title: 争议解决
    when: disputes.method == "arbitration"
    ---
    因本协议引起的……

A user folder given with ``--clauses`` is laid out like the built-in one; a
file there replaces the built-in file with the same relative path, a new one
adds a clause (placed with ``after:``, else at the end of its section).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import ClauseError, ParameterError
from ..params.sources import load_yaml, read_text
from ..resources import builtin

_FRONT_KEYS = {"id", "section", "title", "when", "emphasized", "after"}


@dataclass(frozen=True)
class ClauseFile:
    """One variant of one clause, as written by legal staff."""

    key: str
    section: str
    title: str
    when: str | None
    emphasized: bool
    after: str | None
    path: Path
    relpath: str
    body: str
    #: Line of the file on which ``body`` starts, so errors point into the file.
    body_line: int


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    key: str
    defaults: Path
    preamble: str | None
    sections: tuple[Section, ...]
    attachments: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Library:
    """Everything one template in one language needs, loaded once and shared."""

    language: str
    manifest: Manifest
    variants: dict[str, tuple[ClauseFile, ...]]
    locale: dict[str, Any]
    #: The only folders the PDF engine may read from.
    roots: tuple[Path, ...]
    compiled: dict[str, Any] = field(default_factory=dict, compare=False)


def languages(user_dirs: tuple[Path, ...] = ()) -> list[str]:
    """The languages the built-in and user clause folders provide."""
    found = {p.name for root in (builtin("clauses"), *user_dirs) for p in root.iterdir() if p.is_dir()}
    return sorted(found)


@cache
def load_library(template: str, language: str, user_dirs: tuple[Path, ...] = ()) -> Library:
    """Read the manifest, the locale and every clause file of ``template`` in ``language``."""
    manifest = load_manifest(template)
    clause_roots = [root / language for root in (builtin("clauses"), *user_dirs)]
    if not any(root.is_dir() for root in clause_roots):
        raise ParameterError(
            [f"language: no clauses for '{language}'; available: {', '.join(languages(user_dirs))}"]
        )
    files: dict[str, Path] = {}
    for root in clause_roots:
        for path in sorted(root.rglob("*.md")) if root.is_dir() else ():
            files[path.relative_to(root).as_posix()] = path
    clauses = [_read_clause(path, rel) for rel, path in sorted(files.items())]
    locale_path = next(
        (root / "locale.yaml" for root in reversed(clause_roots) if (root / "locale.yaml").is_file()),
        None,
    )
    if locale_path is None:
        raise ClauseError(f"no locale.yaml for language '{language}'")
    locale, _ = load_yaml(read_text(locale_path), str(locale_path))
    manifest = _place_new_clauses(manifest, clauses)
    variants: dict[str, list[ClauseFile]] = {}
    for clause in clauses:
        variants.setdefault(clause.key, []).append(clause)
    listed = {key for section in manifest.sections for key in section.clauses}
    for key in sorted(listed - variants.keys() - {manifest.preamble}):
        raise ClauseError(f"the manifest of '{template}' lists clause '{key}', but no file has that id")
    roots = (builtin("templates"), builtin("clauses"), *user_dirs)
    return Library(language, manifest, {k: tuple(v) for k, v in variants.items()}, locale, roots)


@cache
def load_manifest(template: str) -> Manifest:
    """The manifest of ``template``: its sections, clauses and attachments, in order."""
    folder = builtin("templates") / template
    path = folder / "manifest.yaml"
    if not path.is_file():
        available = sorted(p.name for p in builtin("templates").iterdir() if (p / "manifest.yaml").is_file())
        raise ParameterError([f"template: no template '{template}'; available: {', '.join(available)}"])
    data, _ = load_yaml(read_text(path), str(path))
    try:
        sections = tuple(Section(s["id"], s["title"], tuple(s["clauses"])) for s in data["sections"])
        attachments = tuple((a["id"], a["title"]) for a in data.get("attachments", ()))
        return Manifest(template, folder / data["defaults"], data.get("preamble"), sections, attachments)
    except (KeyError, TypeError) as error:
        raise ClauseError(f"{path}: malformed manifest ({error})") from None


def _read_clause(path: Path, relpath: str) -> ClauseFile:
    text = read_text(path)
    if not text.startswith("---\n"):
        raise ClauseError(f"{path}:1: a clause file starts with a front matter between '---' lines")
    end = text.find("\n---\n", 4)
    if end < 0:
        raise ClauseError(f"{path}:1: the front matter is not closed by a '---' line")
    try:
        front = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as error:
        raise ClauseError(f"{path}: front matter is not valid YAML: {error}") from None
    if not isinstance(front, dict):
        raise ClauseError(f"{path}:2: the front matter must be a mapping")
    unknown = sorted(set(front) - _FRONT_KEYS)
    if unknown:
        raise ClauseError(
            f"{path}: unknown front matter key '{unknown[0]}'; allowed: {', '.join(sorted(_FRONT_KEYS))}"
        )
    for required in ("id", "section", "title"):
        if not isinstance(front.get(required), str):
            raise ClauseError(f"{path}: the front matter needs '{required}' (text)")
    return ClauseFile(
        key=front["id"],
        section=front["section"],
        title=front["title"],
        when=str(front["when"]) if front.get("when") is not None else None,
        emphasized=bool(front.get("emphasized", False)),
        after=front.get("after"),
        path=path,
        relpath=relpath,
        body=text[end + 5 :],
        body_line=text[: end + 5].count("\n") + 1,
    )


def _place_new_clauses(manifest: Manifest, clauses: list[ClauseFile]) -> Manifest:
    """Add clauses that the manifest does not list to their section."""
    sections = {s.key: list(s.clauses) for s in manifest.sections}
    listed = {key for keys in sections.values() for key in keys}
    for clause in clauses:
        if clause.key in listed or clause.key == manifest.preamble:
            continue
        if clause.section not in sections:
            raise ClauseError(
                f"{clause.path}: section '{clause.section}' is not in the template; "
                f"sections: {', '.join(sections)}"
            )
        keys = sections[clause.section]
        keys.insert(keys.index(clause.after) + 1 if clause.after in keys else len(keys), clause.key)
        listed.add(clause.key)
    return Manifest(
        manifest.key,
        manifest.defaults,
        manifest.preamble,
        tuple(Section(s.key, s.title, tuple(sections[s.key])) for s in manifest.sections),
        manifest.attachments,
    )
