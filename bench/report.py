"""Benchmark `welfarectl report` on the sample network (target: at most 3 s for the whole command).

    python bench/report.py [--runs 5]

Prints the median wall time of the whole command in a process of its own (interpreter start,
loading and checking the network, figures, PDF, workbook and JSON, atomic writes), and, in this
process, the median of each step after the network is loaded.
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

ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-11-26"


def time_command(runs: int) -> float:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "WELFARECTL_AS_OF": DAY}
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "welfarectl", "-C", str(ROOT), "report", "-o", tmp], check=True,
                           capture_output=True, env=env)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_steps(runs: int) -> dict[str, float]:
    from welfarectl.pipeline import checked, load_network
    from welfarectl.report.figures import compute_figures
    from welfarectl.report.jsonout import render_json
    from welfarectl.report.pdf import render_pdf
    from welfarectl.report.xlsx import render_xlsx

    steps: dict[str, list[float]] = {"load and check the network": [], "figures": [], "pdf": [], "xlsx": [], "json": []}
    for _ in range(runs):
        started = time.perf_counter()
        network = checked(load_network(ROOT, as_of=date.fromisoformat(DAY)))
        steps["load and check the network"].append(time.perf_counter() - started)
        started = time.perf_counter()
        figures = compute_figures(network)
        steps["figures"].append(time.perf_counter() - started)
        for name, render in (("pdf", render_pdf), ("xlsx", render_xlsx), ("json", render_json)):
            started = time.perf_counter()
            render(figures)
            steps[name].append(time.perf_counter() - started)
    return {name: statistics.median(times) for name, times in steps.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    whole = time_command(args.runs)
    print(f"welfarectl report on the sample network, whole command, median of {args.runs}: {whole:.2f} s  (target <= 3 s)")
    for name, seconds in time_steps(args.runs).items():
        print(f"  {name:28} {seconds:6.3f} s")


if __name__ == "__main__":
    main()
