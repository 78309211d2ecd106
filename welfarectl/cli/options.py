"""The options several commands share, declared once: same flag, same help, same values."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from .language import choose


class Format(str, enum.Enum):
    text = "text"
    json = "json"


class Lang(str, enum.Enum):
    en = "en"
    it = "it"


def _choose_lang(value: Lang | None) -> Lang | None:
    """--lang, before or after the command, is the run's language from then on (refusals included)."""
    if value is not None:
        choose(Lang(value).value)
    return value


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format: text for people, json for CI.")]
LangOption = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language of messages (default: Italian when LANG starts with 'it').",
                 callback=_choose_lang),
]
CompanyOption = Annotated[str | None, typer.Option("--company", metavar="ID", help="Only this member company.")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Show what would be done; change nothing.")]
KeyFileOption = Annotated[
    Path | None,
    typer.Option("--key-file", metavar="PATH", help="Private signing key to use (default: $WELFARECTL_SIGNING_KEY, "
                 "else one per network in your user configuration directory). Never inside the network."),
]
NoNewKeyOption = Annotated[
    bool, typer.Option("--no-new-key", help="Fail instead of creating a signing key when none exists (for CI).")
]
OutputDirOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="DIR", file_okay=False,
                 help="The directory to write the files into (default: a folder under output/ in the network)."),
]
