"""The card registry: `members/cards.jsonl` (its line format and rules are in `ledger.py`)
written: cards issued, revoked, replaced and printed. Reading it is `registryread.py`'s;
rewriting it with pseudonyms and forgetting a person, `forgetting.py`'s.

Writers take an exclusive lock on `members/.cards.lock` (filelock: the same on Linux, macOS and
Windows), make sure the registry (and `members/holders.jsonl`, which ties holders' pseudonyms to
people: `holders.py`) is still the one the command read (or read it again), refuse a
registry with problems (`RegistryDamaged`) and rewrite the whole file atomically, streamed: the
file copied a line at a time and the new lines after it (`output.write_files_atomic`, with the
holders and the head: readers see the old files or the new ones, never a torn one). Every operation is dated with the day the
command works on, which the caller passes in.
"""

from __future__ import annotations

import calendar
import hashlib
import itertools
import json
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from welfarectl.base import output
from welfarectl.base.problems import Problem

from .holders import HOLDERS_FILE
from .ledger import HEAD_FILE, REASONS, REGISTRY_FILE, Card, Registry, RegistryError, feed_line
from .number import explain_card_number, format_card_number, new_card_number, normalise_card_number
from .plainlines import issued_line, printed_line
from .registrycache import RegistryCache, file_stamp
from .registryread import read_registry

LOCK_FILE = "members/.cards.lock"
DEFAULT_VALIDITY_MONTHS = 24


# --- refusals -------------------------------------------------------------------------------------


class RegistryDamaged(RegistryError):
    """The registry has problems: nothing is written to it until it is restored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first, others = problems[0], len(problems) - 1
        more = f" and {others} more" if others else ""
        more_it = f" e {'altro' if others == 1 else 'altri'} {others}" if others else ""
        super().__init__(f"{first.location}: {first.message()}{more}; the card registry is damaged, "
                         "restore it from version control (`welfarectl validate` lists every problem)",
                         f"{first.location}: {first.message('it')}{more_it}; il registro delle tessere è "
                         "danneggiato, ripristinalo dal controllo di versione (`welfarectl validate` elenca "
                         "ogni problema)")


class InvalidCardNumber(RegistryError):
    pass


class InvalidReason(RegistryError):
    pass


class HolderNotCurrent(RegistryError):
    pass


def _head_record(registry: Registry) -> bytes:
    return json.dumps({"lines": registry.lines, "last": registry.last_hash}, separators=(",", ":")).encode() + b"\n"


# --- writing --------------------------------------------------------------------------------------


class Transaction:
    """New lines for a sound registry, each checked by the reader's own rules as it is added."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.lines = SpooledLines()
        self.holders_changed = False

    def pseudonym(self, company: str, codice_fiscale: str) -> str:
        """How a new line names the holder: their pseudonym, made (with its key) the first time."""
        holders = self.registry.holders
        known = len(holders)
        found = holders.pseudonym_of(company, codice_fiscale)
        self.holders_changed |= len(holders) != known
        return found

    def append(self, **fields: object) -> None:
        reg = self.registry
        raw = json.dumps({"seq": (reg.last_seq or 0) + 1, **fields, "prev": reg.last_hash},
                         ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        wrong = feed_line(reg, raw, reg.lines + 1)
        if wrong:  # a bug here, never bad data: the registry was sound and the caller checked
            raise RuntimeError(f"refusing to write an invalid registry line: {wrong[0].message()}")
        self.lines.append(raw + b"\n")

    def next_number(self) -> str:
        return new_card_number(self.registry.last_serial + 1)

    def issue(self, company: str, codice_fiscale: str, holder: int | None, day: date, expires: date) -> int:
        """A new card for a person (`holder`: their record's row, None for a person without one,
        who gets one), replacing none: the line `append` would write (`plainlines.issued_line`:
        the same bytes), applied to the registry as reading it applies it, without reading it
        back: each value is made in its form here, the chain's hash and seq follow the line before,
        the number is the next serial's, so of the reader's rules only two can fail: a number
        already issued, a company without a name (`tests/test_registry.py` reads what `cards issue`
        wrote back and compares). The holder's row."""
        reg = self.registry
        if not company.strip() or expires < day:
            raise RuntimeError(f"refusing to write an invalid registry line: a card of {company!r} to {expires}")
        if holder is None:
            holder = reg.holders.add_new(company, codice_fiscale)
            self.holders_changed = True
        seq, number, line = (reg.last_seq or 0) + 1, self.next_number(), reg.lines + 1
        (day_text, day_number), (expires_text, expires_number) = _day_forms(day), _day_forms(expires)
        raw = issued_line(seq, number, company, reg.holders.pseudonym(holder), day_text, expires_text, reg.last_hash)
        if not reg.cards.add_plain(int(number), company, holder, day_number, expires_number, line):
            raise RuntimeError(f"refusing to write an invalid registry line: card {number} was already issued")
        reg.last_hash, reg.lines, reg.last_seq, reg.last_serial = hashlib.sha256(raw).hexdigest(), line, seq, int(number) // 10
        reg.unissued.pop(number, None)
        self.lines.append(raw + b"\n")
        return holder


    def printed(self, numbers: Iterable[str], day: date) -> None:
        """The `printed` line of a run of these cards (each once, in the order first given; a
        number never issued: UnknownCard), made as `append` would make it (`plainlines.printed_line`:
        the same bytes) and applied as reading it applies it: each card marked printed, the chain
        following the line before. Its cards are rows of the table, never a list of a million texts."""
        reg = self.registry
        seen, rows = bytearray(len(reg.cards)), array("i")  # 5 bytes a card, where a list of texts takes 65
        for number in numbers:
            row = reg.row(_parse_number(number))
            if not seen[row]:
                seen[row] = 1
                rows.append(row)
        seq, digest = (reg.last_seq or 0) + 1, hashlib.sha256()
        for piece in printed_line(seq, map(reg.cards.number, rows), day.isoformat(), reg.last_hash):
            digest.update(piece)
            self.lines.write(piece)
        self.lines.append(b"\n")
        for row in rows:
            reg.cards.mark_printed(row)
        reg.last_hash, reg.lines, reg.last_seq = digest.hexdigest(), reg.lines + 1, seq


@lru_cache(maxsize=16)
def _day_forms(day: date) -> tuple[str, int]:
    """A day as a line writes it and as the card table keeps it (a run issues on one day)."""
    return day.isoformat(), day.toordinal()


class SpooledLines:
    """The lines a transaction adds, kept in a temporary file once they pass a few megabytes: a
    first `cards issue` to a million people adds a million lines."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (read back by the writer, closed with it)
        self.count = 0

    def append(self, line: bytes) -> None:
        """A line, or the end of one whose first pieces were `write`n."""
        self._file.write(line)
        self.count += 1

    def write(self, piece: bytes) -> None:
        """A piece of a line (a long one, made in pieces): `append` ends it."""
        self._file.write(piece)

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self) -> Iterator[bytes]:
        self._file.seek(0)
        return iter(lambda: self._file.read(1 << 20), b"")


def lines_of(registry: Registry) -> Iterator[bytes]:
    """The lines of the file `registry` was read from, each ending in LF, read again as they are
    asked for through the handle that read them (so a command opens the file once), which is
    closed after the last (before the new file replaces it: Windows refuses to replace an open
    file). None for a registry read from no file."""
    handle, registry.source = registry.source, None
    if handle is None:
        return
    with handle:
        handle.seek(0)
        for raw in handle:
            yield raw[:-2] + b"\n" if raw.endswith(b"\r\n") else raw


def bytes_of(registry: Registry) -> Iterator[bytes]:
    """What `lines_of` gives, in blocks of a megabyte instead of lines, for a writer that copies
    them: a print run's line is 11 MB at a million cards, and reading it as a line holds it twice."""
    handle, registry.source = registry.source, None
    if handle is None:
        return
    with handle:
        handle.seek(0)
        held = b""  # a CR at a block's end, which may begin a CRLF
        while block := handle.read(1 << 20):
            block = held + block
            held = b"\r" if block.endswith(b"\r") else b""
            yield block[:len(block) - len(held)].replace(b"\r\n", b"\n")
        yield held


@contextmanager
def _transaction(network_dir: Path, read: Registry | None = None, *, dry_run: bool = False,
                 cache: RegistryCache | None = None) -> Iterator[Transaction]:
    """Read-modify-write under the lock; nothing is written when the body raises, appends nothing,
    or on a dry run (which takes no lock: it changes nothing). `read` is the registry the command
    has read already: it is used as it is when the file has not changed since, so the file is read
    once; otherwise the file is read again under the lock. The registry written is kept in the
    cache it was read with (`read`'s, or `cache`), for the next command to find."""
    if dry_run:
        yield Transaction(sound(_current(network_dir, read, cache)).copy())  # a copy: a dry run changes nothing
        return
    with locked(network_dir):
        current = _current(network_dir, read, cache)
        tx = Transaction(sound(current))
        current.stamp = _SPENT  # its lines are being added to: never taken as the file again
        yield tx
        written = write(network_dir, tx, bytes_of(current))
        if tx.lines and current.cache is not None:
            current.cache.written(tx.registry, written)


def write(network_dir: Path, tx: Transaction, lines: Iterable[bytes]) -> dict[str, str]:
    """The holders (when changed), the registry: `lines` (the file's, or the file's rewritten) and
    the transaction's new lines, when it has any, then the head, as one (`output.write_files_atomic`:
    a failure of the system leaves all three as they were). Renamed in that order: a stop between
    two leaves holders no line names yet, or a head that lags, both harmless. Written as streams: a
    registry of a million lines is never whole in memory. The SHA-256 of each file written, by name
    (`HOLDERS_FILE`, ...), made as it is written."""
    files: dict[Path, bytes | Iterable[bytes]] = {}
    digests: dict[str, str] = {}
    if tx.holders_changed:
        files[network_dir / HOLDERS_FILE] = _hashing(tx.registry.holders.render_lines(), digests, HOLDERS_FILE)
    if tx.lines:
        files[network_dir / REGISTRY_FILE] = _hashing(itertools.chain(lines, tx.lines), digests, REGISTRY_FILE)
        files[network_dir / HEAD_FILE] = head = _head_record(tx.registry)
        digests[HEAD_FILE] = hashlib.sha256(head).hexdigest()
    if files:
        output.write_files_atomic(files)
    return digests


def _hashing(pieces: Iterable[bytes], digests: dict[str, str], name: str) -> Iterator[bytes]:
    """`pieces`, as they are written; once all are, their SHA-256 in `digests[name]`."""
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece)
        yield piece
    digests[name] = digest.hexdigest()


_SPENT = (-1, -1, -1)  # the stamp of a registry used by a transaction: it matches no file


def _current(network_dir: Path, read: Registry | None, cache: RegistryCache | None = None) -> Registry:
    """`read` while the file is still the one it was read from, else the file read again (with
    `read`'s cache, or `cache`)."""
    if read is not None and _unchanged(network_dir, read):
        return read
    if read is not None:
        cache = cache or read.cache
        if read.source is not None:
            read.source.close()
            read.source = None
    return read_registry(network_dir, cache)[0]


def _unchanged(network_dir: Path, registry: Registry) -> bool:
    """Whether the file is still the one `registry` was read from. The registry only grows and is
    replaced whole by every write, so its inode, size and modification time all tell."""
    if registry.holders_stamp != file_stamp(network_dir / HOLDERS_FILE):
        return False
    found = file_stamp(network_dir / REGISTRY_FILE)
    if found is None:
        return registry.stamp is None and not registry.lines
    return registry.stamp == found


@contextmanager
def locked(network_dir: Path) -> Iterator[None]:
    """Hold the registry's exclusive lock. Temporary files left by a writer killed mid-write are
    removed here: only the lock holder writes, so any that exist are leftovers."""
    from filelock import FileLock

    lock = network_dir / LOCK_FILE
    lock.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(lock):
        # the names output.write_bytes_atomic gives its temporary files
        for pattern in (".cards.jsonl.*.tmp", ".cards.head.*.tmp", ".holders.jsonl.*.tmp"):
            for leftover in lock.parent.glob(pattern):
                leftover.unlink(missing_ok=True)
        yield


def sound(registry: Registry) -> Registry:
    if registry.problems:
        raise RegistryDamaged(registry.problems)
    return registry


@dataclass(frozen=True)
class IssueRun:
    """What `issue_cards` did: the cards issued (or, on a dry run, that would be), and how many
    current employees it left out for their leaving date. The people left out for errors in their
    workbook rows are `network.held_back`."""

    cards: Sequence[Card]  # made from the registry's rows when read: a run may issue a million
    leaving: int  # current employees without a card who have a leaving date: no new card for them


def issue_cards(network, company: str | None = None, dry_run: bool = False) -> list[Card]:
    """The cards `run_issue` issues."""
    return list(run_issue(network, company, dry_run).cards)


def run_issue(network, company: str | None = None, dry_run: bool = False) -> IssueRun:
    """Issue a card to every current employee (as of `network.as_of`; of `company` only, if given)
    who has no active card with that company and never had one withdrawn, in the order of
    `Employee.sort_key`. Never to anyone with a leaving date, even a future one (a new card would
    outlive the job), nor to anyone held back by errors in their workbook row (`network.held_back`).
    Issued on `network.as_of`, valid for the network's `card.validity_months`. A second run issues
    none. With `dry_run`, the cards that would be issued, numbers included; nothing written."""
    day = network.as_of
    expires = add_months(day, _validity_months(network))
    held_back = network.held_back_holders()
    leaving = 0
    with _transaction(network.root, network.registry, dry_run=dry_run) as tx:
        holders = tx.registry.holders
        covered = tx.registry.cards.covered(day)  # an active card, or one withdrawn
        holders.reserve(len(holders) + len(network.employees))  # at most one new record each
        first = len(tx.registry.cards)
        for person in _in_issue_order(network.current_employees()):
            holder = person.holder
            if holder in held_back or (company is not None and person.company != company):
                continue
            row = holders.row_of(*holder)
            if covered.holds(holder, row):
                continue
            if person.leaving_date is not None:
                leaving += 1
                continue
            covered.mark(tx.issue(person.company, person.codice_fiscale, row, day, expires))
        issued = tx.registry.cards.rows(first)
    return IssueRun(issued, leaving)


def _in_issue_order(people: list) -> Iterator:
    """`people` sorted by `Employee.sort_key`, a company at a time: its first part is the company,
    so this is the same order, with the keys of one company at a time in memory, not a million."""
    by_company: dict[str, list] = {}
    for person in people:
        by_company.setdefault(person.company, []).append(person)
    for company in sorted(by_company):
        yield from sorted(by_company.pop(company), key=lambda person: person.sort_key())


def revoke_card(network_dir: Path, number: str, reason: str, day: date, cache: RegistryCache | None = None) -> Card:
    """Revoke, on `day`, an issued card that is not already revoked or replaced (expired cards may
    be); `cache`: where the registry is remembered (`registrycache.py`)."""
    if reason not in REASONS:
        raise InvalidReason(f"'{reason}' is not a reason to revoke a card: use {', '.join(REASONS)}",
                            f"'{reason}' non è un motivo per revocare una tessera: usa {', '.join(REASONS)}")
    number = _parse_number(number)
    with _transaction(network_dir, cache=cache) as tx:
        tx.registry.revocable(number)
        tx.append(event="revoked", card=number, reason=reason, date=day.isoformat())
    return tx.registry.cards[number]


def replace_card(network, number: str) -> tuple[Card, Card]:
    """Replace a card (lost, damaged): the old number stops being valid and the holder, who must
    still be a current employee of the card's company, gets a new number valid from
    `network.as_of`. A card already revoked as lost may be replaced (once); other revoked cards
    may not."""
    number = _parse_number(number)
    day = network.as_of
    with _transaction(network.root, network.registry) as tx:
        old = tx.registry.replaceable(number)
        holder = network.person((old.company, old.holder))
        if holder is None or not holder.is_current(day):
            raise HolderNotCurrent(f"the holder of card {format_card_number(number)} is not a current employee of "
                                   f"{old.company}: revoke the card instead (`--reason left`)",
                                   f"il titolare della tessera {format_card_number(number)} non è più dipendente "
                                   f"di {old.company}: revoca la tessera (`--reason left`)")
        new = tx.next_number()
        tx.append(event="replaced", card=number, by=new, date=day.isoformat())
        tx.append(event="issued", card=new, company=old.company, holder=tx.pseudonym(old.company, old.holder),
                  date=day.isoformat(),
                  expires=add_months(day, _validity_months(network)).isoformat(), replaces=number)
    return tx.registry.card(number), tx.registry.card(new)


def record_printed(network_dir: Path, numbers: Iterable[str], day: date, read: Registry | None = None) -> None:
    """Note a print run of these issued cards on `day` (one printed event; none for an empty run).
    `read`: the registry the command read, used as it is if the file has not changed since.
    `numbers` are taken as they come (a run of a million cards is never a million texts at once)."""
    numbers = iter(numbers)
    first = next(numbers, None)
    if first is None:
        return
    with _transaction(network_dir, read) as tx:
        tx.printed(itertools.chain([first], numbers), day)


def _parse_number(text: str) -> str:
    number = normalise_card_number(text)
    if number is None:
        raise InvalidCardNumber(f"'{text}' is not a card number: {explain_card_number(text)}",
                                f"'{text}' non è un numero di tessera: {explain_card_number(text, 'it')}")
    return number


def _validity_months(network) -> int:
    return network.settings.card.validity_months if network.settings else DEFAULT_VALIDITY_MONTHS


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's end (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
