"""Everything welfarectl prints: problems, summaries, tables, errors. Colour only on a terminal."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from .language import count, say
from .language import detect_lang as detect_lang  # where commands find it

if TYPE_CHECKING:
    from rich.console import Console

    from welfarectl.base.problems import Problem

_STYLE = {"error": "bold red", "warning": "yellow"}
_SEVERITY_IT = {"error": ("errore", "errori"), "warning": ("avviso", "avvisi")}
_SEVERITY_EN = {"error": ("error", "errors"), "warning": ("warning", "warnings")}


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


def stderr_console() -> Console:
    """Standard error's console: what a command says while it runs (progress), apart from its result."""
    return _console(stderr=True)


def print_problems(problems: list[Problem], lang: str, *, errors_only: bool = False) -> None:
    """One line per problem, then the counts. With `errors_only` the warnings are not listed, but
    still counted, so the summary reads as `validate`'s does."""
    from rich.text import Text

    out = _console()
    for p in problems:
        if errors_only and p.severity != "error":
            continue
        line = Text(f"{p.location}: ")
        line.append(f"{p.severity}[{p.code}]", style=_STYLE[p.severity])
        line.append(f": {p.message(lang)}")
        out.print(line)
    said = summary(problems, lang)
    if errors_only and any(p.severity == "warning" for p in problems):
        said += " (warnings not listed: `welfarectl validate` lists them)" if lang != "it" else \
            " (avvisi non elencati: li elenca `welfarectl validate`)"
    out.print(said, style="bold" if problems else "green")


def print_held_back(held: list, lang: str) -> None:
    """The people whose cards wait for a fix to their workbook rows: who, the row, and each error
    at its cell, so that HR can fix it and the next run gives them their card."""
    from rich.text import Text

    out = _console()
    out.print(Text(say("held back, no card until their row is fixed: ",
                       "in attesa, nessuna tessera finché la loro riga non è corretta: ")
                   + count(len(held), *say(("person", "people"), ("persona", "persone"))), style="bold"))
    for person in held:
        who = person.name or say("(no name)", "(senza nome)")
        if person.codice_fiscale:
            who += f" ({person.codice_fiscale})"
        out.print(Text(f"  {person.row}: {who}"))
        for p in person.problems:
            line = Text(f"    {p.location}: ")
            line.append(f"{p.severity}[{p.code}]", style=_STYLE[p.severity])
            line.append(f": {p.message(lang)}")
            out.print(line)


def severity_word(severity: str, lang: str) -> str:
    """'error' or 'warning' as a word in a sentence: 'errore', 'avviso' in Italian."""
    return (_SEVERITY_IT if lang == "it" else _SEVERITY_EN)[severity][0]


def summary(problems: list[Problem], lang: str) -> str:
    from welfarectl.base.problems import count_by_severity

    counts = count_by_severity(problems)
    names = _SEVERITY_IT if lang == "it" else _SEVERITY_EN
    if not problems:
        return "nessun problema" if lang == "it" else "no problems"
    parts = [f"{n} {names[sev][0] if n == 1 else names[sev][1]}" for sev, n in counts.items()]
    return ", ".join(parts)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def problems_as_json(problems: list[Problem], lang: str) -> dict:
    from welfarectl.base.problems import count_by_severity

    return {"problems": [p.as_dict(lang) for p in problems], "counts": count_by_severity(problems)}


def print_table(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> None:
    from rich.table import Table

    table = Table(*headers, box=None, pad_edge=False)
    for row in rows:
        table.add_row(*row)
    _console().print(table)


def print_text(text: str, style: str | None = None) -> None:
    _console().print(text, style=style, markup=False)


def print_error(message: str) -> None:
    from rich.text import Text

    line = Text(say("error: ", "errore: "), style="bold red")
    line.append(message)
    _console(stderr=True).print(line)


def print_warning(message: str) -> None:
    from rich.text import Text

    line = Text(say("warning: ", "avviso: "), style="bold yellow")
    line.append(message)
    _console(stderr=True).print(line)


def print_note(message: str) -> None:
    _console(stderr=True).print(message, markup=False, style="dim")
