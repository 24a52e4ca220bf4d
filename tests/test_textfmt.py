"""Amounts, dates and durations as a Chinese contract writes them.

The expected capitals follow the People's Bank of China's rules for writing
amounts on payment instruments (《支付结算办法》附件《正确填写票据和结算凭证的基本规定》),
several of them the rules' own examples: a run of zeros inside the number is
written once as 零; 拾 always has its digit (壹拾); whole yuan end in 整, an
amount with jiao may omit it and one with fen never has it; when the jiao is
zero and the fen is not, 零 follows 元.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator.textfmt import chinese_date, duration, rmb, rmb_capitals

AMOUNTS = [
    ("0", "人民币零元整"),
    ("0.05", "人民币伍分"),
    ("0.50", "人民币伍角"),
    ("10", "人民币壹拾元整"),
    ("15", "人民币壹拾伍元整"),
    ("20.10", "人民币贰拾元壹角"),
    ("100", "人民币壹佰元整"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),  # PBOC example
    ("1000.05", "人民币壹仟元零伍分"),
    ("1005.50", "人民币壹仟零伍元伍角"),
    ("1409.50", "人民币壹仟肆佰零玖元伍角"),  # PBOC example
    ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),  # PBOC example (零 before 叁角 optional)
    ("10000", "人民币壹万元整"),
    ("12000.00", "人民币壹万贰仟元整"),
    ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),  # PBOC example
    ("100000", "人民币壹拾万元整"),
    ("100010", "人民币壹拾万零壹拾元整"),
    ("107000.53", "人民币壹拾万零柒仟元伍角叁分"),  # PBOC example (one 零, either place)
    ("1000100", "人民币壹佰万零壹佰元整"),
    ("1010101.01", "人民币壹佰零壹万零壹佰零壹元零壹分"),
    ("10000000", "人民币壹仟万元整"),
    ("100000000", "人民币壹亿元整"),
    ("100000001", "人民币壹亿零壹元整"),
    ("110000000", "人民币壹亿壹仟万元整"),
    ("100100000", "人民币壹亿零壹拾万元整"),
    ("123456789.99", "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("amount", "capitals"), AMOUNTS)
def test_amount_in_capitals(amount: str, capitals: str) -> None:
    assert rmb_capitals(Decimal(amount)) == capitals


def test_the_amount_table_is_long_enough_and_distinct() -> None:
    assert len({Decimal(amount) for amount, _ in AMOUNTS}) == len(AMOUNTS) >= 15


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("12000", "人民币12,000.00元（大写：壹万贰仟元整）"),
        ("1005.5", "人民币1,005.50元（大写：壹仟零伍元伍角）"),
        ("0.05", "人民币0.05元（大写：伍分）"),
    ],
)
def test_amount_in_figures_and_capitals(amount: str, text: str) -> None:
    assert rmb(Decimal(amount)) == text


@pytest.mark.parametrize(
    ("amount", "problem"),
    [("-0.01", "out of range"), ("1000000000000", "out of range"), ("0.005", "fractions of a fen")],
)
def test_amount_that_cannot_be_written_is_refused(amount: str, problem: str) -> None:
    """Never rounded silently: the schema allows two decimals, anything else is a bug to see."""
    with pytest.raises(ValueError, match=problem):
        rmb_capitals(Decimal(amount))


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 25), "2026年11月25日"),
        (date(2026, 1, 5), "2026年1月5日"),
        (date(2028, 2, 29), "2028年2月29日"),
    ],
)
def test_date(day: date, text: str) -> None:
    assert chinese_date(day) == text


@pytest.mark.parametrize(
    ("hours", "clock", "text"),
    [(24, "calendar", "24小时"), (1, "calendar", "1小时"), (8, "working", "8个工作小时")],
)
def test_duration(hours: int, clock: str, text: str) -> None:
    assert duration(hours, clock) == text
