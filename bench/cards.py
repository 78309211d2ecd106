"""Benchmark the card renderer against a bare ReportLab loop, and its memory on a large run.

    python bench/cards.py [--cards 2500] [--memory-cards 10000] [--runs 3]

Makes CARDS fake but realistic cards (Italian names, 50 companies, card numbers with their
check digit, payloads signed with a throwaway Ed25519 key), then prints:
- seconds for `cardprint.render` on A4 with backs, QR generation included (target: well under 5 s);
- seconds for a bare ReportLab loop drawing the same cards (same texts, fonts, colours, QR
  matrices computed beforehand and drawn as one path of horizontal runs each, backs too);
- their ratio (target <= 2);
- peak memory (ru_maxrss) of a separate process rendering MEMORY_CARDS cards to a file
  (target < 300 MB);
- seconds for the whole `welfarectl cards print` command on a copy of the sample network with
  every current employee's card issued (target: at most 5 s).
Medians of RUNS runs. The templates are the repository's.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from welfarectl.base.italian import format_day
from welfarectl.cards import layout as cardlayout
from welfarectl.cards import render as cardprint
from welfarectl.cards import sheets as cardsheets
from welfarectl.cards.number import format_card_number, new_card_number
from welfarectl.cards.payload import QR_MODULES, card_qr_matrix
from welfarectl.pdf import qrmatrix
from welfarectl.pdf import textfit as cardtext
from welfarectl.pdf.fonts import ASCENT, MM

ROOT = Path(__file__).resolve().parent.parent
GIVEN = ["Maria", "Giuseppe", "Anna", "Francesco", "Giulia", "Luca", "Chiara", "Marco", "Sara", "Niccolò",
         "Elena", "Matteo", "Federica", "Andrea", "Martina", "Lorenzo", "Gianmaria", "Zoë", "Élodie", "Pietro"]
SURNAMES = ["Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco",
            "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Dell'Acqua", "D'Angelo", "Barbieri",
            "Lombardi", "Bianchi-Ferrarini de' Medici", "Fontana", "Santoro", "Mariani", "Rinaldi"]
KINDS = ["Acetaia", "Ferramenta", "Osteria", "Officina meccanica", "Cooperativa sociale", "Ceramiche",
         "Studio tecnico", "Trasporti", "Panificio", "Maglificio"]
PLACES = ["Soliera", "Carpi", "Sassuolo", "Vignola", "Mirandola", "Formigine", "Castelfranco Emilia",
          "Pavullo", "Finale Emilia", "Maranello"]


def make_cards(count: int, seed: int = 3) -> list[cardprint.PrintCard]:
    rng = random.Random(seed)
    key = _throwaway_key()
    companies = [f"{rng.choice(KINDS)} {rng.choice(PLACES)} S.r.l." for _ in range(50)]
    cards = []
    for i in range(count):
        number = new_card_number(1_000_000 + i)
        expires = date(2027, 1, 1) + timedelta(days=rng.randrange(700))
        company = companies[i * len(companies) // count]
        cards.append(cardprint.PrintCard(number, f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}", company, expires,
                                         _sign(number, expires, key), company_id=f"company-{i * 50 // count}"))
    return cards


def _throwaway_key():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from welfarectl.cards.keys import SigningKey

    return SigningKey.of(Ed25519PrivateKey.generate(), Path("/nonexistent"))


def _sign(number: str, expires: date, key) -> str:
    from welfarectl.cards.payload import encode_payload

    return encode_payload(number, expires, "welfare-modena", key)


def fields() -> dict:
    common = cardlayout.sample_fields()
    return {name: common[name] for name in (*cardlayout.COMMON_FIELDS, *cardlayout.LIST_FIELDS)}


def time_renderer(cards, front, back) -> float:
    started = time.perf_counter()
    cardprint.render(cards, front, back, fields(), "a4")
    return time.perf_counter() - started


# --- the bare loop -----------------------------------------------------------------------------
def prepare_bare(cards, front, back) -> list[tuple[list, list, bytes]]:
    """Everything the bare loop draws, worked out beforehand: per card, the texts of each side
    (font, size, x, y, string, colour) at their fitted sizes, and the QR matrix."""
    common = fields()
    prepared = []
    fitted: dict = {}
    for card in cards:
        values = {**common, "holder": card.holder, "company": card.company,
                  "card_number": format_card_number(card.number),
                  "expires": format_day(card.expires)}
        prepared.append((_texts(front, values, fitted), _texts(back, values, fitted),
                         card_qr_matrix(card.payload)))
    return prepared


def _texts(layout, values, fitted: dict) -> list:
    mm = MM
    out = []
    for element in layout.elements:
        if isinstance(element, cardlayout.TextElement):
            text = cardlayout.fill(cardlayout.compile_text(element.text), values)
            key = (id(element), text)
            if key not in fitted:
                fitted[key] = cardtext.fit_text(text, element.font, element.size, element.min_size,
                                                  element.width, element.height, element.max_lines, element.leading)
            lines, size = fitted[key].lines, fitted[key].size
            x = element.x
        elif isinstance(element, cardlayout.ListElement):
            fit = cardtext.fit_list(values[element.items], element.font, element.size, element.width,
                                     element.height, columns=element.columns, gap=element.gap,
                                     leading=element.leading, bullet=element.bullet)
            lines, size, x = [line for column in fit.columns for line in column], fit.size, element.x
        else:
            continue
        baseline = (cardlayout.CARD_HEIGHT - element.y) * mm - size * ASCENT
        for line in lines:
            out.append((element.font, size, x * mm, baseline, line, [v / 100 for v in element.color]))
            baseline -= size * element.leading
    return out


def bare_loop(prepared, front, back) -> float:
    """ReportLab used directly: rectangles, drawString and one path per QR, page after page."""
    from reportlab.pdfgen.canvas import Canvas

    mm = MM
    sheet = cardsheets.SHEETS["a4"]
    rects = {side: [(e.x * mm, (cardlayout.CARD_HEIGHT - e.y - e.height) * mm, e.width * mm, e.height * mm,
                     [v / 100 for v in e.fill]) for e in layout.elements if isinstance(e, cardlayout.RectElement)]
             for side, layout in (("front", front), ("back", back))}
    qr = next(e for e in front.elements if isinstance(e, cardlayout.QrElement))
    module = qr.size * mm / (QR_MODULES + 2 * qrmatrix.QUIET_ZONE)
    started = time.perf_counter()
    canvas = Canvas(io.BytesIO(), pagesize=(sheet.width * mm, sheet.height * mm), invariant=1, pageCompression=1,
                    initialFontName="DejaVuSans")
    for start in range(0, len(prepared), sheet.per_sheet):
        for side in ("front", "back"):
            for slot, (front_texts, back_texts, matrix) in enumerate(prepared[start:start + sheet.per_sheet]):
                x0, y0 = sheet.origin(slot, side)
                x0, y0 = x0 * mm, (sheet.height - y0 - cardlayout.CARD_HEIGHT) * mm
                for x, y, w, h, colour in rects[side]:
                    canvas.setFillColorCMYK(*colour)
                    canvas.rect(x0 + x, y0 + y, w, h, stroke=0, fill=1)
                for font, size, x, y, text, colour in (front_texts if side == "front" else back_texts):
                    canvas.setFillColorCMYK(*colour)
                    canvas.setFont(font, size)
                    canvas.drawString(x0 + x, y0 + y, text)
                if side == "front":
                    left = x0 + qr.x * mm + qrmatrix.QUIET_ZONE * module
                    top = y0 + (cardlayout.CARD_HEIGHT - qr.y) * mm - qrmatrix.QUIET_ZONE * module
                    path = canvas.beginPath()
                    for x, y, length in qrmatrix.dark_runs(matrix, QR_MODULES):
                        path.rect(left + x * module, top - (y + 1) * module, length * module, module)
                    canvas.setFillColorCMYK(0, 0, 0, 1)
                    canvas.drawPath(path, stroke=0, fill=1)
            canvas.showPage()
    canvas.save()
    return time.perf_counter() - started


# --- memory ------------------------------------------------------------------------------------
def memory_child(count: int) -> None:
    """Render `count` cards to a file in this process and print its peak RSS in MB, before and
    after rendering."""
    front, back, _ = cardlayout.load_layouts(ROOT)
    cards = make_cards(count)
    before = peak_rss_mb()
    with tempfile.TemporaryFile() as out:
        cardprint.render_to(out, cards, front, back, fields(), "a4")
        size = out.tell()
    print(f"{peak_rss_mb():.0f} {before:.0f} {size / 1e6:.1f}")


def peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux ru_maxrss also counts the parent's peak
    before exec, so the kernel's own high-water mark of this process (VmHWM) is read instead."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=2500)
    parser.add_argument("--memory-cards", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    front, back, problems = cardlayout.load_layouts(ROOT)
    if front is None or back is None:
        sys.exit(f"the templates do not load: {[str(p.location) + ' ' + p.code for p in problems]}")
    child = subprocess.run([sys.executable, __file__, "--memory-child", str(args.memory_cards)],
                           capture_output=True, text=True, check=True)
    cards = make_cards(args.cards)
    sheets = -(-args.cards // cardsheets.SHEETS["a4"].per_sheet)
    ours = statistics.median(time_renderer(cards, front, back) for _ in range(args.runs))
    prepared = prepare_bare(cards, front, back)
    bare = statistics.median(bare_loop(prepared, front, back) for _ in range(args.runs))
    print(f"{args.cards:,} cards, A4 {cardsheets.SHEETS['a4'].per_sheet}-up, {2 * sheets} pages with backs, "
          f"median of {args.runs}")
    print(f"  welfarectl renderer (QR generation included): {ours:6.2f} s  (target: well under 5 s)")
    print(f"  bare ReportLab loop (QR matrices precomputed): {bare:6.2f} s")
    print(f"  ratio: {ours / bare:.2f}  (target <= 2)")
    peak, before, size = child.stdout.split()
    print(f"{args.memory_cards:,} cards to a file: peak RSS {peak} MB ({before} MB before rendering), "
          f"PDF {size} MB  (target < 300 MB)")
    issued, command = time_command(args.runs)
    print(f"welfarectl cards print on the sample network ({issued:,} cards, whole command): {command:.2f} s  "
          f"(target <= 5 s)")


def time_command(runs: int) -> tuple[int, float]:
    """Median wall time of `welfarectl cards print` on a copy of the sample with its cards issued."""
    import json
    import os
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        net = Path(tmp) / "net"
        for part in ("catalogue", "members", "templates"):
            shutil.copytree(ROOT / part, net / part, ignore=shutil.ignore_patterns("keys", "cards.jsonl"))
        env = {**os.environ, "WELFARECTL_SIGNING_KEY": str(Path(tmp) / "bench.key")}
        welfarectl = [sys.executable, "-m", "welfarectl", "-C", str(net)]
        subprocess.run([*welfarectl, "keys", "init"], check=True, capture_output=True, env=env)
        issued = json.loads(subprocess.run([*welfarectl, "cards", "issue", "--format", "json"], check=True,
                                           capture_output=True, text=True, env=env).stdout)["issued"]
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([*welfarectl, "cards", "print"], check=True, capture_output=True, env=env)
            times.append(time.perf_counter() - started)
    return issued, statistics.median(times)


if __name__ == "__main__":
    main()
