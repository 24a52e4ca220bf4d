"""User clause folders (``--clauses DIR``): replace a built-in clause, add one, and stay in the sandbox."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from .conftest import FORM_A, ROOT, STANDARD, docx_blocks, run_cli

CONTRACT = "HX-AS-2026-0158"


def clause(folder: Path, relpath: str, front: str, body: str) -> Path:
    """Write a clause file under ``folder/zh-CN``, as legal staff would."""
    path = folder / "zh-CN" / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front.strip()}\n---\n{body}", encoding="utf-8")
    return path


def generate(tmp_path: Path, folder: Path) -> list[str]:
    out = tmp_path / "out"
    result = run_cli("generate", FORM_A, "--base", STANDARD, "--clauses", folder, "-o", out, "-f", "docx")
    assert result.exit_code == 0, result.output
    return docx_blocks(out / f"{CONTRACT}.docx")


def leads(blocks: list[str], chapter: int) -> list[tuple[str, str]]:
    """(number, title) of each clause of ``chapter``, from the run-in leads (``6.1\u2002标题。``)."""
    found = (re.match(rf"^({chapter}\.\d+)\u2002([^。]+)。", block) for block in blocks)
    return [(match[1], match[2]) for match in found if match]


def test_a_file_with_the_same_path_replaces_the_built_in_one(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    clause(
        mine,
        "liability/breach.md",
        "id: breach\nsection: liability\ntitle: 违约赔偿",
        "违约方应向{{ customer.name }}赔偿。\n",
    )
    blocks = generate(tmp_path, mine)
    assert "4.1\u2002违约赔偿。违约方应向杭州明远商贸有限公司赔偿。" in blocks
    assert not any("4.1\u2002违约责任。" in block for block in blocks)


def test_a_new_file_adds_a_clause_and_the_rest_are_renumbered(tmp_path: Path) -> None:
    before = leads(generate(tmp_path / "plain", tmp_path / "empty-but-valid"), 6)
    mine = tmp_path / "mine"
    clause(
        mine,
        "misc/language.md",
        "id: language\nsection: misc\ntitle: 文本语言\nafter: counterparts",
        "本协议以中文书就。\n",
    )
    blocks = generate(tmp_path, mine)
    titles = [title for _, title in before]
    expected = [titles[0], "文本语言", *titles[1:]]
    assert leads(blocks, 6) == [(f"6.{n}", title) for n, title in enumerate(expected, 1)]
    assert "6.2\u2002文本语言。本协议以中文书就。" in blocks


@pytest.fixture(autouse=True)
def _empty_folder(tmp_path: Path) -> None:
    """A user folder with the language but no files: valid, and changes nothing."""
    (tmp_path / "empty-but-valid" / "zh-CN").mkdir(parents=True)


def test_the_catalogue_and_validate_see_user_clauses(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    clause(mine, "misc/language.md", "id: language\nsection: misc\ntitle: 文本语言", "本协议以中文书就。\n")
    listing = run_cli("clauses", "--clauses", mine)
    assert listing.exit_code == 0, listing.output
    assert "language" in listing.output and "misc/language.md" in listing.output
    result = run_cli("validate", FORM_A, "--base", STANDARD, "--clauses", mine)
    assert result.exit_code == 0, result.output


SNIPPETS = [
    ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
    ("{{ cycler.__init__.__globals__ }}", "access to attribute '__init__' of 'type' object is unsafe"),
    ("{{ customer.name.__class__.__base__.__subclasses__() }}", "is unsafe"),
    ("{{ lipsum.__globals__['os'].system('id') }}", "is unsafe"),
    ("{{ t.__class__ }}", "is unsafe"),
    ("{{ no_such_value }}", "'no_such_value' is undefined"),
    ("{{ customer.nmae }}", "has no attribute 'nmae'"),
    ("{% if %}", "Expected an expression"),
    ("{{ 'a' * 10**9 }}", "text or lists longer than 100,000 are not allowed"),
    ("{{ signing.copies ** 10000000 }}", "a power above 64 is not allowed"),
    ("{{ 'ab' * 100000 }}", "text or lists longer than 100,000 are not allowed"),
    ("{{ '%999999999d' % 1 }}", "a field wider than 100,000 is not allowed"),
]


@pytest.mark.parametrize(("snippet", "problem"), SNIPPETS, ids=[s for s, _ in SNIPPETS])
@pytest.mark.parametrize("command", ["generate", "validate"])
def test_a_snippet_reaching_out_of_the_sandbox_fails_naming_file_and_line(
    snippet: str, problem: str, command: str, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    # Front matter is lines 1-5; the snippet stands on line 8.
    path = clause(mine, "misc/evil.md", "id: evil\nsection: misc\ntitle: 条款", f"第一段。\n\n{snippet}\n")
    out = tmp_path / "out"
    args = ["--base", STANDARD, "--clauses", mine]
    result = run_cli(command, FORM_A, *args, *(["-o", out] if command == "generate" else []))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}:8: ")
    assert problem in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_condition_reaching_out_of_the_sandbox_fails(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    path = clause(
        mine, "misc/evil.md", "id: evil\nsection: misc\ntitle: 条款\nwhen: customer.__class__", "x\n"
    )
    result = run_cli("generate", FORM_A, "--base", STANDARD, "--clauses", mine, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert (
        f"Error: {path}: 'when: customer.__class__' fails: access to attribute '__class__'" in result.output
    )
    assert not (tmp_path / "out").exists()


def test_the_catalogue_reports_a_broken_snippet(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    path = clause(mine, "misc/evil.md", "id: evil\nsection: misc\ntitle: 条款", "x\n{% for %}\n")
    result = run_cli("clauses", "--clauses", mine)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}:7: ")


@pytest.mark.parametrize("command", ["generate", "validate", "clauses"])
def test_a_folder_that_would_contribute_nothing_is_an_error(command: str, tmp_path: Path) -> None:
    """A misspelt folder, or one pointing inside ``zh-CN``, must not be silently ignored."""
    inside = tmp_path / "mine" / "zh-CN"
    clause(tmp_path / "mine", "misc/language.md", "id: language\nsection: misc\ntitle: 文本语言", "x\n")
    args = ["clauses"] if command == "clauses" else [command, FORM_A, "--base", STANDARD]
    if command == "generate":
        args += ["-o", tmp_path / "out"]
    for folder, message in (
        (tmp_path / "missing", "does not exist"),
        (inside, "has no 'zh-CN' folder"),
    ):
        result = run_cli(*args, "--clauses", folder)
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: {folder}: {message}")
    assert not (tmp_path / "out").exists()


def locale(folder: Path, **changes: object) -> Path:
    """A user ``locale.yaml``: the built-in one with some top-level keys changed (None removes)."""
    builtin = yaml.safe_load((ROOT / "clauses" / "zh-CN" / "locale.yaml").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            del builtin[key]
        else:
            builtin[key] = value
    path = folder / "zh-CN" / "locale.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(builtin, allow_unicode=True), encoding="utf-8")
    return path


def test_a_user_locale_changes_labels(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    locale(mine, roles={"enterprise": "服务方", "customer": "客户方"})
    blocks = generate(tmp_path, mine)
    assert "服务方：华信智能设备有限公司" in blocks


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"roles": None}, "'roles' is missing; every key of the built-in locale is needed"),
        ({"roles": "甲方"}, "'roles' must be a group of keys (enterprise, customer)"),
        ({"header": "编号：{number}"}, "'header' must use {contract_no} once each; got '编号：{number}'"),
        ({"footer": "第 {page} 页"}, "'footer' must use {page} {pages} once each; got '第 {page} 页'"),
        (
            {"chapter_heading": "{number、{title}"},
            "'chapter_heading' must use {number} {title} once each; got '{number、{title}'",
        ),
        ({"item_label": 1}, "'item_label' must be text; got '1'"),
    ],
)
def test_a_broken_user_locale_is_an_error_naming_it(
    changes: dict[str, object], problem: str, tmp_path: Path
) -> None:
    path = locale(tmp_path / "mine", **changes)
    out = tmp_path / "out"
    result = run_cli("generate", FORM_A, "--base", STANDARD, "--clauses", tmp_path / "mine", "-o", out)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: {problem}\n"
    assert not out.exists()


def test_an_alias_in_a_front_matter_is_refused(tmp_path: Path) -> None:
    path = clause(tmp_path / "mine", "misc/x.md", "id: &a x\nsection: misc\ntitle: *a", "x\n")
    result = run_cli("clauses", "--clauses", tmp_path / "mine")
    assert result.exit_code == 1
    assert result.output == f"Error: {path}:4: YAML aliases (*name) are not allowed in a front matter\n"
