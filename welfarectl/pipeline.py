"""Loading a network, once: the loaders, then the network's checks, then the card checks.

Every command that reads a network goes through here, so each source file is read once per
command and every renderer works from the same loaded Network. The day the command works on is
the caller's to decide (`as_of`); nothing here reads a clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from itertools import chain
from pathlib import Path

from welfarectl.base.cells import split_cell
from welfarectl.base.errors import NetworkHasErrors
from welfarectl.base.memory import give_back_freed_memory
from welfarectl.base.problems import Location, Problem, has_errors
from welfarectl.booklet.prose import load_prose
from welfarectl.cards import checks as card_checks
from welfarectl.cards.fontfiles import load_card_fonts
from welfarectl.cards.keys import load_public_keys
from welfarectl.cards.layout import load_layouts
from welfarectl.cards.payload import qr_version
from welfarectl.cards.registrycache import RegistryCache
from welfarectl.cards.registryfork import reading_registry
from welfarectl.cards.registryread import read_registry
from welfarectl.network import checks as network_checks
from welfarectl.network.catalogue import load_catalogue
from welfarectl.network.members import list_workbooks
from welfarectl.network.network import HeldBack, Network, require_network_dir
from welfarectl.network.staff import load_staff
from welfarectl.network.survey import load_survey
from welfarectl.pdf import qrmatrix

TEMPLATES_DIR = "templates"


def load_network(root: Path, *, as_of: date, progress: Callable[[int, int], None] | None = None,
                 cache_dir: Path | None = None) -> tuple[Network, list[Problem]]:
    """Load and check everything in the network directory `root`, as of the day `as_of`: the
    catalogue, the employee workbooks, the survey, the card registry, the public keys, the fallback
    fonts network.yaml names and (when the network prints cards, i.e. has templates/) the card
    layouts. Returns the Network and all
    problems, sorted by file and position. Raises NotANetwork if `root` has no catalogue/.
    `progress(read, total)` is told as the workbooks are read; `cache_dir`: where workbooks and the
    registry read without a problem are remembered (`network.staffcache`, `cards.registrycache`;
    none: no cache)."""
    network, problems = _load_catalogue(root, as_of)
    with reading_registry(root, registry_cache(root, cache_dir)) as registry:  # a large one on the other core, while the workbooks are read
        network.employees, network.rows_with_errors, found = load_staff(root, progress, cache_dir=cache_dir, contacts=False)
        network.workbooks = [path.stem for path in list_workbooks(root)]
        problems += found
        areas = [(a.id, a.name, a.name_en) for a in network.macro_areas]
        network.survey, found = load_survey(root, areas)
        problems += found
        problems += network_checks.run_checks(network)
        network.registry, found = registry()
    problems += found + _load_card_sources(network)
    problems += card_checks.run_checks(network)
    network.booklet_prose, found = load_prose(root)
    problems += found
    give_back_freed_memory()  # what the load made and dropped: 50 MB at a million, held by a print run
    return network, _sorted(problems)


def load_cards(root: Path, *, as_of: date, cache_dir: Path | None = None) -> tuple[Network, list[Problem]]:
    """What commands that need no employee need (verifying, publishing revocations): the
    catalogue, the card registry and the public keys, with the problems of those files only.
    `cache_dir`: where a registry read without a problem is remembered."""
    network, problems = _load_catalogue(root, as_of)
    network.registry, found = read_registry(root, registry_cache(root, cache_dir))
    problems += found
    network.public_keys, found = load_public_keys(root)
    problems += found
    return network, _sorted(problems)


def registry_cache(root: Path, cache_dir: Path | None) -> RegistryCache | None:
    """Where the registry of the network `root` is remembered in `cache_dir` (none: nowhere)."""
    return RegistryCache(cache_dir, root) if cache_dir is not None else None


def checked(loaded: tuple[Network, list[Problem]]) -> Network:
    """The network, or NetworkHasErrors with all its problems: nothing is issued, printed or
    published from a network that does not validate (warnings are fine)."""
    network, problems = loaded
    if has_errors(problems):
        raise NetworkHasErrors(problems)
    return network


# Errors that concern one employee's row only: reported by the workbook reader or the checks at a
# cell of an employee data row. Anything else (the catalogue, the registry, the layouts, a workbook
# that cannot be read or lacks a column, the survey) concerns everyone.
ROW_CODES = frozenset({"missing-value", "invalid-date", "invalid-codice-fiscale", "date-order",
                       "duplicate-codice-fiscale", "formula-without-value", "unprintable-character"})


def checked_for_cards(loaded: tuple[Network, list[Problem]]) -> Network:
    """The network, for the commands that issue and print cards: errors confined to one employee's
    row hold back only that person's card (listed in `network.held_back`); any other error raises
    NetworkHasErrors, as `checked` does. An error is confined to a row when its code is one of
    `ROW_CODES` and it is located at a cell of a data row of an employee workbook."""
    network, problems = loaded
    held, blocking = hold_back(network, problems)
    if blocking:
        raise NetworkHasErrors(problems)
    network.held_back = held
    return network


def hold_back(network: Network, problems: list[Problem]) -> tuple[list[HeldBack], list[Problem]]:
    """The people held back by errors confined to their rows, and the errors that are not (which
    block everything). A person held back for a codice fiscale listed twice holds back every row
    with that codice fiscale: which of them is right is for HR to say."""
    errors = [found for found in problems if found.severity == "error"]
    # Only the rows errors are found at are looked up: a million employees' rows are not kept for a few.
    wanted = {key for found in errors if found.code in ROW_CODES and (key := _row_key(found.location)) is not None}
    rows: dict[tuple[str, str, int], tuple[str, str | None, str | None]] = {}  # (file, sheet, row) -> who
    if wanted:
        for person in network.employees:
            key = (person.table.file, person.table.sheet, person.row)
            if key in wanted:
                rows[key] = (person.company, person.name, person.codice_fiscale)
        for rejected in network.rows_with_errors:
            key = _row_key(rejected.location)
            if key in wanted:
                rows[key] = (rejected.company, rejected.name, rejected.codice_fiscale)
    by_row: dict[tuple[str, str, int], list[Problem]] = defaultdict(list)
    blocking = []
    for found in errors:
        key = _row_key(found.location) if found.code in ROW_CODES else None
        if key is None or key not in rows:
            blocking.append(found)
        else:
            by_row[key].append(found)
    held = []
    holders_of = _holders_of(network, {str(dict(found.params)["value"]) for found_at in by_row.values()
                                       for found in found_at if found.code == "duplicate-codice-fiscale"})
    for key in sorted(by_row, key=lambda key: (key[0], key[1], key[2])):
        company, name, code = rows[key]
        holders = {(company, code)} if code else set()
        for found in by_row[key]:
            if found.code == "duplicate-codice-fiscale":
                holders |= holders_of[str(dict(found.params)["value"])]
        held.append(HeldBack(company, Location(key[0], sheet=key[1], cell=f"A{key[2]}"), name, code,
                             tuple(by_row[key]), frozenset(holders)))
    return held, blocking


def _holders_of(network: Network, codes: set[str]) -> dict[str, set[tuple[str, str]]]:
    """(company, codice fiscale) of every row, read or with errors, with one of `codes`, by code."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    if codes:
        for row in chain(network.employees, network.rows_with_errors):
            if row.codice_fiscale in codes:
                found[row.codice_fiscale].add((row.company, row.codice_fiscale))
    return found


def _row_key(location: Location) -> tuple[str, str, int] | None:
    """(file, sheet, row) of a location at a workbook cell; None for any other location."""
    if location.sheet is None or not location.cell:
        return None
    _, row = split_cell(location.cell)
    return (location.file, location.sheet, row)


def _load_catalogue(root: Path, as_of: date) -> tuple[Network, list[Problem]]:
    catalogue, problems = load_catalogue(require_network_dir(root))
    return Network(root, catalogue, as_of=as_of), problems


def _load_card_sources(network: Network) -> list[Problem]:
    root = network.root
    network.public_keys, problems = load_public_keys(root)
    network.fonts, found = load_card_fonts(network)
    problems += found
    if (root / TEMPLATES_DIR).is_dir():
        verify_url = network.settings.card.verify_url if network.settings else None
        front, back, found = load_layouts(root, network.fonts, qrmatrix.modules_of(qr_version(verify_url)))
        network.layouts = (front, back)
        problems += found
    return problems


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=Problem.sort_key)
