"""`welfarectl build`: everything the network publishes, rebuilt when its files changed. Same rules
as app.py: parse, call the library (`builder.make`: plan, then make), word the facts it returns.

On a terminal the build shows a progress bar per target; elsewhere (CI, a pipe) one plain line per
step; with --quiet only problems.
"""

from __future__ import annotations

import os
import time
from typing import Annotated

import typer

from . import console
from .cards import signing_key
from .language import count, current, say
from .options import KeyFileOption, NoNewKeyOption
from .progress import PLAIN_EVERY, READING, workbooks_read
from .runner import HELD_BACK, cache_dir, run_of


def build(
    ctx: typer.Context,
    targets: Annotated[list[str] | None, typer.Argument(
        metavar="TARGET", help="What to build: cards, booklet, report, verifier (default: all of them).")] = None,
    *,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, metavar="N",
                                             help="Processes to build on (default: one per core).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Build the targets even when they are up to date.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing: list the outputs that are stale or missing "
                                        "and exit 1 if there are any (for CI).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
    key_file: KeyFileOption = None,
    no_new_key: NoNewKeyOption = False,
) -> None:
    """Build what the network publishes into output/: the print batch of new cards, the booklet and
    its company editions, the report, the verifier page; only what changed since the last build.

    The network is checked first: with errors nothing is written (exit 1). output/manifest.json
    records every output with its sha256 and the files it was made from. People held back by errors
    in their own workbook rows get no card, the report waits for the fix, and the command exits 10.
    """
    from welfarectl.builder.make import make, plan_build

    run = run_of(ctx)
    plan = plan_build(run.root, targets or (), as_of=run.as_of, force=force, cache_dir=cache_dir())
    if check:
        _print_check(plan, quiet)
        raise typer.Exit(1 if plan.stale else 0)
    reporter = _reporter(quiet)
    for target in plan.asked:
        reporter.say(f"{target}: " + (_why(plan.stale[target]) if target in plan.stale else say("up to date", "aggiornato")))
    if plan.up_to_date:
        reporter.say(say(f"up to date: {', '.join(plan.asked)} (output/manifest.json)",
                         f"tutto aggiornato: {', '.join(plan.asked)} (output/manifest.json)"))
        return
    with reporter:
        built = make(plan, jobs=jobs or os.cpu_count() or 1, reporter=reporter,
                     signing_key=lambda network_id: signing_key(run.root, network_id, key_file, no_new_key))
    for target in built.waiting:
        console.print_warning(say(f"{target} not built: employee workbook rows have errors (listed below), and its "
                                  "figures would leave those people out; fix the rows and build again",
                                  f"{target} non costruito: alcune righe delle cartelle di lavoro dei dipendenti hanno "
                                  "errori (elencati sotto) e i suoi numeri lascerebbero fuori quelle persone; correggi "
                                  "le righe e costruisci di nuovo"))
    if built.built:
        reporter.say(say(f"built {', '.join(built.built)}; manifest {built.manifest}",
                         f"costruiti {', '.join(built.built)}; elenco {built.manifest}"))
    if built.held_back:  # problems: listed even with --quiet
        console.print_held_back(list(built.held_back), current())
        raise typer.Exit(HELD_BACK)


# --- --check --------------------------------------------------------------------------------------


def _print_check(plan, quiet: bool) -> None:
    """One line per stale or missing output (per target never built), then the verdict."""
    for target, reasons in plan.stale.items():
        missing = {reason.path: reason.kind for reason in reasons if reason.kind in ("output-missing", "output-changed")}
        outputs = plan.outputs_of(target)
        if missing:
            for path, kind in missing.items():
                console.print_text(f"{path}: " + (say("missing", "mancante") if kind == "output-missing"
                                                   else say("changed since it was built", "modificato dopo la costruzione")))
        elif outputs and reasons[0].kind != "never-built":
            for path in outputs:
                console.print_text(f"{path}: {_why(reasons)}")
        else:
            console.print_text(f"{target}: {_why(reasons)}")
    if plan.stale:
        console.print_text(say(f"stale: {', '.join(plan.stale)}; `welfarectl build` rebuilds "
                               f"{'it' if len(plan.stale) == 1 else 'them'}",
                               f"da ricostruire: {', '.join(plan.stale)}; li ricostruisce `welfarectl build`"))
    elif not quiet:
        console.print_text(say(f"up to date: {', '.join(plan.asked)}", f"tutto aggiornato: {', '.join(plan.asked)}"))


def _why(reasons) -> str:
    """Why a target is stale, in a few words: its first three reasons."""
    words = {
        "never-built": ("not built yet", "mai costruito"),
        "forced": ("forced (--force)", "forzato (--force)"),
        "input": ("{} changed", "{} è cambiato"),
        "template": ("{} changed", "{} è cambiato"),
        "registry": ("the card registry changed", "il registro delle tessere è cambiato"),
        "options": ("{} is not the one it was built with", "{} non è quello con cui è stato costruito"),
        "version": ("built by another version of welfarectl", "costruito da un'altra versione di welfarectl"),
        "output-missing": ("{} is missing", "{} manca"),
        "output-changed": ("{} changed since it was built", "{} è cambiato dopo la costruzione"),
    }
    said = [say(*words[reason.kind]).format(_option(reason.path) if reason.kind == "options" else reason.path)
            for reason in reasons[:3]]
    more = len(reasons) - len(said)
    if more:
        said.append(say(f"{more} more", f"altri {more}"))
    return say("stale: ", "da ricostruire: ") + "; ".join(said)


def _option(name: str) -> str:
    return {"as_of": say("the day (--as-of)", "il giorno (--as-of)"), "key": say("the signing key", "la chiave di firma"),
            "source_date_epoch": "SOURCE_DATE_EPOCH"}.get(name, name)


# --- progress -------------------------------------------------------------------------------------


def _reporter(quiet: bool):
    if quiet:
        return _Quiet()
    from rich.console import Console

    return _Bars() if Console().is_terminal else _Lines()


class _Lines:
    """One plain line per step: for CI logs and pipes."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def say(self, text: str) -> None:
        console.print_text(text)

    said_at: float | None = None  # when the last line on reading the workbooks was said

    def reading(self, read: int, total: int) -> None:
        """A line every PLAIN_EVERY seconds while a region's workbooks are read, as `load_progress`."""
        now = time.monotonic()
        if self.said_at is None:
            self.said_at = now
        elif now - self.said_at >= PLAIN_EVERY and read < total:
            self.said_at = now
            self.say(say(*READING) + ": " + workbooks_read(read, total))

    def loaded(self, problems: list) -> None:
        warnings = [p for p in problems if p.severity == "warning"]
        if warnings:
            console.print_problems(warnings, current())

    def started(self, steps: dict[str, int]) -> None:
        return None

    def step(self, step) -> None:
        self.say(describe(step))


class _Quiet(_Lines):
    """Only problems: warnings when the network is loaded; errors are the runner's."""

    def say(self, text: str) -> None:
        return None


class _Bars(_Lines):
    """A progress bar per target on a terminal, each step's line printed above the bars."""

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(highlight=False), transient=True)
        self.bars: dict[str, int] = {}
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def say(self, text: str) -> None:
        progress = getattr(self, "progress", None)
        if progress is None:
            console.print_text(text)
        else:
            progress.console.print(text, markup=False)

    def reading(self, read: int, total: int) -> None:
        if "workbooks" not in self.bars:
            self.bars["workbooks"] = self.progress.add_task(say("workbooks", "dipendenti"), total=total)
        self.progress.update(self.bars["workbooks"], completed=read)
        if read == total:
            self.progress.remove_task(self.bars.pop("workbooks"))

    def started(self, steps: dict[str, int]) -> None:
        for target, total in steps.items():
            self.bars[target] = self.progress.add_task(target, total=total)

    def step(self, step) -> None:
        self.say(describe(step))
        if step.target in self.bars:
            self.progress.advance(self.bars[step.target])


def describe(step) -> str:
    """What one step did, in a line of the run's language."""
    what = ""
    if step.kind == "issued":
        what = (say(f"issued {count(step.cards, 'card', 'cards')}", f"emesse {count(step.cards, 'tessera', 'tessere')}")
                if step.cards else say("no card to issue", "nessuna tessera da emettere"))
        if step.leaving:
            what += say(f"; not issued: {count(step.leaving, 'current employee', 'current employees')} with a leaving date",
                        f"; non emesse: {count(step.leaving, 'dipendente attuale', 'dipendenti attuali')} con una data di "
                        "cessazione")
    elif step.kind == "printed":
        what = say(f"{count(step.cards, 'card', 'cards')} on {count(step.sheets, 'sheet', 'sheets')} -> {step.paths[0]} "
                   f"(manifest {step.paths[1].name}, job ticket {step.paths[2].name})",
                   f"{count(step.cards, 'tessera', 'tessere')} su {count(step.sheets, 'foglio', 'fogli')} -> "
                   f"{step.paths[0]} (elenco {step.paths[1].name}, scheda di lavorazione {step.paths[2].name})")
    elif step.kind == "nothing-to-print":
        what = say("no new card to print", "nessuna tessera nuova da stampare")
    elif step.kind == "edition":
        what = say(f"{count(step.services, 'service', 'services')} on {step.pages} pages -> {step.paths[0]}",
                   f"{count(step.services, 'servizio', 'servizi')} su {step.pages} pagine -> {step.paths[0]}")
    elif step.kind == "report":
        what = ", ".join(str(path) if i == 0 else path.name for i, path in enumerate(step.paths))
    elif step.kind == "site":
        page = next(path for path in step.paths if path.suffix == ".html")
        what = say(f"{page} ({count(len(step.paths), 'file', 'files')})", f"{page} ({count(len(step.paths), 'file', 'file')})")
    if step.held_back and step.kind != "issued":
        what += say(f"; held back: {count(step.held_back, 'card', 'cards')}", f"; in attesa: {count(step.held_back, 'tessera', 'tessere')}")
    elif step.held_back:
        what += say(f"; held back: {count(step.held_back, 'person', 'people')} (errors in their workbook rows, listed below)",
                    f"; in attesa: {count(step.held_back, 'persona', 'persone')} (errori nelle loro righe, elencati sotto)")
    if step.too_small:
        what += say(f"; not printed: {count(step.too_small, 'card', 'cards')} whose text would print too small "
                    "(`welfarectl cards print --only-new` says which)",
                    f"; non stampate: {count(step.too_small, 'tessera', 'tessere')} il cui testo verrebbe stampato troppo "
                    "piccolo (le indica `welfarectl cards print --only-new`)")
    return f"{step.target}: {what}"

