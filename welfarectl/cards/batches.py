"""Large print runs in batches, as print shops take them: numbered PDFs (cards-a4-0001.pdf, ...)
each with its manifest and job ticket, and one index of the batches (cards-a4-index.csv, and a
readable cards-a4-index.txt) with their card ranges, counts and SHA-256 checksums.

Rules:
- a batch is a slice of the run's cards in print order, `size` cards (a whole number of sheets);
  a card its batch holds back (text too small: `printjob`) leaves a gap at the batch's end, and
  a batch whose every card is held back is not written (and takes no number);
- batches are made on every core by processes forked from this one (the loaded network is shared,
  not copied), each signing, fitting and drawing its own cards, so that no process holds more than
  one batch; this process writes them, in order, each file atomically;
- a batch's bytes depend on its cards alone, not on the number of workers nor on its neighbours;
- the registry notes cards as printed only once their batch is written: the cards of every batch
  written are noted together when the run ends, and when it stops on an error, Ctrl-C or SIGTERM
  (one registry write a run: today a write rewrites the whole registry, and a second one reads it
  again, which at a million cards costs more than the batches). The index is rewritten after
  each batch and lists the batches written, with the run's status. A run killed outright
  (SIGKILL, a power cut) notes none of its cards: its index lists the batches it wrote, whole,
  and `--only-new` prints them again. No card is ever noted that was not written;
- numbered files of an earlier run beyond this run's last batch are removed, so that the folder
  holds one run.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from welfarectl.base.cores import available_cores, fork_context, leave_interrupts_to_the_parent
from welfarectl.base.memory import give_back_freed_memory
from welfarectl.base.output import write_files_atomic

from . import registry
from .printjob import Chosen, Entry, Part, Plan, entries, make_part, ticket_text, write_part
from .sheets import SHEETS

DEFAULT_BATCH_CARDS = 5_000  # a run of more cards is printed in batches of about this many (70 MB to draw each)
INDEX_COLUMNS = ("batch", "file", "cards", "sheets", "first_card", "last_card", "first_company", "last_company",
                 "pdf_sha256", "manifest_sha256")


@dataclass(frozen=True)
class Batch:
    """A batch written: its number, its PDF (manifest .csv and job ticket .txt beside it), its
    cards' range in print order and the PDF's checksum."""

    number: int
    pdf: Path
    cards: int
    sheets: int
    first_card: str
    last_card: str
    first_company: str
    last_company: str
    sha256: str
    manifest_sha256: str
    end: int = 0  # where its cards end among the run's chosen cards: those before are dealt with

    @property
    def manifest(self) -> Path:
        return self.pdf.with_suffix(".csv")

    @property
    def ticket(self) -> Path:
        return self.pdf.with_suffix(".txt")


@dataclass(frozen=True)
class Progress:
    """How far a print run is: chosen cards dealt with (printed or held back) of all, and batches
    written of those planned (0 planned: one PDF)."""

    cards: int
    total: int
    batches: int = 0
    planned: int = 0


@dataclass(frozen=True)
class BatchRun:
    batches: tuple[Batch, ...]
    index: Path
    shrunk: tuple[tuple[str, str, float], ...]
    held: tuple[tuple[str, str, float], ...]


def batch_size(cards: int, sheet: str, batch_sheets: int | None) -> int | None:
    """Cards per batch, or None for one PDF: `batch_sheets` sheets a batch when given (0: one PDF
    whatever the size); otherwise batches of DEFAULT_BATCH_CARDS cards (rounded down to whole
    sheets) once the run has more than that, so that small networks keep their one PDF."""
    per_sheet = SHEETS[sheet].per_sheet
    if batch_sheets == 0:
        return None
    if batch_sheets is not None:
        return batch_sheets * per_sheet
    if cards <= DEFAULT_BATCH_CARDS:
        return None
    return max(1, DEFAULT_BATCH_CARDS // per_sheet) * per_sheet


def batch_path(target: Path, number: int, width: int = 4) -> Path:
    return target.with_name(f"{target.stem}-{number:0{width}d}{target.suffix}")


def index_path(target: Path) -> Path:
    """The index of a batched run: cards-a4-index.csv beside cards-a4-0001.pdf (and its .txt)."""
    return target.with_name(f"{target.stem}-index.csv")


def print_batches(plan: Plan, chosen: Sequence[Chosen], target: Path, size: int, *,
                  workers: int | None = None, progress: Callable[[Progress], None] | None = None) -> BatchRun:
    """Print `chosen` in batches of `size` cards named after `target`; see the module's rules."""
    bounds = [(start, min(start + size, len(chosen))) for start in range(0, len(chosen), size)]
    width = max(4, len(str(len(bounds))))
    written: list[Batch] = []
    shrunk: list[tuple[str, str, float]] = []
    held: list[tuple[str, str, float]] = []
    done = printed = 0  # chosen cards dealt with by the batches written (or wholly held back); cards printed
    report = progress or (lambda _: None)
    report(Progress(0, len(chosen), 0, len(bounds)))
    status = "stopped"
    try:
        with _parts(plan, chosen, bounds, workers) as parts:
            for (_, end), part in zip(bounds, parts, strict=True):
                shrunk += part.shrunk
                held += part.held
                if part.pdf is not None:
                    written.append(_write_batch(plan, part, target, len(written) + 1, width, printed, end))
                    printed += len(part.cards)
                    write_index(plan, target, written, "in progress", len(chosen))
                    give_back_freed_memory()  # the batch's PDF, received and written: its pages go back
                done = end
                report(Progress(end, len(chosen), len(written), len(bounds)))
        status = "complete"
    finally:
        if written:
            if not plan.proof:
                # a stop right after a batch is listed, before `done` follows it: the batch counts
                done = max(done, written[-1].end)
                left_out = {number for number, *_ in held}
                table = plan.network.registry.cards
                noted = (number for row in islice(chosen.rows, done) if (number := table.number(row)) not in left_out)
                network = plan.network
                registry.record_printed(network.root, noted, network.as_of, network.registry)
            write_index(plan, target, written, status, len(chosen))
            _remove_stale(target, len(written))
    return BatchRun(tuple(written), index_path(target), tuple(shrunk), tuple(held))


def _write_batch(plan: Plan, part: Part, target: Path, number: int, width: int, before: int, end: int) -> Batch:
    """Batch `number`'s files; `before`: cards printed by the batches before it; `end`: where its
    cards end among the run's chosen cards."""
    pdf = batch_path(target, number, width)
    first, last = part.cards[0], part.cards[-1]
    extra = (f"Batch: {number:0{width}d}, cards {before + 1:,} to {before + len(part.cards):,} of the run "
             f"(the run's batches are listed in {index_path(target).name})\n")
    write_part(part, pdf, ticket_text(plan, part, pdf, extra))
    return Batch(number, pdf, len(part.cards), part.sheets, first[0], last[0], first[1], last[1],
                 hashlib.sha256(part.pdf).hexdigest(), hashlib.sha256(part.manifest).hexdigest(), end)


# --- making the batches on every core -------------------------------------------------------------
_PLAN: Plan | None = None  # what forked workers inherit


def _make_batch(chosen: list[Entry]) -> Part:
    return make_part(_PLAN, chosen, helper=False)


@contextmanager
def _parts(plan: Plan, chosen, bounds: list[tuple[int, int]], workers: int | None) -> Iterator[Iterator[Part]]:
    """The batches' parts in order, made by `workers` processes forked from this one (default:
    one a core), or here with one worker or where fork is not available."""
    global _PLAN
    from welfarectl.pdf.fonts import register_fonts

    workers = min(workers or available_cores(), len(bounds))
    context = fork_context()
    if context is None or workers < 2:
        yield (make_part(plan, entries(plan, chosen[start:end])) for start, end in bounds)
        return
    register_fonts()  # once, before the fork: every worker inherits the parsed fonts
    _PLAN = plan
    # Workers share the loaded network with this process, page by page, as long as neither writes
    # to a page. So each batch's cards are sent to its worker as plain values (`entries`), made
    # here as the pool asks for them, and the objects made so far are left out of the cyclic
    # collector, which would otherwise write to all of them in every worker.
    gc.freeze()
    try:
        with context.Pool(workers, initializer=leave_interrupts_to_the_parent) as pool:
            yield pool.imap(_make_batch, (entries(plan, chosen[start:end]) for start, end in bounds), chunksize=1)
    finally:
        _PLAN = None
        gc.unfreeze()


# --- the index ------------------------------------------------------------------------------------
def write_index(plan: Plan, target: Path, written: Sequence[Batch], status: str, total: int) -> None:
    """The index of the batches written: a CSV for programs and spreadsheets, a text for people."""
    out = io.StringIO()
    table = csv.writer(out)
    table.writerow(INDEX_COLUMNS)
    for batch in written:
        table.writerow([f"{batch.number:04d}", batch.pdf.name, batch.cards, batch.sheets, batch.first_card,
                        batch.last_card, batch.first_company, batch.last_company, batch.sha256, batch.manifest_sha256])
    csv_path = index_path(target)
    write_files_atomic({csv_path: out.getvalue().encode("utf-8-sig"),
                        csv_path.with_suffix(".txt"): index_text(plan, written, status, total).encode("utf-8")})


_STATUS = {
    "complete": "complete",
    "in progress": "in progress: the batches listed are written, and are noted in the registry as printed when "
                   "the run ends; if no print run is going on, it was killed: its cards are not noted as printed, "
                   "--only-new prints them again",
    "stopped": "stopped before the end: the batches listed are written and noted as printed; print the rest "
               "with --only-new",
}


def index_text(plan: Plan, written: Sequence[Batch], status: str, total: int) -> str:
    geometry = SHEETS[plan.sheet]
    cards, sheets = sum(b.cards for b in written), sum(b.sheets for b in written)
    network = plan.network.settings.short_name or plan.network.settings.name
    lines = [f"Print run: welfare cards, {network}", f"Selection: {plan.selection}",
             f"Sheet: {geometry.label}, {geometry.per_sheet} card{'s' if geometry.per_sheet != 1 else ''} a sheet",
             f"Status: {_STATUS[status]}",
             f"Batches: {len(written):,}, {cards:,} cards (of {total:,} chosen) on {sheets:,} sheets",
             "Each batch is a PDF with its manifest (.csv) and job ticket (.txt) beside it; the SHA-256 of each PDF "
             "lets the print shop check its copy (sha256sum FILE).", ""]
    width = max(len(b.pdf.name) for b in written) if written else 4
    lines.append(f"{'batch':<6} {'file':<{width}} {'cards':>7} {'sheets':>7}  {'first card':<10} {'last card':<10} "
                 "SHA-256 of the PDF")
    for b in written:
        lines.append(f"{b.number:04d}   {b.pdf.name:<{width}} {b.cards:>7,} {b.sheets:>7,}  {b.first_card:<10} "
                     f"{b.last_card:<10} {b.sha256}")
    return "\n".join(lines) + "\n"


def _remove_stale(target: Path, last: int) -> None:
    """Numbered batch files of an earlier run beyond `last`: the folder holds one run's batches."""
    pattern = re.compile(re.escape(target.stem) + r"-(\d{4,})\.(pdf|csv|txt)")
    for path in target.parent.glob(f"{target.stem}-*"):
        found = pattern.fullmatch(path.name)
        if found and int(found.group(1)) > last:
            path.unlink(missing_ok=True)
