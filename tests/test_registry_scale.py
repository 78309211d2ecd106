"""A registry as a regional network has it: a hundred thousand cards read, looked up and written to
in bounded memory (the registry is read a line at a time and its cards kept in columns)."""

from __future__ import annotations

import importlib.util
import json
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from welfarectl.cards import registry
from welfarectl.cards.ledger import CardAlreadyRevoked, UnknownCard
from welfarectl.cards.rowindex import RowIndex

ROOT = Path(__file__).resolve().parent.parent
CARDS = 100_000
MB = 2**20


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_registry", ROOT / "bench" / "registry.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load_bench()


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """100,000 cards issued, every 50th revoked, all noted printed in runs of 1,000: 102,100 lines."""
    root = tmp_path_factory.mktemp("region")
    bench.write_registry(root, bench.synthetic_holders(CARDS))
    return root


def traced(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_registry_of_100000_cards_is_read_in_bounded_memory(large):
    lines = (large / "members" / "cards.jsonl").read_bytes().count(b"\n")
    assert lines == CARDS + CARDS // 50 + CARDS // 1000
    (reg, problems), peak = traced(lambda: registry.read_registry(large))
    # the file alone is 27 MB (and holders.jsonl 15 MB); lines kept as objects took 280 MB
    assert peak < 40 * MB, f"{peak / MB:.0f} MB"
    assert problems == [] and len(reg.cards) == CARDS and reg.lines == lines
    assert len(reg.revoked()) == CARDS // 50 and all(card.printed for card in reg.cards.values())
    first, last = bench.card_number(1_000_000), bench.card_number(1_000_000 + CARDS - 1)
    company, codice_fiscale = list(bench.synthetic_holders(CARDS))[-1]
    assert (reg.card(last).company, reg.card(last).holder, reg.card(last).line) == (company, codice_fiscale,
                                                                                   lines - 2)  # then printed, revoked
    assert reg.card(first).status(date(2026, 11, 26)) == "active"
    assert reg.card(bench.card_number(1_000_049)).status(date(2026, 11, 26)) == "revoked"
    assert bench.card_number(1_000_000 + CARDS) not in reg.cards
    with pytest.raises(UnknownCard):
        reg.card(bench.card_number(1_000_000 + CARDS))


def test_revoking_one_card_of_100000_appends_its_line_to_a_copy_of_the_file(large, tmp_path):
    for name in ("cards.jsonl", "holders.jsonl", "cards.head"):
        (tmp_path / "members").mkdir(exist_ok=True)
        (tmp_path / "members" / name).write_bytes((large / "members" / name).read_bytes())
    before = (tmp_path / "members" / "cards.jsonl").read_bytes()
    number = bench.card_number(1_000_000 + CARDS // 2)
    card = registry.revoke_card(tmp_path, number, "lost", date(2026, 11, 26))
    assert (card.number, card.reason, card.revoked_on) == (number, "lost", date(2026, 11, 26))
    after = (tmp_path / "members" / "cards.jsonl").read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    assert json.loads(after.splitlines()[-1])["card"] == number
    with pytest.raises(CardAlreadyRevoked):
        registry.revoke_card(tmp_path, number, "left", date(2026, 11, 26))
    reg, problems = registry.read_registry(tmp_path)
    assert problems == [] and reg.card(number).reason == "lost"


def test_the_row_index_finds_every_row_under_keys_that_collide_and_after_it_grows():
    keys = [n // 3 for n in range(1000)]  # three rows a key, in order: neighbouring slots fill up
    index = RowIndex(keys.__getitem__)
    for row, key in enumerate(keys):
        index.add(key, row)
    assert len(index) == 1000
    assert all(index.find(key, lambda found, row=row: found == row) == row for row, key in enumerate(keys))
    assert index.find(5, lambda found: found == 3) is None  # row 3 is under key 1
    assert index.find(2000, lambda found: True) is None
    assert index.setdefault(7, 999, lambda found: keys[found] == 7) == 21  # the first row under 7
    assert len(index) == 1000
