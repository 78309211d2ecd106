"""PDF streams compressed at a chosen zlib level.

ReportLab compresses a document's streams (pages, forms, font subsets) with zlib's default
level, 6. Card sheets are mostly the QR codes' rectangles, a text of few distinct words, on
which level 6 searches long for matches it barely improves: measured on a 5,000-card A4
batch, level 6 took 0.26 ms of CPU a card for 853 bytes a card of page streams, level 5
0.11 ms for 895 bytes, level 1 0.03 ms for 1,233 bytes. `compress_streams` lets a canvas
use the level its documents need; the streams stay FlateDecode, as any reader expects.
"""

from __future__ import annotations

import zlib


class Flate:
    """A ReportLab stream filter: FlateDecode at `level` (ReportLab's own always uses the default)."""

    pdfname = "FlateDecode"

    def __init__(self, level: int) -> None:
        self.level = level

    def encode(self, content: str | bytes) -> bytes:
        # ReportLab's filter encodes a text stream as UTF-8 before compressing it; so does this one
        return zlib.compress(content.encode("utf-8") if isinstance(content, str) else content, self.level)

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


def compress_streams(canvas, level: int) -> None:
    """Have `canvas`, made with pageCompression=0, compress every stream it writes at `level`.
    A stream ReportLab writes without a filter of its own (with page compression off: pages,
    forms, font subsets and their character maps) takes its document's default filters.
    ReportLab has no public way to set them: its canvas's document (`_doc`) is reached here
    alone, and tests/test_cardprint.py checks that the card PDFs' streams are compressed."""
    canvas._doc.defaultStreamFilters = [Flate(level)]
