"""Findings from a new user's first week (issue "Real use"), each with a real file or command."""

import json
import shutil
from pathlib import Path

import pytest
from cardkeys import signing_key, write_key_file
from networks import as_at_a_terminal, wait_for_a_child
from typer.testing import CliRunner

from welfarectl.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
COMPANY = "acetaia-il-cortile-antico"


@pytest.fixture
def env(tmp_path: Path) -> dict:
    key = write_key_file(tmp_path / "signing.key", signing_key(6))
    return {"WELFARECTL_AS_OF": "2026-11-26", "LANG": "C", "LC_ALL": "", "WELFARECTL_SIGNING_KEY": str(key),
            "XDG_CONFIG_HOME": str(tmp_path / "config")}


@pytest.fixture
def net(tmp_path: Path) -> Path:
    root = tmp_path / "net"
    shutil.copytree(ROOT / "catalogue", root / "catalogue", ignore=shutil.ignore_patterns("keys"))
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "members").mkdir()
    shutil.copy(ROOT / "members" / f"{COMPANY}.xlsx", root / "members")
    return root


def welfarectl(net: Path, env: dict, *args: str):
    return CliRunner().invoke(app, ["-C", str(net), *args], env=env)


def problems(net: Path, env: dict) -> list[tuple[str, object]]:
    done = welfarectl(net, env, "validate", "--format", "json")
    return [(p["code"], p["line"]) for p in json.loads(done.stdout)["problems"]]


# --- files as they travel -------------------------------------------------------------------------

def test_a_registry_checked_out_with_windows_line_endings_is_the_same_registry(net, env):
    assert welfarectl(net, env, "cards", "issue").exit_code == 0
    ledger, head = net / "members" / "cards.jsonl", net / "members" / "cards.head"
    ledger.write_bytes(ledger.read_bytes().replace(b"\n", b"\r\n"))
    head.write_bytes(head.read_bytes().replace(b"\n", b"\r\n"))
    assert [code for code, _ in problems(net, env) if code.startswith("registry")] == []
    done = welfarectl(net, env, "cards", "revoke", "1000 0004", "--reason", "lost")
    assert done.exit_code == 0, done.output
    assert b"\r" not in ledger.read_bytes()  # written back with LF
    assert [code for code, _ in problems(net, env) if code.startswith("registry")] == []


def test_init_keeps_git_away_from_the_registrys_bytes(tmp_path):
    done = CliRunner().invoke(app, ["init", str(tmp_path / "new")])
    assert done.exit_code == 0, done.output
    attributes = (tmp_path / "new" / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert {"members/cards.jsonl -text", "members/cards.head -text"} <= set(attributes)
    assert "members/.cards.lock" in (tmp_path / "new" / ".gitignore").read_text(encoding="utf-8").splitlines()


# --- smaller things a user notices ----------------------------------------------------------------

def test_version_and_init_in_the_directory_given_with_C(tmp_path):
    from welfarectl import __version__

    done = CliRunner().invoke(app, ["--version"])
    assert done.exit_code == 0 and done.stdout.strip() == f"welfarectl {__version__}"
    made = CliRunner().invoke(app, ["-C", str(tmp_path / "here"), "init"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "here" / "catalogue" / "network.yaml").is_file()


def test_print_words_take_the_sheet_in_any_case_and_count_in_good_english(net, env, tmp_path):
    assert welfarectl(net, env, "cards", "issue").exit_code == 0
    done = welfarectl(net, env, "cards", "print", "--sheet", "SRA3", "-o", str(tmp_path / "sra3.pdf"))
    assert done.exit_code == 0, done.output
    assert " cards on 1 sheet -> " in done.stdout


def test_a_partial_last_sheet_has_crop_marks_only_for_its_cards():
    from welfarectl.cards.sheets import SHEETS, crop_marks

    sheet = SHEETS["sra3"]  # 3 across, 7 down
    full, four = crop_marks(sheet), crop_marks(sheet, 4, "front")
    lowest = max(y for _, y1, _, y2 in full for y in (y1, y2))
    assert max(y for _, y1, _, y2 in four for y in (y1, y2)) < lowest - 100  # two rows of cards, not seven
    assert {x for x, _, x2, _ in crop_marks(sheet, 1, "back") if x == x2} != {x for x, _, x2, _ in crop_marks(sheet, 1)
                                                                           if x == x2}  # backs are mirrored


def test_every_card_of_a_proof_says_so(net, env, tmp_path):
    from pypdf import PdfReader

    from welfarectl.cards.marks import PROOF_MARK

    assert welfarectl(net, env, "cards", "issue").exit_code == 0
    assert welfarectl(net, env, "cards", "print", "--proof", "-o", str(tmp_path / "proof.pdf")).exit_code == 0
    assert welfarectl(net, env, "cards", "print", "--proof", "-o", str(tmp_path / "again.pdf")).exit_code == 0
    proof = PdfReader(tmp_path / "proof.pdf")
    cards = sum(1 for row in (tmp_path / "proof.csv").read_text(encoding="utf-8-sig").splitlines()[1:])
    marks = sum(page.extract_text().count(PROOF_MARK) for page in proof.pages)
    assert marks == cards  # one on each side of each card: the manifest has a row per side
    assert welfarectl(net, env, "cards", "print", "-o", str(tmp_path / "real.pdf")).exit_code == 0
    assert all(PROOF_MARK not in page.extract_text() for page in PdfReader(tmp_path / "real.pdf").pages)


def test_revocations_go_to_standard_output_with_dash_and_replace_says_to_publish(net, env):
    assert welfarectl(net, env, "cards", "issue").exit_code == 0
    replaced = welfarectl(net, env, "cards", "replace", "1000 0004")
    assert replaced.exit_code == 0 and "welfarectl cards revocations" in replaced.stdout
    done = welfarectl(net, env, "cards", "revocations", "-o", "-")
    assert done.exit_code == 0
    assert [entry["card"] for entry in json.loads(done.stdout)["revoked"]] == ["10000004"]
    assert not (net / "-").exists()


def test_stats_refuses_figures_that_would_count_dropped_records(net, env):
    services = net / "catalogue" / "services.yaml"
    services.write_text(services.read_text(encoding="utf-8").replace("macro_area: ", "macro_area: x", 1),
                        encoding="utf-8")
    done = welfarectl(net, env, "stats")
    assert done.exit_code == 1 and "figures would be wrong" in done.output and "Services" not in done.stdout


def test_ctrl_c_during_a_print_run_exits_130_in_one_line_and_writes_nothing(tmp_path, env):
    import os
    import signal
    import subprocess
    import sys
    import time

    root = tmp_path / "big"
    shutil.copytree(ROOT / "catalogue", root / "catalogue", ignore=shutil.ignore_patterns("keys"))
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "members", root / "members", ignore=shutil.ignore_patterns("cards.*", "survey.xlsx"))
    assert welfarectl(root, env, "cards", "issue").exit_code == 0
    process = subprocess.Popen([sys.executable, "-m", "welfarectl", "-C", str(root), "cards", "print", "-o",
                                str(tmp_path / "out" / "cards.pdf")], env={**os.environ, **env},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=as_at_a_terminal)
    wait_for_a_child(process.pid)  # the drawing has begun (its QR process is started)
    time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: to every process of the group
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out, err)
    assert err.strip().splitlines()[-1].startswith("error: interrupted") and err.count("interrupted") == 1
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_refused_card_command_counts_problems_as_validate_does(net, env):
    services = net / "catalogue" / "services.yaml"
    services.write_text(services.read_text(encoding="utf-8").replace("macro_area: ", "macro_area: x", 1),
                        encoding="utf-8")
    checked = welfarectl(net, env, "validate").stdout.strip().splitlines()[-1]
    assert checked.startswith("1 error, ") and "warning" in checked
    refused = welfarectl(net, env, "cards", "issue")
    assert refused.exit_code == 1
    assert checked in refused.stdout and "warnings not listed" in refused.stdout
    assert "warning[" not in refused.stdout


def test_a_key_file_given_that_does_not_exist_is_an_error_and_signing_says_which_key(net, env, tmp_path):
    assert welfarectl(net, env, "cards", "issue").exit_code == 0
    missing = {**env, "WELFARECTL_SIGNING_KEY": str(tmp_path / "typo.key")}
    refused = welfarectl(net, missing, "cards", "print", "-o", str(tmp_path / "cards.pdf"))
    assert refused.exit_code == 1 and "typo.key" in refused.output and "never created" in refused.output
    assert not (tmp_path / "typo.key").exists() and not (tmp_path / "cards.pdf").exists()
    done = welfarectl(net, env, "cards", "print", "-o", str(tmp_path / "cards.pdf"))
    assert done.exit_code == 0 and f"({env['WELFARECTL_SIGNING_KEY']})" in done.stdout
    current = (net / "catalogue" / "keys" / "current").read_text(encoding="utf-8").strip()
    assert f"signed with key {current} " in done.stdout


def test_source_date_epoch_pins_pdf_dates_not_the_day_cards_are_issued(net, env):
    from datetime import date

    ci = {k: v for k, v in env.items() if k != "WELFARECTL_AS_OF"}
    ci["SOURCE_DATE_EPOCH"] = "2208988800"  # 2040-01-01, as a CI system may set it for its builds
    issued = welfarectl(net, ci, "--as-of", "26/11/2026", "cards", "issue", "--format", "json")
    assert issued.exit_code == 0, issued.output
    assert {card["expires"] for card in json.loads(issued.stdout)["cards"]} == {"2028-11-26"}
    today = welfarectl(net, ci, "cards", "issue", "--dry-run", "--format", "json")
    still_valid = date.today() <= date(2028, 11, 26)  # in 2040 every card would have expired
    assert today.exit_code == 0 and (json.loads(today.stdout)["issued"] == 0) == still_valid
    bad = welfarectl(net, ci, "--as-of", "31/02/2026", "validate")
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_someone_hired_next_month_gets_a_card_from_the_day_they_start(net, env):
    from datetime import date

    from xlsxfiles import EMPLOYEE_HEADER, write_workbook

    from welfarectl.network.members import read_employees

    workbook = net / "members" / f"{COMPANY}.xlsx"
    staff, _ = read_employees(workbook, f"members/{COMPANY}.xlsx", COMPANY)
    rows = [[e.surname, e.given_name, e.codice_fiscale, e.hire_date, e.leaving_date] for e in staff]
    rows[0][3] = date(2026, 12, 14)
    write_workbook(workbook, [EMPLOYEE_HEADER[:5], *rows])
    before = json.loads(welfarectl(net, env, "cards", "issue", "--dry-run", "--format", "json").stdout)
    later = json.loads(welfarectl(net, {**env, "WELFARECTL_AS_OF": "2026-12-14"}, "cards", "issue", "--dry-run",
                                  "--format", "json").stdout)
    assert later["issued"] == before["issued"] + 1


def test_shell_completion_is_offered_and_documented():
    done = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in done.stdout and "--show-completion" in done.stdout
    assert "welfarectl --install-completion" in (ROOT / "README.md").read_text(encoding="utf-8")
