"""Card rules across the network: one small function per rule, the rule in its docstring.

They run after the network's own checks (`network/checks.py`), on the registry, keys and layouts
that the pipeline read once and put on the Network. The problems of reading those files (a
broken registry line, an unreadable key, a layout outside the safe area) are the readers'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from welfarectl.base.italian import format_day
from welfarectl.base.problems import Problem, problem
from welfarectl.network.network import Network
from welfarectl.pdf.fonts import unprintable

from .fontfiles import NO_FALLBACKS, CardFonts, unprintable_problem
from .ledger import at_line
from .number import format_card_number


def check_card_holders(net: Network) -> Iterator[Problem]:
    """Each card active on the network's day belongs to someone in the workbook of the card's
    company (`card-holder-unknown`) who has not left (`card-holder-left`): else revoke it."""
    if net.registry is None:
        return
    cards, day = net.registry.cards, net.as_of
    for company, rows in cards.active_by_company(day).items():  # a company's people at a time
        people = net.people_of(company)
        for row in rows:
            person = people.get(cards.holder(row))
            if person is None or not person.is_current(day):
                yield _holder_problem(net, cards.card(row), person)  # a Card made for a problem only


def _holder_problem(net: Network, card, person) -> Problem:
    company = net.company_name(card.company)
    if person is None:
        return problem("card-holder-unknown", at_line(card.line), card=format_card_number(card.number),
                       holder=card.holder, company=company)
    return problem("card-holder-left", at_line(card.line), card=format_card_number(card.number),
                   holder=person.name, company=company, left=format_day(person.leaving_date))


def check_printable_names(net: Network) -> Iterator[Problem]:
    """Names that print on cards (current employees, member companies) have a glyph for every
    character in the card font (regular and bold) or in one of the network's fallback fonts;
    checked when the network prints cards (has card layouts)."""
    if net.layouts is None:
        return
    fonts: CardFonts = net.fonts or NO_FALLBACKS
    fallbacks = fonts.names
    # A million people share a few thousand names: each text is looked at once.
    missing_in: dict[str, str | None] = {}

    def missing(text: str) -> str | None:
        if text not in missing_in:
            missing_in[text] = unprintable(text, fallbacks=fallbacks)
        return missing_in[text]

    for org in net.member_companies:
        if found := missing(org.name):
            yield unprintable_problem(org.name, found, net.where(org, "name"), fonts.label())
    for person in net.current_employees():
        for column in ("given_name", "surname"):
            text = getattr(person, column)
            if found := missing(text):  # the cell's location made only for a problem
                yield unprintable_problem(text, found, person.location(column), fonts.label())


CHECKS: list[Callable[[Network], Iterable[Problem]]] = [
    check_card_holders,
    check_printable_names,
]


def run_checks(net: Network) -> list[Problem]:
    return [found for check in CHECKS for found in check(net)]
