"""Font files for the tests, made from the DejaVu Sans that welfarectl ships: no system font needed.

`font_file` rebuilds DejaVu Sans's TrueType tables with changes: a character map of its own (so
that 王 can be drawn with the glyph of W: a "Chinese" font of a few characters, with no Latin), a
name of its own, licence flags (OS/2 fsType), or without its outlines. The glyphs stay DejaVu's,
real TrueType outlines that ReportLab embeds and pdfium draws.
"""

from __future__ import annotations

import struct
from pathlib import Path

from welfarectl.pdf.fonts import FONT_DIR

DEJAVU = FONT_DIR / "DejaVuSans.ttf"


def _tables(data: bytes) -> dict[bytes, bytes]:
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag] = data[offset:offset + length]
    return tables


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    """A TrueType file of `tables` (checksums left at zero: nothing here validates them)."""
    tags = sorted(tables)
    head = struct.pack(">IHHHH", 0x00010000, len(tags), 0, 0, 0)
    offset = 12 + 16 * len(tags)
    directory, body = b"", b""
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sIII", tag, 0, offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    return head + directory + body


def _cmap(glyphs: dict[int, int]) -> bytes:
    """A format 4 Unicode character map (Windows, BMP): one segment per character."""
    codes = sorted(glyphs) + [0xFFFF]
    segments = len(codes)
    ends = struct.pack(f">{segments}H", *codes)
    starts = struct.pack(f">{segments}H", *codes)
    deltas = struct.pack(f">{segments}H", *[(glyphs.get(code, 1) - code) % 0x10000 for code in codes])
    ranges = struct.pack(f">{segments}H", *([0] * segments))
    search = 2 ** (segments.bit_length() - 1)
    body = struct.pack(">HHHH", segments * 2, search * 2, search.bit_length() - 1, segments * 2 - search * 2)
    body += ends + b"\0\0" + starts + deltas + ranges
    subtable = struct.pack(">HHH", 4, 6 + len(body), 0) + body
    return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + subtable


def _names(family: str) -> bytes:
    """A name table with the family, style, full and PostScript names (Windows, UTF-16BE)."""
    ps_name = family.replace(" ", "") + "-Regular"
    records = [(1, family), (2, "Regular"), (4, f"{family} Regular"), (6, ps_name)]
    strings, entries = b"", b""
    for name_id, text in records:
        encoded = text.encode("utf-16-be")
        entries += struct.pack(">HHHHHH", 3, 1, 0x409, name_id, len(encoded), len(strings))
        strings += encoded
    return struct.pack(">HHH", 0, len(records), 6 + 12 * len(records)) + entries + strings


def font_file(chars: dict[str, str] | None = None, *, family: str | None = None, fs_type: int | None = None,
              outlines: bool = True, source: Path = DEJAVU) -> bytes:
    """DejaVu Sans rebuilt: with `chars`, mapping only those characters, each to the glyph of
    another (`{"王": "W"}`); with `family`, under that name; with `fs_type`, those licence flags;
    without `outlines`, without its glyf and loca tables (as a bitmap-only font is)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    data = source.read_bytes()
    tables = _tables(data)
    if chars is not None:
        to_glyph = TTFontFile(str(source)).charToGlyph
        tables[b"cmap"] = _cmap({ord(new): to_glyph[ord(old)] for new, old in chars.items()})
    if family is not None:
        tables[b"name"] = _names(family)
    if fs_type is not None:
        os2 = tables[b"OS/2"]
        tables[b"OS/2"] = os2[:8] + struct.pack(">H", fs_type) + os2[10:]
    if not outlines:
        del tables[b"glyf"], tables[b"loca"]
    return _sfnt(tables)


# A "Chinese" test font: 王 and 芳 drawn with DejaVu's W and F, and nothing else.
HAN = {"王": "W", "芳": "F"}
