"""Keep the languages of the clause library in step with the first one (zh-CN).

Every file of ``clauses/zh-CN/`` has a counterpart with the same relative
path in each other language folder, with the same ``id``, ``section``,
``when`` and ``emphasized``, the same template logic (conditions, loops,
printed values, filters, ``clause_no()`` and ``attachment()`` calls), the
same paragraph-level emphasis markers and list items, and a ``source_sha``
naming the Chinese body it translates.  A Chinese body edited after its
translation changes its hash, and the check names the clause to
re-translate.  There is no fallback: a contract in a language whose library
is out of step is never generated from a mixture of the two.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import cache
from pathlib import Path

from jinja2 import nodes

from ..errors import ClauseError
from .library import ClauseFile, Library, check_locale, load_library
from .render import environment

#: The language every translation is made from.
SOURCE = "zh-CN"
_EMPHASIS = re.compile(r"(?:^|%\})(?:- )?> ", re.MULTILINE)
_ITEM = re.compile(r"^- ", re.MULTILINE)


def source_sha(body: str) -> str:
    """The hash a translation records of the body it translates (16 hex digits of SHA-256)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def logic(clause: ClauseFile, language: str) -> Counter[str]:
    """The template logic of a snippet, independent of its words and their order."""
    tree = environment(language).parse(clause.body)
    found: Counter[str] = Counter()
    for node in tree.find_all((nodes.If, nodes.For, nodes.Output)):
        if isinstance(node, nodes.If):
            found[f"if {node.test!r}"] += 1
        elif isinstance(node, nodes.For):
            found[f"for {node.target!r} in {node.iter!r}"] += 1
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    found[f"print {child!r}"] += 1
    return found


def problems(source: Library, translation: Library) -> list[str]:
    """Every way ``translation`` is out of step with ``source``, each naming the clause file."""
    found: list[str] = []
    theirs = {c.relpath: c for variants in translation.variants.values() for c in variants}
    ours = {c.relpath: c for variants in source.variants.values() for c in variants}
    folder = f"clauses/{translation.language}"
    for relpath, original in sorted(ours.items()):
        copy = theirs.get(relpath)
        name = f"{folder}/{relpath}"
        if copy is None:
            found.append(f"{name}: missing; translate {original.path}")
            continue
        for key in ("key", "section", "when", "emphasized"):
            if getattr(copy, key) != getattr(original, key):
                label = "id" if key == "key" else key
                found.append(
                    f"{name}: '{label}' is {getattr(copy, key)!r}, but {getattr(original, key)!r} in {SOURCE}"
                )
        expected = source_sha(original.body)
        if copy.source_sha is None:
            found.append(
                f"{name}: has no source_sha; translate the {SOURCE} body and add source_sha: {expected}"
            )
        elif copy.source_sha != expected:
            found.append(
                f"{name}: the {SOURCE} text changed since it was translated (source_sha {copy.source_sha}, "
                f"now {expected}); update the translation, then its source_sha"
            )
        ours_logic, theirs_logic = logic(original, source.language), logic(copy, translation.language)
        if ours_logic != theirs_logic:
            only_ours = sorted((ours_logic - theirs_logic).elements())
            only_theirs = sorted((theirs_logic - ours_logic).elements())
            detail = "; ".join(
                [*(f"only in {SOURCE}: {x}" for x in only_ours), *(f"only here: {x}" for x in only_theirs)]
            )
            found.append(f"{name}: placeholders, conditions or filters differ from {SOURCE} ({detail})")
        for what, pattern in (("emphasis markers (>)", _EMPHASIS), ("list items (-)", _ITEM)):
            count, expected_count = len(pattern.findall(copy.body)), len(pattern.findall(original.body))
            if count != expected_count:
                found.append(f"{name}: {count} {what}, but {expected_count} in {SOURCE}")
    for relpath in sorted(theirs.keys() - ours.keys()):
        found.append(f"{folder}/{relpath}: has no {SOURCE} original ({SOURCE}/{relpath})")
    try:
        check_locale(translation.locale, source.locale, Path(folder) / "locale.yaml")
    except ClauseError as error:
        found.append(str(error))
    return found


@cache
def check_languages(template: str, languages: tuple[str, ...], user_dirs: tuple[Path, ...] = ()) -> None:
    """Raise ``ClauseError`` listing every clause of ``languages`` out of step with zh-CN."""
    source = load_library(template, SOURCE, user_dirs)
    found = [
        problem
        for language in languages
        if language != SOURCE
        for problem in problems(source, load_library(template, language, user_dirs))
    ]
    if found:
        raise ClauseError("the clause languages are out of step:\n" + "\n".join(f"  {p}" for p in found))
