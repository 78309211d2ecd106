"""Messages that point at the cause, from the "Real use" issue: each from a real file of a small
network (`welfarectl init`'s skeleton, with one employee), broken as a coordinator broke it.

- a record with one bad field is reported there, and what refers to it says it has errors;
- a value without its form says which form, with an example;
- an unknown key is an error with the key it probably meant, in every block of every file;
- a fixed card text below its min_size is an error; a card whose name would print below 5 pt is
  held back by `cards print`;
- a partita IVA used twice, an edited registry line, hidden rows and sheets, and counts of one.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from networks import run_welfarectl
from stdnum.it import codicefiscale
from xlsxfiles import EMPLOYEE_HEADER, write_workbook

from welfarectl.base.problems import Problem
from welfarectl.cards.layout import load_layout
from welfarectl.network import models
from welfarectl.network.skeleton import create_network
from welfarectl.pipeline import load_network
from welfarectl.sources.records import pattern_form

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 26)
ORGS, SERVICES, NETWORK = "catalogue/organisations.yaml", "catalogue/services.yaml", "catalogue/network.yaml"
WORKSHOPS, FRONT, BACK = "catalogue/workshops.yaml", "templates/card-front.yaml", "templates/card-back.yaml"
WORKBOOK = "members/prima-impresa.xlsx"


def a_codice_fiscale(n: int) -> str:
    stem = f"RSSMRA{50 + n:02d}A41F257"
    return stem + codicefiscale.calc_check_digit(stem)


MARIA = ["Rossi", "Maria", a_codice_fiscale(0), date(2020, 1, 1)]


@pytest.fixture
def net(new_network: Path) -> Path:
    root = new_network  # a copy of what `welfarectl init` creates, made once for the session
    write_workbook(root / WORKBOOK, [EMPLOYEE_HEADER[:4], MARIA])
    return root


def edit(root: Path, file: str, old: str, new: str, count: int = 1) -> None:
    text = (root / file).read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} is not {count} times in {file}"
    (root / file).write_text(text.replace(old, new), encoding="utf-8")


def problems_of(root: Path) -> list[Problem]:
    return load_network(root, as_of=AS_OF)[1]


def found(root: Path) -> list[tuple[str, str, str]]:
    return [(str(p.location), p.code, p.message()) for p in problems_of(root)]


# --- 1. a record with errors, and what refers to it ------------------------------------------------

def test_a_province_written_out_is_reported_with_its_form_and_references_say_the_organisation_has_errors(net):
    edit(net, ORGS, "province: MO}", "province: Modena}", count=3)
    problems = problems_of(net)
    assert [(str(p.location), p.code) for p in problems] == [
        (f"{NETWORK}:10:14", "reference-to-invalid-record"),  # coordinator
        (f"{ORGS}:9:39", "invalid-value"),
        (f"{ORGS}:18:39", "invalid-value"),
        (f"{ORGS}:25:39", "invalid-value"),
        (f"{SERVICES}:7:15", "reference-to-invalid-record"),  # provider
        (WORKBOOK, "reference-to-invalid-record"),  # the workbook's name
    ]
    messages = {str(p.location): p for p in problems}
    assert messages[f"{ORGS}:9:39"].message() == (
        "address.province: 'Modena': a province is its two-letter code in capitals, e.g. 'MO' for Modena")
    assert messages[f"{ORGS}:9:39"].message("it") == (
        "address.province: 'Modena': una provincia è la sua sigla di due lettere maiuscole, per esempio 'MO' per Modena")
    assert messages[f"{SERVICES}:7:15"].message() == (
        f"provider: refers to organisation 'prima-cooperativa', which has errors at {ORGS}:25:39")
    assert messages[f"{SERVICES}:7:15"].message("it") == (
        f"provider: rimanda a 'prima-cooperativa' tra le organizzazioni, che ha errori in {ORGS}:25:39")
    assert messages[WORKBOOK].message() == (
        f"the workbook's name: refers to organisation 'prima-impresa', which has errors at {ORGS}:18:39")
    assert not any("no organisation has the id" in p.message() or "no member company" in p.message() for p in problems)


def test_references_from_open_to_workshops_and_the_survey_say_the_organisation_has_errors(net):
    edit(net, ORGS, "    size: small\n", "    size: tiny\n")  # prima-impresa, the member company
    edit(net, SERVICES, "    access: Mostrare", "    open_to: [prima-impresa]\n    access: Mostrare")
    (net / WORKSHOPS).write_text("workshops:\n  - id: primo\n    date: 2026-03-10\n    title: Welfare\n"
                                 "    kind: training\n    venue: Modena\n    participants: 10\n"
                                 "    by_organisation: {prima-impresa: 4}\n", encoding="utf-8")
    header = ["Impresa", "Settore ATECO", "Fascia d'età", "Figli", "Familiari non autosufficienti", "Risparmio",
              "Conciliazione e tempo liberato", "Cura della persona e della famiglia",
              "Formazione e sviluppo delle competenze", "Previdenza e salute", "Welfare territoriale"]
    write_workbook(net / "members" / "survey.xlsx",
                   {"Risposte": [header, ["prima-impresa", "C", "30-39", 1, "No", 3, 4, 2, 5, 1, 3]]})
    referring = [(where, message) for where, code, message in found(net) if code == "reference-to-invalid-record"]
    first_error = f"{ORGS}:17:11"
    assert referring == [
        (f"{SERVICES}:15:15", f"open_to[0]: refers to organisation 'prima-impresa', which has errors at {first_error}"),
        (f"{WORKSHOPS}:8:38", "by_organisation.prima-impresa: refers to organisation 'prima-impresa', which has "
                              f"errors at {first_error}"),
        (WORKBOOK, f"the workbook's name: refers to organisation 'prima-impresa', which has errors at {first_error}"),
        ("members/survey.xlsx:Risposte!A2", "Impresa: refers to organisation 'prima-impresa', which has errors at "
                                            f"{first_error}"),
    ]
    assert not any(code in ("unknown-reference", "unknown-company-workbook", "unknown-survey-company")
                   for _, code, _ in found(net))


def test_a_reference_to_an_id_that_no_record_has_still_says_it_does_not_exist(net):
    edit(net, SERVICES, "provider: prima-cooperativa", "provider: prima-cooperativo")
    assert found(net) == [(f"{SERVICES}:7:15", "unknown-reference", "provider: no organisation has the id "
                           "'prima-cooperativo' (did you mean 'prima-cooperativa'?)")]


def _patterns(schema: object) -> set[str]:
    if isinstance(schema, dict):
        own = {schema["pattern"]} if isinstance(schema.get("pattern"), str) else set()
        return own | {p for v in schema.values() for p in _patterns(v)}
    if isinstance(schema, list):
        return {p for v in schema for p in _patterns(v)}
    return set()


def test_every_pattern_in_the_models_says_its_form_with_an_example():
    patterns = {p for model in models.FILE_KINDS.values() for p in _patterns(model.model_json_schema())}
    assert len(patterns) == 7  # id, e-mail, postcode, province, ATECO code, font file, verify_url
    for regex in patterns:
        form, form_it = pattern_form(regex)
        assert "e.g. '" in form and "per esempio '" in form_it, regex


@pytest.mark.parametrize(("old", "new", "where", "example"), [
    ("province: MO}\n  - id: prima-impresa", "province: mo}\n  - id: prima-impresa", f"{ORGS}:9:39", "'MO'"),
    ("address: {city: Modena, province: MO}\n  - id: prima-impresa",
     "address: {city: Modena, province: MO, postcode: '4112'}\n  - id: prima-impresa", f"{ORGS}:9:53", "'41121'"),
    ("    size: small\n", "    size: small\n    ateco_code: C.10\n", f"{ORGS}:18:17", "'88.91'"),
    ("    size: small\n", "    size: small\n    contacts: {email: info at prima.it}\n", f"{ORGS}:18:23",
     "'info@coop-aurora.it'"),
    ("id: doposcuola", "id: Doposcuola", f"{SERVICES}:4:9", "'coop-sociale-aurora'"),
])
def test_a_value_without_its_form_is_told_the_form(net, old, new, where, example):
    file = SERVICES if "doposcuola" in old else ORGS
    edit(net, file, old, new)
    [bad] = [p for p in problems_of(net) if p.code == "invalid-value"]
    assert str(bad.location) == where
    assert f"e.g. {example}" in bad.message() and f"per esempio {example}" in bad.message("it")
    assert "expected form" not in bad.message()


# --- 2. unknown keys are errors, with the key meant -------------------------------------------------

TYPOS = [  # (file, old, new with a typo, where, the key meant)
    (NETWORK, "card:\n  validity_months: 24", "card:\n  validity_month: 12", f"{NETWORK}:31:3", "validity_months"),
    (NETWORK, "territory: Modena\n", "territory: Modena\nwebsit: www.rete.it\n", f"{NETWORK}:7:1", "website"),
    (NETWORK, "  end: 2028-12-31\n", "  end: 2028-12-31\n  ends: 2028-12-31\n", f"{NETWORK}:10:3", "end"),
    (NETWORK, "    name_en: Cost saving\n", "    name_en: Cost saving\n    descripton: Sconti\n", f"{NETWORK}:15:5",
     "description"),
    (ORGS, "    legal_form: S.r.l.\n", "    legl_form: S.r.l.\n", f"{ORGS}:12:5", "legal_form"),
    (ORGS, "address: {city: Modena, province: MO}\n  - id: prima-impresa",
     "address: {city: Modena, province: MO, postcod: '41121'}\n  - id: prima-impresa", f"{ORGS}:9:43", "postcode"),
    (ORGS, "    size: small\n", "    size: small\n    contacts: {emial: info@prima.it}\n", f"{ORGS}:18:16", "email"),
    (ORGS, "organisations:\n", "organisation: []\norganisations:\n", f"{ORGS}:3:1", "organisations"),
    (SERVICES, "    tuir: 2-f-bis\n", "    tuir: 2-f-bis\n    acess: Con la tessera.\n", f"{SERVICES}:15:5", "access"),
    (SERVICES, "      percent: 20\n", "      percent: 20\n      condition: Solo il sabato.\n", f"{SERVICES}:13:7",
     "conditions"),
    (SERVICES, "    tuir: 2-f-bis\n", "    tuir: 2-f-bis\n    en: {title: After school, descripton: Homework}\n",
     f"{SERVICES}:15:31", "description"),
    (WORKSHOPS, "workshops: []\n", "workshops:\n  - id: primo\n    date: 2026-03-10\n    title: Welfare\n"
     "    kind: training\n    venue: Modena\n    participants: 10\n    descripton: Un incontro.\n",
     f"{WORKSHOPS}:10:5", "description"),
    (FRONT, "    min_size: 8\n", "    min_sise: 8\n", f"{FRONT}:92:5", "min_size"),
    (BACK, "elements:\n", "element: []\nelements:\n", f"{BACK}:3:1", "elements"),
]


@pytest.mark.parametrize(("file", "old", "new", "where", "meant"), TYPOS, ids=[f"{t[0]}:{t[4]}" for t in TYPOS])
def test_an_unknown_key_in_any_block_is_an_error_with_the_key_meant(net, file, old, new, where, meant):
    edit(net, file, old, new)
    problems = problems_of(net)
    unknown = [p for p in problems if p.code == "unknown-field"]
    assert [(str(p.location), p.severity) for p in unknown] == [(where, "error")], [
        (str(p.location), p.code, p.message()) for p in problems]
    assert unknown[0].message().endswith(f"(did you mean '{meant}'?)")
    assert unknown[0].message("it").endswith(f"(forse '{meant}'?)")


def test_the_sample_network_and_a_new_one_have_no_unknown_key(net):
    create_network(net.parent / "fresh")
    for root in (ROOT, net.parent / "fresh"):
        assert [p for p in problems_of(root) if p.severity == "error"] == []


# --- 3. card texts that would print too small ------------------------------------------------------

def test_a_fixed_text_below_its_min_size_is_an_error():
    layout = ("elements:\n  - type: text\n    x: 5\n    y: 5\n    width: 30\n    height: 3\n"
              "    text: La tessera welfare della rete territoriale delle imprese aderenti\n"
              "    size: 8\n    min_size: 6\n")
    found_layout, problems = load_layout(layout.encode(), FRONT)
    assert found_layout is None
    assert [(str(p.location), p.code, p.severity) for p in problems] == [(f"{FRONT}:7:11", "text-does-not-fit", "error")]


def welfarectl(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`welfarectl -C ROOT ARGS` run in this process, as a user on 26/11/2026 whose configuration
    lives beside the network: the exit code and the output apart, as a process gives them."""
    done = run_welfarectl("-C", root, *args, home=root.parent, day=AS_OF)
    return subprocess.CompletedProcess(args, done.exit_code, done.stdout, done.stderr)


ENDLESS = " ".join(["Maria Antonietta Giuseppina Addolorata"] * 5)  # a given name no card has room for


def test_a_card_whose_name_would_print_below_5_pt_is_held_back_and_listed(net):
    write_workbook(net / WORKBOOK, [EMPLOYEE_HEADER[:4], MARIA, ["Bianchi", ENDLESS, a_codice_fiscale(1), date(2021, 1, 1)]])
    issued = welfarectl(net, "cards", "issue", "--format", "json")
    assert issued.returncode == 0, issued.stderr
    cards = {card["holder"]: card["card"] for card in json.loads(issued.stdout)["cards"]}
    done = welfarectl(net, "cards", "print", "--sheet", "single")
    assert done.returncode == 0, done.stderr
    held = cards[f"{ENDLESS} Bianchi"]
    shown = f"{held[:4]} {held[4:]}"
    assert done.stdout.startswith("1 card on 1 sheet")
    assert re.search(rf"not printed: 1 card held back, its text would print below 5 pt: {shown} "
                     rf"\('{ENDLESS} Bianchi' at [\d.]+ pt\)", done.stdout), done.stdout
    printed = [json.loads(line) for line in (net / "members" / "cards.jsonl").read_text().splitlines()][-1]
    assert printed["event"] == "printed" and printed["cards"] == [cards["Maria Rossi"]]
    again = welfarectl(net, "cards", "print", "--sheet", "single", "--only-new")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"no card printed: 1 card held back, its text would print below 5 pt: {shown}")


# --- 4. small ones ---------------------------------------------------------------------------------

def test_a_partita_iva_used_twice_is_an_error_at_the_second_naming_the_first(net):
    edit(net, ORGS, 'partita_iva: "03456780034"', 'partita_iva: "02345670026"')
    assert found(net) == [(f"{ORGS}:24:18", "duplicate-partita-iva", "partita IVA 02345670026 is already the one of "
                           f"organisation 'prima-impresa' at {ORGS}:15:18")]


def ledger(count: int) -> list[bytes]:
    """`count` hash-chained registry lines: a card issued, then printed again and again."""
    card = "10000004"
    events = [{"event": "issued", "card": card, "company": "prima-impresa", "holder": MARIA[2], "date": "2026-02-01",
               "expires": "2028-02-01", "replaces": None}]
    events += [{"event": "printed", "cards": [card], "date": f"2026-02-{day:02d}"} for day in range(2, count + 1)]
    lines, previous = [], None
    for seq, event in enumerate(events, 1):
        line = json.dumps({"seq": seq, **event, "prev": previous}, separators=(",", ":")).encode()
        lines.append(line)
        previous = hashlib.sha256(line).hexdigest()
    return lines


def write_registry(root: Path, lines: list[bytes], head: list[bytes] | None) -> None:
    (root / "members" / "cards.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))
    if head is not None:
        record = {"lines": len(head), "last": hashlib.sha256(head[-1]).hexdigest()}
        (root / "members" / "cards.head").write_text(json.dumps(record) + "\n")


def registry_problems(root: Path) -> list[tuple[str, str]]:
    return [(str(p.location), p.code) for p in problems_of(root) if p.code.startswith("registry")]


def test_an_edit_on_line_3_is_reported_at_line_3(net):
    lines = ledger(5)
    write_registry(net, [*lines[:2], lines[2].replace(b"2026-02-03", b"2026-02-13"), *lines[3:]], lines)
    [edited] = [p for p in problems_of(net) if p.code.startswith("registry")]
    assert (str(edited.location), edited.code) == ("members/cards.jsonl:3", "registry-line-edited")
    assert edited.message() == "line 3 was changed after it was written: line 4 records a different hash of it"


def test_two_lines_edited_are_each_reported_at_their_line(net):
    lines = ledger(5)
    write_registry(net, [lines[0], lines[1].replace(b"-02-02", b"-03-02"), lines[2].replace(b"-02-03", b"-03-03"),
                         *lines[3:]], lines)
    assert registry_problems(net) == [("members/cards.jsonl:2", "registry-line-edited"),
                                      ("members/cards.jsonl:3", "registry-line-edited")]


def test_deleted_and_moved_lines_are_reported_where_the_chain_breaks(net):
    lines = ledger(5)
    write_registry(net, [*lines[:2], *lines[3:]], lines)
    assert registry_problems(net) == [("members/cards.jsonl:3", "registry-chain-broken")]
    write_registry(net, [lines[0], lines[2], lines[1], *lines[3:]], lines)
    assert registry_problems(net) == [("members/cards.jsonl:2", "registry-chain-broken"),
                                      ("members/cards.jsonl:3", "registry-chain-broken"),
                                      ("members/cards.jsonl:4", "registry-chain-broken")]


def test_the_last_line_deleted_says_one_line_in_the_singular(net):
    lines = ledger(2)
    write_registry(net, lines[:1], lines)
    [missing] = [p for p in problems_of(net) if p.code == "registry-lines-missing"]
    assert "(1 line)" in missing.message() and "(1 riga)" in missing.message("it")


def test_the_last_line_deleted_with_the_head_is_the_documented_limit(net):
    lines = ledger(3)
    write_registry(net, lines[:2], None)
    assert registry_problems(net) == []  # nothing in the network records the line that is gone
    formats = " ".join((ROOT / "docs" / "formats.md").read_text(encoding="utf-8").split())
    assert "lines cut from the end *and* `cards.head` deleted" in formats and "only version control does" in formats


def hide(rows: tuple[int, ...] = (), sheet: str | None = None):
    def setup(book) -> None:
        for row in rows:
            book["Dipendenti"].row_dimensions[row].hidden = True
        if sheet:
            book[sheet].sheet_state = "hidden"
    return setup


@pytest.mark.parametrize(("rows", "sheet", "en", "it"), [
    ((2,), None, "hidden row 2 is read like the visible ones", "Riga nascosta 2 è letta come le altre"),
    ((2, 3), None, "hidden rows 2-3 are read like the visible ones", "Righe nascoste 2-3 sono lette come le altre"),
    ((), "Vecchi", "hidden sheet 'Vecchi' is read like the visible ones", "Scheda nascosta 'Vecchi' è letta come le altre"),
])
def test_hidden_rows_and_sheets_are_counted_in_the_singular_and_the_plural(net, rows, sheet, en, it):
    staff = [EMPLOYEE_HEADER[:4], MARIA, ["Bianchi", "Anna", a_codice_fiscale(1), date(2021, 1, 1)]]
    sheets = {"Dipendenti": staff, **({sheet: [EMPLOYEE_HEADER[:4]]} if sheet else {})}
    write_workbook(net / WORKBOOK, sheets, hide(rows, sheet))
    [hidden] = [p for p in problems_of(net) if p.code == "hidden-cells"]
    assert (hidden.message(), hidden.message("it")) == (en, it)
