"""``agreement batch``: real tables, real worker processes, real files read back."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import Result
from docx import Document as open_docx

from .conftest import ROOT, STANDARD, docx_blocks, pdf_pages, run_cli, squash

AGREEMENT = ROOT / ".venv" / "bin" / "agreement"
HEADERS = [
    "contract_no",
    "customer.name",
    "customer.address",
    "customer.representative",
    "customer.phone",
    "timeliness.response_hours",
    "liabilities.penalty_cap",
    "signing.date",
]
#: Data rows (0-based) that are wrong, and what each error must name.
BAD = {
    6: ("timeliness.response_hours", "abc", "column F (timeliness.response_hours)"),
    22: ("liabilities.penalty_cap", "-100", "column G (liabilities.penalty_cap)"),
    40: ("customer.name", "", "'customer.name' is required"),
}


def contract_rows(count: int, bad: dict[int, tuple[str, str, str]] | None = None) -> list[dict[str, Any]]:
    """Varied, valid clients; the ``bad`` rows get one wrong cell each."""
    rows = []
    for i in range(count):
        row: dict[str, Any] = {
            "contract_no": f"HX-B-{i + 1:03}",
            "customer.name": f"客户{i + 1}号贸易有限公司",
            "customer.address": f"浙江省杭州市西湖区文三路 {i + 1} 号",
            "customer.representative": "王芳",
            "customer.phone": f"0571-8765 {4000 + i}",
            "timeliness.response_hours": (12, 24, 36)[i % 3],
            "liabilities.penalty_cap": 5000 + 100 * i,
            "signing.date": dt.date(2026, 11, 1 + i % 28),
        }
        if bad and i in bad:
            key, value, _ = bad[i]
            row[key] = value
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict[str, Any]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Numbers and dates as Excel stores them (typed cells), text as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "clients"
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append([_typed(v) for v in row.values()])
    book.save(path)
    return path


def _typed(value: Any) -> Any:
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value or None


def batch(table: Path, out: Path, *args: str) -> Result:
    return run_cli("batch", table, "--base", STANDARD, "-o", out, "-f", "docx", "-j", "2", *args)


def manifest(out: Path, name: str = "manifest.json") -> dict[str, Any]:
    contracts: dict[str, Any] = json.loads((out / name).read_text(encoding="utf-8"))["contracts"]
    return contracts


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Each contract file's inode and modification time: both change if it is written again."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("*.docx")}


def read_failures(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module", params=["csv", "xlsx"])
def fifty(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """A 50-row table with 3 bad rows, as CSV and as Excel, run once each."""
    folder = tmp_path_factory.mktemp(request.param)
    rows = contract_rows(50, BAD)
    write = write_csv if request.param == "csv" else write_xlsx
    table = write(folder / f"clients.{request.param}", rows)
    out = folder / "out"
    return out, batch(table, out)


def test_good_rows_are_made_and_bad_rows_reported_with_row_and_column(fifty: tuple[Path, Result]) -> None:
    out, result = fifty
    assert result.exit_code == 1, result.output
    good = [i for i in range(50) if i not in BAD]
    assert sorted(p.name for p in out.glob("*.docx")) == [f"HX-B-{i + 1:03}.docx" for i in good]
    for i in good:
        text = squash("".join(docx_blocks(out / f"HX-B-{i + 1:03}.docx")))
        assert f"客户{i + 1}号贸易有限公司" in text
        assert f"文三路{i + 1}号" in text
    for i, (_, _, where) in BAD.items():
        assert f"row {i + 2}" in result.stderr
        line = next(line for line in result.stderr.splitlines() if f"row {i + 2}" in line)
        assert where in line
    assert "done 47, skipped 0 (unchanged), failed 3" in result.stdout


def test_failures_csv_holds_exactly_the_bad_rows_unchanged(fifty: tuple[Path, Result]) -> None:
    out, _ = fifty
    failed = read_failures(out / "failures.csv")
    expected = contract_rows(50, BAD)
    assert [row["contract_no"] for row in failed] == [f"HX-B-{i + 1:03}" for i in BAD]
    for row, i in zip(failed, BAD, strict=True):
        assert f"row {i + 2}" in row.pop("error")
        assert row == {k: str(v) for k, v in expected[i].items()}


def test_manifest_records_each_contract_with_its_row_and_file_hashes(fifty: tuple[Path, Result]) -> None:
    import hashlib

    out, _ = fifty
    contracts = manifest(out)
    assert len(contracts) == 47
    for name, entry in contracts.items():
        assert entry["row"] == int(name[-3:]) + 1
        assert len(entry["params"]) == 64
        for file, digest in entry["files"].items():
            assert hashlib.sha256((out / file).read_bytes()).hexdigest() == digest
        # The playbook allows responses up to 24 hours: the 36-hour rows need legal's approval.
        over = contract_rows(50)[entry["row"] - 2]["timeliness.response_hours"] > 24
        codes = [finding.split()[1:3] for finding in entry["findings"]]
        assert codes == ([["P002", "timeliness.response_hours:"]] if over else [])


def test_fixed_failures_csv_runs_as_it_is(fifty: tuple[Path, Result], tmp_path: Path) -> None:
    out, _ = fifty
    failed = read_failures(out / "failures.csv")
    fixes = {
        "timeliness.response_hours": "24",
        "liabilities.penalty_cap": "8000",
        "customer.name": "补录公司",
    }
    for row, (key, _, _) in zip(failed, BAD.values(), strict=True):
        row[key] = fixes[key]
    fixed = write_csv(tmp_path / "fixed.csv", failed)
    result = batch(fixed, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == [f"HX-B-{i + 1:03}.docx" for i in BAD]
    assert not (tmp_path / "out" / "failures.csv").exists()


def test_rerun_skips_unchanged_rows_and_remakes_changed_ones(tmp_path: Path) -> None:
    rows = contract_rows(4)
    table = write_csv(tmp_path / "clients.csv", rows)
    out = tmp_path / "out"
    assert batch(table, out).exit_code == 0
    before = stamps(out)
    again = batch(table, out)
    assert again.exit_code == 0
    assert "done 0, skipped 4" in again.stdout
    assert stamps(out) == before

    rows[1]["customer.name"] = "改名后的客户有限公司"
    write_csv(table, rows)
    changed = batch(table, out)
    assert "done 1, skipped 3" in changed.stdout
    after = stamps(out)
    assert {n for n in after if after[n] != before[n]} == {"HX-B-002.docx"}
    assert "改名后的客户有限公司" in squash("".join(docx_blocks(out / "HX-B-002.docx")))

    forced = batch(table, out, "--force")
    assert "done 4, skipped 0" in forced.stdout
    draft = batch(table, out, "--draft")  # same rows, different contracts
    assert "done 4, skipped 0" in draft.stdout
    header = open_docx(str(out / "HX-B-001.docx")).sections[0].header
    assert "草稿" in "".join(p.text for p in header.paragraphs)


def test_a_damaged_contract_is_made_again(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "clients.csv", contract_rows(2))
    out = tmp_path / "out"
    assert batch(table, out).exit_code == 0
    (out / "HX-B-001.docx").write_bytes(b"truncated")
    result = batch(table, out)
    assert result.exit_code == 0, result.output
    assert "done 1, skipped 1" in result.stdout
    assert "客户1号贸易有限公司" in squash("".join(docx_blocks(out / "HX-B-001.docx")))


def test_temporary_files_of_a_killed_run_are_removed_but_not_other_jobs(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "clients.csv", contract_rows(2))
    out = tmp_path / "out"
    out.mkdir()
    ours = out / ".HX-B-001.docx.k3j9x0a1.part"
    other_shard = out / ".HX-B-999.docx.q8w7e6r5.part"
    ours.write_bytes(b"half a contract")
    other_shard.write_bytes(b"being written by another job")
    assert batch(table, out).exit_code == 0
    assert not ours.exists()
    assert other_shard.exists()


def test_a_file_the_batch_did_not_make_is_not_overwritten(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "clients.csv", contract_rows(2))
    out = tmp_path / "out"
    out.mkdir()
    (out / "HX-B-002.docx").write_bytes(b"someone else's contract")
    result = batch(table, out)
    assert result.exit_code == 1
    assert "row 3" in result.stderr and "already exists" in result.stderr
    assert (out / "HX-B-002.docx").read_bytes() == b"someone else's contract"
    assert (out / "HX-B-001.docx").exists()


def _start(table: Path, out: Path, errors: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [AGREEMENT, "batch", table, "--base", STANDARD, "-o", out, "-f", "docx", "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=errors,
        start_new_session=True,
    )


def _wait_for_files(process: subprocess.Popen[bytes], out: Path, files: int) -> None:
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.docx"))) < files and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the batch finished before it could be stopped"


def _run_until(
    table: Path, out: Path, files: int, sig: signal.Signals, *, worker: bool = False
) -> tuple[int, str]:
    """Start a real batch; once ``files`` contracts exist, signal its process group (or one worker).

    Returns the exit status and what the batch wrote to stderr.
    """
    with (out.parent / "stderr.txt").open("w+") as errors:
        process = _start(table, out, errors)
        _wait_for_files(process, out, files)
        if worker:
            os.kill(_workers(process.pid)[0], sig)
        else:
            os.killpg(process.pid, sig)
        status = process.wait(timeout=120)
        errors.seek(0)
        return status, errors.read()


def _workers(parent: int) -> list[int]:
    """The pool's worker processes: the children of ``parent`` that run the same command."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == parent and b"batch" in command:
            found.append(int(stat.parent.name))
    assert found, "no worker processes found"
    return found


def _assert_complete(out: Path, count: int) -> None:
    import hashlib

    contracts = manifest(out)
    assert sorted(contracts) == [f"HX-B-{i + 1:03}" for i in range(count)]
    for entry in contracts.values():
        for file, digest in entry["files"].items():
            assert hashlib.sha256((out / file).read_bytes()).hexdigest() == digest
    for path in out.glob("*.docx"):
        assert open_docx(str(path)).paragraphs
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_a_killed_batch_continues_where_it_stopped(tmp_path: Path) -> None:
    count = 24
    table = write_csv(tmp_path / "clients.csv", contract_rows(count))
    out = tmp_path / "out"
    status, _ = _run_until(table, out, 6, signal.SIGKILL)
    assert status == -signal.SIGKILL
    made = stamps(out)
    assert 6 <= len(made) < count
    for path in out.glob("*.docx"):
        assert open_docx(str(path)).paragraphs, f"{path.name} is damaged"

    rerun = subprocess.run(
        [AGREEMENT, "batch", table, "--base", STANDARD, "-o", out, "-f", "docx", "-j", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    _assert_complete(out, count)
    after = stamps(out)
    # Every contract written before the kill is still the very same file.
    assert {name: after[name] for name in made} == made


def test_ctrl_c_finishes_running_contracts_and_records_them(tmp_path: Path) -> None:
    count = 24
    table = write_csv(tmp_path / "clients.csv", contract_rows(count))
    out = tmp_path / "out"
    status, errors = _run_until(table, out, 4, signal.SIGINT)
    assert status == 130, errors
    assert "interrupted: stopped after" in errors
    assert "run the same command again to continue" in errors
    recorded = {file for entry in manifest(out).values() for file in entry["files"]}
    assert recorded == {p.name for p in out.glob("*.docx")}
    made = stamps(out)
    assert batch(table, out).exit_code == 0
    _assert_complete(out, count)
    after = stamps(out)
    assert {name: after[name] for name in made} == made


def test_a_killed_worker_stops_the_batch_cleanly_and_a_rerun_finishes_it(tmp_path: Path) -> None:
    count = 24
    table = write_csv(tmp_path / "clients.csv", contract_rows(count))
    out = tmp_path / "out"
    status, errors = _run_until(table, out, 4, signal.SIGKILL, worker=True)
    assert status == 1, errors
    assert "a worker process died" in errors and "run the same command again" in errors
    assert "Traceback" not in errors
    made = stamps(out)
    assert batch(table, out).exit_code == 0
    _assert_complete(out, count)
    after = stamps(out)
    assert {name: after[name] for name in made} == made


def test_shards_together_make_exactly_the_whole_batch(tmp_path: Path) -> None:
    count = 9
    table = write_csv(tmp_path / "clients.csv", contract_rows(count))
    out = tmp_path / "out"
    first = batch(table, out, "--shard", "1/2")
    second = batch(table, out, "--shard", "2/2")
    assert first.exit_code == second.exit_code == 0
    one, two = manifest(out, "manifest.1-of-2.json"), manifest(out, "manifest.2-of-2.json")
    assert [e["row"] for e in one.values()] == [2, 4, 6, 8, 10]
    assert [e["row"] for e in two.values()] == [3, 5, 7, 9]
    assert sorted({*one, *two}) == [f"HX-B-{i + 1:03}" for i in range(count)]
    assert sorted(p.stem for p in out.glob("*.docx")) == sorted({*one, *two})
    whole = batch(table, out)
    assert "done 0, skipped 9" in whole.stdout


def test_shards_report_a_name_clash_across_shards(tmp_path: Path) -> None:
    rows = contract_rows(4)
    rows[3]["contract_no"] = rows[0]["contract_no"]
    table = write_csv(tmp_path / "clients.csv", rows)
    out = tmp_path / "out"
    first = batch(table, out, "--shard", "1/3")  # rows 2 and 5
    assert first.exit_code == 1
    assert "row 2: the file name 'HX-B-001' is also that of row 5" in first.stderr
    assert "row 5: the file name 'HX-B-001' is also that of row 2" in first.stderr
    assert not list(out.glob("*.docx"))
    assert [r["contract_no"] for r in read_failures(out / "failures.1-of-3.csv")] == ["HX-B-001"] * 2


def test_gb18030_csv_from_chinese_excel(tmp_path: Path) -> None:
    rows = contract_rows(2)
    table = write_csv(tmp_path / "clients.csv", rows, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        table.read_bytes().decode("utf-8")
    for args in ((), ("--encoding", "gbk")):
        out = tmp_path / f"out{len(args)}"
        result = batch(table, out, *args)
        assert result.exit_code == 0, result.output
        assert "客户2号贸易有限公司" in squash("".join(docx_blocks(out / "HX-B-002.docx")))


def test_two_rows_with_the_same_file_name_are_both_refused(tmp_path: Path) -> None:
    rows = contract_rows(3)
    rows[2]["contract_no"] = "hx-b-001"  # differs only in case: the same file on Windows and macOS
    table = write_csv(tmp_path / "clients.csv", rows)
    out = tmp_path / "out"
    result = batch(table, out)
    assert result.exit_code == 1
    assert "row 2: the file name 'HX-B-001' is also that of row 4" in result.stderr
    assert "row 4: the file name 'hx-b-001' is also that of row 2" in result.stderr
    assert [p.name for p in out.glob("*.docx")] == ["HX-B-002.docx"]
    assert [r["contract_no"] for r in read_failures(out / "failures.csv")] == ["HX-B-001", "hx-b-001"]

    named = batch(table, tmp_path / "named", "--name", "{customer.name}/{contract_no}")
    assert named.exit_code == 0, named.output
    assert sorted(p.name for p in (tmp_path / "named").glob("*.docx")) == [
        "客户1号贸易有限公司_HX-B-001.docx",
        "客户2号贸易有限公司_HX-B-002.docx",
        "客户3号贸易有限公司_hx-b-001.docx",
    ]


def test_pdf_and_docx_from_the_same_row_say_the_same(tmp_path: Path) -> None:
    table = write_xlsx(tmp_path / "clients.xlsx", contract_rows(3))
    out = tmp_path / "out"
    result = batch(table, out, "-f", "pdf", "--sheet", "clients")
    assert result.exit_code == 0, result.output
    for i in range(3):
        name = f"HX-B-{i + 1:03}"
        pdf = squash("".join(pdf_pages(out / f"{name}.pdf")))
        assert f"客户{i + 1}号贸易有限公司" in pdf
        assert f"合同编号：{name}" in pdf
        assert sorted(manifest(out)[name]["files"]) == [f"{name}.docx", f"{name}.pdf"]


def test_yaml_list_with_nested_values(tmp_path: Path) -> None:
    table = tmp_path / "clients.yaml"
    table.write_text(
        "- contract_no: HX-Y-1\n"
        "  customer: {name: 甲公司, address: 北京, representative: 张三, phone: 010-1}\n"
        "  scope.services: [repair_typo]\n"
        "- contract_no: HX-Y-2\n"
        "  customer: {name: 乙公司, address: 北京, representative: 李四, phone: 010-2}\n"
        "  timeliness.response_hours: 12\n",
        encoding="utf-8",
    )
    result = batch(table, tmp_path / "out")
    assert result.exit_code == 1
    assert "clients.yaml item 1, key scope.services" in result.stderr
    assert [p.name for p in (tmp_path / "out").glob("*.docx")] == ["HX-Y-2.docx"]


def test_cells_are_read_like_set_values_but_text_stays_text(tmp_path: Path) -> None:
    rows = contract_rows(1)
    rows[0]["customer.name"] = "Shop #1: 东区"
    rows[0]["scope.services"] = "[installation, onsite_service]"
    table = write_csv(tmp_path / "clients.csv", rows)
    result = batch(table, tmp_path / "out", "-f", "html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "HX-B-001.html").read_text(encoding="utf-8")
    assert "Shop #1: 东区" in html


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--shard", "3/2"), 2, "--shard '3/2': expected K/N"),
        (("--name", "{customer.nmae}"), 2, "did you mean 'name'"),
        (("--name", "fixed"), 2, "names no parameter key"),
        (("--sheet", "nope"), 1, "no sheet named 'nope'; sheets: clients"),
    ],
)
def test_bad_options_are_refused_before_anything_is_made(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    table = write_xlsx(tmp_path / "clients.xlsx", contract_rows(2))
    result = batch(table, tmp_path / "out", *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_shifted_or_misspelt_header_stops_the_batch(tmp_path: Path) -> None:
    table = tmp_path / "clients.csv"
    table.write_text("contract_no,Customer Name\nHX-1,甲公司,extra\n", encoding="utf-8")
    result = batch(table, tmp_path / "out")
    assert result.exit_code == 1
    assert "row 1, column B: header 'Customer Name' is not a parameter key" in result.stderr
    assert "row 2, column C: a value under no header" in result.stderr
    assert "Traceback" not in result.output


def test_text_columns_keep_digits_as_written(tmp_path: Path) -> None:
    """Phone numbers and contract numbers of digits only stay text (no int, no octal, no error)."""
    table = tmp_path / "digits.csv"
    table.write_text(
        "contract_no,customer.name,customer.address,customer.representative,customer.phone,customer.email\n"
        "2026001,甲公司,地址,张三,0571123,null\n",
        encoding="utf-8",
    )
    result = run_cli("batch", table, "--base", STANDARD, "-o", tmp_path / "out", "-f", "docx", "-j", "1")
    assert result.exit_code == 0, result.output
    blocks = docx_blocks(tmp_path / "out" / "2026001.docx")
    assert "联系电话：0571123" in blocks
    assert not any(block.startswith("电子邮箱：") and "null" in block for block in blocks)
