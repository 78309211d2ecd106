"""The Network: everything in a network directory, as loaded by `welfarectl.pipeline`.

It holds the catalogue, the employees and the survey, and, read once beside them, the card
registry, the public keys, the card layouts and the fallback fonts for the card commands and the
templates for the booklet. The day every rule is judged on, `as_of`, is decided once by the
command and carried here, so that no module keeps a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from welfarectl.base.errors import UsageError
from welfarectl.base.problems import Location, Problem

from . import models
from .catalogue import Catalogue
from .members import Employee, RowWithErrors
from .survey import SurveyResponse


class NotANetwork(UsageError):
    """The directory has no catalogue/ folder: a usage error, not a data problem."""


@dataclass(frozen=True)
class HeldBack:
    """A person whose card waits until their row of an employee workbook is fixed: the row, what
    it says of them, its errors, and the card holders ((company, codice fiscale)) it holds back.
    Which errors hold back one person rather than the whole network is `pipeline`'s rule."""

    company: str
    row: Location  # members/<company>.xlsx:Sheet!A<row>
    name: str | None
    codice_fiscale: str | None
    problems: tuple[Problem, ...]
    holders: frozenset[tuple[str, str]]


@dataclass
class Network:
    root: Path
    catalogue: Catalogue
    as_of: date
    employees: list[Employee] = field(default_factory=list)  # without e-mail and site: no command here uses them
    survey: list[SurveyResponse] = field(default_factory=list)
    workbooks: list[str] = field(default_factory=list)  # company ids that have a workbook
    rows_with_errors: list[RowWithErrors] = field(default_factory=list)
    held_back: list[HeldBack] = field(default_factory=list)  # set by pipeline.checked_for_cards
    # Read once by the pipeline for the card commands. `network` never imports `cards`, so these
    # are typed loosely: a cards.ledger.Registry, cards.layout.Layout pair, key id -> public key,
    # cards.fontfiles.CardFonts (the font files network.yaml names, registered with ReportLab).
    registry: Any = None
    layouts: Any = None
    fonts: Any = None
    public_keys: dict[str, Any] = field(default_factory=dict)
    # The booklet's templates (a booklet.prose.Prose), read and checked in the same load.
    booklet_prose: Any = None
    _people: tuple[str | None, dict[str, Employee]] = field(default_factory=lambda: (None, {}), init=False,
                                                              repr=False, compare=False)

    @property
    def settings(self) -> models.NetworkFile | None:
        return self.catalogue.network

    @property
    def organisations(self) -> list[models.Organisation]:
        return self.catalogue.organisations

    @property
    def services(self) -> list[models.Service]:
        return self.catalogue.services

    @property
    def workshops(self) -> list[models.Workshop]:
        return self.catalogue.workshops

    @property
    def macro_areas(self) -> list[models.MacroArea]:
        return self.settings.macro_areas if self.settings else []

    @cached_property
    def organisations_by_id(self) -> dict[str, models.Organisation]:
        found: dict[str, models.Organisation] = {}
        for org in self.organisations:
            found.setdefault(org.id, org)
        return found

    @property
    def member_companies(self) -> list[models.Organisation]:
        return [org for org in self.organisations if org.has_role("member-company")]

    @property
    def providers(self) -> list[models.Organisation]:
        return [org for org in self.organisations if org.has_role("provider")]

    def company_name(self, company_id: str) -> str:
        """The member company's name, or its id when the catalogue does not know it."""
        org = self.organisations_by_id.get(company_id)
        return org.name if org else company_id

    def people_of(self, company: str) -> dict[str, Employee]:
        """The company's employees by codice fiscale (a code listed twice: its last row). Made when
        asked, a company at a time: a region's million employees in one map would take 100 MB."""
        employees = self.employees
        return {person.codice_fiscale: person for start, end in self._staff_ranges.get(company, ())
                for person in employees[start:end]}

    def person(self, holder: tuple[str, str]) -> Employee | None:
        """The employee a card's holder, (company, codice fiscale), names. The last company asked
        about is kept: callers going a company at a time look each one up once."""
        company, code = holder
        if self._people[0] != company:
            self._people = (company, self.people_of(company))
        return self._people[1].get(code)

    @cached_property
    def _staff_ranges(self) -> dict[str, list[tuple[int, int]]]:
        """Where each company's employees are in `employees` (a workbook's are together)."""
        ranges: dict[str, list[tuple[int, int]]] = {}
        start = 0
        for index in range(1, len(self.employees) + 1):
            if index == len(self.employees) or self.employees[index].company != self.employees[start].company:
                ranges.setdefault(self.employees[start].company, []).append((start, index))
                start = index
        return ranges

    def current_employees(self) -> list[Employee]:
        return [e for e in self.employees if e.is_current(self.as_of)]

    def held_back_holders(self) -> set[tuple[str, str]]:
        """(company, codice fiscale) of everyone whose card waits for a fix to a workbook row."""
        return {holder for person in self.held_back for holder in person.holders}

    def where(self, record: object, *fields: str | int) -> Location:
        return self.catalogue.where(record, *fields)


def is_network_dir(root: Path) -> bool:
    return (root / "catalogue").is_dir()


def require_network_dir(root: Path) -> Path:
    """`root`, or NotANetwork when it has no catalogue/ folder."""
    if not is_network_dir(root):
        raise NotANetwork(f"{root.resolve()} is not a network directory (no catalogue/ folder); "
                          "use -C DIR or `welfarectl init DIR`",
                          f"{root.resolve()} non è la cartella di una rete (manca la cartella catalogue/); "
                          "usa -C CARTELLA o `welfarectl init CARTELLA`")
    return root
