"""Card text: the embedded fonts, which characters they can print, and fitting a text or a list
into its box (shrink down to a minimum size, then break onto more lines, never overflow)."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cardlayout import ListElement

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONTS = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
FONT_NAME = "DejaVu Sans"
# Placement uses the height of accented capitals (É) above the baseline and of descenders below
# it, so that no glyph of an Italian name reaches outside its box; DejaVu Sans, in ems.
ASCENT, DESCENT = 0.93, 0.24
MM = 72 / 25.4  # points in a millimetre
HYPHEN_BREAK_COST = 1.25


# --- fonts -------------------------------------------------------------------------------------
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


# --- fitting text ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fitted:
    """Text fitted into a box: the font size chosen (pt) and the lines, top to bottom."""

    size: float
    lines: tuple[str, ...]


def fit_text(text: str, font: str, size: float, min_size: float | None, width: float, height: float,
             max_lines: int = 1, leading: float = 1.15) -> Fitted:
    """Fit `text` into width × height mm. Rules, in order: the nominal size on as few lines as
    fit; else the fewest lines (up to max_lines) at which shrinking keeps the size at or above
    min_size; else the largest size at which the text fits on max_lines lines, however small.
    Lines break at spaces and after hyphens, balanced so the longest line is as short as it can
    be. The text never overflows the box, and no part of it is left out."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    text = printable_form(text)
    if stringWidth(text, font, size) <= width * MM and size * block_height(1, leading) <= height * MM:
        return Fitted(size, (text,))  # the usual case, decided with one measurement
    min_size = size if min_size is None else min(min_size, size)
    tokens = _tokens(text)
    best: Fitted | None = None
    for n in range(1, max_lines + 1):
        for hyphen_cost in (HYPHEN_BREAK_COST, 1.0):  # break between words if that fits, else anywhere
            lines, widest = _balanced(tokens, n, font, hyphen_cost)
            fits = min(size, (width * MM) / widest if widest else size,
                       (height * MM) / block_height(len(lines), leading))
            fits = math.floor(fits * 20 + 1e-9) / 20  # 0.05 pt steps, the same on every machine
            if fits >= min_size:
                return Fitted(fits, lines)
            if best is None or fits > best.size:
                best = Fitted(fits, lines)
        if len(lines) < n:
            break  # no more places to break
    return best  # type: ignore[return-value]


def block_height(lines: int, leading: float) -> float:
    """Height of `lines` lines of 1 pt text, from the top of accented capitals to the descenders."""
    return ASCENT + DESCENT + (lines - 1) * leading


@dataclass(frozen=True)
class FittedList:
    size: float
    columns: tuple[tuple[str, ...], ...]


def fit_list(items: list[str], element: ListElement) -> FittedList:
    """Items, each on one line with its bullet, filled column by column; one size for all, the
    nominal one unless the longest item or the rows need less (never overflowing)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    prefix = f"{element.bullet} " if element.bullet else ""
    shown = [prefix + printable_form(item) for item in items]
    rows = max(1, -(-len(shown) // element.columns))
    columns = tuple(tuple(shown[i * rows:(i + 1) * rows]) for i in range(element.columns))
    column_width = (element.width - (element.columns - 1) * element.gap) / element.columns
    widest = max((stringWidth(item, element.font, 1) for item in shown), default=0)
    fits = min(element.size, (column_width * MM) / widest if widest else element.size,
               (element.height * MM) / block_height(rows, element.leading))
    return FittedList(math.floor(fits * 20 + 1e-9) / 20, columns)


def _tokens(text: str) -> list[tuple[str, str]]:
    """Words with what joins each to the next: a space, or nothing after a hyphen."""
    tokens: list[tuple[str, str]] = []
    for word in text.split(" "):
        parts = word.split("-")
        pieces = [p + "-" for p in parts[:-1]] + [parts[-1]]
        merged: list[str] = []
        for piece in pieces:  # a hyphen at either end of a word is not a place to break
            if merged and (piece in ("-", "") or merged[-1] == "-"):
                merged[-1] += piece
            else:
                merged.append(piece)
        tokens += [(p, "") for p in merged[:-1]] + [(merged[-1], " ")]
    if tokens:
        tokens[-1] = (tokens[-1][0], "")
    return tokens


def _balanced(tokens: list[tuple[str, str]], n: int, font: str, hyphen_cost: float) -> tuple[tuple[str, ...], float]:
    """Split tokens into at most n lines so that the widest line (at 1 pt) is as narrow as it can
    be, a line broken after a hyphen counting `hyphen_cost` times its width; returns the lines
    and the real width of the widest."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    k = len(tokens)
    if k == 0:
        return ("",), 0.0

    @cache
    def line(a: int, b: int) -> str:
        return "".join(word + joiner for word, joiner in tokens[a:b - 1]) + tokens[b - 1][0]

    @cache
    def width(a: int, b: int) -> float:
        return stringWidth(line(a, b), font, 1)

    def cost(a: int, b: int) -> float:
        """A break inside a hyphenated word counts as a wider line: spaces are better places."""
        return width(a, b) * (hyphen_cost if b < k and tokens[b - 1][1] == "" else 1)

    if n == 1 or k == 1:
        return (line(0, k),), width(0, k)
    # best[j][i]: (cost of the widest line, first break) for tokens i.. set in at most j lines
    best: list[dict[int, tuple[float, int]]] = [{} for _ in range(n + 1)]
    for i in range(k):
        best[1][i] = (width(i, k), k)
    for j in range(2, n + 1):
        for i in range(k):
            choice = best[j - 1][i]
            for cut in range(i + 1, k):
                widest = max(cost(i, cut), best[j - 1][cut][0])
                if widest < choice[0] - 1e-9:
                    choice = (widest, cut)
            best[j][i] = choice
    lines, widths, i, j = [], [], 0, n
    while i < k:
        _, cut = best[j][i]
        lines.append(line(i, cut))
        widths.append(width(i, cut))
        i, j = cut, j - 1
    return tuple(lines), max(widths)
