"""The card registry: card numbers, the hash-chained ledger in members/cards.jsonl, issuing,
revoking, replacing, and what happens when two processes write at once or one is killed mid-write.

Networks are real directories (the sample catalogue, small workbooks written with openpyxl);
concurrency and crashes use real processes."""

import dataclasses
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from stdnum.it import codicefiscale
from xlsxfiles import EMPLOYEE_HEADER, write_workbook

from welfarectl.base.problems import has_errors
from welfarectl.cards import registry, registryread
from welfarectl.cards.checks import check_card_holders
from welfarectl.cards.holders import pseudonym
from welfarectl.cards.ledger import CardAlreadyRevoked, UnknownCard, each_event, parse_registry
from welfarectl.cards.number import format_card_number, new_card_number, normalise_card_number
from welfarectl.pipeline import load_network

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)
ACETAIA, OSTERIA, FERRAMENTA = "acetaia-il-cortile-antico", "osteria-del-tortellino-felice", "ferramenta-centrale-soliera"
N1, N2, N3 = (new_card_number(1_000_000 + i) for i in range(3))


def codice_fiscale(n: int) -> str:
    """A valid, fictional codice fiscale for each n < 16,800."""
    stem = f"RSSMRA{50 + n % 50:02d}{'ABCDEHLMPRST'[n // 50 % 12]}{1 + n // 600 % 28:02d}F257"
    return stem + codicefiscale.calc_check_digit(stem)


STAFF = {
    ACETAIA: [["Verdi", "Luca", codice_fiscale(1), date(2019, 3, 1), None],
              ["Bianchi", "Anna", codice_fiscale(2), date(2020, 5, 4), None],
              ["bianchi", "Aldo", codice_fiscale(3), date(2021, 6, 7), None]],
    OSTERIA: [["Neri", "Sara", codice_fiscale(4), date(2018, 1, 8), None],
              ["Galli", "Pia", codice_fiscale(5), date(2017, 2, 9), date(2025, 3, 31)],  # left: no card
              ["Conti", "Ugo", codice_fiscale(6), date(2016, 4, 1), None]],  # leaves later: see conti_leaves
    FERRAMENTA: [["Russo", "Ida", codice_fiscale(7), date(2022, 9, 12), None]],
}
CURRENT = 6


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv("WELFARECTL_AS_OF", "2026-11-26")


def make_network(root: Path, staff: dict = STAFF, extra: int = 0) -> Path:
    """The sample catalogue and one workbook per company; `extra` more people at the Ferramenta."""
    shutil.copytree(ROOT / "catalogue", root / "catalogue", ignore=shutil.ignore_patterns("keys"))
    for company, rows in staff.items():
        more = [[f"Extra{n:05d}", "Pat", codice_fiscale(100 + n), date(2020, 1, 1), None]
                for n in range(extra)] if company == FERRAMENTA else []
        write_workbook(root / "members" / f"{company}.xlsx", [EMPLOYEE_HEADER[:5], *rows, *more])
    return root


def load(root: Path, as_of: date = TODAY):
    network, problems = load_network(root, as_of=as_of)
    assert not has_errors(problems), [p.message() for p in problems if p.severity == "error"]
    return network


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = make_network(tmp_path_factory.mktemp("template") / "net")
    return root, load(root, as_of=date(2026, 11, 26))


@pytest.fixture
def net(loaded, tmp_path):
    """A fresh copy of the small network, loaded once for the module (loading takes 0.3 s)."""
    root, network = loaded
    shutil.copytree(root, tmp_path / "net")
    return dataclasses.replace(network, root=tmp_path / "net", registry=registry.read_registry(tmp_path / "net")[0])


def conti_leaves(network, as_of: date):
    """The network on `as_of`, Conti's row given the leaving date 31/12/2026 after his card was issued
    (`cards issue` gives no card to anyone with a leaving date, even a future one)."""
    staff = [dataclasses.replace(e, leaving_date=date(2026, 12, 31)) if e.codice_fiscale == codice_fiscale(6) else e
             for e in network.employees]
    return dataclasses.replace(network, as_of=as_of, employees=staff)


def ledger_path(network_or_root) -> Path:
    root = network_or_root if isinstance(network_or_root, Path) else network_or_root.root
    return root / "members" / "cards.jsonl"


def found(root: Path) -> list[tuple[str, int]]:
    _, problems = registry.read_registry(root)
    return [(p.code, p.location.line) for p in problems]


# --- card numbers ---------------------------------------------------------------------------------

def test_card_numbers_are_a_serial_and_its_damm_check_digit():
    assert new_card_number(1_000_000) == "10000004"
    assert new_card_number(1_000_001) == "10000012"
    assert format_card_number("10000004") == "1000 0004"
    for typed in ("10000004", "1000 0004", "1000-0004", " 1000 0004 ", "1000\xa00004"):
        assert normalise_card_number(typed) == "10000004"
    for wrong in ("10000005", "1000000", "100000041", "1000 000A", "", "١٠٠٠٠٠٠٤"):
        assert normalise_card_number(wrong) is None
    with pytest.raises(ValueError):
        new_card_number(999_999)


def _sample_numbers() -> list[str]:
    pick = random.Random(7)
    return [new_card_number(s) for s in [1_000_000, 1_000_009, 9_999_999]
            + pick.sample(range(1_000_000, 10_000_000), 600)]


def test_every_single_digit_typo_is_caught():
    for number in _sample_numbers():
        for i, digit in enumerate(number):
            for other in "0123456789".replace(digit, ""):
                assert normalise_card_number(number[:i] + other + number[i + 1:]) is None, (number, i, other)


def test_every_swap_of_two_adjacent_digits_is_caught():
    swaps = 0
    for number in _sample_numbers():
        for i in range(7):
            if number[i] != number[i + 1]:
                swaps += 1
                swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
                assert normalise_card_number(swapped) is None, (number, swapped)
    assert swaps > 3000


# --- issuing --------------------------------------------------------------------------------------

def test_a_missing_registry_is_an_empty_one_and_an_unreadable_one_a_problem(tmp_path):
    reg, problems = registry.read_registry(tmp_path)
    assert (reg.cards, reg.lines, problems) == ({}, 0, [])
    (tmp_path / "members" / "cards.jsonl").mkdir(parents=True)
    assert [(p.code, str(p.location)) for p in registry.read_registry(tmp_path)[1]] == [
        ("file-unreadable", "members/cards.jsonl")]


def test_issue_gives_each_current_employee_one_card_in_a_stable_order_and_a_second_run_none(net):
    cards = registry.issue_cards(net)
    assert [(c.number, c.company, c.holder) for c in cards] == [
        (N1, ACETAIA, codice_fiscale(3)),  # bianchi Aldo before Bianchi Anna: case does not matter
        (N2, ACETAIA, codice_fiscale(2)),
        (N3, ACETAIA, codice_fiscale(1)),
        (new_card_number(1_000_003), FERRAMENTA, codice_fiscale(7)),
        (new_card_number(1_000_004), OSTERIA, codice_fiscale(6)),
        (new_card_number(1_000_005), OSTERIA, codice_fiscale(4)),
    ]
    assert {(c.issued, c.expires, c.status(date(2026, 11, 26))) for c in cards} == {
        (date(2026, 11, 26), date(2028, 11, 26), "active")}
    first = ledger_path(net).read_bytes().split(b"\n")[0]
    # the line names its holder by a pseudonym, which only members/holders.jsonl ties to the person
    (record,) = [json.loads(line) for line in (net.root / "members" / "holders.jsonl").read_text().splitlines()
                 if json.loads(line)["codice_fiscale"] == codice_fiscale(3)]
    assert record["holder"] == pseudonym(record["key"], ACETAIA, codice_fiscale(3))
    assert first == (b'{"seq":1,"event":"issued","card":"10000004","company":"acetaia-il-cortile-antico",'
                     b'"holder":"' + record["holder"].encode() + b'","date":"2026-11-26","expires":"2028-11-26",'
                     b'"replaces":null,"prev":null}')
    assert codice_fiscale(3).encode() not in ledger_path(net).read_bytes()
    assert registry.issue_cards(net) == []
    reg, problems = registry.read_registry(net.root)
    assert problems == [] and len(reg.cards) == CURRENT and [e.line for e in registryread.read_events(net.root)] == list(range(1, 7))


def test_issue_for_one_company_and_a_dry_run_that_writes_nothing(net):
    planned = registry.issue_cards(net, company=OSTERIA, dry_run=True)
    assert not ledger_path(net).exists()
    done = registry.issue_cards(net, company=OSTERIA)
    assert [(c.number, c.holder) for c in done] == [(c.number, c.holder) for c in planned]
    assert {c.company for c in done} == {OSTERIA} and len(done) == 2
    assert registry.issue_cards(net, dry_run=True)[0].number == N3  # numbers go on from the last
    assert len(registry.read_registry(net.root)[0].cards) == 2


def test_expiry_is_the_networks_validity_clamped_to_the_end_of_the_month(tmp_path, monkeypatch):
    assert registry.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert registry.add_months(date(2024, 12, 15), 24) == date(2026, 12, 15)
    root = make_network(tmp_path / "net")
    settings = root / "catalogue" / "network.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("validity_months: 24", "validity_months: 18"),
                        encoding="utf-8")
    cards = registry.issue_cards(load(root, as_of=date(2024, 8, 31)))
    assert {(c.issued, c.expires) for c in cards} == {(date(2024, 8, 31), date(2026, 2, 28))}


def test_a_holder_whose_card_expired_gets_a_new_one(net):
    old = registry.issue_cards(net)
    assert registry.issue_cards(dataclasses.replace(net, as_of=date(2028, 11, 26))) == []  # still valid
    renewed = registry.issue_cards(conti_leaves(net, date(2028, 11, 27)))  # expired
    assert sorted(c.holder for c in renewed) == sorted(c.holder for c in old if c.holder != codice_fiscale(6))  # left
    assert old[0].status(date(2028, 11, 27)) == "expired"


def test_what_cards_issue_writes_reads_back_as_the_registry_it_left_in_memory(net):
    """`cards issue` applies each line it writes to the registry as it writes it, without reading
    it back: the files read again give the same cards, holders and chain, without a problem."""
    def same_as_its_files(network):
        again, problems = registry.read_registry(network.root)
        left = network.registry
        assert problems == []
        assert list(again.cards.each()) == list(left.cards.each())
        assert (again.lines, again.last_hash, again.last_seq, again.last_serial) == (
            left.lines, left.last_hash, left.last_seq, left.last_serial)
        assert again.holders.render() == left.holders.render()

    assert len(registry.issue_cards(net)) == CURRENT
    same_as_its_files(net)
    registry.revoke_card(net.root, N1, "lost", TODAY)
    net = dataclasses.replace(net, registry=registry.read_registry(net.root)[0])
    again = registry.issue_cards(net)  # to a holder who has a record already
    assert [card.holder for card in again] == [codice_fiscale(3)]
    same_as_its_files(net)


# --- revoking, replacing, printing ----------------------------------------------------------------

def test_revoke_a_card_then_its_holder_can_be_issued_another(net):
    cards = registry.issue_cards(net)
    revoked = registry.revoke_card(net.root, "1000 0004", "lost", TODAY)
    assert (revoked.number, revoked.status(date(2026, 11, 26)), revoked.reason) == (N1, "revoked", "lost")
    assert registry.read_registry(net.root)[0].revoked() == {N1: date(2026, 11, 26)}
    again = registry.issue_cards(net)
    assert [(c.holder, c.number) for c in again] == [(cards[0].holder, new_card_number(1_000_006))]


def test_revoke_refuses_what_it_cannot_do_and_writes_nothing(net):
    registry.issue_cards(net)
    registry.revoke_card(net.root, N1, "left", TODAY)
    before = ledger_path(net).read_bytes()
    with pytest.raises(CardAlreadyRevoked, match="already revoked"):
        registry.revoke_card(net.root, N1, "lost", TODAY)
    with pytest.raises(UnknownCard):
        registry.revoke_card(net.root, new_card_number(1_234_567), "lost", TODAY)
    with pytest.raises(registry.InvalidCardNumber, match="check digit"):
        registry.revoke_card(net.root, N2[:6] + N2[7] + N2[6], "lost", TODAY)
    with pytest.raises(registry.InvalidReason):
        registry.revoke_card(net.root, N2, "stolen", TODAY)
    assert ledger_path(net).read_bytes() == before


def test_replace_stops_the_old_number_and_issues_the_holder_a_new_one(net):
    registry.issue_cards(net)
    old, new = registry.replace_card(net, N2)
    assert (old.status(date(2026, 11, 26)), old.replaced_by) == ("replaced", new.number)
    assert (new.holder, new.company, new.replaces, new.line) == (old.holder, old.company, N2, 8)
    tail = [json.loads(line) for line in ledger_path(net).read_text(encoding="utf-8").splitlines()[-2:]]
    assert [(e["event"], e["card"]) for e in tail] == [("replaced", N2), ("issued", new.number)]
    assert tail[0]["by"] == new.number and tail[1]["replaces"] == N2
    assert registry.read_registry(net.root)[0].revoked() == {N2: date(2026, 11, 26)}
    assert registry.issue_cards(net) == []
    with pytest.raises(CardAlreadyRevoked, match="replaced by"):
        registry.replace_card(net, N2)
    with pytest.raises(CardAlreadyRevoked):
        registry.revoke_card(net.root, N2, "lost", TODAY)


def test_a_withdrawn_card_is_not_given_back_by_the_next_issue(net):
    cards = registry.issue_cards(net)
    registry.revoke_card(net.root, cards[0].number, "withdrawn", TODAY)
    assert registry.issue_cards(net) == []
    assert registry.read_registry(net.root)[0].withdrawn_holders() == {(cards[0].company, cards[0].holder)}


def test_a_card_reported_lost_is_replaced_afterwards_once(net):
    registry.issue_cards(net)
    registry.revoke_card(net.root, N2, "lost", TODAY)
    old, new = registry.replace_card(net, N2)
    assert (old.status(date(2026, 11, 26)), old.replaced_by, new.replaces) == ("replaced", new.number, N2)
    reg, problems = registry.read_registry(net.root)
    assert problems == [] and reg.revoked()[N2] == date(2026, 11, 26)
    with pytest.raises(CardAlreadyRevoked, match="replaced by"):
        registry.replace_card(net, N2)
    registry.revoke_card(net.root, N1, "left", TODAY)
    with pytest.raises(CardAlreadyRevoked, match="revoked"):
        registry.replace_card(net, N1)


def test_the_card_tables_tally_counts_what_each_cards_status_says(net):
    """The report counts a million cards on the card table's columns (`CardTable.tally`): the same
    counts as each card's own `status` and `printed`, for every status, on days before and after expiry."""
    from collections import Counter

    registry.issue_cards(net)
    registry.revoke_card(net.root, N2, "lost", TODAY)
    registry.replace_card(net, N2)
    registry.revoke_card(net.root, N1, "left", TODAY)
    registry.record_printed(net.root, [N3], TODAY)
    table = registry.read_registry(net.root)[0].cards
    for day in (TODAY, date(2030, 1, 1)):
        expected: Counter = Counter()
        for card in table.values():
            expected[card.company, "issued"] += 1
            expected[card.company, card.status(day)] += 1
            expected[card.company, "printed"] += card.printed
        assert table.tally(day) == +expected
        found = {what for (_, what), count in expected.items() if count}
        assert found >= ({"replaced", "revoked", "printed", "active"} if day == TODAY else {"expired"})


def test_replace_refuses_a_card_whose_holder_has_left(net):
    conti = next(c for c in registry.issue_cards(net) if c.holder == codice_fiscale(6))
    with pytest.raises(registry.HolderNotCurrent):
        registry.replace_card(conti_leaves(net, date(2027, 1, 1)), conti.number)


def test_a_print_run_is_noted_once_for_its_cards(net):
    registry.issue_cards(net)
    registry.record_printed(net.root, ["1000 0012", N1, N1], TODAY)
    before = ledger_path(net).read_bytes()
    registry.record_printed(net.root, [], TODAY)
    with pytest.raises(UnknownCard):
        registry.record_printed(net.root, [N3, new_card_number(1_234_567)], TODAY)
    with pytest.raises(registry.InvalidCardNumber):
        registry.record_printed(net.root, [N3, "1000 001"], TODAY)
    assert ledger_path(net).read_bytes() == before
    reg, problems = registry.read_registry(net.root)
    assert problems == [] and list(registryread.read_events(net.root))[-1].fields["cards"] == [N2, N1]
    assert sorted(n for n, c in reg.cards.items() if c.printed) == [N1, N2]


# --- what the reader reports ----------------------------------------------------------------------

HOLDER = codice_fiscale(1)


def issued(card, *, holder=HOLDER, expires="2028-11-26", replaces=None):
    return {"event": "issued", "card": card, "company": ACETAIA, "holder": holder, "date": "2026-11-26",
            "expires": expires, "replaces": replaces}


def revoked(card, **more):
    return {"event": "revoked", "card": card, "reason": "lost", "date": "2026-11-27", **more}


def ledger(*lines) -> bytes:
    """Registry bytes chained as the writer chains them: dicts get the next seq (unless they carry
    one) and the previous line's hash; bytes are lines written as they are."""
    out, prev, seq = [], None, 0
    for line in lines:
        if isinstance(line, dict):
            seq += 1
            fields = {"seq": seq, **line, "prev": prev}
            line = json.dumps(fields, separators=(",", ":")).encode()
        out.append(line)
        prev = hashlib.sha256(line).hexdigest()
    return b"".join(line + b"\n" for line in out)


MALFORMED = {
    "not JSON": ([issued(N1), b"{'seq': 2}", revoked(N1)], 2),
    "not UTF-8": ([issued(N1), b'{"seq":2,"event":"revoked\xff"}', revoked(N1)], 2),
    "empty line": ([issued(N1), b"", revoked(N1)], 2),
    "not an object": ([issued(N1), b"[2]", revoked(N1)], 2),
    "unknown event": ([issued(N1), {"event": "lost", "card": N1}, revoked(N1)], 2),
    "event not a text": ([issued(N1), {"event": ["revoked"], "card": N1}, revoked(N1)], 2),
    "keys out of order": ([issued(N1), {"card": N1, "event": "revoked", "reason": "lost", "date": "2026-11-27"}], 2),
    "a key too many": ([issued(N1), revoked(N1, note="x")], 2),
    "a key twice": ([issued(N1), b'{"seq":2,"seq":2}', revoked(N1)], 2),
    "wrong check digit": ([issued(N1), issued("10000005", holder=codice_fiscale(2))], 2),
    "card number with a space": ([issued("1000 0004")], 1),
    "bad date": ([issued(N1, expires="26/11/2028")], 1),
    "expires before issued": ([issued(N1, expires="2026-11-25")], 1),
    "unknown reason": ([issued(N1), {**revoked(N1), "reason": "stolen"}], 2),
    "seq not 1 at the start": ([{"seq": 2, **issued(N1)}], 1),
    "seq skips": ([issued(N1), {"seq": 3, **revoked(N1)}], 2),
    "seq as true": ([{"seq": True, **issued(N1)}], 1),
    "revoking an unknown card": ([issued(N1), revoked(N2)], 2),
    "revoking twice": ([issued(N1), revoked(N1), revoked(N1)], 3),
    "issuing a number twice": ([issued(N1), issued(N1, holder=codice_fiscale(2))], 2),
    "printing an unknown card": ([issued(N1), {"event": "printed", "cards": [N1, N2], "date": "2026-11-27"}], 2),
    "a replacement never issued": ([issued(N1), {"event": "replaced", "card": N1, "by": N2, "date": "2026-11-27"}], 2),
    "replacing what was not replaced": ([issued(N1), issued(N2, holder=codice_fiscale(2), replaces=N1)], 2),
}


@pytest.mark.parametrize("lines, line", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_line_is_reported_once_at_its_line(lines, line):
    _, problems = parse_registry(ledger(*lines))
    assert [(p.code, p.location.line) for p in problems] == [("registry-malformed", line)]
    params = dict(problems[0].params)
    assert params["line"] == line and params["reason"] and params["reason_it"] != params["reason"]
    assert str(problems[0].location) == f"members/cards.jsonl:{line}"


def test_a_sound_history_of_every_event_reads_back():
    data = ledger(issued(N1), issued(N2, holder=codice_fiscale(2)), revoked(N2),
                  {"event": "replaced", "card": N1, "by": N3, "date": "2026-11-27"},
                  issued(N3, replaces=N1), {"event": "printed", "cards": [N3], "date": "2026-11-28"})
    reg, problems = parse_registry(data)
    assert problems == []
    assert {n: c.status(date(2026, 11, 28)) for n, c in reg.cards.items()} == {
        N1: "replaced", N2: "revoked", N3: "active"}
    assert reg.cards[N3].printed and reg.cards[N3].replaces == N1 and reg.cards[N2].reason == "lost"
    assert [e.kind for e in each_event(data.splitlines())] == ["issued", "issued", "revoked", "replaced", "issued", "printed"]


@pytest.fixture
def issued_net(net):
    registry.issue_cards(net)
    return net


def rewrite_lines(network, change) -> None:
    lines = ledger_path(network).read_bytes().splitlines(keepends=True)
    ledger_path(network).write_bytes(b"".join(change(lines)))


def test_a_hand_edit_is_reported_at_the_edited_line_only(issued_net):
    rewrite_lines(issued_net, lambda lines: [*lines[:2], lines[2].replace(b"2028-11-26", b"2029-11-26"), *lines[3:]])
    _, problems = registry.read_registry(issued_net.root)
    assert [(p.code, p.location.line, dict(p.params)) for p in problems] == [
        ("registry-line-edited", 3, {"line": 3, "next": 4})]


def test_a_deleted_middle_line_is_reported_where_it_was(issued_net):
    rewrite_lines(issued_net, lambda lines: lines[:4] + lines[5:])
    assert found(issued_net.root) == [("registry-chain-broken", 5)]


def test_a_deleted_first_line_is_reported_at_line_1(issued_net):
    rewrite_lines(issued_net, lambda lines: lines[1:])
    assert found(issued_net.root) == [("registry-malformed", 1)]


def test_moved_lines_break_the_chain_where_they_moved(issued_net):
    rewrite_lines(issued_net, lambda lines: [lines[0], lines[2], lines[1], *lines[3:]])
    assert found(issued_net.root) == [("registry-chain-broken", 2), ("registry-chain-broken", 3),
                                      ("registry-chain-broken", 4)]


@pytest.mark.parametrize("cut", [
    lambda data: data[:-1],  # only the newline is missing
    lambda data: data[:-40],  # cut mid-JSON
    lambda data: data[:-40] + b"\n",  # cut mid-JSON, and a newline added after
])
def test_a_truncated_last_line_is_reported_with_its_number(issued_net, cut):
    ledger_path(issued_net).write_bytes(cut(ledger_path(issued_net).read_bytes()))
    _, problems = registry.read_registry(issued_net.root)
    assert [(p.code, p.location.line, dict(p.params)) for p in problems] == [
        ("registry-truncated", CURRENT, {"line": CURRENT})]


def head_path(network) -> Path:
    return network.root / "members" / "cards.head"


def test_the_head_records_the_line_count_and_the_last_lines_hash(issued_net):
    lines = ledger_path(issued_net).read_bytes().split(b"\n")[:-1]
    head = json.loads(head_path(issued_net).read_text(encoding="utf-8"))
    assert head == {"lines": len(lines), "last": hashlib.sha256(lines[-1]).hexdigest()}


@pytest.mark.parametrize("change", [
    lambda lines: lines[:-1],  # the last line deleted
    lambda lines: lines[:-2],  # the last two
    lambda lines: lines[:-1] + [lines[-1].replace(b'"company":"', b'"company":"x', 1)],  # the last line edited
])
def test_lines_deleted_or_edited_at_the_end_are_reported(issued_net, change):
    rewrite_lines(issued_net, change)
    assert ("registry-lines-missing" in {code for code, _ in found(issued_net.root)})
    with pytest.raises(registry.RegistryDamaged):
        registry.revoke_card(issued_net.root, N1, "lost", TODAY)


def test_a_deleted_registry_with_its_head_left_is_reported(issued_net):
    ledger_path(issued_net).unlink()
    assert found(issued_net.root) == [("registry-lines-missing", None)]


def test_a_head_that_lags_after_a_stop_between_the_two_writes_is_fine(issued_net):
    before = head_path(issued_net).read_bytes()
    registry.revoke_card(issued_net.root, N1, "lost", TODAY)
    head_path(issued_net).write_bytes(before)  # as if stopped after writing the registry
    assert found(issued_net.root) == []
    registry.revoke_card(issued_net.root, N2, "lost", TODAY)
    assert json.loads(head_path(issued_net).read_text(encoding="utf-8"))["lines"] == CURRENT + 2


def test_a_damaged_registry_is_never_written_to(issued_net):
    rewrite_lines(issued_net, lambda lines: lines[:-1] + [lines[-1][:-9]])
    before = ledger_path(issued_net).read_bytes()
    for write in (lambda: registry.issue_cards(issued_net), lambda: registry.issue_cards(issued_net, dry_run=True),
                  lambda: registry.revoke_card(issued_net.root, N1, "lost", TODAY),
                  lambda: registry.replace_card(issued_net, N1),
                  lambda: registry.record_printed(issued_net.root, [N1], TODAY)):
        with pytest.raises(registry.RegistryDamaged) as refused:
            write()
        assert [p.code for p in refused.value.problems] == ["registry-truncated"]
        assert "members/cards.jsonl:6" in str(refused.value)
    assert ledger_path(issued_net).read_bytes() == before


# --- check_card_holders: the holders of active cards ---------------------------------------------

def holders(network) -> list:
    return list(check_card_holders(network))


def test_an_active_card_of_someone_who_left_is_a_warning_at_its_issued_line(net):
    cards = registry.issue_cards(net)
    conti = next(c for c in cards if c.holder == codice_fiscale(6))
    assert holders(net) == []
    problems = holders(conti_leaves(net, date(2027, 1, 15)))
    assert [(p.code, p.severity, p.location.line, dict(p.params)) for p in problems] == [
        ("card-holder-left", "warning", conti.line,
         {"card": format_card_number(conti.number), "holder": "Ugo Conti",
          "company": "Osteria del Tortellino Felice S.n.c.", "left": "31/12/2026"})]
    registry.revoke_card(net.root, conti.number, "left", TODAY)
    reread = registry.read_registry(net.root)[0]
    assert holders(dataclasses.replace(conti_leaves(net, date(2027, 1, 15)), registry=reread)) == []


def test_an_active_card_of_someone_in_no_workbook_is_a_warning(net):
    cards = registry.issue_cards(net)
    write_workbook(net.root / "members" / f"{ACETAIA}.xlsx", [EMPLOYEE_HEADER[:5], *STAFF[ACETAIA][1:]])
    verdi = next(c for c in cards if c.holder == codice_fiscale(1))
    problems = holders(load(net.root, as_of=net.as_of))
    assert [(p.code, p.location.line, dict(p.params)) for p in problems] == [
        ("card-holder-unknown", verdi.line, {"card": format_card_number(verdi.number),
                                             "holder": codice_fiscale(1),
                                             "company": "Acetaia Il Cortile Antico S.r.l."})]


def test_loading_the_network_reports_the_registry_problems(issued_net):
    rewrite_lines(issued_net, lambda lines: [lines[0], *lines[2:]])
    _, problems = load_network(issued_net.root, as_of=TODAY)
    assert [(p.code, p.location.line) for p in problems if p.code.startswith("registry")] == [
        ("registry-chain-broken", 2)]


# --- real processes: two writers at once, a writer killed -----------------------------------------

RACER = """
import json, sys
from pathlib import Path
from datetime import date
from welfarectl.cards import registry
from welfarectl.pipeline import load_network
network, _ = load_network(Path(sys.argv[1]), as_of=date(2026, 11, 26))
print("ready", flush=True)
sys.stdin.readline()
print(json.dumps([card.number for card in registry.issue_cards(network)]), flush=True)
"""


def spawn(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, cwd=ROOT, env={**os.environ, "WELFARECTL_AS_OF": "2026-11-26"})


def start(script: str, *args: str) -> subprocess.Popen:
    process = spawn(script, *args)
    assert process.stdout.readline() == "ready\n"
    return process


def test_two_processes_issuing_at_once_never_hand_out_a_number_twice(tmp_path):
    root = make_network(tmp_path / "net", extra=400)
    racers = [start(RACER, str(root)) for _ in range(2)]
    for racer in racers:
        racer.stdin.write("go\n")
        racer.stdin.flush()
    handed_out = [number for racer in racers for number in json.loads(racer.communicate(timeout=60)[0])]
    assert all(racer.returncode == 0 for racer in racers)
    assert len(handed_out) == len(set(handed_out)) == CURRENT + 400
    reg, problems = registry.read_registry(root)
    assert problems == [] and sorted(reg.cards) == sorted(handed_out)
    assert len({(c.company, c.holder) for c in reg.cards.values()}) == CURRENT + 400


WRITER = """
import hashlib, os, signal, sys
from pathlib import Path
from datetime import date
from welfarectl.base import output
from welfarectl.cards import registry
from welfarectl.pipeline import load_network
log = os.open(sys.argv[2], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
write = output.write_bytes_atomic
def logged(path, data):  # note each state before it is written: the file must be one of them
    os.write(log, hashlib.sha256(data).hexdigest().encode() + b"\\n")
    return write(path, data)
output.write_bytes_atomic = logged
write_files = output.write_files_atomic
def logged_files(files):  # the registry's files, written as one (the registry as a stream: joined here)
    files = {path: data if isinstance(data, bytes) else b"".join(data) for path, data in files.items()}
    for data in files.values():
        os.write(log, hashlib.sha256(data).hexdigest().encode() + b"\\n")
    return write_files(files)
output.write_files_atomic = logged_files
if sys.argv[3] == "die-in-fsync":  # the registry's temporary file is written, not yet renamed into place
    fsync = os.fsync
    def die_in_registry_fsync(fd):  # holders.jsonl is staged first, when it changes: let that one through
        if ".cards.jsonl." in os.readlink(f"/proc/self/fd/{fd}"):
            os.kill(os.getpid(), signal.SIGKILL)
        return fsync(fd)
    os.fsync = die_in_registry_fsync
network, _ = load_network(Path(sys.argv[1]), as_of=date(2026, 11, 26))
print("ready", flush=True)
sys.stdin.readline()  # loaded while the writer before it ran: it writes on "go", reading the registry afresh
while True:  # one write of many lines, then many writes of one line each
    registry.issue_cards(network)
    for card in registry.read_registry(network.root)[0].active(network.as_of):
        registry.revoke_card(network.root, card.number, "lost", network.as_of)
"""


def test_a_writer_killed_at_any_moment_leaves_the_old_or_the_new_registry(tmp_path):
    root = make_network(tmp_path / "net", extra=100)
    log = tmp_path / "states.log"
    pick = random.Random(11)
    rounds = ("at-random", "die-in-fsync", "at-random", "at-random", "at-random", "at-random")
    # Every writer loads the network at once, while the one before it runs (seconds less than one
    # after another); each waits for "go" to write, and reads the registry afresh under the lock.
    writers = [spawn(WRITER, str(root), str(log), how) for how in rounds]
    try:
        assert [writer.stdout.readline() for writer in writers] == ["ready\n"] * len(rounds)
        for how, writer in zip(rounds, writers, strict=True):
            before = ledger_path(root).read_bytes() if ledger_path(root).exists() else None
            writer.stdin.write("go\n")
            writer.stdin.flush()
            if how == "at-random":
                time.sleep(pick.uniform(0.02, 0.3))
                os.kill(writer.pid, signal.SIGKILL)
            assert writer.wait(timeout=20) == -signal.SIGKILL
            data = ledger_path(root).read_bytes() if ledger_path(root).exists() else None
            if how == "die-in-fsync":
                assert data == before and list(root.joinpath("members").glob(".cards.jsonl.*.tmp"))
            if data is not None:
                assert parse_registry(data)[1] == []
                assert data == before or hashlib.sha256(data).hexdigest() in log.read_text().split()
    finally:
        for writer in writers:  # a failed round leaves none writing on
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    network = load(root, as_of=date(2026, 11, 26))
    registry.issue_cards(network)  # leftover temporary files do not get in the way...
    assert list(root.joinpath("members").glob(".cards.jsonl.*")) == []  # ...and are cleared
    reg, problems = registry.read_registry(root)
    assert problems == [] and len(reg.active(date(2026, 11, 26))) == CURRENT + 100
