"""Benchmark reading a large card registry: a synthetic, valid `members/cards.jsonl` (hash-chained,
holders by pseudonym, with `members/holders.jsonl` and `members/cards.head`), then the time and
peak memory of `read_registry` on it.

    python bench/registry.py [--cards 100000] [--keep DIR]
    python bench/registry.py --network DIR       # the registry of a network already made (only read)

Prints, for CARDS cards: the registry's size on disk, the seconds (wall, and CPU: steadier on a
shared machine) to read it, the peak of Python allocations while reading (tracemalloc, in a process
of its own) and the process's peak RSS; then the CPU time a card of `cards issue`'s loop, giving
CARDS people their first card (`run_issue` as a dry run, which writes nothing, then written).
`write_registry` is reused by bench/scale.py: it writes the registry of a network's employees.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path

ISSUED = date(2026, 11, 2)
EXPIRES = date(2028, 11, 2)
FIRST_SERIAL = 1_000_000


def card_number(serial: int) -> str:
    from stdnum import damm

    return f"{serial}{damm.calc_check_digit(str(serial))}"


class _Chain:
    """Lines written as the registry's writer writes them: seq, the fields, the previous line's hash."""

    def __init__(self, handle) -> None:
        self.handle, self.seq, self.prev = handle, 0, None

    def append(self, **fields: object) -> None:
        self.seq += 1
        line = json.dumps({"seq": self.seq, **fields, "prev": self.prev}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        self.prev = hashlib.sha256(line).hexdigest()
        self.handle.write(line + b"\n")


def write_registry(root: Path, holders: Iterable[tuple[str, str]], *, revoke_every: int = 50,
                   print_batch: int = 1000, seed: int = 14) -> int:
    """Write a sound registry for the network in `root`: a card for each (company, codice fiscale)
    of `holders`, issued on ISSUED in that order, every `revoke_every`-th revoked as left and the
    cards noted printed in runs of `print_batch`; the holders' records (seeded keys, so the same
    input gives the same bytes) and the head beside it. Returns the number of cards."""
    rng = random.Random(seed)
    members = root / "members"
    members.mkdir(parents=True, exist_ok=True)
    records = []
    with open(members / "cards.jsonl", "wb") as handle:
        chain = _Chain(handle)
        batch: list[str] = []
        count = 0
        for count, (company, codice_fiscale) in enumerate(holders, 1):
            key = rng.randbytes(16)
            pseudonym = "p1-" + hmac.new(key, f"{company}\n{codice_fiscale}".encode(), hashlib.sha256).hexdigest()[:32]
            records.append((company, codice_fiscale, pseudonym, key.hex()))
            number = card_number(FIRST_SERIAL + count - 1)
            chain.append(event="issued", card=number, company=company, holder=pseudonym, date=ISSUED.isoformat(),
                         expires=EXPIRES.isoformat(), replaces=None)
            batch.append(number)
            if len(batch) == print_batch:
                chain.append(event="printed", cards=batch, date=ISSUED.isoformat())
                batch = []
            if count % revoke_every == 0:
                chain.append(event="revoked", card=number, reason="left", date=ISSUED.isoformat())
        if batch:
            chain.append(event="printed", cards=batch, date=ISSUED.isoformat())
    records.sort()
    with open(members / "holders.jsonl", "wb") as handle:
        for company, codice_fiscale, pseudonym, key in records:
            handle.write(json.dumps({"holder": pseudonym, "company": company, "codice_fiscale": codice_fiscale,
                                     "key": key}, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
    (members / "cards.head").write_text(json.dumps({"lines": chain.seq, "last": chain.prev},
                                                   separators=(",", ":")) + "\n", encoding="utf-8")
    return count


def synthetic_holders(count: int, companies: int = 2000) -> Iterable[tuple[str, str]]:
    """`count` distinct (company, codice fiscale) pairs spread over `companies` companies."""
    letters = "BCDFGLMNPRSTVZ"
    for n in range(count):
        name = "".join(letters[(n // 14 ** i) % 14] for i in range(6))
        yield f"impresa-{n % companies:04d}", f"{name}80A01F{n % 1000:03d}X"


MEASURE = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
from welfarectl.cards.registryread import read_registry
root = Path(sys.argv[1])
traced = sys.argv[2] == "traced"
if traced:
    tracemalloc.start()
start, cpu = time.perf_counter(), time.process_time()
registry, problems = read_registry(root)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = tracemalloc.get_traced_memory()[1] if traced else None
assert not problems, problems[:3]
print(json.dumps({"cards": len(registry.cards), "seconds": seconds, "cpu": cpu, "traced_peak": peak,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


ISSUE = """
import json, sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from registry import synthetic_holders
from welfarectl.cards.registry import read_registry, run_issue
from welfarectl.network.members import Employee
root, count = Path(sys.argv[1]), int(sys.argv[2])
hired = date(2020, 1, 1)
people = [Employee(company, f"Cognome{n % 997}", f"Nome{n % 89}", code, hired, None, None, None, None, n + 2)
          for n, (company, code) in enumerate(synthetic_holders(count))]

class Network:  # what run_issue asks of a loaded network
    def __init__(self):
        self.root, self.as_of, self.settings, self.employees = root, date(2026, 11, 26), None, people
        self.registry = read_registry(root)[0]
    def current_employees(self):
        return self.employees
    def held_back_holders(self):
        return set()

def timed(dry_run):
    network = Network()
    cpu = time.process_time()
    run = run_issue(network, dry_run=dry_run)
    return time.process_time() - cpu, len(run.cards)

loop, issued = timed(True)
written, again = timed(False)
assert issued == again == count, (issued, again, count)
print(json.dumps({"issued": issued, "loop_cpu": loop, "written_cpu": written}))
"""


def measure_issue(count: int) -> dict:
    """CPU seconds of a first `cards issue` to `count` people: the loop alone (a dry run), then written."""
    with tempfile.TemporaryDirectory() as root:
        done = subprocess.run([sys.executable, "-c", ISSUE, root, str(count), str(Path(__file__).parent)],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def measure(root: Path) -> dict:
    """Time and peak RSS in one fresh process, the tracemalloc peak in another (tracing slows it)."""
    def run(mode: str) -> dict:
        done = subprocess.run([sys.executable, "-c", MEASURE, str(root), mode], capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    plain, traced = run("plain"), run("traced")
    return {**plain, "traced_peak": traced["traced_peak"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the registry here and keep it")
    parser.add_argument("--network", type=Path, help="read this network's registry instead of writing one")
    parser.add_argument("--no-issue", action="store_true", help="measure the reading only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.network or args.keep or Path(scratch)
        written = None
        if args.network is None:
            start = time.perf_counter()
            write_registry(root, synthetic_holders(args.cards))
            written = time.perf_counter() - start
        size = (root / "members" / "cards.jsonl").stat().st_size
        holders = (root / "members" / "holders.jsonl").stat().st_size
        found = measure(root)
    print(f"cards.jsonl: {found['cards']:,} cards, {size / 1e6:.0f} MB (holders.jsonl {holders / 1e6:.0f} MB)"
          + (f", written in {written:.1f} s" if written is not None else ""))
    print(f"read_registry: {found['seconds']:.1f} s wall, {found['cpu']:.1f} s CPU, Python allocations peak "
          f"{found['traced_peak'] / 1e6:.0f} MB (tracemalloc), process peak RSS {found['rss'] / 1e6:.0f} MB")
    if not args.no_issue:
        count = found["cards"] if args.network is None else args.cards
        issue = measure_issue(count)
        print(f"cards issue to {issue['issued']:,} people: loop {issue['loop_cpu']:.1f} s CPU "
              f"({issue['loop_cpu'] / issue['issued'] * 1e6:.0f} µs a card), "
              f"with the files written {issue['written_cpu']:.1f} s CPU")


if __name__ == "__main__":
    main()
