"""WeasyPrint in a second process, started first, so one contract need not wait for its import.

Importing WeasyPrint takes about half a second: as long as everything else
``agreement generate`` does for a contract before the PDF.  On a machine
with two or more cores, ``generate`` therefore forks this process first
thing: it imports WeasyPrint while the command reads, checks and builds the
contract, then lays out and writes the HTML it is sent while the command
makes the DOCX.  A batch needs none of this: each of its workers imports
WeasyPrint once for many contracts.

Requests and replies are pickled, length-prefixed, over two pipes.  The
process ignores Ctrl-C (the command handles it), warns on its stderr when
HarfBuzz's subsetter is missing, and ends when its request pipe closes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RenderError

if TYPE_CHECKING:
    from .pdf import PdfOptions

_LENGTH = struct.Struct("!Q")
#: Room for a whole contract's HTML, so that sending it never waits for the import.
_PIPE_SIZE = 1 << 20


class PdfProcess:
    """The forked process and the two pipes to it."""

    def __init__(self, pid: int, requests: int, replies: int) -> None:
        self._pid = pid
        self._requests = requests
        self._replies = replies

    @classmethod
    def start(cls) -> PdfProcess | None:
        """Fork the process; ``None`` where it would not help (one core) or forking is unsafe."""
        if sys.platform != "linux" or (os.cpu_count() or 1) < 2:
            return None
        return cls.fork()

    @classmethod
    def fork(cls) -> PdfProcess:
        """Fork the process unconditionally (``start`` decides whether it is worth it)."""
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        _widen(request_write)
        pid = os.fork()
        if pid == 0:
            os.close(request_write)
            os.close(reply_read)
            status = 1
            try:
                _serve(request_read, reply_write)
                status = 0
            finally:
                os._exit(status)
        os.close(request_read)
        os.close(reply_write)
        return cls(pid, request_write, reply_read)

    def submit(
        self, html: str, roots: tuple[Path, ...], identifier: bytes, options: PdfOptions | None = None
    ) -> Callable[[], bytes]:
        """Send the HTML writer's output; the function returned waits for the PDF's bytes.

        ``options``: signature fields, PDF/A (``pdf.PdfOptions``); a plain PDF without.
        """
        _send(self._requests, (html, roots, identifier, options))

        def result() -> bytes:
            reply = _receive(self._replies)
            if reply is None:
                raise RenderError("the PDF process ended unexpectedly")
            kind, value = reply
            if kind == "error":
                raise RenderError(value)
            data: bytes = value
            return data

        return result

    def close(self) -> None:
        """Stop the process (its work is done or no longer wanted) and reap it."""
        for fd in (self._requests, self._replies):
            os.close(fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)


def _serve(requests: int, replies: int) -> None:
    """The forked process: import WeasyPrint at once, then answer requests until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from . import pdf

    if pdf.subsetter_missing():
        os.write(2, f"{pdf.SLOW_WARNING}\n".encode())
    while (request := _receive(requests)) is not None:
        html, roots, identifier, options = request
        reply: tuple[str, bytes | str]
        try:
            reply = ("pdf", pdf.write_as(pdf.layout(html, roots), identifier, options or pdf.PLAIN))
        except RenderError as error:
            reply = ("error", str(error))
        except Exception as error:
            reply = ("error", f"the PDF engine failed: {type(error).__name__}: {error}")
        _send(replies, reply)


def _widen(fd: int) -> None:
    import fcntl

    with contextlib.suppress(OSError):  # a smaller pipe only means the sender may wait
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)


def _send(fd: int, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> Any:
    header = _read(fd, _LENGTH.size)
    if header is None:
        return None
    body = _read(fd, _LENGTH.unpack(header)[0])
    return None if body is None else pickle.loads(body)


def _read(fd: int, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, _PIPE_SIZE))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
