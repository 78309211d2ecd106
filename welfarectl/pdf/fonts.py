"""The embedded fonts: registered with ReportLab once, and which characters they can print.

DejaVu Sans (regular and bold) ships in `welfarectl/fonts/`: it has every glyph of Italian and
of the names of most of Europe, and its licence allows embedding. PDFs embed the subsets used.

A network may add fallback fonts (font files it names in network.yaml) for the characters DejaVu
Sans lacks, such as Chinese characters: `open_font` checks that such a file is a font ReportLab
can embed and registers it under a name made from its bytes. A text is then set in runs: each
character in the first font of the chain (the layout's font, then the fallbacks) that has it.
Whoever measures or draws text goes through `runs` and `text_width`, so that fitting and drawing
agree; with no fallback a text is one run in its font, as before.
"""

from __future__ import annotations

import hashlib
import io
import struct
import unicodedata
from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONTS = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
FONT_NAME = "DejaVu Sans"
# Placement uses the height of accented capitals (É) above the baseline and of descenders below
# it, so that no glyph of an Italian name reaches outside its box; DejaVu Sans, in ems.
ASCENT, DESCENT = 0.93, 0.24
MM = 72 / 25.4  # points in a millimetre


@cache
def register_fonts() -> None:
    """Register the card fonts with ReportLab once per process (they are embedded as subsets)."""
    from reportlab.pdfbase import pdfmetrics

    registered = pdfmetrics.getRegisteredFontNames()
    for name in FONTS:
        if name not in registered:
            pdfmetrics.registerFont(_ttfont(name))


@cache
def _ttfont(name: str):
    from reportlab.pdfbase.ttfonts import TTFont

    return TTFont(name, str(FONT_DIR / FONTS[name]))


def unprintable(text: str, fonts: tuple[str, ...] = tuple(FONTS), fallbacks: tuple[str, ...] = ()) -> str | None:
    """The first character of `text` that one of `fonts` has no glyph for, nor any of the
    `fallbacks` (registered names), else None. Whitespace is not checked: runs of it print as
    one space."""
    for char in unicodedata.normalize("NFC", text):
        if char.isspace():
            continue
        if not all(_has_glyph((font, *fallbacks), char) for font in fonts):
            return char
    return None


def _has_glyph(chain: tuple[str, ...], char: str) -> bool:
    return any(ord(char) in _face(font).charToGlyph for font in chain)


Chain = str | tuple[str, ...]  # a font, or a font and its fallbacks, by registered name


def runs(text: str, chain: Chain) -> list[tuple[str, str]]:
    """`text` as (font, piece) runs: each character in the first font of the chain that has a glyph
    for it (one the chain lacks stays in the first font: validation keeps such text off a card).
    A space stays in the run it is in when that font has one, so a name in one script is one run."""
    if isinstance(chain, str) or len(chain) == 1:
        return [(chain if isinstance(chain, str) else chain[0], text)] if text else []
    found: list[tuple[str, str]] = []
    for char in text:
        if char == " " and found and ord(char) in _face(found[-1][0]).charToGlyph:
            font = found[-1][0]
        else:
            font = next((font for font in chain if ord(char) in _face(font).charToGlyph), chain[0])
        if found and found[-1][0] == font:
            found[-1] = (font, found[-1][1] + char)
        else:
            found.append((font, char))
    return found


def text_width(text: str, chain: Chain, size: float) -> float:
    """Width in points of `text` set in the chain at `size` pt."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    if isinstance(chain, str):
        return stringWidth(text, chain, size)
    if len(chain) == 1:
        return stringWidth(text, chain[0], size)
    return sum(stringWidth(piece, font, size) for font, piece in runs(text, chain))


def _face(name: str):
    """The parsed font registered as `name` (the card fonts, or a network's fallback)."""
    if name in FONTS:
        return _ttfont(name).face
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(name).face


# --- a network's own font files ----------------------------------------------------------------
# OS/2 fsType bits (OpenType specification): the low four say how a font may be embedded
RESTRICTED_LICENCE = 0x0002
NO_SUBSETTING = 0x0100
BITMAP_EMBEDDING_ONLY = 0x0200


def open_font(data: bytes) -> tuple[str | None, str, str | None]:
    """Register the font file `data` (TrueType, or a collection whose first font is used) with
    ReportLab for embedding, under a name made from its bytes, so that the same file is the same
    font in every run and two files never share a name. Returns (registered name, the font's
    family name as it calls itself, None), or (None, "", why it cannot be used): `not-a-font`,
    `postscript-outlines` (ReportLab embeds only TrueType outlines), `bitmap-only` (no outlines
    at all), `restricted` (its licence flags forbid embedding it in a document),
    `bitmap-embedding` (they allow embedding only bitmaps), `no-subsetting` (they forbid
    embedding a subset, and the PDFs embed subsets)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontParser

    name = "Fallback-" + hashlib.sha256(data).hexdigest()[:16]
    if name in pdfmetrics.getRegisteredFontNames():
        return name, _family(pdfmetrics.getFont(name).face), None
    try:
        tables = TTFontParser(io.BytesIO(data)).table
        if "glyf" not in tables or "loca" not in tables:
            return None, "", "bitmap-only"
        font = TTFont(name, io.BytesIO(data))
    except TTFError as exc:
        text = str(exc)
        if "postscript outlines" in text:
            return None, "", "postscript-outlines"
        if "does not allow subsetting" in text:
            return None, "", "no-subsetting"
        return None, "", "not-a-font"
    except (KeyError, IndexError, ValueError, struct.error):  # a table missing or cut short
        return None, "", "not-a-font"
    fault = _embedding_fault(font.face)
    if fault is not None:
        return None, "", fault
    if font.face.name in _face_names_taken():
        # ReportLab shares one font among all registered under the same PostScript name, so a
        # file named as a font already registered (another version of it) gets a name of its own
        font.face.name += b"-" + name[-8:].encode()
    pdfmetrics.registerFont(font)
    return name, _family(font.face), None


def _face_names_taken() -> set[bytes]:
    """The PostScript names of the TrueType fonts registered with ReportLab."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    fonts = (pdfmetrics.getFont(name) for name in pdfmetrics.getRegisteredFontNames())
    return {font.face.name for font in fonts if getattr(font, "_dynamicFont", False)}


def _embedding_fault(face) -> str | None:
    """What the font's licence flags (OS/2 fsType) forbid that printing cards needs, if anything."""
    if "OS/2" not in face.table:
        return None
    os2 = face.get_table("OS/2")
    if len(os2) < 10:
        return "not-a-font"
    fs_type = struct.unpack(">H", os2[8:10])[0]
    if fs_type & 0x000F == RESTRICTED_LICENCE:
        return "restricted"
    if fs_type & BITMAP_EMBEDDING_ONLY:
        return "bitmap-embedding"
    if fs_type & NO_SUBSETTING:
        return "no-subsetting"
    return None


def _family(face) -> str:
    """The font's name for people ('Noto Sans SC'), from its PostScript name when that is all it has."""
    name = face.familyName if isinstance(getattr(face, "familyName", None), bytes) else face.name
    return name.decode("latin-1", "replace") if isinstance(name, bytes) else str(name)


def printable_form(text: str) -> str:
    """Text as it is drawn: composed (NFC) so that accents sit on their letters, runs of
    whitespace (tabs, line breaks) as one space, nothing else changed."""
    return " ".join(unicodedata.normalize("NFC", text).split())
