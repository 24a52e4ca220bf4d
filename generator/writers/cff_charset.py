"""The CIDs of a CFF font program's glyphs, read straight from its bytes.

``compact_fonts`` must know, for every glyph a PDF shows, that the glyph's
CID equals its glyph id in the original font and is kept in the subset.
fontTools could tell, but it spends ~80 ms expanding the charset of a
65,535-glyph font into glyph names; the few CFF structures involved
(header, two INDEXes, the top DICT, the charset: Adobe Technical Note
#5176) are read here in well under a millisecond, as runs of glyphs.
"""

from __future__ import annotations

from typing import NamedTuple

_ROS = 1230  # an escaped operator is numbered 1200 + its second byte
_CHARSET = 15
_CHARSTRINGS = 17


class Run(NamedTuple):
    """``length`` glyphs from ``glyph`` on, with consecutive CIDs from ``cid`` on."""

    glyph: int
    cid: int
    length: int


def cid_runs(program: bytes | memoryview) -> list[Run] | None:
    """The charset of a CID-keyed program as runs (glyph 0, .notdef, is CID 0); None otherwise.

    None also for a program this reader cannot make sense of: the caller
    then leaves the font alone.
    """
    data = memoryview(program)
    try:
        name_index_end = _index(data, data[2])[1]
        top_start, top_end = _index(data, name_index_end)[0][0]
        top = _dict(data[top_start:top_end])
        if _ROS not in top or top.get(_CHARSET, [0])[0] <= 2:  # 0–2: the predefined, name-keyed charsets
            return None
        return _charset(data, top[_CHARSET][0], _card16(data, top[_CHARSTRINGS][0]))
    except (IndexError, KeyError, ValueError):
        return None


def _card16(data: memoryview, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "big")


def _index(data: memoryview, at: int) -> tuple[list[tuple[int, int]], int]:
    """An INDEX's items as (start, end) offsets into ``data``, and where the INDEX ends."""
    count = _card16(data, at)
    if count == 0:
        return [], at + 2
    size = data[at + 2]
    offsets = [
        int.from_bytes(data[at + 3 + i * size : at + 3 + (i + 1) * size], "big") for i in range(count + 1)
    ]
    base = at + 2 + (count + 1) * size  # offsets count from 1, from the byte before the data
    return [(base + offsets[i], base + offsets[i + 1]) for i in range(count)], base + offsets[-1]


def _dict(data: memoryview) -> dict[int, list[int]]:
    """A DICT's operators and their integer operands (a real number reads as 0: none is needed here)."""
    result: dict[int, list[int]] = {}
    operands: list[int] = []
    at = 0
    while at < len(data):
        b0 = data[at]
        if b0 <= 21:
            operator, at = (1200 + data[at + 1], at + 2) if b0 == 12 else (b0, at + 1)
            result[operator], operands = operands, []
        elif b0 == 28:
            operands.append(int.from_bytes(data[at + 1 : at + 3], "big", signed=True))
            at += 3
        elif b0 == 29:
            operands.append(int.from_bytes(data[at + 1 : at + 5], "big", signed=True))
            at += 5
        elif b0 == 30:  # a real number: nibbles up to the end nibble 0xF
            at += 1
            while data[at] >> 4 != 0xF and data[at] & 0xF != 0xF:
                at += 1
            operands.append(0)
            at += 1
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            at += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + data[at + 1] + 108)
            at += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - data[at + 1] - 108)
            at += 2
        else:
            raise ValueError(f"reserved DICT byte {b0}")
    return result


def _charset(data: memoryview, at: int, glyph_count: int) -> list[Run]:
    """Format 0 (a CID per glyph), 1 and 2 (ranges with an 8- or 16-bit count)."""
    kind = data[at]
    if kind not in (0, 1, 2):
        raise ValueError(f"unknown charset format {kind}")
    at += 1
    runs = [Run(0, 0, 1)]
    glyph = 1
    while glyph < glyph_count:
        first = _card16(data, at)
        if kind == 0:
            count, at = 1, at + 2
        elif kind == 1:
            count, at = data[at + 2] + 1, at + 3
        else:
            count, at = _card16(data, at + 2) + 1, at + 4
        count = min(count, glyph_count - glyph)
        runs.append(Run(glyph, first, count))
        glyph += count
    return runs
