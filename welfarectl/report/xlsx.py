"""report.xlsx: one sheet per table of the report (and one of key figures), with frozen headers,
number formats and filters, the same figures as the PDF.

Every text is written as a text cell, never as a formula, whatever it begins with (`=`, `+`, `-`,
`@`, a tab, a carriage return): a name in the catalogue is never run by a spreadsheet. The bytes
are the same from run to run: the workbook's dates are the report's day, and the zip entries
carry a fixed timestamp.
"""

from __future__ import annotations

import io
from datetime import datetime
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from .figures import Figures, Table
from .labels import key_figure
from .suppression import SMALL, THRESHOLD, WITHHELD
from .tables import COUNT, POINTS, SCORE, SHARE, TEXT

FORMATS = {COUNT: "#,##0", SHARE: "0.0%", SCORE: "0.0", POINTS: "+0.0;-0.0;0.0"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_WIDTH = 60


class _FixedTimeZip(ZipFile):
    """A zip whose entries all carry the same timestamp: openpyxl stamps some with the time, and
    writes worksheets from temporary files, stamped with theirs."""

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as handle:
            self.writestr(str(arcname or filename), handle.read())

    def writestr(self, name, data, compress_type=None, compresslevel=None):
        if not isinstance(name, ZipInfo):
            name = ZipInfo(name, date_time=ZIP_TIME)
            name.compress_type = ZIP_DEFLATED
        super().writestr(name, data, compress_type, compresslevel)


def render_xlsx(figures: Figures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    lang = figures.lang
    book = Workbook()
    sheet = book.active
    sheet.title = "key_figures"
    _write(sheet, ["Dato" if lang == "it" else "Figure", "Valore" if lang == "it" else "Value"],
           [(key_figure(key, lang), value) for key, value in figures.key_figures.items()], [TEXT, COUNT], total=None,
           note=_note(figures, "catalogue/, members/"))
    for table in figures.tables.values():
        _write_table(book.create_sheet(table.key[:31]), table, figures)
    day = datetime(figures.as_of.year, figures.as_of.month, figures.as_of.day)
    book.properties.created = book.properties.modified = day
    book.properties.creator = book.properties.lastModifiedBy = "welfarectl"
    book.properties.title = ("Report della rete" if lang == "it" else "Network report") + f" - {figures.network_name}"
    out = io.BytesIO()
    ExcelWriter(book, _FixedTimeZip(out, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return out.getvalue()


def _note(figures: Figures, source: str) -> str:
    if figures.lang == "it":
        return (f"Fonte: {source}; al {figures.as_of.strftime('%d/%m/%Y')}. {SMALL}: meno di {THRESHOLD}; "
                f"{WITHHELD}: omesso perché non si ricavi un conteggio sotto {THRESHOLD}.")
    return (f"Source: {source}; as of {figures.as_of.isoformat()}. {SMALL}: fewer than {THRESHOLD}; "
            f"{WITHHELD}: withheld so that a count under {THRESHOLD} cannot be worked out.")


def _write_table(sheet, table: Table, figures: Figures) -> None:
    spec, lang = table.spec, figures.lang
    columns = spec.columns
    rows = [[row.get(c.key) for c in columns] for row in table.rows]
    total = None
    if table.total:
        total = [table.total.get(c.key) for c in columns]
        total[1] = "Totale" if lang == "it" else "Total"
    _write(sheet, [c.title(lang) for c in columns], rows, [c.kind for c in columns], total=total,
           note=_note(figures, spec.source(lang)))


def _write(sheet, headers: list[str], rows: list[list], kinds: list[str], *, total: list | None, note: str) -> None:
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    right = Alignment(horizontal="right")
    widths = [len(h) for h in headers]
    for col, header in enumerate(headers, 1):
        _text(sheet.cell(1, col), header).font = bold
    body = rows + ([total] if total else [])
    for r, values in enumerate(body, 2):
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True), 1):
            if value is None:
                continue
            cell = sheet.cell(r, col)
            if isinstance(value, str):
                _text(cell, value)
                if kind != TEXT:
                    cell.alignment = right  # a suppression mark, in a column of numbers
            else:
                cell.value = value
                cell.number_format = FORMATS.get(kind, "General")
            if total and r == len(body) + 1:
                cell.font = bold
            widths[col - 1] = max(widths[col - 1], len(str(value)) + 2)
    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[_letter(col)].width = min(MAX_WIDTH, max(8, width))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{_letter(len(headers))}{len(rows) + 1}"  # the total row stays out of sorting
    _text(sheet.cell(len(body) + 3, 1), note)


def _text(cell, text: str):
    """Write `text` as a text cell: never read as a formula, whatever its first character."""
    cell.value = text
    cell.data_type = "s"
    return cell


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)
