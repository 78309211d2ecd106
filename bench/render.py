"""CPU a card of making one print batch, as a worker of `cards print` makes it.

    python bench/render.py [--cards 5000] [--runs 3] [--profile N] [--out FILE]

Loads the repository's network (catalogue, members, templates), makes CARDS chosen cards of its
member companies for people made by the sample's own generator (tools/make_sample.py: Italian
names, the sample's share of foreign and double names), sorted as a run prints them, and times
`printjob.make_part` on them with a throwaway key: signing, holding back, QR codes, fitting,
drawing, compressing and the manifest, all in one process (`helper=False`, as in a pool's
worker), A4, fronts and backs. Prints the median of RUNS runs of CPU time (this process's) in
ms a card. `--profile N` prints the N costliest functions of one more run under cProfile;
`--out FILE` writes the batch's PDF (to look at it, decode it, compare its bytes).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from welfarectl.cards import printjob
from welfarectl.cards.keys import SigningKey
from welfarectl.cards.number import new_card_number
from welfarectl.pipeline import load_network

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 26)


def _sample_generator():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "tools" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_entries(network, count: int, seed: int = 5) -> list[printjob.Entry]:
    """`count` chosen cards: people of the sample's generator in the network's member companies,
    sorted by company and holder as `choose_cards` sorts them."""
    make_sample = _sample_generator()
    rng = random.Random(seed)
    used: set[str] = set()
    companies = sorted({person.company for person in network.employees})
    people = []
    for i in range(count):
        person = make_sample.make_person(rng, used)
        company = companies[i * len(companies) // count]
        people.append((company, person["surname"].casefold(), person["given"].casefold(),
                       f"{person['given']} {person['surname']}"))
    people.sort()
    return [(new_card_number(2_000_000 + i), name, company, DAY + timedelta(days=rng.randrange(30, 1000)))
            for i, (company, _, _, name) in enumerate(people)]


def make_plan(network) -> printjob.Plan:
    key = SigningKey.of(Ed25519PrivateKey.from_private_bytes(bytes([7]) * 32), Path("/unused"))
    return printjob.make_plan(network, key, sheet="a4", company=None, only_new=False, proof=False)


def cpu_ms_a_card(plan, entries) -> tuple[float, printjob.Part]:
    started = time.process_time()
    part = printjob.make_part(plan, entries, helper=False)
    return (time.process_time() - started) * 1000 / len(entries), part


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    network, _ = load_network(ROOT, as_of=DAY)
    plan = make_plan(network)
    entries = make_entries(network, args.cards)
    printjob.make_part(plan, entries[:100], helper=False)  # imports and fonts, once, as a worker inherits them
    runs = [cpu_ms_a_card(plan, entries) for _ in range(args.runs)]
    times = [ms for ms, _ in runs]
    part = runs[-1][1]
    print(f"{args.cards:,} cards, A4 with backs, {part.sheets * 2:,} pages, PDF {len(part.pdf) / 1e6:.1f} MB: "
          f"{statistics.median(times):.3f} ms CPU a card (median of {args.runs}; least {min(times):.3f}; all: "
          f"{', '.join(f'{t:.3f}' for t in times)})")
    if args.out:
        args.out.write_bytes(part.pdf)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(printjob.make_part, plan, entries, helper=False)
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
