"""Small-count suppression: which counts of a breakdown drawn from personal data are hidden, so
that no count under 5 can be read, nor worked out from what is published beside it.

A table's counts are cells (any hashable key) with their values; what a reader can write down
about them (a total, a count that cannot exceed another, a mean rounded to one decimal) is a list
of `Relation`s. Counts from 1 to 4 are hidden and shown as `SMALL` ("<5"): the primary cells.
Zero describes nobody and is shown. Then, as a reader would, `exposure` works out every hidden
cell's interval from the relations, with a primary known to lie in 1-4 and a secondary (shown as
`WITHHELD`, "*") known to be 5 or more; while some primary cell is pinned to one value, the
smallest count that shares a relation with a cell the reader recovered is withheld too (a total
only when no other will do: complementary suppression), and the reader tries again. Hiding a
cell only widens what a reader can know, so this ends.

The reader here propagates intervals along each relation until nothing moves: subtraction along
any row, column or total, repeated through the cells it recovers, and the bounds of the rest.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

THRESHOLD = 5
SMALL = "<5"  # a primary cell: a count from 1 to 4
WITHHELD = "*"  # a secondary cell: withheld so that a count under 5 cannot be worked out

Cell = Hashable


@dataclass(frozen=True)
class Relation:
    """What a reader knows: the sum of coefficient x value over `terms` lies in [low, high]."""

    terms: tuple[tuple[Cell, int], ...]
    low: float
    high: float


def total_of(members: Iterable[Cell], total: Cell) -> Relation:
    """`total` is the sum of `members` (a row, a column, a margin)."""
    return Relation(tuple((cell, 1) for cell in members) + ((total, -1),), 0, 0)


def at_most(smaller: Cell, larger: Cell) -> Relation:
    """`smaller` never exceeds `larger` (cards printed among cards issued)."""
    return Relation(((larger, 1), (smaller, -1)), 0, math.inf)


def rounded_mean(scores: Mapping[int, Cell], answers: int, mean: float, decimals: int = 1) -> Relation:
    """A published mean of scores, rounded to `decimals`, over `answers` answers: the sum of
    score x count lies within half a unit of the last digit, times the answers."""
    half = 0.5 * 10 ** -decimals
    return Relation(tuple((cell, score) for score, cell in scores.items()),
                    math.ceil((mean - half) * answers - 1e-9), math.floor((mean + half) * answers + 1e-9))


def suppress(values: Mapping[Cell, int], relations: Iterable[Relation], *, public: Iterable[Cell] = ()) -> dict[Cell, str]:
    """The cells to hide, each with its mark (SMALL or WITHHELD). `public` cells are published
    elsewhere (a key figure): never hidden, and known to every reader."""
    relations = list(relations)
    public = set(public)
    hidden = {cell: SMALL for cell, value in values.items() if 0 < value < THRESHOLD and cell not in public}
    # Margins are withheld last: a table reads better with its totals, and a margin hides less.
    margins = {cell for r in relations if r.low == r.high == 0 for cell, a in r.terms if a == -1}
    order = {cell: (cell in margins, n) for n, cell in enumerate(values)}
    while True:
        known = exposure(values, hidden, relations)
        pinned = [cell for cell, mark in hidden.items() if mark == SMALL and known[cell][0] == known[cell][1]]
        if not pinned:
            return hidden
        # Whatever the reader recovered exactly (the primary, or a withheld count that gave it
        # away) is guarded by hiding a count beside it.
        exact = {cell for cell in hidden if known[cell][0] == known[cell][1]}
        near = [other for relation in relations if any(c in exact for c, _ in relation.terms) for other, _ in relation.terms]
        choice = _smallest(near, values, hidden, public, order) or _smallest(values, values, hidden, public, order)
        if choice is None:  # everything that could be hidden is: nothing more to do
            return hidden
        hidden[choice] = WITHHELD


def _smallest(cells: Iterable[Cell], values: Mapping[Cell, int], hidden: Mapping[Cell, str], public: set[Cell],
              order: Mapping[Cell, tuple[bool, int]]) -> Cell | None:
    candidates = [c for c in cells if c not in hidden and c not in public and values[c] >= THRESHOLD]
    return min(candidates, key=lambda c: (order[c][0], values[c], order[c][1]), default=None)


def exposure(values: Mapping[Cell, int], hidden: Mapping[Cell, str], relations: list[Relation]
             ) -> dict[Cell, tuple[float, float]]:
    """What a reader can work out of each hidden cell: the interval it must lie in, given the
    published cells, the marks (1-4 under SMALL, 5 or more under WITHHELD) and the relations."""
    bounds: dict[Cell, tuple[float, float]] = {}
    for cell, value in values.items():
        mark = hidden.get(cell)
        bounds[cell] = (value, value) if mark is None else (1, THRESHOLD - 1) if mark == SMALL else (THRESHOLD, math.inf)
    live = [r for r in relations if any(c in hidden for c, _ in r.terms)]
    for _ in range(200):
        moved = False
        for relation in live:
            moved |= _narrow(relation, bounds, hidden)
        if not moved:
            break
    return {cell: bounds[cell] for cell in hidden}


def _narrow(relation: Relation, bounds: dict[Cell, tuple[float, float]], hidden: Mapping[Cell, str]) -> bool:
    """Tighten each hidden term's interval from the others' (one pass); True if one moved."""
    spans = [sorted((a * bounds[c][0], a * bounds[c][1])) for c, a in relation.terms]
    low_sum, low_inf = _finite_sum(s[0] for s in spans)
    high_sum, high_inf = _finite_sum(s[1] for s in spans)
    moved = False
    for (cell, coef), (low, high) in zip(relation.terms, spans, strict=True):
        if cell not in hidden:
            continue
        others_high = math.inf if high_inf - (high == math.inf) else high_sum - high
        others_low = -math.inf if low_inf - (low == -math.inf) else low_sum - low
        term_low, term_high = relation.low - others_high, relation.high - others_low
        new_low, new_high = (term_low / coef, term_high / coef) if coef > 0 else (term_high / coef, term_low / coef)
        old_low, old_high = bounds[cell]
        new_low = max(old_low, math.ceil(new_low - 1e-9) if math.isfinite(new_low) else old_low)
        new_high = min(old_high, math.floor(new_high + 1e-9) if math.isfinite(new_high) else old_high)
        if (new_low, new_high) != (old_low, old_high):
            bounds[cell] = (new_low, new_high)
            moved = True
    return moved


def _finite_sum(numbers: Iterable[float]) -> tuple[float, int]:
    """The sum of the finite numbers, and how many were infinite."""
    total, infinite = 0.0, 0
    for number in numbers:
        if math.isfinite(number):
            total += number
        else:
            infinite += 1
    return total, infinite
