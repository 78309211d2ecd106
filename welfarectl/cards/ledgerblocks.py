"""The registry's file read a block at a time: what `ledger.read_lines` gives, for a million lines
in a fraction of its time.

Nearly every line of a large registry is an `issued` line its writer laid out: a card's number, a
pseudonym, no card replaced (`plainlines.ISSUED_LINES`). Such lines are matched a block at a time
and checked in one loop by the same rules `ledger.feed_line` applies: the hash chain, seq one more
than the line before's, the card's check digit, a company, two real days and an expiry not before
the issue, a number not issued before. A line that breaks any of them, one whose pseudonym has no
record (a holder forgotten), and any other line, goes to `feed_line` itself, which says what is
wrong in its own words; nothing is changed before a line passes every check. `tests/test_fast_paths.py`
reads mutated registries both ways and compares the cards, the chain and the problems.
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Callable, Iterable
from datetime import date

from welfarectl.base.problems import Problem, problem

from .blocks import whole_lines
from .ledger import Registry, at_line, feed_line, unissued_replacements
from .number import has_check_digit
from .plainlines import ISSUED_LINES


def read_blocks(registry: Registry, blocks: Iterable[tuple[bytes, bool]],
                on_hash: Callable[[str], object] | None = None) -> list[Problem]:
    """`ledger.read_lines` for the file's bytes in blocks of whole lines (`blocks.line_blocks`)."""
    problems: list[Problem] = []
    cards, unissued = registry.cards, registry.unissued
    number, last_hash, last_seq, last_serial = registry.lines, registry.last_hash, registry.last_seq, registry.last_serial
    expect = None if last_hash is None else last_hash.encode("ascii")
    companies: dict[bytes, str | None] = {}
    days: dict[bytes, int | None] = {}
    sha256, fromhex, add, holder_row = hashlib.sha256, binascii.a2b_hex, cards.add_plain, registry.holders.row_by_pseudonym
    truncated = False

    def general(raw: bytes, last: bool = False) -> None:
        """A line `feed_line` reads, between the lines read here: the state handed over and back."""
        nonlocal last_hash, last_seq, last_serial, expect
        registry.last_hash, registry.last_seq, registry.last_serial = last_hash, last_seq, last_serial
        problems.extend(feed_line(registry, raw[:-1] if raw.endswith(b"\r") else raw, number, last=last))
        last_hash, last_seq, last_serial = registry.last_hash, registry.last_seq, registry.last_serial
        expect = last_hash.encode("ascii")
        if on_hash is not None:
            on_hash(last_hash)

    for block, final in blocks:
        at = 0
        for plain in ISSUED_LINES.finditer(block):
            if plain.start() != at:
                for raw in whole_lines(block[at:plain.start()]):
                    number += 1
                    general(raw)
            at = plain.end()
            number += 1
            line, seq, card, company_raw, pseudonym, issued_raw, expires_raw, prev = plain.groups()
            company = companies.get(company_raw, "")
            if company == "":
                company = companies[company_raw] = _text(company_raw)
            issued, expires = days.get(issued_raw, 0), days.get(expires_raw, 0)
            if issued == 0:
                issued = days[issued_raw] = _day(issued_raw)
            if expires == 0:
                expires = days[expires_raw] = _day(expires_raw)
            digits, whole = card.decode("ascii"), int(card)
            if (prev != expect or last_seq is None or int(seq) != last_seq + 1 or not has_check_digit(digits)
                    or company is None or issued is None or expires is None or expires < issued
                    or (holder := holder_row(fromhex(pseudonym))) is None  # forgotten: kept as written
                    or not add(whole, company, holder, issued, expires, number)):
                general(line)  # something is wrong with it, or it names no record: feed_line reads it
                continue
            last_hash = sha256(line).hexdigest()
            expect, last_seq = last_hash.encode("ascii"), last_seq + 1
            if unissued:
                unissued.pop(digits, None)
            if whole // 10 > last_serial:
                last_serial = whole // 10
            if on_hash is not None:
                on_hash(last_hash)
        rest = whole_lines(block[at:])
        cut = final and not block.endswith(b"\n") and rest
        for index, raw in enumerate(rest[:-1] if cut else rest, 1):
            number += 1
            general(raw, last=final and not cut and index == len(rest))
        if cut:  # only the last line can lack its newline: cut while written
            problems.append(problem("registry-truncated", at_line(number + 1), line=number + 1))
            truncated = True
    registry.lines, registry.last_hash, registry.last_seq, registry.last_serial = number, last_hash, last_seq, last_serial
    if not truncated:
        problems += unissued_replacements(registry)
    return problems


def _text(raw: bytes) -> str | None:
    """A company as `ledger` takes it: a text that is not only spaces."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.strip() else None


def _day(raw: bytes) -> int | None:
    """A day YYYY-MM-DD (the pattern gives its form) as an ordinal, if it is one."""
    try:
        return date.fromisoformat(raw.decode("ascii")).toordinal()
    except ValueError:
        return None
