"""Every employee workbook of a network read: from the cache when it was read before unchanged, and
on every core when there are many to read.

A region's two thousand workbooks (a million employees) take half a minute to read on one core,
and each is read on its own: `load_staff` reads them in processes forked from this one, one a
core, each sending back its workbook's employees in columns (`staffcache.columns_of`: lists and
the bytes of arrays, which pickle in a tenth of the time the objects take), its rows with errors
and its problems, in the workbooks' order: what reading them here gives.

Rules:
- with a cache (`staffcache.StaffCache`), each workbook's bytes are read here once, and a
  workbook read before without a problem is made from its entry; the others are read and, when
  read without a problem, kept;
- under `PARALLEL_FROM` bytes of workbooks to read, a single workbook, or a system without fork,
  they are read here: forking pays only when the reading takes seconds;
- `progress(read, total)` is told after each workbook;
- what a worker raises is raised here; Ctrl-C stops the command, which ends its workers.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

from welfarectl.base.cores import available_cores, fork_context, leave_interrupts_to_the_parent
from welfarectl.base.problems import Problem

from .members import Employee, RowWithErrors, list_workbooks, read_staff
from .staffcache import Columns, StaffCache, columns_of, employees_of

PARALLEL_FROM = 2 << 20  # bytes of .xlsx: about 50,000 employees, a second or more of reading
Staff = tuple[list[Employee], list[RowWithErrors], list[Problem]]


def load_staff(network_dir: Path, progress: Callable[[int, int], None] | None = None,
               workers: int | None = None, cache_dir: Path | None = None, contacts: bool = True) -> Staff:
    """Every employee of every workbook, every row that gave none because of its errors, and every
    problem found on the way (`members.read_staff`, workbook after workbook); `cache_dir`: where
    the workbooks read are remembered (none: no cache). Without `contacts`, employees come without
    their e-mail address and site (None), which the network's commands never use: a million
    addresses are 85 MB, and personal data kept nowhere is safest (data minimisation)."""
    paths = list_workbooks(network_dir)
    cache = StaffCache(cache_dir, network_dir) if cache_dir is not None else None
    found: list[Staff | None] = [None] * len(paths)
    keys: dict[int, str] = {}
    contents: dict[int, bytes] = {}
    told = 0

    def tell() -> None:
        nonlocal told
        told += 1
        if progress is not None:
            progress(told, len(paths))

    collecting = gc.isenabled()
    gc.disable()  # a million employees and no cycle among them: the collector would walk them all, often
    try:
        if cache is not None:
            for index, path in enumerate(paths):
                with suppress(OSError):  # unreadable: the reader opens it and says why
                    contents[index] = path.read_bytes()
                    keys[index] = cache.key(_rel(path), contents[index], contacts)
                    kept = cache.load(keys[index], path.stem)
                    if kept is not None:
                        found[index] = (kept, [], [])
                        del contents[index]
                        tell()
        unread = [index for index, staff in enumerate(found) if staff is None]
        for index, (read, rejected, problems) in zip(unread, _each_read(paths, unread, contents, workers, contacts),
                                                     strict=True):
            here = isinstance(read, list)  # employees read here, or a worker's columns
            employees = read if here else employees_of(read, paths[index].stem)
            found[index] = (employees, rejected, problems)
            if cache is not None and index in keys and not rejected and not problems:
                cache.store(keys[index], columns_of(employees) if here else read)
            contents.pop(index, None)
            tell()
    finally:
        if collecting:
            gc.enable()
    if cache is not None:
        cache.prune()
    employees: list[Employee] = []
    rejected_rows: list[RowWithErrors] = []
    problems_found: list[Problem] = []
    for staff in found:
        assert staff is not None
        employees += staff[0]
        rejected_rows += staff[1]
        problems_found += staff[2]
    return employees, rejected_rows, problems_found


def load_employees(network_dir: Path) -> tuple[list[Employee], list[Problem]]:
    """Every employee of every workbook, and every problem found on the way."""
    employees, _, problems = load_staff(network_dir)
    return employees, problems


_TO_READ: tuple[list[Path], dict[int, bytes], bool] = ([], {}, True)  # what forked workers inherit


def _each_read(paths: list[Path], indexes: list[int], contents: dict[int, bytes],
               workers: int | None, contacts: bool) -> Iterator[tuple[list[Employee] | Columns, list[RowWithErrors], list[Problem]]]:
    """Each workbook of `indexes` read, in order: its employees (read here) or their columns (read
    by a worker), rows with errors and problems."""
    global _TO_READ
    workers = min(workers or available_cores(), len(indexes))
    context = fork_context()
    if context is None or workers < 2 or _size(paths, indexes, contents) < PARALLEL_FROM:
        yield from (_read(paths[index], contents.get(index), contacts) for index in indexes)
        return
    _TO_READ = (paths, contents, contacts)  # inherited by the workers as they fork: no bytes cross a pipe
    try:
        with context.Pool(workers, initializer=leave_interrupts_to_the_parent) as pool:
            yield from pool.imap(_read_in_worker, indexes, chunksize=max(1, min(8, len(indexes) // (8 * workers))))
    finally:
        _TO_READ = ([], {}, True)


def _read(path: Path, data: bytes | None, contacts: bool = True) -> Staff:
    employees, rejected, problems = read_staff(path, _rel(path), path.stem, data)
    if not contacts:
        for person in employees:
            person.email = person.site = None
    return employees, rejected, problems


def _read_in_worker(index: int) -> tuple[Columns, list[RowWithErrors], list[Problem]]:
    paths, contents, contacts = _TO_READ
    employees, rejected, problems = _read(paths[index], contents.get(index), contacts)
    return columns_of(employees), rejected, problems


def _rel(path: Path) -> str:
    return f"members/{path.name}"


def _size(paths: list[Path], indexes: list[int], contents: dict[int, bytes]) -> int:
    """Bytes to read: of the contents read already, else of the files."""
    total = 0
    for index in indexes:
        if index in contents:
            total += len(contents[index])
        else:
            with suppress(OSError):  # the reader reports it
                total += paths[index].stat().st_size
    return total
