"""What every command shares: the network directory and the day it works on, decided once per
run, the loading of the network, and the one place where refusals become messages and exit codes.

Exit codes: 0 done, 1 the data or the operation is refused (the message says why; a file the system
would not write, disk full or permission denied, is "cannot write FILE: REASON", and nothing was
changed), 2 usage errors,
10 done for everyone but the people held back by errors in their workbook rows (`cards issue`,
`cards print`), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import typer
from typer.core import TyperGroup

from welfarectl.base.errors import NetworkHasErrors, Refusal

from . import console
from .helps import lang_in, translate_help
from .language import choose, current, say

HELD_BACK = 10  # the exit code of a card command that left out people whose workbook rows have errors


@dataclass(frozen=True)
class Run:
    """One run of the command: where the network is, and the day everything is judged on."""

    root: Path
    as_of: date


class ReportingGroup(TyperGroup):
    """The command group whose invocation turns every Refusal raised below it into its message
    in the run's language (and, for a network with errors, the errors) and its exit code:
    commands do not catch them."""

    def make_context(self, info_name, args, parent=None, **extra):
        # The run's language, from --lang (read ahead: --help prints before --lang's turn) or the
        # locale; the commands' summaries in it before anything prints.
        translate_help(self, choose(lang_in(args)))
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NetworkHasErrors as refusal:
            console.print_problems(refusal.problems, current(), errors_only=True)
            console.print_error(refusal.message(current()))
            raise typer.Exit(refusal.exit_code) from None
        except Refusal as refusal:
            console.print_error(refusal.message(current()))
            raise typer.Exit(refusal.exit_code) from None
        except OSError as error:  # the system refused a read or write no refusal words: still a message, not a traceback
            from welfarectl.base.problems import os_reason

            reason, name = os_reason(error), error.filename
            console.print_error(say(f"{name}: {reason['reason']}" if name else f"the system refused: {reason['reason']}",
                                    f"{name}: {reason['reason_it']}" if name else f"il sistema ha rifiutato: {reason['reason_it']}"))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:  # files are written whole or not at all, so nothing is left half-written
            console.print_error(say("interrupted; files are written whole or not at all, none was left half-written",
                                    "interrotto; i file si scrivono interi o per niente, nessuno è rimasto a metà"))
            raise typer.Exit(130) from None


def run_of(ctx: typer.Context) -> Run:
    return ctx.find_root().obj


def load(ctx: typer.Context):
    """The whole network, loaded and checked once, and its problems."""
    from welfarectl.pipeline import load_network

    from .progress import load_progress

    run = run_of(ctx)
    with load_progress() as progress:
        return load_network(run.root, as_of=run.as_of, progress=progress, cache_dir=cache_dir())


def cache_dir() -> Path | None:
    """Where workbooks read without a problem are remembered: `$WELFARECTL_CACHE`, else the user's
    cache directory (~/.cache/welfarectl on Linux); WELFARECTL_CACHE=off: nowhere."""
    chosen = os.environ.get("WELFARECTL_CACHE", "").strip()
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("welfarectl")


def load_checked(ctx: typer.Context):
    """The whole network; NetworkHasErrors when it has errors."""
    from welfarectl.pipeline import checked

    return checked(load(ctx))


def load_for_cards(ctx: typer.Context):
    """The whole network, for issuing and printing cards: errors confined to one employee's row
    hold back that person only (`network.held_back`); any other error is NetworkHasErrors."""
    from welfarectl.pipeline import checked_for_cards

    return checked_for_cards(load(ctx))


def held_back_of(network, company: str | None) -> list:
    """The people held back by errors in their workbook rows (of `company` only, if given)."""
    return [person for person in network.held_back if company is None or person.company == company]


def report_held_back(network, company: str | None = None, *, listed: bool = False) -> None:
    """List the people held back (of `company` only, if given) with their rows' errors, unless
    `listed` already, and exit with HELD_BACK when there are any: CI notices, and the others'
    cards are done."""
    held = held_back_of(network, company)
    if not held:
        return
    if not listed:
        console.print_held_back(held, current())
    raise typer.Exit(HELD_BACK)


def load_cards(ctx: typer.Context):
    """The catalogue, the card registry and the public keys (no workbooks), and their problems."""
    from welfarectl.pipeline import load_cards

    run = run_of(ctx)
    return load_cards(run.root, as_of=run.as_of, cache_dir=cache_dir())


def load_cards_checked(ctx: typer.Context):
    """The catalogue, the card registry and the public keys; NetworkHasErrors when they have errors
    (what publishes for providers is made from files that validate)."""
    from welfarectl.pipeline import checked

    return checked(load_cards(ctx))


def network_dir(ctx: typer.Context) -> Path:
    """The network directory; NotANetwork (a usage error) when it has no catalogue/."""
    from welfarectl.network.network import require_network_dir

    return require_network_dir(run_of(ctx).root)


def named_company(company: str | None) -> str | None:
    """`--company` checked before the network is loaded: a usage error when it cannot be a file
    name (`../x`, `CON`), said at once rather than after a region's workbooks are read."""
    from welfarectl.base.names import check_file_name

    if company is not None:
        check_file_name(company, "company id", "l'identificativo d'impresa")  # it names files: never a path
    return company


def company_of(network, company: str | None) -> str | None:
    """`--company` checked against the member companies: a usage error, with the closest id, when
    it names none, and when it cannot be a file name (`../x`, `CON`)."""
    from welfarectl.base.errors import UsageError
    from welfarectl.base.problems import closest

    ids = [org.id for org in network.member_companies]
    named_company(company)
    if company is not None and company not in ids:
        close = closest(company.lower(), ids)
        raise UsageError(f"no member company has the id '{company}'" + (f"; did you mean '{close}'?" if close else ""),
                         f"nessuna impresa aderente ha l'identificativo '{company}'" + (f"; forse '{close}'?" if close else ""))
    return company
