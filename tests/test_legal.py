"""What a reviewing lawyer checks beyond the variant table: refused inputs, wording, the library's bases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.clauses.markdown import ParsedList, parse
from generator.model import Clause, Document, Paragraph, Parties, Signatures, plain
from generator.pipeline import Options, build, contract_layers, prepare

from .conftest import FORM_A, ROOT, STANDARD, run_cli

CONSUMER = ("customer.kind=consumer", "customer.name=王芳", "customer.representative=null")


def document(*sets: str) -> Document:
    options = Options()
    return build(prepare(contract_layers(FORM_A, (STANDARD,), sets), options), options)


def clause(doc: Document, key: str) -> str:
    found: Clause = next(c for chapter in doc.chapters() for c in chapter.clauses if c.key == key)
    parts = []
    for block in found.body:
        parts.extend(item.label + plain(item.spans) for item in getattr(block, "items", ()))
        parts.append(plain(getattr(block, "spans", ())))
    return "".join(parts)


def validate(*sets: str) -> tuple[int, str]:
    result = run_cli("validate", FORM_A, "--base", STANDARD, *[p for s in sets for p in ("--set", s)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (("liabilities.penalty_per_hour=0",), "penalty_per_hour: must be more than 0; leave the key out"),
        (("liabilities.penalty_cap=0",), "penalty_cap: must be more than 0"),
        (
            ("customer.kind=consumer", "customer.representative=null"),
            "a consumer is a natural person, but the name '杭州明远商贸有限公司' contains '商贸'",
        ),
        (
            (
                "customer.kind=consumer",
                "customer.name=Acme Trading Pte. Ltd.",
                "customer.representative=null",
            ),
            "like an organisation's; use kind: business",
        ),
        (("customer.kind=consumer", "customer.name=王芳"), "has no legal representative"),
        (('customer.id_number="310101199001011234"',), "'id_number' is for a consumer"),
        (
            ("disputes.court=甲方住所地人民法院或者上海仲裁委员会",),
            "disputes.court: names arbitration or a second forum",
        ),
        (("disputes.court=上海市高级人民法院",), "is a choice of connection point now, not free text"),
        (
            ("disputes.method=arbitration", "disputes.arbitration_commission=上海市的仲裁机构"),
            "disputes.arbitration_commission: is not in the list of arbitration commissions",
        ),
    ],
)
def test_unsafe_parameters_are_refused_with_the_reason(sets: tuple[str, ...], message: str) -> None:
    exit_code, output = validate(*sets)
    assert exit_code == 1 and message in output, output
    assert "W104" not in output


def test_old_free_text_forums_still_work_where_they_are_unambiguous() -> None:
    court = clause(document("disputes.court=乙方住所地有管辖权的人民法院"), "disputes")
    assert "任何一方均应当向乙方住所地有管辖权的人民法院提起诉讼" in court
    arbitration = clause(
        document("disputes.method=arbitration", "disputes.arbitration_commission=上海国际仲裁中心"),
        "disputes",
    )
    assert "均应当提交上海国际经济贸易仲裁委员会（上海国际仲裁中心）" in arbitration


def test_the_place_of_signing_as_connection_point_names_the_place() -> None:
    court = clause(document("disputes.court=signing_place"), "disputes")
    assert "本协议签订地（上海市浦东新区）有管辖权的人民法院" in court
    exit_code, output = validate("disputes.court=signing_place", "signing.place=null")
    assert exit_code == 1 and "error C008" in output


def test_legal_staff_add_a_commission_in_the_company_standard(tmp_path: Path) -> None:
    added = tmp_path / "commissions.yaml"
    added.write_text(
        "disputes:\n  commissions:\n    ningbo: {zh: 宁波仲裁委员会, en: Ningbo Arbitration Commission}\n",
        encoding="utf-8",
    )
    options = Options()
    sets = ("disputes.method=arbitration", "disputes.arbitration_commission=ningbo")
    prepared = prepare(contract_layers(FORM_A, (STANDARD, added), sets), options)
    assert prepared.params.agreement.disputes.commission is not None
    assert prepared.params.agreement.disputes.commission.en == "Ningbo Arbitration Commission"
    assert "均应当提交宁波仲裁委员会" in clause(build(prepared, options), "disputes")


def test_every_built_in_commission_has_both_official_names() -> None:
    data = yaml.safe_load((ROOT / "templates" / "arbitration-commissions.yaml").read_text(encoding="utf-8"))
    for key, entry in data.items():
        assert entry["zh"].endswith(("委员会", "仲裁院", "）")), key
        assert "Arbitration" in entry["en"], key


def test_every_built_in_clause_cites_its_basis() -> None:
    for path in sorted((ROOT / "clauses" / "zh-CN").rglob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert isinstance(front.get("basis"), str) and front["basis"].strip(), path


def test_a_marked_paragraph_or_item_is_a_standard_term() -> None:
    blocks = parse("> 甲方不承担责任。\n\n普通段落。\n\n- 第一项；\n- > 第二项。\n", [])
    assert [getattr(b, "emphasized", None) for b in blocks[:2]] == [True, False]
    assert isinstance(blocks[2], ParsedList)
    items = blocks[2].items
    assert [i.emphasized for i in items] == [False, True]
    assert plain(items[1].spans) == "第二项。"


def test_a_consumer_is_a_natural_person_in_both_blocks() -> None:
    doc = document(*CONSUMER, 'customer.id_number="310101199001011234"')
    parties = next(b for b in doc.blocks if isinstance(b, Parties)).parties[1]
    labels = {f.label: f.value for f in parties.fields}
    assert labels["身份证件号码"] == "310101199001011234" and "法定代表人或授权代表" not in labels
    signatures = next(b for b in doc.blocks if isinstance(b, Signatures)).parties[1]
    assert [f.label for f in signatures.fields] == ["乙方", "乙方（签字）", "签订日期"]
    blank = next(b for b in document(*CONSUMER).blocks if isinstance(b, Parties)).parties[1]
    assert ("身份证件号码", None) in [(f.label, f.value) for f in blank.fields]


def test_electronic_signing_makes_one_electronic_original() -> None:
    paper = clause(document(), "counterparts")
    electronic = clause(document("signing.electronic=true"), "counterparts")
    assert "一式两份" in paper and "电子" not in paper
    assert "可靠的电子签名" in electronic and "一份电子原件" in electronic and "一式" not in electronic


def test_notices_keep_e_mail_for_both_when_one_is_filled_by_hand() -> None:
    notices = clause(document("customer.by_hand=[email]", "customer.email=null"), "notices")
    assert "电子邮箱" in notices and "诉讼及执行程序" in notices
    assert "交寄之日起第三日视为送达" in notices and "进入受送达方电子邮箱系统之日视为送达" in notices
    assert "仲裁及执行程序" in clause(
        document("disputes.method=arbitration", "disputes.arbitration_commission=shiac"), "notices"
    )


def test_termination_keeps_statutory_rights_and_a_fixed_cure_period() -> None:
    text = clause(document("term.cure_days=30"), "termination")
    assert text.startswith("（1）除法律另有规定或者本协议另有约定外") and "书面催告后30日内" in text
    assert "合理期限" not in text
    assert "书面催告后15日内" in clause(document(), "termination")


def test_products_and_warranty_are_named_when_given() -> None:
    text = clause(
        document(
            "scope.products=HX-200 数控机床",
            "scope.sales_contract=《设备买卖合同》（编号HX-S-2026-001）",
            "scope.warranty_months=24",
        ),
        "subject",
    )
    assert "销售的HX-200 数控机床（依据双方签订的《设备买卖合同》（编号HX-S-2026-001））" in text
    assert "质量保证期为24个月" in text
    assert "附件与正文不一致的，以正文为准" in clause(document(), "attachments")


def test_the_actual_loss_cap_carves_out_injury_and_gross_fault() -> None:
    text = clause(document("liabilities.penalty_per_hour=null"), "damages")
    assert "人身损害" in text and "故意或者重大过失" in text


def test_a_working_clock_without_stated_hours_is_a_standard_term() -> None:
    doc = document("timeliness.clock=working")
    clock = next(c for chapter in doc.chapters() for c in chapter.clauses if c.key == "clock")
    first = clock.body[0]
    assert isinstance(first, Paragraph)
    assert "以甲方书面公布并告知乙方的为准" in plain(first.spans) and first.emphasized
