"""Loading a network, once: the loaders, then the network's checks, then the card checks.

Every command that reads a network goes through here, so each source file is read once per
command and every renderer works from the same loaded Network. The day the command works on is
the caller's to decide (`as_of`); nothing here reads a clock.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from welfarectl.base.errors import NetworkHasErrors
from welfarectl.base.problems import Problem, has_errors
from welfarectl.booklet.prose import load_prose
from welfarectl.cards import checks as card_checks
from welfarectl.cards.keys import load_public_keys
from welfarectl.cards.layout import load_layouts
from welfarectl.cards.registry import read_registry
from welfarectl.network import checks as network_checks
from welfarectl.network.catalogue import load_catalogue
from welfarectl.network.members import list_workbooks, load_employees
from welfarectl.network.network import Network, require_network_dir
from welfarectl.network.survey import load_survey

TEMPLATES_DIR = "templates"


def load_network(root: Path, *, as_of: date) -> tuple[Network, list[Problem]]:
    """Load and check everything in the network directory `root`, as of the day `as_of`: the
    catalogue, the employee workbooks, the survey, the card registry, the public keys and (when
    the network prints cards, i.e. has templates/) the card layouts. Returns the Network and all
    problems, sorted by file and position. Raises NotANetwork if `root` has no catalogue/."""
    network, problems = _load_catalogue(root, as_of)
    network.employees, found = load_employees(root)
    network.workbooks = [path.stem for path in list_workbooks(root)]
    problems += found
    areas = [(a.id, a.name, a.name_en) for a in network.macro_areas]
    network.survey, found = load_survey(root, areas)
    problems += found
    problems += network_checks.run_checks(network)
    problems += _load_card_sources(network)
    problems += card_checks.run_checks(network)
    network.booklet_prose, found = load_prose(root)
    problems += found
    return network, _sorted(problems)


def load_cards(root: Path, *, as_of: date) -> tuple[Network, list[Problem]]:
    """What commands that need no employee need (verifying, publishing revocations): the
    catalogue, the card registry and the public keys, with the problems of those files only."""
    network, problems = _load_catalogue(root, as_of)
    network.registry, found = read_registry(root)
    problems += found
    network.public_keys, found = load_public_keys(root)
    problems += found
    return network, _sorted(problems)


def checked(loaded: tuple[Network, list[Problem]]) -> Network:
    """The network, or NetworkHasErrors with all its problems: nothing is issued, printed or
    published from a network that does not validate (warnings are fine)."""
    network, problems = loaded
    if has_errors(problems):
        raise NetworkHasErrors(problems)
    return network


def _load_catalogue(root: Path, as_of: date) -> tuple[Network, list[Problem]]:
    catalogue, problems = load_catalogue(require_network_dir(root))
    return Network(root, catalogue, as_of=as_of), problems


def _load_card_sources(network: Network) -> list[Problem]:
    root = network.root
    network.registry, problems = read_registry(root)
    network.public_keys, found = load_public_keys(root)
    problems = problems + found
    if (root / TEMPLATES_DIR).is_dir():
        front, back, found = load_layouts(root)
        network.layouts = (front, back)
        problems += found
    return problems


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=Problem.sort_key)
