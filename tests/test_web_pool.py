"""The web's render pool survives a worker that dies: the request is made again on fresh workers."""

from __future__ import annotations

import asyncio
import os
import signal

from generator.params import file_layer
from generator.pipeline import Options
from generator.web.rendering import RenderPool

from .conftest import FORM_A, STANDARD


def test_a_dead_worker_is_replaced_and_the_request_made_again() -> None:
    bases = (file_layer(STANDARD, "base"),)
    layers = [*bases, file_layer(FORM_A, "contract")]
    pool = RenderPool(workers=1, queue=4, bases=bases, options=Options())

    async def scenario() -> tuple[bytes, bytes]:
        before = await pool.render(layers, Options(), "docx")
        broken = pool._pool
        assert broken is not None
        (worker,) = broken._processes.values()  # type: ignore[attr-defined]
        os.kill(worker.pid, signal.SIGKILL)
        after = await pool.render(layers, Options(), "docx")
        assert pool._pool is not broken  # a fresh pool took the request
        return before, after

    try:
        before, after = asyncio.run(scenario())
    finally:
        pool.close()
    assert after == before  # the same contract, made whole by the new worker
