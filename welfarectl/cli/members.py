"""`welfarectl members ...`: HR's employee lists in and out (a template to fill, an import with
feedback), and the right to erasure. Same rules as app.py: parse, one library call, word the facts
it returns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import console
from .options import CompanyOption, DryRunOption, LangOption
from .runner import cache_dir, network_dir, run_of

members_app = typer.Typer(help="Employee lists from HR: a template to fill in, imports with feedback, "
                          "and forgetting a person (right to erasure).", no_args_is_help=True)

_SHOWN = 20  # people listed per kind of change; the rest are counted


@members_app.command()
def template(
    ctx: typer.Context,
    *,
    company: CompanyOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE.xlsx", help=(
        "The workbook to write (default output/members/modello-dipendenti[-ID].xlsx)."))] = None,
) -> None:
    """Write the workbook HR fills in: Italian headers, an Istruzioni sheet, validation, a protected header row."""
    from welfarectl.intake.template import write_template

    root = network_dir(ctx)
    target = output or root / "output" / "members" / f"modello-dipendenti{'-' + company if company else ''}.xlsx"
    written = write_template(root, target, company)
    console.print_text(f"template -> {written}")


@members_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The list HR sent: .xlsx, .csv (';', UTF-8 or Windows-1252), .xls or .ods.",
                                         dir_okay=False)],
    *,
    company: Annotated[str, typer.Option("--company", metavar="ID", help="The member company the list is of.")],
    dry_run: DryRunOption = False,
    sheet: Annotated[str | None, typer.Option("--sheet", metavar="NAME", help="Read only this sheet.")] = None,
    maps: Annotated[list[str] | None, typer.Option(
        "--map", metavar="HEADER=COLUMN", help="Read the column headed HEADER as COLUMN (e.g. 'Cod. dip.=Codice fiscale'), "
        "or not at all (HEADER=skip). Repeatable; before the usual header matching.")] = None,
    keep_missing: Annotated[bool, typer.Option("--keep-missing", help=(
        "Keep current people missing from the list as they are, instead of giving them today as leaving date."))] = False,
    feedback: Annotated[Path | None, typer.Option("--feedback", metavar="FILE.xlsx", help=(
        "When the list has errors, write a copy of it with each bad cell highlighted and commented in Italian, "
        "for HR to correct and send again."))] = None,
    lang: LangOption = None,
) -> None:
    """Import a company's employee list into members/ID.xlsx: check every row, show the changes, keep only the network's columns.

    With errors nothing is written and the exit code is 1. Current people missing from the list get
    the import's day as leaving date, unless --keep-missing.
    """
    from welfarectl.intake.importer import import_members

    language = console.detect_lang(lang.value if lang else None)
    root = network_dir(ctx)
    run = import_members(root, file, company, run_of(ctx).as_of, sheet=sheet, maps=maps or (), keep_missing=keep_missing,
                         dry_run=dry_run, feedback=feedback)
    if run.problems:
        console.print_problems(run.problems, language)
    if run.dropped_columns:
        console.print_note(f"columns not kept (never stored): {', '.join(run.dropped_columns)}")
    if run.unused_maps:
        console.print_warning(f"--map names headers no header row has: {', '.join(run.unused_maps)}")
    if run.failed:
        if run.feedback is not None:
            console.print_text(f"feedback for HR, each error at its cell -> {run.feedback}")
        console.print_error(f"{run.source} has errors: nothing was written to {_rel(root, run.target)}")
        raise typer.Exit(1)
    _print_diff(run.diff)
    target = _rel(root, run.target)
    if dry_run:
        console.print_text(f"dry run: {run.people} people read; nothing written to {target}")
    elif run.written:
        console.print_text(f"{run.people} people read -> {target}")
    else:
        console.print_text(f"{run.people} people read; {target} already says the same")


def _print_diff(diff) -> None:
    from welfarectl.base.italian import format_day

    def listed(title: str, items: list[str]) -> None:
        if not items:
            return
        console.print_text(f"{title} ({len(items)}):")
        for item in items[:_SHOWN]:
            console.print_text(f"  {item}")
        if len(items) > _SHOWN:
            console.print_text(f"  ... and {len(items) - _SHOWN} more")

    def who(person) -> str:
        return f"{person.surname} {person.given_name} ({person.codice_fiscale})"

    def shown(value) -> str:
        return "(empty)" if value is None else format_day(value) if hasattr(value, "isoformat") else str(value)

    listed("joiners", [who(p) for p in diff.joiners])
    listed("leavers", [f"{who(p)}: leaving date {format_day(p.leaving_date)}" for p in diff.leavers])
    listed("removed, never started", [f"{who(p)}: hired {format_day(p.hire_date)}" for p in diff.dropped])
    listed("changed", [f"{who(c.person)}: {c.field} {shown(c.before)} -> {shown(c.after)}" for c in diff.changes])
    if diff.kept:
        console.print_text(f"kept as they were, not in the list: {len(diff.kept)}")
    if diff.empty:
        console.print_text("no change to the people")


@members_app.command()
def forget(
    ctx: typer.Context,
    codice_fiscale: Annotated[str, typer.Argument(metavar="CODICE_FISCALE", help="The person's codice fiscale.")],
    *,
    company: CompanyOption = None,
) -> None:
    """Forget a person (right to erasure): their rows leave the workbooks, the card registry keeps their card numbers but not who they were.

    Their active cards are revoked as withdrawn. Files under members/ that welfarectl does not
    write and that still hold them are listed, to delete; git history is yours to purge (see README).
    """
    from welfarectl.intake.erasure import forget_person

    done = forget_person(network_dir(ctx), codice_fiscale, run_of(ctx).as_of, company)
    cache = cache_dir()
    if cache is not None:  # the cache keeps what the workbooks and the registry said of everyone: they go with the rows
        from welfarectl.cards.registrycache import RegistryCache
        from welfarectl.network.staffcache import StaffCache

        StaffCache(cache, network_dir(ctx)).clear()
        RegistryCache(cache, network_dir(ctx)).clear()
    reg = done.registry
    if reg.pseudonymised:
        console.print_text(f"the card registry now names its {reg.pseudonymised} holders by pseudonym "
                           "(rewritten once, recorded in the registry)")
    console.print_text(f"{done.codice_fiscale}: {done.rows} row{'s' if done.rows != 1 else ''} removed from "
                       f"{', '.join(done.workbooks) or 'no workbook'}; {len(reg.revoked)} active card"
                       f"{'s' if len(reg.revoked) != 1 else ''} revoked"
                       + (f" ({', '.join(_card(c.number) for c in reg.revoked)})" if reg.revoked else "")
                       + f"; {reg.holders} holder record{'s' if reg.holders != 1 else ''} deleted")
    if done.traces:
        console.print_error(f"these files under members/ still hold the person's data and are not welfarectl's to "
                            f"rewrite: {', '.join(done.traces)}; delete or correct them")
        raise typer.Exit(1)


@members_app.command()
def pseudonymise(ctx: typer.Context) -> None:
    """Rewrite a card registry from before pseudonyms so that no line holds a codice fiscale (once, recorded in it)."""
    from welfarectl.cards.forgetting import pseudonymise_registry

    count = pseudonymise_registry(network_dir(ctx), run_of(ctx).as_of)
    if count:
        console.print_text(f"members/cards.jsonl: {count} holders now named by pseudonym; the lines were chained again "
                           "and a pseudonymised event records the old chain's last hash. Commit members/.")
    else:
        console.print_text("members/cards.jsonl names no holder by codice fiscale: nothing to do")


def _card(number: str) -> str:
    from welfarectl.cards.number import format_card_number

    return format_card_number(number)


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
