"""The build's units of work, each writing its own files (atomically, through the writers of the
capability it belongs to) and returning the facts of what it wrote: the cards' print batch, one
booklet edition, the report, the verifier site. They run here or in processes forked from this one,
which inherit the loaded network and the signing key (`share`) instead of receiving copies.

A refusal inside a worker comes back as a value (`Failed`), so that the command words it in the
run's language as it would in one process.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from welfarectl.base.errors import Refusal
from welfarectl.network.network import Network

from .inputs import CARDS_SHEET, LANG, MAX_AGE

CARDS_BATCH = f"output/cards/cards-{CARDS_SHEET}-new.pdf"  # as `welfarectl cards print --only-new` names it


@dataclass(frozen=True)
class Task:
    """One unit of work: `kind` is print, edition, report or site; `company` an edition's company
    (None: the full booklet)."""

    target: str
    kind: str
    company: str | None = None


@dataclass(frozen=True)
class Step:
    """What one unit of work did, for the command line to word."""

    target: str
    kind: str  # issued, printed, nothing-to-print, edition, report, site
    paths: tuple[Path, ...] = ()
    cards: int = 0  # issued or printed
    sheets: int = 0
    services: int = 0
    pages: int = 0
    leaving: int = 0  # current employees not issued a card for their leaving date
    held_back: int = 0  # cards waiting for a fix to their holders' workbook rows
    too_small: int = 0  # cards not printed: a text would print too small


@dataclass(frozen=True)
class Failed:
    """A refusal raised by a unit of work, carried back to the process that words it."""

    en: str
    it: str | None
    exit_code: int

    def refusal(self) -> Refusal:
        refusal = Refusal(self.en, self.it)
        refusal.exit_code = self.exit_code
        return refusal


_SHARED: dict = {}  # the network, the key and whether to read the registry again; set before forking


def share(network: Network, key, *, registry_changed: bool) -> None:
    """What every unit of work of this build uses, set once before the workers are forked."""
    _SHARED.update(network=network, key=key, registry_changed=registry_changed)


def run_task(task: Task) -> Step | Failed:
    """Do one unit of work with the shared network and key."""
    network, key = _SHARED["network"], _SHARED["key"]
    try:
        if task.kind == "print":
            return print_batch(network, key)
        if task.kind == "edition":
            return write_edition(network, task.company)
        if _SHARED["registry_changed"]:
            reread_registry(network)
        if task.kind == "report":
            return write_report_files(network)
        return write_verifier(network, key)
    except Refusal as refusal:
        return Failed(refusal.en, refusal.it, refusal.exit_code)


def reread_registry(network: Network) -> None:
    """The registry as the cards target left it (issued and printed cards), in place of the one
    read at load time: the report counts them, the page lists the revoked ones."""
    from welfarectl.cards.registryread import read_registry

    network.registry, _ = read_registry(network.root, network.registry.cache if network.registry else None)


def print_batch(network: Network, key) -> Step:
    """The cards issued and never printed, as `cards print --only-new` prints them."""
    from welfarectl.cards.printrun import NothingToPrint, print_cards

    try:
        run = print_cards(network, key, network.root / CARDS_BATCH, sheet=CARDS_SHEET, only_new=True)
    except NothingToPrint as nothing:
        return Step("cards", "nothing-to-print", held_back=nothing.held_back, too_small=len(nothing.held))
    files = (run.target, run.manifest, run.ticket)  # a run in batches: its index, and each batch's three files
    if run.batches:
        files = (run.target, run.ticket, *(each for batch in run.batches for each in (batch.pdf, batch.manifest, batch.ticket)))
    return Step("cards", "printed", files, cards=run.cards, sheets=run.sheets, held_back=run.held_back,
                too_small=len(run.held))


def write_edition(network: Network, company: str | None) -> Step:
    """The full booklet (company None) or one company's edition, in Italian."""
    from welfarectl.booklet.publish import write_booklet

    written = write_booklet(network, company=company, lang=LANG)
    return Step("booklet", "edition", (written.target,), services=written.services, pages=written.pages)


def write_report_files(network: Network) -> Step:
    from welfarectl.report.build import FORMATS, write_report

    return Step("report", "report", tuple(write_report(network, formats=FORMATS, lang=LANG)))


def write_verifier(network: Network, key) -> Step:
    from welfarectl.verifier.site import write_site

    site = write_site(network, key, network.root / "output" / "verifier", MAX_AGE)
    return Step("verifier", "site", tuple(path for path, _ in site.files))
