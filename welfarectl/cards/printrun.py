"""A print run: which cards, their holders' names, their signed QR payloads, the files for the
print shop (PDF, manifest CSV, job ticket) written atomically, and the run noted in the registry.

Rules: only cards active on the network's day (not revoked, replaced or expired) are printed,
ordered by company and holder so that a company's cards come off the press together;
`only_new` leaves out cards already printed; a card whose holder is in no workbook, or has left,
is not printed (validate warns about both; the run counts them), nor is the card of anyone held
back by errors in their workbook row (`network.held_back`: a name the card font cannot print, an
invalid codice fiscale...; the run counts them too). A card whose holder's text (a long name)
would fit only below both its min_size and 5 pt (`render.HOLD_BACK_BELOW`) is held back too: not
printed nor noted as printed, and listed in the run's facts, so that a layout with more room
prints it later; one printed below min_size alone is listed (`shrunk`). A run is noted in the
registry as printed, unless it is a proof. The run returns facts; the command words them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from welfarectl.base.errors import Refusal
from welfarectl.base.output import BadTarget, check_target, write_files_atomic
from welfarectl.base.problems import os_reason
from welfarectl.network.network import Network

from . import registry, render
from .keys import SigningKey
from .layout import common_fields
from .payload import encode_payload, qr_text
from .sheets import manifest_csv


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
    target: Path
    proof: bool
    skipped: int  # active cards left out: their holders left or are in no workbook
    held_back: int  # active cards left out: their holders' workbook rows have errors
    shrunk: tuple[tuple[str, str, float], ...]  # (card, text, size) printed below the text's min_size
    held: tuple[tuple[str, str, float], ...] = ()  # (card, text, size) not printed: the text fits only too small

    @property
    def manifest(self) -> Path:
        return self.target.with_suffix(".csv")

    @property
    def ticket(self) -> Path:
        return self.target.with_suffix(".txt")


def print_cards(network: Network, key: SigningKey, target: Path, *, sheet: str, company: str | None = None,
                only_new: bool = False, proof: bool = False) -> PrintRun:
    """Print the chosen cards of a checked network into `target` (and its .csv and .txt)."""
    check_target(target)
    if network.layouts is None or None in network.layouts:
        raise NoLayouts("the network has no card layouts: templates/card-front.yaml and templates/card-back.yaml "
                        "(`welfarectl init` writes a pair to start from)",
                        "la rete non ha i modelli della tessera: templates/card-front.yaml e templates/card-back.yaml "
                        "(`welfarectl init` ne scrive una coppia da cui partire)")
    front, back = network.layouts
    day = network.as_of
    wanted = [card for card in network.registry.cards.values()
              if card.status(day) == "active" and (company is None or card.company == company)
              and not (only_new and card.printed)]
    held_back = network.held_back_holders()
    waiting = [card for card in wanted if (card.company, card.holder) in held_back]
    wanted = [card for card in wanted if (card.company, card.holder) not in held_back]
    chosen = [(card, person) for card in wanted
              if (person := network.employees_by_holder.get((card.company, card.holder))) is not None
              and person.is_current(day)]
    skipped = len(wanted) - len(chosen)
    if not chosen:
        raise NothingToPrint(only_new, skipped, company, not network.registry.cards, held_back=len(waiting))
    chosen.sort(key=lambda pair: (*pair[1].sort_key()[:3], pair[0].number))
    settings = network.settings
    cards = [render.PrintCard(
        number=card.number,
        holder=person.name,
        company=network.company_name(card.company),
        expires=card.expires,
        payload=qr_text(encode_payload(card.number, card.expires, settings.id, key), settings.card.verify_url),
        company_id=card.company,
    ) for card, person in chosen]
    fields = common_fields(network)
    fallbacks = network.fonts.names if network.fonts else ()
    smallest = {card.number: render.too_small(card, front, back, fields, fallbacks) for card in cards}
    held = [(number, *small) for number, small in smallest.items() if small is not None]
    cards = [card for card in cards if smallest[card.number] is None]
    if not cards:
        raise NothingToPrint(only_new, skipped, company, False, tuple(held), len(waiting))
    job = render.render(cards, front, back, fields, sheet, proof, fallbacks)
    selection = ", ".join(filter(None, [f"company {company}" if company else "all companies",
                                        "new cards only" if only_new else "", "PROOF, not for issue" if proof else ""]))
    ticket = (job.ticket + f"File: {target.name}\nSelection: {selection}\n"
              + (f"Contact: {settings.email}\n" if settings.email else "")
              + f"PDF SHA-256: {hashlib.sha256(job.pdf).hexdigest()}\n")
    try:
        write_files_atomic({target.with_suffix(".csv"): manifest_csv(job.manifest).encode("utf-8-sig"),
                            target.with_suffix(".txt"): ticket.encode("utf-8"), target: job.pdf})
    except OSError as exc:
        reason = os_reason(exc)
        raise BadTarget(f"cannot write {exc.filename or target}: {reason['reason']}",
                        f"impossibile scrivere {exc.filename or target}: {reason['reason_it']}") from None
    if not proof:
        registry.record_printed(network.root, [card.number for card in cards], day, network.registry)
    return PrintRun(len(cards), len({row["sheet"] for row in job.manifest}), target, proof, skipped, len(waiting),
                    job.shrunk, tuple(held))
