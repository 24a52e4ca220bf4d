"""Map the single-contract pipeline over the table's rows in a process pool.

Two passes.  First every row is validated and named (cheap, and needed
before anything is written: two rows with the same file name must both be
refused).  Then the shard's good rows are made: each worker process is set
up once (its caches keep the clause library, Jinja environment, fonts and
stylesheet for every later contract), writes its files itself and returns
a small ``Outcome``, so the parent's memory does not grow with the batch.

Nothing is lost on the way: files are written atomically, the manifest is
saved as contracts complete, Ctrl-C or SIGTERM lets the running contracts
finish and saves, and a worker that is killed ends the run cleanly.  The
same command then continues where it stopped.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from ..errors import AgreementError, OutputError
from ..output import check_writable, write_together
from ..params import Layer
from ..pipeline import Options, build, pdf_options, prepare, render
from ..workers import worker_pool
from .failures import failures_path, write_failures
from .manifest import Entry, Manifest, sha256_bytes, sha256_of, templates_fingerprint
from .naming import NamePattern, clashes, name_of
from .rows import row_layer
from .shard import Shard
from .table import Row, Source, Table

Status = Literal["done", "skipped", "failed"]
INTERRUPTED = "interrupted"
#: Rows validated per round trip to a worker in the first pass.
PLAN_CHUNK = 64


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs, sent to each worker once."""

    source: Source
    bases: tuple[Layer, ...]
    sets: tuple[Layer, ...]
    options: Options
    formats: tuple[str, ...]
    out_dir: Path
    pattern: NamePattern
    force: bool


@dataclass(frozen=True)
class Outcome:
    """What became of one row; small, because thousands cross the process boundary."""

    row: Row
    status: Status
    name: str | None = None
    entry: Entry | None = None
    error: str | None = None


@dataclass
class Summary:
    total: int
    done: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    #: Why the run stopped early ("interrupted", "a worker died"), if it did.
    stopped: str | None = None
    failures: Path | None = None
    failed_rows: list[tuple[Row, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def add(self, outcome: Outcome) -> None:
        if outcome.status == "done":
            self.done += 1
        elif outcome.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1
            self.failed_rows.append((outcome.row, outcome.error or "failed"))


Report = Callable[[Outcome, Summary], None]

_settings: Settings | None = None


def _start_worker(settings: Settings) -> None:
    """Per-process set-up: the settings (``worker_pool`` leaves Ctrl-C to the parent)."""
    global _settings
    _settings = settings


def _worker_settings() -> Settings:
    assert _settings is not None, "worker used before _start_worker"
    return _settings


def _layers(settings: Settings, row: Row) -> list[Layer]:
    return [*settings.bases, row_layer(settings.source, row), *settings.sets]


def _failure(settings: Settings, row: Row, error: Exception) -> str:
    """The error, always starting with the row (a consistency error may point at the base file)."""
    label = settings.source.label(row.number)
    if isinstance(error, AgreementError):
        message = str(error)
    else:
        message = f"unexpected {type(error).__name__}: {error}"
    return message if message.startswith(label) else f"{label}: {message}"


def plan_row(row: Row) -> tuple[str | None, str | None]:
    """First pass, in a worker: the row's file name, or why it cannot be made."""
    settings = _worker_settings()
    try:
        prepared = prepare(_layers(settings, row), settings.options)
        return name_of(settings.pattern, prepared.params.agreement), None
    except Exception as error:
        return None, _failure(settings, row, error)


def make_row(row: Row, name: str, prior: tuple[Entry, ...]) -> Outcome:
    """Second pass, in a worker: make the row's missing or changed files, or fail the row."""
    settings = _worker_settings()
    try:
        return _make(settings, row, name, prior)
    except Exception as error:
        return Outcome(row, "failed", name, error=_failure(settings, row, error))


def _make(settings: Settings, row: Row, name: str, prior: tuple[Entry, ...]) -> Outcome:
    prepared = prepare(_layers(settings, row), settings.options)
    made = Entry(
        row.number,
        prepared.params.fingerprint,
        templates_fingerprint(prepared.library.roots),
        settings.options.draft,
        files={},
        render_options=settings.options.render_label(prepared.params.fingerprint),
        findings=tuple(str(f) for f in prepared.findings),
    )
    targets = {fmt: settings.out_dir / f"{name}.{fmt}" for fmt in settings.formats}
    on_disk = {fmt: sha256_of(target) for fmt, target in targets.items()}
    # A file is kept if some manifest part recorded these very bytes for these very inputs.
    current = [e for e in prior if e.matches(made)]
    kept = {
        target.name: digest
        for fmt, target in targets.items()
        if (digest := on_disk[fmt])
        and not settings.force
        and any(e.files.get(target.name) == digest for e in current)
    }
    todo = tuple(fmt for fmt, target in targets.items() if target.name not in kept)
    if not todo:
        return Outcome(row, "skipped", name, replace(made, files=kept))
    document = build(prepared, settings.options)
    outputs = render(
        document,
        todo,
        prepared.library.roots,
        editing=settings.options.editing,
        pdf_options=pdf_options(prepared, document, settings.options),
    )
    ours = {file for entry in prior for file in entry.files}
    digests = {fmt: sha256_bytes(outputs[fmt]) for fmt in todo}
    # A file this batch did not record may be the user's: refuse (before
    # writing any file of the row) unless it already holds these very bytes,
    # as it does when a killed run wrote it just before its manifest save.
    foreign = [
        targets[fmt]
        for fmt in todo
        if on_disk[fmt] not in (None, digests[fmt]) and targets[fmt].name not in ours
    ]
    check_writable(foreign, force=settings.force)
    write_together({targets[fmt]: outputs[fmt] for fmt in todo if on_disk[fmt] != digests[fmt]})
    return Outcome(
        row, "done", name, replace(made, files={**kept, **{targets[f].name: digests[f] for f in todo}})
    )


def run_batch(table: Table, settings: Settings, *, jobs: int, shard: Shard | None, report: Report) -> Summary:
    """Make the shard's contracts; return what happened (also when interrupted)."""
    start = time.perf_counter()
    try:
        settings.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{settings.out_dir}: cannot create the output folder ({error.strerror})") from None
    manifest = Manifest(settings.out_dir, table.source.name, shard)
    rows = shard.select(table.rows) if shard else table.rows
    summary = Summary(total=len(rows))
    workers = max(1, min(jobs, len(table.rows)))
    with (
        _stop_on_sigterm(),
        worker_pool(workers, _start_worker, (settings,)) as pool,
    ):
        try:
            todo = _plan(pool, table, settings, rows, summary, report, workers)
            # This run's contracts, and its own manifest and failures file (a kill
            # while one of them was being saved leaves a part too).
            own = {manifest.path.name, failures_path(settings.out_dir, shard).name}
            _remove_stale_parts(
                settings.out_dir, {f"{n}.{fmt}" for _, n in todo for fmt in settings.formats} | own
            )
            _make_all(pool, todo, manifest, summary, report, workers)
        except KeyboardInterrupt:
            summary.stopped = INTERRUPTED
            pool.shutdown(wait=True, cancel_futures=True)
        except BrokenProcessPool:
            summary.stopped = "a worker process died (killed, or out of memory?)"
        finally:
            manifest.save()
            summary.failures = failures_path(settings.out_dir, shard)
            write_failures(summary.failures, table.headers, summary.failed_rows)
            if not summary.failed_rows:
                summary.failures = None
            summary.seconds = time.perf_counter() - start
    return summary


def _plan(
    pool: ProcessPoolExecutor,
    table: Table,
    settings: Settings,
    rows: list[Row],
    summary: Summary,
    report: Report,
    workers: int,
) -> list[tuple[Row, str]]:
    """Validate and name every row (names clash across shards too); fail the shard's bad rows."""
    chunk = max(1, min(PLAN_CHUNK, len(table.rows) // (4 * workers)))
    names: dict[int, str] = {}
    errors: dict[int, str] = {}
    for row, (name, error) in zip(table.rows, pool.map(plan_row, table.rows, chunksize=chunk), strict=True):
        if name is not None:
            names[row.number] = name
        else:
            errors[row.number] = error or "failed"
    clashing = clashes(names)
    todo = []
    for row in rows:
        if row.number in errors:
            outcome = Outcome(row, "failed", error=errors[row.number])
        elif row.number in clashing:
            others = ", ".join(str(n) for n in clashing[row.number])
            outcome = Outcome(
                row,
                "failed",
                names[row.number],
                error=f"{settings.source.label(row.number)}: the file name '{names[row.number]}' is also "
                f"that of {settings.source.unit} {others}; give each its own value, or --name a pattern "
                "that tells them apart, e.g. --name '{contract_no}-{customer.name}'",
            )
        else:
            todo.append((row, names[row.number]))
            continue
        summary.add(outcome)
        report(outcome, summary)
    return todo


def _make_all(
    pool: ProcessPoolExecutor,
    todo: list[tuple[Row, str]],
    manifest: Manifest,
    summary: Summary,
    report: Report,
    jobs: int,
) -> None:
    """Keep a few rows per worker in flight: enough to stay busy, few enough to keep memory flat."""
    pending = iter(todo)
    running: set[Future[Outcome]] = set()

    def fill() -> None:
        for row, name in pending:
            running.add(pool.submit(make_row, row, name, manifest.prior(name)))
            if len(running) >= 2 * jobs:
                return

    def finish(future: Future[Outcome]) -> None:
        outcome = future.result()
        if outcome.entry is not None and outcome.name is not None:
            manifest.record(outcome.name, outcome.entry)
        summary.add(outcome)
        report(outcome, summary)

    fill()
    try:
        while running:
            finished, running_now = wait(running, return_when=FIRST_COMPLETED)
            running.clear()
            running.update(running_now)
            for future in finished:
                finish(future)
            fill()
    except KeyboardInterrupt:
        # Let the contracts being made finish, and record them, before stopping.
        for future in running:
            future.cancel()
        for future in running:
            if not future.cancelled():
                finish(future)
        raise


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM (a Kubernetes pod or a Slurm job being stopped) stops the run like Ctrl-C does."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _remove_stale_parts(out_dir: Path, targets: set[str]) -> None:
    """Remove temporary files that a killed run left for this run's targets (never another shard's)."""
    if not out_dir.is_dir():
        return
    for entry in os.scandir(out_dir):
        if entry.name.startswith(".") and entry.name.endswith(".part"):
            target = entry.name[1:].removesuffix(".part").rsplit(".", 1)[0]
            if target in targets:
                Path(entry.path).unlink(missing_ok=True)
