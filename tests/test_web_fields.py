"""The web form offers every parameter a sales person sets, and only real parameters.

The form's field list is kept by hand (labels, grouping); this test ties it
to the schema, so a parameter added for the contract cannot be missing from
the page, and a renamed one cannot linger there.
"""

from __future__ import annotations

from typing import get_args, get_origin

from pydantic import BaseModel

from generator.params.commissions import builtin_commissions
from generator.params.languages import LANGUAGE_CHOICES, LOCALIZED
from generator.params.schema import Agreement, Bilingual, Court
from generator.web.fields import COMMISSIONS, COURTS, FIELDS, LANGUAGES, LAYOUTS, PREVAILING
from generator.web.form import FormData, client_tree, client_yaml, form_tree, lookup

#: Parameters that are not a sales person's to set per contract: the template,
#: and what legal keeps in the company standard.
NOT_ON_THE_FORM = {
    "template",
    "disputes.commissions",
    "liabilities.cap_ceiling",
}


def _leaves(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys = set()
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}"
        nested = [t for t in (info.annotation, *get_args(info.annotation)) if isinstance(t, type)]
        group = next((t for t in nested if issubclass(t, BaseModel)), None)
        if group is not None and get_origin(info.annotation) not in (list, dict):
            keys |= _leaves(group, f"{key}.")
        else:
            keys.add(key)
    return keys


def test_every_parameter_a_sales_person_sets_is_on_the_form() -> None:
    on_form = {field.key for field in FIELDS}
    assert on_form == _leaves(Agreement) - NOT_ON_THE_FORM


def test_the_choices_are_the_schema_s() -> None:
    assert [key for key, _ in COURTS] == list(get_args(Court))
    assert [key for key, _ in COMMISSIONS] == list(builtin_commissions())
    assert [key for key, _ in LANGUAGES] == list(LANGUAGE_CHOICES)
    assert [key for key, _ in LAYOUTS] == list(get_args(Bilingual.model_fields["layout"].annotation))
    assert [key for key, _ in PREVAILING] == list(get_args(Bilingual.model_fields["prevailing"].annotation))


def test_every_text_that_may_differ_by_language_has_an_english_input() -> None:
    """The form's localized fields are the library's (the channels' values have their own English)."""
    localized = {".".join(map(str, key)) for key in LOCALIZED if "*" not in key}
    assert {field.key for field in FIELDS if field.localized} == localized
    assert {field.key for field in FIELDS if field.bilingual_only} == {
        "bilingual.layout",
        "bilingual.prevailing",
    }


def test_a_text_the_base_gives_per_language_shows_as_text_and_stays_the_base_s() -> None:
    """The template's title is {zh-CN: …, en: …}: the form shows the Chinese, and keeping it
    changes nothing (so the final parameters, and the PDF's bytes, are the CLI's)."""
    base = {"title": {"zh-CN": "售后处理时效协议书", "en": "After-Sales Service Timeliness Agreement"}}
    assert lookup(base, "title") == "售后处理时效协议书"
    assert lookup({**base, "language": "en"}, "title") == "After-Sales Service Timeliness Agreement"
    assert client_tree({"title": "售后处理时效协议书"}, base) == {}
    assert client_tree({"title": "维修服务协议"}, base) == {"title": "维修服务协议"}


BASE = {
    "language": "zh-CN",
    "enterprise": {"name": "华信智能设备有限公司", "phone": "021-5080 1234"},
    "complaint_channels": [
        {"kind": "phone", "value": "400"},
        {"kind": "online", "value": "官方网站在线客服"},
    ],
}


def posted(**values: str) -> FormData:
    return FormData(list(values.items()))


def test_a_text_and_its_english_are_one_value_per_language() -> None:
    """``key`` and ``key.en`` become the CLI's {zh-CN: …, en: …}; a text the form left as the
    standard's stays out of the client file; a number or an address stays one value."""
    form = posted(
        **{
            "language": "zh-CN+en",
            "enterprise.name": "华信智能设备有限公司",
            "enterprise.name.en": "Huaxin Intelligent Equipment Co., Ltd.",
            "enterprise.phone": "021-5080 1234",
            "customer.name": "杭州明远商贸有限公司",
            "customer.name.en": "",
            "complaint_channels.1.kind": "phone",
            "complaint_channels.1.value": "400",
            "complaint_channels.1.value.en": "",
            "complaint_channels.2.kind": "online",
            "complaint_channels.2.value": "官方网站在线客服",
            "complaint_channels.2.value.en": "online customer service",
        }
    )
    tree = form_tree(form)
    assert tree["enterprise"]["name"] == {
        "zh-CN": "华信智能设备有限公司",
        "en": "Huaxin Intelligent Equipment Co., Ltd.",
    }
    client = client_tree(tree, BASE)
    assert client["language"] == "zh-CN+en"
    assert client["enterprise"] == {
        "name": {"zh-CN": "华信智能设备有限公司", "en": "Huaxin Intelligent Equipment Co., Ltd."}
    }
    # No English typed: the Chinese alone, as a plain string (the first language's), as before.
    assert client["customer"]["name"] == "杭州明远商贸有限公司"
    assert client["complaint_channels"] == [
        {"kind": "phone", "value": "400"},
        {"kind": "online", "value": {"zh-CN": "官方网站在线客服", "en": "online customer service"}},
    ]
    text = client_yaml(client, ["standard.yaml"])
    assert (
        "  name: {zh-CN: 华信智能设备有限公司, en: 'Huaxin Intelligent Equipment Co., Ltd.'}  # 名称" in text
    )
    # Nothing typed in English and the Chinese kept: nothing differs from the standard.
    kept = posted(**{"enterprise.name": "华信智能设备有限公司", "enterprise.name.en": ""})
    assert "name" not in client_tree(form_tree(kept), BASE)["enterprise"]


def test_an_english_text_the_form_blanks_is_null_not_the_standard_s() -> None:
    base = {"title": {"zh-CN": "售后处理时效协议书", "en": "After-Sales Service Timeliness Agreement"}}
    blanked = form_tree(posted(**{"language": "zh-CN+en", "title": "售后处理时效协议书", "title.en": ""}))
    assert client_tree(blanked, base)["title"] == {"zh-CN": "售后处理时效协议书", "en": None}


def test_the_form_shows_each_language_s_text_in_its_input() -> None:
    merged = {"language": "zh-CN+en", "customer": {"name": {"_": "杭州明远", "en": "Hangzhou Mingyuan"}}}
    assert lookup(merged, "customer.name", "zh-CN") == "杭州明远"
    assert lookup(merged, "customer.name", "en") == "Hangzhou Mingyuan"
    # In an English contract a plain text is the English one.
    assert lookup({"language": "en", "customer": {"name": "Mingyuan"}}, "customer.name", "en") == "Mingyuan"
    assert lookup({"language": "en", "customer": {"name": "Mingyuan"}}, "customer.name", "zh-CN") is None
