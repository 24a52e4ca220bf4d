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
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .commissions import Commission, builtin_commissions, find_commission

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


def _positive(amount: Decimal) -> Decimal:
    if amount == 0:
        raise ValueError(
            "must be more than 0; leave the key out instead (no hourly amount: actual loss; no cap: none)"
        )
    return amount


#: An amount of liquidated damages: zero would print a meaningless 「人民币0.00元」 clause.
PositiveMoney = Annotated[Money, AfterValidator(_positive)]


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
        for field in self._required():
            if getattr(self, field) is None and field not in self.by_hand:
                raise ValueError(f"'{field}' is missing: give it, or list it in by_hand to leave a blank")
        return self

    def _required(self) -> tuple[str, ...]:
        return ("address", "representative", "phone")


#: Words only an organisation's name holds: a consumer is a natural person.
_COMPANY_NAME = re.compile(
    r"公司|有限|集团|企业|商行|商贸|工厂|厂$|事务所|合作社|工作室|中心|研究院|"
    r"\b(ltd|limited|llc|llp|inc|incorporated|corp|corporation|company|co|gmbh|ag|pte|plc|sa|bv)\b\.?",
    re.IGNORECASE,
)


class Customer(Party):
    #: A consumer is a natural person: no seal, no legal representative, and the
    #: statutory protections (三包, personal information) apply.
    kind: Literal["business", "consumer"] = "business"
    #: A consumer's identity document number (身份证件号码); a blank to fill by hand when absent.
    id_number: Line | None = None

    def _required(self) -> tuple[str, ...]:
        return ("address", "phone") if self.kind == "consumer" else super()._required()

    @model_validator(mode="after")
    def _a_consumer_is_a_person(self) -> Customer:
        if self.kind == "business":
            if self.id_number is not None:
                raise ValueError("'id_number' is for a consumer (kind: consumer), who signs in person")
            return self
        company = _COMPANY_NAME.search(self.name)
        if company:
            raise ValueError(
                f"a consumer is a natural person, but the name {self.name!r} contains "
                f"{company.group()!r} like an organisation's; use kind: business for a company"
            )
        if self.representative is not None or "representative" in self.by_hand:
            raise ValueError(
                "a consumer signs in person and has no legal representative: remove 'representative'"
            )
        return self


class Scope(Model):
    services: list[ServiceItem] = Field(min_length=1)
    #: The products served (产品名称、型号), rendered in the subject clause when given.
    products: Line | None = None
    #: The sales contract the products were sold under (名称及编号).
    sales_contract: Line | None = None
    #: The warranty period in months, from delivery.
    warranty_months: Annotated[int, Field(strict=True, ge=1, le=120)] | None = None

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
    #: Days a breaching party has to cure after a written demand before the other may terminate.
    cure_days: Annotated[int, Field(strict=True, ge=1, le=365)] = 15


class Liabilities(Model):
    penalty_per_hour: PositiveMoney | None = None
    penalty_cap: PositiveMoney | None = None
    #: The company standard's ceiling for a cap: above it rule W105 warns that a
    #: court may reduce the damages (民法典 585(2)).
    cap_ceiling: PositiveMoney | None = None


#: Where the competent court is, as a connection point (民事诉讼法 第35条).
Court = Literal["enterprise_domicile", "customer_domicile", "signing_place", "performance_place"]
#: The wording each connection point had as free text before it became a choice.
_COURT_TEXTS = {
    "甲方住所地有管辖权的人民法院": "enterprise_domicile",
    "乙方住所地有管辖权的人民法院": "customer_domicile",
    "合同签订地有管辖权的人民法院": "signing_place",
    "本协议签订地有管辖权的人民法院": "signing_place",
    "合同履行地有管辖权的人民法院": "performance_place",
    "本协议履行地有管辖权的人民法院": "performance_place",
}
COURT_CHOICES = (
    "enterprise_domicile (甲方住所地), customer_domicile (乙方住所地), "
    "signing_place (合同签订地), performance_place (合同履行地)"
)


def _court_choice(value: object) -> object:
    """A connection point; the old free-text wording of one is still understood, nothing else is."""
    if not isinstance(value, str) or value in get_args(Court):
        return value
    text = value.strip()
    if text in _COURT_TEXTS:
        return _COURT_TEXTS[text]
    if "仲裁" in text or "或者" in text or "或" in text:
        raise ValueError(
            "names arbitration or a second forum beside the court, which makes the clause void; "
            f"choose one of {COURT_CHOICES}, or method: arbitration with arbitration_commission"
        )
    raise ValueError(f"is a choice of connection point now, not free text; allowed: {COURT_CHOICES}")


class CommissionNames(Model):
    zh: Line
    en: Line


class Disputes(Model):
    method: Literal["litigation", "arbitration"]
    court: Annotated[Court, BeforeValidator(_court_choice)] | None = None
    #: Commissions legal staff add to the built-in list (key → names), usually in the company standard.
    #: Declared before ``arbitration_commission``, which is checked against it.
    commissions: dict[Annotated[str, Field(pattern=r"^[a-z0-9-]{1,40}$")], CommissionNames] = {}
    #: The key (or full official name) of a commission of the built-in list or of ``commissions``.
    arbitration_commission: Line | None = None

    @field_validator("arbitration_commission")
    @classmethod
    def _known_commission(cls, given: str | None, info: ValidationInfo) -> str | None:
        if given is None:
            return None
        added = _added_commissions(info.data.get("commissions", {}))
        found = find_commission(given, added)
        if found is None:
            known = ", ".join(sorted({**builtin_commissions(), **added}))
            raise ValueError(
                "is not in the list of arbitration commissions (a vague or unknown name makes the "
                f"clause void); allowed: {known}; legal staff add one under disputes.commissions "
                "in the company standard"
            )
        return found.key

    @property
    def commission(self) -> Commission | None:
        """The chosen commission with its official names, or None."""
        if self.arbitration_commission is None:
            return None
        return find_commission(self.arbitration_commission, _added_commissions(self.commissions))


def _added_commissions(names: dict[str, CommissionNames]) -> dict[str, Commission]:
    return {key: Commission(key, n.zh, n.en) for key, n in names.items()}


class Signing(Model):
    copies: Annotated[int, Field(strict=True, ge=2, le=10)] = 2
    #: Signed with reliable electronic signatures: one electronic original, no paper counterparts.
    electronic: bool = False
    date: Date | None = None
    place: Line | None = None


class Bilingual(Model):
    """How a bilingual contract (``language: zh-CN+en``) is set and which text prevails."""

    #: columns: one row per paragraph, Chinese left, English right; alternating: each
    #: Chinese paragraph followed by its English one.
    layout: Literal["columns", "alternating"] = "columns"
    #: Which text prevails in case of discrepancy, or both equally authentic (民法典 第466条第二款).
    prevailing: Literal["zh-CN", "en", "equal"] = "zh-CN"


class Agreement(Model):
    """Every term one contract needs; the template's defaults fill the rest."""

    template: Annotated[str, Field(pattern=TEMPLATE_NAME)] = "after-sales"
    #: zh-CN, en, or the bilingual form zh-CN+en (``bilingual`` says how).
    language: Literal["zh-CN", "en", "zh-CN+en"] = "zh-CN"
    bilingual: Bilingual = Bilingual()
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
