"""`welfarectl report`: the network's report of results as PDF, workbook and JSON."""

from __future__ import annotations

from typing import Annotated

import typer

from . import console
from .options import Lang, OutputDirOption
from .runner import load_checked


def report(
    ctx: typer.Context,
    *,
    output: OutputDirOption = None,
    formats: Annotated[str, typer.Option("--format", "-f", metavar="LIST",
                                         help="Which files to write, comma-separated: pdf,xlsx,json.")] = "pdf,xlsx,json",
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the report: it or en.")] = Lang.it,
) -> None:
    """Write the network's report of results: report.pdf, report.xlsx and report.json.

    Every figure is computed from the files; small counts drawn from employee and survey data are
    suppressed. A network with errors gets no report.
    """
    from welfarectl.report.build import read_formats, write_report

    chosen = read_formats(formats)
    written = write_report(load_checked(ctx), output, formats=chosen, lang=lang.value)
    console.print_text("wrote " + ", ".join(str(path) for path in written))

