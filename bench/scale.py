"""The regional bench: a network of N employees in M workbooks, and the time and memory of
`validate`, `cards issue`, `cards print` and `report` on it.

    python bench/scale.py [--employees 1000000] [--workbooks 2000] [--keep DIR [--fresh]] [--only validate,print]

The network is the sample's (tools/make_sample.py: its catalogue, services, survey and card
layouts) with its 50 member companies joined by new ones up to M, and every member's workbook
written again with N/M people each, made by the sample's own person generator (Italian names,
valid and unique codici fiscali); about 2 % of them left in 2019. Workbooks are written with
openpyxl's write_only mode on both cores while this process makes the people.

Each command runs in a process of its own, as a user runs it, with WELFARECTL_AS_OF=2026-11-26.
For each it prints the wall time, the CPU time (the command's and its workers': on a machine
shared with other work, the steadier figure) and three memory figures:
- peak RSS: the largest resident size any one process of the command reached (the command or one
  of its workers; from wait4, which reports the child's and its waited-for children's peak);
  pages a worker shares with the command it was forked from count in full in both;
- peak PSS: the largest proportional set size any one process reached (pages shared after a fork
  count once, split between the sharers), sampled every 0.25 s: what each process costs;
- peak total: the largest sum over the command's process tree of each process's PSS: what the
  machine as a whole had to hold.
With --keep DIR the network is made once and reused by later runs (commands run again); with
--fresh its registry and output are removed first, so that `cards issue` is a first issue.

The cache (workbooks: `network/staffcache.py`; the registry: `cards/registrycache.py`) is
emptied when the bench starts, so the first command reads every workbook (cold) and the later
ones find them in the cache (warm), and each command finds the registry the one before it wrote,
as a coordinator's commands do one after the other; `--no-cache` runs every command without it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sample_generator():
    """tools/make_sample.py, a script rather than a module of the package."""
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "tools" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_sample = _sample_generator()

DAY = "2026-11-26"
LEFT_SHARE = 0.02  # people in the workbooks who left in 2019: listed, but no card
COMMANDS = {
    "validate": ["validate", "--format", "json"],
    "issue": ["cards", "issue"],
    "print": ["cards", "print"],
    "report": ["report", "-f", "pdf,xlsx,json"],
}
HEADERS = ["Cognome", "Nome", "Codice fiscale", "Data assunzione", "Data cessazione", "E-mail", "Sede"]


# --- the network --------------------------------------------------------------------------------
def make_network(root: Path, employees: int, workbooks: int) -> None:
    """The sample's catalogue, layouts and survey, with `workbooks` member companies sharing
    `employees` people (the sample's members first, then new ones)."""
    for part in ("catalogue", "templates"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("keys"))
    (root / "members").mkdir(parents=True)
    shutil.copy2(ROOT / "members" / "survey.xlsx", root / "members" / "survey.xlsx")
    members = [m[0] for m in make_sample.MEMBERS]
    if workbooks < len(members):
        sys.exit(f"--workbooks must be at least {len(members)}: the sample's member companies")
    new = [f"impresa-{n:04d}" for n in range(1, workbooks - len(members) + 1)]
    add_companies(root / "catalogue" / "organisations.yaml", new)
    companies = members + new
    sizes = [employees // workbooks + (1 if i < employees % workbooks else 0) for i in range(workbooks)]
    write_workbooks(root / "members", list(zip(companies, sizes, strict=True)))


def add_companies(path: Path, ids: list[str]) -> None:
    """New member companies after the sample's organisations, with valid partite IVA unused there."""
    text = path.read_text(encoding="utf-8")
    used = set(re.findall(r'partita_iva: "(\d{11})"', text)) | set(re.findall(r'codice_fiscale: "(\d{11})"', text))
    rng = make_sample.rng_for("scale-companies")
    towns = sorted(make_sample.POSTCODES)
    entries = []
    for n, oid in enumerate(ids):
        town = towns[n % len(towns)]
        entries.append(f"  - id: {oid}\n    name: Impresa {oid[8:]} {town} S.r.l.\n    legal_form: S.r.l.\n"
                       f"    kind: company\n    roles: [member-company]\n"
                       f'    partita_iva: "{make_sample.make_partita_iva(rng, used)}"\n    ateco: C\n'
                       f'    address:\n      street: Via Emilia {n % 300 + 1}\n'
                       f'      postcode: "{make_sample.POSTCODES[town]}"\n      city: {town}\n      province: MO\n'
                       "    joined: 2018-03-01\n")
    path.write_text(text.rstrip("\n") + "\n" + "".join(entries), encoding="utf-8")


def people_of(companies: list[tuple[str, int]]):
    """(company, rows) for each company in turn: the sample's people, unique codici fiscali across
    the whole network, hired before the lists' date; about LEFT_SHARE of them left in 2019."""
    rng = make_sample.rng_for("scale-employees")
    used: set[str] = set()
    for company, size in companies:
        rows = []
        for _ in range(size):
            person = make_sample.make_person(rng, used)
            adult = date(person["born"].year + 18, person["born"].month, min(person["born"].day, 28))
            hired = make_sample.random_date(rng, max(adult, date(1985, 1, 1)), date(2019, 3, 31))
            left = make_sample.random_date(rng, hired + timedelta(days=90), date(2019, 9, 29)) \
                if rng.random() < LEFT_SHARE else None
            rows.append((person["surname"], person["given"], person["cf"], hired, left))
        yield company, rows


def write_workbook(task: tuple[Path, str, list[tuple]]) -> int:
    """One company's workbook, written streaming (openpyxl write_only)."""
    from openpyxl import Workbook

    folder, company, rows = task
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dipendenti")
    sheet.append(HEADERS)
    for i, (surname, given, cf, hired, left) in enumerate(rows):
        sheet.append([surname, given, cf, hired, left, f"p{i + 1}@{company}.example.it", "Sede"])
    book.save(folder / f"{company}.xlsx")
    return len(rows)


def write_workbooks(folder: Path, companies: list[tuple[str, int]]) -> None:
    """The people are made here, in order (their codici fiscali must be unique network-wide);
    two worker processes write the workbooks meanwhile."""
    import multiprocessing

    tasks = ((folder, company, rows) for company, rows in people_of(companies))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        written = sum(pool.imap_unordered(write_workbook, tasks, chunksize=1))
    print(f"  {written:,} people in {len(companies):,} workbooks", flush=True)


# --- measuring ---------------------------------------------------------------------------------
def descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_measured(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, float, float, int, str]:
    """Wall seconds, CPU seconds (the command and its workers), peak RSS of the largest process
    (MB), peak PSS of the largest process and of the whole tree (MB), exit code and the output's
    last lines."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
        peak_one = peak_total = 0.0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_one, peak_total
            while not done.wait(0.25):
                shares = [pss_mb(pid) for pid in descendants(process.pid)]
                peak_one, peak_total = max([peak_one, *shares]), max(peak_total, sum(shares))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        seconds = time.perf_counter() - started
        log.seek(0)
        tail = log.read().decode("utf-8", "replace")[-600:]
    return (seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak_one, peak_total, process.returncode,
            tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=1_000_000)
    parser.add_argument("--workbooks", type=int, default=2_000)
    parser.add_argument("--keep", type=Path, help="make the network in this directory and keep it (reused when "
                        "it has a catalogue already)")
    parser.add_argument("--only", default=",".join(COMMANDS), help=f"commands to run, of {','.join(COMMANDS)}")
    parser.add_argument("--no-cache", action="store_true", help="read every workbook in every command")
    parser.add_argument("--fresh", action="store_true", help="with --keep: remove the kept network's card registry "
                        "and output first, so that `cards issue` is a first issue again")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep.resolve() if args.keep else Path(tmp) / "net"
        if not (root / "catalogue").exists():
            print(f"making {args.employees:,} employees in {args.workbooks:,} workbooks under {root}", flush=True)
            started = time.perf_counter()
            make_network(root, args.employees, args.workbooks)
            print(f"  made in {time.perf_counter() - started:.0f} s", flush=True)
        if args.fresh:  # a first issue again: the registry and what was made from it go
            for name in ("cards.jsonl", "holders.jsonl", "cards.head", ".cards.lock"):
                (root / "members" / name).unlink(missing_ok=True)
            shutil.rmtree(root / "output", ignore_errors=True)
        key = root.parent / f"{root.name}-signing.key"  # outside the network: welfarectl refuses a key inside
        cache = root.parent / f"{root.name}-cache"
        shutil.rmtree(cache, ignore_errors=True)
        env = {**os.environ, "WELFARECTL_AS_OF": DAY, "WELFARECTL_SIGNING_KEY": str(key),
               "WELFARECTL_CACHE": "off" if args.no_cache else str(cache)}
        welfarectl = [sys.executable, "-m", "welfarectl", "-C", str(root)]
        if not key.exists():
            subprocess.run([*welfarectl, "keys", "init"], check=True, capture_output=True, env=env)
        print(f"{'command':<10} {'wall':>9} {'CPU':>9} {'peak RSS':>10} {'peak PSS':>10} {'peak total':>11}  exit",
              flush=True)
        for name in args.only.split(","):
            seconds, cpu, rss, one, total, code, tail = run_measured([*welfarectl, *COMMANDS[name]], env)
            print(f"{name:<10} {seconds:8.1f}s {cpu:8.1f}s {rss:8.0f}MB {one:8.0f}MB {total:9.0f}MB  {code}", flush=True)
            if code not in (0, 10):
                print(tail, flush=True)
            else:
                last = tail.strip().splitlines()[-1] if tail.strip() else ""
                print(f"           {last[:160]}", flush=True)


if __name__ == "__main__":
    main()
