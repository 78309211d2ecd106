"""The ledger's lines: `members/cards.jsonl` parsed event by event into `Card` values, each line
checked against the format, the hash chain and the events before it.

One JSON object a line, keys in this order, UTF-8, `\\n` after every line:
    {"seq":N,"event":"issued","card":C,"company":ID,"holder":CF,"date":D,"expires":D,"replaces":null|C,"prev":H}
    {"seq":N,"event":"revoked","card":C,"reason":"lost|left|withdrawn","date":D,"prev":H}
    {"seq":N,"event":"replaced","card":OLD,"by":NEW,"date":D,"prev":H}  (then NEW's issued event)
    {"seq":N,"event":"printed","cards":[C,...],"date":D,"prev":H}
Rules:
- `seq` starts at 1 and grows by one a line; `prev` is the hex SHA-256 of the previous line's bytes
  (null on the first line), so an edited, deleted or moved line breaks the chain at the line after.
- A card number is issued once; only issued cards are revoked, replaced or printed, and a card is
  revoked or replaced at most once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date

from .cardnumber import FIRST_SERIAL, is_card_number
from .problems import Location, Problem, problem

REGISTRY_FILE = "members/cards.jsonl"
REASONS = ("lost", "left", "withdrawn")
_SHA256 = re.compile("[0-9a-f]{64}")


# --- values ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Card:
    """One card as the registry tells it. `line` is the line of its issued event."""

    number: str
    company: str
    holder: str  # codice fiscale
    issued: date
    expires: date
    line: int
    replaces: str | None = None
    revoked_on: date | None = None  # the day it stopped being valid: revoked or replaced
    reason: str | None = None
    replaced_by: str | None = None
    printed: bool = False

    def status(self, day: date) -> str:
        """'replaced', 'revoked', 'expired' (expires before `day`) or 'active'."""
        if self.replaced_by is not None:
            return "replaced"
        if self.revoked_on is not None:
            return "revoked"
        return "expired" if self.expires < day else "active"


@dataclass(slots=True)
class Event:
    """One valid line: its number in the file, its seq, its kind and all its keys as read."""

    line: int
    seq: int
    kind: str  # issued, revoked, replaced, printed
    fields: dict


@dataclass
class Registry:
    """The events read, the cards they describe, and what the next line must carry."""

    events: list[Event] = field(default_factory=list)
    cards: dict[str, Card] = field(default_factory=dict)
    data: bytes = b""  # the file's bytes as read
    lines: int = 0
    last_hash: str | None = None
    last_seq: int | None = 0  # None after a line whose seq could not be read
    last_serial: int = FIRST_SERIAL - 1

    def revoked(self) -> dict[str, date]:
        """Every card that stopped being valid (revoked or replaced), with the day it did."""
        return {number: card.revoked_on for number, card in self.cards.items() if card.revoked_on is not None}

    def active(self, day: date) -> list[Card]:
        return [card for card in self.cards.values() if card.status(day) == "active"]


def parse_registry(data: bytes) -> tuple[Registry, list[Problem]]:
    """Read every line. A broken line is reported once: the lines after it are checked against the
    bytes recorded, so an edit breaks the chain at one line only. A last line without its newline
    is `registry-truncated`."""
    registry = Registry(data=data)
    problems: list[Problem] = []
    lines = data.split(b"\n")
    tail = lines.pop()  # b"" when the file ends with a newline, as it must
    for number, raw in enumerate(lines, 1):
        problems += _feed(registry, raw, number, last=not tail and number == len(lines))
    if tail:
        problems.append(problem("registry-truncated", _at(len(lines) + 1), line=len(lines) + 1))
    if not any(p.code == "registry-truncated" for p in problems):
        problems += _unissued_replacements(registry)
    return registry, problems


class _Bad(Exception):
    """Why a line is not a valid event, in English and Italian."""

    def __init__(self, en: str, it: str) -> None:
        super().__init__(en)
        self.en, self.it = en, it


def _at(line: int) -> Location:
    return Location(REGISTRY_FILE, line=line)


def _malformed(line: int, bad: _Bad) -> Problem:
    return problem("registry-malformed", _at(line), line=line, reason=bad.en, reason_it=bad.it)


def _feed(registry: Registry, raw: bytes, number: int, *, last: bool = False) -> list[Problem]:
    """Check one line against the line before it and apply its event to `registry`."""
    expected_prev, previous_seq = registry.last_hash, registry.last_seq
    registry.last_hash, registry.lines, registry.last_seq = hashlib.sha256(raw).hexdigest(), number, None
    try:
        fields = _decode(raw)
    except _Bad as bad:
        if last and raw.strip() and not raw.rstrip().endswith(b"}"):  # cut mid-JSON, then a newline added
            return [problem("registry-truncated", _at(number), line=number)]
        return [_malformed(number, bad)]
    problems: list[Problem] = []
    chained = fields.get("prev") == expected_prev
    if not chained and number > 1:
        problems.append(problem("registry-chain-broken", _at(number), line=number, previous=number - 1))
    try:
        kind = _check_shape(fields)
        registry.last_seq = fields["seq"]
        if number == 1 and not chained:
            raise _Bad('the first line has a "prev" hash: the lines before it were deleted',
                       'la prima riga ha un hash "prev": le righe prima sono state tolte')
        _check_seq(fields["seq"], previous_seq if chained else None, number)
        _APPLY[kind](registry, fields, number)
    except _Bad as bad:
        problems.append(_malformed(number, bad))
        return problems
    registry.events.append(Event(number, fields["seq"], kind, fields))
    return problems


def _decode(raw: bytes) -> dict:
    if not raw.strip():
        raise _Bad("an empty line", "una riga vuota")
    try:
        value = _DECODER.decode(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Bad("not UTF-8 text", "non è testo UTF-8") from None
    except json.JSONDecodeError as exc:
        raise _Bad(f"not JSON ({exc.msg}, column {exc.colno})",
                   f"non è JSON ({exc.msg}, colonna {exc.colno})") from None
    if not isinstance(value, dict):
        raise _Bad("not a JSON object", "non è un oggetto JSON")
    return value


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Bad("a key appears twice", "una chiave compare due volte")
    return found


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicate_keys)  # built once: json.loads(**kw) builds one a call


def _check_seq(seq: int, previous: int | None, number: int) -> None:
    """seq is 1 on the first line and one more than the line before's; not checked right after a
    line whose seq is unknown or where the chain broke (that problem is already reported)."""
    if number == 1 and seq != 1:
        raise _Bad(f"seq is {seq}, the first line's must be 1", f"seq è {seq}, quello della prima riga deve essere 1")
    if number > 1 and previous is not None and seq != previous + 1:
        raise _Bad(f"seq {seq} does not follow seq {previous} of line {number - 1}",
                   f"seq {seq} non segue seq {previous} della riga {number - 1}")


# -- the shape of each event: its keys, in order, and what each holds

def _seq(value: object) -> None:
    if type(value) is not int or value < 1:
        raise _Bad("a whole number from 1", "un numero intero da 1")


def _text(value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise _Bad("a non-empty text", "un testo non vuoto")


def _card(value: object) -> None:
    if not is_card_number(value):
        raise _Bad("a card number (8 digits with a valid check digit)",
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
    raise _Bad("a date YYYY-MM-DD", "una data AAAA-MM-GG")


def _reason(value: object) -> None:
    if value not in REASONS:
        raise _Bad(" or ".join(REASONS), " o ".join(REASONS))


def _cards(value: object) -> None:
    if not isinstance(value, list) or not value or len(set(map(str, value))) != len(value):
        raise _Bad("a non-empty list of distinct card numbers", "una lista non vuota di numeri di tessera distinti")
    for item in value:
        _card(item)


def _hash(value: object) -> None:
    if value is not None and not (isinstance(value, str) and _SHA256.fullmatch(value)):
        raise _Bad("null or a SHA-256 in lowercase hex", "null o uno SHA-256 esadecimale minuscolo")


def _event(value: object) -> None:
    """Checked before the shape is chosen."""


_SHAPES = {
    "issued": {"seq": _seq, "event": _event, "card": _card, "company": _text, "holder": _text, "date": _day,
               "expires": _day, "replaces": _optional_card, "prev": _hash},
    "revoked": {"seq": _seq, "event": _event, "card": _card, "reason": _reason, "date": _day, "prev": _hash},
    "replaced": {"seq": _seq, "event": _event, "card": _card, "by": _card, "date": _day, "prev": _hash},
    "printed": {"seq": _seq, "event": _event, "cards": _cards, "date": _day, "prev": _hash},
}
_KEYS = {kind: tuple(shape) for kind, shape in _SHAPES.items()}
_CHECKS = {kind: tuple(shape.items()) for kind, shape in _SHAPES.items()}


def _check_shape(fields: dict) -> str:
    """The event's kind, once its keys (exactly those of its kind, in order) and values check out."""
    kind = fields.get("event")
    if not isinstance(kind, str) or kind not in _SHAPES:
        raise _Bad(f"unknown event {json.dumps(kind)}", f"evento sconosciuto {json.dumps(kind)}")
    if tuple(fields) != _KEYS[kind]:
        keys = ", ".join(_KEYS[kind])
        raise _Bad(f"an {kind} event has the keys {keys}, in this order",
                   f"un evento {kind} ha le chiavi {keys}, in quest'ordine")
    key = ""
    try:
        for key, check in _CHECKS[kind]:
            check(fields[key])
    except _Bad as bad:
        raise _Bad(f'"{key}" must be {bad.en}', f'"{key}" deve essere {bad.it}') from None
    return kind


# -- what each event does to the cards

def _issued(registry: Registry, fields: dict, line: int) -> None:
    number, replaces = fields["card"], fields["replaces"]
    if number in registry.cards:
        raise _Bad(f"card {number} was already issued on line {registry.cards[number].line}",
                   f"la tessera {number} è già stata emessa alla riga {registry.cards[number].line}")
    issued, expires = date.fromisoformat(fields["date"]), date.fromisoformat(fields["expires"])
    if expires < issued:
        raise _Bad("it expires before it is issued", "scade prima di essere emessa")
    if replaces is not None and getattr(registry.cards.get(replaces), "replaced_by", None) != number:
        raise _Bad(f"it replaces card {replaces}, which was not replaced by {number}",
                   f"sostituisce la tessera {replaces}, che non è stata sostituita dalla {number}")
    registry.cards[number] = Card(number, fields["company"], fields["holder"], issued, expires, line, replaces)
    registry.last_serial = max(registry.last_serial, int(number[:7]))


def _revoked(registry: Registry, fields: dict, line: int) -> None:
    card = _still_valid(registry, fields["card"])
    card.revoked_on, card.reason = date.fromisoformat(fields["date"]), fields["reason"]


def _replaced(registry: Registry, fields: dict, line: int) -> None:
    """A valid card, or one revoked as lost, is replaced once by a new number."""
    card, by = _known(registry, fields["card"]), fields["by"]
    if not (card.revoked_on is None or (card.reason == "lost" and card.replaced_by is None)):
        _still_valid(registry, card.number)
    if by in registry.cards:
        raise _Bad(f"its new card {by} was already issued", f"la nuova tessera {by} era già stata emessa")
    card.revoked_on, card.replaced_by = card.revoked_on or date.fromisoformat(fields["date"]), by


def _printed(registry: Registry, fields: dict, line: int) -> None:
    cards = [_known(registry, number) for number in fields["cards"]]
    for card in cards:
        card.printed = True


def _known(registry: Registry, number: str) -> Card:
    if number not in registry.cards:
        raise _Bad(f"card {number} was never issued", f"la tessera {number} non è mai stata emessa")
    return registry.cards[number]


def _still_valid(registry: Registry, number: str) -> Card:
    card = _known(registry, number)
    if card.revoked_on is not None:
        raise _Bad(f"card {number} was already {card.status(card.revoked_on)}",
                   f"la tessera {number} era già {'sostituita' if card.replaced_by else 'revocata'}")
    return card


_APPLY = {"issued": _issued, "revoked": _revoked, "replaced": _replaced, "printed": _printed}


def _unissued_replacements(registry: Registry) -> list[Problem]:
    """A replaced card's new card is issued later on (the writer issues it on the very next line)."""
    replaced = {e.fields["by"]: e.line for e in registry.events if e.kind == "replaced"}
    return [_malformed(line, _Bad(f"its new card {by} is never issued", f"la nuova tessera {by} non è mai emessa"))
            for by, line in replaced.items() if by not in registry.cards]
