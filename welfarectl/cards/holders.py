"""Who holds the cards: `members/holders.jsonl`, the only place that ties the registry's holder
pseudonyms to people, so that a person can be forgotten without touching the hash chain.

An `issued` line of the registry names its holder by a pseudonym, `p1-` and 32 hex digits: the
HMAC-SHA256, under a random key of that holder's own, of `<company>\\n<codice fiscale>`. This file
keeps, one JSON object a line sorted by company and codice fiscale, each holder's pseudonym,
company, codice fiscale and key:

    {"holder":"p1-…","company":"acme","codice_fiscale":"RSSMRA80A01F257X","key":"<32 hex>"}

Rules, checked on every load (`holder-record-invalid` at the line): each line has those keys;
the key gives the pseudonym from the company and codice fiscale (so an edit that hands a card to
someone else is caught: no one can find a key for another person's pseudonym); a pseudonym and a
(company, codice fiscale) appear once.

Forgetting a person deletes their line: their key goes with it, and their pseudonym, in the
registry for good, is then a random number tied to nobody (a key per person, not one secret for
the network, so that nothing left anywhere, git history included, can link it back). Card numbers,
revocations and the chain stay as they were.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from welfarectl.base.problems import Location, Problem, os_reason, problem

HOLDERS_FILE = "members/holders.jsonl"
PREFIX = "p1-"
_PSEUDONYM = re.compile(r"p1-[0-9a-f]{32}")
_KEY = re.compile(r"[0-9a-f]{32}")
_KEYS = ("holder", "company", "codice_fiscale", "key")


@dataclass(frozen=True, slots=True)
class Holder:
    holder: str  # the pseudonym the registry's lines carry
    company: str
    codice_fiscale: str
    key: str  # hex

    def line(self) -> bytes:
        return json.dumps({"holder": self.holder, "company": self.company, "codice_fiscale": self.codice_fiscale,
                           "key": self.key}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def is_pseudonym(text: str) -> bool:
    return bool(_PSEUDONYM.fullmatch(text))


def pseudonym(key: str, company: str, codice_fiscale: str) -> str:
    digest = hmac.new(bytes.fromhex(key), f"{company}\n{codice_fiscale}".encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:32]


def new_holder(company: str, codice_fiscale: str) -> Holder:
    """A holder record with a fresh random key."""
    key = secrets.token_hex(16)
    return Holder(pseudonym(key, company, codice_fiscale), company, codice_fiscale, key)


@dataclass
class Holders:
    """The holder records, by pseudonym and by (company, codice fiscale)."""

    by_pseudonym: dict[str, Holder]

    def __post_init__(self) -> None:
        self.by_person = {(h.company, h.codice_fiscale): h for h in self.by_pseudonym.values()}

    def pseudonym_of(self, company: str, codice_fiscale: str) -> str:
        """The holder's pseudonym, a new record (and key) made for a holder seen first."""
        found = self.by_person.get((company, codice_fiscale))
        if found is None:
            found = new_holder(company, codice_fiscale)
            self.by_pseudonym[found.holder] = found
            self.by_person[(company, codice_fiscale)] = found
        return found.holder

    def forget(self, company: str, codice_fiscale: str) -> Holder | None:
        found = self.by_person.pop((company, codice_fiscale), None)
        if found is not None:
            del self.by_pseudonym[found.holder]
        return found

    def person(self, holder: str) -> str:
        """The codice fiscale a registry line's holder names: through its record for a pseudonym
        (the pseudonym itself once forgotten), as written for a line from before pseudonyms."""
        found = self.by_pseudonym.get(holder)
        return found.codice_fiscale if found is not None else holder

    def render(self) -> bytes:
        records = sorted(self.by_pseudonym.values(), key=lambda h: (h.company, h.codice_fiscale))
        return b"".join(record.line() + b"\n" for record in records)

    def copy(self) -> Holders:
        return Holders(dict(self.by_pseudonym))


def read_holders(network_dir: Path) -> tuple[Holders, list[Problem]]:
    """The holder records; no file is none. A line that breaks a rule is reported and left out."""
    try:
        data = (network_dir / HOLDERS_FILE).read_bytes()
    except FileNotFoundError:
        return Holders({}), []
    except OSError as exc:
        return Holders({}), [problem("file-unreadable", Location(HOLDERS_FILE), **os_reason(exc))]
    return parse_holders(data)


def parse_holders(data: bytes) -> tuple[Holders, list[Problem]]:
    found: dict[str, Holder] = {}
    people: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for number, raw in enumerate(data.replace(b"\r\n", b"\n").split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            record = _decode(raw)
        except ValueError as bad:
            en, it = bad.args
            problems.append(problem("holder-record-invalid", Location(HOLDERS_FILE, line=number), line=number,
                                    reason=en, reason_it=it))
            continue
        if record.holder in found or (record.company, record.codice_fiscale) in people:
            problems.append(problem("holder-record-invalid", Location(HOLDERS_FILE, line=number), line=number,
                                    reason="the holder is recorded twice", reason_it="il titolare è registrato due volte"))
            continue
        found[record.holder] = record
        people.add((record.company, record.codice_fiscale))
    return Holders(found), problems


def _decode(raw: bytes) -> Holder:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("not a JSON object", "non è un oggetto JSON") from None
    if not isinstance(value, dict) or tuple(value) != _KEYS or not all(isinstance(v, str) and v for v in value.values()):
        raise ValueError(f"not a holder record: the keys {', '.join(_KEYS)}, each a text",
                         f"non è un record di titolare: le chiavi {', '.join(_KEYS)}, ciascuna un testo")
    record = Holder(**value)
    if not is_pseudonym(record.holder) or not _KEY.fullmatch(record.key):
        raise ValueError("the pseudonym or the key is not in its form", "lo pseudonimo o la chiave non è nella sua forma")
    if pseudonym(record.key, record.company, record.codice_fiscale) != record.holder:
        raise ValueError("the key does not give the pseudonym: the line was edited",
                         "la chiave non dà lo pseudonimo: la riga è stata modificata")
    return record
