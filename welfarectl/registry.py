"""The card registry: `members/cards.jsonl` (its line format is in `ledger.py`), read, checked
against the network, and written: cards issued, revoked, replaced and printed.

Writers take an exclusive `flock` on `members/.cards.lock`, read the registry again inside it,
refuse a registry with problems (`RegistryDamaged`) and rewrite the whole file atomically
(`output.write_bytes_atomic`: readers see the old file or the new one, never a torn one).
"""

from __future__ import annotations

import calendar
import fcntl
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from . import output
from .cardnumber import explain_card_number, format_card_number, new_card_number, normalise_card_number
from .clock import today
from .ledger import REASONS, REGISTRY_FILE, Card, Registry, _at, _feed, parse_registry
from .problems import Location, Problem, problem

LOCK_FILE = "members/.cards.lock"
HEAD_FILE = "members/cards.head"
DEFAULT_VALIDITY_MONTHS = 24


# --- exceptions -----------------------------------------------------------------------------------


class RegistryError(Exception):
    """A card operation that cannot be done; the message says why, for the person who asked."""


class RegistryDamaged(RegistryError):
    """The registry has problems: nothing is written to it until it is restored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        super().__init__(f"{first.location}: {first.message()}{more}; the card registry is damaged, "
                         "restore it from version control (`welfarectl validate` lists every problem)")


class InvalidCardNumber(RegistryError):
    pass


class UnknownCard(RegistryError):
    pass


class CardAlreadyRevoked(RegistryError):
    pass


class InvalidReason(RegistryError):
    pass


class HolderNotCurrent(RegistryError):
    pass


# --- reading ---------------------------------------------------------------------------------------


def read_registry(network_dir: Path) -> tuple[Registry, list[Problem]]:
    """The registry of the network in `network_dir` and its problems; no file is an empty registry.
    The lines are checked against `members/cards.head` too, which catches what the hash chain
    cannot: lines deleted or edited at the end."""
    try:
        data = (network_dir / REGISTRY_FILE).read_bytes()
    except FileNotFoundError:
        return Registry(), _check_head(network_dir, b"", 0)
    except OSError as exc:
        return Registry(), [problem("file-unreadable", Location(REGISTRY_FILE), reason=exc.strerror or str(exc))]
    registry, problems = parse_registry(data)
    if any(p.code == "registry-truncated" for p in problems):  # that already says the end is missing
        return registry, problems
    return registry, problems + _check_head(network_dir, data, registry.lines)


def _check_head(network_dir: Path, data: bytes, found: int) -> list[Problem]:
    """The head records the line count and the last line's hash of the last write. A registry in
    which that line is no longer found lost or changed lines at its end. A longer one is fine: a
    writer stopped between writing the registry and its head."""
    try:
        raw = (network_dir / HEAD_FILE).read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        return [problem("file-unreadable", Location(HEAD_FILE), reason=exc.strerror or str(exc))]
    try:
        head = json.loads(raw)
        expected, last = head["lines"], head["last"]
        if type(expected) is not int or expected < 1 or not isinstance(last, str):
            raise ValueError
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return [problem("registry-malformed", Location(HEAD_FILE, line=1), line=1,
                        reason="not a registry head record", reason_it="non è un record di testa del registro")]
    lines = data.split(b"\n")
    if expected <= found and hashlib.sha256(lines[expected - 1]).hexdigest() == last:
        return []
    if any(hashlib.sha256(line).hexdigest() == last for line in lines):
        return []  # the recorded last line is there: lines went missing before it, and the chain says where
    return [problem("registry-lines-missing", Location(REGISTRY_FILE, line=found or None),
                    expected=expected, found=found)]


def _head_record(registry: Registry) -> bytes:
    return json.dumps({"lines": registry.lines, "last": registry.last_hash}, separators=(",", ":")).encode() + b"\n"


# --- writing --------------------------------------------------------------------------------------


class _Transaction:
    """New lines for a sound registry, each checked by the reader's own rules as it is added."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.lines: list[bytes] = []

    def append(self, **fields: object) -> None:
        reg = self.registry
        raw = json.dumps({"seq": (reg.last_seq or 0) + 1, **fields, "prev": reg.last_hash},
                         ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        wrong = _feed(reg, raw, reg.lines + 1)
        if wrong:  # a bug here, never bad data: the registry was sound and the caller checked
            raise RuntimeError(f"refusing to write an invalid registry line: {wrong[0].message()}")
        self.lines.append(raw + b"\n")

    def next_number(self) -> str:
        return new_card_number(self.registry.last_serial + 1)


@contextmanager
def _transaction(network_dir: Path, *, dry_run: bool = False) -> Iterator[_Transaction]:
    """Read-modify-write under the lock; nothing is written when the body raises, appends nothing,
    or on a dry run (which takes no lock: it changes nothing)."""
    if dry_run:
        yield _Transaction(_read_sound(network_dir))
        return
    with _locked(network_dir):
        tx = _Transaction(_read_sound(network_dir))
        yield tx
        if tx.lines:  # the registry, then its head: a stop between the two leaves a head that lags
            output.write_bytes_atomic(network_dir / REGISTRY_FILE, tx.registry.data + b"".join(tx.lines))
            output.write_bytes_atomic(network_dir / HEAD_FILE, _head_record(tx.registry))


@contextmanager
def _locked(network_dir: Path) -> Iterator[None]:
    """Hold the registry's exclusive lock. Temporary files left by a writer killed mid-write are
    removed here: only the lock holder writes, so any that exist are leftovers."""
    lock = network_dir / LOCK_FILE
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            # the names output.write_bytes_atomic gives its temporary files
            for pattern in (".cards.jsonl.*.tmp", ".cards.head.*.tmp"):
                for leftover in lock.parent.glob(pattern):
                    leftover.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_sound(network_dir: Path) -> Registry:
    registry, problems = read_registry(network_dir)
    if problems:
        raise RegistryDamaged(problems)
    return registry


def issue_cards(network, company: str | None = None, dry_run: bool = False) -> list[Card]:
    """Issue a card to every current employee (as of `network.as_of`; of `company` only, if given)
    who has no active card with that company and never had one withdrawn, in the order company id, surname, given name,
    codice fiscale. Issued today, valid for the network's `card.validity_months`. A second run
    issues none. With `dry_run`, the cards that would be issued, numbers included; nothing written."""
    day = today()
    expires = add_months(day, _validity_months(network))
    with _transaction(network.root, dry_run=dry_run) as tx:
        covered = {(card.company, card.holder) for card in tx.registry.active(day)}
        covered |= withdrawn_holders(tx.registry)
        issued = []
        for person in sorted(network.current_employees(), key=_employee_order):
            key = (person.company, person.codice_fiscale)
            if key in covered or (company is not None and person.company != company):
                continue
            covered.add(key)
            number = tx.next_number()
            tx.append(event="issued", card=number, company=person.company, holder=person.codice_fiscale,
                      date=day.isoformat(), expires=expires.isoformat(), replaces=None)
            issued.append(tx.registry.cards[number])
    return issued


def withdrawn_holders(registry: Registry) -> set[tuple[str, str]]:
    """(company, codice fiscale) of everyone whose card was withdrawn: `cards issue` skips them."""
    return {(card.company, card.holder) for card in registry.cards.values() if card.reason == "withdrawn"}


def revoke_card(network_dir: Path, number: str, reason: str) -> Card:
    """Revoke an issued card that is not already revoked or replaced (expired cards may be)."""
    if reason not in REASONS:
        raise InvalidReason(f"'{reason}' is not a reason to revoke a card: use {', '.join(REASONS)}")
    number = _parse_number(number)
    with _transaction(network_dir) as tx:
        _revocable(tx.registry, number)
        tx.append(event="revoked", card=number, reason=reason, date=today().isoformat())
    return tx.registry.cards[number]


def replace_card(network, number: str) -> tuple[Card, Card]:
    """Replace a card (lost, damaged): the old number stops being valid and the holder, who must
    still be a current employee of the card's company, gets a new number valid from today. A card
    already revoked as lost may be replaced (once); other revoked cards may not."""
    number = _parse_number(number)
    day = today()
    with _transaction(network.root) as tx:
        old = _existing(tx.registry, number)
        if not (old.reason == "lost" and old.replaced_by is None):  # a card reported lost is replaced later
            _revocable(tx.registry, number)
        if not any(e.company == old.company and e.codice_fiscale == old.holder for e in network.current_employees()):
            raise HolderNotCurrent(f"the holder of card {format_card_number(number)} is not a current employee of "
                                   f"{old.company}: revoke the card instead (`--reason left`)")
        new = tx.next_number()
        tx.append(event="replaced", card=number, by=new, date=day.isoformat())
        tx.append(event="issued", card=new, company=old.company, holder=old.holder, date=day.isoformat(),
                  expires=add_months(day, _validity_months(network)).isoformat(), replaces=number)
    return old, tx.registry.cards[new]


def record_printed(network_dir: Path, numbers: Iterable[str]) -> None:
    """Note a print run of these issued cards (one printed event; none for an empty run)."""
    chosen = list(dict.fromkeys(_parse_number(number) for number in numbers))
    if not chosen:
        return
    with _transaction(network_dir) as tx:
        for number in chosen:
            _existing(tx.registry, number)
        tx.append(event="printed", cards=chosen, date=today().isoformat())


def _parse_number(text: str) -> str:
    number = normalise_card_number(text)
    if number is None:
        raise InvalidCardNumber(f"'{text}' is not a card number: {explain_card_number(text)}")
    return number


def _existing(registry: Registry, number: str) -> Card:
    if number not in registry.cards:
        raise UnknownCard(f"no card {format_card_number(number)} was ever issued")
    return registry.cards[number]


def _revocable(registry: Registry, number: str) -> Card:
    card = _existing(registry, number)
    if card.revoked_on is not None:
        how = f"replaced by {format_card_number(card.replaced_by)}" if card.replaced_by else "revoked"
        raise CardAlreadyRevoked(f"card {format_card_number(number)} was already {how} on {card.revoked_on:%d/%m/%Y}")
    return card


def _employee_order(person) -> tuple:
    return (person.company, person.surname.casefold(), person.given_name.casefold(), person.codice_fiscale)


def _validity_months(network) -> int:
    return network.settings.card.validity_months if network.settings else DEFAULT_VALIDITY_MONTHS


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's end (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- checking -------------------------------------------------------------------------------------


def check_registry(network) -> list[Problem]:
    """The registry's own problems, then, for each card active on `network.as_of`: its holder has
    not left (`card-holder-left`) and is in the workbook of the card's company (`card-holder-unknown`)."""
    registry, problems = read_registry(network.root)
    people = {(e.company, e.codice_fiscale): e for e in network.employees}
    for card in registry.active(network.as_of):
        person = people.get((card.company, card.holder))
        org = network.organisations_by_id.get(card.company)
        company = org.name if org else card.company
        if person is None:
            problems.append(problem("card-holder-unknown", _at(card.line), card=format_card_number(card.number),
                                    holder=card.holder, company=company))
        elif not person.is_current(network.as_of):
            problems.append(problem("card-holder-left", _at(card.line), card=format_card_number(card.number),
                                    holder=f"{person.given_name} {person.surname}", company=company,
                                    left=f"{person.leaving_date:%d/%m/%Y}"))
    return problems
