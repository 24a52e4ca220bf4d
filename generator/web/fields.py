"""The form's fields, grouped as the contract groups them, named by their dotted parameter keys.

A field's ``key`` is the ``name`` attribute of its input, the key of a
``--set``, a spreadsheet column and the JSON API: the form and the API
speak the same language.  Only labels live here; what a value may be is the
schema's business (``params.schema``), so the form cannot disagree with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..params.commissions import builtin_commissions
from ..params.languages import is_localized

Kind = Literal["text", "number", "date", "select", "checkbox", "checkboxes", "channels"]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: Kind = "text"
    #: (value, label) pairs of a select or a group of checkboxes.
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    #: Shown only for the bilingual form (``language: zh-CN+en``).
    bilingual_only: bool = False

    @property
    def localized(self) -> bool:
        """Whether the value may differ by language: the form then has an English input beside it."""
        return is_localized(tuple(self.key.split(".")))


@dataclass(frozen=True)
class Group:
    title: str
    fields: tuple[Field, ...]
    #: Folded away at first (the enterprise's own details rarely change per client).
    folded: bool = False


SERVICES = (
    ("installation", "安装调试"),
    ("remote_support", "远程指导"),
    ("onsite_service", "上门服务"),
    ("factory_repair", "返厂维修"),
    ("replacement", "更换退货"),
    ("consultation", "咨询投诉"),
    ("maintenance", "保养维护"),
    ("other", "其他"),
)
CHANNEL_KINDS = (
    ("phone", "服务电话"),
    ("email", "电子邮箱"),
    ("online", "在线客服"),
    ("wechat", "微信公众号"),
    ("letter", "书面函件"),
)
#: The court as a connection point (民事诉讼法 第35条); never free text.
COURTS = (
    ("enterprise_domicile", "甲方住所地"),
    ("customer_domicile", "乙方住所地"),
    ("signing_place", "合同签订地"),
    ("performance_place", "合同履行地"),
)
#: The built-in list of arbitration commissions by their official names (a company's own
#: additions in its standard are shown when set, see the select's template).
COMMISSIONS = tuple((c.key, c.zh) for c in builtin_commissions().values())
LANGUAGES = (("zh-CN", "中文"), ("en", "English"), ("zh-CN+en", "中英文对照"))
LAYOUTS = (("columns", "左右两栏"), ("alternating", "中英段落交替"))
PREVAILING = (("zh-CN", "以中文为准"), ("en", "以英文为准"), ("equal", "同等效力"))
#: The English of a value that may differ by language is posted as ``<key>.en``.
ENGLISH = "en"
#: A select's empty choice: no value (the base's, or none).
NO_CHOICE = (("", "—"),)
BY_HAND = (("address", "地址"), ("representative", "代表人"), ("phone", "电话"), ("email", "邮箱"))
#: Most complaint channels a contract may list (the schema's limit).
MAX_CHANNELS = 10


def _party(prefix: str) -> tuple[Field, ...]:
    return (
        Field(f"{prefix}.name", "名称"),
        Field(f"{prefix}.address", "地址"),
        Field(f"{prefix}.representative", "法定代表人或负责人"),
        Field(f"{prefix}.phone", "联系电话"),
        Field(f"{prefix}.email", "电子邮箱"),
        Field(f"{prefix}.by_hand", "留空、签署时手写", "checkboxes", BY_HAND),
    )


GROUPS: tuple[Group, ...] = (
    Group(
        "合同 Contract",
        (
            Field("contract_no", "合同编号", hint="也是文件名"),
            Field("title", "合同标题"),
            Field("language", "合同语言", "select", LANGUAGES),
            Field("bilingual.layout", "对照排版", "select", LAYOUTS, bilingual_only=True),
            Field("bilingual.prevailing", "以哪种文字为准", "select", PREVAILING, bilingual_only=True),
        ),
    ),
    Group(
        "乙方（客户）Customer",
        (
            *_party("customer"),
            Field("customer.kind", "客户类型", "select", (("business", "企业"), ("consumer", "消费者"))),
            Field("customer.id_number", "身份证件号码", hint="消费者；空：签署时手写"),
        ),
    ),
    Group("甲方（本公司）Enterprise", _party("enterprise"), folded=True),
    Group(
        "服务范围 Services in scope",
        (
            Field("scope.services", "服务项目", "checkboxes", SERVICES),
            Field("scope.products", "产品", hint="如 HX-200 家用净水设备"),
            Field("scope.sales_contract", "销售合同", hint="产品所依据的买卖合同编号或名称"),
            Field("scope.warranty_months", "保修期（月）", "number"),
        ),
    ),
    Group(
        "处理时效 Time limits",
        (
            Field("timeliness.response_hours", "响应时限（小时）", "number", hint="自投诉起"),
            Field("timeliness.onsite_hours", "上门时限（小时）", "number", hint="自确认问题起"),
            Field("timeliness.inspection_hours", "检测时限（小时）", "number", hint="自收到产品起"),
            Field("timeliness.return_hours", "返还时限（小时）", "number", hint="自维修完成起"),
            Field(
                "timeliness.clock",
                "计时方式",
                "select",
                (("calendar", "自然小时"), ("working", "工作小时")),
            ),
            Field("timeliness.working_hours", "工作时间", hint="如 09:00-18:00"),
            Field(
                "timeliness.working_days",
                "工作日",
                "select",
                (("mon-fri", "周一至周五"), ("mon-sat", "周一至周六"), ("mon-sun", "每日")),
            ),
            Field("timeliness.count_public_holidays", "法定节假日计入工作时间", "checkbox"),
            Field(
                "timeliness.explain_delay",
                "超时说明",
                "select",
                (("promptly", "及时说明"), ("in_advance", "事先说明")),
            ),
            Field("process.collect_opinion", "回访时征求客户意见", "checkbox"),
        ),
    ),
    Group("投诉渠道 Complaint channels", (Field("complaint_channels", "渠道", "channels", CHANNEL_KINDS),)),
    Group(
        "违约责任 Penalty",
        (
            Field("liabilities.penalty_per_hour", "每小时违约金（元）", "number", hint="空：按实际损失"),
            Field("liabilities.penalty_cap", "违约金上限（元）", "number", hint="空：不设上限"),
        ),
    ),
    Group(
        "争议解决 Disputes",
        (
            Field(
                "disputes.method",
                "解决方式",
                "select",
                (("litigation", "诉讼"), ("arbitration", "仲裁")),
            ),
            Field("disputes.court", "管辖法院", "select", NO_CHOICE + COURTS),
            Field("disputes.arbitration_commission", "仲裁机构", "select", NO_CHOICE + COMMISSIONS),
        ),
    ),
    Group(
        "期限与签署 Term and signing",
        (
            Field("term.months", "协议期限（月）", "number"),
            Field("term.cure_days", "催告后的履行期限（日）", "number", hint="逾期未履行的，守约方可解除"),
            Field("signing.copies", "一式几份", "number"),
            Field("signing.electronic", "以可靠电子签名签署", "checkbox"),
            Field("signing.date", "签订日期", "date", hint="如 2026-11-25；空：签署时手写"),
            Field("signing.place", "签订地点"),
        ),
    ),
)

FIELDS: tuple[Field, ...] = tuple(field for group in GROUPS for field in group.fields)
