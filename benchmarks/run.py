"""``make bench``: how fast ``agreement`` makes contracts, against bare WeasyPrint.

    python benchmarks/run.py [--quick] [--count N]

Everything is measured in one run on one machine, so the ratios hold even
when the machine is shared and absolute times drift:

1. a worker-like loop (``stages.py``) makes every contract in one process:
   milliseconds per stage, memory, file sizes, and each contract's
   standalone HTML;
2. bare WeasyPrint (``reference.py``) renders that HTML to PDF with as many
   processes as ``agreement batch -j N`` uses, each with one
   ``FontConfiguration``, start-up and imports included; then ``agreement
   batch`` makes DOCX and PDF of the same rows, for N = 1 and 2;
3. ``agreement generate``, ``validate`` and ``--help`` run as whole processes;
4. the team server's store takes 50 saves at once (``store_load.py``).

Targets are printed beside the measurements (PASS/MISS); nothing here fails
on a slow machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import web_load
from clients import OFFERS, client_rows, write_csv

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = ROOT / "examples" / "company-standard.yaml"
CONTRACT = ROOT / "examples" / "client-form-a.yaml"
QUICK_COUNT = 120
FULL_COUNT = 1000
#: A sales person's typical batch: start-up is most of its time.
SMALL_BATCH = 20
#: The scenarios of the client rows (``clients.py``), each measured in full.
SCENARIOS = {"offers": "four standard offers", "own": "every row its own limits"}
KB = 1000
MIB = 1024 * 1024


@dataclass(frozen=True)
class Run:
    """One measured run of one or more processes started together."""

    seconds: float
    #: User + system seconds of all the processes: what a busy neighbour on a shared machine changes least.
    cpu: float
    peak_rss: int  # bytes, largest process (children included)


def agreement() -> str:
    """The ``agreement`` command installed beside this Python (the project's virtualenv)."""
    beside = Path(sys.executable).with_name("agreement")
    found = str(beside) if beside.exists() else shutil.which("agreement")
    if found is None:
        sys.exit("benchmark: the agreement command is not installed (run make bench)")
    return found


def timed(commands: list[list[str]], log: Path) -> Run:
    """Start ``commands`` together and wait for all; wall and CPU time, the largest peak RSS."""
    start = time.perf_counter()
    with log.open("wb") as errors:
        procs = [
            subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
            for command in commands
        ]
        peak, cpu = 0, 0.0
        for proc in procs:
            # wait4 rather than wait: its usage covers the process and the
            # children it waited for (a batch's workers).
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            peak = max(peak, usage.ru_maxrss * 1024)
            cpu += usage.ru_utime + usage.ru_stime
    seconds = time.perf_counter() - start
    failed = [cmd for cmd, proc in zip(commands, procs, strict=True) if proc.returncode]
    if failed:
        sys.exit(f"benchmark: {' '.join(failed[0][:3])} … failed:\n{log.read_text(errors='replace')[-2000:]}")
    return Run(seconds, cpu, peak)


def in_turns(commands: dict[str, list[str]], times: int, log: Path) -> dict[str, list[float]]:
    """Wall seconds of each command, run ``times`` times in turns after one untimed round.

    In turns, a burst of load on a shared machine hits every command alike;
    the untimed round keeps a cold file cache out of the figures.
    """
    for command in commands.values():
        timed([command], log)
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(times):
        for name, command in commands.items():
            seconds[name].append(timed([command], log).seconds)
    return seconds


class Report:
    """Aligned lines: what, the measurement, the target and PASS/MISS."""

    def section(self, title: str) -> None:
        print(f"\n{title}", flush=True)

    def line(self, label: str, value: str, target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        print(f"  {label:<42} {value:<30} {target:<16} {verdict}".rstrip(), flush=True)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory = next(
        (
            f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "",
    )
    return f"{os.cpu_count()} cores, {cpu}, {memory}, Python {platform.python_version()}"


def stage_loop(work: Path, scenario: str, count: int, mark: int) -> dict[str, object]:
    html_dir = work / "html"
    html_dir.mkdir()
    result = subprocess.run(
        [sys.executable, str(HERE / "stages.py"), str(BASE), scenario, str(count), str(html_dir), str(mark)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"benchmark: the stage loop failed:\n{result.stderr[-2000:]}")
    data: dict[str, object] = json.loads(result.stdout)
    return data


@dataclass
class Scenario:
    """What one scenario's rows measured: the stage loop and the whole-process runs."""

    name: str
    count: int
    loop: dict[str, object]
    throughput: dict[tuple[str, int], Run]
    #: The first ``SMALL_BATCH`` rows, batch -j 2 and bare WeasyPrint -j 2, in turns.
    small: dict[str, list[Run]]


def batch_command(command: str, table: Path, out: Path, jobs: int) -> list[str]:
    return [command, "batch", str(table), "--base", str(BASE), "-o", str(out), "-j", str(jobs), "-q"]


def reference_commands(out: Path, pages: list[Path], jobs: int, compact: bool = False) -> list[list[str]]:
    """Bare WeasyPrint in ``jobs`` processes, the pages shared out between them."""
    out.mkdir()
    flags = ["--compact-fonts"] if compact else []
    return [
        [sys.executable, str(HERE / "reference.py"), *flags, str(out), *map(str, pages[k::jobs])]
        for k in range(jobs)
    ]


def measure(work: Path, name: str, count: int, mark: int, command: str, small_turns: int) -> Scenario:
    """One scenario: the stage loop, then batch and bare WeasyPrint as whole processes."""
    work.mkdir()
    log = work / "stderr.log"
    rows = client_rows(count, name)
    table = work / "clients.csv"
    write_csv(rows, table)
    loop = stage_loop(work, name, count, mark)
    pages = sorted((work / "html").glob("*.html"))
    throughput: dict[tuple[str, int], Run] = {}
    # Reference, ours, ours, reference: a machine that speeds up or slows
    # down during the run favours neither side.
    runs = (("reference", 1), ("batch", 1), ("batch", 2), ("compact", 2), ("reference", 2))
    for kind, jobs in runs:
        out = work / f"{kind}-{jobs}"
        if kind == "batch":
            commands = [batch_command(command, table, out, jobs)]
        else:
            commands = reference_commands(out, pages, jobs, compact=kind == "compact")
        throughput[kind, jobs] = timed(commands, log)
    # A small batch is mostly start-up: timed several times, in turns.
    few = min(SMALL_BATCH, count)
    small_table = work / "small.csv"
    write_csv(rows[:few], small_table)
    small: dict[str, list[Run]] = {"batch": [], "reference": []}
    for turn in range(small_turns):
        for kind in ("reference", "batch") if turn % 2 == 0 else ("batch", "reference"):
            out = work / f"small-{kind}-{turn}"
            if kind == "batch":
                commands = [batch_command(command, small_table, out, 2)]
            else:
                commands = reference_commands(out, pages[:few], 2)
            small[kind].append(timed(commands, log))
    return Scenario(name, count, loop, throughput, small)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_COUNT} contracts per scenario")
    parser.add_argument("--count", type=int, help=f"contracts per scenario (default {FULL_COUNT})")
    parser.add_argument("--repeats", type=int, help="runs of each single command (default 3, full run 11)")
    args = parser.parse_args()
    count = args.count or (QUICK_COUNT if args.quick else FULL_COUNT)
    repeats = args.repeats or (3 if args.quick or count < 200 else 11)
    mark = 50 if count > 50 else max(1, count // 2)
    command = agreement()
    report = Report()

    with tempfile.TemporaryDirectory(prefix="agreement-bench-") as temporary:
        work = Path(temporary)
        log = work / "stderr.log"
        started = dt.datetime.now(dt.UTC)
        print(f"agreement benchmark, {started:%Y-%m-%d %H:%M} UTC")
        print(f"machine: {machine()}")
        base = BASE.relative_to(ROOT)
        print(f"contracts: {count} generated client rows per scenario, DOCX + PDF each, --base {base}")
        scenarios = [
            measure(work / name, name, count, mark, command, max(3, repeats // 2)) for name in SCENARIOS
        ]
        single = work / "single"
        contract = [str(CONTRACT), "--base", str(BASE)]
        timings = in_turns(
            {
                "generate": [command, "generate", *contract, "-o", str(single), "--force"],
                "validate": [command, "validate", *contract],
                "--help": [command, "--help"],
            },
            repeats,
            log,
        )
        single_sizes = {path.suffix: path.stat().st_size for path in single.iterdir()}

    for scenario in scenarios:
        report_scenario(report, scenario)

    report.section(f"one command, whole process (wall, median of {repeats}, in turns after an untimed round)")
    report.line(
        f"{CONTRACT.name}: PDF, DOCX",
        f"{single_sizes['.pdf'] / KB:.0f} KB, {single_sizes['.docx'] / KB:.0f} KB",
    )
    for name, limit in (("generate", 0.8), ("validate", 0.3), ("--help", 0.2)):
        median = statistics.median(timings[name])
        label = "agreement generate (DOCX + PDF)" if name == "generate" else f"agreement {name}"
        report.line(label, f"{median:.2f} s (best {min(timings[name]):.2f})", f"< {limit} s", median < limit)
    sys.stdout.flush()
    subprocess.run([sys.executable, str(HERE / "store_load.py")], cwd=ROOT, check=False)
    web_load.run(report, command, quick=count < 100)
    print(f"\nfinished in {(dt.datetime.now(dt.UTC) - started).total_seconds():.0f} s")


def report_scenario(report: Report, scenario: Scenario) -> None:
    """The same figures for every scenario, under a heading that names it."""
    count, throughput, loop = scenario.count, scenario.throughput, scenario.loop
    charts = min(count, len(OFFERS)) if scenario.name == "offers" else count
    print(f"\n=== {SCENARIOS[scenario.name]}: {count} rows, {charts} distinct flowcharts ===")
    report.section(
        "throughput, whole processes (batch: DOCX + PDF; reference: PDF from the same HTML; "
        "CPU: user + system of all processes)"
    )
    for jobs in (1, 2):
        ours, reference = throughput["batch", jobs], throughput["reference", jobs]
        report.line(
            f"agreement batch -j {jobs}",
            f"{count / ours.seconds:.2f} contracts/s ({ours.seconds:.1f} s, CPU {ours.cpu:.0f} s)",
        )
        report.line(
            f"bare WeasyPrint, {jobs} process{'es' if jobs > 1 else ''}",
            f"{count / reference.seconds:.2f} PDFs/s ({reference.seconds:.1f} s, CPU {reference.cpu:.0f} s)",
        )
    goal = 0.80 if scenario.name == "offers" else 0.85
    for jobs in (1, 2):
        ours, reference = throughput["batch", jobs], throughput["reference", jobs]
        ratio = ours.seconds / reference.seconds
        target = (f"≤ {goal:.2f}", ratio <= goal) if jobs == 2 else ("(target: -j 2)", None)
        report.line(
            f"overhead -j {jobs}: batch ÷ bare WeasyPrint",
            f"{ratio:.2f} × (CPU {ours.cpu / reference.cpu:.2f} ×)",
            target[0],
            target[1],
        )
    ours, compact = throughput["batch", 2], throughput["compact", 2]
    report.line(
        "bare WeasyPrint + compact fonts, -j 2",
        f"{count / compact.seconds:.2f} PDFs/s ({compact.seconds:.1f} s, CPU {compact.cpu:.0f} s)",
    )
    report.line(
        "overhead -j 2 ÷ that (no font gain)",
        f"{ours.seconds / compact.seconds:.2f} × (CPU {ours.cpu / compact.cpu:.2f} ×)",
    )
    few = min(SMALL_BATCH, count)
    small_batch = statistics.median(run.seconds for run in scenario.small["batch"])
    small_reference = statistics.median(run.seconds for run in scenario.small["reference"])
    report.line(
        f"{few} rows, -j 2: batch ÷ bare WeasyPrint",
        f"{small_batch / small_reference:.2f} × ({small_batch:.1f} s ÷ {small_reference:.1f} s, "
        f"median of {len(scenario.small['batch'])})",
        "≤ 1.50",
        small_batch / small_reference <= 1.5,
    )

    seconds = dict(loop["seconds"])  # type: ignore[call-overload]
    nested = {"model": ("clauses", "flowchart")}
    report.section(f"per contract by stage, one process (ms, mean of {count})")
    shown = (
        "parameters",
        "clauses",
        "model",
        "flowchart",
        "flowchart png",
        "docx",
        "html",
        "pdf layout",
        "pdf write",
    )
    labels = {"flowchart": "flowchart: layout + SVG", "flowchart png": "flowchart: PNG for the DOCX"}
    for stage in shown:
        own = seconds.get(stage, 0.0) - sum(seconds.get(inner, 0.0) for inner in nested.get(stage, ()))
        label = f"{stage} (the rest)" if stage in nested else labels.get(stage, stage)
        report.line(label, f"{own / count * 1000:.1f} ms")
    total = sum(seconds.get(stage, 0.0) for stage in shown if stage not in ("clauses", "flowchart"))
    report.line("total", f"{total / count * 1000:.1f} ms")
    reference_ms = throughput["reference", 1].seconds / count * 1000
    report.line("bare WeasyPrint, whole run ÷ contracts", f"{reference_ms:.1f} ms")

    mark = loop["mark_number"]
    memory_mark, memory_last = loop["mark"], loop["last"]
    assert isinstance(memory_mark, dict) and isinstance(memory_last, dict)
    growth = (memory_last["VmRSS"] - memory_mark["VmRSS"]) / memory_mark["VmRSS"] * 100
    report.section("memory (resident)")
    peak = memory_last["VmHWM"] * 1024
    report.line("peak, worker-like loop", f"{peak / MIB:.0f} MiB", "< 300 MiB", peak < 300 * MIB)
    report.line(
        f"growth, contract {mark} → {count}",
        f"{memory_mark['VmRSS'] / 1024:.0f} → {memory_last['VmRSS'] / 1024:.0f} MiB ({growth:+.1f} %)",
        "< 10 %",
        growth < 10,
    )
    largest = throughput["batch", 2].peak_rss
    report.line(
        "peak, largest process of batch -j 2", f"{largest / MIB:.0f} MiB", "< 300 MiB", largest < 300 * MIB
    )
    report.line(
        "peak, largest bare WeasyPrint process", f"{throughput['reference', 2].peak_rss / MIB:.0f} MiB"
    )

    sizes = loop["sizes"]
    assert isinstance(sizes, dict)
    report.section(f"file sizes (KB = 1000 bytes; largest and mean of {count})")
    for fmt, limit in (("pdf", 400), ("docx", 150)):
        largest_size = max(sizes[fmt])
        report.line(
            f"{fmt.upper()}",
            f"{largest_size / KB:.0f} KB (mean {statistics.mean(sizes[fmt]) / KB:.0f})",
            f"< {limit} KB",
            largest_size < limit * KB,
        )


if __name__ == "__main__":
    main()
