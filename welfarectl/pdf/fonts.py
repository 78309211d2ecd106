"""The embedded fonts: registered with ReportLab once, and which characters they can print.

DejaVu Sans (regular and bold) ships in `welfarectl/fonts/`: it has every glyph of Italian and
of the names of most of Europe, and its licence allows embedding. PDFs embed the subsets used.
"""

from __future__ import annotations

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


def unprintable(text: str, fonts: tuple[str, ...] = tuple(FONTS)) -> str | None:
    """The first character of `text` that one of the card fonts has no glyph for, else None.
    Whitespace is not checked: runs of it print as one space."""
    for char in unicodedata.normalize("NFC", text):
        if char.isspace():
            continue
        for font in fonts:
            if ord(char) not in _ttfont(font).face.charToGlyph:
                return char
    return None


def printable_form(text: str) -> str:
    """Text as it is drawn: composed (NFC) so that accents sit on their letters, runs of
    whitespace (tabs, line breaks) as one space, nothing else changed."""
    return " ".join(unicodedata.normalize("NFC", text).split())
