"""Findings about people from the "Real use" issue: leavers under any header, job changes between
member companies, and one bad row that must not stop everyone else's card. Each with real
workbooks and the real command line, on a day fixed by WELFARECTL_AS_OF (26/11/2026)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from cardkeys import signing_key, write_key_file
from stdnum.it import codicefiscale
from typer.testing import CliRunner
from xlsxfiles import write_workbook

from welfarectl.cards.registry import read_registry
from welfarectl.cli.app import app
from welfarectl.network.members import EMPLOYEE_COLUMNS
from welfarectl.sources.headers import HeaderMatcher

ROOT = Path(__file__).resolve().parent.parent
ACETAIA, PANARO = "acetaia-il-cortile-antico", "meccanica-panaro"  # two member companies of the sample
HEADER = ["Cognome", "Nome", "Codice fiscale", "Data assunzione"]
HELD_BACK = 10


def a_codice_fiscale(n: int) -> str:
    stem = f"BNCLRA{50 + n:02d}A41F257"
    return stem + codicefiscale.calc_check_digit(stem)


ROSSI, BIANCHI, VERDI, NERI = (a_codice_fiscale(n) for n in range(4))


@pytest.fixture
def env(tmp_path: Path) -> dict:
    key = write_key_file(tmp_path / "signing.key", signing_key(7))
    return {"WELFARECTL_AS_OF": "2026-11-26", "LANG": "C", "LC_ALL": "", "WELFARECTL_SIGNING_KEY": str(key),
            "XDG_CONFIG_HOME": str(tmp_path / "config")}


@pytest.fixture
def net(tmp_path: Path) -> Path:
    """The sample's catalogue and layouts; members/ is each test's own."""
    root = tmp_path / "net"
    shutil.copytree(ROOT / "catalogue", root / "catalogue", ignore=shutil.ignore_patterns("keys"))
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "members").mkdir()
    return root


def staff(root: Path, company: str, header: list, *rows: list) -> None:
    write_workbook(root / "members" / f"{company}.xlsx", [header, *rows])


def welfarectl(root: Path, env: dict, *args: str):
    return CliRunner().invoke(app, ["-C", str(root), *args], env=env)


def problems(root: Path, env: dict) -> list[tuple[str, str, str]]:
    """validate's problems: (code, where, message)."""
    done = welfarectl(root, env, "validate", "--format", "json")
    found = json.loads(done.stdout)["problems"]
    return [(p["code"], f"{p['file']}:{p['sheet']}!{p['cell']}" if p["sheet"] else f"{p['file']}:{p['line']}",
             p["message"]) for p in found]


def codes(root: Path, env: dict) -> list[str]:
    return [code for code, _, _ in problems(root, env) if code != "missing-workbook"]


def holders(root: Path) -> list[tuple[str, str]]:
    """(company, codice fiscale) of every card issued, in the registry's order (lines name holders by
    pseudonym: members/holders.jsonl ties them to people)."""
    cards = read_registry(root)[0].cards.values()
    return [(card.company, card.holder) for card in sorted(cards, key=lambda card: card.line)]


# --- 1. leaving dates under any header ------------------------------------------------------------

MATCH = HeaderMatcher(EMPLOYEE_COLUMNS)


@pytest.mark.parametrize("header, field", [
    # the finding's headers
    ("DATA CESSAZ.", "leaving_date"), ("Data di fine rapporto", "leaving_date"), ("Data fine", "leaving_date"),
    ("Dimissioni", "leaving_date"),
    # abbreviations, with and without dots, and other packages' words
    ("Dt.Cess.", "leaving_date"), ("Data cess", "leaving_date"), ("Data cessazione prevista", "leaving_date"),
    ("Data cessazione (gg/mm/aaaa)", "leaving_date"), ("Ultimo giorno lavorativo", "leaving_date"),
    ("Termination date", "leaving_date"), ("End of employment", "leaving_date"), ("Data licenziamento", "leaving_date"),
    ("DATA ASSUNZ.", "hire_date"), ("Dt. ass.", "hire_date"), ("Data inizio rapporto di lavoro", "hire_date"),
    ("Hired", "hire_date"), ("Employment start date", "hire_date"), ("Date joined", "hire_date"),
    ("Cod. Fisc. del dipendente", "codice_fiscale"), ("Nome del dipendente", "given_name"),
    ("Cognome lavoratore", "surname"), ("E-mail aziendale del dipendente", "email"), ("Sede operativa", "site"),
    # every spelling matched before still is
    *[(alias, col.field) for col in EMPLOYEE_COLUMNS for alias in col.aliases],
])
def test_headers_are_matched_by_their_words_and_abbreviations(header, field):
    assert MATCH(header) is not None and MATCH(header).field == field


@pytest.mark.parametrize("header", [
    "Data fine periodo di prova", "Fine prova", "Data inizio periodo di prova",  # probation, not employment
    "Data nascita", "Data di nascita",  # birth
    "Motivo cessazione", "Tipo assunzione",  # about the event, not its date
    "Cessione del quinto",  # a salary deduction that starts like "cessazione"
    "Data assunzione / cessazione",  # both at once: neither
    "Codice fiscale azienda", "Nome e cognome", "Nome azienda", "Email responsabile", "Sede legale",
    "Annual leave", "Data", "Matricola", "IBAN",
])
def test_headers_that_name_something_else_are_not_taken_for_a_column(header):
    assert MATCH(header) is None


@pytest.mark.parametrize("leaving", ["DATA CESSAZ.", "Data di fine rapporto", "Data fine", "Dimissioni"])
def test_a_leaver_under_any_of_the_findings_headers_gets_no_card_and_validate_warns(net, env, leaving):
    staff(net, ACETAIA, [*HEADER, leaving], ["Rossi", "Anna", ROSSI, date(2010, 1, 1)],
          ["Bianchi", "Bruno", BIANCHI, date(2011, 1, 1), date(2027, 3, 31)])  # leaves next spring
    done = welfarectl(net, env, "cards", "issue")
    assert done.exit_code == 0, done.output
    assert holders(net) == [(ACETAIA, ROSSI)]
    assert "not issued: 1 current employee with a leaving date" in done.stdout
    assert codes(net, env) == []  # the column is read, not ignored
    staff(net, ACETAIA, [*HEADER, leaving], ["Rossi", "Anna", ROSSI, date(2010, 1, 1), date(2026, 10, 31)])
    [(code, where, message)] = [p for p in problems(net, env) if p[0] != "missing-workbook"]
    assert (code, where) == ("card-holder-left", "members/cards.jsonl:1") and "31/10/2026" in message


def test_a_column_of_dates_the_network_does_not_read_is_a_warning_at_its_header(net, env):
    staff(net, ACETAIA, [*HEADER, "Fine validità badge", "Data nascita", "Matricola"],
          ["Rossi", "Anna", ROSSI, date(2010, 1, 1), date(2026, 10, 31), date(1980, 5, 2), 1017],
          ["Bianchi", "Bruno", BIANCHI, date(2011, 1, 1), "31/12/2026", date(1981, 6, 3), 1018])
    found = [p for p in problems(net, env) if p[0] != "missing-workbook"]
    assert [(code, where) for code, where, _ in found] == [
        ("date-column-not-read", f"members/{ACETAIA}.xlsx:Dipendenti!E1"),
        ("ignored-column", f"members/{ACETAIA}.xlsx:Dipendenti!F1")]  # birth dates: personal data to drop
    assert found[0][2] == ("column 'Fine validità badge' holds dates but is not read: dates are read only from the "
                           "columns 'Data assunzione', 'Data cessazione'; if it is one of them, rename its header")
    assert found[1][2].endswith(": Data nascita, Matricola")  # staff numbers look like serial dates: not dates


# --- 2. a job change between member companies -----------------------------------------------------

def test_a_job_change_is_no_duplicate_the_old_card_is_to_revoke_and_the_new_company_gives_one(net, env):
    staff(net, ACETAIA, HEADER, ["Verdi", "Carla", VERDI, date(2015, 1, 1)])
    assert welfarectl(net, env, "cards", "issue").exit_code == 0
    staff(net, ACETAIA, [*HEADER, "Data cessazione"], ["Verdi", "Carla", VERDI, date(2015, 1, 1), date(2026, 6, 30)])
    staff(net, PANARO, HEADER, ["Verdi", "Carla", VERDI, date(2026, 7, 1)])
    assert [(code, where) for code, where, _ in problems(net, env) if code != "missing-workbook"] == [
        ("card-holder-left", "members/cards.jsonl:1")]
    done = welfarectl(net, env, "cards", "issue")
    assert done.exit_code == 0, done.output
    assert holders(net) == [(ACETAIA, VERDI), (PANARO, VERDI)]


def test_overlapping_employments_in_two_companies_stay_a_duplicate(net, env):
    staff(net, ACETAIA, [*HEADER, "Data cessazione"], ["Verdi", "Carla", VERDI, date(2015, 1, 1), date(2026, 9, 30)],
          ["Rossi", "Anna", ROSSI, date(2010, 1, 1), None])
    staff(net, PANARO, HEADER, ["Verdi", "Carla", VERDI, date(2026, 9, 1)])  # hired before leaving
    assert [(code, where) for code, where, _ in problems(net, env) if code != "missing-workbook"] == [
        ("duplicate-codice-fiscale", f"members/{PANARO}.xlsx:Dipendenti!C2")]
    done = welfarectl(net, env, "cards", "issue")
    assert done.exit_code == HELD_BACK, done.output
    assert holders(net) == [(ACETAIA, ROSSI)]  # neither company's card for Verdi until HR says which is right


# --- 3. one bad row holds back one card -----------------------------------------------------------

def test_errors_in_one_row_hold_back_only_that_persons_card(net, env):
    staff(net, ACETAIA, HEADER, ["Rossi", "Anna", ROSSI, date(2010, 1, 1)],
          ["Wang", "王", BIANCHI, date(2011, 1, 1)],
          ["Neri", "Nino", NERI[:-1] + "X", date(2012, 1, 1)])
    staff(net, PANARO, HEADER, ["Verdi", "Carla", VERDI, date(2015, 1, 1)])
    assert welfarectl(net, env, "validate").exit_code == 1  # still errors for validate
    done = welfarectl(net, env, "cards", "issue")
    assert done.exit_code == HELD_BACK, done.output
    assert holders(net) == [(ACETAIA, ROSSI), (PANARO, VERDI)]
    out = done.stdout
    assert out.startswith("issued 2 cards; print them with `welfarectl cards print --only-new`; held back: 2")
    assert "held back, no card until their row is fixed: 2 people" in out
    assert f"members/{ACETAIA}.xlsx:Dipendenti!A3: 王 Wang ({BIANCHI})" in out
    assert f"members/{ACETAIA}.xlsx:Dipendenti!B3: error[unprintable-character]" in out
    assert f"members/{ACETAIA}.xlsx:Dipendenti!A4: Nino Neri ({NERI[:-1]}X)" in out
    assert f"members/{ACETAIA}.xlsx:Dipendenti!C4: error[invalid-codice-fiscale]" in out
    again = welfarectl(net, env, "cards", "issue", "--format", "json")
    assert again.exit_code == HELD_BACK
    listed = json.loads(again.stdout)
    assert listed["issued"] == 0 and [h["row"] for h in listed["held_back"]] == [
        f"members/{ACETAIA}.xlsx:Dipendenti!A3", f"members/{ACETAIA}.xlsx:Dipendenti!A4"]
    only_panaro = welfarectl(net, env, "cards", "issue", "--company", PANARO)
    assert only_panaro.exit_code == 0 and "held back" not in only_panaro.stdout


@pytest.mark.parametrize("breaks", ["catalogue", "missing-column"])
def test_errors_beyond_one_row_still_block_every_card(net, env, breaks):
    staff(net, ACETAIA, HEADER, ["Rossi", "Anna", ROSSI, date(2010, 1, 1)], ["Wang", "王", BIANCHI, date(2011, 1, 1)])
    if breaks == "catalogue":
        services = net / "catalogue" / "services.yaml"
        services.write_text(services.read_text(encoding="utf-8").replace("macro_area: ", "macro_area: x", 1),
                            encoding="utf-8")
    else:
        staff(net, PANARO, HEADER[:3], ["Verdi", "Carla", VERDI])
    done = welfarectl(net, env, "cards", "issue")
    assert done.exit_code == 1 and "the network has errors" in done.output
    assert not (net / "members" / "cards.jsonl").exists()


def test_print_leaves_out_the_card_of_a_name_the_font_cannot_print(net, env, tmp_path):
    staff(net, ACETAIA, HEADER, ["Rossi", "Anna", ROSSI, date(2010, 1, 1)], ["Bianchi", "Bruno", BIANCHI, date(2011, 1, 1)])
    assert welfarectl(net, env, "cards", "issue").exit_code == 0
    staff(net, ACETAIA, HEADER, ["Rossi", "Anna", ROSSI, date(2010, 1, 1)], ["Bianchi", "Bruno 王", BIANCHI, date(2011, 1, 1)])
    done = welfarectl(net, env, "cards", "print", "-o", str(tmp_path / "cards.pdf"))
    assert done.exit_code == HELD_BACK, done.output
    assert "1 card on 1 sheet" in done.stdout and "held back: 1 card" in done.stdout
    assert f"members/{ACETAIA}.xlsx:Dipendenti!B3: error[unprintable-character]" in done.stdout
    manifest = (tmp_path / "cards.csv").read_text(encoding="utf-8-sig")
    assert "Anna Rossi" in manifest and "Bruno" not in manifest
    staff(net, ACETAIA, HEADER, ["Bianchi", "Bruno 王", BIANCHI, date(2011, 1, 1)])
    nothing = welfarectl(net, env, "cards", "print", "--only-new", "-o", str(tmp_path / "new.pdf"))
    assert nothing.exit_code == HELD_BACK and "held back: 1 card" in nothing.stdout
    assert not (tmp_path / "new.pdf").exists()


def test_the_held_back_exit_code_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "exit 10" in readme
    for command in ("issue", "print"):
        done = CliRunner().invoke(app, ["cards", command, "--help"])
        assert "exits 10" in " ".join(done.stdout.split())
