"""An index of table rows by an integer key, in two arrays: what the registry and the holder records
look rows up by (a card number, a pseudonym, a company and codice fiscale) at a million rows.

A dict of a million entries takes about 100 bytes an entry, and its keys as many again; this
index takes 10 to 20 bytes a row. It is a hash table with open addressing: slots of row numbers
(-1 for empty), at least twice as many as rows, a key's search starting at the key modulo the
size and going on to the next slot until an empty one; beside each slot a byte of its key (a
tag), so that rows under other keys are passed over without asking the table. Keys need not be
unique nor well spread (card numbers come in order, which lands them in consecutive slots): the
caller says which row it wants.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable

_EMPTY = -1


def _tag(key: int) -> int:
    return key % 251


class RowIndex:
    """Row numbers by key. `key_of(row)` gives a stored row's key again, to spread the rows over a
    larger array when the index fills up."""

    __slots__ = ("_slots", "_tags", "_mask", "_count", "_key_of")

    def __init__(self, key_of: Callable[[int], int], expected: int = 0) -> None:
        size = 16
        while size < 2 * expected:
            size *= 2
        self._slots = array("i", [_EMPTY]) * size
        self._tags = bytearray(size)
        self._mask = size - 1
        self._count = 0
        self._key_of = key_of

    def __len__(self) -> int:
        return self._count

    def add(self, key: int, row: int) -> None:
        """Store `row` under `key` (`setdefault` with no `same`, without its checks: done once a row)."""
        if 2 * (self._count + 1) > len(self._slots):
            self._grow()
        slots, mask = self._slots, self._mask
        at = key & mask
        while slots[at] != _EMPTY:
            at = (at + 1) & mask
        slots[at] = row
        self._tags[at] = _tag(key)
        self._count += 1

    def setdefault(self, key: int, row: int, same: Callable[[int], bool] | None) -> int:
        """The row stored under `key` for which `same(row)` is true; else `row`, stored (with no
        `same`, stored at once)."""
        if 2 * (self._count + 1) > len(self._slots):
            self._grow()
        slots, tags, mask, tag = self._slots, self._tags, self._mask, _tag(key)
        at = key & mask
        while (found := slots[at]) != _EMPTY:
            if same is not None and tags[at] == tag and same(found):
                return found
            at = (at + 1) & mask
        slots[at], tags[at] = row, tag
        self._count += 1
        return row

    def find(self, key: int, wanted: Callable[[int], bool]) -> int | None:
        """The first row stored under `key` for which `wanted(row)` is true, or None."""
        slots, tags, mask, tag = self._slots, self._tags, self._mask, _tag(key)
        at = key & mask
        while (row := slots[at]) != _EMPTY:
            if tags[at] == tag and wanted(row):
                return row
            at = (at + 1) & mask
        return None

    def find_in(self, key: int, column: bytes | bytearray, width: int, wanted: bytes,
                skip: set[int] | frozenset[int] = frozenset()) -> int | None:
        """`find` for rows whose `width` bytes in `column` (row r at `width * r`) are `wanted`, rows in
        `skip` passed over: the same search without a call a row, for the lookups done once a line."""
        slots, tags, mask, tag = self._slots, self._tags, self._mask, _tag(key)
        at = key & mask
        while (row := slots[at]) != _EMPTY:
            if tags[at] == tag and column[width * row:width * row + width] == wanted and row not in skip:
                return row
            at = (at + 1) & mask
        return None

    def setdefault_in(self, key: int, row: int, column: bytes | bytearray, width: int, wanted: bytes,
                      skip: set[int] | frozenset[int] = frozenset()) -> int:
        """`setdefault` as `find_in` finds: the row stored whose `width` bytes in `column` are `wanted`
        (rows in `skip` passed over); else `row`, stored (its bytes need not be in `column` yet)."""
        if 2 * (self._count + 1) > len(self._slots):
            self._grow()
        slots, tags, mask, tag = self._slots, self._tags, self._mask, _tag(key)
        at = key & mask
        while (found := slots[at]) != _EMPTY:
            if tags[at] == tag and column[width * found:width * found + width] == wanted and found not in skip:
                return found
            at = (at + 1) & mask
        slots[at], tags[at] = row, tag
        self._count += 1
        return row

    def copy(self, key_of: Callable[[int], int]) -> RowIndex:
        """The same index for a copy of its table, whose keys `key_of` gives."""
        twin = RowIndex(key_of)
        twin._slots, twin._tags, twin._mask, twin._count = array("i", self._slots), bytearray(self._tags), self._mask, self._count
        return twin

    def state(self) -> tuple[array, bytearray, int]:
        """The index as values `marshal` takes (`registrycache.py` keeps them): its slots, tags and count."""
        return self._slots, self._tags, self._count

    @classmethod
    def restored(cls, state: tuple[bytes, bytes, int], key_of: Callable[[int], int]) -> RowIndex:
        """The index whose `state` this was, for a table whose keys `key_of` gives."""
        slots, tags, count = state
        index = cls(key_of)
        index._slots = array("i", slots)
        index._tags = bytearray(tags)
        if len(index._slots) != len(index._tags) or len(index._slots) & (len(index._slots) - 1):
            raise ValueError("not the state of an index")
        index._mask, index._count = len(index._slots) - 1, count
        return index

    def reserve(self, count: int) -> None:
        """Room for `count` rows in all, made at once: for a caller about to add many (growing a
        slot array at a time would place every row again at each doubling)."""
        size = len(self._slots)
        while size < 2 * count:
            size *= 2
        if size > len(self._slots):
            self._resize(size)

    def _grow(self) -> None:
        self._resize(2 * len(self._slots))

    def _resize(self, size: int) -> None:
        old = self._slots
        self._slots = array("i", [_EMPTY]) * size
        self._tags = bytearray(len(self._slots))
        self._mask = len(self._slots) - 1
        self._count = 0
        for row in old:
            if row != _EMPTY:
                self.add(self._key_of(row), row)
