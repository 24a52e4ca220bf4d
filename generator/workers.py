"""Pools of warm worker processes, shared by ``agreement batch`` and the web server.

Each worker is set up once (its caches then keep the clause library, Jinja
environment, fonts and stylesheet for every later contract) and leaves
Ctrl-C to the parent, which decides whether running work may finish.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def worker_pool(
    workers: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    *,
    start_method: str | None = None,
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, each running ``initializer(*initargs)`` once as it starts.

    ``start_method`` "forkserver" or "spawn" is for a parent that is
    multi-threaded or has WeasyPrint loaded (a server): forked children of
    such a process can crash (WeasyPrint #167, #684).
    """
    context = multiprocessing.get_context(start_method) if start_method else None
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start, initargs=(initializer, initargs)
    )


def _start(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    # A worker that crashes in a C library (fonts, layout, images) says where on stderr: the
    # process's own (file descriptor 2), since sys.stderr may be a stream without one (a test's
    # CliRunner captures it), where enable() would fail and with it every worker.
    if sys.__stderr__ is not None:
        faulthandler.enable(sys.__stderr__)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    initializer(*initargs)
