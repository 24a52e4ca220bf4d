"""Values that differ by language: ``customer.name: {zh-CN: 杭州明远商贸有限公司, en: Hangzhou …}``.

A one-line text such as a party's name or address may be given per
language; a plain string belongs to the first language of ``language``.
Before validation the mapping is split off: the agreement holds the first
language's text (so every check and writer sees plain strings), and
``Texts`` keeps every language's, for the models of the other languages.
A language the contract is written in but a value lacks is an error naming
the key; nothing falls back to another language's text.
"""

from __future__ import annotations

import copy
import re
from itertools import pairwise
from typing import Any

from ..errors import quote_value
from .sources import Key, dotted

#: The languages a contract can be written in, and the bilingual form.
LANGUAGES = ("zh-CN", "en")
LANGUAGE_CHOICES = ("zh-CN", "en", "zh-CN+en")
#: The one-line texts that may be given per language ("*" stands for a list index).
LOCALIZED: tuple[Key, ...] = (
    ("title",),
    *(
        (party, name)
        for party in ("enterprise", "customer")
        for name in ("name", "address", "representative")
    ),
    ("scope", "products"),
    ("scope", "sales_contract"),
    ("signing", "place"),
    ("complaint_channels", "*", "value"),
)
#: Channels whose value (a number, an address) is the same in every language.
LANGUAGE_FREE_CHANNELS = ("phone", "email")
#: A plain string of a lower layer that a later layer gave per language (``--set customer.name.en=…``).
UNLABELLED = "_"
#: Han characters and full-width punctuation: Chinese text where English belongs.
CHINESE = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_NAMES = {"zh-CN": "Chinese", "en": "English"}

#: Key → language → text, for every localized value the parameters give.
Texts = dict[Key, dict[str, str]]


def is_localized(key: Key) -> bool:
    """Whether the value at ``key`` may be a mapping from language to text."""
    return any(
        len(key) == len(pattern) and all(p == "*" or p == k for p, k in zip(pattern, key, strict=True))
        for pattern in LOCALIZED
    )


def languages_of(language: object) -> tuple[str, ...]:
    """``zh-CN+en`` → ``("zh-CN", "en")``; an invalid value is left for validation to report."""
    return tuple(str(language).split("+")) if language in LANGUAGE_CHOICES else ("zh-CN",)


def split_texts(tree: dict[str, Any]) -> tuple[dict[str, Any], Texts, list[tuple[Key, str]]]:
    """The tree with first-language texts, every language's texts, and the problems (key, message)."""
    wanted = languages_of(tree.get("language", "zh-CN"))
    texts: Texts = {}
    problems: list[tuple[Key, str]] = []

    def visit(node: Any, key: Key) -> Any:
        if _language_free(node, key):
            return node
        if isinstance(node, dict) and not is_localized(key):
            return {name: visit(value, (*key, name)) for name, value in node.items()}
        if isinstance(node, list):
            return [visit(value, (*key, index)) for index, value in enumerate(node)]
        if not is_localized(key) or not isinstance(node, (str, dict)):
            return node
        given = by_language(node, wanted[0])
        unknown = sorted(set(given) - set(LANGUAGES))
        if unknown:
            problems.append(
                (key, f"{quote_value(unknown[0])} is not a language; allowed: {', '.join(LANGUAGES)}")
            )
            return node
        for language in wanted:
            text = given.get(language)
            if not isinstance(text, str):
                name = dotted(key)
                problems.append((key, f"has no {_NAMES[language]} text; give {name}.{language}"))
                return node
            if language == "en" and CHINESE.search(text):
                problems.append(
                    (
                        key,
                        f"the English text {quote_value(text)} holds Chinese characters; "
                        f"give the English under {dotted(key)}.en",
                    )
                )
                return node
        texts[key] = {language: text for language, text in given.items() if isinstance(text, str)}
        return given[wanted[0]]

    return visit(tree, ()), texts, problems


def _language_free(node: Any, key: Key) -> bool:
    """Whether ``node`` is a complaint channel whose value is the same in every language (a phone)."""
    channel = key[:1] == ("complaint_channels",) and len(key) == 2 and isinstance(node, dict)
    return bool(channel and node.get("kind") in LANGUAGE_FREE_CHANNELS)


def by_language(value: str | dict[str, Any], first: str) -> dict[str, Any]:
    """A localized value as language → text (a plain string is ``first``'s)."""
    if isinstance(value, str):
        return {first: value}
    given = {name: text for name, text in value.items() if name != UNLABELLED}
    if UNLABELLED in value:
        given.setdefault(first, value[UNLABELLED])
    return given


def in_language(tree: dict[str, Any], texts: Texts, language: str) -> dict[str, Any]:
    """``tree`` (a dumped agreement) with every localized value in ``language``."""
    result = dict(tree)
    for key, by_language in texts.items():
        node: Any = result
        for part in key[:-1]:
            inner = node[part]
            node[part] = copied = list(inner) if isinstance(inner, list) else dict(inner)
            node = copied
        node[key[-1]] = by_language[language]
    return result


def by_script(text: str) -> list[tuple[str, str]]:
    """``text`` cut where it turns from Chinese to Latin letters or back, as (language, part).

    A character of neither (a space, a digit, a slash) stays with the part before it (the
    first part's with the first); a text of none at all is Chinese, the contract's first language.
    """
    parts: list[list[str]] = []
    for char in text:
        script = "zh-CN" if CHINESE.match(char) else "en" if char.isascii() and char.isalpha() else ""
        if parts and parts[-1][0] == "" and script:
            parts[-1][0] = script
        if parts and (not script or parts[-1][0] == script):
            parts[-1][1] += char
        else:
            parts.append([script, char])
    return [(script or "zh-CN", part) for script, part in parts] or [("zh-CN", "")]


def borrowed_texts(
    standard: dict[str, Any], client: dict[str, Any], skipped: tuple[Key, ...]
) -> tuple[dict[str, Any], list[tuple[Key, str]]]:
    """A layer writing the standard's texts in the client's languages, and the keys that cannot be.

    A redline's standard version is written in the client's languages; the
    standard may give a text (the enterprise's address) in its own language
    only.  The client's translation of it serves when the client's text says
    the same as the standard's in every language the standard gives: a
    translation is no term under negotiation.  Where the client changed the
    text, its translation translates another text, and the key is returned
    with a message instead (never the standard's Chinese as English).  The
    layer labels the standard's plain strings with the standard's language,
    so an English version never takes them for English.  ``skipped``: keys
    the standard version takes from the client anyway (the customer).
    """
    ours = languages_of(standard.get("language", "zh-CN"))[0]
    wanted = languages_of(client.get("language", "zh-CN"))
    layer: dict[str, Any] = {}
    missing: list[tuple[Key, str]] = []
    for key, value in _localized_values(standard, ()):
        if any(key[: len(own)] == own for own in skipped) or not isinstance(value, (str, dict)):
            continue
        texts = by_language(value, ours)
        lacking = [language for language in wanted if not isinstance(texts.get(language), str)]
        if not lacking and ours == wanted[0]:
            continue
        for candidate in _candidates(client, key) if lacking else ():
            theirs = by_language(candidate, wanted[0]) if isinstance(candidate, (str, dict)) else {}
            if isinstance(candidate, dict) and UNLABELLED in candidate:
                theirs.setdefault(ours, candidate[UNLABELLED])
            if all(theirs.get(lang) == text for lang, text in texts.items()) and all(
                isinstance(theirs.get(lang), str) for lang in lacking
            ):
                texts.update({lang: theirs[lang] for lang in lacking})
                lacking = []
                break
        if lacking:
            name = _NAMES[lacking[0]]
            missing.append(
                (
                    key,
                    f"the standard gives no {name} text, and the client's {name}, if any, translates "
                    f"another text; give the standard's {name} in the standard: "
                    f"{dotted(key)}: {{{ours}: …, {lacking[0]}: …}}",
                )
            )
            continue
        _place(layer, standard, key, {lang: texts[lang] for lang in (ours, *wanted) if lang in texts})
    return layer, missing


def _localized_values(node: Any, key: Key) -> list[tuple[Key, Any]]:
    """Every localized key present in a parameter tree, with its value (list positions expanded)."""
    if is_localized(key):
        return [(key, node)]
    if _language_free(node, key):
        return []
    if isinstance(node, dict):
        return [found for name, value in node.items() for found in _localized_values(value, (*key, name))]
    if isinstance(node, list):
        return [
            found for index, value in enumerate(node) for found in _localized_values(value, (*key, index))
        ]
    return []


def _candidates(tree: dict[str, Any], key: Key) -> list[Any]:
    """The client's values that may translate the standard's at ``key``: the same key's, and
    for a key inside a list (a complaint channel) the same field of every element."""
    nodes: list[Any] = [tree]
    for part in key:
        if isinstance(part, int):
            nodes = [element for node in nodes if isinstance(node, list) for element in node]
        else:
            nodes = [node[part] for node in nodes if isinstance(node, dict) and part in node]
    return nodes


def _place(layer: dict[str, Any], standard: dict[str, Any], key: Key, value: Any) -> None:
    """Set ``key`` in ``layer``; a list on the way is the standard's copied (a layer replaces lists whole)."""
    node: Any = layer
    source: Any = standard
    for part, after in pairwise(key):
        source = source[part]
        if isinstance(node, dict) and part not in node:
            node[part] = copy.deepcopy(source) if isinstance(after, int) or isinstance(source, list) else {}
        node = node[part]
    node[key[-1]] = value
