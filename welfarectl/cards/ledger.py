"""The ledger's lines: `members/cards.jsonl` read a line at a time into the card table
(`cardtable.py`), each line checked against the format, the hash chain and the events before it.
Only the cards are kept, not the lines: a regional network's registry has a million.

One JSON object a line, keys in this order, UTF-8, `\\n` after every line:
    {"seq":N,"event":"issued","card":C,"company":ID,"holder":CF,"date":D,"expires":D,"replaces":null|C,"prev":H}
    {"seq":N,"event":"revoked","card":C,"reason":"lost|left|withdrawn","date":D,"prev":H}
    {"seq":N,"event":"replaced","card":OLD,"by":NEW,"date":D,"prev":H}  (then NEW's issued event)
    {"seq":N,"event":"printed","cards":[C,...],"date":D,"prev":H}
    {"seq":N,"event":"pseudonymised","holders":K,"was":H,"date":D,"prev":H}
The holder is a pseudonym (`holders.py`; a codice fiscale in lines written before pseudonyms,
until `pseudonymised` records that the lines above it were rewritten with pseudonyms for K
holders, `was` being the hash of the last line of the chain as it was before).
Rules:
- `seq` starts at 1 and grows by one a line; `prev` is the hex SHA-256 of the previous line's bytes
  (null on the first line), so an edited, deleted or moved line breaks the chain at the line after.
  A line edited in place (the seqs still run on) is reported at itself; lines deleted or moved
  where the chain breaks. Lines deleted at the end show only against members/cards.head.
- A card number is issued once; only issued cards are revoked, replaced or printed, and a card is
  revoked or replaced at most once.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from welfarectl.base.errors import Refusal
from welfarectl.base.italian import format_day
from welfarectl.base.problems import Location, Problem, problem

from .cardtable import REASONS, Card, CardTable
from .holders import Holders
from .number import FIRST_SERIAL, format_card_number, is_card_number
from .plainlines import decode_issued

REGISTRY_FILE = "members/cards.jsonl"
HEAD_FILE = "members/cards.head"  # its line count and last hash (read: `registryread.py`, written: `registry.py`)
_SHA256 = re.compile("[0-9a-f]{64}")


# --- refusals -------------------------------------------------------------------------------------


class RegistryError(Refusal):
    """A card operation that cannot be done; the message says why, for the person who asked."""


class BrokenRule(RegistryError):
    """A registry rule that a line, or an operation asked for, would break: in English and Italian.
    Reading, it makes the line `registry-malformed`; writing, it refuses the operation."""

    it: str

    def __init__(self, en: str, it: str) -> None:
        super().__init__(en, it)


class UnknownCard(BrokenRule):
    """No card with that number was ever issued."""


class CardAlreadyRevoked(BrokenRule):
    """The card was revoked or replaced already."""


# --- values ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Event:
    """One line as read again (`each_event`): its number in the file, its seq, its kind, its keys."""

    line: int
    seq: int
    kind: str  # issued, revoked, replaced, printed, pseudonymised
    fields: dict


class Registry:
    """What the lines say: the cards (`cardtable.py`, in columns), the holders' records, and what
    the next line must carry. The lines themselves are not kept: a registry may have a million,
    and what needs them (`each_event`) reads them again."""

    def __init__(self, holders: Holders | None = None, holders_stamp: tuple[int, int, int] | None = None,
                 expected: int = 0) -> None:
        self.holders = holders if holders is not None else Holders()  # members/holders.jsonl
        self.cards = CardTable(self.holders, expected)  # `expected`: about how many cards, to size the index once
        self.lines = 0
        self.last_hash: str | None = None
        self.last_seq: int | None = 0  # None after a line whose seq could not be read
        self.last_serial = FIRST_SERIAL - 1
        # Set by registryread.read_registry: the file's identity when read (inode, size, modification
        # time; None when there was no file), so a writer can tell it is still the file it read, and
        # the problems found reading it; and the identity of members/holders.jsonl.
        self.stamp: tuple[int, int, int] | None = None
        self.problems: list[Problem] = []
        self.holders_stamp = holders_stamp
        self.source: BinaryIO | None = None  # the file read, left open: a writer copies its lines from it
        self.unissued: dict[str, int] = {}  # a replaced card's new number, until issued: the replaced event's line
        self.cache = None  # a registrycache.RegistryCache: where it is remembered, read or once written

    def copy(self) -> Registry:
        """The same registry, to change without changing this one (a dry run)."""
        twin = Registry(self.holders.copy(), self.holders_stamp)
        twin.cards = self.cards.copy(twin.holders)
        twin.lines, twin.last_hash, twin.last_seq, twin.last_serial = self.lines, self.last_hash, self.last_seq, self.last_serial
        twin.stamp, twin.problems, twin.unissued = self.stamp, list(self.problems), dict(self.unissued)
        return twin

    def revoked(self) -> dict[str, date]:
        """Every card that stopped being valid (revoked or replaced), with the day it did."""
        return self.cards.revoked()

    def active(self, day: date) -> list[Card]:
        return list(self.cards.each_active(day))

    def row(self, number: str) -> int:
        """The card table's row of the card issued with `number`; UnknownCard if none was."""
        row = self.cards.row(number)
        if row is None:
            shown = format_card_number(number)
            raise UnknownCard(f"card {shown} was never issued", f"la tessera {shown} non è mai stata emessa")
        return row

    def card(self, number: str) -> Card:
        """The card issued with `number`; UnknownCard if none was."""
        return self.cards.card(self.row(number))

    def revocable_row(self, number: str) -> int:
        """The card's row, if it may still be revoked: issued, and neither revoked nor replaced (an
        expired card may be)."""
        row = self.row(number)
        ended = self.cards.ended(row)
        if ended is not None:
            shown, on, by = format_card_number(number), format_day(ended), self.cards.replaced_by(row)
            if by is not None:
                by = format_card_number(by)
                raise CardAlreadyRevoked(f"card {shown} was already replaced by {by} on {on}",
                                         f"la tessera {shown} era già stata sostituita dalla {by} il {on}")
            raise CardAlreadyRevoked(f"card {shown} was already revoked on {on}",
                                     f"la tessera {shown} era già stata revocata il {on}")
        return row

    def revocable(self, number: str) -> Card:
        return self.cards.card(self.revocable_row(number))

    def replaceable_row(self, number: str) -> int:
        """The card's row, if it may be replaced: one that may be revoked, or one revoked as lost and
        not replaced yet (a card reported lost is replaced later)."""
        row = self.row(number)
        if self.cards.reason(row) == "lost" and self.cards.replaced_by(row) is None:
            return row
        return self.revocable_row(number)

    def replaceable(self, number: str) -> Card:
        return self.cards.card(self.replaceable_row(number))

    def withdrawn_holders(self) -> set[tuple[str, str]]:
        """(company, codice fiscale) of everyone whose card was withdrawn: `cards issue` skips them."""
        return self.cards.withdrawn_holders()


def parse_registry(data: bytes, holders: Holders | None = None) -> tuple[Registry, list[Problem]]:
    """The registry in `data` (`read_lines`)."""
    registry = Registry(holders)
    return registry, read_lines(registry, io.BytesIO(data))


def read_lines(registry: Registry, lines: Iterable[bytes], on_hash: Callable[[str], object] | None = None) -> list[Problem]:
    """Read every line (bytes with their line endings, as iterating a file gives them: one at a
    time, so a registry of any size reads in the memory of its cards), calling `on_hash` with the
    hash of each. A broken line is reported once: the lines after it are checked against the
    bytes recorded, so an edit breaks the chain at one line only, and is reported at the edited
    line. A last line without its newline is `registry-truncated`. Lines may end in CRLF, as Git
    for Windows may check the file out: line endings are not content, so they are read as LF (and
    written as LF)."""
    problems: list[Problem] = []
    held, number, truncated = None, 0, False
    for number, raw in enumerate(lines, 1):
        if held is not None:  # a line is fed once the next one shows it is not the last
            problems += feed_line(registry, held, number - 1)
            held = None
            if on_hash is not None:
                on_hash(registry.last_hash)
        if raw.endswith(b"\n"):
            held = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1]
        else:  # only the last line can lack its newline
            problems.append(problem("registry-truncated", at_line(number), line=number))
            truncated = True
    if held is not None:
        problems += feed_line(registry, held, number, last=True)
        if on_hash is not None:
            on_hash(registry.last_hash)
    if not truncated:
        problems += unissued_replacements(registry)
    return problems


def each_event(lines: Iterable[bytes]) -> Iterator[Event]:
    """The events of a sound registry's lines (with or without their line endings), decoded again:
    for what needs the lines' own keys (rewriting them with pseudonyms), which `Registry` does
    not keep."""
    for number, raw in enumerate(lines, 1):
        fields = _decode(raw.rstrip(b"\r\n"))
        yield Event(number, fields["seq"], fields["event"], fields)


def at_line(line: int) -> Location:
    """A line of the registry, as problems name it."""
    return Location(REGISTRY_FILE, line=line)


def _malformed(line: int, bad: BrokenRule) -> Problem:
    return problem("registry-malformed", at_line(line), line=line, reason=bad.en, reason_it=bad.it)


def feed_line(registry: Registry, raw: bytes, number: int, *, last: bool = False) -> list[Problem]:
    """Check one line against the line before it and apply its event to `registry`."""
    expected_prev, previous_seq = registry.last_hash, registry.last_seq
    registry.last_hash, registry.lines, registry.last_seq = hashlib.sha256(raw).hexdigest(), number, None
    try:
        fields = _decode(raw)
    except BrokenRule as bad:
        if last and raw.strip() and not raw.rstrip().endswith(b"}"):  # cut mid-JSON, then a newline added
            return [problem("registry-truncated", at_line(number), line=number)]
        return [_malformed(number, bad)]
    problems: list[Problem] = []
    chained = fields.get("prev") == expected_prev
    if not chained and number > 1:
        problems.append(_chain_problem(fields.get("seq"), previous_seq, number))
    try:
        kind = _check_shape(fields)
        registry.last_seq = fields["seq"]
        if number == 1 and not chained:
            raise BrokenRule('the first line has a "prev" hash: the lines before it were deleted',
                       'la prima riga ha un hash "prev": le righe prima sono state tolte')
        _check_seq(fields["seq"], previous_seq if chained else None, number)
        _APPLY[kind](registry, fields, number)
    except BrokenRule as bad:
        problems.append(_malformed(number, bad))
    return problems


def _chain_problem(seq: object, previous_seq: int | None, number: int) -> Problem:
    """Line `number` does not carry the hash of the line before it. With the numbering intact
    (its seq one more than the line before's), that line was edited in place: it is the one
    reported. Otherwise lines were deleted or moved, and the break is reported where it shows."""
    if type(seq) is int and previous_seq is not None and seq == previous_seq + 1:
        return problem("registry-line-edited", at_line(number - 1), line=number - 1, next=number)
    return problem("registry-chain-broken", at_line(number), line=number, previous=number - 1)


def _decode(raw: bytes) -> dict:
    plain = decode_issued(raw)  # most lines: the writer's own layout, read without the decoder
    if plain is not None:
        return plain
    if not raw.strip():
        raise BrokenRule("an empty line", "una riga vuota")
    try:
        value = _DECODER.decode(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BrokenRule("not UTF-8 text", "non è testo UTF-8") from None
    except json.JSONDecodeError as exc:
        italian = _JSON_ERRORS_IT.get(exc.msg, f"«{exc.msg}»")
        raise BrokenRule(f"not JSON ({exc.msg}, column {exc.colno})",
                   f"non è JSON ({italian}, colonna {exc.colno})") from None
    if not isinstance(value, dict):
        raise BrokenRule("not a JSON object", "non è un oggetto JSON")
    return value


_JSON_ERRORS_IT = {  # the json module's messages, in Italian
    "Expecting value": "atteso un valore",
    "Expecting property name enclosed in double quotes": "atteso un nome di chiave tra virgolette doppie",
    "Expecting ',' delimiter": "attesa una ','",
    "Expecting ':' delimiter": "attesi i ':'",
    "Unterminated string starting at": "testo non chiuso",
    "Invalid control character at": "carattere di controllo non ammesso",
    "Invalid \\escape": "sequenza di escape non valida",
    "Invalid \\uXXXX escape": "sequenza \\uXXXX non valida",
    "Extra data": "altri dati dopo l'oggetto JSON",
}


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise BrokenRule("a key appears twice", "una chiave compare due volte")
    return found


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys)  # built once: json.loads(**kw) builds one a call


def _check_seq(seq: int, previous: int | None, number: int) -> None:
    """seq is 1 on the first line and one more than the line before's; not checked right after a
    line whose seq is unknown or where the chain broke (that problem is already reported)."""
    if number == 1 and seq != 1:
        raise BrokenRule(f"seq is {seq}, the first line's must be 1", f"seq è {seq}, quello della prima riga deve essere 1")
    if number > 1 and previous is not None and seq != previous + 1:
        raise BrokenRule(f"seq {seq} does not follow seq {previous} of line {number - 1}",
                   f"seq {seq} non segue seq {previous} della riga {number - 1}")


# -- the shape of each event: its keys, in order, and what each holds

def _seq(value: object) -> None:
    if type(value) is not int or value < 1:
        raise BrokenRule("a whole number from 1", "un numero intero da 1")


def _text(value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise BrokenRule("a non-empty text", "un testo non vuoto")


def _card(value: object) -> None:
    if not is_card_number(value):
        raise BrokenRule("a card number (8 digits with a valid check digit)",
                   "un numero di tessera (8 cifre con la cifra di controllo giusta)")


def _optional_card(value: object) -> None:
    if value is not None:
        _card(value)


def _day(value: object) -> None:
    try:
        if isinstance(value, str) and len(value) == 10:
            date.fromisoformat(value)
            return
    except ValueError:
        pass
    raise BrokenRule("a date YYYY-MM-DD", "una data AAAA-MM-GG")


def _reason(value: object) -> None:
    if value not in REASONS:
        raise BrokenRule(" or ".join(REASONS), " o ".join(REASONS))


def _cards(value: object) -> None:
    if not isinstance(value, list) or not value or len(set(map(str, value))) != len(value):
        raise BrokenRule("a non-empty list of distinct card numbers", "una lista non vuota di numeri di tessera distinti")
    for item in value:
        _card(item)


def _count(value: object) -> None:
    if type(value) is not int or value < 0:
        raise BrokenRule("a whole number from 0", "un numero intero da 0")


def _hash(value: object) -> None:
    if value is not None and not (isinstance(value, str) and _SHA256.fullmatch(value)):
        raise BrokenRule("null or a SHA-256 in lowercase hex", "null o uno SHA-256 esadecimale minuscolo")


def _event(value: object) -> None:
    """Checked before the shape is chosen."""


_SHAPES = {
    "issued": {"seq": _seq, "event": _event, "card": _card, "company": _text, "holder": _text, "date": _day,
               "expires": _day, "replaces": _optional_card, "prev": _hash},
    "revoked": {"seq": _seq, "event": _event, "card": _card, "reason": _reason, "date": _day, "prev": _hash},
    "replaced": {"seq": _seq, "event": _event, "card": _card, "by": _card, "date": _day, "prev": _hash},
    "printed": {"seq": _seq, "event": _event, "cards": _cards, "date": _day, "prev": _hash},
    "pseudonymised": {"seq": _seq, "event": _event, "holders": _count, "was": _hash, "date": _day, "prev": _hash},
}
_KEYS = {kind: tuple(shape) for kind, shape in _SHAPES.items()}
_CHECKS = {kind: tuple(shape.items()) for kind, shape in _SHAPES.items()}


def _check_shape(fields: dict) -> str:
    """The event's kind, once its keys (exactly those of its kind, in order) and values check out."""
    kind = fields.get("event")
    if not isinstance(kind, str) or kind not in _SHAPES:
        raise BrokenRule(f"unknown event {json.dumps(kind)}", f"evento sconosciuto {json.dumps(kind)}")
    if tuple(fields) != _KEYS[kind]:
        keys = ", ".join(_KEYS[kind])
        raise BrokenRule(f"an {kind} event has the keys {keys}, in this order",
                   f"un evento {kind} ha le chiavi {keys}, in quest'ordine")
    key = ""
    try:
        for key, check in _CHECKS[kind]:
            check(fields[key])
    except BrokenRule as bad:
        raise BrokenRule(f'"{key}" must be {bad.en}', f'"{key}" deve essere {bad.it}') from None
    return kind


# -- what each event does to the cards

def _issued(registry: Registry, fields: dict, line: int) -> None:
    number, replaces, cards = fields["card"], fields["replaces"], registry.cards
    row = cards.row(number)
    if row is not None:
        raise BrokenRule(f"card {number} was already issued on line {cards.line(row)}",
                   f"la tessera {number} è già stata emessa alla riga {cards.line(row)}")
    issued, expires = date.fromisoformat(fields["date"]), date.fromisoformat(fields["expires"])
    if expires < issued:
        raise BrokenRule("it expires before it is issued", "scade prima di essere emessa")
    if replaces is not None and (cards.row(replaces) is None or cards.replaced_by(cards.row(replaces)) != number):
        raise BrokenRule(f"it replaces card {replaces}, which was not replaced by {number}",
                   f"sostituisce la tessera {replaces}, che non è stata sostituita dalla {number}")
    cards.add(number, fields["company"], fields["holder"], issued, expires, line, replaces)
    registry.unissued.pop(number, None)
    registry.last_serial = max(registry.last_serial, int(number[:7]))


def _revoked(registry: Registry, fields: dict, line: int) -> None:
    row = registry.revocable_row(fields["card"])
    registry.cards.end(row, date.fromisoformat(fields["date"]), reason=fields["reason"])


def _replaced(registry: Registry, fields: dict, line: int) -> None:
    """A valid card, or one revoked as lost, is replaced once by a new number."""
    row, by = registry.replaceable_row(fields["card"]), fields["by"]
    if by in registry.cards:
        raise BrokenRule(f"its new card {by} was already issued", f"la nuova tessera {by} era già stata emessa")
    registry.cards.end(row, date.fromisoformat(fields["date"]), replaced_by=by)
    registry.unissued[by] = line


def _printed(registry: Registry, fields: dict, line: int) -> None:
    rows = [registry.row(number) for number in fields["cards"]]
    for row in rows:
        registry.cards.mark_printed(row)


def _pseudonymised(registry: Registry, fields: dict, line: int) -> None:
    """The lines above were rewritten: only the holders they name changed, now pseudonyms."""


_APPLY = {"issued": _issued, "revoked": _revoked, "replaced": _replaced, "printed": _printed,
          "pseudonymised": _pseudonymised}


def unissued_replacements(registry: Registry) -> list[Problem]:
    """A replaced card's new card is issued later on (the writer issues it on the very next line)."""
    return [_malformed(line, BrokenRule(f"its new card {by} is never issued", f"la nuova tessera {by} non è mai emessa"))
            for by, line in registry.unissued.items()]
