"""Benchmark the booklet on the sample network.

    python bench/booklet.py [--runs 3]

Prints, as medians of RUNS runs on the repository's own network (loaded and checked once, as
the command does before it writes anything):
- seconds to lay out and write the full booklet (target: at most 2 s), and with its imposition;
- seconds to write the 50 company editions on both cores (target: at most 15 s);
- seconds for the whole `welfarectl booklet` command, network loading included, in a process of
  its own.
The files go to a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from welfarectl.booklet.publish import write_all_editions, write_booklet
from welfarectl.pipeline import checked, load_network

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 26)


def median_seconds(work, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    network = checked(load_network(ROOT, as_of=DAY))
    companies = len(network.member_companies)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_booklet(network, out / "warm.pdf")  # imports, fonts and templates once, as in any run
        rows = [
            ("full booklet", 2.0, lambda: write_booklet(network, out / "booklet-it.pdf")),
            ("full booklet + imposition", None, lambda: write_booklet(network, out / "booklet-it.pdf", imposed=True)),
            (f"{companies} company editions, {os.cpu_count()} cores", 15.0,
             lambda: write_all_editions(network, out / "editions")),
            ("`welfarectl booklet` command", None,
             lambda: subprocess.run([sys.executable, "-m", "welfarectl", "-C", str(ROOT), "booklet", "-o",
                                     str(out / "cmd.pdf")], check=True, capture_output=True,
                                    env={**os.environ, "WELFARECTL_AS_OF": DAY.isoformat()})),
        ]
        pages = write_booklet(network, out / "booklet-it.pdf").pages
        print(f"sample network: {len(network.services)} services, {companies} member companies; full booklet {pages} pages")
        for name, target, work in rows:
            median, times = median_seconds(work, args.runs)
            verdict = "" if target is None else (f"  (target <= {target:g} s: {'ok' if median <= target else 'MISSED'})")
            print(f"{name:<40} median {median:6.2f} s  runs {', '.join(f'{t:.2f}' for t in times)}{verdict}")


if __name__ == "__main__":
    main()
