"""The network: everything in a network directory, loaded and checked.

`load_network` is the one entry point renderers and commands use: it reads the catalogue, the
employee workbooks and the survey, runs every check, and returns the Network with all problems
sorted by file and position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from . import models
from .catalogue import Catalogue, load_catalogue
from .clock import today
from .problems import Location, Problem


class NotANetwork(Exception):
    """The directory has no catalogue/ folder: a usage error, not a data problem."""


@dataclass
class Network:
    root: Path
    catalogue: Catalogue
    employees: list = field(default_factory=list)  # list[members.Employee]
    survey: list = field(default_factory=list)  # list[survey.SurveyResponse]
    workbooks: list[str] = field(default_factory=list)  # company ids that have a workbook
    as_of: date = field(default_factory=date.today)

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

    def current_employees(self) -> list:
        return [e for e in self.employees if e.is_current(self.as_of)]

    def where(self, record: object, *fields: str | int) -> Location:
        return self.catalogue.where(record, *fields)


def is_network_dir(root: Path) -> bool:
    return (root / "catalogue").is_dir()


def load_network(root: Path, *, as_of: date | None = None) -> tuple[Network, list[Problem]]:
    """Load and check the network in `root`; raises NotANetwork if it has no catalogue/."""
    from . import checks, members, survey  # the workbook readers are only needed here

    if not is_network_dir(root):
        raise NotANetwork(f"{root} is not a network directory (it has no catalogue/ folder)")
    catalogue, problems = load_catalogue(root)
    network = Network(root, catalogue, as_of=as_of or today())
    network.employees, found = members.load_employees(root)
    problems += found
    network.workbooks = [path.stem for path in members.list_workbooks(root)]
    areas = [(a.id, a.name, a.name_en) for a in network.macro_areas]
    network.survey, found = survey.load_survey(root, areas)
    problems += found
    problems += checks.run_checks(network)
    return network, sorted(set(problems), key=Problem.sort_key)
