"""Large print runs in batches, as the print shop receives them: numbered PDFs of a few sheets,
each with its manifest and job ticket, one index with the batches' card ranges and checksums;
every card in exactly one batch, its QR code read back from the page; the same bytes whatever
the number of workers; and a run that stops part way leaves the registry and the index saying
which cards are printed, so that `--only-new` prints exactly the rest."""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from cardkeys import signing_key
from networks import ROOT, TODAY, as_at_a_terminal, copy_small_network, run_welfarectl
from pdfpages import read_qr_codes, render_page
from pypdf import PdfReader

from welfarectl.base import output
from welfarectl.cards import printjob
from welfarectl.cards.batches import DEFAULT_BATCH_CARDS, batch_size
from welfarectl.cards.payload import decode_payload, payloads_in
from welfarectl.cards.printrun import print_cards
from welfarectl.cards.sheets import SHEETS
from welfarectl.pipeline import checked_for_cards, load_network

# the twenty smallest workbooks of the sample: a few hundred people
COMPANIES = ("ferramenta-centrale-soliera", "acetaia-il-cortile-antico", "osteria-del-tortellino-felice",
             "centro-fisioterapico-canaletto", "viaggi-terramare", "editrice-la-bonissima",
             "agenzia-assicurativa-estense", "forniture-ufficio-pico", "frutticoltura-ciliegie-di-collina",
             "confezioni-annabi", "restauri-ducali", "torre-civica-comunicazione", "farmacie-riunite-del-frignano",
             "cantina-sorbara-vecchia", "laboratorio-analisi-ambientali-bassa", "studio-associato-canalchiaro",
             "ingegneria-ponte-alto", "ortofrutta-della-bassa", "caseificio-prato-lungo", "vivai-del-panaro")
SHEETS_A_BATCH = 4
PER_BATCH = SHEETS_A_BATCH * SHEETS["a4"].per_sheet


@pytest.fixture(scope="module")
def issued(tmp_path_factory) -> Path:
    """A network of a few hundred employees, each with a card; tests take copies."""
    home = tmp_path_factory.mktemp("issued-batches")
    root = copy_small_network(home / "net", COMPANIES)
    done = run_welfarectl("-C", root, "cards", "issue", home=home)
    assert done.exit_code == 0, done.output
    return root


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def fronts(manifest: Path) -> list[dict]:
    return [row for row in rows(manifest) if row["side"] == "front"]


def active_cards(root: Path) -> set[str]:
    network = checked_for_cards(load_network(root, as_of=TODAY))
    return {card.number for card in network.registry.active(TODAY)}


def printed_cards(root: Path) -> set[str]:
    """The cards the registry notes as printed."""
    network = checked_for_cards(load_network(root, as_of=TODAY))
    return {card.number for card in network.registry.cards.values() if card.printed}


@dataclass(frozen=True)
class Printed:
    root: Path
    out: Path  # output/cards
    said: str
    index: list[dict]


@pytest.fixture(scope="module")
def printed(issued, fixed_key_file, tmp_path_factory) -> Printed:
    home = tmp_path_factory.mktemp("printed-batches")
    root = Path(shutil.copytree(issued, home / "net"))
    done = run_welfarectl("-C", root, "cards", "print", "--batch-sheets", SHEETS_A_BATCH, "--key-file", fixed_key_file,
                          home=home)
    assert done.exit_code == 0, done.output
    out = root / "output" / "cards"
    return Printed(root, out, done.stdout, rows(out / "cards-a4-index.csv"))


def test_a_few_hundred_cards_print_in_numbered_batches_of_the_sheets_asked_for(printed):
    cards = len(active_cards(printed.root))
    assert cards > 250
    batches = -(-cards // PER_BATCH)
    assert [row["batch"] for row in printed.index] == [f"{n:04d}" for n in range(1, batches + 1)]
    assert [row["file"] for row in printed.index] == [f"cards-a4-{n:04d}.pdf" for n in range(1, batches + 1)]
    assert [int(row["sheets"]) for row in printed.index[:-1]] == [SHEETS_A_BATCH] * (batches - 1)
    assert sum(int(row["cards"]) for row in printed.index) == cards
    assert f"{cards} cards" in printed.said and f"in {batches} batches" in printed.said
    assert "cards-a4-index.csv" in printed.said
    assert not (printed.out / "cards-a4.pdf").exists()


def test_each_batch_has_its_manifest_and_ticket_and_the_index_their_counts_ranges_and_checksums(printed):
    for row in printed.index:
        pdf = printed.out / row["file"]
        manifest, ticket = pdf.with_suffix(".csv"), pdf.with_suffix(".txt").read_text(encoding="utf-8")
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == row["pdf_sha256"]
        assert hashlib.sha256(manifest.read_bytes()).hexdigest() == row["manifest_sha256"]
        front = fronts(manifest)
        assert len(front) == int(row["cards"])
        assert len(PdfReader(pdf).pages) == 2 * int(row["sheets"])  # a front page and a back page a sheet
        assert (front[0]["card"], front[-1]["card"]) == (row["first_card"], row["last_card"])
        assert (front[0]["company"], front[-1]["company"]) == (row["first_company"], row["last_company"])
        assert f"File: {row['file']}\n" in ticket
        assert f"Batch: {row['batch']}, cards " in ticket and "cards-a4-index.csv" in ticket
        assert f"PDF SHA-256: {row['pdf_sha256']}\n" in ticket
        assert f"Sheets: {int(row['sheets'])} (" in ticket
    readable = (printed.out / "cards-a4-index.txt").read_text(encoding="utf-8")
    assert "Status: complete" in readable
    for row in printed.index:
        assert f"{row['file']}" in readable and row["pdf_sha256"] in readable


def test_every_active_card_is_in_exactly_one_batch_and_noted_as_printed(printed, fixed_key_file, tmp_path):
    listed = [row["card"] for row in printed.index for row in fronts(printed.out / row["file"].replace(".pdf", ".csv"))]
    assert len(listed) == len(set(listed))
    assert set(listed) == active_cards(printed.root)
    again = run_welfarectl("-C", printed.root, "cards", "print", "--only-new", "--batch-sheets", SHEETS_A_BATCH,
                           "-o", tmp_path / "again.pdf", "--key-file", fixed_key_file, home=tmp_path)
    assert again.exit_code == 0 and "no new active cards to print" in again.stdout


def test_the_qr_codes_on_each_front_page_are_the_cards_its_manifest_lists(printed):
    for row in printed.index:
        pdf = printed.out / row["file"]
        front = fronts(pdf.with_suffix(".csv"))
        for sheet in range(int(row["sheets"])):
            on_sheet = [r["card"] for r in front if r["sheet"] == str(sheet + 1)]
            codes = read_qr_codes(render_page(pdf, 2 * sheet, dpi=200))
            read = [decode_payload(payloads_in(code)[0]).card_number for code in codes]
            assert read == on_sheet, (row["file"], sheet + 1)


def test_batches_are_the_same_bytes_with_one_worker_or_two(issued, tmp_path):
    network = checked_for_cards(load_network(issued, as_of=TODAY))
    key = signing_key(9)
    made = {}
    for workers in (1, 2):
        target = tmp_path / f"w{workers}" / "cards-a4.pdf"
        run = print_cards(network, key, target, sheet="a4", batch_sheets=SHEETS_A_BATCH, workers=workers, proof=True)
        assert len(run.batches) > 2
        made[workers] = {path.name: path.read_bytes() for path in sorted(target.parent.iterdir())}
    assert made[1] == made[2]


def test_each_batch_is_made_from_its_own_cards_alone(issued, tmp_path):
    """The third batch of a run is the PDF of its cards printed on their own: nothing of the
    batches before it (fonts subset, forms, counters) leaks into its bytes."""
    network = checked_for_cards(load_network(issued, as_of=TODAY))
    key = signing_key(9)
    run = print_cards(network, key, tmp_path / "cards-a4.pdf", sheet="a4", batch_sheets=SHEETS_A_BATCH, workers=2,
                      proof=True)
    plan = printjob.make_plan(network, key, sheet="a4", company=None, only_new=False, proof=True)
    chosen = printjob.choose_cards(network, None, False).cards
    third = printjob.make_part(plan, printjob.entries(plan, chosen[2 * PER_BATCH:3 * PER_BATCH]))
    assert hashlib.sha256(third.pdf).hexdigest() == run.batches[2].sha256


def test_small_runs_keep_one_pdf_and_large_ones_are_batched_by_default():
    assert batch_size(2548, "a4", None) is None  # the sample network: one PDF, as before
    assert batch_size(DEFAULT_BATCH_CARDS, "a4", None) is None
    per_batch = batch_size(DEFAULT_BATCH_CARDS + 1, "a4", None)
    assert per_batch is not None and per_batch % SHEETS["a4"].per_sheet == 0 and per_batch <= DEFAULT_BATCH_CARDS
    assert batch_size(10**6, "a4", 0) is None  # --batch-sheets 0: one PDF whatever the size
    assert batch_size(10, "sra3", 3) == 3 * SHEETS["sra3"].per_sheet


def test_batch_sheets_zero_prints_one_pdf(issued, fixed_key_file, tmp_path):
    root = Path(shutil.copytree(issued, tmp_path / "net"))
    done = run_welfarectl("-C", root, "cards", "print", "--batch-sheets", 0, "--key-file", fixed_key_file,
                          home=tmp_path)
    assert done.exit_code == 0, done.output
    assert sorted(path.name for path in (root / "output" / "cards").iterdir()) == \
        ["cards-a4.csv", "cards-a4.pdf", "cards-a4.txt"]


def test_a_second_run_with_fewer_batches_leaves_no_batch_of_the_first(issued, fixed_key_file, tmp_path):
    root = Path(shutil.copytree(issued, tmp_path / "net"))
    out = root / "output" / "cards"
    for sheets in (SHEETS_A_BATCH, 4 * SHEETS_A_BATCH):
        done = run_welfarectl("-C", root, "cards", "print", "--batch-sheets", sheets, "--key-file", fixed_key_file,
                              home=tmp_path)
        assert done.exit_code == 0, done.output
    index = rows(out / "cards-a4-index.csv")
    batches = {path.name for path in out.glob("cards-a4-0*")}
    assert batches == {f"{row['file'][:-4]}{suffix}" for row in index for suffix in (".pdf", ".csv", ".txt")}


@pytest.mark.parametrize("fault", ["disk-full", "interrupt"])
def test_a_run_that_stops_part_way_notes_the_batches_written_and_only_new_prints_the_rest(
        issued, fixed_key_file, tmp_path, monkeypatch, fault):
    root = Path(shutil.copytree(issued, tmp_path / "net"))
    out = root / "output" / "cards"
    write = printjob.write_files_atomic
    seen = {}

    def failing(files):  # the disk fills up as the third batch is written, as write_files_atomic reports it
        batch = out / "cards-a4-0003.pdf"
        if batch in files:
            seen["index"] = rows(out / "cards-a4-index.csv")
            seen["printed"] = printed_cards(root)
            if fault == "interrupt":
                raise KeyboardInterrupt
            raise output.cannot_write(batch, OSError(errno.ENOSPC, "No space left on device", str(batch)))
        return write(files)

    monkeypatch.setattr(printjob, "write_files_atomic", failing)
    done = run_welfarectl("-C", root, "cards", "print", "--batch-sheets", SHEETS_A_BATCH, "--key-file", fixed_key_file,
                          home=tmp_path)
    monkeypatch.undo()
    assert done.exit_code == (130 if fault == "interrupt" else 1), done.output
    # while the third batch was being written: the index listed the first two, the registry no card yet
    assert [row["file"] for row in seen["index"]] == ["cards-a4-0001.pdf", "cards-a4-0002.pdf"]
    assert seen["printed"] == set()
    if fault == "disk-full":
        assert "cannot write" in done.stderr and "cards-a4-0003.pdf" in done.stderr
    index = rows(out / "cards-a4-index.csv")
    assert [row["file"] for row in index] == ["cards-a4-0001.pdf", "cards-a4-0002.pdf"]
    assert "Status: stopped before the end" in (out / "cards-a4-index.txt").read_text(encoding="utf-8")
    assert sorted(path.name for path in out.glob("cards-a4-0*")) == \
        sorted(f"cards-a4-000{n}{suffix}" for n in (1, 2) for suffix in (".pdf", ".csv", ".txt"))
    written = [row["card"] for row in index for row in fronts(out / row["file"].replace(".pdf", ".csv"))]
    assert len(written) == 2 * PER_BATCH

    rest = run_welfarectl("-C", root, "cards", "print", "--only-new", "--batch-sheets", SHEETS_A_BATCH,
                          "--key-file", fixed_key_file, home=tmp_path)
    assert rest.exit_code == 0, rest.output
    new = out / "cards-a4-new-index.csv"
    reprinted = [row["card"] for row in rows(new) for row in fronts(out / row["file"].replace(".pdf", ".csv"))]
    assert set(written) == printed_cards(root) - set(reprinted)
    assert set(written).isdisjoint(reprinted)
    assert sorted(written + reprinted) == sorted(active_cards(root))


def test_ctrl_c_during_a_run_in_batches_exits_130_in_one_line_and_leaves_the_index_and_registry_agreeing(
        fixed_key_file, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from welfarectl.network.members import list_workbooks

    # the whole sample, 319 batches of a sheet: a run long enough for the interrupt to find it working
    root = copy_small_network(tmp_path / "net", tuple(path.stem for path in list_workbooks(ROOT)))
    assert run_welfarectl("-C", root, "cards", "issue", home=tmp_path).exit_code == 0
    env = {**os.environ, "WELFARECTL_AS_OF": TODAY.isoformat(), "LANG": "C", "WELFARECTL_SIGNING_KEY": str(fixed_key_file)}
    process = subprocess.Popen([sys.executable, "-m", "welfarectl", "-C", str(root), "cards", "print", "--batch-sheets",
                                "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True,
                               preexec_fn=as_at_a_terminal)
    out = root / "output" / "cards"
    deadline = time.monotonic() + 60
    index = out / "cards-a4-index.csv"  # the interrupt comes once two batches are listed (a PDF in place is not yet listed)
    while not (index.exists() and len(rows(index)) >= 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: to the command and its workers
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1].startswith("error: interrupted") and err.count("interrupted") == 1
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    listed = {row["card"] for row in rows(out / "cards-a4-index.csv")
              for row in fronts(out / row["file"].replace(".pdf", ".csv"))}
    assert len(listed) >= 2 * SHEETS["a4"].per_sheet
    assert listed == printed_cards(root)
