"""The card workflow as a coordinator runs it: issue, print, read the QR back, verify, revoke.

A small network (the sample catalogue and templates, three companies' workbooks) keeps it quick;
the QR codes are read back with the print shop's tools (pdftoppm, zbarimg) from real PDFs.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cardkeys import signing_key
from cryptography.hazmat.primitives import serialization
from pypdf import PdfReader
from xlsxfiles import EMPLOYEE_HEADER, write_workbook

from welfarectl.network.members import read_employees

ROOT = Path(__file__).resolve().parent.parent
COMPANIES = ("ferramenta-centrale-soliera", "osteria-del-tortellino-felice", "acetaia-il-cortile-antico")
DAY = 1795651200  # 2026-11-26 00:00 UTC
VERIFY_EXIT = {"valid": 0, "malformed": 3, "bad-signature": 4, "unknown-key": 5, "other-network": 6,
               "expired": 7, "revoked": 8}


@pytest.fixture
def net(tmp_path: Path) -> Path:
    root = tmp_path / "net"
    shutil.copytree(ROOT / "catalogue", root / "catalogue", ignore=shutil.ignore_patterns("keys"))
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "members").mkdir()
    for company in COMPANIES:
        shutil.copy(ROOT / "members" / f"{company}.xlsx", root / "members")
    return root


def welfarectl(net: Path, *args: str, day: int = DAY, stdin: str | None = None, **env: str):
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(day), "LANG": "C", "LC_ALL": "",
                   "XDG_CONFIG_HOME": str(net.parent / "config"), "HOME": str(net.parent / "home"), **env}
    environment.pop("WELFARECTL_SIGNING_KEY", None)
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "welfarectl", "-C", str(net), *args], capture_output=True,
                          text=True, env=environment, input=stdin, timeout=120)


def issue(net: Path) -> dict:
    done = welfarectl(net, "cards", "issue", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def tool(*args: str) -> str:
    if shutil.which(args[0]) is None:
        pytest.fail(f"{args[0]} is not installed: `.ci/run` installs it (poppler-utils, zbar-tools)")
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=120).stdout


def test_issue_gives_each_current_employee_one_card_and_a_second_run_none(net):
    first = issue(net)
    assert first["issued"] == 8 + 11 + 12
    numbers = [c["card"] for c in first["cards"]]
    assert len(set(numbers)) == len(numbers) and all(len(n) == 8 and n.isdigit() for n in numbers)
    assert issue(net) == {"issued": 0, "dry_run": False, "cards": [], "skipped_leaving": 0, "held_back": []}
    assert welfarectl(net, "validate").returncode == 0


def test_dry_run_changes_nothing(net):
    done = welfarectl(net, "cards", "issue", "--dry-run", "--format", "json")
    assert json.loads(done.stdout)["issued"] == 31
    assert not (net / "members" / "cards.jsonl").exists()


def fixed_key(tmp_path: Path) -> str:
    """A signing key from a fixed seed: with the fixed day, every payload and so every printed
    QR code is the same from run to run, and so is what zbarimg reads on a whole page."""
    path = tmp_path / "fixed.key"
    path.write_bytes(signing_key(9).private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    path.chmod(0o600)
    return str(path)


def test_the_first_command_that_signs_creates_the_key_and_says_so_once(net):
    first = welfarectl(net, "cards", "revocations")
    assert first.returncode == 0 and "created a new signing key" in first.stderr
    again = welfarectl(net, "cards", "revocations")
    assert again.returncode == 0 and "created a new signing key" not in again.stderr
    assert len(list((net / "catalogue" / "keys").glob("*.pub"))) == 1


def test_printed_a4_sheet_decodes_and_verifies_and_is_print_ready(net, tmp_path):
    issue(net)
    key = fixed_key(tmp_path)
    done = welfarectl(net, "cards", "print", "--company", COMPANIES[2], "--key-file", key)
    assert done.returncode == 0, done.stderr
    pdf = net / "output" / "cards" / f"cards-a4-{COMPANIES[2]}.pdf"
    manifest = list(csv.DictReader((pdf.with_suffix(".csv")).open(encoding="utf-8-sig")))
    fronts = [row for row in manifest if row["side"] == "front"]
    assert len(fronts) == 12 and {row["company"] for row in fronts} == {COMPANIES[2]}
    ticket = pdf.with_suffix(".txt").read_text(encoding="utf-8")
    assert "long edge" in ticket.lower() and "A4" in ticket

    reader = PdfReader(pdf)
    width, height = (float(v) * 25.4 / 72 for v in reader.pages[0].mediabox[2:])
    assert (round(width, 1), round(height, 1)) == (210.0, 297.0)
    fonts = tool("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the 'emb' column

    tool("pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page"))
    png = next(tmp_path.glob("page*.png"))
    payloads = [line for line in tool("zbarimg", "--raw", "-q", str(png)).splitlines() if line]
    on_page_one = [row["card"] for row in fronts if row["sheet"] == "1"]
    assert len(payloads) == len(on_page_one) >= 8
    verified = []
    for payload in payloads:
        answer = welfarectl(net, "cards", "verify", payload, "--format", "json")
        assert answer.returncode == 0, answer.stdout
        verified.append(json.loads(answer.stdout)["card"])
    assert sorted(verified) == sorted(on_page_one)



def test_two_prints_of_the_same_registry_are_byte_identical(net, tmp_path):
    issue(net)
    for name in ("one.pdf", "two.pdf"):
        assert welfarectl(net, "cards", "print", "-o", str(tmp_path / name)).returncode == 0
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()


def test_single_sheet_pages_are_card_size(net, tmp_path):
    issue(net)
    assert welfarectl(net, "cards", "print", "--sheet", "single", "-o", str(tmp_path / "s.pdf")).returncode == 0
    page = PdfReader(tmp_path / "s.pdf").pages[0]
    width, height = (float(v) * 25.4 / 72 for v in page.mediabox[2:])
    assert abs(width - 85.60) < 0.01 and abs(height - 53.98) < 0.01


def _a_payload(net: Path, tmp_path: Path) -> tuple[str, str]:
    issue(net)
    assert welfarectl(net, "cards", "print", "--sheet", "single", "-o", str(tmp_path / "s.pdf"),
                      "--key-file", fixed_key(tmp_path)).returncode == 0
    tool("pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(tmp_path / "s.pdf"), str(tmp_path / "card"))
    payload = tool("zbarimg", "--raw", "-q", str(next(tmp_path.glob("card*.png")))).strip()
    first = next(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8-sig")))
    return payload, first["card"]


def test_verify_reports_each_status_with_its_exit_code(net, tmp_path):
    payload, card = _a_payload(net, tmp_path)

    valid = welfarectl(net, "cards", "verify", "-", stdin=payload + "\n")
    assert valid.returncode == 0 and card[:4] in valid.stdout

    changed = payload[:20] + ("A" if payload[20] != "A" else "B") + payload[21:]
    tampered = welfarectl(net, "cards", "verify", changed, "--format", "json")
    assert tampered.returncode in (VERIFY_EXIT["bad-signature"], VERIFY_EXIT["malformed"])
    assert json.loads(tampered.stdout)["status"] in ("bad-signature", "malformed")

    assert welfarectl(net, "cards", "verify", "WC1:not base45!").returncode == VERIFY_EXIT["malformed"]

    years_later = welfarectl(net, "cards", "verify", payload, "--format", "json", day=DAY + 3 * 366 * 86400)
    assert years_later.returncode == VERIFY_EXIT["expired"]
    assert json.loads(years_later.stdout)["status"] == "expired"

    assert welfarectl(net, "cards", "revoke", card, "--reason", "lost").returncode == 0
    revoked = welfarectl(net, "cards", "verify", payload, "--format", "json")
    assert revoked.returncode == VERIFY_EXIT["revoked"]
    answer = json.loads(revoked.stdout)
    assert (answer["status"], answer["card"]) == ("revoked", card)


def test_a_provider_verifies_against_the_signed_revocation_list(net, tmp_path):
    payload, card = _a_payload(net, tmp_path)
    assert welfarectl(net, "cards", "revoke", f"{card[:4]} {card[4:]}", "--reason", "withdrawn").returncode == 0
    listing = tmp_path / "revocations.json"
    assert welfarectl(net, "cards", "revocations", "-o", str(listing)).returncode == 0
    published = json.loads(listing.read_text(encoding="utf-8"))
    assert [entry["card"] for entry in published["revoked"]] == [card]
    (net / "members" / "cards.jsonl").unlink()  # the provider has no registry, only the list
    answer = welfarectl(net, "cards", "verify", payload, "--revocations", str(listing))
    assert answer.returncode == VERIFY_EXIT["revoked"]
    forged = json.dumps({**published, "revoked": []})
    listing.write_text(forged, encoding="utf-8")
    refused = welfarectl(net, "cards", "verify", payload, "--revocations", str(listing))
    assert refused.returncode == 1 and "revocations.json" in refused.stderr


def test_replace_revokes_the_old_number_and_issues_a_new_one(net):
    card = issue(net)["cards"][0]["card"]
    done = welfarectl(net, "cards", "replace", card)
    assert done.returncode == 0, done.stderr
    assert issue(net)["issued"] == 0
    again = welfarectl(net, "cards", "revoke", card, "--reason", "lost")
    assert again.returncode == 1 and "traceback" not in again.stderr.lower()


def test_a_mistyped_card_number_is_caught(net):
    card = issue(net)["cards"][0]["card"]
    typo = card[:-2] + card[-1] + card[-2] if card[-1] != card[-2] else card[:-1] + str((int(card[-1]) + 1) % 10)
    done = welfarectl(net, "cards", "revoke", typo, "--reason", "lost")
    assert done.returncode != 0 and "check digit" in done.stderr


def test_no_new_key_refuses_instead_of_creating_one(net):
    issue(net)
    done = welfarectl(net, "cards", "print", "--no-new-key")
    assert done.returncode == 1 and "keys init" in done.stderr
    assert not (net / "output" / "cards" / "cards-a4.pdf").exists()


def test_the_private_key_never_goes_inside_the_network(net):
    inside = welfarectl(net, "keys", "init", "--key-file", str(net / "output" / "signing.key"))
    assert inside.returncode != 0 and "inside the network" in inside.stderr
    assert not (net / "output" / "signing.key").exists()
    outside = net.parent / "secrets" / "signing.key"
    made = welfarectl(net, "keys", "init", "--key-file", str(outside))
    assert made.returncode == 0, made.stderr
    assert oct(outside.stat().st_mode & 0o777) == "0o600"
    assert len(list((net / "catalogue" / "keys").glob("*.pub"))) == 1
    assert welfarectl(net, "keys", "init", "--key-file", str(outside)).returncode != 0  # never overwritten


def test_validate_reports_a_hand_edited_registry_by_line(net):
    issue(net)
    ledger = net / "members" / "cards.jsonl"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace('"company":"', '"company":"x', 1)
    ledger.write_text("".join(lines), encoding="utf-8")
    done = welfarectl(net, "validate", "--format", "json")
    assert done.returncode == 1
    found = [(p["code"], p["line"]) for p in json.loads(done.stdout)["problems"]]
    assert ("registry-chain-broken", 4) in found
    refused = welfarectl(net, "cards", "issue")
    assert refused.returncode == 1


def test_an_output_path_that_is_a_directory_is_refused_before_anything_is_written(net, tmp_path):
    issue(net)
    (tmp_path / "out").mkdir()
    done = welfarectl(net, "cards", "print", "-o", str(tmp_path / "out"))
    assert done.returncode == 2 and "is a directory" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == ["out"]
    assert welfarectl(net, "cards", "revocations", "-o", str(tmp_path / "out")).returncode == 2


def test_a_proof_leaves_the_cards_for_the_next_only_new_batch(net, tmp_path):
    issued = issue(net)["issued"]
    assert welfarectl(net, "cards", "print", "--proof", "-o", str(tmp_path / "proof.pdf")).returncode == 0
    batch = welfarectl(net, "cards", "print", "--only-new")
    assert batch.returncode == 0 and f"{issued} cards" in batch.stdout
    rows = list(csv.DictReader((net / "output" / "cards" / "cards-a4-new.csv").open(encoding="utf-8-sig")))
    assert len([row for row in rows if row["side"] == "front"]) == issued
    assert "no new active cards" in welfarectl(net, "cards", "print", "--only-new").stdout


def test_the_card_of_someone_who_left_is_not_printed(net):
    cards = issue(net)["cards"]
    company = COMPANIES[0]
    staff, _ = read_employees(net / "members" / f"{company}.xlsx", f"members/{company}.xlsx", company)
    current = [e for e in staff if e.leaving_date is None]
    leaver = current[0]
    write_workbook(net / "members" / f"{company}.xlsx", [EMPLOYEE_HEADER[:5]] + [
        [e.surname, e.given_name, e.codice_fiscale, e.hire_date,
         date(2026, 11, 1) if e is leaver else e.leaving_date] for e in staff])
    warned = welfarectl(net, "validate", "--format", "json")
    assert "card-holder-left" in {p["code"] for p in json.loads(warned.stdout)["problems"]}
    done = welfarectl(net, "cards", "print", "--company", company)
    assert done.returncode == 0 and "not printed: 1 card of people who left" in done.stdout
    rows = list(csv.DictReader((net / "output" / "cards" / f"cards-a4-{company}.csv").open(encoding="utf-8-sig")))
    leaver_card = next(c["card"] for c in cards if c["holder"] == f"{leaver.given_name} {leaver.surname}")
    assert leaver_card not in {row["card"] for row in rows}
    assert len({row["card"] for row in rows}) == len(current) - 1


def test_a_name_the_card_font_cannot_print_is_an_error_at_its_cell(net):
    company = COMPANIES[0]
    staff, _ = read_employees(net / "members" / f"{company}.xlsx", f"members/{company}.xlsx", company)
    rows = [[e.surname, e.given_name, e.codice_fiscale, e.hire_date, e.leaving_date] for e in staff]
    rows[0][1] = "王芳"
    write_workbook(net / "members" / f"{company}.xlsx", [EMPLOYEE_HEADER[:5], *rows])
    done = welfarectl(net, "validate", "--format", "json")
    assert done.returncode == 1
    found = [(p["code"], p["file"], p["cell"]) for p in json.loads(done.stdout)["problems"] if p["severity"] == "error"]
    assert found == [("unprintable-character", f"members/{company}.xlsx", "B2")]
    assert welfarectl(net, "cards", "issue").returncode == 10  # the others' cards are issued; this one held back
