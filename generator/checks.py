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
    return bool(rate) and cap is not None and rate is not None and cap > rate * HIGH_CAP_HOURS


def _cap_above_ceiling(a: Agreement) -> bool:
    cap, ceiling = a.liabilities.penalty_cap, a.liabilities.cap_ceiling
    return cap is not None and ceiling is not None and cap > ceiling


def _consumer_loss_capped(a: Agreement) -> bool:
    """Actual loss up to a cap: a cap below the loss, void against a consumer."""
    liabilities = a.liabilities
    return (
        a.customer.kind == "consumer"
        and liabilities.penalty_per_hour is None
        and liabilities.penalty_cap is not None
    )


def _shortest_limit(a: Agreement) -> int:
    t = a.timeliness
    return min(t.response_hours, t.onsite_hours, t.inspection_hours, t.return_hours)


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
        "C007",
        "error",
        "liabilities.penalty_cap",
        "对消费者不得以上限限制实际损失的赔偿（消费者权益保护法第二十六条）",
        "a cap on the actual loss is void against a consumer (Consumer Rights Protection Law art. 26); "
        "give penalty_per_hour (the cap then limits only the liquidated damages) or remove penalty_cap",
        _consumer_loss_capped,
    ),
    Rule(
        "C008",
        "error",
        "signing.place",
        "约定由合同签订地法院管辖的，必须写明签订地点",
        "a court at the place of signing needs signing.place, or the connection point is undetermined",
        lambda a: (
            a.disputes.method == "litigation" and a.disputes.court == "signing_place" and not a.signing.place
        ),
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
    Rule(
        "W105",
        "warning",
        "liabilities.penalty_cap",
        "违约金上限超过公司标准规定的上限；约定的违约金超过造成损失的百分之三十的，"
        "一般可以认定为过分高于损失，法院可以适当减少",
        "the penalty cap is above the company standard's ceiling (liabilities.cap_ceiling); a court may "
        "reduce damages that exceed the loss by more than 30 % "
        "(Civil Code art. 585(2); SPC contract interpretation art. 65(2))",
        _cap_above_ceiling,
    ),
    Rule(
        "W106",
        "warning",
        "timeliness.clock",
        "一小时时限按自然小时昼夜连续计算，夜间及节假日亦须履行",
        "a 1-hour limit on a calendar clock runs round the clock, at night and on holidays too",
        lambda a: a.timeliness.clock == "calendar" and _shortest_limit(a) <= 1,
    ),
    Rule(
        "W107",
        "warning",
        "disputes.method",
        "以格式条款与消费者约定仲裁的，须特别提示；诉讼是消费者合同的默认方式",
        "an arbitration clause in a consumer's standard terms needs special notice; "
        "litigation is the default for consumers",
        lambda a: a.customer.kind == "consumer" and a.disputes.method == "arbitration",
    ),
)


def check(agreement: Agreement) -> list[Finding]:
    """Every rule the agreement breaks, errors first."""
    found = [Finding(rule) for rule in RULES if rule.violated(agreement)]
    return sorted(found, key=lambda f: (f.rule.severity != "error", f.rule.code))
