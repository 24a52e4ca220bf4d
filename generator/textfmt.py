"""How numbers, amounts, dates and durations are written in a Chinese (and an English) contract.

Amounts follow the rules for writing RMB in capitals (大写金额): a zero in
the middle is written once as 零, 拾 is always preceded by its digit
(壹拾), whole yuan end in 整, and an amount with fen never does.  Amounts
are ``Decimal`` throughout: a float cannot hold 0.10 exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


# English, as PRC-practice contracts write it: amounts in figures and in words
# (``RMB 10,000.00 (SAY RENMINBI TEN THOUSAND ONLY)``), dates ``25 November 2026``.

_ONES = [
    "ZERO",
    "ONE",
    "TWO",
    "THREE",
    "FOUR",
    "FIVE",
    "SIX",
    "SEVEN",
    "EIGHT",
    "NINE",
    "TEN",
    "ELEVEN",
    "TWELVE",
    "THIRTEEN",
    "FOURTEEN",
    "FIFTEEN",
    "SIXTEEN",
    "SEVENTEEN",
    "EIGHTEEN",
    "NINETEEN",
]
_TENS = ["_", "_", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"]
_SCALES = ((1_000_000_000, "BILLION"), (1_000_000, "MILLION"), (1_000, "THOUSAND"))
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def english_words(number: int) -> str:
    """``1005`` → ``ONE THOUSAND AND FIVE`` (British usage, as amounts in words are written)."""
    if number < 0 or number >= 1_000_000_000_000:
        raise ValueError(f"number out of range: {number}")
    if number < 20:
        return _ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{_ONES[hundreds]} HUNDRED" + (f" AND {english_words(rest)}" if rest else "")
    for scale, name in _SCALES:
        if number >= scale:
            high, rest = divmod(number, scale)
            tail = (
                "" if not rest else f" AND {english_words(rest)}" if rest < 100 else f" {english_words(rest)}"
            )
            return f"{english_words(high)} {name}{tail}"
    raise AssertionError(number)  # pragma: no cover - every number below a trillion is handled above


def rmb_english(amount: Decimal) -> str:
    """``Decimal("10000")`` → ``RMB 10,000.00 (SAY RENMINBI TEN THOUSAND ONLY)``."""
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"amount has fractions of a fen: {amount}")
    cents = int(amount * 100)
    yuan, fen = divmod(cents, 100)
    words = english_words(yuan)
    if fen:
        words = f"{words} AND FEN {english_words(fen)}" if yuan else f"FEN {english_words(fen)}"
    return f"RMB {amount:,.2f} (SAY RENMINBI {words} ONLY)"


def english_date(day: date) -> str:
    """``date(2026, 11, 25)`` → ``25 November 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def english_duration(hours: int, clock: str) -> str:
    """``24 hours`` on a calendar clock, ``24 working hours`` on a working-hours clock."""
    unit = "working hour" if clock == "working" else "hour"
    return f"{hours} {unit}{'' if hours == 1 else 's'}"


def english_time_span(span: str) -> str:
    """Working hours ``09:00-18:00`` → ``9:00 to 18:00``."""
    start, end = span.split("-")
    return f"{_clock_time(start)} to {_clock_time(end)}"


def english_count(number: int) -> str:
    """A count in a contract: ``2`` → ``two (2)``."""
    return f"{english_words(number).lower()} ({number})"


@dataclass(frozen=True)
class Formats:
    """How one language writes numbers, amounts, dates and durations.

    Clause snippets of every language use the same filters (``money``,
    ``hours``…); each language's environment fills them from its ``Formats``.
    """

    money: Callable[[Decimal], str]
    date: Callable[[date], str]
    duration: Callable[[int, str], str]
    time_span: Callable[[str], str]
    count: Callable[[int], str]
    #: Chapter and attachment numbers (一 / 1).
    numeral: Callable[[int], str]


FORMATS = {
    "zh-CN": Formats(rmb, chinese_date, duration, time_span, chinese_count, chinese_numeral),
    "en": Formats(rmb_english, english_date, english_duration, english_time_span, english_count, str),
}
