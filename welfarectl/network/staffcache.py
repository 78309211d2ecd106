"""Employee workbooks read before, remembered: a region's two thousand workbooks change a few at a
time, and reading a million rows again takes half a minute of work.

After a workbook is read without any problem, what it gave (its tables and its employees, in
columns: `columns_of`) is kept in the cache directory under a key made of the file's bytes
(SHA-256), its place in the network (`members/<company>.xlsx`, which names the company) and the
reading rules: the source of the modules that read workbooks, and the versions of Python,
python-calamine and python-stdnum. A later load with the same key makes the employees from it
(`employees_of`) without parsing the workbook. A workbook that changes or moves, or a welfarectl
that reads differently, has another key: it is read again.

Rules:
- only workbooks read without any problem (error or warning) and without rows with errors are
  kept, so that every problem is found and told again by every load;
- entries are `marshal` data (plain values: reading one runs no code), written atomically; an
  entry that cannot be read or has the wrong shape is not used, and the workbook is read;
- the cache lives outside the network, in a directory only its owner may open (the command line
  chooses it: `$XDG_CACHE_HOME/welfarectl`); each network has a folder of its own there, and the
  entries a load did not use (workbooks changed or gone) are removed after it;
- entries hold personal data (names, codici fiscali, e-mail addresses): `members forget` removes
  every entry of the network (`clear`), so that a person forgotten is in no copy of a workbook.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import platform
import sys
from array import array
from contextlib import suppress
from datetime import date
from importlib import metadata
from pathlib import Path
from sys import intern

from welfarectl.base.cachefolder import CacheFolder
from welfarectl.sources.tables import Table

from .members import Employee

FORMAT = b"welfarectl-staff-1"
Columns = tuple  # what `columns_of` gives: plain values only (marshal and pickle both take them)


def columns_of(employees: list[Employee]) -> Columns:
    """A workbook's employees as columns: its tables' fields, then a column a field (days as
    ordinals, numbers as the bytes of arrays). The company is the workbook's and is left out."""
    tables: list = []
    which = array("H")  # a workbook has a few sheets, its employees' tables
    for person in employees:
        if not tables or person.table is not tables[-1]:
            tables.append(person.table)
        which.append(len(tables) - 1)
    return (tuple((t.file, t.sheet, t.header_row, t.columns, t.header, t.ignored) for t in tables), which.tobytes(),
            [p.surname for p in employees], [p.given_name for p in employees], [p.codice_fiscale for p in employees],
            array("i", [p.hire_date.toordinal() for p in employees]).tobytes(),
            [p.leaving_date and p.leaving_date.toordinal() for p in employees], [p.email for p in employees],
            [p.site for p in employees], array("i", [p.row for p in employees]).tobytes())


def employees_of(columns: Columns, company: str) -> list[Employee]:
    """The employees of `columns_of` columns. Names and sites repeat across a region's million people
    (a few thousand surnames, a site named "Sede" everywhere): each text is kept once
    (`sys.intern`), and each day, which saves about half the memory the employees take."""
    tables, which, surnames, given_names, codes, hired, leaving, emails, sites, rows = columns
    made = [Table(file, sheet, header_row, dict(found), [], tuple(header), tuple(ignored))
            for file, sheet, header_row, found, header, ignored in tables]
    hired = array("i", hired)
    day = {ordinal: date.fromordinal(ordinal) for ordinal in {*hired, *leaving} if ordinal is not None}
    day[None] = None  # type: ignore[index]
    return [Employee(company, intern(surname), intern(given), code, day[hire], day[left], email,
                     site and intern(site), made[table], row)
            for surname, given, code, hire, left, email, site, table, row
            in zip(surnames, given_names, codes, hired, leaving, emails, sites, array("H", which),
                   array("i", rows), strict=True)]


class StaffCache:
    """The cache's folder for the network in `network_dir`, under `directory`."""

    def __init__(self, directory: Path, network_dir: Path) -> None:
        self.folder = CacheFolder(directory, "workbooks", network_dir)
        self.used: set[str] = set()

    def key(self, rel: str, data: bytes, contacts: bool = True) -> str:
        """The entry of the workbook at `rel` with these bytes, read with or without contacts."""
        kind = b"contacts\0" if contacts else b"no contacts\0"
        return hashlib.sha256(_rules() + kind + rel.encode("utf-8") + b"\0" + hashlib.sha256(data).digest()).hexdigest()

    def load(self, key: str, company: str) -> list[Employee] | None:
        """The employees kept under `key`, or None (no entry, or one that cannot be used)."""
        self.used.add(key)
        kept = self.folder.read(key)
        try:
            return None if kept is None else employees_of(marshal.loads(kept), company)
        except (EOFError, ValueError, TypeError, IndexError, KeyError, AttributeError):
            return None  # read again: the cache is only ever a shortcut

    def store(self, key: str, columns: Columns) -> None:
        """Keep `columns` under `key`."""
        self.used.add(key)
        with suppress(ValueError):  # a value marshal does not take: not kept
            self.folder.write(key, [marshal.dumps(columns)])

    def clear(self) -> None:
        """Remove every entry of the network: `members forget` does, as entries hold the people's
        names and codici fiscali, which must go with the rows they were read from."""
        self.used = set()
        self.prune()

    def prune(self) -> None:
        """Remove the entries the load did not use (and files left by a write that stopped)."""
        self.folder.keep_only(self.used)


@functools.cache
def _rules() -> bytes:
    """What decides what a workbook gives: the reading modules' source and the libraries' versions."""
    from welfarectl.base import cells, italian, problems
    from welfarectl.sources import csvfile, headers, tables, xlsxfile

    from . import members

    digest = hashlib.sha256(FORMAT + sys.version.encode() + platform.machine().encode() + sys.byteorder.encode())
    for module in (members, tables, xlsxfile, headers, csvfile, cells, italian, problems, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    for library in ("python-calamine", "python-stdnum"):
        with suppress(metadata.PackageNotFoundError):
            digest.update(metadata.version(library).encode())
    return digest.digest()
