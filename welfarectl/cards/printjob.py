"""What one PDF of a print run holds, and how it is made: the cards chosen for the run, in print
order, and a part of them turned into a PDF, its manifest and its job ticket.

Rules: only cards active on the network's day (not revoked, replaced or expired) are chosen,
ordered by company and holder so that a company's cards come off the press together;
`only_new` leaves out cards already printed; a card whose holder is in no workbook, or has left,
is not chosen (validate warns about both; the run counts them), nor is the card of anyone held
back by errors in their workbook row (`network.held_back`). Each card's QR payload is signed when
its part is made, so that the parts of a large run sign on every core and no process holds all
the payloads. A card whose holder's text would fit only below both its min_size and 5 pt
(`render.HOLD_BACK_BELOW`) is held back by its part: not printed, and listed, so that a layout
with more room prints it later.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from welfarectl.base.output import write_files_atomic
from welfarectl.network.members import Employee
from welfarectl.network.network import Network

from . import render
from .keys import SigningKey
from .layout import Layout, common_fields
from .ledger import Card
from .payload import encode_payload, qr_text
from .sheets import SHEETS, manifest_csv


@dataclass(frozen=True)
class Choice:
    """The cards a run prints, in print order, and those it leaves out."""

    cards: list[tuple[Card, Employee]]
    skipped: int  # active cards whose holders left or are in no workbook
    held_back: int  # active cards whose holders' workbook rows have errors


def choose_cards(network: Network, company: str | None, only_new: bool) -> Choice:
    """The active cards to print (of `company`, or all; only those never printed with `only_new`),
    each with its holder, sorted by company and holder."""
    day = network.as_of
    wanted = [card for card in network.registry.cards.values()
              if card.status(day) == "active" and (company is None or card.company == company)
              and not (only_new and card.printed)]
    held_back = network.held_back_holders()
    waiting = sum((card.company, card.holder) in held_back for card in wanted)
    wanted = [card for card in wanted if (card.company, card.holder) not in held_back]
    chosen = [(card, person) for card in wanted
              if (person := network.employees_by_holder.get((card.company, card.holder))) is not None
              and person.is_current(day)]
    chosen.sort(key=lambda pair: (*pair[1].sort_key()[:3], pair[0].number))
    return Choice(chosen, len(wanted) - len(chosen), waiting)


@dataclass(frozen=True)
class Plan:
    """What every part of a run shares: the network, the signing key, the layouts and the sheet."""

    network: Network
    key: SigningKey
    front: Layout
    back: Layout
    sheet: str
    proof: bool
    selection: str  # the run's selection, in words, for the job tickets

    @property
    def per_sheet(self) -> int:
        return SHEETS[self.sheet].per_sheet

    @property
    def fields(self) -> dict:
        return common_fields(self.network)

    @property
    def fallbacks(self) -> tuple[str, ...]:
        return self.network.fonts.names if self.network.fonts else ()


def make_plan(network: Network, key: SigningKey, *, sheet: str, company: str | None, only_new: bool,
              proof: bool) -> Plan:
    front, back = network.layouts
    selection = ", ".join(filter(None, [f"company {company}" if company else "all companies",
                                        "new cards only" if only_new else "", "PROOF, not for issue" if proof else ""]))
    return Plan(network, key, front, back, sheet, proof, selection)


@dataclass(frozen=True)
class Part:
    """One PDF of a run, made but not yet written."""

    pdf: bytes | None  # None when every card of the part was held back
    manifest: bytes  # the manifest CSV, as written (UTF-8 with a BOM, for spreadsheets)
    ticket: str  # the job ticket, less the lines naming the file
    cards: tuple[tuple[str, str], ...]  # (card number, company id) of each card printed, in print order
    sheets: int
    shrunk: tuple[tuple[str, str, float], ...]  # (card, text, size) printed below the text's min_size
    held: tuple[tuple[str, str, float], ...]  # (card, text, size) not printed: the text fits only too small


Entry = tuple[str, str, str, date]  # a chosen card as plain values: number, holder's name, company id, expiry


def entries(chosen: Sequence[tuple[Card, Employee]]) -> list[Entry]:
    """The chosen cards as plain values: what a worker is sent, so that it never touches (and so
    copies, page by page) the network's objects it shares with the command."""
    return [(card.number, person.name, card.company, card.expires) for card, person in chosen]


def make_part(plan: Plan, chosen: Sequence[Entry], on_sheet: Callable[[int], None] | None = None,
              helper: bool = True) -> Part:
    """The PDF of these chosen cards (`entries`), signed here; `on_sheet(cards drawn)` after each
    sheet. `helper`: whether the renderer may start a process of its own for the QR codes (not
    from a worker of a pool, which may not have children)."""
    network = plan.network
    settings = network.settings
    cards = [render.PrintCard(
        number=number,
        holder=holder,
        company=network.company_name(company),
        expires=expires,
        payload=qr_text(encode_payload(number, expires, settings.id, plan.key), settings.card.verify_url),
        company_id=company,
    ) for number, holder, company, expires in chosen]
    fields, fallbacks = plan.fields, plan.fallbacks
    too_small = render.hold_back_check(plan.front, plan.back, fields, fallbacks)
    smallest = {card.number: too_small(card) for card in cards}
    held = tuple((number, *small) for number, small in smallest.items() if small is not None)
    cards = [card for card in cards if smallest[card.number] is None]
    if not cards:
        return Part(None, b"", "", (), 0, (), held)
    job = render.render(cards, plan.front, plan.back, fields, plan.sheet, plan.proof, fallbacks, on_sheet=on_sheet,
                        helper=helper)
    return Part(job.pdf, manifest_csv(job.manifest).encode("utf-8-sig"), job.ticket,
                tuple((card.number, card.company_id) for card in cards), math.ceil(len(cards) / plan.per_sheet),
                job.shrunk, held)


def ticket_text(plan: Plan, part: Part, target: Path, extra: str = "") -> str:
    """The part's job ticket with the lines naming its file, the run's selection and the PDF's
    checksum; `extra`: lines to add before the checksum (a batch's place in its run)."""
    email = plan.network.settings.email
    return (part.ticket + f"File: {target.name}\nSelection: {plan.selection}\n"
            + (f"Contact: {email}\n" if email else "") + extra
            + f"PDF SHA-256: {hashlib.sha256(part.pdf).hexdigest()}\n")


def write_part(part: Part, target: Path, ticket: str) -> None:
    """The manifest, the ticket and the PDF, as one (`write_files_atomic`): all three are new, or
    all three are left as they were."""
    write_files_atomic({target.with_suffix(".csv"): part.manifest, target.with_suffix(".txt"): ticket.encode("utf-8"),
                        target: part.pdf})
