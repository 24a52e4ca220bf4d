"""The clause library: variants chosen by parameters, numbers computed, never typed."""

from __future__ import annotations

from generator.model import Chapter, Clause, Document, Notice, plain
from generator.pipeline import Options, build, contract_layers, prepare

from .conftest import FORM_A, STANDARD

#: A natural person as the customer: no company-like name, no representative.
CONSUMER = ("customer.kind=consumer", "customer.name=王芳", "customer.representative=null")


def document(*sets: str) -> Document:
    options = Options()
    return build(prepare(contract_layers(FORM_A, (STANDARD,), sets), options), options)


def clauses(doc: Document) -> dict[str, Clause]:
    return {c.key: c for chapter in doc.chapters() for c in chapter.clauses}


def text(clause: Clause) -> str:
    parts = []
    for block in clause.body:
        parts.extend(plain(item.spans) for item in getattr(block, "items", ()))
        parts.append(plain(getattr(block, "spans", ())))
    return "".join(parts)


def test_chapters_are_numbered_in_chinese_and_clauses_decimally() -> None:
    chapters = document().chapters()
    assert [c.heading for c in chapters][:2] == ["一、协议背景与目的", "二、协议内容与要求"]
    assert [c.number for c in chapters[1].clauses] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]


def test_optional_clauses_renumber_the_rest() -> None:
    business = clauses(document())
    consumer = clauses(document(*CONSUMER))
    assert "personal-information" not in business
    assert consumer["personal-information"].number == "3.3"
    assert consumer["consumer-rights"].number == "3.4"
    assert "个人信息保护法" in text(consumer["personal-information"])


def test_items_left_out_renumber_and_keep_their_punctuation() -> None:
    timeliness = clauses(document("scope.services=[onsite_service, consultation]"))["timeliness"]
    items = timeliness.body[1].items  # type: ignore[union-attr]
    assert [i.label for i in items] == ["（1）", "（2）"]
    assert plain(items[-1].spans).endswith("服务地点。")
    assert "检测" not in text(timeliness)


def test_dispute_variant_follows_the_method() -> None:
    litigation = text(clauses(document())["disputes"])
    arbitration = text(
        clauses(document("disputes.method=arbitration", "disputes.arbitration_commission=深圳国际仲裁院"))[
            "disputes"
        ]
    )
    assert "提起诉讼" in litigation and "仲裁" not in litigation
    assert "提交深圳国际仲裁院" in arbitration and "诉讼" not in arbitration


def test_damages_read_accordingly_when_penalty_or_cap_is_absent() -> None:
    both = clauses(document())["damages"]
    no_cap = text(clauses(document("liabilities.penalty_cap=null"))["damages"])
    neither = text(
        clauses(document("liabilities.penalty_cap=null", "liabilities.penalty_per_hour=null"))["damages"]
    )
    assert both.emphasized and "累计不超过人民币10,000.00元（大写：壹万元整）" in text(both)
    assert "每延误一小时" in no_cap and "不超过" not in no_cap
    assert "实际损失" in neither and "每延误" not in neither


def test_emphasised_terms_bring_the_acknowledgement_above_the_signatures() -> None:
    for doc in (document(), document("liabilities.penalty_cap=null")):
        kinds = [type(b).__name__ for b in doc.blocks]
        # With or without a cap, the dispute clause is a standard term: the notice stays.
        assert kinds.index("Notice") == kinds.index("Signatures") - 1
        assert clauses(doc)["disputes"].emphasized
        notice = next(b for b in doc.blocks if isinstance(b, Notice))
        assert notice.signer is None


def test_a_consumer_signs_the_acknowledgement_directly_under_it() -> None:
    doc = document(*CONSUMER)
    notice = next(b for b in doc.blocks if isinstance(b, Notice))
    assert notice.signer is not None and notice.signer.label == "乙方（签字）" and notice.signer.value is None


def test_working_hours_clock_states_the_hours_and_holidays() -> None:
    clock = text(
        clauses(
            document(
                "timeliness.clock=working",
                "timeliness.working_hours=08:30-17:30",
                "timeliness.count_public_holidays=true",
            )
        )["clock"]
    )
    assert "每个工作日的8:30至17:30；工作日为周一至周五" in clock and "法定节假日计入工作日" in clock
    assert "调休" not in clock
    assert "24个工作小时" in text(
        clauses(document("timeliness.clock=working", "timeliness.working_hours=08:30-17:30"))["timeliness"]
    )


def test_counterparts_follow_the_number_of_copies() -> None:
    assert "一式两份，甲乙双方各执一份" in text(clauses(document())["counterparts"])
    assert "一式三份，甲方执两份，乙方执一份" in text(clauses(document("signing.copies=3"))["counterparts"])


def test_every_chapter_of_the_domain_is_covered() -> None:
    titles = [c.title for c in document().blocks if isinstance(c, Chapter)]
    assert titles == [
        "协议背景与目的",
        "协议内容与要求",
        "协议责任与义务",
        "违约责任与争议解决",
        "协议生效与终止",
        "其他",
    ]
