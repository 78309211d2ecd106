"""Workbook: a generic, safe reader of the tables HR staff send as .xlsx files.

`read_tables` turns every sheet that has a recognisable header row into a `Table` of `Row`s
holding only the columns asked for, and reports everything odd as `Problem` values. Cell values
come from python-calamine (fast); structure and safety come from our own look at the zip:

`xlsxfile.py` (opened safely, zip bombs refused, formulas without a value and hidden rows
and columns found in the sheet XML). The same rules read a CSV (`csvfile.py`: one table located by
line and column instead of sheet and cell) and, for `members import`, .xls and .ods files, which
calamine reads directly.

Hidden *sheets* are read like visible ones, with a `hidden-cells` warning, when they hold a
table: the message says hidden cells are read, and silently dropping staff is worse than a
warning. Hidden sheets without a header row are skipped silently, like any other sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import python_calamine
from defusedxml import ElementTree as SafeET

from welfarectl.base.cells import column_index, column_letter
from welfarectl.base.italian import format_day
from welfarectl.base.problems import Location, Problem, problem

from .csvfile import read_csv_rows
from .headers import Column, HeaderMatcher, names_a_birth_date
from .xlsxfile import formulas_without_value, hidden_rows_and_columns, open_workbook

R = TypeVar("R")
HEADER_SEARCH_ROWS = 30
_LONGEST_HEADER = 80  # longer cells are titles or notes, never headers


@dataclass(slots=True)
class Row:
    """One data row: values by field (empty cells absent). `invalid` lists fields whose cell held
    something unreadable (a problem is already reported), so callers do not report them as empty."""

    number: int
    values: dict[str, object]
    invalid: tuple[str, ...] = ()


@dataclass
class Table:
    """One sheet's table (`sheet` None for a CSV file, whose places are lines and columns): the
    column letter of each field read, the header row's texts, and those of the columns not read."""

    file: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]
    rows: list[Row] = field(default_factory=list, repr=False)
    header: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    def location(self, row: Row | int, field: str | None = None) -> Location:
        """sheet!cell of `field` in `row`, or sheet!A<row> when no field (or an absent one) is given;
        line:column in a CSV file."""
        number = row if isinstance(row, int) else row.number
        letter = self.columns.get(field, "A") if field else "A"
        return cell_location(self.file, self.sheet, letter, number)


def cell_location(file: str, sheet: str | None, letter: str, row: int) -> Location:
    """A cell of a sheet, or (no sheet: a CSV file) its line and column."""
    if sheet is None:
        return Location(file, line=row, column=column_index(letter) + 1)
    return Location(file, sheet=sheet, cell=f"{letter}{row}")


def read_records(path: Path, rel: str, columns: Sequence[Column],
                 read_row: Callable[[Table, Row, list[Problem]], R | None],
                 overrides: dict[str, Column | None] | None = None) -> tuple[list[R], list[Problem]]:
    """Every record of the workbook: `read_row` turns each data row into a record, or into
    problems (appended to the list it is given) and None."""
    tables, problems = read_tables(path, rel, columns, overrides)
    records = []
    for table in tables:
        for row in table.rows:
            record = read_row(table, row, problems)
            if record is not None:
                records.append(record)
    return records, problems


def report_missing(table: Table, row: Row, columns: Sequence[Column], problems: list[Problem]) -> None:
    """`missing-value` for each required column empty in `row` (unless its cell was unreadable,
    which is reported already)."""
    for col in columns:
        if col.required and col.field not in row.values and col.field not in row.invalid:
            problems.append(problem("missing-value", table.location(row, col.field), column=col.label))


def read_tables(path: Path, rel: str, columns: Sequence[Column],
                overrides: dict[str, Column | None] | None = None,
                data: bytes | None = None) -> tuple[list[Table], list[Problem]]:
    """Read every sheet of `path` (an .xlsx workbook; by its suffix, a CSV file, an .xls or an .ods)
    whose header row has all required `columns`.

    Rules: the header row is searched in each sheet's first 30 rows; sheets without one are
    skipped silently; a sheet whose best header row has at least two required columns (or the
    only one) but not all gets `missing-column` for each missing one; no header anywhere gives
    one `header-not-found`. Other headers are never loaded (`ignored-column` warning). A broken,
    encrypted or oversized file gives one problem and no tables. `data`: an .xlsx file's bytes,
    when the caller has read them already.
    """
    problems: list[Problem] = []
    tables: list[Table] = []
    partial = False
    matcher = HeaderMatcher(columns, overrides)
    for name, rows, merged, xml, visible in _sheets(path, rel, problems, data):
        header = _find_header(rows, matcher, columns)
        if header is None:
            continue
        index, found = header
        missing = [col for col in columns if col.required and col.field not in {c.field for _, c in found}]
        if missing:
            partial = True
            problems += [problem("missing-column", cell_location(rel, name, "A", index + 1),
                                 column=col.label) for col in missing]
            continue
        table, found_problems = _read_table(rel, name, rows, index, found, merged, xml, columns)
        problems += found_problems
        if not visible:
            problems.append(problem("hidden-cells", Location(rel, sheet=name), what="sheet",
                                    what_it="Schede", which=f"'{name}'"))
        tables.append(table)
    if not tables and not partial and not any(p.code in _UNREAD for p in problems):
        labels = [col.label for col in columns if col.required]
        listed = ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]
        listed_it = ", ".join(labels[:-1]) + (" e " if len(labels) > 1 else "") + labels[-1]
        problems.append(problem("header-not-found", Location(rel), required=f"the columns {listed}",
                                required_it=f"le colonne {listed_it}"))
    return tables, problems


_UNREAD = frozenset({"unreadable-workbook", "workbook-too-large", "file-unreadable"})  # no header to look for


def _sheets(path: Path, rel: str, problems: list[Problem], data: bytes | None = None):
    """(name, rows, merged ranges, sheet XML or None, visible) of each worksheet of `path`; a CSV
    file is one sheet without a name. Problems opening the file or a sheet go to `problems`."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows, _, found = read_csv_rows(path, rel)
        problems += found
        if rows is not None:
            yield None, rows, [], None, True
        return
    sheet_xml: dict[str, bytes] = {}
    if suffix in (".xls", ".ods"):  # calamine reads them; no zip of ours to check first
        try:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
        except (python_calamine.CalamineError, ValueError, OSError) as error:
            problems.append(problem("unreadable-workbook", Location(rel), reason=f"damaged file ({error})",
                                    reason_it=f"file danneggiato («{error}»)"))
            return
    else:
        book, sheet_xml, found = open_workbook(path, rel, data)
        problems += found
        if book is None:
            return
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        try:
            cells = book.get_sheet_by_name(meta.name)
            rows = cells.to_python(skip_empty_area=False)
            merged = cells.merged_cell_ranges or []
        except (python_calamine.CalamineError, ValueError, OverflowError) as error:
            problems.append(problem("unreadable-workbook", Location(rel, sheet=meta.name),
                                    reason=f"sheet '{meta.name}' is damaged ({type(error).__name__}): "
                                           "open it in a spreadsheet and save it again",
                                    reason_it=f"il foglio '{meta.name}' è danneggiato ({type(error).__name__}): "
                                              "aprilo in un foglio di calcolo e salvalo di nuovo"))
            continue
        yield meta.name, rows, merged, sheet_xml.get(meta.name), meta.visible == python_calamine.SheetVisibleEnum.Visible


def _find_header(rows: list[list], matcher: HeaderMatcher,
                 columns: Sequence[Column]) -> tuple[int, list[tuple[int, Column]]] | None:
    """The header row among the first rows: the first with all required columns, else the one
    with most required columns, then most columns. Returns None unless it has all required
    columns or at least two of them (one title cell that happens to read "Nome" is no header)."""
    best: tuple[int, int] = (0, 0)
    found_best: tuple[int, list[tuple[int, Column]]] | None = None
    required = sum(col.required for col in columns)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = [(c, col) for c, value in enumerate(row) if value.__class__ is str and value
                 and len(value) < _LONGEST_HEADER and (col := matcher(value)) is not None]
        fields = {col.field: col for _, col in found}
        score = (sum(col.required for col in fields.values()), len(fields))
        if score > best:
            best, found_best = score, (index, found)
            if score[0] == required:
                break
    if found_best is None or best[0] < min(2, required):
        return None
    return found_best


def _read_table(rel: str, sheet: str | None, rows: list[list], index: int, found: list[tuple[int, Column]],
                merged: list, xml: bytes | None, columns: Sequence[Column]) -> tuple[Table, list[Problem]]:
    """Turn the rows below header row `index` into Rows of the found columns. A column not read
    that holds dates gets `date-column-not-read` (it may be a date the reader wants, under a
    header it does not know); the others are named together in one `ignored-column`."""
    problems: list[Problem] = []

    def header_cell(c: int) -> Location:
        return cell_location(rel, sheet, column_letter(c), index + 1)

    kept: dict[str, tuple[int, Column]] = {}
    for c, col in found:
        if col.field in kept:
            problems.append(problem("duplicate-column", header_cell(c), column=col.label,
                                    other=str(header_cell(kept[col.field][0]))))
        else:
            kept[col.field] = (c, col)
    used = {c for c, _ in found}
    ignored = [(c, _text_of(v)) for c, v in enumerate(rows[index]) if c not in used and _text_of(v)]
    not_read = tuple(text for _, text in ignored)
    dates = [col.label for col in columns if col.kind == "date"]
    if dates:
        for c, text in [(c, text) for c, text in ignored if _holds_dates(rows, index, c) and not names_a_birth_date(text)]:
            ignored.remove((c, text))
            problems.append(problem("date-column-not-read", header_cell(c), column=text,
                                    known=", ".join(f"'{label}'" for label in dates)))
    if ignored:
        problems.append(problem("ignored-column", header_cell(ignored[0][0]),
                                columns=", ".join(text for _, text in ignored)))
    table = Table(rel, sheet, index + 1, {f: column_letter(c) for f, (c, _) in kept.items()}, [],
                  tuple(_text_of(v) for v in rows[index]), not_read)
    kept_indexes = {c for c, _ in kept.values()}
    problems += _spread_merged_cells(table, rows, index, merged, kept_indexes)
    bad: dict[int, list[str]] = {}
    hidden_rows: set[int] = set()
    hidden_columns: list[int] = []
    if xml is not None:
        by_index = {c: f for f, (c, _) in kept.items()}
        try:
            formulas = formulas_without_value(xml, index + 1, kept_indexes)
        except (SafeET.ParseError, ValueError) as error:  # calamine read it, but our safe parser refuses it
            formulas = []
            problems.append(problem("unreadable-workbook", Location(rel, sheet=sheet),
                                    reason=f"damaged sheet ({error})", reason_it=f"foglio danneggiato («{error}»)"))
        for r, c in formulas:
            bad.setdefault(r, []).append(by_index[c])
            problems.append(problem("formula-without-value", table.location(r + 1, by_index[c])))
        if b'hidden="' in xml:
            hidden_rows, hidden_columns = hidden_rows_and_columns(xml, kept_indexes)
    table.rows, found_problems = _read_rows(table, rows, index, kept, bad)
    problems += found_problems
    hidden = sorted(row.number for row in table.rows if row.number in hidden_rows)
    if hidden:
        problems.append(problem("hidden-cells", Location(rel, sheet=sheet), what="rows", what_it="Righe",
                                which=_compact_ranges(hidden)))
    if hidden_columns:
        problems.append(problem("hidden-cells", Location(rel, sheet=sheet), what="columns", what_it="Colonne",
                                which=", ".join(column_letter(c) for c in hidden_columns)))
    return table, problems


def _read_rows(table: Table, rows: list[list], index: int, kept: dict[str, tuple[int, Column]],
               bad: dict[int, list[str]]) -> tuple[list[Row], list[Problem]]:
    """The data rows: text stripped, dates and numbers parsed; blank rows skipped."""
    problems: list[Problem] = []
    text = [(f, c) for f, (c, col) in kept.items() if col.kind == "text"]
    other = [(f, c, col) for f, (c, col) in kept.items() if col.kind != "text"]
    result: list[Row] = []
    str_, date_ = str, date  # the hot loop below runs once per row: class checks, no calls
    # payroll exports repeat the header row on every printed page: such rows are not data
    cols = [c for c, _ in kept.values()]
    header = [rows[index][c] for c in cols]
    first_col, first_header = cols[0], header[0]
    for r in range(index + 1, len(rows)):
        raw = rows[r]
        if raw[first_col] == first_header and [raw[c] for c in cols] == header:
            continue
        values: dict[str, object] = {}
        for f, c in text:
            v = raw[c]
            if v.__class__ is str_:
                if v:
                    v = v.strip()
                    if "\xa0" in v:
                        v = v.replace("\xa0", " ").strip()
                    if v:
                        values[f] = v
            elif v is not None:
                v = _text_of(v)
                if v:
                    values[f] = v
        invalid = bad.get(r, []) if bad else []
        for f, c, col in other:
            v = raw[c]
            if v.__class__ is date_ and col.kind == "date":
                values[f] = v
                continue
            if v is None or (v.__class__ is str_ and not v.strip()):
                continue
            parsed = _read_date(v) if col.kind == "date" else _read_number(v)
            if parsed is None:
                invalid.append(f)
                written = _text_of(v)
                if col.kind == "date":
                    problems.append(problem("invalid-date", table.location(r + 1, f), column=col.label, value=written))
                else:
                    problems.append(problem("invalid-value", table.location(r + 1, f), field=col.label,
                                            detail=f"'{written}' is not a number", detail_it=f"'{written}' non è un numero"))
            else:
                values[f] = parsed
        if values or invalid:
            result.append(Row(r + 1, values, tuple(invalid)))
    return result, problems


def _holds_dates(rows: list[list], index: int, c: int) -> bool:
    """Whether column `c` below header row `index` holds dates: date cells or dates written as
    text, at least half of its non-empty cells. Numbers do not count: a serial number and a staff
    number look alike."""
    filled = dates = 0
    for raw in rows[index + 1:]:
        value = raw[c] if c < len(raw) else None
        if value is None or (value.__class__ is str and not value.strip()):
            continue
        filled += 1
        if isinstance(value, date) or (value.__class__ is str and _read_date(value) is not None):
            dates += 1
    return dates > 0 and 2 * dates >= filled


def _text_of(value: object) -> str:
    """A cell value as text: integral numbers without '.0', dates as dd/mm/yyyy."""
    if value.__class__ is str:
        return value.replace("\xa0", " ").strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return format_day(value)
    return str(value).strip()


_EXCEL_EPOCH = date(1899, 12, 30)
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")


def _read_date(value: object) -> date | None:
    """A date from a date cell, dd/mm/yyyy-like or yyyy-mm-dd text, or an Excel serial (1900 system).
    Two-digit years 00-68 are 2000s, 69-99 are 1900s."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.replace("\xa0", " ").strip()
        try:
            if m := _DAY_FIRST.fullmatch(text):
                year = int(m[4])
                if len(m[4]) == 2:
                    year += 2000 if year <= 68 else 1900
                return date(year, int(m[3]), int(m[1]))
            if m := _ISO.fullmatch(text):
                return date(int(m[1]), int(m[3]), int(m[4]))
        except ValueError:
            return None
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= 2958465:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    return None


def _read_number(value: object) -> int | float | None:
    """A number from a number cell or text ('3', '3,5'); integral values as int."""
    if isinstance(value, str):
        text = value.replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return None
        if value != value or value in (float("inf"), float("-inf")):
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _spread_merged_cells(table: Table, rows: list[list], index: int, merged: list,
                         kept: set[int]) -> list[Problem]:
    """Merged ranges starting below the header and touching kept columns: the top-left value is
    copied to every cell, as it shows on screen (a warning says so). Banners above are fine."""
    problems = []
    for (r1, c1), (r2, c2) in merged:
        if r1 <= index or not any(c1 <= c <= c2 for c in kept) or r1 >= len(rows):
            continue
        first = rows[r1][c1]
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            for c in range(c1, c2 + 1):
                if c in kept:
                    rows[r][c] = first
        start, end = f"{column_letter(c1)}{r1 + 1}", f"{column_letter(c2)}{r2 + 1}"
        problems.append(problem("merged-cells", Location(table.file, sheet=table.sheet, cell=start),
                                range=f"{start}:{end}", first=start))
    return problems


def _compact_ranges(numbers: list[int]) -> str:
    """[14, 20, 21, 22] -> '14, 20-22'."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(n) if n == start else f"{start}-{n}")
            start = None
    return ", ".join(parts)
