"""Fitting text into a box: shrink down to a minimum size, then break onto more lines, never
overflow. Sizes in points, boxes in millimetres; nothing here knows what the text is for. A font
is a registered name or a chain of them (a font and its fallbacks: `fonts.runs`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache

from .fonts import ASCENT, DESCENT, MM, Chain, printable_form, text_width

HYPHEN_BREAK_COST = 1.25


@dataclass(frozen=True)
class Fitted:
    """Text fitted into a box: the font size chosen (pt) and the lines, top to bottom."""

    size: float
    lines: tuple[str, ...]


@lru_cache(maxsize=8192)  # layouts are checked on every load and names recur: the same fit, once a process
def fit_text(text: str, font: Chain, size: float, min_size: float | None, width: float, height: float,
             max_lines: int = 1, leading: float = 1.15) -> Fitted:
    """Fit `text` into width × height mm. Rules, in order: the nominal size on as few lines as
    fit; else the fewest lines (up to max_lines) at which shrinking keeps the size at or above
    min_size; else the largest size at which the text fits on max_lines lines, however small.
    Lines break at spaces and after hyphens, balanced so the longest line is as short as it can
    be. The text never overflows the box, and no part of it is left out."""
    text = printable_form(text)
    if text_width(text, font, size) <= width * MM and size * block_height(1, leading) <= height * MM:
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


def fit_list(items: list[str], font: Chain, size: float, width: float, height: float, *, columns: int = 1,
             gap: float = 0, leading: float = 1.3, bullet: str = "") -> FittedList:
    """Items, each on one line after its bullet, filled column by column into width × height mm
    (`gap` mm between columns); one size for all, the nominal one unless the longest item or the
    rows need less (never overflowing)."""
    prefix = f"{bullet} " if bullet else ""
    shown = [prefix + printable_form(item) for item in items]
    rows = max(1, -(-len(shown) // columns))
    filled = tuple(tuple(shown[i * rows:(i + 1) * rows]) for i in range(columns))
    column_width = (width - (columns - 1) * gap) / columns
    widest = max((text_width(item, font, 1) for item in shown), default=0)
    fits = min(size, (column_width * MM) / widest if widest else size, (height * MM) / block_height(rows, leading))
    return FittedList(math.floor(fits * 20 + 1e-9) / 20, filled)


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


def _balanced(tokens: list[tuple[str, str]], n: int, font: Chain, hyphen_cost: float) -> tuple[tuple[str, ...], float]:
    """Split tokens into at most n lines so that the widest line (at 1 pt) is as narrow as it can
    be, a line broken after a hyphen counting `hyphen_cost` times its width; returns the lines
    and the real width of the widest."""
    k = len(tokens)
    if k == 0:
        return ("",), 0.0

    @cache
    def line(a: int, b: int) -> str:
        return "".join(word + joiner for word, joiner in tokens[a:b - 1]) + tokens[b - 1][0]

    @cache
    def width(a: int, b: int) -> float:
        return text_width(line(a, b), font, 1)

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
