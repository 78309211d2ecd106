"""HR intake: the template, imports of the messy files HR offices really send, feedback to the
clerk, the difference against the current workbook, and the right to erasure. Real files (written
by openpyxl as HR software would, CSV bytes in Windows-1252 and UTF-8 with a BOM), the real
command line, on the fixed day 26/11/2026."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from stdnum.it import codicefiscale
from xlsxfiles import write_workbook

from welfarectl.cards.registryread import read_events, read_registry
from welfarectl.network.members import read_staff

PANARO = "meccanica-panaro"  # a member company of the sample without a workbook in the small network
ACETAIA = "acetaia-il-cortile-antico"
IBAN = "IT60X0542811101000000123456"
HYPERLINK = '=HYPERLINK("http://example.invalid";"clic")'


def cf(n: int, stem: str = "VRDLCU") -> str:
    code = f"{stem}{60 + n:02d}A01F257"
    return code + codicefiscale.calc_check_digit(code)


def members_bytes(root: Path) -> bytes:
    """Everything under members/, workbooks unzipped: what a search for a string would find."""
    found = b""
    for path in sorted((root / "members").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    data = b"".join(archive.read(name) for name in archive.namelist())
            found += data
    return found


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "members").rglob("*")) if p.is_file()}


def messy_workbook(path: Path, rows: list[list]) -> Path:
    """A payroll export: a title row and a banner over two header groups (merged), accented Italian
    headers, columns the network must not keep, the header on row 3."""
    header = ["Matricola", "Cognome", "Nome", "Cod. Fiscale", "Data d'assunzione", "Data di cessazione", "Unità locale",
              "Città di residenza", "IBAN", "Retribuzione lorda", "Data di nascita"]

    def setup(book) -> None:
        sheet = book["Dipendenti"]
        sheet.merge_cells("A1:K1")
        sheet.merge_cells("A2:D2")
        sheet.merge_cells("E2:G2")
        for row in sheet.iter_rows(min_row=4):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, as a CSV import leaves it

    return write_workbook(path, [["Elenco del personale al 31/10/2026"], ["Anagrafica", None, None, None, "Rapporto"],
                                 header, *rows], setup)


MESSY_ROWS = [
    [1, "De' Medici", "Niccolò", cf(1).lower(), "01/03/2020", None, "Sede di Carpi", "Forlì", IBAN, 2345.5, date(1980, 1, 1)],
    [2, "  D'Angelo ", "Maria   Luisa", cf(2), "2019-07-15", None, "Magazzino", "Modena", IBAN, 1999, date(1981, 2, 2)],
    [3, "Bianchi", HYPERLINK, cf(3), "05.09.2018", "30.06.2026", None, "Carpi", IBAN, 1800, date(1982, 3, 3)],
    [4, "Neri", "Anna", cf(4), 43831, None, "-Uffici", "Modena", IBAN, 1700, date(1983, 4, 4)],
    [5, "Gialli", "Piero", cf(5), datetime(2021, 2, 1), None, None, "Modena", IBAN, 1650, date(1984, 5, 5)],
]


def test_a_messy_payroll_export_is_imported_with_only_the_networks_columns(small_network, tmp_path, welfarectl):
    sent = messy_workbook(tmp_path / "export.xlsx", MESSY_ROWS)
    done = welfarectl("-C", small_network, "members", "import", sent, "--company", PANARO)
    assert done.exit_code == 0, done.output
    assert "Matricola, Città di residenza, IBAN, Retribuzione lorda, Data di nascita" in done.stderr
    assert "joiners (5)" in done.stdout and "5 people read -> members/meccanica-panaro.xlsx" in done.stdout
    target = small_network / "members" / f"{PANARO}.xlsx"
    people = {p.codice_fiscale: p for p in read_staff(target, "t", PANARO)[0]}
    assert sorted(people) == [cf(n) for n in range(1, 6)]  # codici fiscali upper-cased
    assert (people[cf(1)].surname, people[cf(1)].given_name) == ("De' Medici", "Niccolò")  # no title-casing
    assert (people[cf(2)].surname, people[cf(2)].given_name) == ("D'Angelo", "Maria Luisa")  # stray spaces only
    assert [people[cf(n)].hire_date for n in range(1, 6)] == [date(2020, 3, 1), date(2019, 7, 15), date(2018, 9, 5),
                                                             date(2020, 1, 1), date(2021, 2, 1)]
    assert people[cf(3)].leaving_date == date(2026, 6, 30)
    book = load_workbook(target)
    assert book.sheetnames == ["Dipendenti"]
    assert [c.value for c in book["Dipendenti"][1]] == ["Cognome", "Nome", "Codice fiscale", "Data assunzione",
                                                        "Data cessazione", "E-mail", "Sede"]
    cells = {c.value: c for row in book["Dipendenti"].iter_rows() for c in row if c.value is not None}
    assert cells[HYPERLINK].data_type == "s" and cells[HYPERLINK].quotePrefix  # text, never a formula
    assert cells["-Uffici"].data_type == "s" and cells["-Uffici"].quotePrefix
    stored = members_bytes(small_network)
    assert IBAN.encode() not in stored and b"<f>" not in stored and "Forlì".encode() not in stored
    again = welfarectl("-C", small_network, "members", "import", sent, "--company", PANARO)
    assert "no change to the people" in again.stdout and "already says the same" in again.stdout


def test_a_windows_1252_csv_with_semicolons_and_a_utf8_one_with_a_bom(small_network, tmp_path, welfarectl):
    text = ("Cognome;Nome;Codice fiscale;Data assunzione;Città;Stipendio\r\n"
            f"Niccolò;Cantù;{cf(1)};01/03/2020;Forlì;1.234,56\r\n"
            f"Müller;José;{cf(2)};15-07-19;Cantù;2.000,00\r\n")
    for name, data in (("cp1252.csv", text.encode("cp1252")), ("bom.csv", text.encode("utf-8-sig"))):
        (tmp_path / name).write_bytes(data)
        done = welfarectl("-C", small_network, "members", "import", tmp_path / name, "--company", PANARO)
        assert done.exit_code == 0, done.output
        people = read_staff(small_network / "members" / f"{PANARO}.xlsx", "t", PANARO)[0]
        assert {(p.surname, p.given_name, p.hire_date) for p in people} == {
            ("Niccolò", "Cantù", date(2020, 3, 1)), ("Müller", "José", date(2019, 7, 15))}
    assert b"1.234,56" not in members_bytes(small_network)


def test_errors_are_listed_by_cell_nothing_is_written_and_feedback_marks_the_cells(small_network, tmp_path, welfarectl):
    rows = [list(row) for row in MESSY_ROWS]
    rows[1][3] = cf(1)  # the same person twice
    rows[3][3] = cf(4)[:-1] + ("A" if cf(4)[-1] != "A" else "B")  # a wrong check character
    sent = messy_workbook(tmp_path / "export.xlsx", rows)
    before = snapshot(small_network)
    done = welfarectl("-C", small_network, "members", "import", sent, "--company", ACETAIA,
                      "--feedback", tmp_path / "correggere.xlsx")
    assert done.exit_code == 1
    assert f"{sent}:Dipendenti!D5: error[duplicate-codice-fiscale]" in done.stdout
    assert f"{sent}:Dipendenti!D7: error[invalid-codice-fiscale]" in done.stdout
    assert "nothing was written" in done.stderr and snapshot(small_network) == before
    feedback = load_workbook(tmp_path / "correggere.xlsx")
    assert feedback.sheetnames == ["Da correggere", "Dipendenti"]
    bad = feedback["Dipendenti"]["D7"]
    assert bad.fill.fgColor.rgb.endswith("FFC7CE") and "carattere di controllo sbagliato" in bad.comment.text
    assert "tessera sanitaria" in bad.comment.text and feedback["Dipendenti"]["D5"].comment is not None
    assert feedback["Dipendenti"]["A4"].comment is None
    assert [row[:2] for row in feedback["Da correggere"].iter_rows(min_row=2, values_only=True)] == [
        ("Dipendenti", "D5"), ("Dipendenti", "D7")]


def test_csv_errors_are_located_by_line_and_column(small_network, tmp_path, welfarectl):
    (tmp_path / "list.csv").write_bytes((f"Cognome;Nome;CF;Data assunzione\nRossi;Ada;{cf(1)};31/02/2020\n"
                                         f"Verdi;;{cf(2)};01/01/2020\n").encode("cp1252"))
    done = welfarectl("-C", small_network, "members", "import", tmp_path / "list.csv", "--company", PANARO,
                      "--feedback", tmp_path / "fb.xlsx")
    assert done.exit_code == 1
    assert f"{tmp_path / 'list.csv'}:2:4: error[invalid-date]" in done.stdout
    assert f"{tmp_path / 'list.csv'}:3:2: error[missing-value]" in done.stdout
    sheet = load_workbook(tmp_path / "fb.xlsx")["list"]
    assert "non è una data" in sheet["D2"].comment.text and sheet["B3"].comment is not None


def test_the_difference_leavers_keep_missing_dry_run_and_map(small_network, tmp_path, welfarectl):
    target = small_network / "members" / f"{ACETAIA}.xlsx"
    current = read_staff(target, "t", ACETAIA)[0]
    staying = [p for p in current if p.leaving_date is None][:3]
    gone = next(p for p in current if p.leaving_date is None and p not in staying)
    header = ["Cod. dip.", "Cognome", "Nome", "Matricola", "Data assunzione"]
    rows = [[p.codice_fiscale, p.surname, p.given_name, "M1", p.hire_date] for p in staying]
    rows[0][2] = rows[0][2] + " Maria"
    rows.append([cf(9), "Nuovi", "Nina", "M9", date(2026, 11, 2)])
    sent = write_workbook(tmp_path / "list.xlsx", [header, *rows])
    maps = ("--map", "Cod. dip.=Codice fiscale", "--map", "Matricola=skip")
    before = snapshot(small_network)
    dry = welfarectl("-C", small_network, "members", "import", sent, "--company", ACETAIA, "--dry-run", *maps)
    assert dry.exit_code == 0, dry.output
    assert snapshot(small_network) == before and "nothing written" in dry.stdout
    assert f"Nuovi Nina ({cf(9)})" in dry.stdout
    assert f"{gone.surname} {gone.given_name} ({gone.codice_fiscale}): leaving date 26/11/2026" in dry.stdout
    assert f"Nome {staying[0].given_name} -> {staying[0].given_name} Maria" in dry.stdout
    kept = welfarectl("-C", small_network, "members", "import", sent, "--company", ACETAIA, "--keep-missing", *maps)
    assert kept.exit_code == 0 and "leavers (" not in kept.stdout
    assert {p.codice_fiscale: p.leaving_date for p in read_staff(target, "t", ACETAIA)[0]}[gone.codice_fiscale] is None
    done = welfarectl("-C", small_network, "members", "import", sent, "--company", ACETAIA, *maps)
    assert done.exit_code == 0, done.output
    people = {p.codice_fiscale: p for p in read_staff(target, "t", ACETAIA)[0]}
    assert people[gone.codice_fiscale].leaving_date == date(2026, 11, 26) and cf(9) in people
    unknown = welfarectl("-C", small_network, "members", "import", sent, "--company", ACETAIA, "--map", "X=Codice fisc")
    assert unknown.exit_code == 2 and "did you mean 'Codice fiscale'" in unknown.stderr


def test_round_trip_template_filled_in_imported_validates_clean(small_network, tmp_path, welfarectl):
    write_workbook(small_network / "members" / f"{PANARO}.xlsx", [["Cognome", "Nome", "CF", "Data assunzione", "Sede"],
                                                                 ["Neri", "Ida", cf(6), date(2020, 1, 1), "Magazzino"]])
    made = welfarectl("-C", small_network, "members", "template", "--company", PANARO, "-o", tmp_path / "modello.xlsx")
    assert made.exit_code == 0, made.output
    book = load_workbook(tmp_path / "modello.xlsx")
    assert book.sheetnames == ["Dipendenti", "Istruzioni"]
    sheet = book["Dipendenti"]
    assert sheet.freeze_panes == "A2" and sheet.protection.sheet and sheet["A1"].protection.locked
    assert sheet.column_dimensions["A"].protection.locked is False
    rules = {str(v.sqref): v.type for v in sheet.data_validations.dataValidation}
    assert rules["C2:C2001"] == "textLength" and rules["D2:D2001"] == "date" and rules["G2:G2001"] == "list"
    assert "Codice fiscale" in [c.value for c in book["Istruzioni"]["A"]]
    assert "Meccanica Panaro" in book["Istruzioni"]["A1"].value
    sheet.append(["Rossi", "Ada", cf(7), date(2024, 3, 1), None, "ada.rossi@example.invalid", "Magazzino"])
    sheet.append(["D'Amico", "Ugo", cf(8), date(2025, 1, 15)])
    book.save(tmp_path / "compilato.xlsx")
    done = welfarectl("-C", small_network, "members", "import", tmp_path / "compilato.xlsx", "--company", PANARO)
    assert done.exit_code == 0, done.output
    checked = welfarectl("-C", small_network, "validate", "--format", "json")
    assert checked.exit_code == 0
    assert [p for p in json.loads(checked.stdout)["problems"] if p["file"] == f"members/{PANARO}.xlsx"] == []


def test_the_template_opens_without_warnings_in_libreoffice(small_network, tmp_path, welfarectl):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("soffice not installed (libreoffice-calc-nogui; `.ci/run` installs it): "
                    "the template was not opened in LibreOffice")
    welfarectl("-C", small_network, "members", "template", "-o", tmp_path / "modello.xlsx")
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "csv",
                           "--outdir", str(tmp_path), str(tmp_path / "modello.xlsx")],
                          capture_output=True, text=True, timeout=120, check=False)
    complaints = [line for line in done.stderr.splitlines() if line.strip() and "javaldx" not in line]
    assert done.returncode == 0 and complaints == [], done.stderr
    assert (tmp_path / "modello.csv").read_text().startswith("Cognome,Nome,Codice fiscale,Data assunzione")


# --- the right to erasure ------------------------------------------------------------------------


def as_before_pseudonyms(root: Path) -> None:
    """Turn the registry into one written before pseudonyms: holders by codice fiscale, chained again."""
    registry, _ = read_registry(root)
    lines, previous = [], None
    for event in read_events(root):
        fields = dict(event.fields)
        if event.kind == "issued":
            fields["holder"] = registry.cards[fields["card"]].holder
        fields["prev"] = previous
        line = json.dumps(fields, separators=(",", ":")).encode()
        previous = hashlib.sha256(line).hexdigest()
        lines.append(line)
    (root / "members" / "cards.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))
    (root / "members" / "cards.head").write_text(json.dumps({"lines": len(lines), "last": previous}) + "\n")
    (root / "members" / "holders.jsonl").unlink()


def test_forget_leaves_no_trace_and_the_registry_still_validates_and_catches_an_edit(issued_network, issued_copy,
                                                                                    welfarectl):
    as_before_pseudonyms(issued_copy)
    registry, _ = read_registry(issued_copy)
    card = next(c for c in registry.cards.values() if c.company == ACETAIA)
    person = next(p for p in read_staff(issued_copy / "members" / f"{ACETAIA}.xlsx", "t", ACETAIA)[0]
                  if p.codice_fiscale == card.holder)
    assert person.codice_fiscale.encode() in (issued_copy / "members" / "cards.jsonl").read_bytes()
    done = welfarectl("-C", issued_copy, "members", "forget", person.codice_fiscale.lower())
    assert done.exit_code == 0, done.output
    assert "1 row removed from members/acetaia-il-cortile-antico.xlsx; 1 active card revoked" in done.stdout
    stored = members_bytes(issued_copy)
    for trace in (person.codice_fiscale, person.surname, person.given_name, *registry.cards.keys()):
        assert (trace.encode() in stored) == (trace in registry.cards), trace  # card numbers stay, the person goes
    after, problems = read_registry(issued_copy)
    assert problems == [] and after.cards[card.number].reason == "withdrawn"
    assert not any(c.holder == person.codice_fiscale for c in after.cards.values())
    events = list(read_events(issued_copy))
    assert events[-2].kind == "pseudonymised" and events[-2].fields["was"] == registry.last_hash
    checked = welfarectl("-C", issued_copy, "validate", "--format", "json")
    assert checked.exit_code == 0, checked.output
    lines = (issued_copy / "members" / "cards.jsonl").read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b'"date":"2026-11-26"', b'"date":"2026-11-25"')
    (issued_copy / "members" / "cards.jsonl").write_bytes(b"\n".join(lines))
    edited = welfarectl("-C", issued_copy, "validate")
    assert edited.exit_code == 1 and "members/cards.jsonl:3: error[registry-line-edited]" in edited.stdout


def test_forget_refuses_someone_unknown_and_lists_files_it_does_not_own(issued_copy, tmp_path, welfarectl):
    unknown = welfarectl("-C", issued_copy, "members", "forget", cf(30))
    assert unknown.exit_code == 2 and "no one with the codice fiscale" in unknown.stderr
    person = read_staff(issued_copy / "members" / f"{ACETAIA}.xlsx", "t", ACETAIA)[0][0]
    (issued_copy / "members" / "export-hr.csv").write_text(f"{person.surname};{person.given_name};x\n", encoding="utf-8")
    done = welfarectl("-C", issued_copy, "members", "forget", person.codice_fiscale, "--company", ACETAIA)
    assert done.exit_code == 1 and "members/export-hr.csv" in done.stderr
    assert person.codice_fiscale.encode() not in members_bytes(issued_copy)
