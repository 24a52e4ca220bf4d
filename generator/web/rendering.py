"""PDF and DOCX in a pool of warm worker processes; the event loop only waits.

Workers start with ``forkserver`` (WeasyPrint in forked children of a
threaded server can crash) and warm up once each: they render a contract
over the server's bases, which loads WeasyPrint, the fonts, the stylesheet
and the clause library into the process's caches.  A request is the layers
the server already validated; the worker runs the same pipeline as
``agreement generate`` on them, so the bytes are the CLI's.  When as many
requests wait as the queue holds, the next one is refused at once (the web
answers 503 with Retry-After) rather than left to hang.  A redline (the
deviation panel's DOCX and PDF) is made the same way, by the function
``agreement diff --format docx|pdf`` calls.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import AgreementError, RenderError
from ..params import Layer
from ..pipeline import Options, build, pdf_options, prepare, render
from ..workers import worker_pool
from ..writers.editing import Editing

#: A contract complete enough to render, under the server's bases, for the warm-up.
_WARM_UP = Layer(
    "contract",
    "warm-up",
    {
        "contract_no": "WARM-UP",
        "enterprise": {"name": "预热", "by_hand": ["address", "representative", "phone"]},
        "customer": {"name": "预热", "by_hand": ["address", "representative", "phone"]},
        "complaint_channels": [{"kind": "phone", "value": "0"}],
    },
)


class QueueFull(Exception):
    """Every worker is busy and the queue is full: try again shortly."""


class WorkerLost(Exception):
    """A render worker died twice in a row on this request: try again shortly."""


def _outcome(make: Callable[[], bytes]) -> tuple[bool, bytes | str]:
    """In a worker: the bytes, or the error's message (exceptions of ours do not survive pickling whole)."""
    try:
        return True, make()
    except AgreementError as error:
        return False, str(error)


def render_one(layers: list[Layer], options: Options, fmt: str) -> tuple[bool, bytes | str]:
    """In a worker: the contract in one format, as ``agreement generate`` makes it (with the
    options' editing of the DOCX and extras of the PDF)."""

    def make() -> bytes:
        prepared = prepare(layers, options)
        document = build(prepared, options)
        extras = pdf_options(prepared, document, options)
        return render(document, (fmt,), prepared.library.roots, editing=options.editing, pdf_options=extras)[
            fmt
        ]

    return _outcome(make)


def redline_one(
    standard: list[Layer], layers: list[Layer], options: Options, fmt: str, origin: str
) -> tuple[bool, bytes | str]:
    """In a worker: the redline of the contract against the standard, as ``agreement diff
    --format docx|pdf`` makes it (with its default author)."""
    from ..diff import redline_file

    def make() -> bytes:
        prepared = prepare(layers, options)
        return redline_file(standard, prepared, options, fmt, author=Editing().author, origin=origin)

    return _outcome(make)


#: Render workers yield the CPU to the server process: a preview someone waits
#: for as they type comes before a PDF that takes a few hundred milliseconds anyway.
NICENESS = 10


def _warm(bases: tuple[Layer, ...], options: Options) -> None:
    os.nice(NICENESS)
    for fmt in ("pdf", "docx"):
        render_one([_WARM_UP, *bases], options, fmt)


def _ready() -> None:
    """A task that only makes the pool start a worker (which warms up as it starts)."""


class RenderPool:
    """The worker processes and how many requests they may hold."""

    def __init__(self, workers: int, queue: int, bases: tuple[Layer, ...], options: Options) -> None:
        self.workers = workers
        #: Requests in the pool at most, running and waiting.
        self.limit = max(queue, workers)
        self._bases = bases
        self._options = options
        self._pool: ProcessPoolExecutor | None = None
        self._in_flight = 0

    def start(self) -> None:
        """Start the workers (each warms up in the background; requests meanwhile wait for them)."""
        self._pool = worker_pool(self.workers, _warm, (self._bases, self._options), start_method="forkserver")
        for _ in range(self.workers):
            self._pool.submit(_ready)

    async def render(self, layers: list[Layer], options: Options, fmt: str) -> bytes:
        """The contract in ``fmt``, made by a worker; ``QueueFull`` when the queue is full."""
        return await self._run(render_one, layers, options, fmt)

    async def redline(
        self, standard: list[Layer], layers: list[Layer], options: Options, fmt: str, origin: str
    ) -> bytes:
        """The redline (docx or pdf) of the contract against ``standard``, made by a worker."""
        return await self._run(redline_one, standard, layers, options, fmt, origin)

    async def _run(self, job: Callable[..., tuple[bool, bytes | str]], *args: Any) -> bytes:
        if self._in_flight >= self.limit:
            raise QueueFull
        self._in_flight += 1
        try:
            for _attempt in range(2):
                pool = self._running()
                try:
                    ok, result = await asyncio.wrap_future(pool.submit(job, *args))
                    break
                except BrokenProcessPool:
                    # A worker died (killed, out of memory, a crash in a C library) and took
                    # the pool with it: start afresh, and make the request once more there.
                    self._discard(pool)
            else:
                raise WorkerLost
        finally:
            self._in_flight -= 1
        if not ok:
            raise RenderError(str(result))
        assert isinstance(result, bytes)
        return result

    def _running(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self.start()
        assert self._pool is not None
        return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Forget a broken pool; never the fresh one a concurrent request may have started since."""
        if self._pool is pool:
            self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self, *, wait: bool = True) -> None:
        """Stop the workers; ``wait`` until they have exited (else a worker outlives the server)."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
