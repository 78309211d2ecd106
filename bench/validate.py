"""Benchmark `welfarectl validate` on a large network against a bare openpyxl read.

    python bench/validate.py [--companies 500] [--rows 200] [--keep DIR]

Generates a network of COMPANIES member companies with ROWS employees each (100,000 by default),
then prints: seconds for the whole `welfarectl validate` command, seconds for a bare openpyxl
read_only loop reading the same cells, their ratio (target <= 1.5), and validate's peak memory
(target < 500 MB). Also times `validate` on the repository's sample network (target < 1.5 s).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook
from stdnum import luhn
from stdnum.it import codicefiscale

from welfarectl.network.skeleton import create_network

ROOT = Path(__file__).resolve().parent.parent
CONSONANTS = "BCDFGLMNPRSTVZ"
MONTHS = "ABCDEHLMPRST"


def make_codice_fiscale(rng: random.Random, serial: int) -> str:
    """A well-formed, unique codice fiscale (check character computed by python-stdnum)."""
    letters = "".join(rng.choice(CONSONANTS) for _ in range(6))
    year = f"{60 + serial % 40:02d}"
    month = MONTHS[serial % 12]
    day = f"{1 + serial % 28:02d}"
    town = f"{'FBI'[serial % 3]}{(serial // 3) % 1000:03d}"
    body = letters + year + month + day + town
    return body + codicefiscale.calc_check_digit(body)


def make_network(root: Path, companies: int, rows: int) -> None:
    create_network(root)
    (root / "members" / "prima-impresa.xlsx").unlink()
    rng = random.Random(7)
    orgs = (root / "catalogue" / "organisations.yaml").read_text(encoding="utf-8")
    extra = []
    serial = 0
    for n in range(companies):
        company = f"impresa-{n:04d}"
        base = f"{n + 10:07d}001"
        extra.append(f"  - id: {company}\n    name: Impresa {n}\n    kind: company\n    roles: [member-company]\n"
                     f'    partita_iva: "{base}{luhn.calc_check_digit(base)}"\n    ateco: C\n')
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Dipendenti")
        sheet.append(["Cognome", "Nome", "Codice fiscale", "Data assunzione", "Data cessazione", "E-mail", "Sede"])
        for _ in range(rows):
            serial += 1
            hired = date(2000, 1, 1) + timedelta(days=rng.randrange(7000))
            sheet.append([f"Rossi{serial}", f"Maria{serial}", make_codice_fiscale(rng, serial), hired,
                          None, f"p{serial}@example.it", "Modena"])
        book.save(root / "members" / f"{company}.xlsx")
    (root / "catalogue" / "organisations.yaml").write_text(orgs.replace(
        "organisations:\n", "organisations:\n" + "".join(extra), 1).replace(
        "prima-impresa", "impresa-0000-old").replace("roles: [member-company]\n    partita_iva: \"02345670026\"",
                                                    "roles: [partner]\n    partita_iva: \"02345670026\""),
        encoding="utf-8")


def bare_openpyxl(root: Path) -> int:
    cells = 0
    for path in sorted((root / "members").glob("*.xlsx")):
        book = load_workbook(path, read_only=True, data_only=True)
        for row in book.worksheets[0].iter_rows(values_only=True):
            cells += sum(value is not None for value in row)
        book.close()
    return cells


def time_validate(root: Path, runs: int) -> tuple[float, float]:
    """Median seconds of the whole command, and its peak resident memory in MB."""
    times = []
    peak = 0.0
    for _ in range(runs):
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        done = subprocess.run([sys.executable, "-m", "welfarectl", "-C", str(root), "validate", "--format", "json"],
                              capture_output=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"validate failed ({done.returncode}):\n{done.stdout.decode()[-2000:]}{done.stderr.decode()}")
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, before / 1024)
    return statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=500)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    args = parser.parse_args()

    sample, _ = time_validate(ROOT, args.runs)
    print(f"sample network: validate {sample:.2f} s (target < 1.5 s)")

    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "net"
        if not (root / "catalogue").exists():
            start = time.perf_counter()
            make_network(root, args.companies, args.rows)
            print(f"generated {args.companies} workbooks x {args.rows} rows in {time.perf_counter() - start:.1f} s")
        seconds, peak = time_validate(root, args.runs)
        bare = []
        for _ in range(args.runs):
            start = time.perf_counter()
            bare_openpyxl(root)
            bare.append(time.perf_counter() - start)
        bare_median = statistics.median(bare)
        employees = args.companies * args.rows
        print(f"{employees:,} employees in {args.companies} workbooks:")
        print(f"  welfarectl validate   {seconds:6.2f} s  (whole command, median of {args.runs})")
        print(f"  bare openpyxl loop    {bare_median:6.2f} s  (read_only, values_only, same cells)")
        print(f"  ratio                 {seconds / bare_median:6.2f}    (target <= 1.5)")
        print(f"  peak memory           {peak:6.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
