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

import re
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
        channel = key[:1] == ("complaint_channels",) and len(key) == 2 and isinstance(node, dict)
        if channel and node.get("kind") in LANGUAGE_FREE_CHANNELS:
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
