"""Writing the booklet: one edition, or one per member company on both cores, each file whole or
not at all, and the 2-up imposition beside it when asked for.

The network must have been checked (`pipeline.checked`): a booklet is never made from a network
with errors. Files go to output/booklet/ unless the caller names a target.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from welfarectl.base import output
from welfarectl.base.cores import fork_context, leave_interrupts_to_the_parent
from welfarectl.base.errors import UsageError
from welfarectl.base.italian import format_month
from welfarectl.base.names import check_file_name
from welfarectl.base.output import BadTarget, check_target
from welfarectl.network.network import Network

from .editions import make_edition

OUTPUT_DIR = "output/booklet"


@dataclass(frozen=True)
class Written:
    """What was written for one edition: facts for the command line to word."""

    company: str | None
    lang: str
    target: Path
    pages: int
    services: int
    imposed: Path | None
    untranslated: tuple[str, ...]


def booklet_name(company: str | None, lang: str) -> str:
    return f"booklet-{company}-{lang}.pdf" if company else f"booklet-{lang}.pdf"


def imposed_path(target: Path) -> Path:
    return target.with_name(f"{target.stem}-imposed{target.suffix}")


def default_target(network: Network, company: str | None, lang: str) -> Path:
    return network.root / OUTPUT_DIR / booklet_name(company, lang)


def template_values(network: Network, lang: str) -> dict:
    """The variables every booklet template is given (prose.SAMPLE shows them with sample values)."""
    settings = network.settings
    coordinator = network.organisations_by_id.get(settings.coordinator)
    name = (settings.name_en or settings.name) if lang == "en" else settings.name
    return {
        "network": {"name": name, "short_name": settings.short_name or name, "territory": settings.territory,
                    "website": settings.website or "", "email": settings.email or "",
                    "coordinator": coordinator.name if coordinator else settings.coordinator},
        "period": {"start": format_month(settings.period.start, lang), "end": format_month(settings.period.end, lang)},
    }


def build_booklet(network: Network, company: str | None = None, lang: str = "it") -> tuple[bytes, Written]:
    """The edition's PDF bytes, and its facts (its target is the default one)."""
    from .render import render_booklet

    _check_company(network, company)
    edition = make_edition(network, company, lang)
    values = template_values(network, lang)
    pdf, pages = render_booklet(edition, network.booklet_prose, values, title=values["network"]["name"])
    return pdf, Written(company, lang, default_target(network, company, lang), pages, len(edition.entries), None,
                        edition.untranslated)


def write_booklet(network: Network, target: Path | None = None, *, company: str | None = None, lang: str = "it",
                  imposed: bool = False) -> Written:
    """Write one edition (the full booklet when `company` is None) to `target`, atomically, and its
    2-up imposition beside it (NAME-imposed.pdf) with `imposed`."""
    target = target or default_target(network, company, lang)
    check_target(target)
    pdf, written = build_booklet(network, company, lang)
    done, staged = _stage(pdf, written, target, imposed)
    output.commit(staged)
    return done


def write_all_editions(network: Network, directory: Path | None = None, *, lang: str = "it",
                       imposed: bool = False) -> list[Written]:
    """One edition per member company, in `directory` (output/booklet/ by default), made on every
    core; the companies in the catalogue's order. The editions are written as one: each worker
    stages its files, and they are put in place together only when all are made, so that a
    failure (a full disk, Ctrl-C) leaves the previous editions, all of them."""
    directory = directory or network.root / OUTPUT_DIR
    if directory.exists() and not directory.is_dir():
        raise BadTarget(f"{directory} is not a directory: with --all-companies, -o names the directory to write to",
                        f"{directory} non è una cartella: con --all-companies, -o indica la cartella in cui scrivere")
    companies = [org.id for org in network.member_companies]
    tasks = [(company, lang, directory / booklet_name(company, lang), imposed) for company in companies]
    global _NETWORK
    _NETWORK = network
    try:
        made = list(_map(_write_edition, tasks))
    except BaseException:
        _discard_staged(tasks)
        raise
    finally:
        _NETWORK = None
    output.commit([each for _, staged in made for each in staged])
    return [done for done, _ in made]


# --- one edition per process ------------------------------------------------------------------------
_NETWORK: Network | None = None  # the network the forked workers inherit instead of receiving a copy


def _write_edition(task: tuple[str, str, Path, bool]) -> tuple[Written, list[output.Staged]]:
    company, lang, target, imposed = task
    pdf, written = build_booklet(_NETWORK, company, lang)
    return _stage(pdf, written, target, imposed)


def _discard_staged(tasks: list[tuple[str, str, Path, bool]]) -> None:
    """Remove what the workers staged for `tasks` when the run fails: a worker that finished
    reported its files to a parent that no longer waits for them, so they are found by name."""
    for _, _, target, imposed in tasks:
        for path in (target, imposed_path(target)) if imposed else (target,):
            for leftover in path.parent.glob(f".{path.name}.*.tmp"):
                leftover.unlink(missing_ok=True)


def _map(function, tasks: list):
    """`function` over `tasks` on two processes forked from this one (the loaded network is
    shared, not copied over a pipe), or here where fork is not available."""
    from welfarectl.pdf.fonts import register_fonts

    register_fonts()  # once, before the fork: every worker inherits the parsed fonts
    context = fork_context()
    if context is None or len(tasks) < 2:
        return [function(task) for task in tasks]
    with context.Pool(min(2, len(tasks)), initializer=leave_interrupts_to_the_parent) as pool:
        # in order, so that the first failure (a full disk) stops the run at once: leaving the
        # block ends the workers, rather than letting them make every other edition first
        return list(pool.imap(function, tasks, chunksize=1))


def _stage(pdf: bytes, written: Written, target: Path, imposed: bool) -> tuple[Written, list[output.Staged]]:
    """The edition's files staged beside their targets (the imposition first), for `output.commit`."""
    from .impose import impose_2up

    extra = imposed_path(target) if imposed else None
    staged = [output.stage(extra, impose_2up(pdf))] if extra is not None else []
    try:
        staged.append(output.stage(target, pdf))
    except BaseException:
        output.discard(staged)
        raise
    return Written(written.company, written.lang, target, written.pages, written.services, extra, written.untranslated), staged


def _check_company(network: Network, company: str | None) -> None:
    if company is not None:
        check_file_name(company, "company id", "l'identificativo d'impresa")  # booklet-ID-LANG.pdf is named after it
    if company is not None and company not in {org.id for org in network.member_companies}:
        raise UsageError(f"no member company has the id '{company}'",
                         f"nessuna impresa aderente ha l'identificativo '{company}'")

