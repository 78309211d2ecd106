"""Benchmark `welfarectl build` on the sample network.

    python bench/build.py [--runs 3] [--jobs N]

Prints, as medians of RUNS runs, each in a process of its own on a fresh copy of the repository's
network (catalogue/, members/, templates/) in a temporary directory, with a fixed signing key and
day:
- seconds for a clean build: cards issued and printed, the full booklet and the 50 company
  editions, the report, the verifier page (target: at most 15 s on two cores);
- seconds for a second build with nothing to do (target: under 1 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = "2026-11-26"


def run_build(network: Path, env: dict, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "welfarectl", "-C", str(network), "build", "--quiet", *args],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: one per core)")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    clean, again = [], []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env = {**os.environ, "WELFARECTL_AS_OF": DAY, "XDG_CONFIG_HOME": str(base / "config"), "LANG": "C"}
        env.pop("WELFARECTL_SIGNING_KEY", None)
        key = base / "signing.key"
        subprocess.run([sys.executable, "-c", "import sys; from cryptography.hazmat.primitives.asymmetric.ed25519 import "
                        "Ed25519PrivateKey as K; from cryptography.hazmat.primitives import serialization as s; "
                        "open(sys.argv[1], 'wb').write(K.from_private_bytes(bytes(32)).private_bytes(s.Encoding.PEM, "
                        "s.PrivateFormat.PKCS8, s.NoEncryption()))", str(key)], check=True)
        key.chmod(0o600)
        env["WELFARECTL_SIGNING_KEY"] = str(key)
        for run in range(args.runs):
            network = base / f"net{run}"
            for part in ("catalogue", "members", "templates"):
                shutil.copytree(ROOT / part, network / part, ignore=shutil.ignore_patterns("keys", "cards.*", "holders.jsonl"))
            clean.append(run_build(network, env, *jobs))
            again.append(run_build(network, env, *jobs))
    cores = args.jobs or os.cpu_count()
    for name, times, target in ((f"clean build, {cores} processes", clean, 15.0), ("build with nothing to do", again, 1.0)):
        median = statistics.median(times)
        print(f"{name:<32} median {median:6.2f} s  runs {', '.join(f'{t:.2f}' for t in times)}"
              f"  (target < {target:g} s: {'ok' if median < target else 'MISSED'})")


if __name__ == "__main__":
    main()
