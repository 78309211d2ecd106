"""`members import`: an employee list as HR sent it (.xlsx, .csv, .xls, .ods) made the company's
canonical workbook, in one call that returns facts for the command to word.

The list is read by the loaders' own reader (`network.members.read_staff_tables`: the same header
matching and the same row rules as `validate`), with `--map` overrides first. A list with errors
writes nothing (with `feedback`, a copy of it marked up for the clerk); otherwise the difference
against the current workbook is computed (`diff.py`) and, unless a dry run, the workbook written
(`canonical.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from welfarectl.base.errors import UsageError
from welfarectl.base.output import check_target, write_bytes_atomic
from welfarectl.base.problems import Problem, closest, has_errors
from welfarectl.network.members import EMPLOYEE_COLUMNS, read_staff, read_staff_tables
from welfarectl.sources.headers import Column, normalise_header

from .canonical import Person, render_canonical
from .companies import member_company_name
from .diff import Diff, compare
from .feedback import write_feedback

SUFFIXES = (".xlsx", ".xlsm", ".csv", ".xls", ".ods")
SKIP = ("skip", "ignora", "salta", "-")


@dataclass(frozen=True)
class ImportRun:
    """What an import found and did."""

    company: str
    source: str
    target: Path  # members/<company>.xlsx
    people: int  # rows read without errors
    problems: list[Problem]  # of the list sent, sorted; with errors nothing was written
    dropped_columns: tuple[str, ...]  # headers not read (never stored)
    unused_maps: tuple[str, ...]  # --map headers that no header row has
    diff: Diff | None  # None when the list has errors
    written: bool  # the workbook was (re)written
    feedback: Path | None = None  # the marked-up copy written for the clerk

    @property
    def failed(self) -> bool:
        return has_errors(self.problems)


def parse_maps(maps: Sequence[str]) -> dict[str, Column | None]:
    """`--map` options, "Header=Column" (a column's label or field, e.g. "Data assunzione" or
    hire_date) or "Header=skip", as header overrides keyed by normalised header."""
    by_name = {normalise_header(name): col for col in EMPLOYEE_COLUMNS for name in (col.label, col.field, *col.aliases)}
    found: dict[str, Column | None] = {}
    for text in maps:
        header, sep, target = text.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            raise UsageError(f"--map '{text}': write HEADER=COLUMN (a column of the network, or skip)",
                             f"--map '{text}': scrivi INTESTAZIONE=COLONNA (una colonna della rete, o skip)")
        name = normalise_header(target)
        if name in SKIP:
            found[normalise_header(header)] = None
            continue
        if name not in by_name:
            labels = [col.label for col in EMPLOYEE_COLUMNS]
            close = closest(target, labels)
            raise UsageError(f"--map '{text}': '{target}' is not a column of the network"
                             + (f" (did you mean '{close}'?)" if close else "")
                             + f"; the columns are {', '.join(labels)}, or skip",
                             f"--map '{text}': '{target}' non è una colonna della rete"
                             + (f" (forse '{close}'?)" if close else "")
                             + f"; le colonne sono {', '.join(labels)}, oppure skip")
        found[normalise_header(header)] = by_name[name]
    return found


def import_members(root: Path, source: Path, company: str, day: date, *, sheet: str | None = None,
                   maps: Sequence[str] = (), keep_missing: bool = False, dry_run: bool = False,
                   feedback: Path | None = None) -> ImportRun:
    """Read `source` as `company`'s employee list and, unless it has errors or it is a dry run,
    write it as members/<company>.xlsx; current people it misses leave on `day`."""
    member_company_name(root, company)
    if not source.is_file():
        raise UsageError(f"{source} is not a file", f"{source} non è un file")
    if source.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{source.name}: an employee list is read from {', '.join(SUFFIXES)} files",
                         f"{source.name}: un elenco dei dipendenti si legge da file {', '.join(SUFFIXES)}")
    if feedback is not None:
        check_target(feedback)
    overrides = parse_maps(maps)
    rel = str(source)
    tables, employees, _, problems = read_staff_tables(source, rel, company, overrides=overrides, sheet=sheet)
    if sheet is not None and not tables and not any(p.location.sheet == sheet for p in problems):
        raise UsageError(f"{source.name} has no sheet '{sheet}' with a header row",
                         f"{source.name} non ha un foglio '{sheet}' con una riga di intestazione")
    problems.sort(key=Problem.sort_key)
    headers = {normalise_header(text) for table in tables for text in table.header if text}
    unused = tuple(header for header in overrides if header not in headers)
    dropped = tuple(dict.fromkeys(text for table in tables for text in table.ignored))
    target = root / "members" / f"{company}.xlsx"
    if has_errors(problems):
        written = write_feedback(source, rel, problems, feedback) if feedback is not None else None
        return ImportRun(company, rel, target, len(employees), problems, dropped, unused, None, False, written)
    current: list[Person] = []
    if target.exists():
        staff, _, _ = read_staff(target, f"members/{target.name}", company)
        current = [Person.of(person) for person in staff]
    diff, people = compare(current, [Person.of(person) for person in employees], day, keep_missing=keep_missing)
    written = False
    if not dry_run:
        data = render_canonical(people)
        if not target.exists() or target.read_bytes() != data:
            write_bytes_atomic(target, data)
            written = True
    return ImportRun(company, rel, target, len(employees), problems, dropped, unused, diff, written)

