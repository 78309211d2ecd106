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

import binascii
import hmac
import json
import os
import re
import secrets
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from welfarectl.base.problems import Location, Problem, os_reason, problem

from .blocks import line_blocks, whole_lines
from .rowindex import RowIndex

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
    return PREFIX + _pseudonym(bytes.fromhex(key), company, codice_fiscale).hex()


def _pseudonym(key: bytes, company: str, codice_fiscale: str) -> bytes:
    """The 16 bytes of a pseudonym (after `p1-`, in hex)."""
    return hmac.digest(key, f"{company}\n{codice_fiscale}".encode(), "sha256")[:16]


def new_holder(company: str, codice_fiscale: str) -> Holder:
    """A holder record with a fresh random key."""
    key = secrets.token_hex(16)
    return Holder(pseudonym(key, company, codice_fiscale), company, codice_fiscale, key)


class Holders:
    """The holder records, by pseudonym and by (company, codice fiscale).

    Kept in columns, as the registry's cards are (`ledger.py`), for networks of a million holders:
    row r is 16 bytes of pseudonym, 16 of key and 16 of codice fiscale in three byte strings, and
    the company's number in an array; two `RowIndex`es find a row by pseudonym and by person, the
    second made when first asked for (reading the file needs none while its lines come in order,
    and `validate` never asks). About 80 bytes a holder, where a record object with its strings and
    dict entries took 500. Forgetting a holder marks the row: rows are never moved, so their
    numbers stay valid."""

    def __init__(self, records: Iterable[Holder] = (), expected: int = 0) -> None:
        self._pseudonyms = bytearray()
        self._keys = bytearray()
        self._codes = bytearray()
        self._odd_codes: dict[int, str] = {}  # a codice fiscale that is not 16 ASCII characters
        self._companies = array("I")
        self._company_names: list[str] = []
        self._company_numbers: dict[str, int] = {}
        self._forgotten: set[int] = set()
        self._by_pseudonym = RowIndex(self._pseudonym_key, expected)
        self._by_person: RowIndex | None = None  # made by `_people` when first asked for
        self._expected = expected
        for record in records:
            self.add(record)

    def __len__(self) -> int:
        return len(self._companies) - len(self._forgotten)

    def add(self, record: Holder) -> int | None:
        """Store a record; its row, or None (nothing stored) when its pseudonym or its person has
        a record already."""
        if self.find(record.holder) is not None or self.row_of(record.company, record.codice_fiscale) is not None:
            return None
        return self._store(record)

    def _store(self, record: Holder) -> int:
        return self._store_parts(bytes.fromhex(record.holder[len(PREFIX):]), bytes.fromhex(record.key), record.company,
                                 record.codice_fiscale)

    def _store_parts(self, holder: bytes, key: bytes, company: str, codice_fiscale: str) -> int:
        row = len(self._companies)
        self._pseudonyms += holder
        self._keys += key
        code = codice_fiscale.encode("utf-8")
        if len(code) == 16 and codice_fiscale.isascii():
            self._codes += code
        else:
            self._codes += bytes(16)
            self._odd_codes[row] = codice_fiscale
        number = self._company_numbers.get(company)
        if number is None:
            number = self._company_numbers[company] = len(self._company_names)
            self._company_names.append(company)
        self._companies.append(number)
        self._by_pseudonym.add(int.from_bytes(holder[:8], "big"), row)
        if self._by_person is not None:
            self._by_person.add(hash((company, codice_fiscale)), row)
        return row

    def _store_read(self, holder: bytes, key: bytes, company: str, code: bytes) -> bool:
        """`_store_parts` for a line `parse_holder_blocks` read, whose person is new and whose
        codice fiscale is 16 ASCII characters; False (nothing stored) when its pseudonym has a
        record already. One search of the index by pseudonym, to look and to store."""
        row = len(self._companies)
        if self._by_pseudonym.setdefault_in(int.from_bytes(holder[:8], "big"), row, self._pseudonyms, 16, holder,
                                            self._forgotten) != row:
            return False
        self._pseudonyms += holder
        self._keys += key
        self._codes += code
        number = self._company_numbers.get(company)
        if number is None:
            number = self._company_numbers[company] = len(self._company_names)
            self._company_names.append(company)
        self._companies.append(number)
        if self._by_person is not None:
            self._by_person.add(hash((company, code.decode("ascii"))), row)
        return True

    def reserve(self, count: int) -> None:
        """Room in the indexes for `count` records in all (`RowIndex.reserve`)."""
        self._expected = max(self._expected, count)
        self._by_pseudonym.reserve(count)
        if self._by_person is not None:
            self._by_person.reserve(count)

    def indexes_people(self) -> bool:
        """Whether the index by person is made (a record added by `add` makes it)."""
        return self._by_person is not None

    def _people(self) -> RowIndex:
        """The index by person, made from the rows the first time it is asked for."""
        if self._by_person is None:
            index = RowIndex(self._person_key, max(self._expected, len(self._companies)))
            for row in range(len(self._companies)):
                index.add(self._person_key(row), row)
            self._by_person = index
        return self._by_person

    def find(self, holder: str) -> int | None:
        """The row of a pseudonym's record; None for a pseudonym without one (forgotten) or a text
        that is no pseudonym (a codice fiscale, in a line from before pseudonyms)."""
        if not is_pseudonym(holder):
            return None
        return self.row_by_pseudonym(bytes.fromhex(holder[len(PREFIX):]))

    def row_by_pseudonym(self, holder: bytes) -> int | None:
        """`find` for the 16 bytes of a pseudonym (after `p1-`)."""
        return self._by_pseudonym.find_in(int.from_bytes(holder[:8], "big"), self._pseudonyms, 16, holder, self._forgotten)

    def row_of(self, company: str, codice_fiscale: str) -> int | None:
        """The row of the record of a person of a company, if they have one."""
        return self._people().find(hash((company, codice_fiscale)),
                                    lambda row: row not in self._forgotten and self.codice_fiscale(row) == codice_fiscale
                                    and self.company(row) == company)

    def pseudonym(self, row: int) -> str:
        return PREFIX + self._pseudonyms[16 * row:16 * row + 16].hex()

    def company(self, row: int) -> str:
        return self._company_names[self._companies[row]]

    def codice_fiscale(self, row: int) -> str:
        odd = self._odd_codes.get(row) if self._odd_codes else None
        return odd if odd is not None else self._codes[16 * row:16 * row + 16].decode("ascii")

    def record(self, row: int) -> Holder:
        return Holder(self.pseudonym(row), self.company(row), self.codice_fiscale(row),
                      self._keys[16 * row:16 * row + 16].hex())

    def add_new(self, company: str, codice_fiscale: str) -> int:
        """A new record, with a fresh random key, for a person who has none; its row."""
        key = secrets.token_bytes(16)
        return self._store_parts(_pseudonym(key, company, codice_fiscale), key, company, codice_fiscale)

    def pseudonym_of(self, company: str, codice_fiscale: str) -> str:
        """The holder's pseudonym, a new record (and key) made for a holder seen first."""
        row = self.row_of(company, codice_fiscale)
        if row is None:
            record = new_holder(company, codice_fiscale)
            self._store(record)  # not `add`: the person has no record, and a random key's pseudonym is new
            return record.holder
        return self.pseudonym(row)

    def forget(self, company: str, codice_fiscale: str) -> Holder | None:
        row = self.row_of(company, codice_fiscale)
        if row is None:
            return None
        self._forgotten.add(row)
        return self.record(row)

    def companies_of(self, codice_fiscale: str) -> set[str]:
        """The companies in whose records the person is (one pass over the records)."""
        code = codice_fiscale.encode("utf-8")
        codes = self._codes
        found = {self.company(row) for row in range(len(self._companies))
                 if codes[16 * row:16 * row + 16] == code and row not in self._forgotten}
        return found | {self.company(row) for row, odd in self._odd_codes.items()
                        if odd == codice_fiscale and row not in self._forgotten}

    def person(self, holder: str) -> str:
        """The codice fiscale a registry line's holder names: through its record for a pseudonym
        (the pseudonym itself once forgotten), as written for a line from before pseudonyms."""
        row = self.find(holder)
        return self.codice_fiscale(row) if row is not None else holder

    def render(self) -> bytes:
        return b"".join(self.render_lines())

    def render_lines(self) -> Iterator[bytes]:
        """The file's lines, sorted by company and codice fiscale; sorted a company at a time, so
        that a million records need no million sort keys at once."""
        rows_of: dict[int, array] = {}
        for row, number in enumerate(self._companies):
            if row not in self._forgotten:
                rows_of.setdefault(number, array("I")).append(row)
        codes, pseudonyms, keys, odd = self._codes, self._pseudonyms, self._keys, self._odd_codes
        by_code = self.codice_fiscale if odd else lambda row: codes[16 * row:16 * row + 16]  # ASCII: the same order
        for number in sorted(rows_of, key=self._company_names.__getitem__):
            company = json.dumps(self._company_names[number], ensure_ascii=False)
            for row in sorted(rows_of.pop(number), key=by_code):
                code = codes[16 * row:16 * row + 16]
                if row in odd or not code.isalnum():
                    yield self.record(row).line() + b"\n"
                    continue
                # Holder.line's bytes, the texts with nothing to escape written as they are (tested)
                yield (f'{{"holder":"{PREFIX}{pseudonyms[16 * row:16 * row + 16].hex()}","company":{company},'
                       f'"codice_fiscale":"{code.decode("ascii")}","key":"{keys[16 * row:16 * row + 16].hex()}"}}\n'
                       ).encode()

    def copy(self) -> Holders:
        twin = Holders()
        twin._pseudonyms, twin._keys, twin._codes = bytearray(self._pseudonyms), bytearray(self._keys), bytearray(self._codes)
        twin._odd_codes, twin._companies = dict(self._odd_codes), array("I", self._companies)
        twin._company_names, twin._company_numbers = list(self._company_names), dict(self._company_numbers)
        twin._forgotten = set(self._forgotten)
        twin._by_pseudonym = self._by_pseudonym.copy(twin._pseudonym_key)
        twin._by_person = None if self._by_person is None else self._by_person.copy(twin._person_key)
        twin._expected = self._expected
        return twin

    def _pseudonym_key(self, row: int) -> int:
        return int.from_bytes(self._pseudonyms[16 * row:16 * row + 8], "big")

    def _person_key(self, row: int) -> int:
        return hash((self.company(row), self.codice_fiscale(row)))


def read_holders(network_dir: Path) -> tuple[Holders, list[Problem]]:
    """The holder records; no file is none. A line that breaks a rule is reported and left out.
    Read a block of lines at a time (`parse_holder_blocks`): the file may hold a million records."""
    try:
        with open(network_dir / HOLDERS_FILE, "rb") as handle:
            return parse_holder_blocks(line_blocks(handle), expected=os.fstat(handle.fileno()).st_size // 150)
    except FileNotFoundError:
        return Holders(), []
    except OSError as exc:
        return Holders(), [problem("file-unreadable", Location(HOLDERS_FILE), **os_reason(exc))]


def parse_holders(lines: Iterable[bytes], expected: int = 0) -> tuple[Holders, list[Problem]]:
    """The records of the file's lines (bytes, each with or without its line ending); `expected`,
    about how many there are, sizes the indexes once."""
    found = Holders(expected=expected)
    problems: list[Problem] = []
    for number, raw in enumerate(lines, 1):
        _add_line(found, raw, number, problems)
    return found, problems


def parse_holder_blocks(blocks: Iterable[tuple[bytes, bool]], expected: int = 0) -> tuple[Holders, list[Problem]]:
    """`parse_holders` for the file's bytes in blocks of whole lines (`blocks.line_blocks`): the
    lines in `Holder.line`'s layout are matched a block at a time and checked in one loop (the same
    rules: the key gives the pseudonym, each pseudonym and person once); any other line, or one
    that breaks a rule, goes through `parse_holders`' own steps and messages. The file is written
    sorted by company and codice fiscale: while its people come in that order, none can be one
    seen before, and none is looked up (the index by person is made once one is out of order)."""
    found = Holders(expected=expected)
    problems: list[Problem] = []
    number = 0
    companies: dict[bytes, str | None] = {}  # a few thousand companies for a million lines
    last: tuple[str, str] = ("", "")  # the person of the last record stored here
    indexed = False  # whether the index by person is made (by a line read the long way, or one out of order)
    digest, fromhex, row_of, store = hmac.digest, binascii.a2b_hex, found.row_of, found._store_read
    for block, _last in blocks:
        at = 0
        for plain in _PLAIN_LINES.finditer(block):
            if plain.start() != at:
                for raw in whole_lines(block[at:plain.start()]):
                    number += 1
                    _add_line(found, raw, number, problems)
                indexed = found.indexes_people()
            at = plain.end()
            number += 1
            line, hexed, company_raw, code_raw, key_hexed = plain.groups()
            company = companies.get(company_raw, "")
            if company == "":
                company = companies[company_raw] = _utf8(company_raw)
            holder, key = fromhex(hexed), fromhex(key_hexed)
            if (company is None or len(code_raw) != 16 or not code_raw.isascii()
                    or digest(key, company_raw + b"\n" + code_raw, "sha256")[:16] != holder):
                _add_line(found, line, number, problems)  # says what is wrong, or reads it the long way
                indexed = found.indexes_people()
                continue
            person = (company, code_raw.decode("ascii"))
            if indexed or person <= last:  # out of order: asked of the index, which row_of makes and keeps
                indexed = True
                if row_of(*person) is not None:
                    problems.append(_twice(number))
                    continue
            if not store(holder, key, company, code_raw):
                problems.append(_twice(number))
                continue
            last = person
        for raw in whole_lines(block[at:]):
            number += 1
            _add_line(found, raw, number, problems)
    return found, problems


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _add_line(found: Holders, raw: bytes, number: int, problems: list[Problem]) -> None:
    """One line of the file (with or without its line ending) checked, and its record added."""
    if not raw.strip():
        return
    try:
        record = _decode(raw.rstrip(b"\r\n"))
    except ValueError as bad:
        en, it = bad.args
        problems.append(problem("holder-record-invalid", Location(HOLDERS_FILE, line=number), line=number,
                                reason=en, reason_it=it))
        return
    if found.add(record) is None:
        problems.append(_twice(number))


def _twice(number: int) -> Problem:
    return problem("holder-record-invalid", Location(HOLDERS_FILE, line=number), line=number,
                   reason="the holder is recorded twice", reason_it="il titolare è registrato due volte")


# A line as `Holder.line` writes it: the four keys in order, texts without escapes or control
# characters, pseudonym and key in their forms. Such a line decodes to these texts exactly, as
# json.loads would decode it; any other line goes through json.loads and the checks of its form.
_PLAIN_LINE = re.compile(rb'\{"holder":"(p1-[0-9a-f]{32})","company":"([^"\\\x00-\x1f]+)",'
                         rb'"codice_fiscale":"([^"\\\x00-\x1f]+)","key":"([0-9a-f]{32})"\}')
# The same, a whole line at a time in a block (`parse_holder_blocks`): the line, the pseudonym's
# hex digits after `p1-`, company, codice fiscale, key.
_PLAIN_LINES = re.compile(rb'^(\{"holder":"p1-([0-9a-f]{32})","company":"([^"\\\x00-\x1f]+)",'
                          rb'"codice_fiscale":"([^"\\\x00-\x1f]+)","key":"([0-9a-f]{32})"\})\r?\n', re.MULTILINE)


def _decode(raw: bytes) -> Holder:
    plain = _PLAIN_LINE.fullmatch(raw)
    if plain is not None:
        try:
            record = Holder(*(part.decode("utf-8") for part in plain.groups()))
        except UnicodeDecodeError:
            pass
        else:
            return _checked(record)
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
    return _checked(record)


def _checked(record: Holder) -> Holder:
    """The record, if its key gives its pseudonym."""
    if pseudonym(record.key, record.company, record.codice_fiscale) != record.holder:
        raise ValueError("the key does not give the pseudonym: the line was edited",
                         "la chiave non dà lo pseudonimo: la riga è stata modificata")
    return record
