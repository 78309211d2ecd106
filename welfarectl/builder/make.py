"""`welfarectl build`: the whole network in one command, and only what changed.

1. Plan (`plan_build`): hash every target's sources and compare with output/manifest.json, without
   loading the network. Nothing stale: done, in a fraction of a second.
2. Make (`make`): load and check the network once; errors other than those confined to one
   employee's workbook row stop the build before anything is written (NetworkHasErrors). Then, in
   order: the cards (issue, as `cards issue` does, then print the cards never printed, as
   `cards print --only-new` does), the booklet (the full one and one edition per member company),
   the verifier page and the report, which counts the cards and so comes after them. The units of
   work run on `jobs` processes; the bytes do not depend on how many.
3. Record: each target built gets its entry in the manifest, computed after every target has
   written (the cards target writes the registry, which the report and the page read), and the
   manifest is written last, atomically, also when the build is interrupted, for the targets done.

People held back by errors in their own workbook rows get no card (the others do, as with
`cards issue`), and the report, whose figures would count what was dropped, waits for the fix.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from welfarectl.base.errors import NetworkHasErrors, UsageError

from . import manifest
from .inputs import CARDS_SHEET, LANG, MAX_AGE, TARGETS, current_key_id, sources_of


@dataclass(frozen=True)
class Plan:
    """What a build would do: the targets asked for, the stale ones with the reasons why, and the
    options each target is built with."""

    root: Path
    as_of: date
    asked: tuple[str, ...]
    stale: dict[str, tuple[manifest.Reason, ...]]
    options: dict[str, dict]
    recorded: dict[str, dict] = field(repr=False)
    cache_dir: Path | None = None  # where workbooks and the registry read are remembered (`pipeline.load_network`)

    @property
    def up_to_date(self) -> bool:
        return not self.stale

    def outputs_of(self, target: str) -> list[str]:
        """The outputs the manifest records for `target` (none when it was never built)."""
        entry = self.recorded.get(target) or {}
        outputs = entry.get("outputs")
        return [o["path"] for o in outputs if isinstance(o, dict) and isinstance(o.get("path"), str)] \
            if isinstance(outputs, list) else []


class Reporter(Protocol):
    """Who is told how the build goes (the command line: a progress bar or a line per step)."""

    def reading(self, read: int, total: int) -> None: ...  # workbooks read of all, while loading

    def loaded(self, problems: list) -> None: ...

    def started(self, steps: dict[str, int]) -> None: ...

    def step(self, step) -> None: ...


@dataclass(frozen=True)
class Built:
    """What `make` did: the targets built, those left stale (and why), the people held back."""

    built: tuple[str, ...]
    waiting: tuple[str, ...]  # targets not built because workbook rows have errors
    held_back: tuple = ()
    manifest: Path | None = None


def read_targets(names: Sequence[str]) -> tuple[str, ...]:
    """The targets named (all of them when none is), in build order; UsageError for an unknown one."""
    unknown = [name for name in names if name not in TARGETS]
    if unknown:
        raise UsageError(f"unknown build target {', '.join(repr(u) for u in unknown)}: give one or more of "
                         f"{', '.join(TARGETS)} (none builds them all)",
                         f"obiettivo sconosciuto {', '.join(repr(u) for u in unknown)}: indicane uno o più tra "
                         f"{', '.join(TARGETS)} (nessuno li costruisce tutti)")
    return tuple(target for target in TARGETS if target in names or not names)


def options_of(root: Path, target: str, as_of: date) -> dict:
    """The settings besides the files that change a target's bytes: the business day for the
    day-dependent targets, the language, the signing key, and SOURCE_DATE_EPOCH, which pins the
    dates ReportLab embeds in PDFs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or None
    if target == "cards":
        return {"as_of": as_of.isoformat(), "key": current_key_id(root), "sheet": CARDS_SHEET, "source_date_epoch": epoch}
    if target == "booklet":
        return {"lang": LANG, "source_date_epoch": epoch}
    if target == "report":
        return {"as_of": as_of.isoformat(), "formats": "pdf,xlsx,json", "lang": LANG, "source_date_epoch": epoch}
    return {"as_of": as_of.isoformat(), "key": current_key_id(root), "max_age": MAX_AGE}


def plan_build(root: Path, targets: Sequence[str] = (), *, as_of: date, force: bool = False,
               cache_dir: Path | None = None) -> Plan:
    """Which of `targets` (all when none) are stale in the network `root`, judged from the
    files' hashes and the manifest alone; with `force`, all of them. `cache_dir`: where workbooks
    and the registry read without a problem are remembered (`pipeline.load_network`)."""
    asked = read_targets(targets)
    _require_network(root)
    recorded = manifest.read_manifest(root)
    stale: dict[str, tuple[manifest.Reason, ...]] = {}
    options = {}
    sources = sources_of(root, asked, cache_dir)
    for target in asked:
        options[target] = options_of(root, target, as_of)
        reasons = manifest.stale_reasons(root, target, sources[target], options[target], recorded.get(target))
        if force and not reasons:
            reasons = [manifest.Reason("forced")]
        if reasons:
            stale[target] = tuple(reasons)
    return Plan(root, as_of, asked, stale, options, recorded, cache_dir)


def make(plan: Plan, *, jobs: int, signing_key: Callable[[str], object], reporter: Reporter) -> Built:
    """Build the stale targets of `plan` (see the module's docstring); `signing_key(network_id)`
    gives the key the cards and the page are signed with, asked for only when one of them is built."""
    from welfarectl.cards.registry import run_issue
    from welfarectl.pipeline import hold_back, load_network

    from .targets import Step, Task

    network, problems = load_network(plan.root, as_of=plan.as_of, progress=reporter.reading,
                                     cache_dir=plan.cache_dir)
    held, blocking = hold_back(network, problems)
    if blocking:
        raise NetworkHasErrors(problems)
    network.held_back = held
    reporter.loaded(problems)
    targets = [target for target in TARGETS if target in plan.stale]
    waiting = tuple(target for target in targets if target == "report" and held)
    targets = [target for target in targets if target not in waiting]
    key = signing_key(network.settings.id) if {"cards", "verifier"} & set(targets) else None
    tasks = [Task("cards", "print")] if "cards" in targets else []
    if "booklet" in targets:
        tasks += [Task("booklet", "edition", company) for company in [None, *(o.id for o in network.member_companies)]]
    tasks += [Task(target, kind) for target, kind in (("verifier", "site"), ("report", "report")) if target in targets]
    steps = {target: sum(task.target == target for task in tasks) for target in targets}
    steps["cards"] = steps.get("cards", 0) + ("cards" in targets)  # issuing is a step of its own
    reporter.started({target: count for target, count in steps.items() if count})
    outputs: dict[str, list[Path]] = {}
    try:
        if "cards" in targets:
            issued = run_issue(network)
            reporter.step(Step("cards", "issued", cards=len(issued.cards), leaving=issued.leaving, held_back=len(held)))
        _run(network, key, tasks, jobs, reporter, outputs, registry_changed="cards" in targets)
    finally:
        written = _record(plan, outputs)
    return Built(tuple(t for t in targets if t in outputs), waiting, tuple(held), written)


def _require_network(root: Path) -> None:
    if not (root / "catalogue").is_dir():
        from welfarectl.network.network import require_network_dir

        require_network_dir(root)  # raises NotANetwork, worded for the user


def _run(network, key, tasks: list, jobs: int, reporter: Reporter, done: dict[str, list[Path]], *,
         registry_changed: bool) -> None:
    """Run the tasks, here or on `jobs` processes, putting in `done` the outputs of each target as
    soon as its tasks have all finished (so that an interrupted build records those). The report
    waits for the cards' print batch: it counts the cards printed."""
    from . import targets as work

    work.share(network, key, registry_changed=registry_changed)
    left = {target: sum(task.target == target for task in tasks) for target in {task.target for task in tasks}}
    written: dict[str, list[Path]] = {target: [] for target in left}

    def finish(task, result) -> None:
        if isinstance(result, work.Failed):
            raise result.refusal()
        written[task.target] += result.paths
        reporter.step(result)
        left[task.target] -= 1
        if not left[task.target]:
            done[task.target] = written[task.target]

    try:
        if jobs <= 1 or len(tasks) < 2:
            for task in tasks:
                finish(task, work.run_task(task))
        else:
            _run_forked(tasks, jobs, finish)
    finally:
        work.share(None, None, registry_changed=False)


def _run_forked(tasks: list, jobs: int, finish) -> None:
    """The tasks on `jobs` processes forked from this one (where fork exists; here otherwise).
    The cards' print batch runs in a thread of this process instead, as it forks a helper of its
    own (QR codes), which a pool's worker may not. Workers ignore Ctrl-C and finish the file they
    are writing; on an interrupt the tasks not yet started are dropped."""
    import multiprocessing
    import queue
    import threading

    from welfarectl.pdf.fonts import register_fonts

    from . import targets as work

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        for task in tasks:
            finish(task, work.run_task(task))
        return
    register_fonts()  # once, before the fork: every worker inherits the parsed fonts
    stop = context.Event()
    results: queue.SimpleQueue = queue.SimpleQueue()
    here = [task for task in tasks if task.kind == "print"]
    later = [task for task in tasks if task.kind == "report" and here]
    forked = [task for task in tasks if task not in here and task not in later]
    pool = context.Pool(max(1, min(jobs, len(forked) + len(later))), initializer=_ignore_interrupts, initargs=(stop,))

    def submit(task) -> None:
        pool.apply_async(_run_unless_stopped, (task,), callback=lambda result, task=task: results.put((task, result)),
                         error_callback=lambda error, task=task: results.put((task, error)))

    def run_here(task) -> None:
        try:
            results.put((task, work.run_task(task)))
        except BaseException as error:  # a bug: raised again in the main thread
            results.put((task, error))

    threads = [threading.Thread(target=run_here, args=(task,), daemon=True) for task in here]
    try:
        for thread in threads:
            thread.start()
        for task in forked:
            submit(task)
        for _ in range(len(tasks)):
            task, result = results.get()
            if isinstance(result, BaseException):
                raise result
            finish(task, result)
            if task.kind == "print":
                for waiting in later:
                    submit(waiting)
        pool.close()
    except BaseException:
        stop.set()  # the tasks not started yet return at once
        pool.close()
        raise
    finally:
        for thread in threads:
            thread.join()  # the batch is written whole (or not at all) before the command ends
        pool.join()


_STOP = None


def _ignore_interrupts(stop) -> None:
    """Ctrl-C reaches every process of the terminal's group: a worker ignores it, finishes the
    file it is writing, and starts nothing more once the command has stopped."""
    import signal

    global _STOP
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STOP = stop


def _run_unless_stopped(task):
    from . import targets as work

    if _STOP is not None and _STOP.is_set():
        return work.Failed("interrupted", "interrotto", 130)
    return work.run_task(task)


def _record(plan: Plan, outputs: dict[str, list[Path]]) -> Path | None:
    """Write the manifest with the entries of the targets just built (their sources hashed now,
    after every target has written) and the others' as they were."""
    if not outputs:
        return None
    entries = dict(plan.recorded)
    sources = sources_of(plan.root, list(outputs), plan.cache_dir)
    for target in outputs:
        options = options_of(plan.root, target, plan.as_of)
        entries[target] = manifest.record(plan.root, target, sources[target], options, outputs[target])
    return manifest.write_manifest(plan.root, {name: entries[name] for name in sorted(entries)})
