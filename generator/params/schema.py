"""The typed parameters of one agreement.

The names here are a public interface: parameter files, ``--set`` keys and
spreadsheet column headers all use them, so renaming one breaks users.
Bounds are deliberately generous but finite, so that a typo (``4800`` for
``48``) is caught before it reaches a signed contract.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

#: Characters XML 1.0 cannot hold (both DOCX and the PDF's HTML are XML-ish);
#: such a value is rejected rather than silently altered.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

MAX_LINE = 200
#: A template is a folder of ``templates/``: its name is this, and nothing that could leave it.
TEMPLATE_NAME = r"^[a-z0-9-]{1,40}$"
MAX_HOURS = 720
MAX_MONEY = Decimal("100000000")
#: Signing dates outside this century are typos (and a zip file cannot hold
#: a timestamp before 1980, nor a DOCX one after 2107).
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def _plain_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line of text")
    bad = _XML_FORBIDDEN.search(value)
    if bad:
        raise ValueError(
            f"contains the control character U+{ord(bad.group()):04X}, which a document cannot hold"
        )
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


Line = Annotated[str, Field(strict=True, max_length=MAX_LINE), AfterValidator(_plain_line)]
Hours = Annotated[int, Field(strict=True, ge=1, le=MAX_HOURS)]


def _to_money(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError("must be an amount in yuan, such as 200 or 1005.50")
    try:
        amount = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ValueError("must be an amount in yuan, such as 200 or 1005.50") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise ValueError(f"must be between 0 and {MAX_MONEY:,} yuan")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("must not have more than two decimal places (fen)")
    return amount.quantize(Decimal("0.01"))


Money = Annotated[Decimal, BeforeValidator(_to_money)]


DATE_ALLOWED = f"a date from {FIRST_DATE} to {LAST_DATE}, written YYYY-MM-DD"


def _date_only(value: object) -> object:
    """Let only dates and text through to pydantic's date parsing.

    Pydantic alone would also take a number as seconds since 1970, turning a
    typo into a wrong but valid-looking date on a signed contract.
    """
    if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
        raise ValueError(f"must be {DATE_ALLOWED}")
    return value


def _date_in_range(value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"must be {DATE_ALLOWED}")
    return value


Date = Annotated[dt.date, BeforeValidator(_date_only), AfterValidator(_date_in_range)]

ServiceItem = Literal[
    "installation",
    "remote_support",
    "onsite_service",
    "factory_repair",
    "replacement",
    "consultation",
    "maintenance",
    "other",
]
ChannelKind = Literal["phone", "email", "online", "wechat", "letter"]
PartyField = Literal["address", "representative", "phone", "email"]


class Model(BaseModel):
    """Strict base: unknown keys are errors, so a misspelt key never goes unnoticed."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Party(Model):
    name: Line
    address: Line | None = None
    representative: Line | None = None
    phone: Line | None = None
    email: Line | None = None
    #: Fields left as an underlined blank, to be filled in by hand on paper,
    #: even where a lower layer (the company standard, say) gives a value.
    by_hand: list[PartyField] = []

    @model_validator(mode="after")
    def _each_field_given_or_by_hand(self) -> Party:
        for field in ("address", "representative", "phone"):
            if getattr(self, field) is None and field not in self.by_hand:
                raise ValueError(f"'{field}' is missing: give it, or list it in by_hand to leave a blank")
        return self


class Customer(Party):
    #: A consumer gets the statutory protections (三包, personal information).
    kind: Literal["business", "consumer"] = "business"


class Scope(Model):
    services: list[ServiceItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _no_repeats(self) -> Scope:
        seen = [s for i, s in enumerate(self.services) if s in self.services[:i]]
        if seen:
            raise ValueError(f"lists '{seen[0]}' twice")
        return self


class Timeliness(Model):
    response_hours: Hours
    onsite_hours: Hours
    inspection_hours: Hours
    return_hours: Hours
    clock: Literal["calendar", "working"] = "calendar"
    working_hours: (
        Annotated[str, Field(strict=True, pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")]
        | None
    ) = None
    working_days: Literal["mon-fri", "mon-sat", "mon-sun"] = "mon-fri"
    count_public_holidays: bool = False
    #: Form A explains a missed limit when it happens, form B beforehand.
    explain_delay: Literal["promptly", "in_advance"] = "promptly"


class Channel(Model):
    kind: ChannelKind
    value: Line


class Process(Model):
    #: Form B also collects the customer's opinion on the result.
    collect_opinion: bool = False


class Term(Model):
    months: Annotated[int, Field(strict=True, ge=0, le=120)]


class Liabilities(Model):
    penalty_per_hour: Money | None = None
    penalty_cap: Money | None = None


class Disputes(Model):
    method: Literal["litigation", "arbitration"]
    court: Line | None = None
    arbitration_commission: Line | None = None


class Signing(Model):
    copies: Annotated[int, Field(strict=True, ge=2, le=10)] = 2
    date: Date | None = None
    place: Line | None = None


class Agreement(Model):
    """Every term one contract needs; the template's defaults fill the rest."""

    template: Annotated[str, Field(pattern=TEMPLATE_NAME)] = "after-sales"
    language: Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "zh-CN"
    contract_no: Annotated[str, Field(strict=True, max_length=64), AfterValidator(_plain_line)]
    title: Line
    enterprise: Party
    customer: Customer
    scope: Scope
    timeliness: Timeliness
    complaint_channels: list[Channel] = Field(min_length=1, max_length=10)
    process: Process = Process()
    term: Term
    liabilities: Liabilities = Liabilities()
    disputes: Disputes
    signing: Signing = Signing()
