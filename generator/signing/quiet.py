"""pyHanko logs what it finds (an untrusted chain, with a traceback) to the root logger's last resort.

Our commands report the same findings in their own words, so pyHanko's
loggers are silenced while they run: a user never sees a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


@contextmanager
def quiet_pyhanko() -> Iterator[None]:
    """Silence pyHanko's loggers for the duration (restoring their levels after)."""
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
