"""The needs survey: one anonymous respondent a row, need columns found by the network's macro-areas."""

from pathlib import Path

import pytest
from xlsxfiles import write_workbook

from welfarectl.network.survey import load_survey, read_age_band, read_sector, read_yes_no

AREAS = [("cost-saving", "Risparmio", "Cost saving"), ("time-saving", "Tempo", None),
         ("personal-care", "Cura della persona", "Personal care")]
HEADER = ["Impresa", "Settore ATECO", "Fascia d'età", "Figli", "Familiari non autosufficienti",
          "Bisogno: Risparmio", "Tempo", "need personal-care", "Servizi già utilizzati"]


def survey(tmp_path: Path, rows: list[list], header=HEADER) -> Path:
    write_workbook(tmp_path / "members" / "survey.xlsx", {"Risposte": [header, *rows]})
    return tmp_path


def found(root: Path):
    responses, problems = load_survey(root, AREAS)
    return responses, [(p.code, str(p.location), dict(p.params)) for p in sorted(problems, key=lambda p: p.sort_key())]


def test_no_survey_file_means_no_responses_and_no_problems(tmp_path):
    assert load_survey(tmp_path, AREAS) == ([], [])


def test_responses_are_read_with_needs_by_macro_area(tmp_path):
    root = survey(tmp_path, [["acme", "C", "30-39", 2, "No", 4, 3, 5, "mensa; palestra, asilo"],
                             ["beta", "q - Sanità", "60 +", "0", "Sì", "2", None, 1, None]])
    responses, problems = found(root)
    assert problems == []
    first, second = responses
    assert (first.company, first.sector, first.age_band, first.children, first.dependent_relatives, first.needs,
            first.services_used, first.row) == ("acme", "C", "30-39", 2, False,
                                                {"cost-saving": 4, "time-saving": 3, "personal-care": 5},
                                                ("mensa", "palestra", "asilo"), 2)
    assert (second.sector, second.age_band, second.children, second.dependent_relatives, second.needs,
            second.services_used) == ("Q", "60+", 0, True, {"cost-saving": 2, "personal-care": 1}, ())
    assert str(second.table.location(second.row, "company")) == "members/survey.xlsx:Risposte!A3"


@pytest.mark.parametrize("header", ["cost-saving", "Risparmio", "Cost saving", "BISOGNO - risparmio", "Need: Cost-Saving"])
def test_need_columns_are_found_by_id_or_name_with_an_optional_prefix(tmp_path, header):
    root = survey(tmp_path, [["acme", "C", "18-29", 0, "N", 3, 3, 3]], HEADER[:5] + [header, "Tempo", "Cura della persona"])
    responses, problems = found(root)
    assert problems == [] and responses[0].needs["cost-saving"] == 3


def test_a_missing_need_column_is_a_missing_column(tmp_path):
    root = survey(tmp_path, [["acme", "C", "18-29", 0, "N", 3, 3]], HEADER[:7])
    responses, problems = found(root)
    assert responses == []
    assert problems == [("missing-column", "members/survey.xlsx:Risposte!A1", {"column": "Bisogno: Cura della persona"})]


def test_bad_values_are_reported_at_their_cells(tmp_path):
    root = survey(tmp_path, [["acme", "Z", "25-35", 1.5, "forse", 6, "tre", 0, None],
                             [None, "C", "40-49", -1, "X", 2.5, 1, 1, None]])
    responses, problems = found(root)
    assert responses == []
    where = "members/survey.xlsx:Risposte!"
    assert problems == [
        ("invalid-choice", where + "B2", {"field": "Settore ATECO", "value": "Z", "allowed": "A-U (ATECO sections)",
                                          "allowed_it": "A-U (sezioni ATECO)"}),
        ("invalid-choice", where + "C2", {"field": "Fascia d'età", "value": "25-35",
                                          "allowed": "18-29, 30-39, 40-49, 50-59, 60+", "allowed_it": "18-29, 30-39, 40-49, 50-59, 60+"}),
        ("invalid-value", where + "D2", {"field": "Figli", "detail": "'1.5' is not a whole number, 0 or more",
                                         "detail_it": "'1.5' non è un numero intero maggiore o uguale a 0"}),
        ("invalid-value", where + "E2", {"field": "Familiari non autosufficienti", "detail": "'forse' is not a yes/no (Sì/No)",
                                         "detail_it": "'forse' non è un sì/no (Sì/No)"}),
        ("invalid-value", where + "F2", {"field": "Bisogno: Risparmio", "detail": "'6' is not a whole number from 1 to 5",
                                         "detail_it": "'6' non è un numero intero da 1 a 5"}),
        ("invalid-value", where + "G2", {"field": "Bisogno: Tempo", "detail": "'tre' is not a number",
                                         "detail_it": "'tre' non è un numero"}),
        ("invalid-value", where + "H2", {"field": "Bisogno: Cura della persona", "detail": "'0' is not a whole number from 1 to 5",
                                         "detail_it": "'0' non è un numero intero da 1 a 5"}),
        ("missing-value", where + "A3", {"column": "Impresa"}),
        ("invalid-value", where + "D3", {"field": "Figli", "detail": "'-1' is not a whole number, 0 or more",
                                         "detail_it": "'-1' non è un numero intero maggiore o uguale a 0"}),
        ("invalid-value", where + "F3", {"field": "Bisogno: Risparmio", "detail": "'2.5' is not a whole number from 1 to 5",
                                         "detail_it": "'2.5' non è un numero intero da 1 a 5"}),
    ]


@pytest.mark.parametrize("text, expected", [("Sì", True), ("si", True), ("S", True), ("Yes", True), ("x", True),
                                            ("1", True), ("TRUE", True), ("No", False), ("n", False), ("0", False),
                                            ("FALSE", False), ("forse", None)])
def test_yes_no_spellings(text, expected):
    assert read_yes_no(text) is expected


def test_true_false_cells_are_yes_no(tmp_path):
    root = survey(tmp_path, [["acme", "C", "18-29", 0, True, 3, 3, 3], ["acme", "C", "18-29", 0, False, 3, 3, 3]])
    responses, problems = found(root)
    assert problems == [] and [r.dependent_relatives for r in responses] == [True, False]


@pytest.mark.parametrize("text, expected", [("18-29", "18-29"), ("18 – 29 anni", "18-29"), ("60+", "60+"),
                                            ("oltre 60", "60+"), ("60 e più", "60+"), ("30-40", None)])
def test_age_bands(text, expected):
    assert read_age_band(text) == expected


@pytest.mark.parametrize("text, expected", [("C", "C"), (" c ", "C"), ("C - Attività manifatturiere", "C"),
                                            ("Q) Sanità", "Q"), ("Commercio", None), ("V", None)])
def test_ateco_sections(text, expected):
    assert read_sector(text) == expected
