"""`members template`: the workbook an HR clerk fills in without asking anyone.

Sheet "Dipendenti": the network's columns under their Italian labels (the header row frozen,
protected, with a comment on each header), widths that fit, and data validation with Italian
messages: dates as dates (dd/mm/yyyy), a codice fiscale of 16 characters, an e-mail with an @,
and for a company's template a dropdown of the sites its current workbook names (other values
allowed, with a note). Sheet "Istruzioni": what each column holds, whether it is required, an
example, and what not to send. The sheet's protection has no password and lets the clerk format,
insert and delete rows, sort and filter: it guards the headers the import matches, nothing else.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from welfarectl.base.cells import column_letter
from welfarectl.base.output import check_target, write_bytes_atomic
from welfarectl.network.members import EMPLOYEE_COLUMNS, read_staff

from .canonical import SHEET
from .companies import member_company_name

ROWS = 2000  # rows below the header that carry the validation
INSTRUCTIONS = "Istruzioni"
EXAMPLE_CODICE_FISCALE = "RSSMRA80A41F205B"  # fictional, with a valid check character
# field -> (what to write, example), in Italian
_HELP = {
    "surname": ("Il cognome come sui documenti, con accenti e apostrofi (De' Medici, D'Angelo).", "De' Medici"),
    "given_name": ("Il nome, o i nomi, come sui documenti.", "Maria Luisa"),
    "codice_fiscale": ("I 16 caratteri del codice fiscale, come sulla tessera sanitaria.", EXAMPLE_CODICE_FISCALE),
    "hire_date": ("Il giorno di inizio del rapporto di lavoro, gg/mm/aaaa.", "01/03/2024"),
    "leaving_date": ("Solo per chi ha lasciato o lascerà l'azienda: la data di cessazione, gg/mm/aaaa. "
                     "Chi ha lasciato resta nell'elenco con questa data.", "30/06/2026"),
    "email": ("Facoltativo: l'indirizzo e-mail di lavoro, per le comunicazioni della rete.", "maria.demedici@impresa.it"),
    "site": ("Facoltativo: la sede o il reparto, per consegnare le tessere.", "Magazzino"),
}
_WIDTHS = {"surname": 24, "given_name": 22, "codice_fiscale": 22, "hire_date": 17, "leaving_date": 17, "email": 32,
           "site": 22}
_NOTES = (
    "Una riga per persona, a partire dalla riga 2 del foglio Dipendenti; le intestazioni della riga 1 sono "
    "protette: non cambiarle.",
    "Includi tutto il personale, anche chi ha lasciato l'azienda (con la data di cessazione): chi manca dall'elenco "
    "viene considerato uscito alla data dell'importazione.",
    "Non aggiungere altre colonne (IBAN, stipendio, telefoni, dati dei familiari...): la rete non le usa e non le "
    "conserva.",
    "Le date si scrivono gg/mm/aaaa. Salva il file in formato .xlsx e invialo al coordinamento della rete.",
)


def write_template(root: Path, target: Path, company: str | None = None) -> Path:
    """Write the template to `target` (atomically); for `company`, with its name and its sites."""
    check_target(target)
    name, sites = None, []
    if company is not None:
        name = member_company_name(root, company)
        current = root / "members" / f"{company}.xlsx"
        if current.exists():
            staff, _, _ = read_staff(current, f"members/{current.name}", company)
            sites = sorted({person.site for person in staff if person.site}, key=str.casefold)
    return write_bytes_atomic(target, render_template(name, sites))


def render_template(company_name: str | None = None, sites: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _fill_staff_sheet(sheet, sites or [])
    _fill_instructions(book.create_sheet(INSTRUCTIONS), company_name, sites or [])
    book.active = 0
    book.properties.creator = "welfarectl"
    book.properties.created = datetime(2026, 1, 1)  # no clock read here (openpyxl dates the save itself)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill_staff_sheet(sheet, sites: list[str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, col in enumerate(EMPLOYEE_COLUMNS):
        letter = column_letter(index)
        cell = sheet.cell(row=1, column=index + 1, value=col.label)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
        what, example = _HELP[col.field]
        comment = Comment(f"{'Obbligatorio' if col.required else 'Facoltativo'}. {what} Esempio: {example}", "welfarectl")
        comment.width, comment.height = 300, 110
        cell.comment = comment
        dimension = sheet.column_dimensions[letter]
        dimension.width = _WIDTHS.get(col.field, 20)
        dimension.protection = Protection(locked=False)  # only the header row is locked
        if col.kind == "date":
            dimension.number_format = "DD/MM/YYYY"
        elif col.field == "codice_fiscale":
            dimension.number_format = "@"
    sheet.freeze_panes = "A2"

    def validation(field: str, **options) -> None:
        index = next(i for i, col in enumerate(EMPLOYEE_COLUMNS) if col.field == field)
        letter = column_letter(index)
        check = DataValidation(allow_blank=True, showErrorMessage=True, showInputMessage=True, **options)
        check.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(check)

    for field in ("hire_date", "leaving_date"):
        validation(field, type="date", operator="between", formula1="DATE(1940,1,1)", formula2="DATE(2100,12,31)",
                   errorTitle="Data non valida", error="Scrivi una data come gg/mm/aaaa, per esempio 01/03/2024.",
                   promptTitle="Data", prompt="gg/mm/aaaa")
    validation("codice_fiscale", type="textLength", operator="equal", formula1="16",
               errorTitle="Codice fiscale non valido",
               error="Il codice fiscale ha 16 caratteri: ricopialo dalla tessera sanitaria.",
               promptTitle="Codice fiscale", prompt="16 caratteri, come sulla tessera sanitaria")
    email = column_letter(next(i for i, col in enumerate(EMPLOYEE_COLUMNS) if col.field == "email"))
    validation("email", type="custom", formula1=f'ISNUMBER(SEARCH("@",{email}2))', errorTitle="E-mail non valida",
               error="Un indirizzo e-mail contiene una @.")
    if sites:
        listed = ",".join(site.replace('"', "'").replace(",", " ") for site in sites)
        if len(listed) <= 250:  # Excel's limit for a list written in the rule itself
            validation("site", type="list", formula1=f'"{listed}"', errorStyle="information",
                       errorTitle="Sede nuova", error="Questa sede non è tra quelle già note: va bene se è nuova.",
                       promptTitle="Sede", prompt="Scegli dall'elenco o scrivi una sede nuova")
    protection = sheet.protection
    protection.sheet = True
    for allowed in ("formatCells", "formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter"):
        setattr(protection, allowed, False)  # False: the clerk may


def _fill_instructions(sheet, company_name: str | None, sites: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    title = "Elenco del personale per la Welfare Card" + (f" – {company_name}" if company_name else "")
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for note in _NOTES:
        sheet.append([note])
    sheet.append([])
    sheet.append(["Colonna", "Obbligatoria", "Cosa scrivere", "Esempio"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for col in EMPLOYEE_COLUMNS:
        what, example = _HELP[col.field]
        if col.field == "site" and sites:
            what += " L'elenco propone le sedi già note: " + ", ".join(sites) + "."
        sheet.append([col.label, "sì" if col.required else "no", what, example])
        sheet.cell(row=sheet.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in (("A", 20), ("B", 13), ("C", 80), ("D", 28)):
        sheet.column_dimensions[letter].width = width
