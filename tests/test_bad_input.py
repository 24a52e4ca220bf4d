"""Bad and hostile input through the CLI: one clean, short error each, and nothing written.

Every row is a user mistake (or an attack) as a file, a ``--set`` or an
output path.  Each must give exit code 1 (2 for a malformed command line),
a message that says where (file and line, or the option), what was given
and what is allowed, no traceback, and an output folder left as it was.
The README's "Errors" table lists the same rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from docx import Document as open_docx

from generator import output
from generator.errors import OutputError

from .conftest import FORM_A, STANDARD, run_cli

FORM_A_TEXT = FORM_A.read_text(encoding="utf-8")
#: The next line appended to form A is line ``END + 1``.
END = len(FORM_A_TEXT.splitlines())
CONTRACT = "HX-AS-2026-0158"
HOURS = "allowed: whole numbers from 1 to 720"
#: A message longer than this is not "short" (it must fit a terminal line or five).
SHORT = 500


def form_a(extra: str = "", **replace: str) -> str:
    """Form A's text with ``extra`` lines appended and some words replaced."""
    text = FORM_A_TEXT
    for old, new in replace.items():
        text = text.replace(old, new)
    return text + extra


def as_json(**changes: object) -> str:
    """A complete contract as JSON (company standard folded in by ``--base``)."""
    tree: dict[str, object] = {
        "contract_no": CONTRACT,
        "customer": {"name": "杭州明远商贸有限公司", "by_hand": ["address", "representative", "phone"]},
    }
    tree.update(changes)
    return json.dumps(tree, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class Case:
    """One bad input: the files it consists of, the command, and what the user must be told."""

    id: str
    files: dict[str, str | bytes]
    expect: tuple[str, ...]
    code: int = 1
    #: ``{in}`` is the input folder, ``{out}`` the (empty) output folder.
    args: tuple[str, ...] = ("generate", "{in}/c.yaml", "--base", str(STANDARD), "-o", "{out}")
    limit: int = SHORT
    #: Files already in the output folder, which must be left exactly as they are.
    existing: dict[str, bytes] = field(default_factory=dict)


def yaml_case(id: str, text: str | bytes, *expect: str, **kwargs: object) -> Case:
    return Case(id, {"c.yaml": text}, expect, **kwargs)  # type: ignore[arg-type]


ALIAS_BOMB = (
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
)

CASES = [
    # Files that are not parameter files at all.
    # An unclosed bracket or quote is named at the line where it opened, not past the file's end.
    yaml_case("malformed YAML", "contract_no: [HX\n", "{in}/c.yaml:1: not valid YAML"),
    yaml_case(
        "unclosed bracket on line 2", "customer:\n  name: [unclosed\n", "{in}/c.yaml:2: not valid YAML"
    ),
    yaml_case("unclosed quote", 'contract_no: X\ntitle: "open\n\n', "{in}/c.yaml:2: not valid YAML"),
    yaml_case("misplaced key", "contract_no: X\n title: Y\nterm: 1\n", "{in}/c.yaml:2: not valid YAML"),
    Case(
        "malformed JSON",
        {"c.json": '{\n  "contract_no": \n'},
        ("{in}/c.json:3: not valid JSON: Expecting value",),
        args=("generate", "{in}/c.json", "-o", "{out}"),
    ),
    Case(
        "malformed TOML",
        {"c.toml": 'contract_no = "HX\n'},
        ("{in}/c.toml:1: not valid TOML",),
        args=("generate", "{in}/c.toml", "-o", "{out}"),
    ),
    yaml_case("empty file", "", "{in}/c.yaml: the file is empty"),
    yaml_case("only a comment", "# nothing yet\n", "{in}/c.yaml: the file is empty"),
    yaml_case("top level is a list", "- a\n- b\n", "{in}/c.yaml:1: the top level must be a mapping"),
    Case(
        "a folder",
        {"folder.yaml/x": "x"},
        ("{in}/folder.yaml: is a folder, not a parameter file",),
        args=("generate", "{in}/folder.yaml", "-o", "{out}"),
    ),
    Case("missing file", {}, ("{in}/c.yaml: no such file",)),
    Case(
        "unknown file type",
        {"c.txt": "contract_no: x\n"},
        ("{in}/c.txt: unknown file type '.txt'; use .yaml, .yml, .json or .toml",),
        args=("generate", "{in}/c.txt", "-o", "{out}"),
    ),
    yaml_case(
        "neither UTF-8 nor GB18030",
        form_a().encode() + b"title: \xff\xfe\n",
        f"{{in}}/c.yaml:{END + 1}: is neither UTF-8 nor GB18030 text; save it as UTF-8",
    ),
    # Duplicate keys, in each format.
    yaml_case(
        "duplicate key (YAML)",
        form_a("contract_no: HX-AS-2026-0999\n"),
        f"{{in}}/c.yaml:{END + 1}: key 'contract_no' appears twice",
    ),
    Case(
        "duplicate key (JSON)",
        {"c.json": '{\n  "customer": {"name": "甲"},\n  "customer": {"name": "乙"}\n}\n'},
        ("{in}/c.json:3: key 'customer' appears twice",),
        args=("generate", "{in}/c.json", "-o", "{out}"),
    ),
    Case(
        "duplicate key (TOML)",
        {"c.toml": 'contract_no = "A"\n\n[customer]\nname = "甲"\nname = "乙"\n'},
        ("{in}/c.toml:5: key 'customer.name' appears twice",),
        args=("generate", "{in}/c.toml", "-o", "{out}"),
    ),
    # Wrong types, unknown and missing keys.
    yaml_case(
        "hours given as text",
        form_a("timeliness:\n  response_hours: '12'\n"),
        f"{{in}}/c.yaml:{END + 2}: timeliness.response_hours: Input should be a valid integer; "
        f"got '12'; {HOURS}",
    ),
    yaml_case(
        "a text per language under a name that is no language",
        form_a("title:\n  zh: 协议\n"),
        f"{{in}}/c.yaml:{END + 1}: title: 'zh' is not a language; allowed: zh-CN, en",
    ),
    yaml_case(
        "a group where a number belongs",
        form_a("term:\n  months:\n    zh: 协议\n"),
        f"{{in}}/c.yaml:{END + 2}: term.months: Input should be a valid integer; got a group of keys; "
        "allowed: whole numbers from 0 to 120",
    ),
    yaml_case(
        "text where a group belongs",
        form_a("timeliness: fast\n"),
        f"{{in}}/c.yaml:{END + 1}: timeliness: must be a group of keys; got 'fast'; "
        "its keys: response_hours, onsite_hours",
    ),
    yaml_case(
        "unknown key, did you mean",
        form_a("timelines:\n  response_hours: 12\n"),
        f"{{in}}/c.yaml:{END + 1}: unknown key 'timelines'; did you mean 'timeliness'?; allowed here: ",
    ),
    yaml_case(
        "unknown nested key, did you mean",
        form_a("timeliness:\n  respons_hours: 12\n"),
        f"{{in}}/c.yaml:{END + 2}: unknown key 'timeliness.respons_hours'; did you mean 'response_hours'?",
    ),
    yaml_case(
        "customer name missing",
        form_a(**{"  name: 杭州明远商贸有限公司\n": ""}),
        "{in}/c.yaml:3: 'customer.name' is required but missing",
    ),
    Case(
        "enterprise missing (no --base)",
        {"c.yaml": form_a()},
        ("{in}/c.yaml: 'enterprise' is required but missing",),
        args=("generate", "{in}/c.yaml", "-o", "{out}"),
    ),
    yaml_case(
        "blank contract number",
        form_a(**{"contract_no: HX-AS-2026-0158": "contract_no: '   '"}),
        "{in}/c.yaml:2: contract_no: must not be blank; got '   '",
    ),
    # Time limits and money.
    yaml_case(
        "negative hours",
        form_a("timeliness:\n  onsite_hours: -4\n"),
        f"{{in}}/c.yaml:{END + 2}: timeliness.onsite_hours: Input should be greater than or equal to 1; "
        f"got '-4'; {HOURS}",
    ),
    yaml_case(
        "zero hours",
        form_a("timeliness:\n  response_hours: 0\n"),
        f"{{in}}/c.yaml:{END + 2}: timeliness.response_hours:",
        f"got '0'; {HOURS}",
    ),
    yaml_case(
        "non-numeric hours",
        form_a("timeliness:\n  return_hours: 两天\n"),
        f"{{in}}/c.yaml:{END + 2}: timeliness.return_hours: Input should be a valid integer; "
        f"got '两天'; {HOURS}",
    ),
    yaml_case(
        "fractional hours",
        form_a("timeliness:\n  return_hours: 1.5\n"),
        f"got '1.5'; {HOURS}",
    ),
    yaml_case(
        "absurd hours",
        form_a("timeliness:\n  inspection_hours: 4800000000000000000000\n"),
        "timeliness.inspection_hours: Input should be less than or equal to 720; "
        "got '4800000000000000000000'",
    ),
    yaml_case(
        "money with three decimals",
        form_a("liabilities:\n  penalty_per_hour: 100.005\n"),
        f"{{in}}/c.yaml:{END + 2}: liabilities.penalty_per_hour: must not have more than two decimal places",
    ),
    # Values that are each valid but contradict one another.
    yaml_case(
        "response longer than on-site (C001)",
        form_a("timeliness:\n  response_hours: 72\n  onsite_hours: 48\n  inspection_hours: 72\n"),
        f"{{in}}/c.yaml:{END + 2}: error C001 timeliness.response_hours: "
        "the response limit must not be longer",
    ),
    yaml_case(
        "inspection shorter than response (C002)",
        form_a("timeliness:\n  response_hours: 24\n  inspection_hours: 12\n"),
        f"{{in}}/c.yaml:{END + 3}: error C002 timeliness.inspection_hours",
    ),
    yaml_case(
        "penalty cap below the hourly penalty (C003)",
        form_a("liabilities:\n  penalty_per_hour: 100\n  penalty_cap: 50\n"),
        f"{{in}}/c.yaml:{END + 3}: error C003 liabilities.penalty_cap",
    ),
    yaml_case(
        "arbitration without a commission (C005)",
        form_a("disputes:\n  method: arbitration\n"),
        f"{{in}}/c.yaml:{END + 2}: error C005 disputes.arbitration_commission: "
        "arbitration needs a named arbitration commission",
    ),
    # Choices and dates.
    yaml_case(
        "unknown dispute method",
        form_a("disputes:\n  method: mediation\n"),
        f"{{in}}/c.yaml:{END + 2}: disputes.method: Input should be 'litigation' or 'arbitration'; "
        "got 'mediation'",
    ),
    yaml_case(
        "unknown service",
        form_a("scope:\n  services: [installation, teleportation]\n"),
        f"{{in}}/c.yaml:{END + 2}: scope.services.2: Input should be 'installation',",
        "got 'teleportation'",
    ),
    yaml_case(
        "impossible date",
        form_a(**{"2026-11-25": "2026-02-30"}),
        f"{{in}}/c.yaml:{END}: signing.date: Input should be a valid date",
        "got '2026-02-30'; allowed: a date from 2000-01-01 to 2099-12-31, written YYYY-MM-DD",
    ),
    yaml_case(
        "date given as a number",
        form_a(**{"2026-11-25": "20261125"}),
        f"{{in}}/c.yaml:{END}: signing.date: must be a date from 2000-01-01 to 2099-12-31",
    ),
    yaml_case(
        "date out of range",
        form_a(**{"2026-11-25": "1926-11-25"}),
        "signing.date: must be a date from 2000-01-01 to 2099-12-31, written YYYY-MM-DD; got '1926-11-25'",
    ),
    # Characters a document cannot hold, and text that does not fit.
    yaml_case(
        "control character (YAML)",
        form_a(**{"王芳": "王\x07芳"}),
        "{in}/c.yaml:6: contains the control character U+0007, which a document cannot hold",
    ),
    Case(
        "control character (JSON escape)",
        {"c.json": as_json(title="协议\\u0000书").replace("\\\\u0000", "\\u0000")},
        ("title: contains the control character U+0000, which a document cannot hold; got '协议\\x00书'",),
        args=("generate", "{in}/c.json", "--base", str(STANDARD), "-o", "{out}"),
    ),
    yaml_case(
        "line break in a one-line value",
        form_a(**{"王芳": '"王\\n芳"'}),
        "{in}/c.yaml:6: customer.representative: must be a single line of text; got '王\\n芳'",
    ),
    yaml_case(
        "enormous value",
        form_a(**{"王芳": "王" * 300_000}),
        "{in}/c.yaml:6: customer.representative: String should have at most 200 characters; got '王王王",
        "… (300000 characters)",
    ),
    yaml_case(
        "enormous file (a 1 MB value)",
        form_a(**{"王芳": "x" * (1 << 20)}),
        "{in}/c.yaml: is 1,048,",
        "bytes; a parameter file may be at most 1,048,576",
    ),
    yaml_case(
        "thousands of unknown keys",
        form_a("".join(f"key{n}: {n}\n" for n in range(5000))),
        f"{{in}}/c.yaml:{END + 1}: unknown key 'key0'",
        "… and 4990 more problems",
        limit=4000,
    ),
    yaml_case(
        "YAML alias bomb",
        ALIAS_BOMB,
        "{in}/c.yaml:2: YAML aliases (*name) are not allowed in parameter files",
    ),
    yaml_case(
        "nesting too deep",
        "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "{in}/c.yaml:1: nested more than 16 levels deep",
    ),
    Case(
        "a number of thousands of digits (JSON)",
        {"c.json": '{"term": {"months": ' + "9" * 5000 + "}}"},
        ("{in}/c.json: not valid JSON: a number has thousands of digits",),
        args=("generate", "{in}/c.json", "-o", "{out}"),
    ),
    # The command line.
    Case(
        "--set without =",
        {"c.yaml": form_a()},
        ("--set 'customer.name': expected dotted.key=value",),
        code=2,
        args=("generate", "{in}/c.yaml", "--base", str(STANDARD), "--set", "customer.name", "-o", "{out}"),
    ),
    Case(
        "--set with a malformed key",
        {"c.yaml": form_a()},
        ("--set 'timeliness..response_hours=1': expected dotted.key=value",),
        code=2,
        args=("generate", "{in}/c.yaml", "--set", "timeliness..response_hours=1", "-o", "{out}"),
    ),
    Case(
        "--set of 100 000 characters without =",
        {"c.yaml": form_a()},
        ("--set 'xxxxx", "… (100000 characters)': expected dotted.key=value"),
        code=2,
        args=("generate", "{in}/c.yaml", "--set", "x" * 100_000, "-o", "{out}"),
    ),
    Case(
        "--set with a value that is not YAML",
        {"c.yaml": form_a()},
        ("--set customer.name:1: not valid YAML",),
        args=("generate", "{in}/c.yaml", "--base", str(STANDARD), "--set", "customer.name=[", "-o", "{out}"),
    ),
    Case(
        "--set turning a value into a group",
        {"c.yaml": form_a()},
        ("--set customer.name.first: customer.name: 'first' is not a language; allowed: zh-CN, en",),
        args=(
            "generate",
            "{in}/c.yaml",
            "--base",
            str(STANDARD),
            "--set",
            "customer.name.first=王",
            "-o",
            "{out}",
        ),
    ),
    Case(
        "unknown template",
        {"c.yaml": form_a("template: lease\n")},
        ("template: no template 'lease'; available: after-sales",),
    ),
    Case(
        "--clauses folder that does not exist",
        {"c.yaml": form_a()},
        ("{in}/mine: does not exist; --clauses takes a folder laid out like the built-in clauses",),
        args=("generate", "{in}/c.yaml", "--base", str(STANDARD), "--clauses", "{in}/mine", "-o", "{out}"),
    ),
    # Where the contract would be written.
    Case(
        "output folder under a regular file",
        {"c.yaml": form_a(), "plain": "x"},
        ("{in}/plain/out: cannot write here (Not a directory)",),
        args=("generate", "{in}/c.yaml", "--base", str(STANDARD), "-o", "{in}/plain/out"),
    ),
    Case(
        "output folder name too long for the system",
        {"c.yaml": form_a()},
        ("Error: '/", f"ooooo/{CONTRACT}.docx' (", "characters): cannot write here (File name too long)"),
        args=("generate", "{in}/c.yaml", "--base", str(STANDARD), "-o", "{in}/" + "o" * 300),
    ),
    Case(
        "parameter file name too long for the system",
        {},
        ("Error: '/", "ccccc.yaml' (", "characters): cannot be read (File name too long)"),
        args=("generate", "{in}/" + "c" * 300 + ".yaml", "-o", "{out}"),
    ),
    Case(
        "-o naming a file",
        {"c.yaml": form_a(), "plain": "x"},
        ("Invalid value for '-o' / '--output'", "{in}/plain' is a file"),
        code=2,
        args=("generate", "{in}/c.yaml", "--base", str(STANDARD), "-o", "{in}/plain"),
    ),
    Case(
        "contract already exists, no --force",
        {"c.yaml": form_a()},
        (f"{{out}}/{CONTRACT}.docx: already exists; use --force to replace it",),
        existing={f"{CONTRACT}.docx": b"signed copy, do not touch"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_gets_one_short_clean_error_and_writes_nothing(case: Case, tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if case.existing:
        out.mkdir()
        for name, data in case.existing.items():
            (out / name).write_bytes(data)

    def fill(text: str) -> str:
        return text.replace("{in}", str(folder)).replace("{out}", str(out))

    result = run_cli(*map(fill, case.args))
    output = result.output

    assert result.exit_code == case.code, output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in output
    assert output.count("Error: ") == 1, output
    for expected in case.expect:
        assert fill(expected) in output
    assert len(output) < case.limit, f"{len(output)} characters: {output[:300]}"
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert left == sorted(case.existing), f"left behind: {left}"
    for name, data in case.existing.items():
        assert (out / name).read_bytes() == data


def test_the_table_is_long_enough() -> None:
    """The issue asks for at least 30 rows; the README lists each."""
    assert len(CASES) >= 30


def test_validate_reports_the_same_errors(tmp_path: Path) -> None:
    """``validate`` goes through the same reading and checking as ``generate``."""
    bad = tmp_path / "c.yaml"
    bad.write_text(form_a("timeliness:\n  response_hours: 0\n"), encoding="utf-8")
    result = run_cli("validate", bad, "--base", STANDARD)
    assert result.exit_code == 1
    assert f"Error: {bad}:{END + 2}: timeliness.response_hours:" in result.output


@pytest.mark.parametrize(("encoding", "name"), [("gbk", "王芳"), ("gb18030", "王芳䶮")])
def test_a_chinese_windows_file_is_read_correctly(encoding: str, name: str, tmp_path: Path) -> None:
    """GBK and GB18030 (what Notepad on Chinese Windows saves) are decoded, not refused."""
    client = tmp_path / "client.yaml"
    client.write_bytes(form_a(**{"王芳": name}).encode(encoding))
    out = tmp_path / "out"
    result = run_cli("generate", client, "--base", STANDARD, "-o", out, "-f", "docx")
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in open_docx(str(out / f"{CONTRACT}.docx")).paragraphs)
    assert "杭州明远商贸有限公司" in text
    assert name in text


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the bytes go to disk: the old contract stays whole, no ``.part`` file remains."""
    target = tmp_path / f"{CONTRACT}.docx"
    target.write_bytes(b"the old contract")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(target, b"the new contract, half written")
    assert target.read_bytes() == b"the old contract"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_folder_in_the_way_of_a_contract_is_a_clean_error(tmp_path: Path) -> None:
    """Even with --force, a folder named like the contract is not replaced."""
    out = tmp_path / "out"
    (out / f"{CONTRACT}.docx").mkdir(parents=True)
    result = run_cli("generate", FORM_A, "--base", STANDARD, "-o", out, "-f", "docx", "--force")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {out}/{CONTRACT}.docx: cannot write (Is a directory)")
    assert [p.name for p in out.iterdir()] == [f"{CONTRACT}.docx"]


def test_a_contracts_files_are_written_all_or_none(tmp_path: Path) -> None:
    """If the PDF cannot be written, the DOCX beside it is not replaced either."""
    docx = tmp_path / f"{CONTRACT}.docx"
    docx.write_bytes(b"the old contract")
    (tmp_path / "plain").write_text("a file, not a folder")
    with pytest.raises(OutputError):
        output.write_together({docx: b"new", tmp_path / "plain" / f"{CONTRACT}.pdf": b"new"})
    assert docx.read_bytes() == b"the old contract"
    assert sorted(p.name for p in tmp_path.iterdir()) == [docx.name, "plain"]
