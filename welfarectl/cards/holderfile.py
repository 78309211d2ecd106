"""Reading `members/holders.jsonl` (its layout and purpose: `holders.py`) into `Holders`.

Rules, checked on every load (`holder-record-invalid` at the line): each line has the keys holder,
company, codice_fiscale and key; the key gives the pseudonym from the company and codice fiscale
(so an edit that hands a card to someone else is caught: no one can find a key for another
person's pseudonym); a pseudonym and a (company, codice fiscale) appear once. A line that breaks
one is reported and left out.
"""

from __future__ import annotations

import binascii
import hmac
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from welfarectl.base.problems import Location, Problem, os_reason, problem

from .blocks import line_blocks, whole_lines
from .holders import HOLDERS_FILE, Holder, Holders, is_pseudonym, pseudonym

_KEY = re.compile(r"[0-9a-f]{32}")
_KEYS = ("holder", "company", "codice_fiscale", "key")


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
    digest, fromhex, row_of, store = hmac.digest, binascii.a2b_hex, found.row_of, found.store_read
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
