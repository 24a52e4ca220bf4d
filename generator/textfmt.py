"""How numbers, amounts, dates and durations are written in a Chinese contract.

Amounts follow the rules for writing RMB in capitals (大写金额): a zero in
the middle is written once as 零, 拾 is always preceded by its digit
(壹拾), whole yuan end in 整, and an amount with fen never does.  Amounts
are ``Decimal`` throughout: a float cannot hold 0.10 exactly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿")
_SMALL = "零一二三四五六七八九"


def rmb_capitals(amount: Decimal) -> str:
    """``Decimal("1005.50")`` → ``人民币壹仟零伍元伍角``."""
    if amount < 0 or amount >= Decimal("1000000000000"):
        raise ValueError(f"amount out of range: {amount}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"amount has fractions of a fen: {amount}")
    cents = int(amount * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = _integer_capitals(yuan)
    if not jiao and not fen:
        return f"人民币{text or '零'}元整"
    result = f"{text}元" if yuan else ""
    if jiao:
        result += f"{_DIGITS[jiao]}角"
    elif yuan:
        result += "零"
    if fen:
        result += f"{_DIGITS[fen]}分"
    return f"人民币{result}"


def _integer_capitals(number: int) -> str:
    digits = str(number) if number else ""
    out: list[str] = []
    zero_pending = False
    group_has_digit = False
    for index, char in enumerate(digits):
        position = len(digits) - 1 - index
        digit = int(char)
        if digit == 0:
            zero_pending = True
        else:
            if zero_pending and out:
                out.append("零")
            zero_pending = False
            group_has_digit = True
            out.append(_DIGITS[digit] + _UNITS[position % 4])
        if position % 4 == 0:
            if group_has_digit and position:
                out.append(_GROUPS[position // 4])
            group_has_digit = False
    return "".join(out)


def rmb(amount: Decimal) -> str:
    """The amount in figures and in capitals, as a contract states it."""
    return f"人民币{amount:,.2f}元（大写：{rmb_capitals(amount).removeprefix('人民币')}）"


def chinese_numeral(number: int) -> str:
    """Chapter and attachment numbers: 1 → 一, 12 → 十二, 20 → 二十 (1 to 99)."""
    if not 0 < number < 100:
        raise ValueError(f"no chapter number for {number}")
    tens, ones = divmod(number, 10)
    if not tens:
        return _SMALL[ones]
    return ("" if tens == 1 else _SMALL[tens]) + "十" + (_SMALL[ones] if ones else "")


def chinese_count(number: int) -> str:
    """A count of things: 2 → 两 (一式两份), otherwise as ``chinese_numeral``."""
    return "两" if number == 2 else chinese_numeral(number)


def chinese_date(day: date) -> str:
    """``date(2026, 11, 25)`` → ``2026年11月25日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def duration(hours: int, clock: str) -> str:
    """``24小时`` on a calendar clock, ``24个工作小时`` on a working-hours clock."""
    return f"{hours}个工作小时" if clock == "working" else f"{hours}小时"


def time_span(span: str) -> str:
    """Working hours ``09:00-18:00`` as a contract writes them: 9:00至18:00."""
    start, end = span.split("-")
    return f"{_clock_time(start)}至{_clock_time(end)}"


def _clock_time(time: str) -> str:
    hour, minute = time.split(":")
    return f"{int(hour)}:{minute}"
