"""Every employee workbook of a network read, on every core when there are many.

A region's two thousand workbooks (a million employees) take half a minute to read on one core,
and each is read on its own: `load_staff` reads them in processes forked from this one, one a
core, each sending back its workbook's employees, rows with errors and problems (plain values
and the workbook's tables, pickled), in the workbooks' order: what reading them here would give.

Rules:
- a worker sends its employees in columns (a list a field, days as ordinals), which pickle in a
  tenth of the time the objects take, and they are made again here;
- under `PARALLEL_FROM` bytes of workbooks in all, a single workbook, or a system without fork,
  they are read here: forking pays only when the reading takes seconds;
- `progress(read, total)` is told after each workbook;
- what a worker raises is raised here; Ctrl-C stops the command, which ends its workers.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import date
from pathlib import Path
from sys import intern

from welfarectl.base.cores import available_cores, fork_context, leave_interrupts_to_the_parent
from welfarectl.base.problems import Problem

from .members import Employee, RowWithErrors, list_workbooks, read_staff

PARALLEL_FROM = 2 << 20  # bytes of .xlsx: about 50,000 employees, a second or more of reading
Staff = tuple[list[Employee], list[RowWithErrors], list[Problem]]


def load_staff(network_dir: Path, progress: Callable[[int, int], None] | None = None,
               workers: int | None = None) -> Staff:
    """Every employee of every workbook, every row that gave none because of its errors, and every
    problem found on the way (`members.read_staff`, workbook after workbook)."""
    paths = list_workbooks(network_dir)
    employees: list[Employee] = []
    rejected: list[RowWithErrors] = []
    problems: list[Problem] = []
    collecting = gc.isenabled()
    gc.disable()  # a million employees and no cycle among them: the collector would walk them all, often
    try:
        for read, (found, found_rejected, found_problems) in enumerate(_each_read(paths, workers), 1):
            employees += found if isinstance(found, list) else _unpacked(found)
            rejected += found_rejected
            problems += found_problems
            if progress is not None:
                progress(read, len(paths))
    finally:
        if collecting:
            gc.enable()
    return employees, rejected, problems


def load_employees(network_dir: Path) -> tuple[list[Employee], list[Problem]]:
    """Every employee of every workbook, and every problem found on the way."""
    employees, _, problems = load_staff(network_dir)
    return employees, problems


def _each_read(paths: list[Path], workers: int | None) -> Iterator[Staff]:
    workers = min(workers or available_cores(), len(paths))
    context = fork_context()
    if context is None or workers < 2 or _size(paths) < PARALLEL_FROM:
        yield from map(_read, paths)
        return
    with context.Pool(workers, initializer=leave_interrupts_to_the_parent) as pool:
        yield from pool.imap(_read_packed, paths, chunksize=max(1, min(8, len(paths) // (8 * workers))))


def _read(path: Path) -> Staff:
    return read_staff(path, f"members/{path.name}", path.stem)


def _read_packed(path: Path) -> tuple:
    employees, rejected, problems = _read(path)
    return _packed(employees), rejected, problems


def _packed(employees: list[Employee]) -> tuple:
    """A workbook's employees as columns: their tables, then a column a field."""
    tables: list = []
    which = array("H")  # a workbook has a few sheets, its employees' tables
    for person in employees:
        if not tables or person.table is not tables[-1]:
            tables.append(person.table)
        which.append(len(tables) - 1)
    return (tables, which, employees[0].company if employees else "", [p.surname for p in employees],
            [p.given_name for p in employees], [p.codice_fiscale for p in employees],
            array("i", [p.hire_date.toordinal() for p in employees]),
            [p.leaving_date for p in employees], [p.email for p in employees], [p.site for p in employees],
            array("i", [p.row for p in employees]))


def _unpacked(columns: tuple) -> list[Employee]:
    """The employees of `_packed` columns. Names and sites repeat across a region's million people
    (a few thousand surnames, a site named "Sede" everywhere): each text is kept once
    (`sys.intern`), and each day, which saves about half the memory the employees take."""
    tables, which, company, surnames, given_names, codes, hired, leaving, emails, sites, rows = columns
    days: dict[int, date] = {}
    return [Employee(company, intern(surname), intern(given), code,
                     days.get(day) or days.setdefault(day, date.fromordinal(day)),
                     left and days.setdefault(left.toordinal(), left), email, site and intern(site), tables[table], row)
            for surname, given, code, day, left, email, site, table, row
            in zip(surnames, given_names, codes, hired, leaving, emails, sites, which, rows, strict=True)]


def _size(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with suppress(OSError):  # the reader reports it
            total += path.stat().st_size
    return total
