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

import re
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import ClauseError, ParameterError, quote_value, short_path
from ..params.schema import TEMPLATE_NAME
from ..params.sources import load_yaml, read_text
from ..resources import builtin

_FRONT_KEYS = {"id", "section", "title", "when", "emphasized", "after", "basis", "source_sha"}
#: libyaml's safe loader when PyYAML has it: every command reads every front matter.
_FRONT_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    #: The statutes the clause applies (``basis:``), for the reviewing lawyer.
    basis: str | None = None
    #: In a translation, the hash of the first language's body it translates (``source_sha:``).
    source_sha: str | None = None


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

    def in_language(self, language: str, path: Path) -> Manifest:
        """The manifest with its section and attachment titles in ``language``.

        A title is either one text (a single-language template) or a mapping
        from language to text; a mapping without ``language`` is an error.
        """

        def title(given: Any, where: str) -> str:
            if isinstance(given, str):
                return given
            if isinstance(given, dict) and isinstance(given.get(language), str):
                return str(given[language])
            raise ClauseError(f"{path}: the title of '{where}' has no '{language}' text")

        return Manifest(
            self.key,
            self.defaults,
            self.preamble,
            tuple(Section(s.key, title(s.title, s.key), s.clauses) for s in self.sections),
            tuple((key, title(name, key)) for key, name in self.attachments),
        )


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
    manifest = load_manifest(template).in_language(language, builtin("templates") / template)
    for folder in user_dirs:
        _check_user_folder(folder, language)
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
    if not locale_path.is_relative_to(builtin("clauses")):
        check_locale(locale, _reference_locale(language), locale_path)
    manifest = _place_new_clauses(manifest, clauses)
    variants: dict[str, list[ClauseFile]] = {}
    for clause in clauses:
        variants.setdefault(clause.key, []).append(clause)
    listed = {key for section in manifest.sections for key in section.clauses}
    for key in sorted(listed - variants.keys() - {manifest.preamble}):
        raise ClauseError(f"the manifest of '{template}' lists clause '{key}', but no file has that id")
    roots = (builtin("templates"), builtin("clauses"), *user_dirs)
    return Library(language, manifest, {k: tuple(v) for k, v in variants.items()}, locale, roots)


def _reference_locale(language: str) -> dict[str, Any]:
    """The built-in locale of ``language`` (else of the first built-in language): what a user's must match."""
    own = builtin("clauses") / language / "locale.yaml"
    path = own if own.is_file() else sorted(builtin("clauses").glob("*/locale.yaml"))[0]
    return load_yaml(read_text(path), str(path))[0]


def check_locale(given: Any, reference: Any, path: Path, key: str = "") -> None:
    """A user's ``locale.yaml`` needs every key of the built-in one, of the same kind, with the same
    ``{placeholders}``: the model builder formats these strings and would otherwise fail in Python."""
    name = key.rstrip(".") or "(top level)"
    if isinstance(reference, dict):
        if not isinstance(given, dict):
            raise ClauseError(f"{path}: '{name}' must be a group of keys ({', '.join(reference)})")
        for inner in reference:
            if inner not in given:
                raise ClauseError(
                    f"{path}: '{key}{inner}' is missing; every key of the built-in locale is needed"
                )
            check_locale(given[inner], reference[inner], path, f"{key}{inner}.")
    elif isinstance(reference, str):
        if not isinstance(given, str):
            raise ClauseError(f"{path}: '{name}' must be text; got {quote_value(given)}")
        expected = _placeholders(reference)
        if _placeholders(given) != expected:
            allowed = " ".join(f"{{{field}}}" for field in expected or ()) or "no {placeholders}"
            raise ClauseError(f"{path}: '{name}' must use {allowed} once each; got {quote_value(given)}")


def _placeholders(text: str) -> list[str] | None:
    """The ``{fields}`` of a format string, sorted; None if its braces do not pair up."""
    try:
        return sorted(field for _, field, _, _ in string.Formatter().parse(text) if field is not None)
    except ValueError:
        return None


def _check_user_folder(folder: Path, language: str) -> None:
    """A ``--clauses`` folder that would contribute nothing is a mistake, not a no-op."""
    try:
        kind = "folder" if folder.is_dir() else "file" if folder.exists() else None
        has_language = kind == "folder" and (folder / language).is_dir()
    except OSError as error:  # a name too long, say
        raise ClauseError(f"{short_path(folder)}: cannot be read ({error.strerror})") from None
    if kind != "folder":
        what = "is a file" if kind else "does not exist"
        raise ClauseError(f"{folder}: {what}; --clauses takes a folder laid out like the built-in clauses")
    if not has_language:
        raise ClauseError(
            f"{folder}: has no '{language}' folder; a clause folder is laid out like the built-in one "
            f"({language}/content/scope.md, {language}/liability/breach.md, …)"
        )


@cache
def load_manifest(template: str) -> Manifest:
    """The manifest of ``template``: its sections, clauses and attachments, in order."""
    folder = builtin("templates") / template
    path = folder / "manifest.yaml"
    # The name is checked before it touches the file system: it is read
    # from the parameters before they are validated.
    if not re.fullmatch(TEMPLATE_NAME, template) or not path.is_file():
        available = sorted(p.name for p in builtin("templates").iterdir() if (p / "manifest.yaml").is_file())
        raise ParameterError(
            [f"template: no template {quote_value(template)}; available: {', '.join(available)}"]
        )
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
        # A user's clause folder may be hostile: refuse aliases (an alias
        # bomb) before anything is built from them.
        for event in yaml.parse(text[4:end], Loader=_FRONT_LOADER):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 2 if event.start_mark else 2
                raise ClauseError(f"{path}:{line}: YAML aliases (*name) are not allowed in a front matter")
        front = yaml.load(text[4:end], Loader=_FRONT_LOADER) or {}
    except yaml.YAMLError as error:
        raise ClauseError(f"{path}: front matter is not valid YAML: {error}") from None
    if not isinstance(front, dict):
        raise ClauseError(f"{path}:2: the front matter must be a mapping")
    unknown = sorted(str(key) for key in front if key not in _FRONT_KEYS)
    if unknown:
        raise ClauseError(
            f"{path}: unknown front matter key {quote_value(unknown[0])}; "
            f"allowed: {', '.join(sorted(_FRONT_KEYS))}"
        )
    for required in ("id", "section", "title"):
        if not isinstance(front.get(required), str):
            raise ClauseError(f"{path}: the front matter needs '{required}' (text)")
    for optional in ("when", "after", "basis", "source_sha"):
        if not isinstance(front.get(optional, ""), str):
            raise ClauseError(f"{path}: the front matter's '{optional}' must be text")
    return ClauseFile(
        key=front["id"],
        section=front["section"],
        title=front["title"],
        when=front.get("when"),
        emphasized=bool(front.get("emphasized", False)),
        after=front.get("after"),
        path=path,
        relpath=relpath,
        body=text[end + 5 :],
        body_line=text[: end + 5].count("\n") + 1,
        basis=front.get("basis"),
        source_sha=front.get("source_sha"),
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
