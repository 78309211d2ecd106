"""Employee workbooks: which files are read, and the rules of each row, each at its cell."""

from datetime import date
from pathlib import Path

import pytest
from xlsxfiles import EMPLOYEE_HEADER, write_workbook

from welfarectl.network.members import Employee, list_workbooks
from welfarectl.network.staff import load_employees

ROSSI = "RSSMRA85T10A562S"
ROSSI_OMOCODIA = "RSSMRA85T10A56NH"  # the same person after an omocodia substitution
BIANCHI = "BNCNNA90A41F257F"
VERDI = "VRDLGU70M01F257R"


def network(tmp_path: Path, rows: list[list], company: str = "acme") -> Path:
    write_workbook(tmp_path / "members" / f"{company}.xlsx", [EMPLOYEE_HEADER, *rows])
    return tmp_path


def found(root: Path):
    employees, problems = load_employees(root)
    return employees, [(p.code, str(p.location), dict(p.params)) for p in sorted(problems, key=lambda p: p.sort_key())]


def test_list_workbooks_skips_the_survey_lock_files_hidden_files_and_cards(tmp_path):
    members = tmp_path / "members"
    members.mkdir()
    for name in ("zeta.xlsx", "acme.xlsx", "Beta.XLSX", "survey.xlsx", "~$acme.xlsx", ".acme.xlsx",
                 "cards.xlsx", "cards.pdf", "notes.txt", "old.xls"):
        (members / name).write_bytes(b"")
    assert [p.name for p in list_workbooks(tmp_path)] == ["Beta.XLSX", "acme.xlsx", "zeta.xlsx"]
    assert list_workbooks(tmp_path / "nowhere") == []


def test_good_rows_become_employees_of_the_company_named_by_the_file(tmp_path):
    root = network(tmp_path, [
        ["Rossi", "Mario", "rssmra 85t10 a562s", "02/01/2020", None, "mario.rossi@acme.it", "Modena"],
        ["Bianchi", "Anna", BIANCHI, date(2021, 4, 3), date(2024, 6, 30), None, None]])
    employees, problems = found(root)
    assert problems == []
    rossi, bianchi = employees
    assert (rossi.company, rossi.surname, rossi.given_name, rossi.codice_fiscale, rossi.hire_date, rossi.leaving_date,
            rossi.email, rossi.site, rossi.row) == ("acme", "Rossi", "Mario", ROSSI, date(2020, 1, 2), None,
                                                    "mario.rossi@acme.it", "Modena", 2)
    assert str(bianchi.location("codice_fiscale")) == "members/acme.xlsx:Dipendenti!C3"
    assert str(bianchi.location()) == "members/acme.xlsx:Dipendenti!A3"
    assert bianchi.is_current(date(2024, 6, 29)) and not bianchi.is_current(date(2024, 6, 30))
    assert rossi.is_current(date(2099, 1, 1))


def test_an_empty_required_cell_is_missing_value_with_the_column_label(tmp_path):
    root = network(tmp_path, [["Rossi", None, ROSSI, None], [None, "Anna", BIANCHI, date(2021, 4, 3)]])
    employees, problems = found(root)
    assert employees == []
    assert problems == [("missing-value", "members/acme.xlsx:Dipendenti!B2", {"column": "Nome"}),
                        ("missing-value", "members/acme.xlsx:Dipendenti!D2", {"column": "Data assunzione"}),
                        ("missing-value", "members/acme.xlsx:Dipendenti!A3", {"column": "Cognome"})]


@pytest.mark.parametrize("written, value, reason, reason_it", [
    ("RSSMRA85T10A562", "RSSMRA85T10A562", "wrong length: 16 characters expected", "lunghezza sbagliata: sono attesi 16 caratteri"),
    ("RSSMRA85T10A562X", "RSSMRA85T10A562X", "wrong check character", "carattere di controllo sbagliato"),
    ("RSSMRA85T10A5!2S", "RSSMRA85T10A5!2S", "invalid characters", "caratteri non ammessi"),
    ("rss.mra.85t10.a562x", "RSSMRA85T10A562X", "wrong check character", "carattere di controllo sbagliato"),
])
def test_an_invalid_codice_fiscale_is_reported_with_the_reason(tmp_path, written, value, reason, reason_it):
    root = network(tmp_path, [["Rossi", "Mario", written, date(2020, 1, 2)]])
    employees, problems = found(root)
    assert employees == []
    assert problems == [("invalid-codice-fiscale", "members/acme.xlsx:Dipendenti!C2",
                         {"value": value, "reason": reason, "reason_it": reason_it})]


def test_omocodia_variants_are_valid(tmp_path):
    employees, problems = found(network(tmp_path, [["Rossi", "Mario", ROSSI_OMOCODIA, date(2020, 1, 2)]]))
    assert problems == [] and employees[0].codice_fiscale == ROSSI_OMOCODIA


def test_leaving_before_hiring_is_a_date_order_error_at_the_leaving_date(tmp_path):
    root = network(tmp_path, [["Rossi", "Mario", ROSSI, "02/01/2020", "31/12/2019"]])
    employees, problems = found(root)
    assert employees == []
    assert problems == [("date-order", "members/acme.xlsx:Dipendenti!E2", {
        "later_field": "Data cessazione", "later": "31/12/2019", "earlier_field": "Data assunzione",
        "earlier": "02/01/2020"})]


def test_the_same_person_twice_in_one_workbook_is_reported_at_the_second(tmp_path):
    root = network(tmp_path, [["Rossi", "Mario", ROSSI, date(2020, 1, 2)],
                              ["Bianchi", "Anna", BIANCHI, date(2021, 4, 3)],
                              ["Rossi", "M.", "rssmra85t10a562s", date(2022, 1, 1)]])
    employees, problems = found(root)
    assert [e.surname for e in employees] == ["Rossi", "Bianchi"]
    assert problems == [("duplicate-codice-fiscale", "members/acme.xlsx:Dipendenti!C4",
                         {"value": ROSSI, "other": "members/acme.xlsx:Dipendenti!C2"})]


def test_the_same_person_in_two_companies_is_left_to_the_cross_company_check(tmp_path):
    network(tmp_path, [["Rossi", "Mario", ROSSI, date(2020, 1, 2)]], "acme")
    network(tmp_path, [["Rossi", "Mario", ROSSI, date(2020, 1, 2)]], "beta")
    employees, problems = found(tmp_path)
    assert problems == [] and [e.company for e in employees] == ["acme", "beta"]


def test_every_problem_of_a_row_is_reported_once_and_the_row_gives_no_employee(tmp_path):
    root = network(tmp_path, [[None, "Mario", "XYZ", "31/02/2020", "01/01/2019"],
                              ["Verdi", "Luigi", VERDI, date(2019, 9, 1)]])
    employees, problems = found(root)
    assert [e.surname for e in employees] == ["Verdi"]
    assert problems == [
        ("missing-value", "members/acme.xlsx:Dipendenti!A2", {"column": "Cognome"}),
        ("invalid-codice-fiscale", "members/acme.xlsx:Dipendenti!C2", {"value": "XYZ", "reason": "wrong length: 16 characters expected",
                                                                       "reason_it": "lunghezza sbagliata: sono attesi 16 caratteri"}),
        ("invalid-date", "members/acme.xlsx:Dipendenti!D2", {"column": "Data assunzione", "value": "31/02/2020"}),
    ]  # no missing-value for the unreadable hire date, no date-order against it


def test_workbook_problems_come_through_with_the_workbook_location(tmp_path):
    (tmp_path / "members").mkdir()
    (tmp_path / "members" / "acme.xlsx").write_text("Cognome;Nome\n")
    employees, problems = found(tmp_path)
    assert employees == [] and [code for code, _, _ in problems] == ["unreadable-workbook"]


def test_employees_compare_without_their_table(tmp_path):
    employees, _ = found(network(tmp_path, [["Rossi", "Mario", ROSSI, date(2020, 1, 2)]]))
    assert isinstance(employees[0], Employee) and "rows=" not in repr(employees[0])
    assert len({employees[0]}) == 1


def test_workbooks_read_on_two_cores_give_what_reading_them_here_gives(tmp_path, monkeypatch):
    """A region's workbooks are read by forked workers that send their employees back in columns:
    the same employees in the same order, with their cells' places, the same rows with errors and
    the same problems, a broken workbook among them included."""
    import shutil

    from networks import ROOT
    from xlsxfiles import truncate

    from welfarectl.network import staff

    (tmp_path / "members").mkdir()
    for path in list_workbooks(ROOT)[:12]:
        shutil.copy(path, tmp_path / "members")
    write_workbook(tmp_path / "members" / "acme.xlsx", [EMPLOYEE_HEADER, ["Rossi", "Mario", ROSSI, "02/01/2020"],
                                                        ["Bianchi", "", "BNCNNA90A41F257X", "31/02/2020"]])
    shutil.copy(tmp_path / "members" / "acme.xlsx", tmp_path / "members" / "broken.xlsx")
    truncate(tmp_path / "members" / "broken.xlsx")
    here = staff.load_staff(tmp_path, workers=1)
    monkeypatch.setattr(staff, "PARALLEL_FROM", 0)
    told = []
    forked = staff.load_staff(tmp_path, lambda read, total: told.append((read, total)), workers=2)
    assert forked == here and len(here[0]) > 500 and here[1] and here[2]
    assert [str(p.location("codice_fiscale")) for p in forked[0]] == [str(p.location("codice_fiscale")) for p in here[0]]
    assert [type(p.hire_date) for p in forked[0][:3]] == [date] * 3
    assert told == [(n, 14) for n in range(1, 15)]
