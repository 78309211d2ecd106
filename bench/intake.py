"""Benchmark `welfarectl members import` on a 5,000-row CSV, the difference included.

    python bench/intake.py [--rows 5000] [--runs 5] [--keep DIR]

Makes a new network (`welfarectl init`) whose company already has a workbook of ROWS people, and
a CSV as an Italian spreadsheet saves it (Windows-1252, `;`, comma decimals, columns the network
does not keep) in which 2% of them are gone, 2% have a changed name and 2% are new. Prints the
median seconds of the whole command (a process of its own, as a coordinator runs it; target
<= 1 s) and of the library call alone, over RUNS runs each. Every run imports into a fresh copy
of the workbook, so each computes the same difference and writes it.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from stdnum.it import codicefiscale

from welfarectl.intake.canonical import Person, render_canonical
from welfarectl.intake.importer import import_members
from welfarectl.network.skeleton import create_network

COMPANY = "prima-impresa"  # the member company of `welfarectl init`'s network
DAY = date(2026, 11, 26)
CONSONANTS = "BCDFGLMNPRSTVZ"
MONTHS = "ABCDEHLMPRST"
NAMES = ["Niccolò", "Maria Luisa", "José", "Anna", "Piero", "Lucia", "Zoë", "Matteo"]
SURNAMES = ["De' Medici", "D'Angelo", "Rossi", "Bianchi", "Müller", "Forlì", "Ferrari", "Esposito"]


def make_codice_fiscale(rng: random.Random, serial: int) -> str:
    letters = "".join(rng.choice(CONSONANTS) for _ in range(6))
    body = (letters + f"{60 + serial % 40:02d}" + MONTHS[serial % 12] + f"{1 + serial % 28:02d}"
            + f"{'FBI'[serial % 3]}{(serial // 3) % 1000:03d}")
    return body + codicefiscale.calc_check_digit(body)


def make_inputs(root: Path, rows: int) -> tuple[Path, bytes]:
    """The network, the CSV HR sends, and the current workbook's bytes."""
    create_network(root)
    rng = random.Random(11)
    people = [Person(rng.choice(SURNAMES), rng.choice(NAMES), make_codice_fiscale(rng, n),
                     date(2000, 1, 1) + timedelta(days=rng.randrange(9000))) for n in range(rows)]
    current = render_canonical(people)
    sent = [p for n, p in enumerate(people) if n % 50 != 0]
    sent = [Person(p.surname + " Bis", p.given_name, p.codice_fiscale, p.hire_date) if n % 50 == 1 else p
            for n, p in enumerate(sent)]
    sent += [Person("Nuovi", "Nina", make_codice_fiscale(rng, rows + n), date(2026, 11, 2)) for n in range(rows // 50)]
    source = root.parent / "elenco.csv"
    with open(source, "w", encoding="cp1252", newline="") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["Matricola", "Cognome", "Nome", "Codice fiscale", "Data assunzione", "IBAN", "Stipendio", "Città"])
        for n, p in enumerate(sent):
            out.writerow([n, p.surname, p.given_name, p.codice_fiscale, p.hire_date.strftime("%d/%m/%Y"),
                          "IT60X0542811101000000123456", f"{1000 + n % 900},50", "Forlì"])
    return source, current


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="make the files in DIR and keep them")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="welfarectl-intake-"))
    root = base / "net"
    if root.exists():
        shutil.rmtree(root)
    source, current = make_inputs(root, args.rows)
    target = root / "members" / f"{COMPANY}.xlsx"
    env = {**os.environ, "WELFARECTL_AS_OF": DAY.isoformat(), "LANG": "C"}
    command, library = [], []
    for _ in range(args.runs):
        target.write_bytes(current)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "welfarectl", "-C", str(root), "members", "import", str(source),
                               "--company", COMPANY], capture_output=True, text=True, env=env, check=False)
        command.append(time.perf_counter() - started)
        if done.returncode != 0:
            sys.exit(f"the import failed:\n{done.stdout}{done.stderr}")
        target.write_bytes(current)
        started = time.perf_counter()
        run = import_members(root, source, COMPANY, DAY)
        library.append(time.perf_counter() - started)
    diff = run.diff
    print(f"{args.rows:,}-row CSV (cp1252, ';'), {len(diff.joiners)} joiners, {len(diff.leavers)} leavers, "
          f"{len(diff.changes)} changes; median of {args.runs}:")
    print(f"  welfarectl members import (whole command): {statistics.median(command):.2f} s  (target <= 1 s)")
    print(f"  import_members (library call):             {statistics.median(library):.2f} s")
    if not args.keep:
        shutil.rmtree(base)


if __name__ == "__main__":
    main()
