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
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from welfarectl.base.output import write_files_atomic
from welfarectl.network.members import Employee
from welfarectl.network.network import Network

from . import render
from .keys import SigningKey
from .layout import Layout, common_fields
from .payload import encode_payload, qr_text
from .sheets import SHEETS, manifest_csv


@dataclass(frozen=True)
class Choice:
    """The cards a run prints, in print order, and those it leaves out."""

    cards: ChosenCards
    skipped: int  # active cards whose holders left or are in no workbook
    held_back: int  # active cards whose holders' workbook rows have errors


Chosen = tuple[int, Employee]  # a chosen card: its row in the registry's card table, and its holder


class ChosenCards(Sequence[Chosen]):
    """Chosen cards in print order, kept in two columns (their rows in an array, their holders in a
    list): 12 bytes a card, where a million (row, holder) pairs would take 90 MB."""

    def __init__(self, rows: array | None = None, people: list[Employee] | None = None) -> None:
        self.rows = rows if rows is not None else array("i")
        self.people = people if people is not None else []

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):  # an int, or a slice as lists take it
        if isinstance(index, slice):
            return ChosenCards(self.rows[index], self.people[index])
        return self.rows[index], self.people[index]

    def __iter__(self) -> Iterator[Chosen]:
        return zip(self.rows, self.people, strict=True)


def choose_cards(network: Network, company: str | None, only_new: bool) -> Choice:
    """The active cards to print (of `company`, or all; only those never printed with `only_new`),
    each with its holder, sorted by company and holder. A company's cards at a time: the sort keys
    and the map of people of one company are in memory, never a million."""
    day, table = network.as_of, network.registry.cards
    held_back = network.held_back_holders()
    chosen = ChosenCards()
    wanted = waiting = 0
    for card_company, rows in sorted(table.active_by_company(day).items()):
        if company is not None and card_company != company:
            continue
        people = network.people_of(card_company)
        found = []
        for row in rows:
            if only_new and table.printed(row):
                continue
            wanted += 1
            holder = table.holder(row)
            if (card_company, holder) in held_back:
                waiting += 1
            elif (person := people.get(holder)) is not None and person.is_current(day):
                found.append((person.surname.casefold(), person.given_name.casefold(), table.number(row), row, person))
        found.sort()
        chosen.rows.extend(row for *_, row, _ in found)
        chosen.people += [person for *_, person in found]
    return Choice(chosen, wanted - waiting - len(chosen), waiting)


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


def entries(plan: Plan, chosen: Sequence[Chosen]) -> list[Entry]:
    """The chosen cards as plain values: what a worker is sent, so that it never touches (and so
    copies, page by page) the network's objects it shares with the command."""
    table = plan.network.registry.cards
    return [(table.number(row), person.name, person.company, table.expires(row)) for row, person in chosen]


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
