"""The `welfarectl` command: each command parses its options, makes one library call, prints
through `console`, and returns an exit code (0 fine, 1 problems in the data, 2 usage). Refusals
raised by the library become messages in one place (`runner.ReportingGroup`).

Heavy libraries (pydantic, ReportLab, calamine) are imported inside commands so `--help` is fast.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from . import console
from .booklet import booklet
from .build import build
from .cards import cards_app, keys_app
from .language import current, say
from .members import members_app
from .options import Format, FormatOption, LangOption
from .report import report
from .runner import ReportingGroup, Run, load, run_of
from .verifier import verifier

app = typer.Typer(
    name="welfarectl",
    cls=ReportingGroup,
    help="Run a territorial corporate-welfare network from plain files: check the catalogue and "
    "the employee workbooks, issue cards, publish the booklet and the report.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.add_typer(keys_app, name="keys")
app.add_typer(cards_app, name="cards")
app.add_typer(members_app, name="members")
app.command()(build)
app.command()(booklet)
app.command()(report)
app.command()(verifier)


def _print_version(value: bool) -> None:
    if value:
        from welfarectl import __version__

        typer.echo(f"welfarectl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Option("--directory", "-C", help="Run as if started in DIR (the network directory).",
                     file_okay=False, metavar="DIR"),
    ] = Path("."),
    as_of: Annotated[str | None, typer.Option(
        "--as-of", envvar="WELFARECTL_AS_OF", metavar="DATE",
        help="The day to work on (YYYY-MM-DD or dd/mm/yyyy): cards are issued, expire and verify as of "
             "that day. Default: today. Also $WELFARECTL_AS_OF.")] = None,
    lang: LangOption = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True,
                                          callback=_print_version)] = False,
) -> None:
    from welfarectl.base.clock import parse_day, today

    try:
        day = parse_day(as_of) if as_of else today()  # the one clock: every command of this run works on this day
    except ValueError:
        raise typer.BadParameter(f"'{as_of}' is not a date: write YYYY-MM-DD or dd/mm/yyyy",
                                 param_hint="--as-of / WELFARECTL_AS_OF") from None
    ctx.obj = Run(directory, day)  # and the language, chosen by --lang's callback or the locale


@app.command()
def validate(
    ctx: typer.Context,
    *,
    format: FormatOption = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    lang: LangOption = None,
) -> None:
    """Check the catalogue, the workbooks and the survey; list every problem with its location.

    Exit 0 when there is no error (warnings allowed unless --strict), 1 when there are errors.
    """
    from welfarectl.base.problems import has_errors

    language = current()
    _, problems = load(ctx)
    if format is Format.json:
        console.print_json(console.problems_as_json(problems, language))
    else:
        console.print_problems(problems, language)
    failed = has_errors(problems) or (strict and bool(problems))
    raise typer.Exit(1 if failed else 0)


@app.command()
def stats(ctx: typer.Context, *, format: FormatOption = Format.text, lang: LangOption = None) -> None:
    """Print the network's figures: organisations, companies, employees, services, workshops, survey."""
    from welfarectl.base.errors import Refusal
    from welfarectl.base.problems import has_errors
    from welfarectl.network.stats import LABELS, compute_stats

    language = current()
    network, problems = load(ctx)
    if has_errors(problems):  # figures of a network with errors would count what was dropped
        raise Refusal(f"the network has errors ({console.summary(problems, 'en')}), so its figures would be wrong; "
                      "run `welfarectl validate`",
                      f"la rete ha errori ({console.summary(problems, 'it')}), quindi i suoi numeri sarebbero "
                      "sbagliati; esegui `welfarectl validate`")
    figures = compute_stats(network)
    if format is Format.json:
        console.print_json(figures)
    else:
        label = 1 if language == "it" else 0
        console.print_table([(LABELS[key][label], f"{value:,}".replace(",", ".") if language == "it" else f"{value:,}")
                             for key, value in figures.items()], ("", ""))


@app.command("problems")
def problems_(
    ctx: typer.Context,
    code: Annotated[str | None, typer.Argument(help="A problem code to explain, e.g. unknown-reference.")] = None,
    *,
    lang: LangOption = None,
) -> None:
    """List the problem codes validate can report, or explain one."""
    from welfarectl.base.errors import UsageError
    from welfarectl.base.problems import CATALOGUE, closest

    language = current()
    if code is None:
        console.print_table([(k.code, console.severity_word(k.severity, language), k.title_in(language))
                             for k in CATALOGUE.values()],
                            ("codice", "gravità", "titolo") if language == "it" else ("code", "severity", "title"))
        return
    kind = CATALOGUE.get(code)
    if kind is None:
        close = closest(code, CATALOGUE)
        raise UsageError(f"no problem has the code '{code}'"
                         + (f"; did you mean {close}?" if close else "; `welfarectl problems` lists them"),
                         f"nessun problema ha il codice '{code}'"
                         + (f"; forse {close}?" if close else "; li elenca `welfarectl problems`"))
    if language == "it":
        console.print_text(f"{kind.code} ({console.severity_word(kind.severity, language)}): {kind.title_in(language)}"
                           f"\n\n{kind.description_in(language)}\n\nmessaggio: {kind.message_it}")
    else:
        console.print_text(f"{kind.code} ({kind.severity}): {kind.title}\n\n{kind.description}\n\n"
                           f"message: {kind.message_en}\nmessaggio: {kind.message_it}")


class FileKind(str, enum.Enum):
    network = "network"
    organisations = "organisations"
    services = "services"
    workshops = "workshops"


@app.command()
def schema(kind: Annotated[FileKind, typer.Argument(help="Which catalogue file's schema to print.")]) -> None:
    """Print the JSON Schema of a catalogue file, for editors with a YAML language server."""
    from welfarectl.network.schema import render_schema

    typer.echo(render_schema(kind.value), nl=False)


@app.command()
def init(
    ctx: typer.Context,
    directory: Annotated[Path | None, typer.Argument(
        help="Where to create the network (new or empty; default: the -C directory, else here).")] = None,
) -> None:
    """Create a new, minimal, valid network in DIRECTORY."""
    from welfarectl.network.skeleton import create_network

    directory = directory or run_of(ctx).root
    create_network(directory)
    console.print_text(say(f"created a new network in {directory}; next: welfarectl -C {directory} validate",
                           f"creata una nuova rete in {directory}; poi: welfarectl -C {directory} validate"))


def main() -> None:
    app()
