"""Pseudonyms and erasure in the card registry: a registry written before pseudonyms rewritten
with them, and a person forgotten (their holder records deleted, their active cards revoked),
under the registry's lock and written as `registry.py` writes (`members forget`,
`members pseudonymise`; `intake/erasure.py`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .holders import is_pseudonym
from .ledger import Card, Registry, each_event, read_lines
from .registry import SpooledLines, Transaction, lines_of, locked, sound, write
from .registryread import read_registry


@dataclass(frozen=True)
class Forgotten:
    """What forgetting a person did to the registry: holder records deleted, the person's active
    cards revoked (as withdrawn), and how many holders a first migration to pseudonyms rewrote."""

    holders: int
    revoked: list[Card]
    pseudonymised: int


def pseudonymise_registry(network_dir: Path, day: date) -> int:
    """Rewrite a registry written before pseudonyms: every `issued` line naming its holder by
    codice fiscale names them by pseudonym instead, every line after it is chained again, and a
    `pseudonymised` event records on `day` how many holders were rewritten and the hash of the old
    chain's last line (so the old file, in version control, can be checked against it). Returns
    that number; 0, and nothing written, when no line names a holder by codice fiscale."""
    with locked(network_dir):
        tx, lines, count = _pseudonymised(network_dir, sound(read_registry(network_dir)[0]), day)
        write(network_dir, tx, lines)
    return count


def forget_holder(network_dir: Path, codice_fiscale: str, day: date, company: str | None = None) -> Forgotten:
    """Forget a person in the registry (of `company` only, if given): the registry is first
    pseudonymised if it still names holders by codice fiscale, their active cards are revoked on
    `day` as withdrawn, and their holder records (with the keys that tie their pseudonym to them)
    are deleted. Their card numbers stay: never reused, still known as revoked."""
    with locked(network_dir):
        tx, lines, count = _pseudonymised(network_dir, sound(read_registry(network_dir)[0]), day)
        registry = tx.registry
        theirs = sorted(card.number for card in registry.cards.each_active(day)
                        if card.holder == codice_fiscale and company in (None, card.company))
        for number in theirs:
            tx.append(event="revoked", card=number, reason="withdrawn", date=day.isoformat())
        companies = {each for each in registry.holders.companies_of(codice_fiscale) if company in (None, each)}
        for each in companies:
            registry.holders.forget(each, codice_fiscale)
        tx.holders_changed |= bool(companies)
        write(network_dir, tx, lines)
    return Forgotten(len(companies), [registry.card(number) for number in theirs], count)


def _pseudonymised(network_dir: Path, registry: Registry, day: date) -> tuple[Transaction, Iterable[bytes], int]:
    """A transaction on `registry` rewritten with pseudonyms (see `pseudonymise_registry`), the
    rewritten lines (in a temporary file), and the number of holders rewritten; `registry` and
    the file's own lines when none was."""
    if not registry.cards.plain_holders():
        return Transaction(registry), lines_of(registry), 0
    holders = registry.holders.copy()
    people: set[tuple[str, str]] = set()
    spool = SpooledLines()

    def rewrite() -> Iterator[bytes]:
        previous = None
        for event in each_event(lines_of(registry)):
            fields = event.fields
            if event.kind == "issued" and not is_pseudonym(fields["holder"]):
                people.add((fields["company"], fields["holder"]))
                fields["holder"] = holders.pseudonym_of(fields["company"], fields["holder"])
            fields["prev"] = previous
            line = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            previous = hashlib.sha256(line).hexdigest()
            spool.append(line + b"\n")
            yield line + b"\n"

    rewritten = Registry(holders)
    problems = read_lines(rewritten, rewrite())
    if problems:  # a bug, never bad data: the registry was sound
        raise RuntimeError(f"refusing to write a rewritten registry with problems: {problems[0].message()}")
    tx = Transaction(rewritten)
    tx.holders_changed = True
    tx.append(event="pseudonymised", holders=len(people), was=registry.last_hash, date=day.isoformat())
    return tx, spool, len(people)
