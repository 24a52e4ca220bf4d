"""The project's one error family.

Every failure a user can cause (a bad parameter, a broken clause file, an
output folder that cannot be written) is an ``AgreementError``.  The CLI is
the only place that turns one into a message and an exit code, so library
callers (batch workers, tests, other programs) get a typed exception they
can catch, and users never see a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: Longest excerpt of a user value quoted in a message: huge inputs must
#: still give a short, readable error.
MAX_QUOTED = 60
#: Most problems one ``ParameterError`` lists; a file with thousands of
#: mistakes still gives a message that fits on a screen.
MAX_PROBLEMS = 10


def quote_value(value: object) -> str:
    """Return ``value`` as a short, printable excerpt for an error message."""
    if isinstance(value, str):
        text, length = value[: MAX_QUOTED + 1], len(value)
    else:
        try:
            # Numbers and dates as a user writes them; anything else as Python shows it.
            text = str(value) if isinstance(value, (int, float, Decimal, date)) else repr(value)
        except ValueError:  # an integer of thousands of digits
            text = f"{type(value).__name__}"
        length = len(text)
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text[:MAX_QUOTED])
    if length > MAX_QUOTED:
        text = f"{text}… ({length} characters)"
    return f"'{text}'"


def short_path(path: object) -> str:
    """A path for a message: as given, unless it is too long to be one (the system refused it)."""
    text = str(path)
    if len(text) <= 4 * MAX_QUOTED:
        return text
    # Both ends: where it starts, and the name at its end.
    return f"'{text[:MAX_QUOTED]}…{text[-MAX_QUOTED // 2 :]}' ({len(text)} characters)"


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file and line, a batch row, or the command line."""

    source: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


class AgreementError(Exception):
    """Base of every error a user can cause; ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, *, where: Location | str | None = None) -> None:
        self.message = message
        self.where = str(where) if where else None
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class UsageError(AgreementError):
    """The command line itself is malformed (a ``--set`` without ``=``, say)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """What one problem of a ``ParameterError`` concerns: a dotted key and a code (pydantic's type)."""

    key: str
    code: str


class ParameterError(AgreementError):
    """A parameter file or value is malformed, of the wrong type or out of range.

    ``problems`` keeps each individual complaint (up to ``MAX_PROBLEMS``;
    ``more`` counts those left out), so that one run reports the mistakes of
    a file together instead of one per attempt.
    """

    def __init__(self, problems: list[str], *, more: int = 0, keys: list[Problem] | None = None) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        #: Per problem, the dotted key and the kind of mistake, where known
        #: (a web page shows each problem beside its field).
        self.keys = (keys or [])[:MAX_PROBLEMS]
        more += len(problems) - len(self.problems)
        super().__init__("\n".join(self.problems) + (f"\n… and {more} more problems" if more else ""))


class ConsistencyError(AgreementError):
    """The parameters are each valid but contradict one another."""


class ClauseError(AgreementError):
    """A clause snippet, its front matter or the template manifest is broken."""


class OutputError(AgreementError):
    """An output file cannot be written, or would overwrite one without ``--force``."""


class RenderError(AgreementError):
    """A writer met something it cannot render, or a tool it needs is missing."""
