"""``--shard K/N``: one of N jobs that together make the whole batch.

Shard K takes the table's K-th, (K+N)-th, (K+2N)-th … contract row, so N
jobs started with the same command and K = 1 … N cover every row exactly
once, with no coordination beyond the shared output folder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..errors import UsageError

T = TypeVar("T")


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def suffix(self) -> str:
        """Names this shard's manifest part and failures file: ``2-of-4``."""
        return f"{self.index}-of-{self.count}"

    def select(self, items: Sequence[T]) -> list[T]:
        return list(items[self.index - 1 :: self.count])


def parse_shard(text: str) -> Shard:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match:
        index, count = int(match.group(1)), int(match.group(2))
        if 1 <= index <= count:
            return Shard(index, count)
    raise UsageError(f"--shard {text!r}: expected K/N with 1 ≤ K ≤ N, e.g. --shard 1/4")
