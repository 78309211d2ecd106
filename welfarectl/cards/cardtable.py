"""The cards the registry's lines describe, kept in columns so that a million of them fit in tens of
megabytes: a row a card, in the order issued, each column an `array` or a byte string.

What a row keeps is what the checks and the card commands ask: the number, the company, the
holder, the days of issue, expiry and end (revoked or replaced), the reason, whether it was
printed, the line of its issued event, and which card it replaces or was replaced by. A `Card`
is made from a row when asked for, a value that later lines do not change. The registry's rules
(which events may follow which) are `ledger.py`'s; this module only stores and answers.
"""

from __future__ import annotations

import copy
from array import array
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence, ValuesView
from dataclasses import dataclass
from datetime import date

from .holders import Holders, is_pseudonym
from .number import FIRST_SERIAL

REASONS = ("lost", "left", "withdrawn")  # stored as 1, 2, 3; 0 is no reason


@dataclass(slots=True)
class Card:
    """One card as the registry tells it. `line` is the line of its issued event."""

    number: str
    company: str
    holder: str  # codice fiscale (the pseudonym written, once the person is forgotten)
    issued: date
    expires: date
    line: int
    replaces: str | None = None
    revoked_on: date | None = None  # the day it stopped being valid: revoked or replaced
    reason: str | None = None
    replaced_by: str | None = None
    printed: bool = False
    pseudonym: str | None = None  # how the registry's line names the holder; None: by codice fiscale

    def status(self, day: date) -> str:
        """'replaced', 'revoked', 'expired' (expires before `day`) or 'active'."""
        if self.replaced_by is not None:
            return "replaced"
        if self.revoked_on is not None:
            return "revoked"
        return "expired" if self.expires < day else "active"


class CardTable(Mapping[str, Card]):
    """The cards by number (a read-only mapping of `Card` values), stored a row a card. Holders are
    rows of the registry's `Holders` where the line names one by a pseudonym with a record, and
    otherwise the text written (a codice fiscale before pseudonyms, a forgotten pseudonym)."""

    def __init__(self, holders: Holders, expected: int = 0) -> None:
        # `expected` (about how many cards) is taken as other tables take it; this one needs no sizing
        self.holders = holders
        self._numbers = array("i")  # the 8 digits as a number
        self._companies = array("I")
        self._company_names: list[str] = []
        self._company_numbers: dict[str, int] = {}
        self._holders = array("i")  # >= 0: a row of `holders`; < 0: -1 - an index in `_written`
        self._written: list[str] = []
        self._written_numbers: dict[str, int] = {}
        self._issued = array("i")  # days as ordinals
        self._expires = array("i")
        self._ended = array("i")  # 0 while valid
        self._lines = array("i")
        self._reasons = bytearray()
        self._printed = bytearray()
        self._replaces: dict[int, str] = {}  # few cards replace or are replaced: kept aside
        self._replaced_by: dict[int, str] = {}
        # Rows by serial (the number without its check digit, which the serial decides): serials are
        # handed out in order, so an array indexed by serial less the first (-1 where none) finds a
        # card in one step, in 4 bytes a card; the few far from the others (a registry edited by
        # hand) are kept aside, so that the array stays within twice the cards.
        self._by_serial = array("i")
        self._odd_serials: dict[int, int] = {}

    # --- storing

    def add(self, number: str, company: str, holder: str, issued: date, expires: date, line: int,
            replaces: str | None) -> int:
        """A card issued (its number not in the table yet); its row."""
        row = len(self._numbers)
        self._numbers.append(int(number))
        self._companies.append(self._company_number(company))
        self._holders.append(self._holder_ref(holder))
        self._issued.append(issued.toordinal())
        self._expires.append(expires.toordinal())
        self._ended.append(0)
        self._lines.append(line)
        self._reasons.append(0)
        self._printed.append(0)
        if replaces is not None:
            self._replaces[row] = replaces
        self._index(int(number) // 10, row)
        return row

    def add_plain(self, number: int, company: str, holder: int, issued: int, expires: int, line: int) -> bool:
        """`add` for a card whose values are read or made already (`ledgerblocks.py`, `cards issue`):
        the number as an int, the holder as a row of `holders`, the days as ordinals, no card
        replaced; False, and nothing stored, when the number is in the table already."""
        at = number // 10 - FIRST_SERIAL
        known = 0 <= at < len(self._by_serial) or number // 10 in self._odd_serials  # not the next serial
        if known and self._row_of(number) is not None:
            return False
        row = len(self._numbers)
        self._numbers.append(number)
        company_number = self._company_numbers.get(company)
        self._companies.append(self._company_number(company) if company_number is None else company_number)
        self._holders.append(holder)
        self._issued.append(issued)
        self._expires.append(expires)
        self._ended.append(0)
        self._lines.append(line)
        self._reasons.append(0)
        self._printed.append(0)
        if number // 10 - FIRST_SERIAL == len(self._by_serial):  # the next serial: the common case
            self._by_serial.append(row)
        else:
            self._index(number // 10, row)
        return True

    def end(self, row: int, day: date, reason: str | None = None, replaced_by: str | None = None) -> None:
        """The card stops being valid on `day` (a card revoked as lost keeps that day when replaced)."""
        if not self._ended[row]:
            self._ended[row] = day.toordinal()
        if reason is not None:
            self._reasons[row] = REASONS.index(reason) + 1
        if replaced_by is not None:
            self._replaced_by[row] = replaced_by

    def mark_printed(self, row: int) -> None:
        self._printed[row] = 1

    def _company_number(self, company: str) -> int:
        number = self._company_numbers.setdefault(company, len(self._company_names))
        if number == len(self._company_names):
            self._company_names.append(company)
        return number

    def _holder_ref(self, written: str) -> int:
        row = self.holders.find(written)
        if row is not None:
            return row
        index = self._written_numbers.setdefault(written, len(self._written))
        if index == len(self._written):
            self._written.append(written)
        return -1 - index

    # --- answering

    def row(self, number: str) -> int | None:
        """The row of the card with `number`, or None."""
        if not (isinstance(number, str) and len(number) == 8 and number.isascii() and number.isdigit()):
            return None
        return self._row_of(int(number))

    def _row_of(self, wanted: int) -> int | None:
        at = wanted // 10 - FIRST_SERIAL
        if 0 <= at < len(self._by_serial):
            row = self._by_serial[at]
        else:
            row = self._odd_serials.get(wanted // 10, -1)
        return row if row >= 0 and self._numbers[row] == wanted else None

    def _index(self, serial: int, row: int) -> None:
        at, dense = serial - FIRST_SERIAL, self._by_serial
        if 0 <= at < 2 * len(self._numbers) + 65536:
            if at >= len(dense):
                dense.extend(array("i", [-1]) * (at + 1 - len(dense)))
            dense[at] = row
        else:
            self._odd_serials[serial] = row

    def card(self, row: int) -> Card:
        ref, ended, reason = self._holders[row], self._ended[row], self._reasons[row]
        if ref >= 0:
            holder, pseudonym = self.holders.codice_fiscale(ref), self.holders.pseudonym(ref)
        else:
            holder = self._written[-1 - ref]
            pseudonym = holder if is_pseudonym(holder) else None
        return Card(f"{self._numbers[row]:08d}", self._company_names[self._companies[row]], holder,
                    date.fromordinal(self._issued[row]), date.fromordinal(self._expires[row]), self._lines[row],
                    self._replaces.get(row), date.fromordinal(ended) if ended else None,
                    REASONS[reason - 1] if reason else None, self._replaced_by.get(row), bool(self._printed[row]),
                    pseudonym)

    def line(self, row: int) -> int:
        return self._lines[row]

    def ended(self, row: int) -> date | None:
        return date.fromordinal(self._ended[row]) if self._ended[row] else None

    def reason(self, row: int) -> str | None:
        return REASONS[self._reasons[row] - 1] if self._reasons[row] else None

    def replaced_by(self, row: int) -> str | None:
        return self._replaced_by.get(row)

    def active_rows(self, day: date) -> Iterator[int]:
        """The rows of the cards valid on `day`: neither ended nor expired before it."""
        today, ended, expires = day.toordinal(), self._ended, self._expires
        return (row for row in range(len(self._numbers)) if not ended[row] and expires[row] >= today)

    def each_active(self, day: date) -> Iterator[Card]:
        return map(self.card, self.active_rows(day))

    def active_by_company(self, day: date) -> dict[str, array]:
        """The rows of the cards valid on `day`, by company (in the order issued)."""
        found: dict[int, array] = {}
        companies = self._companies
        for row in self.active_rows(day):
            rows = found.get(companies[row])
            if rows is None:
                rows = found[companies[row]] = array("i")
            rows.append(row)
        return {self._company_names[number]: rows for number, rows in found.items()}

    def tally(self, day: date) -> Counter:
        """How many cards each company has, as (company, what): 'issued', each status on `day` that
        `Card.status` gives ('active', 'expired', 'revoked', 'replaced'), and 'printed'."""
        today, replaced = day.toordinal(), self._replaced_by
        counts: Counter = Counter()
        for row, (company, ended, expires, printed) in enumerate(zip(self._companies, self._ended, self._expires,
                                                                    self._printed, strict=True)):
            status = ("replaced" if row in replaced else "revoked" if ended
                      else "expired" if expires < today else "active")
            counts[company, status] += 1
            if printed:
                counts[company, "printed"] += 1
        tally: Counter = Counter()
        for (company, what), count in counts.items():
            tally[self._company_names[company], what] += count
            if what != "printed":
                tally[self._company_names[company], "issued"] += count
        return tally

    def holder(self, row: int) -> str:
        """The card's holder, as `Card.holder` gives it, without making the Card."""
        ref = self._holders[row]
        return self.holders.codice_fiscale(ref) if ref >= 0 else self._written[-1 - ref]

    def number(self, row: int) -> str:
        return f"{self._numbers[row]:08d}"

    def company(self, row: int) -> str:
        return self._company_names[self._companies[row]]

    def expires(self, row: int) -> date:
        return date.fromordinal(self._expires[row])

    def printed(self, row: int) -> bool:
        return bool(self._printed[row])

    def revoked(self) -> dict[str, date]:
        """Every card that stopped being valid (revoked or replaced), with the day it did."""
        return {f"{self._numbers[row]:08d}": date.fromordinal(day) for row, day in enumerate(self._ended) if day}

    def withdrawn_holders(self) -> set[tuple[str, str]]:
        """(company, codice fiscale) of everyone whose card was withdrawn."""
        withdrawn = REASONS.index("withdrawn") + 1
        rows = (row for row, reason in enumerate(self._reasons) if reason == withdrawn)
        return {(card.company, card.holder) for card in map(self.card, rows)}

    def covered(self, day: date) -> Covered:
        """The holders with a card valid on `day` or withdrawn (`cards issue` gives them none)."""
        covered = Covered(self.holders)
        withdrawn = REASONS.index("withdrawn") + 1
        today, ended, expires, reasons = day.toordinal(), self._ended, self._expires, self._reasons
        for row in range(len(self._numbers)):
            if (not ended[row] and expires[row] >= today) or reasons[row] == withdrawn:
                ref, company = self._holders[row], self._company_names[self._companies[row]]
                if ref >= 0 and self.holders.company(ref) == company:
                    covered.mark(ref)
                else:
                    covered.add((company, self.holders.codice_fiscale(ref) if ref >= 0 else self._written[-1 - ref]))
        return covered

    # --- the mapping

    def __getitem__(self, number: str) -> Card:
        row = self.row(number)
        if row is None:
            raise KeyError(number)
        return self.card(row)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and self.row(number) is not None

    def __iter__(self) -> Iterator[str]:
        return (f"{number:08d}" for number in self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)

    def values(self) -> ValuesView[Card]:
        return _Values(self)

    def rows(self, start: int, stop: int | None = None) -> CardRows:
        """The cards of rows `start` to `stop` (the end), in the order issued."""
        return CardRows(self, start, len(self._numbers) if stop is None else stop)

    def plain_holders(self) -> bool:
        """Whether a line names its holder by codice fiscale (written before pseudonyms)."""
        return not all(map(is_pseudonym, self._written))

    def each(self) -> Iterator[Card]:
        """Every card, in the order issued: one row after another, with no lookup."""
        return map(self.card, range(len(self._numbers)))

    def copy(self, holders: Holders) -> CardTable:
        """The same cards, in columns of their own, with `holders` (a copy of this table's)."""
        twin = CardTable(holders)
        for name, value in vars(self).items():
            if name != "holders":
                setattr(twin, name, copy.copy(value))
        return twin


    def state(self) -> tuple:
        """The cards as values `marshal` takes (the columns themselves, not copied: dumped at
        once), for `registrycache.py` to keep."""
        return (self._numbers, self._companies, self._company_names, self._holders, self._written, self._issued,
                self._expires, self._ended, self._lines, self._reasons, self._printed, self._replaces,
                self._replaced_by, self._by_serial, self._odd_serials)

    @classmethod
    def restored(cls, holders: Holders, state: tuple) -> CardTable:
        """The cards whose `state` this was, with `holders` (restored from the same registry's);
        ValueError (or TypeError) for anything else."""
        table = cls(holders)
        (numbers, companies, company_names, holder_refs, written, issued, expires, ended, lines, reasons, printed,
         replaces, replaced_by, by_serial, odd_serials) = state
        table._numbers, table._companies, table._holders = array("i", numbers), array("I", companies), array("i", holder_refs)
        table._issued, table._expires, table._ended = array("i", issued), array("i", expires), array("i", ended)
        table._lines, table._reasons, table._printed = array("i", lines), bytearray(reasons), bytearray(printed)
        table._company_names, table._written = list(company_names), list(written)
        table._company_numbers = {name: number for number, name in enumerate(table._company_names)}
        table._written_numbers = {text: index for index, text in enumerate(table._written)}
        table._replaces, table._replaced_by = dict(replaces), dict(replaced_by)
        table._by_serial, table._odd_serials = array("i", by_serial), dict(odd_serials)
        rows = len(table._numbers)
        columns = (table._companies, table._holders, table._issued, table._expires, table._ended, table._lines,
                   table._reasons, table._printed)
        if any(len(column) != rows for column in columns) or len(table._company_numbers) != len(company_names) \
                or (rows and max(table._companies) >= len(company_names)) \
                or (rows and not -len(table._written) <= min(table._holders) <= max(table._holders) < holders.rows()):
            raise ValueError("not the state of a card table")
        return table


class _Values(ValuesView):
    def __iter__(self) -> Iterator[Card]:
        return self._mapping.each()


class Covered:
    """People, as (company, codice fiscale), marked by holder row (a byte a holder) when they have
    a record, else kept as pairs (lines from before pseudonyms)."""

    def __init__(self, holders: Holders) -> None:
        self.holders = holders
        self._marks = bytearray()
        self._pairs: set[tuple[str, str]] = set()

    def mark(self, row: int) -> None:
        if row >= len(self._marks):
            self._marks.extend(bytes(row + 1 - len(self._marks)))
        self._marks[row] = 1

    def add(self, person: tuple[str, str]) -> None:
        row = self.holders.row_of(*person)
        if row is None:
            self._pairs.add(person)
        else:
            self.mark(row)

    def __contains__(self, person: tuple[str, str]) -> bool:
        return self.holds(person, self.holders.row_of(*person))

    def holds(self, person: tuple[str, str], row: int | None) -> bool:
        """`person in self`, their holder record's row (None: they have none) known already."""
        if self._pairs and person in self._pairs:
            return True
        return row is not None and row < len(self._marks) and bool(self._marks[row])


class CardRows(Sequence[Card]):
    """The cards of rows `start` to `stop` of a table (those one run issued), made when read."""

    def __init__(self, table: CardTable, start: int, stop: int) -> None:
        self._table, self._rows = table, range(start, stop)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):  # an int, or a slice as lists take it
        if isinstance(index, slice):
            return [self._table.card(row) for row in self._rows[index]]
        return self._table.card(self._rows[index])
