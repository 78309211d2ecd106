"""A large card registry is read by a forked process while the command reads the workbooks
(`cards/registryfork.py`). Here every registry counts as large: what a command says and writes
must be what it says and writes when it reads the registry itself."""

from __future__ import annotations

import pytest

from welfarectl.cards import registryfork


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registryfork, "FORK_FROM", 0)


def test_a_damaged_registry_read_by_a_child_gives_the_same_report(issued_copy, welfarectl, monkeypatch):
    registry = issued_copy / "members" / "cards.jsonl"
    lines = registry.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"seq":3,', b'"seq":33,')
    registry.write_bytes(b"".join(lines))
    here = welfarectl("-C", issued_copy, "validate")
    monkeypatch.setattr(registryfork, "FORK_FROM", 0)
    there = welfarectl("-C", issued_copy, "validate")
    assert here.exit_code == 1 and "cards.jsonl" in here.output
    assert (there.exit_code, there.output) == (here.exit_code, here.output)


def test_a_sound_registry_read_by_a_child_validates(issued_network, welfarectl, forked):
    done = welfarectl("-C", issued_network.root, "validate")
    assert done.exit_code == 0, done.output


def test_a_card_replaced_after_a_child_read_keeps_every_line(issued_copy, issued_network, welfarectl, forked):
    registry = issued_copy / "members" / "cards.jsonl"
    before = registry.read_bytes()
    done = welfarectl("-C", issued_copy, "cards", "replace", issued_network.cards[0]["card"])
    assert done.exit_code == 0, done.output
    after = registry.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 2
    assert welfarectl("-C", issued_copy, "validate").exit_code == 0


def test_a_registry_changed_after_the_child_read_it_is_read_again_before_a_write(
        issued_copy, issued_network, welfarectl, forked, monkeypatch):
    """The file opened again after the child's reading is not the one it read (as if replaced
    meanwhile): the write reads it again under the lock, and loses no line."""
    monkeypatch.setattr(registryfork, "registry_stamp", lambda handle: (-2, -2, -2))
    registry = issued_copy / "members" / "cards.jsonl"
    before = registry.read_bytes()
    done = welfarectl("-C", issued_copy, "cards", "replace", issued_network.cards[1]["card"])
    assert done.exit_code == 0, done.output
    after = registry.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 2
