"""`welfarectl booklet`: the booklet of services, for employees and the print shop. Same rules as
app.py: parse, one library call, word the facts it returns."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from . import console
from .options import CompanyOption
from .runner import company_of, load_checked, named_company


class BookletLang(str, enum.Enum):
    it = "it"
    en = "en"


def booklet(
    ctx: typer.Context,
    *,
    company: CompanyOption = None,
    all_companies: Annotated[bool, typer.Option("--all-companies", help="One edition per member company, "
                                                "made on every core.")] = False,
    lang: Annotated[BookletLang, typer.Option("--lang", help="Language of the booklet: the catalogue's English texts "
                                              "with en, Italian where a service has none.")] = BookletLang.it,
    imposed: Annotated[bool, typer.Option("--imposed", help="Also write NAME-imposed.pdf: the pages 2-up on A4 landscape "
                                          "in printer's spread order; print duplex flipping on the short edge, fold, staple.")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="PATH", help="The PDF to write (default output/booklet/booklet-LANG.pdf); "
        "with --all-companies, the directory (default output/booklet/).")] = None,
) -> None:
    """Write the booklet of services: A5, ready for the print shop (pages a multiple of 4, fonts embedded).

    A company edition (--company) lists only the services open to that company. Nothing is written
    from a network with errors.
    """
    from welfarectl.base.errors import UsageError
    from welfarectl.booklet import publish

    if company and all_companies:
        raise UsageError("--company and --all-companies ask for different things: give one of them",
                         "--company e --all-companies chiedono cose diverse: indicane una sola")
    named_company(company)
    network = load_checked(ctx)
    if all_companies:
        written = publish.write_all_editions(network, output, lang=lang.value, imposed=imposed)
    else:
        written = [publish.write_booklet(network, output, company=company_of(network, company), lang=lang.value,
                                         imposed=imposed)]
    for edition in written:
        console.print_text(f"{edition.services} service{'s' if edition.services != 1 else ''} on {edition.pages} pages "
                           f"-> {edition.target}" + (f" (imposed 2-up: {edition.imposed.name})" if edition.imposed else ""))
    missing = sorted({service for edition in written for service in edition.untranslated})
    if missing:
        console.print_warning(f"{len(missing)} service{'s' if len(missing) != 1 else ''} without an English text, printed "
                              f"in Italian where the translation is missing: {', '.join(missing)}")
