"""The verifier page: its size, and the time from opening it to the verdict for a payload in the
URL fragment, in headless Chromium (Debian's chromium, driven by Playwright), with the network off.

    python bench/verifier.py [--runs 20]

Builds a small network with cards in a temporary directory, writes the site, opens
verifier.html#WC1:... `--runs` times (a fresh page each time) and prints the median and worst of
the page's own clock at the verdict (performance.now(), from the navigation's start) and of the
wall clock around `goto`. The budget: the page and its assets under 400 kB, the verdict within 300 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from networks import copy_small_network, run_welfarectl
    from playwright.sync_api import sync_playwright

    from welfarectl.cards.keys import load_signing_key
    from welfarectl.cards.payload import encode_payload

    with tempfile.TemporaryDirectory() as work:
        home = Path(work)
        root = copy_small_network(home / "net")
        assert run_welfarectl("-C", root, "cards", "issue", home=home).exit_code == 0
        assert run_welfarectl("-C", root, "verifier", home=home).exit_code == 0
        site = root / "output" / "verifier"
        sizes = {str(p.relative_to(site)): p.stat().st_size for p in sorted(site.rglob("*")) if p.is_file()}
        for name, size in sizes.items():
            print(f"{name:34} {size / 1000:9.1f} kB")
        first = sum(size for name, size in sizes.items() if name != "assets/qr-decoder.js")
        print(f"{'loaded to show a verdict':34} {first / 1000:9.1f} kB (the page, verifier.js, the licences)")
        total = sum(sizes.values())
        print(f"{'all files':34} {total / 1000:9.1f} kB, budget 400 kB: {'within' if total <= 400_000 else 'OVER'} "
              "(qr-decoder.js only loads to scan where the browser has no BarcodeDetector)")
        import os

        os.environ["XDG_CONFIG_HOME"] = str(home / "config")
        key, _ = load_signing_key(root, "welfare-modena", None, create=False)
        payload = encode_payload("10000004", date(2099, 12, 31), "welfare-modena", key)
        url = (site / "verifier.html").as_uri() + "#" + payload
        page_ms, wall_ms = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
            context = browser.new_context()
            context.set_offline(True)
            for _ in range(args.runs):
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("html[data-verdict-ms]")
                wall_ms.append((time.perf_counter() - start) * 1000)
                page_ms.append(float(page.get_attribute("html", "data-verdict-ms")))
                assert page.inner_text("#verdict-title") == "VALIDA"
                page.close()
            browser.close()
        print(f"verdict, page clock: median {statistics.median(page_ms):.0f} ms, worst {max(page_ms):.0f} ms "
              f"(first {page_ms[0]:.0f} ms) over {args.runs} loads")
        print(f"verdict, wall clock around goto: median {statistics.median(wall_ms):.0f} ms, worst {max(wall_ms):.0f} ms")


if __name__ == "__main__":
    main()
