"""The card workflow as a coordinator runs it: issue, print, read the QR back, verify, revoke.

A small network (the sample catalogue and templates, three companies' workbooks) keeps it quick,
and welfarectl runs in this process. The QR codes are read back from real PDFs rendered to
pixels, as a phone would; poppler and zbar, where installed, check them once more as the print
shop and a provider's counter would.
"""

import csv
import json
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from networks import SMALL_COMPANIES, TODAY, current_staff, run_welfarectl, run_welfarectl_process, staff_of
from pdfpages import fonts, pdffonts, read_qr_codes, render_page, zbarimg_on_page_one
from pypdf import PdfReader
from xlsxfiles import EMPLOYEE_HEADER, write_workbook

ACETAIA = "acetaia-il-cortile-antico"
VERIFY_EXIT = {"valid": 0, "malformed": 3, "bad-signature": 4, "unknown-key": 5, "other-network": 6,
               "expired": 7, "revoked": 8}


def issue(welfarectl, net: Path) -> dict:
    done = welfarectl("-C", net, "cards", "issue", "--format", "json")
    assert done.exit_code == 0, done.stderr
    return json.loads(done.stdout)


def manifest(pdf: Path) -> list[dict]:
    return list(csv.DictReader(pdf.with_suffix(".csv").open(encoding="utf-8-sig")))


def fronts(pdf: Path) -> list[dict]:
    return [row for row in manifest(pdf) if row["side"] == "front"]


def current_employees(net: Path) -> int:
    return sum(len(current_staff(net, company)) for company in SMALL_COMPANIES)


@dataclass(frozen=True)
class Printed:
    """The issued small network after two prints with the fixed key: the Acetaia's cards on A4
    sheets, then every card one a page; and the first card's QR code as read off its page."""

    root: Path
    a4: Path
    single: Path
    payload: str
    card: str


@pytest.fixture(scope="module")
def printed(issued_network, fixed_key_file, tmp_path_factory) -> Printed:
    home = tmp_path_factory.mktemp("printed")
    root = Path(shutil.copytree(issued_network.root, home / "net"))
    done = run_welfarectl("-C", root, "cards", "print", "--company", ACETAIA, "--key-file", fixed_key_file, home=home)
    assert done.exit_code == 0, done.stderr
    single = home / "s.pdf"
    done = run_welfarectl("-C", root, "cards", "print", "--sheet", "single", "-o", single, "--key-file", fixed_key_file,
                          home=home)
    assert done.exit_code == 0, done.stderr
    codes = read_qr_codes(render_page(single, 0, dpi=300))
    assert len(codes) == 1, codes
    return Printed(root, root / "output" / "cards" / f"cards-a4-{ACETAIA}.pdf", single, codes[0],
                   fronts(single)[0]["card"])


@pytest.fixture
def printed_copy(printed: Printed, tmp_path: Path) -> Path:
    """A fresh copy of the printed network, to change."""
    return Path(shutil.copytree(printed.root, tmp_path / "net"))


# --- issuing --------------------------------------------------------------------------------------

def test_issue_gives_each_current_employee_one_card_and_a_second_run_none(small_network, welfarectl):
    first = issue(welfarectl, small_network)
    assert first["issued"] == current_employees(small_network) > 0
    numbers = [c["card"] for c in first["cards"]]
    assert len(set(numbers)) == len(numbers) and all(len(n) == 8 and n.isdigit() for n in numbers)
    assert issue(welfarectl, small_network) == {"issued": 0, "dry_run": False, "cards": [], "skipped_leaving": 0,
                                                "held_back": []}
    assert welfarectl("-C", small_network, "validate").exit_code == 0


def test_dry_run_changes_nothing(small_network, welfarectl):
    done = welfarectl("-C", small_network, "cards", "issue", "--dry-run", "--format", "json")
    assert json.loads(done.stdout)["issued"] == current_employees(small_network)
    assert not (small_network / "members" / "cards.jsonl").exists()


def test_replace_revokes_the_old_number_and_issues_a_new_one(issued_network, issued_copy, welfarectl):
    card = issued_network.cards[0]["card"]
    done = welfarectl("-C", issued_copy, "cards", "replace", card)
    assert done.exit_code == 0, done.stderr
    assert issue(welfarectl, issued_copy)["issued"] == 0
    again = welfarectl("-C", issued_copy, "cards", "revoke", card, "--reason", "lost")
    assert again.exit_code == 1 and "traceback" not in again.stderr.lower()


def test_a_mistyped_card_number_is_caught(issued_network, issued_copy, welfarectl):
    card = issued_network.cards[0]["card"]
    typo = card[:-2] + card[-1] + card[-2] if card[-1] != card[-2] else card[:-1] + str((int(card[-1]) + 1) % 10)
    done = welfarectl("-C", issued_copy, "cards", "revoke", typo, "--reason", "lost")
    assert done.exit_code != 0 and "check digit" in done.stderr


def test_validate_reports_a_hand_edited_registry_by_line(issued_copy, welfarectl):
    ledger = issued_copy / "members" / "cards.jsonl"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace('"company":"', '"company":"x', 1)
    ledger.write_text("".join(lines), encoding="utf-8")
    done = welfarectl("-C", issued_copy, "validate", "--format", "json")
    assert done.exit_code == 1
    found = [(p["code"], p["line"]) for p in json.loads(done.stdout)["problems"]]
    assert ("registry-line-edited", 3) in found
    refused = welfarectl("-C", issued_copy, "cards", "issue")
    assert refused.exit_code == 1


def test_a_name_the_card_font_cannot_print_is_an_error_at_its_cell(small_network, welfarectl):
    company = SMALL_COMPANIES[0]
    rows = [[e.surname, e.given_name, e.codice_fiscale, e.hire_date, e.leaving_date]
            for e in staff_of(small_network, company)]
    rows[0][1] = "王芳"
    write_workbook(small_network / "members" / f"{company}.xlsx", [EMPLOYEE_HEADER[:5], *rows])
    done = welfarectl("-C", small_network, "validate", "--format", "json")
    assert done.exit_code == 1
    found = [(p["code"], p["file"], p["cell"]) for p in json.loads(done.stdout)["problems"] if p["severity"] == "error"]
    assert found == [("unprintable-character", f"members/{company}.xlsx", "B2")]
    assert welfarectl("-C", small_network, "cards", "issue").exit_code == 10  # the others' cards are issued


# --- the signing key ------------------------------------------------------------------------------

def test_the_first_command_that_signs_creates_the_key_and_says_so_once(small_network, welfarectl):
    first = welfarectl("-C", small_network, "cards", "revocations")
    assert first.exit_code == 0 and "created a new signing key" in first.stderr
    again = welfarectl("-C", small_network, "cards", "revocations")
    assert again.exit_code == 0 and "created a new signing key" not in again.stderr
    assert len(list((small_network / "catalogue" / "keys").glob("*.pub"))) == 1


def test_no_new_key_refuses_instead_of_creating_one(issued_copy, welfarectl):
    done = welfarectl("-C", issued_copy, "cards", "print", "--no-new-key")
    assert done.exit_code == 1 and "keys init" in done.stderr
    assert not (issued_copy / "output" / "cards" / "cards-a4.pdf").exists()


def test_the_private_key_never_goes_inside_the_network(small_network, welfarectl):
    inside = welfarectl("-C", small_network, "keys", "init", "--key-file", small_network / "output" / "signing.key")
    assert inside.exit_code != 0 and "inside the network" in inside.stderr
    assert not (small_network / "output" / "signing.key").exists()
    outside = small_network.parent / "secrets" / "signing.key"
    made = welfarectl("-C", small_network, "keys", "init", "--key-file", outside)
    assert made.exit_code == 0, made.stderr
    assert oct(outside.stat().st_mode & 0o777) == "0o600"
    assert len(list((small_network / "catalogue" / "keys").glob("*.pub"))) == 1
    assert welfarectl("-C", small_network, "keys", "init", "--key-file", outside).exit_code != 0  # never overwritten


# --- printing -------------------------------------------------------------------------------------

def test_a_company_printed_on_a4_is_in_the_manifest_and_ready_for_the_print_shop(printed):
    printed_fronts = fronts(printed.a4)
    assert len(printed_fronts) == len(current_staff(printed.root, ACETAIA)) > 8  # more than one sheet
    assert {row["company"] for row in printed_fronts} == {ACETAIA}
    ticket = printed.a4.with_suffix(".txt").read_text(encoding="utf-8")
    assert "long edge" in ticket.lower() and "A4" in ticket
    reader = PdfReader(printed.a4)
    width, height = (float(v) * 25.4 / 72 for v in reader.pages[0].mediabox[2:])
    assert (round(width, 1), round(height, 1)) == (210.0, 297.0)
    used = fonts(printed.a4)
    assert used and all(embedded for _, embedded in used), used


def test_every_code_on_a_printed_a4_sheet_decodes_and_verifies(printed, welfarectl):
    payloads = read_qr_codes(render_page(printed.a4, 0, dpi=300))
    on_page_one = [row["card"] for row in fronts(printed.a4) if row["sheet"] == "1"]
    assert len(payloads) == len(on_page_one) >= 8
    verified = []
    for payload in payloads:
        answer = welfarectl("-C", printed.root, "cards", "verify", payload, "--format", "json")
        assert answer.exit_code == 0, answer.stdout
        verified.append(json.loads(answer.stdout)["card"])
    assert sorted(verified) == sorted(on_page_one)


def test_zbarimg_reads_the_same_codes_off_poppler_s_rendering(printed, tmp_path):
    """An extra check with the tools of a print shop and a provider's counter, where installed."""
    read = zbarimg_on_page_one(printed.a4, tmp_path)
    on_page_one = [row["card"] for row in fronts(printed.a4) if row["sheet"] == "1"]
    assert len(read) == len(on_page_one) >= 8
    assert sorted(read) == sorted(read_qr_codes(render_page(printed.a4, 0, dpi=300)))


def test_pdffonts_lists_every_font_as_embedded(printed):
    """An extra check with poppler's font lister, where installed."""
    listed = pdffonts(printed.a4)
    assert listed and all(embedded for _, embedded in listed), listed


def test_single_sheet_pages_are_card_size(printed):
    page = PdfReader(printed.single).pages[0]
    width, height = (float(v) * 25.4 / 72 for v in page.mediabox[2:])
    assert abs(width - 85.60) < 0.01 and abs(height - 53.98) < 0.01


def test_two_prints_of_the_same_registry_are_byte_identical_here_and_in_another_process(issued_copy, welfarectl,
                                                                                        tmp_path):
    """The second print runs in a process of its own with another hash seed: bytes that hung on
    the order of a set would differ."""
    assert welfarectl("-C", issued_copy, "cards", "print", "-o", tmp_path / "one.pdf").exit_code == 0
    other = run_welfarectl_process("-C", issued_copy, "cards", "print", "-o", tmp_path / "two.pdf", home=tmp_path,
                                   PYTHONHASHSEED="1")
    assert other.returncode == 0, other.stderr
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()


def test_an_output_path_that_is_a_directory_is_refused_before_anything_is_written(issued_copy, welfarectl, tmp_path):
    (tmp_path / "out").mkdir()
    done = welfarectl("-C", issued_copy, "cards", "print", "-o", tmp_path / "out")
    assert done.exit_code == 2 and "is a directory" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == ["out"]
    assert welfarectl("-C", issued_copy, "cards", "revocations", "-o", tmp_path / "out").exit_code == 2


def test_a_proof_leaves_the_cards_for_the_next_only_new_batch(issued_network, issued_copy, welfarectl, tmp_path):
    issued = len(issued_network.cards)
    assert welfarectl("-C", issued_copy, "cards", "print", "--proof", "-o", tmp_path / "proof.pdf").exit_code == 0
    batch = welfarectl("-C", issued_copy, "cards", "print", "--only-new")
    assert batch.exit_code == 0 and f"{issued} cards" in batch.stdout
    assert len(fronts(issued_copy / "output" / "cards" / "cards-a4-new.pdf")) == issued
    assert "no new active cards" in welfarectl("-C", issued_copy, "cards", "print", "--only-new").stdout


def test_the_card_of_someone_who_left_is_not_printed(issued_network, issued_copy, welfarectl):
    company = SMALL_COMPANIES[0]
    staff = staff_of(issued_copy, company)
    current = [e for e in staff if e.is_current(TODAY)]
    leaver = current[0]
    write_workbook(issued_copy / "members" / f"{company}.xlsx", [EMPLOYEE_HEADER[:5]] + [
        [e.surname, e.given_name, e.codice_fiscale, e.hire_date,
         date(2026, 11, 1) if e is leaver else e.leaving_date] for e in staff])
    warned = welfarectl("-C", issued_copy, "validate", "--format", "json")
    assert "card-holder-left" in {p["code"] for p in json.loads(warned.stdout)["problems"]}
    done = welfarectl("-C", issued_copy, "cards", "print", "--company", company)
    assert done.exit_code == 0 and "not printed: 1 card of people who left" in done.stdout
    rows = manifest(issued_copy / "output" / "cards" / f"cards-a4-{company}.pdf")
    leaver_card = next(c["card"] for c in issued_network.cards if c["holder"] == f"{leaver.given_name} {leaver.surname}")
    assert leaver_card not in {row["card"] for row in rows}
    assert len({row["card"] for row in rows}) == len(current) - 1


# --- verifying ------------------------------------------------------------------------------------

def test_verify_reports_each_status_with_its_exit_code(printed, printed_copy, welfarectl):
    payload, card = printed.payload, printed.card

    valid = welfarectl("-C", printed_copy, "cards", "verify", "-", stdin=payload + "\n")
    assert valid.exit_code == 0 and card[:4] in valid.stdout

    changed = payload[:20] + ("A" if payload[20] != "A" else "B") + payload[21:]
    tampered = welfarectl("-C", printed_copy, "cards", "verify", changed, "--format", "json")
    assert tampered.exit_code in (VERIFY_EXIT["bad-signature"], VERIFY_EXIT["malformed"])
    assert json.loads(tampered.stdout)["status"] in ("bad-signature", "malformed")

    assert welfarectl("-C", printed_copy, "cards", "verify", "WC1:not base45!").exit_code == VERIFY_EXIT["malformed"]

    years_later = welfarectl("-C", printed_copy, "cards", "verify", payload, "--format", "json", day=TODAY + timedelta(days=3 * 366))
    assert years_later.exit_code == VERIFY_EXIT["expired"]
    assert json.loads(years_later.stdout)["status"] == "expired"

    assert welfarectl("-C", printed_copy, "cards", "revoke", card, "--reason", "lost").exit_code == 0
    revoked = welfarectl("-C", printed_copy, "cards", "verify", payload, "--format", "json")
    assert revoked.exit_code == VERIFY_EXIT["revoked"]
    answer = json.loads(revoked.stdout)
    assert (answer["status"], answer["card"]) == ("revoked", card)


def test_a_provider_verifies_against_the_signed_revocation_list(printed, printed_copy, welfarectl, fixed_key_file,
                                                               tmp_path):
    payload, card = printed.payload, printed.card
    assert welfarectl("-C", printed_copy, "cards", "revoke", f"{card[:4]} {card[4:]}", "--reason", "withdrawn").exit_code == 0
    listing = tmp_path / "revocations.json"
    signed = welfarectl("-C", printed_copy, "cards", "revocations", "-o", listing, "--key-file", fixed_key_file)
    assert signed.exit_code == 0, signed.output
    published = json.loads(listing.read_text(encoding="utf-8"))
    assert [entry["card"] for entry in published["revoked"]] == [card]
    (printed_copy / "members" / "cards.jsonl").unlink()  # the provider has no registry, only the list
    answer = welfarectl("-C", printed_copy, "cards", "verify", payload, "--revocations", listing)
    assert answer.exit_code == VERIFY_EXIT["revoked"]
    forged = json.dumps({**published, "revoked": []})
    listing.write_text(forged, encoding="utf-8")
    refused = welfarectl("-C", printed_copy, "cards", "verify", payload, "--revocations", listing)
    assert refused.exit_code == 1 and "revocations.json" in refused.stderr
