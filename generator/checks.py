"""Consistency rules: terms that are each valid but together contradict or look wrong.

Errors stop generation (the contract would contradict itself or be void in
practice); warnings are printed and recorded, and ``--strict`` makes them
errors.  Each rule has a stable code so that users can look it up in the
README and scripts can match on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .params.schema import Agreement

Severity = Literal["error", "warning"]

#: A cap above this many hours of penalty is unusual enough to look at twice.
HIGH_CAP_HOURS = 500
#: A response limit beyond three days is legal but unusual for after-sales service.
SLOW_RESPONSE_HOURS = 72


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    key: str
    zh: str
    en: str
    violated: Callable[[Agreement], bool]


@dataclass(frozen=True)
class Finding:
    rule: Rule

    def __str__(self) -> str:
        return f"{self.rule.severity} {self.rule.code} {self.rule.key}: {self.rule.en}（{self.rule.zh}）"


def _onsite(a: Agreement) -> bool:
    return "onsite_service" in a.scope.services


def _factory(a: Agreement) -> bool:
    return "factory_repair" in a.scope.services


def _cap_below_rate(a: Agreement) -> bool:
    rate, cap = a.liabilities.penalty_per_hour, a.liabilities.penalty_cap
    return rate is not None and cap is not None and cap < rate


def _cap_high(a: Agreement) -> bool:
    rate, cap = a.liabilities.penalty_per_hour, a.liabilities.penalty_cap
    return rate is not None and cap is not None and cap > rate * HIGH_CAP_HOURS


RULES: tuple[Rule, ...] = (
    Rule(
        "C001",
        "error",
        "timeliness.response_hours",
        "响应时限不得长于上门时限",
        "the response limit must not be longer than the on-site limit",
        lambda a: _onsite(a) and a.timeliness.response_hours > a.timeliness.onsite_hours,
    ),
    Rule(
        "C002",
        "error",
        "timeliness.inspection_hours",
        "检测时限不得短于响应时限",
        "the inspection limit must not be shorter than the response limit",
        lambda a: _factory(a) and a.timeliness.inspection_hours < a.timeliness.response_hours,
    ),
    Rule(
        "C003",
        "error",
        "liabilities.penalty_cap",
        "违约金上限不得低于每小时违约金",
        "the penalty cap must not be lower than the hourly penalty",
        _cap_below_rate,
    ),
    Rule(
        "C004",
        "error",
        "term.months",
        "协议期限不得为零个月",
        "the term must be at least one month",
        lambda a: a.term.months == 0,
    ),
    Rule(
        "C005",
        "error",
        "disputes.arbitration_commission",
        "选择仲裁的，必须写明具体的仲裁委员会，否则仲裁条款无效",
        "arbitration needs a named arbitration commission, or the clause is void",
        lambda a: a.disputes.method == "arbitration" and not a.disputes.arbitration_commission,
    ),
    Rule(
        "C006",
        "error",
        "disputes.court",
        "选择诉讼的，必须写明管辖法院",
        "litigation needs the competent court",
        lambda a: a.disputes.method == "litigation" and not a.disputes.court,
    ),
    Rule(
        "W101",
        "warning",
        "timeliness.response_hours",
        f"响应时限超过{SLOW_RESPONSE_HOURS}小时",
        f"the response limit is over {SLOW_RESPONSE_HOURS} hours",
        lambda a: a.timeliness.response_hours > SLOW_RESPONSE_HOURS,
    ),
    Rule(
        "W102",
        "warning",
        "timeliness.working_hours",
        "按工作小时计时，但未写明工作时间",
        "a working-hours clock without the working hours stated",
        lambda a: a.timeliness.clock == "working" and not a.timeliness.working_hours,
    ),
    Rule(
        "W103",
        "warning",
        "liabilities.penalty_cap",
        "约定了每小时违约金但未约定上限",
        "an hourly penalty without a cap",
        lambda a: a.liabilities.penalty_per_hour is not None and a.liabilities.penalty_cap is None,
    ),
    Rule(
        "W104",
        "warning",
        "liabilities.penalty_cap",
        f"违约金上限超过{HIGH_CAP_HOURS}小时的违约金，可能被认定为过高",
        f"the penalty cap exceeds {HIGH_CAP_HOURS} hours of penalty and may be held excessive",
        _cap_high,
    ),
)


def check(agreement: Agreement) -> list[Finding]:
    """Every rule the agreement breaks, errors first."""
    found = [Finding(rule) for rule in RULES if rule.violated(agreement)]
    return sorted(found, key=lambda f: (f.rule.severity != "error", f.rule.code))
