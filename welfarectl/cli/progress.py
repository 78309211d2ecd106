"""How far a long run (printing, reading a region's workbooks) is, on standard error: a bar on a terminal (rich), that appears once the run
has taken SHOW_AFTER seconds and goes when it ends; elsewhere (CI, a log file) a plain line every
PLAIN_EVERY seconds, the first after PLAIN_EVERY, so that short runs print nothing extra.

The library reports progress through a callback (`cards.batches.Progress`); this module words it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from . import console
from .language import number, say

if TYPE_CHECKING:
    from welfarectl.cards.batches import Progress

SHOW_AFTER = 1.0  # seconds
PLAIN_EVERY = 10.0  # seconds
REFRESH_EVERY = 0.2  # seconds between redraws of the bar


@contextmanager
def print_progress() -> Iterator[Callable[[Progress], None]]:
    """A callback for a print run's progress, shown while the block runs."""
    with _shown(("printing", "stampa")) as show:
        yield lambda done: show(done.cards, done.total, _said(done))


@contextmanager
def load_progress() -> Iterator[Callable[[int, int], None]]:
    """A callback for the loading of a network's workbooks (`read` of `total`), shown while the
    block runs: a region's thousands take a while."""
    with _shown(READING) as show:
        yield lambda read, total: show(read, total, workbooks_read(read, total))


READING = ("reading the workbooks", "lettura dei file dei dipendenti")


def workbooks_read(read: int, total: int) -> str:
    """'812 of 2,000 workbooks'."""
    return say(f"{number(read)} of {number(total)} workbooks", f"{number(read)} di {number(total)} file")


@contextmanager
def _shown(what: tuple[str, str]) -> Iterator[Callable[[int, int, str], None]]:
    """A callback `(done, total, said)` that shows how far the work `what` (English, Italian) is."""
    out = console.stderr_console()
    started = time.monotonic()
    shown: dict = {"bar": None, "task": None, "last": started}

    def on_terminal(done: int, total: int, said: str) -> None:
        now = time.monotonic()
        if shown["bar"] is None:
            if now - started < SHOW_AFTER:
                return
            from rich.progress import BarColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            # redrawn when told, not by a thread of its own: the run forks its workers meanwhile
            shown["bar"] = Bar(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[said]}"),
                               TimeElapsedColumn(), TimeRemainingColumn(), console=out, transient=True,
                               auto_refresh=False)
            shown["bar"].start()
            shown["task"] = shown["bar"].add_task(say(*what), total=total, said="")
        elif now - shown["last"] < REFRESH_EVERY and done < total:
            return
        shown["last"] = now
        shown["bar"].update(shown["task"], completed=done, said=said)
        shown["bar"].refresh()

    def plainly(done: int, total: int, said: str) -> None:
        now = time.monotonic()
        if now - shown["last"] >= PLAIN_EVERY and done < total:
            shown["last"] = now
            out.print(say(*what) + ": " + said, markup=False, highlight=False)

    try:
        yield on_terminal if out.is_terminal else plainly
    finally:
        if shown["bar"] is not None:
            shown["bar"].stop()


def _said(done: Progress) -> str:
    """'12,000 of 98,000 cards, 2 of 20 batches written'."""
    cards = say(f"{number(done.cards)} of {number(done.total)} cards",
                f"{number(done.cards)} di {number(done.total)} tessere")
    if not done.planned:
        return cards
    return cards + say(f", {number(done.batches)} of {number(done.planned)} batches written",
                       f", {number(done.batches)} di {number(done.planned)} lotti scritti")
