"""The report, whole: its figures computed once, rendered to every format asked for, and only
then written, all files as one (`output.write_files_atomic`), so that a failure leaves the files of
the run before, all of them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from welfarectl.base.errors import UsageError
from welfarectl.base.output import check_target, write_files_atomic
from welfarectl.network.network import Network

FORMATS = ("pdf", "xlsx", "json")
REPORT_DIR = Path("output") / "report"


def read_formats(text: str) -> tuple[str, ...]:
    """'pdf,xlsx' as ('pdf', 'xlsx'), in the order of FORMATS; a UsageError for an unknown one."""
    asked = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [part for part in asked if part not in FORMATS]
    if unknown or not asked:
        named = ', '.join(repr(u) for u in unknown)
        raise UsageError(f"unknown report format {named or '(none)'}: give one or more of {','.join(FORMATS)}, "
                         "separated by commas",
                         f"formato del rapporto sconosciuto {named or '(nessuno)'}: indicane uno o più tra "
                         f"{','.join(FORMATS)}, separati da virgole")
    return tuple(f for f in FORMATS if f in asked)


def write_report(network: Network, directory: Path | None = None, *, formats: Sequence[str] = FORMATS,
                 lang: str = "it") -> list[Path]:
    """Write report.pdf, report.xlsx and report.json (those in `formats`) into `directory`
    (default output/report/ in the network); the paths written."""
    directory = directory if directory is not None else network.root / REPORT_DIR
    targets = {fmt: directory / f"report.{fmt}" for fmt in formats}
    for target in targets.values():
        check_target(target)
    rendered = render_report(network, formats=formats, lang=lang)
    return write_files_atomic({targets[fmt]: data for fmt, data in rendered.items()})


def render_report(network: Network, *, formats: Sequence[str] = FORMATS, lang: str = "it") -> dict[str, bytes]:
    """The report's files as bytes, by format."""
    from .figures import compute_figures

    figures = compute_figures(network, lang)
    rendered: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "pdf":
            from .pdf import render_pdf

            rendered[fmt] = render_pdf(figures)
        elif fmt == "xlsx":
            from .xlsx import render_xlsx

            rendered[fmt] = render_xlsx(figures)
        else:
            from .jsonout import render_json

            rendered[fmt] = render_json(figures)
    return rendered
