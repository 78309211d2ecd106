"""A file of lines read in large blocks, each ending after a newline: the registry's readers match
the lines their writers lay out a block at a time (one compiled pattern's `finditer`), instead of
a Python step a line, and hand any other line to the line-at-a-time rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

BLOCK = 1 << 20  # 1 MB: four thousand registry lines a block, and little memory


def line_blocks(handle: BinaryIO, size: int = BLOCK) -> Iterator[tuple[bytes, bool]]:
    """The file's bytes from where it stands, in blocks cut after a newline, each with whether it
    is the last. Only the last may end without a newline (a file whose last line was cut); a file
    with no bytes gives no block."""
    carry, ready = b"", None
    while chunk := handle.read(size):
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n") + 1
        if not cut:  # a line longer than a block: read on
            carry = data
            continue
        if ready is not None:
            yield ready, False
        ready, carry = data[:cut], data[cut:]
    if carry:
        if ready is not None:
            yield ready, False
        ready = carry
    if ready is not None:
        yield ready, True


def whole_lines(segment: bytes) -> list[bytes]:
    """The lines of a run of a block's bytes, without their newlines (the last may have none)."""
    if not segment:
        return []
    lines = segment.split(b"\n")
    if segment.endswith(b"\n"):
        lines.pop()
    return lines
