"""The workbook reader: real .xlsx files in, tables of rows and located problems out, never a traceback."""

import time
import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl.styles import Font
from xlsxfiles import (
    EMPLOYEE_HEADER,
    header_row,
    inline,
    truncate,
    write_lying_zip,
    write_old_xls,
    write_password_protected,
    write_raw_xlsx,
    write_workbook,
    write_zip_bomb,
)

from welfarectl.network.members import EMPLOYEE_COLUMNS
from welfarectl.sources.headers import Column
from welfarectl.sources.tables import Row, Table, read_tables

CF = "RSSMRA85T10A562S"
PERSON = ["Rossi", "Mario", CF, date(2020, 1, 2)]
HEADER = EMPLOYEE_HEADER[:4]


def read(path: Path, columns=EMPLOYEE_COLUMNS):
    tables, problems = read_tables(path, f"members/{path.name}", columns)
    return tables, [(p.code, str(p.location), dict(p.params)) for p in sorted(problems, key=lambda p: p.sort_key())]


def codes(problems):
    return [(code, where) for code, where, _ in problems]


# --- 1. header row ------------------------------------------------------------------------------

def test_header_found_below_title_and_blank_rows_and_columns(tmp_path):
    path = write_workbook(tmp_path / "acme.xlsx", [
        [None, "ACME S.r.l. - elenco dipendenti"], [], [None, "aggiornato al 01/03/2024"], [],
        [None, *HEADER], [None, *PERSON]])
    [table], problems = read(path)
    assert problems == []
    assert (table.file, table.sheet, table.header_row) == ("members/acme.xlsx", "Dipendenti", 5)
    assert table.columns == {"surname": "B", "given_name": "C", "codice_fiscale": "D", "hire_date": "E"}
    assert table.rows == [Row(6, {"surname": "Rossi", "given_name": "Mario", "codice_fiscale": CF,
                                  "hire_date": date(2020, 1, 2)})]
    assert str(table.location(table.rows[0], "codice_fiscale")) == "members/acme.xlsx:Dipendenti!D6"
    assert str(table.location(6)) == "members/acme.xlsx:Dipendenti!A6"


@pytest.mark.parametrize("surname, code, hired", [
    ("Cognome", "Codice Fiscale", "Data assunzione"),
    ("COGNOME ", "C.F.", "Data di assunzione"),
    ("Surname", "CF", "Hire date"),
    ("cognome", "Tax code", "DATA ASSUNZIONE"),
    ("Cognome\u00a0", "Cod. Fiscale", "data_assunzione"),
    ("  Cógnome  ", "codice  fiscale", "Data-di-assunzione:"),
])
def test_headers_match_whatever_the_spelling(tmp_path, surname, code, hired):
    path = write_workbook(tmp_path / "acme.xlsx", [[surname, "Nome", code, hired, "E-mail"],
                                                   [*PERSON, "m@example.it"]])
    [table], problems = read(path)
    assert problems == []
    assert table.columns == {"surname": "A", "given_name": "B", "codice_fiscale": "C", "hire_date": "D",
                             "email": "E"}


def test_two_columns_for_one_field_are_a_duplicate_column(tmp_path):
    path = write_workbook(tmp_path / "acme.xlsx", [["Cognome", "Nome", "CF", "Data assunzione", "Codice fiscale"],
                                                   [*PERSON, "XXX"]])
    [table], problems = read(path)
    assert problems == [("duplicate-column", "members/acme.xlsx:Dipendenti!E1",
                         {"column": "Codice fiscale", "other": "members/acme.xlsx:Dipendenti!C1"})]
    assert table.rows[0].values["codice_fiscale"] == CF  # the first column is the one read


def test_a_header_with_some_required_columns_reports_each_missing_one(tmp_path):
    path = write_workbook(tmp_path / "acme.xlsx", [["Elenco"], ["Cognome e nome", "Codice fiscale", "Data assunzione"],
                                                   ["Rossi Mario", CF, date(2020, 1, 2)]])
    tables, problems = read(path)
    assert tables == []
    assert problems == [("missing-column", "members/acme.xlsx:Dipendenti!A2", {"column": "Cognome"}),
                        ("missing-column", "members/acme.xlsx:Dipendenti!A2", {"column": "Nome"})]


def test_no_header_anywhere_is_one_header_not_found(tmp_path):
    path = write_workbook(tmp_path / "acme.xlsx", {"Foglio1": [["Elenco"], ["Rossi Mario", CF]], "Foglio2": []})
    tables, problems = read(path)
    assert tables == []
    assert problems == [("header-not-found", "members/acme.xlsx", {
        "required": "the columns Cognome, Nome, Codice fiscale and Data assunzione",
        "required_it": "le colonne Cognome, Nome, Codice fiscale e Data assunzione"})]


def test_staff_split_over_sheets_are_all_read_and_notes_sheets_skipped(tmp_path):
    path = write_workbook(tmp_path / "acme.xlsx", {
        "Note": [["Legenda"], ["Cognome"], ["Nome"], ["Codice fiscale"]],
        "Modena": [HEADER, PERSON],
        "Vuoto": [],
        "Carpi": [["Sede di Carpi"], HEADER, ["Bianchi", "Anna", "BNCNNA90A41F257X", "03/04/2021"]]})
    tables, problems = read(path)
    assert problems == []
    assert [(t.sheet, t.header_row, [r.number for r in t.rows]) for t in tables] == [("Modena", 1, [2]), ("Carpi", 2, [3])]


# --- 2. columns not needed ----------------------------------------------------------------------

def test_columns_not_needed_are_never_loaded_and_named_once_per_sheet(tmp_path):
    path = write_workbook(tmp_path / "acme.xlsx", [
        ["Matricola", *HEADER, "IBAN", "RAL", None, "Telefono"],
        [17, *PERSON, "IT60X0542811101000000123456", 31000, None, "333 1234567"]])
    [table], problems = read(path)
    assert problems == [("ignored-column", "members/acme.xlsx:Dipendenti!A1", {"columns": "Matricola, IBAN, RAL, Telefono"})]
    assert set(table.rows[0].values) == {"surname", "given_name", "codice_fiscale", "hire_date"}


# --- 3. dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    (date(2020, 3, 4), date(2020, 3, 4)),
    (datetime(2020, 3, 4, 0, 0), date(2020, 3, 4)),
    ("04/03/2020", date(2020, 3, 4)),
    ("4/3/2020", date(2020, 3, 4)),
    ("04/03/20", date(2020, 3, 4)),
    ("04-03-20", date(2020, 3, 4)),
    ("04-03-2020", date(2020, 3, 4)),
    ("04.03.2020", date(2020, 3, 4)),
    ("2020-03-04", date(2020, 3, 4)),
    ("2020/03/04", date(2020, 3, 4)),
    (" 04/03/2020\u00a0", date(2020, 3, 4)),
    ("01/01/68", date(2068, 1, 1)),
    ("01/01/69", date(1969, 1, 1)),
    (43894, date(2020, 3, 4)),
    (43894.75, date(2020, 3, 4)),
])
def test_dates_are_read_from_cells_text_and_serials(tmp_path, written, expected):
    path = write_workbook(tmp_path / "acme.xlsx", [HEADER, [*PERSON[:3], written]])
    [table], problems = read(path)
    assert problems == []
    assert table.rows[0].values["hire_date"] == expected


@pytest.mark.parametrize("written, shown", [
    ("31/02/2020", "31/02/2020"), ("2020/13/01", "2020/13/01"), ("marzo 2020", "marzo 2020"),
    ("04/03/2020 e poi", "04/03/2020 e poi"), (0, "0"), (2958466, "2958466"), (-5.5, "-5.5"), (True, "TRUE"),
])
def test_anything_else_in_a_date_column_is_an_invalid_date(tmp_path, written, shown):
    path = write_workbook(tmp_path / "acme.xlsx", [HEADER, [*PERSON[:3], written]])
    [table], problems = read(path)
    assert problems == [("invalid-date", "members/acme.xlsx:Dipendenti!D2", {"column": "Data assunzione", "value": shown})]
    assert "hire_date" not in table.rows[0].values and table.rows[0].invalid == ("hire_date",)


# --- 4. text ------------------------------------------------------------------------------------

def test_text_is_stripped_and_numbers_in_text_columns_read_as_written(tmp_path):
    columns = (Column("surname", "Cognome", ("cognome",), required=True), Column("code", "Codice", ("codice",)),
               Column("share", "Quota", ("quota",)))
    path = write_workbook(tmp_path / "x.xlsx", [["Cognome", "Codice", "Quota"],
                                                ["\u00a0De\u00a0Luca  ", 12345, 0.5]])
    [table], problems = read(path, columns)
    assert problems == []
    assert table.rows[0].values == {"surname": "De Luca", "code": "12345", "share": "0.5"}


def test_number_columns_accept_numbers_and_numeric_text(tmp_path):
    columns = (Column("name", "Nome", ("nome",), required=True), Column("n", "Figli", ("figli",), kind="number"))
    path = write_workbook(tmp_path / "x.xlsx", [["Nome", "Figli"], ["a", 2], ["b", "3"], ["c", "1,5"], ["d", "due"]])
    [table], problems = read(path, columns)
    assert [row.values.get("n") for row in table.rows] == [2, 3, 1.5, None]
    assert problems == [("invalid-value", "members/x.xlsx:Dipendenti!B5", {"field": "Figli", "detail": "'due' is not a number",
                                                                           "detail_it": "'due' non è un numero"})]


# --- 5. blank rows ------------------------------------------------------------------------------

def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(tmp_path):
    path = write_workbook(tmp_path / "acme.xlsx", [
        ["Titolo"], HEADER + ["Note"], PERSON + ["x"], [None, None, "  ", None, "solo una nota"],
        [], ["Bianchi", "Anna", "BNCNNA90A41F257X", date(2021, 4, 3)]])
    [table], _ = read(path)
    assert [row.number for row in table.rows] == [3, 6]


def test_header_rows_repeated_on_every_printed_page_are_not_data(tmp_path):
    path = write_workbook(tmp_path / "acme.xlsx", [HEADER, PERSON, [], HEADER, PERSON])
    [table], problems = read(path)
    assert problems == [] and [row.number for row in table.rows] == [2, 5]


# --- 6. formulas --------------------------------------------------------------------------------

def test_a_formula_never_calculated_is_an_error_at_its_cell(tmp_path):
    # openpyxl writes formulas without a cached value, like many export tools
    path = write_workbook(tmp_path / "acme.xlsx", [
        HEADER + ["Totale"], ["Rossi", "Mario", '=UPPER("rssmra85t10a562s")', date(2020, 1, 2), "=1+1"]])
    [table], problems = read(path)
    assert problems == [("ignored-column", "members/acme.xlsx:Dipendenti!E1", {"columns": "Totale"}),
                        ("formula-without-value", "members/acme.xlsx:Dipendenti!C2", {})]
    assert table.rows[0].invalid == ("codice_fiscale",)


def test_formulas_with_cached_values_are_read_as_their_values(tmp_path):
    data = (header_row(1, HEADER) +
            '<row r="2">' + inline("A2", "Rossi") + inline("B2", "Mario") +
            f'<c r="C2" t="str"><f>UPPER(X2)</f><v>{CF}</v></c><c r="D2"><f>DATE(2020,1,2)</f><v>43832</v></c></row>'
            '<row r="3">' + inline("A3", "Verdi") + '<c r="B3" t="str"><f>IF(X3="","",X3)</f><v></v></c></row>')
    path = write_raw_xlsx(tmp_path / "acme.xlsx", data)
    [table], problems = read(path)
    assert codes(problems) == []
    assert table.rows[0].values == {"surname": "Rossi", "given_name": "Mario", "codice_fiscale": CF,
                                    "hire_date": date(2020, 1, 2)}
    assert table.rows[1].values == {"surname": "Verdi"}


def test_formula_cells_are_found_in_rows_and_cells_without_references(tmp_path):
    data = (header_row(1, HEADER) + '<row>' + inline("A2", "Rossi") + '<c><is><t>Mario</t></is></c>'
            '<c><f>X2</f></c></row>')
    path = write_raw_xlsx(tmp_path / "acme.xlsx", data.replace('r="A2" ', ''))
    _, problems = read(path)
    assert codes(problems) == [("formula-without-value", "members/acme.xlsx:Dipendenti!C2")]


# --- 7. merged cells ----------------------------------------------------------------------------

def test_merged_cells_in_the_data_copy_their_value_with_a_warning(tmp_path):
    def merge(book):
        sheet = book["Dipendenti"]
        sheet.merge_cells("A1:D1")  # a title banner: fine
        sheet.merge_cells("D3:D4")  # the same hire date for two people
    path = write_workbook(tmp_path / "acme.xlsx", [
        ["Elenco dipendenti"], HEADER, PERSON, ["Bianchi", "Anna", "BNCNNA90A41F257X"]], merge)
    [table], problems = read(path)
    assert problems == [("merged-cells", "members/acme.xlsx:Dipendenti!D3", {"range": "D3:D4", "first": "D3"})]
    assert [row.values["hire_date"] for row in table.rows] == [date(2020, 1, 2)] * 2


# --- 8. hidden rows, columns, sheets ------------------------------------------------------------

def test_hidden_rows_and_columns_are_read_with_a_warning(tmp_path):
    def hide(book):
        sheet = book["Dipendenti"]
        for number in (3, 5, 6, 7, 9):
            sheet.row_dimensions[number].hidden = True
        sheet.column_dimensions["B"].hidden = True
        sheet.column_dimensions["F"].hidden = True  # a column the network does not read: no warning
    people = [[f"Rossi{n}", "Mario", CF[:-1] + "S", date(2020, 1, 2), None, "x"] for n in range(8)]
    path = write_workbook(tmp_path / "acme.xlsx", [HEADER + ["Data cessazione", "Note"], *people[:7], [], people[7]], hide)
    [table], problems = read(path)
    assert len(table.rows) == 8
    assert problems == [  # row 9 is hidden but blank: not worth a word
        ("hidden-cells", "members/acme.xlsx:Dipendenti", {"what": "columns", "what_it": "Colonne", "which": "B"}),
        ("hidden-cells", "members/acme.xlsx:Dipendenti", {"what": "rows", "what_it": "Righe", "which": "3, 5-7"}),
        ("ignored-column", "members/acme.xlsx:Dipendenti!F1", {"columns": "Note"})]


def test_a_hidden_sheet_with_staff_is_read_with_a_warning(tmp_path):
    def hide(book):
        book["Vecchi"].sheet_state = "hidden"
        book["Appunti"].sheet_state = "hidden"
    path = write_workbook(tmp_path / "acme.xlsx", {"Dipendenti": [HEADER, PERSON], "Vecchi": [HEADER, PERSON],
                                                   "Appunti": [["niente"]]}, hide)
    tables, problems = read(path)
    assert [t.sheet for t in tables] == ["Dipendenti", "Vecchi"]
    assert problems == [("hidden-cells", "members/acme.xlsx:Vecchi", {"what": "sheet", "what_it": "Schede", "which": "'Vecchi'"})]


# --- 9. files that are not workbooks -------------------------------------------------------------

def good(tmp_path: Path, name="good.xlsx") -> Path:
    return write_workbook(tmp_path / name, [HEADER, PERSON])


@pytest.mark.parametrize("make, reason, reason_it", [
    (lambda p: p.write_text("Cognome;Nome;CF\nRossi;Mario;RSSMRA85T10A562S\n"),
     "not a zip file (perhaps a CSV or text file renamed .xlsx)", "non è un file zip (forse un file CSV o di testo rinominato .xlsx)"),
    (lambda p: p.write_text("<!DOCTYPE html><html><body>Login</body></html>"),
     "not a zip file but a web page (HTML) renamed .xlsx", "non è un file zip ma una pagina web (HTML) rinominata .xlsx"),
    (lambda p: p.write_bytes(b""), "the file is empty", "il file è vuoto"),
    (lambda p: truncate(good(p.parent, "acme.xlsx")), "the file is truncated or damaged (incomplete zip archive)",
     "il file è troncato o danneggiato (archivio zip incompleto)"),
    (write_old_xls, "an old .xls file: save it as .xlsx", "un vecchio file .xls: salvalo come .xlsx"),
    (write_password_protected, "password-protected: save it again without a password",
     "protetto da password: salvalo di nuovo senza password"),
])
def test_files_that_are_not_xlsx_give_one_problem_with_the_reason(tmp_path, make, reason, reason_it):
    path = tmp_path / "acme.xlsx"
    make(path)
    tables, problems = read(path)
    assert tables == []
    assert problems == [("unreadable-workbook", "members/acme.xlsx", {"reason": reason, "reason_it": reason_it})]


def test_a_zip_without_a_workbook_is_unreadable(tmp_path):
    with zipfile.ZipFile(tmp_path / "acme.xlsx", "w") as archive:
        archive.writestr("dipendenti.csv", "Cognome;Nome\n")
    _, problems = read(tmp_path / "acme.xlsx")
    assert problems == [("unreadable-workbook", "members/acme.xlsx",
                         {"reason": "a zip file without xl/workbook.xml, not an Excel workbook",
                          "reason_it": "un archivio zip senza xl/workbook.xml, non una cartella di lavoro Excel"})]


def test_a_damaged_sheet_is_unreadable_not_a_traceback(tmp_path):
    path = write_raw_xlsx(tmp_path / "acme.xlsx", header_row(1, HEADER) + '<row r="2"><c r="A2" t="inlineStr"><is><t>Ro')
    tables, problems = read(path)
    assert tables == [] and [code for code, _ in codes(problems)] == ["unreadable-workbook"]


def test_a_member_lying_about_its_size_is_refused(tmp_path):
    path = write_lying_zip(tmp_path / "acme.xlsx", good(tmp_path))
    tables, problems = read(path)
    assert tables == []
    assert codes(problems) == [("unreadable-workbook", "members/acme.xlsx")]
    assert "CRC" in problems[0][2]["reason"]


# --- 10. zip bombs ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return write_zip_bomb(tmp_path_factory.mktemp("bomb") / "acme.xlsx", megabytes=300)


def test_a_zip_bomb_is_refused_quickly_in_bounded_memory(bomb):
    assert bomb.stat().st_size < 2_000_000
    tracemalloc.start()
    started = time.perf_counter()
    tables, problems = read(bomb)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 2
    assert peak < 20 * 2**20
    assert tables == []
    assert problems == [("workbook-too-large", "members/acme.xlsx", {"size": "300 MB", "limit": "256 MB", "limit_it": "256 MB"})]


def test_a_highly_compressed_member_is_refused_even_under_the_total_limit(tmp_path):
    path = write_zip_bomb(tmp_path / "acme.xlsx", megabytes=30)
    _, problems = read(path)
    assert problems == [("workbook-too-large", "members/acme.xlsx",
                         {"size": "30 MB", "limit": "20 MB, compressed over 200:1",
                          "limit_it": "20 MB, compresso oltre 200:1"})]


# --- 11. XML is parsed safely --------------------------------------------------------------------

def test_xml_entities_are_refused_not_expanded(tmp_path):
    path = good(tmp_path, "acme.xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<workbook", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><workbook', 1)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    tables, problems = read(path)
    assert tables == [] and codes(problems) == [("unreadable-workbook", "members/acme.xlsx")]


def test_a_workbook_written_with_styles_and_frozen_panes_reads_cleanly(tmp_path):
    def style(book):
        sheet = book["Dipendenti"]
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    path = write_workbook(tmp_path / "acme.xlsx", [EMPLOYEE_HEADER, [*PERSON, None, "m@example.it", "Modena"]], style)
    [table], problems = read(path)
    assert problems == []
    assert table.rows[0].values["site"] == "Modena" and isinstance(table, Table)
