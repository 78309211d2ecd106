"""`members forget`: the right to erasure. A person's rows leave the employee workbooks, and the
card registry forgets who they were, while their card numbers stay known (never reused, still
revoked) and every line of the registry stays as it was, so the hash chain still catches an edit.

How: registry lines name holders by a pseudonym that only `members/holders.jsonl` ties to a
person, with a key of that person's own (`cards/holders.py`). Forgetting deletes that record and
key; the pseudonym left in the registry is then a random number that nothing can tie back, not
even a network secret (there is none). A registry from before pseudonyms is first rewritten with
them, once, for everyone (`cards.forgetting.pseudonymise_registry`, recorded in the registry).

Rules:
- the workbooks holding the person (of `company` only, if given) are written again in the
  canonical layout without their rows; a workbook with errors in other rows is refused before
  anything is written (fix it, or import a corrected list, first);
- the person's active cards are revoked on the day, as withdrawn;
- afterwards every file under members/ is searched for the codice fiscale, or the name, in the
  same row or line: files welfarectl does not write (an export left there, a copy) are listed as
  traces for the coordinator to delete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from welfarectl.base.errors import Refusal, UsageError
from welfarectl.base.output import write_files_atomic
from welfarectl.cards.forgetting import Forgotten, forget_holder
from welfarectl.cards.holderfile import read_holders
from welfarectl.cards.holders import HOLDERS_FILE
from welfarectl.cards.ledger import REGISTRY_FILE
from welfarectl.network.members import list_workbooks, normalise_codice_fiscale, read_staff_tables
from welfarectl.network.network import require_network_dir

from .canonical import Person, render_canonical, tidy

_SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


class WorkbookHasErrors(Refusal):
    """A workbook to rewrite has errors in rows other than the person's: nothing is written."""


@dataclass(frozen=True)
class Erasure:
    codice_fiscale: str
    workbooks: list[str]  # members/... rewritten without the person's rows
    rows: int  # rows removed
    registry: Forgotten
    traces: list[str]  # files under members/ that still hold the codice fiscale or the name


def forget_person(root: Path, codice_fiscale: str, day: date, company: str | None = None) -> Erasure:
    """Forget the person with `codice_fiscale` (in `company` only, if given), as of `day`."""
    require_network_dir(root)
    code = normalise_codice_fiscale(codice_fiscale.strip())
    rewrites: dict[Path, bytes] = {}
    names: set[tuple[str, str]] = set()
    removed = 0
    for path in list_workbooks(root):
        if company is not None and path.stem != company:
            continue
        rel = f"members/{path.name}"
        tables, employees, rejected, problems = read_staff_tables(path, rel, path.stem)
        theirs = [person for person in employees if person.codice_fiscale == code]
        their_rows = [row for row in rejected if row.codice_fiscale == code]
        if not theirs and not their_rows:
            continue
        names |= {(tidy(person.surname), tidy(person.given_name)) for person in theirs}
        own = {(row.location.sheet, _row_number(row.location.cell)) for row in their_rows}
        own |= {(person.table.sheet, person.row) for person in theirs}
        blocking = [p for p in problems if p.severity == "error" and (p.location.sheet, _row_number(p.location.cell)) not in own]
        if blocking or any(row.codice_fiscale != code for row in rejected):
            first = blocking[0] if blocking else None
            raise WorkbookHasErrors(
                f"{rel} has errors in other rows" + (f" ({first.location}: {first.message()})" if first else "")
                + ": fix them, or import a corrected list, before forgetting anyone in it",
                f"{rel} ha errori in altre righe" + (f" ({first.location}: {first.message('it')})" if first else "")
                + ": correggili, o importa un elenco corretto, prima di dimenticare qualcuno che vi compare")
        rewrites[path] = render_canonical(sorted((Person.of(p) for p in employees if p.codice_fiscale != code),
                                                 key=Person.sort_key))
        removed += len(theirs) + len(their_rows)
    if not rewrites and not _in_registry(root, code, company):
        raise UsageError(f"no one with the codice fiscale {code} is in the employee workbooks or the card registry"
                         + (f" of {company}" if company else ""),
                         f"nessuno con il codice fiscale {code} è negli elenchi dei dipendenti o nel registro delle tessere"
                         + (f" di {company}" if company else ""))
    write_files_atomic(rewrites)  # the rows first: a stop before the registry leaves a card to revoke, no person
    forgotten = forget_holder(root, code, day, company)
    return Erasure(code, sorted(f"members/{path.name}" for path in rewrites), removed, forgotten,
                   find_traces(root, code, names))


def _row_number(cell: str | None) -> int:
    digits = "".join(ch for ch in cell or "" if ch.isdigit())
    return int(digits) if digits else 0


def _in_registry(root: Path, code: str, company: str | None) -> bool:
    """Whether the registry knows the person: a holder record, or a line from before pseudonyms."""
    holders, _ = read_holders(root)
    if any(company in (None, each) for each in holders.companies_of(code)):
        return True
    needle = f'"holder":"{code}"'.encode()
    try:
        with open(root / REGISTRY_FILE, "rb") as handle:  # a line at a time: the registry may be large
            return any(needle in line for line in handle)
    except OSError:
        return False


def find_traces(root: Path, code: str, names: set[tuple[str, str]]) -> list[str]:
    """Files under members/ holding `code`, or a surname and given name of `names` in one row
    (spreadsheets) or line (anything else), sorted."""
    found = []
    wanted = {(surname.casefold(), given.casefold()) for surname, given in names}
    for path in sorted((root / "members").rglob("*")):
        if not path.is_file() or path.name.startswith(".") and path.suffix == ".lock":
            continue
        rel = path.relative_to(root).as_posix()
        if rel == HOLDERS_FILE and code.encode() not in path.read_bytes():
            continue
        lines = _spreadsheet_rows(path) if path.suffix.lower() in _SPREADSHEETS else _text_lines(path)
        if any(_holds(line, code, wanted) for line in lines):
            found.append(rel)
    return found


def _holds(line: list[str], code: str, names: set[tuple[str, str]]) -> bool:
    text = " ".join(line).casefold()
    if code.casefold() in text.replace(" ", ""):
        return True
    return any(surname in text and given in text for surname, given in names)


def _spreadsheet_rows(path: Path) -> list[list[str]]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        return [[str(value) for value in row] for name in book.sheet_names
                for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
    except Exception:  # noqa: BLE001 - not readable as a spreadsheet: searched as bytes instead
        return _text_lines(path)


def _text_lines(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    texts = {data.decode("utf-8", "replace"), data.decode("cp1252", "replace"), data.decode("utf-16", "replace")}
    return [[line] for text in texts for line in text.splitlines()]

