"""Who holds the cards: `members/holders.jsonl`, the only place that ties the registry's holder
pseudonyms to people, so that a person can be forgotten without touching the hash chain.

An `issued` line of the registry names its holder by a pseudonym, `p1-` and 32 hex digits: the
HMAC-SHA256, under a random key of that holder's own, of `<company>\\n<codice fiscale>`. This file
keeps, one JSON object a line sorted by company and codice fiscale, each holder's pseudonym,
company, codice fiscale and key:

    {"holder":"p1-…","company":"acme","codice_fiscale":"RSSMRA80A01F257X","key":"<32 hex>"}

Its rules are checked on every load (`holderfile.py`, which reads it).

Forgetting a person deletes their line: their key goes with it, and their pseudonym, in the
registry for good, is then a random number tied to nobody (a key per person, not one secret for
the network, so that nothing left anywhere, git history included, can link it back). Card numbers,
revocations and the chain stay as they were.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .rowindex import RowIndex

HOLDERS_FILE = "members/holders.jsonl"
PREFIX = "p1-"
_PSEUDONYM = re.compile(r"p1-[0-9a-f]{32}")


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

    def rows(self) -> int:
        """How many rows the table has, those of records forgotten included."""
        return len(self._companies)

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

    def store_read(self, holder: bytes, key: bytes, company: str, code: bytes) -> bool:
        """`_store_parts` for a line `holderfile.parse_holder_blocks` read, whose person is new and whose
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

    def state(self) -> tuple:
        """The records as values `marshal` takes (the columns themselves, not copied: dumped at
        once), for `registrycache.py` to keep; the index by person is left out (it hashes texts,
        which differ from one process to the next)."""
        return (self._pseudonyms, self._keys, self._codes, self._odd_codes, self._companies, self._company_names,
                sorted(self._forgotten), *self._by_pseudonym.state())

    @classmethod
    def restored(cls, state: tuple) -> Holders:
        """The records whose `state` this was; ValueError (or TypeError) for anything else."""
        pseudonyms, keys, codes, odd_codes, companies, company_names, forgotten, *by_pseudonym = state
        found = cls()
        found._pseudonyms, found._keys, found._codes = bytearray(pseudonyms), bytearray(keys), bytearray(codes)
        found._odd_codes, found._companies = dict(odd_codes), array("I", companies)
        found._company_names = list(company_names)
        found._company_numbers = {name: number for number, name in enumerate(found._company_names)}
        found._forgotten = set(forgotten)
        found._by_pseudonym = RowIndex.restored(tuple(by_pseudonym), found._pseudonym_key)
        rows = found._expected = len(found._companies)
        if not len(found._pseudonyms) == len(found._keys) == len(found._codes) == 16 * rows \
                or len(found._company_names) != len(found._company_numbers) \
                or any(number >= len(company_names) for number in set(found._companies)):
            raise ValueError("not the state of holder records")
        return found

    def _pseudonym_key(self, row: int) -> int:
        return int.from_bytes(self._pseudonyms[16 * row:16 * row + 8], "big")

    def _person_key(self, row: int) -> int:
        return hash((self.company(row), self.codice_fiscale(row)))
