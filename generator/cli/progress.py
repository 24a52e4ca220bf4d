"""What ``agreement batch`` shows while it runs: a bar on a terminal, plain lines in a log.

A terminal gets one redrawn line (count, rate, time left) with errors and
warnings printed above it; a pipe or a CI log gets one line per contract,
which is what ``grep`` and ``tail`` need; ``-q`` leaves only the errors.
Errors always go to stderr, so they survive ``> log.txt``.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ..batch.run import Outcome, Summary
from ..batch.table import Source

BAR_WIDTH = 28
#: Redraw the bar at most this often: skipped rows can finish by the thousand.
REDRAW_EVERY = 0.1


class Progress:
    """A ``Report`` callback for ``run_batch`` plus the final summary."""

    def __init__(
        self, source: Source, *, quiet: bool, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.source = source
        self.quiet = quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.bar = not quiet and self.err.isatty()
        self.start = time.monotonic()
        self.drawn = 0.0
        #: The count and total last drawn, to redraw the bar below a message.
        self.shown: tuple[int, int] | None = None

    def __call__(self, outcome: Outcome, summary: Summary) -> None:
        count = summary.done + summary.skipped + summary.failed
        if outcome.status == "failed":
            self._above(outcome.error or "failed")
        elif outcome.status == "done" and outcome.entry and not self.quiet:
            for finding in outcome.entry.findings:
                self._above(f"{self.source.label(outcome.row.number)} ({outcome.name}): {finding}")
        if self.bar:
            now = time.monotonic()
            if now - self.drawn >= REDRAW_EVERY or count == summary.total:
                self._draw(count, summary.total, now)
        elif not self.quiet and outcome.status != "failed":
            verb = "made" if outcome.status == "done" else "unchanged"
            label = self.source.label(outcome.row.number)
            self.out.write(f"[{count}/{summary.total}] {label}: {verb} {outcome.name}\n")
            self.out.flush()

    def _above(self, message: str) -> None:
        if self.bar:
            self.err.write("\r\x1b[2K")
        self.err.write(message + "\n")
        if self.bar and self.shown:
            self._draw(*self.shown, time.monotonic())
        self.err.flush()

    def _draw(self, count: int, total: int, now: float) -> None:
        elapsed = now - self.start
        rate = count / elapsed if elapsed > 0 else 0.0
        left = (total - count) / rate if rate > 0 else 0.0
        filled = BAR_WIDTH * count // total if total else BAR_WIDTH
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        self.err.write(f"\r\x1b[2K{bar} {count}/{total}  {rate:.1f}/s  {_clock(left)} left")
        self.err.flush()
        self.drawn = now
        self.shown = (count, total)

    def finish(self, summary: Summary) -> None:
        if self.bar and self.shown:
            self.err.write("\n")
        self.shown = None
        if summary.stopped:
            made = summary.done + summary.skipped + summary.failed
            self._above(
                f"{summary.stopped}: stopped after {made} of {summary.total} rows; "
                "run the same command again to continue"
            )
        if self.quiet:
            return
        self.out.write(
            f"done {summary.done}, skipped {summary.skipped} (unchanged), failed {summary.failed} "
            f"in {summary.seconds:.1f} s ({summary.rate:.1f} contracts/s)\n"
        )
        if summary.failures:
            self.out.write(f"failed rows with their errors: {summary.failures}\n")
        self.out.flush()


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
