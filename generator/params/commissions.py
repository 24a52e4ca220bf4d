"""The arbitration commissions a contract may name, kept as data legal staff can extend.

An arbitration agreement must name the commission chosen (仲裁法 2025
第二十七条第一款).  One that names none, or names it so vaguely that two could
be meant (「上海市的仲裁机构」), holds only if the parties later agree on one
(第二十九条); 法释〔2006〕7号 第六条 makes it void if they cannot.  So the
parameters name a commission by a key of this list, and the clause prints its
full official name.  The built-in list is
``templates/arbitration-commissions.yaml``; a company adds entries under
``disputes.commissions`` in its standard parameter file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml

from ..resources import builtin


@dataclass(frozen=True)
class Commission:
    """One arbitration commission: its key and its official Chinese and English names."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def name_in(self, language: str) -> str:
        """The official name a contract in ``language`` prints (zh-CN: Chinese, en: English)."""
        return self.zh if language == "zh-CN" else self.en


@cache
def builtin_commissions() -> dict[str, Commission]:
    """The built-in list, read once per process."""
    path = builtin("templates") / "arbitration-commissions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        key: Commission(key, entry["zh"], entry["en"], tuple(entry.get("aliases", ())))
        for key, entry in data.items()
    }


def find_commission(given: str, added: dict[str, Commission]) -> Commission | None:
    """The commission ``given`` names: a key, or exactly one of its official names or aliases."""
    known = {**builtin_commissions(), **added}
    if given in known:
        return known[given]
    for commission in known.values():
        if given in (commission.zh, commission.en, *commission.aliases):
            return commission
    return None
