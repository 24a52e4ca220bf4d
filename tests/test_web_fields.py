"""The web form offers every parameter a sales person sets, and only real parameters.

The form's field list is kept by hand (labels, grouping); this test ties it
to the schema, so a parameter added for the contract cannot be missing from
the page, and a renamed one cannot linger there.
"""

from __future__ import annotations

from typing import get_args, get_origin

from pydantic import BaseModel

from generator.params.commissions import builtin_commissions
from generator.params.schema import Agreement, Court
from generator.web.fields import COMMISSIONS, COURTS, FIELDS
from generator.web.form import client_tree, lookup

#: Parameters that are not a sales person's to set per contract: the template and
#: language folders, and what legal keeps in the company standard.  The language
#: and its bilingual layout are not on the form yet: a bilingual contract also needs
#: the English of each name and address, which the form cannot take yet (README).
NOT_ON_THE_FORM = {
    "template",
    "language",
    "bilingual.layout",
    "bilingual.prevailing",
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


def test_a_text_the_base_gives_per_language_shows_as_text_and_stays_the_base_s() -> None:
    """The template's title is {zh-CN: …, en: …}: the form shows the Chinese, and keeping it
    changes nothing (so the final parameters, and the PDF's bytes, are the CLI's)."""
    base = {"title": {"zh-CN": "售后处理时效协议书", "en": "After-Sales Service Timeliness Agreement"}}
    assert lookup(base, "title") == "售后处理时效协议书"
    assert lookup({**base, "language": "en"}, "title") == "After-Sales Service Timeliness Agreement"
    assert client_tree({"title": "售后处理时效协议书"}, base) == {}
    assert client_tree({"title": "维修服务协议"}, base) == {"title": "维修服务协议"}
