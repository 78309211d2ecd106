"""Feedback for the HR clerk: a copy of the list they sent with every bad cell highlighted and an
Italian comment saying what is wrong and what to do, plus a sheet "Da correggere" listing all of
it, so that they correct their own file and send it again.

An .xlsx is copied as it is (openpyxl keeps its formatting); a CSV, .xls or .ods is copied cell by
cell into a new workbook (the CSV on one sheet, its cells at the lines and columns the messages
name). Text is kept as text: a cell that begins with `=` stays the text it was, never a formula.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from welfarectl.base.cells import column_letter
from welfarectl.base.output import write_bytes_atomic
from welfarectl.base.problems import Problem

from .canonical import FORMULA_STARTS

SUMMARY_SHEET = "Da correggere"
# Problems that mean the reader could not open the file at all: its feedback is the summary alone
UNOPENED = frozenset({"file-unreadable", "unreadable-workbook", "workbook-too-large"})
_HINTS_IT = {  # what to do, after the message that says what is wrong
    "invalid-codice-fiscale": "Ricopialo dalla tessera sanitaria.",
    "invalid-date": "Scrivi la data come gg/mm/aaaa.",
    "missing-value": "Compila la cella.",
    "duplicate-codice-fiscale": "Togli la riga doppia, o correggi il codice fiscale sbagliato.",
    "date-order": "Controlla le due date.",
    "missing-column": "Aggiungi la colonna con l'intestazione del modello.",
    "duplicate-column": "Tieni una sola delle due colonne.",
    "formula-without-value": "Scrivi il valore al posto della formula.",
    "header-not-found": "Usa le intestazioni del modello della rete (foglio Istruzioni).",
}


def write_feedback(source: Path, rel: str, problems: list[Problem], target: Path) -> Path:
    """Write the marked-up copy of `source` to `target` (atomically) and return `target`."""
    from openpyxl import Workbook, load_workbook

    errors = [found for found in problems if found.severity == "error"]
    if any(found.code in UNOPENED and found.location.file == rel for found in errors):
        book = Workbook()  # never opened again: a damaged or oversized file is not handed to openpyxl or calamine
        book.remove(book.active)
    elif source.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            book = load_workbook(source)
        except Exception:  # noqa: BLE001 - a file openpyxl cannot open is copied from its cells instead
            book = _copy_cells(source, rel, Workbook)
    else:
        book = _copy_cells(source, rel, Workbook)
    _mark(book, errors)
    _summarise(book, errors)
    buffer = io.BytesIO()
    book.save(buffer)
    return write_bytes_atomic(target, buffer.getvalue())


def _copy_cells(source: Path, rel: str, new_workbook):
    """A new workbook with the cells of `source`, as the table reader saw them."""
    from welfarectl.sources.csvfile import read_csv_rows

    book = new_workbook()
    book.remove(book.active)
    if source.suffix.lower() == ".csv":
        rows, _, _ = read_csv_rows(source, rel)
        sheets = [(_csv_sheet_name(source), rows or [])]
    else:
        import python_calamine

        calamine = python_calamine.CalamineWorkbook.from_path(str(source))
        sheets = [(name, calamine.get_sheet_by_name(name).to_python(skip_empty_area=False))
                  for name in calamine.sheet_names]
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value in ("", None):
                    continue
                if not isinstance(value, (str, int, float, date)):
                    value = str(value)
                cell = sheet.cell(row=r, column=c, value=excel_text(value) if isinstance(value, str) else value)
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type, cell.quotePrefix = "s", True
                elif isinstance(value, (date, datetime)):
                    cell.number_format = "DD/MM/YYYY"
    return book


def _csv_sheet_name(source: Path) -> str:
    """A CSV's one sheet: its file name, as spreadsheets call it, within Excel's 31 characters."""
    name = "".join(ch for ch in source.stem if ch not in "[]:*?/\\")[:31]
    return name or "Foglio1"


def _mark(book, errors: list[Problem]) -> None:
    """Fill each bad cell and comment on it in Italian (several problems of a cell, one comment)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor="FFC7CE")
    notes: dict[tuple[str, str], list[str]] = {}
    for found in errors:
        place = _cell_of(book, found)
        if place is not None:
            notes.setdefault(place, []).append(_italian(found))
    for (sheet, ref), texts in notes.items():
        cell = book[sheet][ref]
        cell.fill = fill
        comment = Comment(excel_text("\n".join(texts)), "welfarectl")
        comment.width, comment.height = 320, 90 + 30 * len(texts)
        cell.comment = comment


def _cell_of(book, found: Problem) -> tuple[str, str] | None:
    """(sheet, cell) of a problem in the copy: a sheet's cell, or a CSV's line and column on its one sheet."""
    loc = found.location
    if loc.sheet is not None and loc.cell and loc.sheet in book.sheetnames:
        return loc.sheet, loc.cell
    if loc.line is not None and loc.column and book.sheetnames and book.sheetnames[0] != SUMMARY_SHEET:
        return book.sheetnames[0], f"{column_letter(loc.column - 1)}{loc.line}"
    return None


def _summarise(book, errors: list[Problem]) -> None:
    """The sheet "Da correggere", first: every error with its cell, what is wrong and what to do."""
    from openpyxl.styles import Font

    sheet = book.create_sheet(SUMMARY_SHEET, 0)
    sheet.append(["Foglio", "Cella", "Cosa correggere"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    first = book.sheetnames[1] if len(book.sheetnames) > 1 else ""
    for found in errors:
        loc = found.location
        if loc.sheet is not None:
            where = (loc.sheet, loc.cell or "")
        elif loc.line is not None:
            where = (first, f"{column_letter((loc.column or 1) - 1)}{loc.line}")
        else:
            where = ("", "")
        row = [excel_text(text) for text in (*where, _italian(found))]
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type, cell.quotePrefix = "s", True
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 100
    book.active = 0


def excel_text(text: str) -> str:
    """`text` as a cell can hold it: the control characters a list may carry (a CSV saved by an old
    program, a mistyped key) shown as U+FFFD, which neither Excel nor openpyxl allows in a cell."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def _italian(found: Problem) -> str:
    message = found.message("it")
    hint = _HINTS_IT.get(found.code)
    return f"{message[:1].upper()}{message[1:]}." + (f" {hint}" if hint else "")
