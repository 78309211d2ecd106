"""A print run: the cards chosen (`printjob.choose_cards`), printed into one PDF, or for a large run
into numbered batches (`batches.py`), the files for the print shop (PDF, manifest CSV, job
ticket) written atomically, and the cards noted in the registry as printed, unless the run is a
proof. The run returns facts; the command words them.

Rules for choosing, signing and holding cards back are in `printjob.py`. One PDF is the default
up to `batches.DEFAULT_BATCH_CARDS` cards; `batch_sheets` asks for batches of that many sheets
(0: one PDF whatever the size).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from welfarectl.base.errors import Refusal
from welfarectl.base.output import check_target
from welfarectl.network.network import Network

from . import registry
from .batches import Batch, Progress, batch_size, print_batches
from .keys import SigningKey
from .printjob import choose_cards, entries, make_part, make_plan, ticket_text, write_part


class NothingToPrint(Exception):
    """No card matches: not an error, the command says so and exits 0."""

    def __init__(self, only_new: bool, skipped: int, company: str | None, none_issued: bool,
                 held: tuple[tuple[str, str, float], ...] = (), held_back: int = 0) -> None:
        super().__init__("no card to print")
        self.only_new, self.skipped, self.company, self.none_issued = only_new, skipped, company, none_issued
        self.held = held  # (card, text, size) of the cards held back: every card chosen, when not empty
        self.held_back = held_back  # cards of people whose workbook rows have errors


class NoLayouts(Refusal):
    """The network has no card layouts (templates/card-front.yaml and card-back.yaml)."""


@dataclass(frozen=True)
class PrintRun:
    """What a print run did."""

    cards: int
    sheets: int
    target: Path  # the PDF; for a run in batches, the index (its .csv)
    proof: bool
    skipped: int  # active cards left out: their holders left or are in no workbook
    held_back: int  # active cards left out: their holders' workbook rows have errors
    shrunk: tuple[tuple[str, str, float], ...]  # (card, text, size) printed below the text's min_size
    held: tuple[tuple[str, str, float], ...] = ()  # (card, text, size) not printed: the text fits only too small
    batches: tuple[Batch, ...] = ()  # the batches written, when the run was printed in batches

    @property
    def manifest(self) -> Path:
        return self.target.with_suffix(".csv")

    @property
    def ticket(self) -> Path:
        return self.target.with_suffix(".txt")


def print_cards(network: Network, key: SigningKey, target: Path, *, sheet: str, company: str | None = None,
                only_new: bool = False, proof: bool = False, batch_sheets: int | None = None,
                workers: int | None = None, progress: Callable[[Progress], None] | None = None) -> PrintRun:
    """Print the chosen cards of a checked network into `target` (and its .csv and .txt), or into
    batches named after it; `progress` is told how far the run is as it goes."""
    check_target(target)
    if network.layouts is None or None in network.layouts:
        raise NoLayouts("the network has no card layouts: templates/card-front.yaml and templates/card-back.yaml "
                        "(`welfarectl init` writes a pair to start from)",
                        "la rete non ha i modelli della tessera: templates/card-front.yaml e templates/card-back.yaml "
                        "(`welfarectl init` ne scrive una coppia da cui partire)")
    choice = choose_cards(network, company, only_new)
    if not choice.cards:
        raise NothingToPrint(only_new, choice.skipped, company, not network.registry.cards, held_back=choice.held_back)
    plan = make_plan(network, key, sheet=sheet, company=company, only_new=only_new, proof=proof)
    size = batch_size(len(choice.cards), sheet, batch_sheets)
    if size is not None:
        run = print_batches(plan, choice.cards, target, size, workers=workers, progress=progress)
        if not run.batches:
            raise NothingToPrint(only_new, choice.skipped, company, False, run.held, choice.held_back)
        return PrintRun(sum(b.cards for b in run.batches), sum(b.sheets for b in run.batches), run.index, proof,
                        choice.skipped, choice.held_back, run.shrunk, run.held, run.batches)
    total = len(choice.cards)
    on_sheet = (lambda drawn: progress(Progress(drawn, total))) if progress else None
    part = make_part(plan, entries(plan, choice.cards), on_sheet=on_sheet)
    if part.pdf is None:
        raise NothingToPrint(only_new, choice.skipped, company, False, part.held, choice.held_back)
    write_part(part, target, ticket_text(plan, part, target))
    if not proof:
        registry.record_printed(network.root, [number for number, _ in part.cards], network.as_of, network.registry)
    return PrintRun(len(part.cards), part.sheets, target, proof, choice.skipped, choice.held_back, part.shrunk,
                    part.held)
