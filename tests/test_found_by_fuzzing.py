"""The crashes the property-based tests found, each as the plain case a user would meet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook


def test_a_list_where_a_choice_goes_is_a_problem_at_its_line(welfarectl, small_network: Path):
    path = small_network / "catalogue" / "organisations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: consultancy", "kind: [consultancy, union]", 1), encoding="utf-8")
    done = welfarectl("-C", small_network, "validate")
    assert done.exit_code == 1
    assert "catalogue/organisations.yaml:9:11: error[invalid-choice]: kind: '[consultancy, union]' is not one of" in done.stdout


def test_feedback_on_a_file_that_is_not_a_workbook_is_the_summary_alone(welfarectl, small_network: Path, tmp_path: Path):
    sent, feedback = tmp_path / "list.xlsx", tmp_path / "feedback.xlsx"
    sent.write_bytes(b"PK\x03\x04 cut short")
    done = welfarectl("-C", small_network, "members", "import", sent, "--company", "ferramenta-centrale-soliera",
                      "--feedback", feedback)
    assert done.exit_code == 1 and "unreadable-workbook" in done.stdout
    book = load_workbook(feedback)
    assert book.sheetnames == ["Da correggere"]
    assert "danneggiato" in book["Da correggere"]["C2"].value or "zip" in book["Da correggere"]["C2"].value


def test_feedback_on_a_list_with_control_characters_shows_them_as_replacement_marks(welfarectl, small_network: Path,
                                                                                      tmp_path: Path):
    sent, feedback = tmp_path / "list.csv", tmp_path / "feedback.xlsx"
    sent.write_bytes(b"Cognome;Nome;Codice fiscale;Data assunzione\r\nRos\x13si;Mario;RSSMRA80A01H501X;01/02/2020\r\n")
    done = welfarectl("-C", small_network, "members", "import", sent, "--company", "ferramenta-centrale-soliera",
                      "--feedback", feedback)
    assert done.exit_code == 1 and "invalid-codice-fiscale" in done.stdout
    book = load_workbook(feedback)
    assert book["list"]["A2"].value == "Ros\ufffdsi"
    assert book["list"]["C2"].comment is not None
