"""Members: the employee workbooks HR staff send, one per member company, as `Employee` values.

`members/<company-id>.xlsx` holds one company's staff (the file stem is the company id). The
survey (`members/survey.xlsx`), Excel lock files (`~$...`), hidden files and `members/cards.*`
are not employee workbooks. Checks that need several companies (the same person in two) live in
`checks.py`; the rules of one row and one workbook live here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.it import codicefiscale

from welfarectl.base.italian import format_day
from welfarectl.base.problems import Location, Problem, problem
from welfarectl.sources.headers import Column
from welfarectl.sources.tables import Row, Table, read_tables, report_missing

# Words that may stand beside a rule's words in a header (see `Column`): they say whose, or what
# kind of date, never a different thing. A header with any other word ("Data fine periodo di
# prova", "Motivo cessazione", "Codice fiscale azienda", "Nome e cognome") fits no rule.
_LINKS = ("di", "del", "della", "dello", "dell", "d", "de", "il", "la", "lo", "l", "al", "dal", "in", "of", "the", "on")
_PERSON = (*_LINKS, "dipendent*", "lavorator*", "employee*", "worker", "staff", "personal*", "n", "nr", "no", "number")
_DATES = (*_LINKS, "data", "date", "dt", "giorno", "day", "gg", "mm", "aa", "aaaa", "dd", "yy", "yyyy",
          "rapp*", "lavor*", "employ*", "contratt*", "contract", "serviz*", "service", "azienda", "company",
          "effettiv*", "effective", "actual", "previst*", "planned", "expected", "worked", "working")

EMPLOYEE_COLUMNS: tuple[Column, ...] = (
    Column("surname", "Cognome", ("cognome", "cognomi", "surname", "last name", "family name", "cognome dipendente"),
           required=True, words=("cognom*", "surname*", "last name", "family name"), fillers=_PERSON),
    Column("given_name", "Nome", ("nome", "nomi", "name", "first name", "given name", "given names", "nome dipendente"),
           required=True, words=("nome|nomi", "first name*", "given name*", "forename*"), fillers=_PERSON),
    Column("codice_fiscale", "Codice fiscale",
           ("codice fiscale", "cod fiscale", "cod fisc", "cf", "c f", "tax code", "fiscal code",
            "codice fiscale dipendente", "cod fisc dipendente", "tax id", "codicefiscale"), required=True,
           words=("cod* fisc*", "cf", "c f", "tax code|id", "fiscal code"), fillers=_PERSON),
    Column("hire_date", "Data assunzione",
           ("data assunzione", "data di assunzione", "data inizio rapporto", "inizio rapporto", "assunzione",
            "data assunz", "hire date", "hiring date", "date of hire", "start date", "date hired"),
           required=True, kind="date",
           words=("assun*", "data|dt|date ass", "inizio|iniz rapp*", "data|dt inizio|iniz", "data|dt ingress*",
                  "hire|hired|hiring", "start|started|starting", "joined|joining", "commencement"),
           fillers=_DATES),
    Column("leaving_date", "Data cessazione",
           ("data cessazione", "data di cessazione", "data fine rapporto", "fine rapporto", "data dimissioni",
            "cessazione", "data uscita", "leaving date", "end date", "termination date", "date of leaving"),
           kind="date",
           words=("cessa*|cess", "dimis*|dimess*", "licenz*", "fine rapp*", "data|dt fine", "uscit*", "data|dt usc",
                  "ultim* giorn*", "leaving|leaver*", "terminat*", "end date", "end employ*|contract*", "exit",
                  "resign*", "separation", "departure", "date left", "last day"),
           fillers=_DATES),
    Column("email", "E-mail", ("email", "e mail", "mail", "indirizzo email", "indirizzo e mail",
                               "posta elettronica", "email aziendale", "email address", "e mail address"),
           words=("email*", "e mail", "mail", "posta elettronica"),
           fillers=(*_PERSON, "indirizzo", "address", "aziendale", "lavoro", "work", "business")),
    Column("site", "Sede", ("sede", "reparto", "sede reparto", "sede di lavoro", "stabilimento", "ufficio",
                            "unita locale", "site", "department", "dept", "workplace", "office"),
           words=("sede|sedi", "repart*", "stabiliment*", "ufficio|uffici", "unita local*|operativ*", "filial*",
                  "department*|dept", "site", "workplace", "office", "branch"),
           fillers=(*_LINKS, "lavoro", "work", "operativ*", "assegnazione", "appartenenza")),
)

_NOT_EMPLOYEE_WORKBOOKS = {"survey", "cards"}


@dataclass(slots=True, unsafe_hash=True)  # a value, never changed: not frozen only because a frozen
class Employee:  # dataclass is four times as slow to make, and a region loads a million of them
    company: str
    surname: str
    given_name: str
    codice_fiscale: str
    hire_date: date
    leaving_date: date | None
    email: str | None
    site: str | None
    table: Table = field(repr=False, compare=False)
    row: int

    def location(self, field: str | None = None) -> Location:
        return self.table.location(self.row, field)

    def is_current(self, as_of: date) -> bool:
        """Employed on `as_of`: hired on or before it, and no leaving date or one after it (someone
        hired next month gets a card next month)."""
        return self.hire_date <= as_of and (self.leaving_date is None or self.leaving_date > as_of)

    @property
    def holder(self) -> tuple[str, str]:
        """(company, codice fiscale): how the card registry names a card's holder."""
        return (self.company, self.codice_fiscale)

    @property
    def name(self) -> str:
        """Given name and surname, as printed on the card."""
        return f"{self.given_name} {self.surname}"

    def sort_key(self) -> tuple:
        """Company, then surname and given name whatever their case: the order cards are issued
        and printed in, so that a company's cards come off the press together."""
        return (self.company, self.surname.casefold(), self.given_name.casefold(), self.codice_fiscale)


def list_workbooks(network_dir: Path) -> list[Path]:
    """The employee workbooks in members/, sorted by name: *.xlsx, except survey.xlsx, cards.*,
    Excel lock files (~$...) and hidden files (.*)."""
    folder = network_dir / "members"
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir()
                  if path.suffix.lower() == ".xlsx" and not path.name.startswith(("~$", "."))
                  and path.stem.lower() not in _NOT_EMPLOYEE_WORKBOOKS)


@dataclass(frozen=True, slots=True)
class RowWithErrors:
    """A data row of an employee workbook that gave no Employee because it has errors (reported at
    their cells): its person gets no card until the row is fixed. Name and codice fiscale are
    what the row says, when it says them."""

    company: str
    location: Location  # the row's first cell: members/<company>.xlsx:Sheet!A<row>
    name: str | None
    codice_fiscale: str | None


def read_employees(path: Path, rel: str, company: str) -> tuple[list[Employee], list[Problem]]:
    """One company's employees. Rules, per row: surname, given name, codice fiscale and hire date
    are present (`missing-value`); the codice fiscale is valid (`invalid-codice-fiscale`); the
    leaving date is not before the hire date (`date-order`); a codice fiscale appears once in the
    workbook (`duplicate-codice-fiscale` at the second). A row with an error is reported in full
    but gives no Employee."""
    employees, _, problems = read_staff(path, rel, company)
    return employees, problems


def read_staff(path: Path, rel: str, company: str, data: bytes | None = None
               ) -> tuple[list[Employee], list[RowWithErrors], list[Problem]]:
    """`read_employees`, and the rows with errors that gave no Employee; `data`: the .xlsx file's
    bytes, when the caller has read them already."""
    tables, employees, rejected, problems = read_staff_tables(path, rel, company, data=data)
    for table in tables:  # each Employee keeps its table for its cells' places, not the rows read
        table.rows = []
    return employees, rejected, problems


def read_staff_tables(path: Path, rel: str, company: str, *, overrides: dict[str, Column | None] | None = None,
                      sheet: str | None = None, data: bytes | None = None
                      ) -> tuple[list[Table], list[Employee], list[RowWithErrors], list[Problem]]:
    """`read_staff` of any file the table reader reads (.xlsx, .csv, .xls, .ods), with the tables
    read; `overrides` map headers to columns first (see `HeaderMatcher`); with `sheet`, that sheet
    only (problems of other sheets left out)."""
    tables, problems = read_tables(path, rel, EMPLOYEE_COLUMNS, overrides, data)
    if sheet is not None:
        tables = [table for table in tables if table.sheet == sheet]
        problems = [found for found in problems if found.location.sheet in (None, sheet)]
    first_seen: dict[str, tuple[Table, int]] = {}
    employees: list[Employee] = []
    rejected: list[RowWithErrors] = []
    for table in tables:
        for row in table.rows:
            record = _read_employee(table, row, company, first_seen, problems)
            if isinstance(record, Employee):
                employees.append(record)
            else:
                rejected.append(record)
    return tables, employees, rejected, problems


_LABELS = {col.field: col.label for col in EMPLOYEE_COLUMNS}


def _read_employee(table: Table, row: Row, company: str, first_seen: dict[str, tuple[Table, int]],
                   problems: list[Problem]) -> Employee | RowWithErrors:
    values = row.values
    count = len(problems)
    report_missing(table, row, EMPLOYEE_COLUMNS, problems)
    code = values.get("codice_fiscale")
    if code is not None:
        code = normalise_codice_fiscale(code)  # type: ignore[arg-type]
        reason = explain_invalid_codice_fiscale(code)
        if reason:
            problems.append(problem("invalid-codice-fiscale", table.location(row, "codice_fiscale"),
                                    value=code, reason=reason, reason_it=_REASONS_IT[reason]))
        else:
            here = (table, row.number)  # a Location only when needed: most codes are seen once
            first = first_seen.setdefault(code, here)
            if first is not here:
                problems.append(problem("duplicate-codice-fiscale", table.location(row, "codice_fiscale"),
                                        value=code, other=str(first[0].location(first[1], "codice_fiscale"))))
    hired, left = values.get("hire_date"), values.get("leaving_date")
    if hired is not None and left is not None and left < hired:  # type: ignore[operator]
        problems.append(problem("date-order", table.location(row, "leaving_date"),
                                later_field=_LABELS["leaving_date"], later=format_day(left),
                                earlier_field=_LABELS["hire_date"], earlier=format_day(hired)))
    if row.invalid or len(problems) > count:
        names = [values[f] for f in ("given_name", "surname") if isinstance(values.get(f), str)]
        return RowWithErrors(company, table.location(row), " ".join(names) or None, code)  # type: ignore[arg-type]
    return Employee(company, values["surname"], values["given_name"], code, hired,  # type: ignore[arg-type]
                    left, values.get("email"), values.get("site"), table, row.number)  # type: ignore[arg-type]


def normalise_codice_fiscale(text: str) -> str:
    """Upper case, without spaces, NBSPs and dots (as copied from documents)."""
    return text.upper().replace(" ", "").replace("\xa0", "").replace(".", "")


_REASONS_IT = {  # explain_invalid_codice_fiscale's reasons, in Italian
    "wrong length: 16 characters expected": "lunghezza sbagliata: sono attesi 16 caratteri",
    "invalid characters": "caratteri non ammessi",
    "wrong check character": "carattere di controllo sbagliato",
    "invalid birth date": "data di nascita non valida",
    "wrong check digit": "cifra di controllo sbagliata",
    "not a codice fiscale": "non è un codice fiscale",
}


def explain_invalid_codice_fiscale(code: str) -> str | None:
    """None if `code` is a valid codice fiscale (omocodia variants included), else a short reason."""
    if _plainly_valid(code):  # most codes: python-stdnum would say the same, ten times slower
        return None
    try:
        codicefiscale.validate(code)
    except InvalidLength:
        return "wrong length: 16 characters expected"
    except InvalidFormat:
        return "invalid characters"
    except InvalidChecksum:
        return "wrong check character"
    except InvalidComponent:
        return "invalid birth date" if len(code) == 16 else "wrong check digit"
    except ValidationError:
        return "not a codice fiscale"
    return None


# A personal codice fiscale in its plain form: letters for the names, digits (or their omocodia
# letters) for year, day and place; what python-stdnum's `validate` accepts once it has cleaned a code.
_PERSONAL = re.compile("[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]")


def _plainly_valid(code: str) -> bool:
    """Whether `code` is a valid personal codice fiscale already in its plain form (16 upper-case
    ASCII characters, nothing to clean), asked of python-stdnum's own check character and birth
    date without its cleaning, which is half its time (20 µs a code: 20 s at a million). False
    sends the code to `codicefiscale.validate`, which says why it is not one, or accepts the forms
    this does not look at."""
    if not _PERSONAL.fullmatch(code) or codicefiscale.calc_check_digit(code[:15]) != code[15]:
        return False
    born = code[6:11]  # all python-stdnum's birth date reads: a million people share some 30,000
    valid = _BIRTH_DATES.get(born)
    if valid is None:
        try:
            codicefiscale.get_birth_date(code)
        except ValidationError:
            valid = False
        else:
            valid = True
        _BIRTH_DATES[born] = valid
    return valid


_BIRTH_DATES: dict[str, bool] = {}  # characters 7 to 11 of a plain code -> whether they are a birth date
