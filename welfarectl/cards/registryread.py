"""Reading the card registry: `members/cards.jsonl` (its line format and rules: `ledger.py`),
checked against `members/cards.head` and with its holders from `members/holders.jsonl`
(`holderfile.py`), into a `Registry`; or taken from the cache when its files were read before
(`registrycache.py`). Writing it is `registry.py`'s.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from welfarectl.base.problems import Location, Problem, os_reason, problem

from .blocks import line_blocks
from .holderfile import read_holders
from .holders import HOLDERS_FILE
from .ledger import HEAD_FILE, REGISTRY_FILE, Event, Registry, each_event
from .ledgerblocks import read_blocks
from .registrycache import RegistryCache, file_stamp, registry_stamp


def read_registry(network_dir: Path, cache: RegistryCache | None = None) -> tuple[Registry, list[Problem]]:
    """The registry of the network in `network_dir` and its problems; no file is an empty registry.
    The lines are checked against `members/cards.head` too, which catches what the hash chain
    cannot: lines deleted or edited at the end. Holders' pseudonyms are resolved through
    `members/holders.jsonl`, whose problems are the registry's too. Both files are read a block of
    lines at a time (`ledgerblocks.py`), and only what the card table keeps stays in memory.
    With a `cache`, a registry whose files were read before is taken from it, and one read without
    a problem is kept there (`registrycache.py`)."""
    if cache is None:
        return _read_registry(network_dir)
    files = cache.files()
    if files is None:  # no registry yet: nothing to take, but what a writer writes is kept
        registry, problems = _read_registry(network_dir)
        registry.cache = cache
        return registry, problems
    registry = cache.load(files)
    if registry is not None:
        return registry, []
    registry, problems = _read_registry(network_dir)
    cache.store(files, registry)
    registry.cache = cache
    return registry, problems


def _read_registry(network_dir: Path) -> tuple[Registry, list[Problem]]:
    holders_stamp = file_stamp(network_dir / HOLDERS_FILE)
    holders, holder_problems = read_holders(network_dir)
    registry = Registry(holders, holders_stamp)
    head, head_problems = _read_head(network_dir)
    seen = []  # whether the head's last line is found: it may be anywhere (lines lost before it)

    def note(line_hash: str) -> None:
        if line_hash == head[1]:
            seen.append(line_hash)

    try:
        handle = open(network_dir / REGISTRY_FILE, "rb")  # noqa: SIM115 (kept open for a writer: `Registry.source`)
    except FileNotFoundError:
        registry.problems = holder_problems + head_problems + _check_head(head, bool(seen), 0)
        return registry, registry.problems
    except OSError as exc:
        registry.problems = [problem("file-unreadable", Location(REGISTRY_FILE), **os_reason(exc))]
        return registry, registry.problems
    try:
        stamp = registry_stamp(handle)
        registry = Registry(holders, holders_stamp, expected=stamp[1] // 250)  # about 250 bytes a card
        problems = read_blocks(registry, line_blocks(handle), None if head is None else note)
    except FileNotFoundError:
        registry.problems = holder_problems + head_problems + _check_head(head, bool(seen), 0)
        return registry, registry.problems
    except OSError as exc:
        handle.close()
        registry = Registry(holders, holders_stamp)
        registry.problems = [problem("file-unreadable", Location(REGISTRY_FILE), **os_reason(exc))]
        return registry, registry.problems
    problems = holder_problems + problems
    registry.stamp, registry.source = stamp, handle
    if not any(p.code == "registry-truncated" for p in problems):  # that already says the end is missing
        problems += head_problems + _check_head(head, bool(seen), registry.lines)
    registry.problems = problems
    return registry, problems


def read_events(network_dir: Path) -> Iterator[Event]:
    """The events of the network's registry, a line at a time: for a registry read without problems."""
    with open(network_dir / REGISTRY_FILE, "rb") as handle:
        yield from each_event(handle)


def _read_head(network_dir: Path) -> tuple[tuple[int, str] | None, list[Problem]]:
    """The head's line count and last line's hash (None with no head), or its problem."""
    try:
        raw = (network_dir / HEAD_FILE).read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [problem("file-unreadable", Location(HEAD_FILE), **os_reason(exc))]
    try:
        head = json.loads(raw)
        expected, last = head["lines"], head["last"]
        if type(expected) is not int or expected < 1 or not isinstance(last, str):
            raise ValueError
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None, [problem("registry-malformed", Location(HEAD_FILE, line=1), line=1,
                              reason="not a registry head record", reason_it="non è un record di testa del registro")]
    return (expected, last), []


def _check_head(head: tuple[int, str] | None, last_seen: bool, found: int) -> list[Problem]:
    """The head records the line count and the last line's hash of the last write. A registry in
    which that line is no longer found lost or changed lines at its end. A longer one is fine: a
    writer stopped between writing the registry and its head. Lines missing before the recorded
    last line are the chain's to report."""
    if head is None or last_seen:
        return []
    return [problem("registry-lines-missing", Location(REGISTRY_FILE, line=found or None),
                    expected=head[0], found=found)]
