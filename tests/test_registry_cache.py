"""The card registry read before, remembered (`cards/registrycache.py`): a registry taken from the
cache answers every question as its files read again do, what a writer wrote is there for the
next command, a registry changed by hand is read again (its problems told every time), a damaged
entry is only ever a slower read, and `members forget` leaves no copy of the person there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from networks import TODAY

from welfarectl.cards import registryfork
from welfarectl.cards import registryread as registry_module
from welfarectl.cards.ledger import Registry
from welfarectl.cards.registry import record_printed, revoke_card
from welfarectl.cards.registrycache import RegistryCache
from welfarectl.cards.registryread import read_registry


def answers(registry: Registry) -> dict:
    """What the commands ask of a registry, in comparable form."""
    cards = list(registry.cards.each())
    holders = registry.holders
    return {
        "cards": cards,
        "chain": (registry.lines, registry.last_hash, registry.last_seq, registry.last_serial, registry.unissued),
        "holders": holders.render(),
        "by number": [registry.card(card.number) for card in cards],
        "by pseudonym": [holders.record(holders.find(card.pseudonym)) for card in cards if card.pseudonym],
        "by person": [holders.pseudonym_of(card.company, card.holder) for card in cards],
        "tally": registry.cards.tally(TODAY),
        "by company": {company: list(rows) for company, rows in registry.cards.active_by_company(TODAY).items()},
        "withdrawn": registry.withdrawn_holders(),
        "problems": registry.problems,
    }


def entries(cache: Path) -> list[Path]:
    return sorted(path for path in (cache / "registry").rglob("*") if path.is_file())


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The networks whose registry files were read (checked line by line), in order."""
    done: list[Path] = []
    reading = registry_module._read_registry

    def counted(network_dir: Path):
        done.append(network_dir)
        return reading(network_dir)

    monkeypatch.setattr(registry_module, "_read_registry", counted)
    return done


def test_a_registry_from_the_cache_answers_as_its_files_read_again(issued_copy, tmp_path, reads):
    cache = RegistryCache(tmp_path / "cache", issued_copy)
    fresh = answers(read_registry(issued_copy)[0])
    first, problems = read_registry(issued_copy, cache)
    assert problems == [] and len(entries(tmp_path / "cache")) == 1 and len(reads) == 2
    again, problems = read_registry(issued_copy, cache)
    assert problems == [] and len(reads) == 2  # taken from the cache, not read
    assert answers(again) == answers(first) == fresh and len(fresh["cards"]) > 20
    assert again.source is not None and again.cache is cache  # kept open for a writer, as a read leaves it


def test_what_a_writer_wrote_is_kept_for_the_next_command(issued_copy, issued_network, tmp_path, reads):
    cache = RegistryCache(tmp_path / "cache", issued_copy)
    read, _ = read_registry(issued_copy, cache)
    numbers = [card["card"] for card in issued_network.cards]
    record_printed(issued_copy, numbers[:40], TODAY, read=read)
    revoke_card(issued_copy, numbers[3], "lost", TODAY, cache)
    assert len(reads) == 1 and len(entries(tmp_path / "cache")) == 1  # the old entry replaced
    kept, problems = read_registry(issued_copy, cache)
    assert problems == [] and len(reads) == 1
    assert answers(kept) == answers(read_registry(issued_copy)[0])
    assert kept.card(numbers[3]).reason == "lost" and kept.card(numbers[0]).printed


def test_a_first_issue_is_kept_and_the_commands_after_it_do_not_read_the_registry(small_network, welfarectl,
                                                                                  tmp_path, reads):
    cache = tmp_path / "cache"
    issued = welfarectl("-C", small_network, "cards", "issue", "--format", "json", WELFARECTL_CACHE=str(cache))
    assert issued.exit_code == 0, issued.output
    assert reads == [small_network] and len(entries(cache)) == 1  # no file before: read as empty
    for command in (["validate"], ["cards", "issue"], ["report", "-f", "json"]):
        done = welfarectl("-C", small_network, *command, WELFARECTL_CACHE=str(cache))
        assert done.exit_code == 0, done.output
    assert reads == [small_network]
    report = small_network / "output" / "report" / "report.json"
    kept = report.read_bytes()
    assert welfarectl("-C", small_network, "report", "-f", "json", WELFARECTL_CACHE="off").exit_code == 0
    assert report.read_bytes() == kept and len(reads) == 2


def test_a_registry_changed_by_hand_is_read_again_and_its_problems_told_every_time(issued_copy, tmp_path, reads):
    cache = RegistryCache(tmp_path / "cache", issued_copy)
    read_registry(issued_copy, cache)
    path = issued_copy / "members" / "cards.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[5] = lines[5].replace(b'"date":"', b'"date":"1', 1)
    path.write_bytes(b"".join(lines))
    for _ in range(2):
        registry, problems = read_registry(issued_copy, cache)
        assert [p.location.line for p in problems][:1] == [6] and registry.problems == problems
    assert len(reads) == 3


@pytest.mark.parametrize("damage", ["flipped", "truncated", "empty", "not marshal"])
def test_a_damaged_entry_is_not_used(issued_copy, tmp_path, reads, damage):
    cache = RegistryCache(tmp_path / "cache", issued_copy)
    fresh = answers(read_registry(issued_copy, cache)[0])
    [entry] = entries(tmp_path / "cache")
    data = bytearray(entry.read_bytes())
    if damage == "flipped":
        data[len(data) // 2] ^= 0x20
    elif damage == "truncated":
        del data[len(data) // 3:]
    elif damage == "empty":
        data.clear()
    else:
        data = bytearray(32 + 100)
    entry.write_bytes(bytes(data))
    registry, problems = read_registry(issued_copy, cache)
    assert problems == [] and answers(registry) == fresh and len(reads) == 2  # read from the files again


def test_files_replaced_while_being_read_are_not_kept(issued_copy, tmp_path, monkeypatch):
    cache = RegistryCache(tmp_path / "cache", issued_copy)
    reading = registry_module._read_registry
    path = issued_copy / "members" / "cards.jsonl"

    def replaced_meanwhile(network_dir: Path):
        found = reading(network_dir)
        shutil.copy(path, path.with_suffix(".new"))  # the same lines, another file: as a writer leaves it
        os.replace(path.with_suffix(".new"), path)
        return found

    monkeypatch.setattr(registry_module, "_read_registry", replaced_meanwhile)
    registry, problems = read_registry(issued_copy, cache)
    assert problems == [] and len(registry.cards) > 20 and entries(tmp_path / "cache") == []


def test_a_registry_read_by_a_child_is_kept_and_taken(issued_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(registryfork, "FORK_FROM", 0)
    cache = RegistryCache(tmp_path / "cache", issued_copy)
    fresh = answers(read_registry(issued_copy)[0])
    for _ in range(2):
        with registryfork.reading_registry(issued_copy, cache) as result:
            registry, problems = result()
        assert problems == [] and answers(registry) == fresh and registry.source is not None
        assert len(entries(tmp_path / "cache")) == 1


def test_forget_leaves_no_copy_of_the_person_in_the_cache(issued_copy, issued_network, welfarectl, tmp_path):
    cache = tmp_path / "cache"
    assert welfarectl("-C", issued_copy, "validate", WELFARECTL_CACHE=str(cache)).exit_code == 0
    code = read_registry(issued_copy)[0].card(issued_network.cards[0]["card"]).holder
    assert any(code.encode() in entry.read_bytes() for entry in entries(cache))
    done = welfarectl("-C", issued_copy, "members", "forget", code, WELFARECTL_CACHE=str(cache))
    assert done.exit_code == 0, done.output
    assert not any(code.encode() in path.read_bytes() for path in cache.rglob("*") if path.is_file())


def test_columns_written_in_pieces_read_back_whole(issued_copy, tmp_path, reads, monkeypatch):
    from welfarectl.cards import registrycache

    monkeypatch.setattr(registrycache, "CHUNK", 100)  # a million cards' columns are megabytes: here, bytes
    cache = RegistryCache(tmp_path / "cache", issued_copy)
    fresh = answers(read_registry(issued_copy, cache)[0])
    [entry] = entries(tmp_path / "cache")
    assert entry.read_bytes().count(registrycache.CHUNKED) >= 5
    registry, problems = read_registry(issued_copy, cache)
    assert problems == [] and answers(registry) == fresh and len(reads) == 1
