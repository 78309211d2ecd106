"""Survey: the employees' needs survey, `members/survey.xlsx`, one anonymous respondent a row.

Each row gives the respondent's company, its ATECO section, an age band, children, whether they
care for a non-self-sufficient relative, a need score 1-5 per macro-area of the network, and
the services already used. Need columns are found by the macro-areas' ids and names, so the
survey follows the network's own macro-areas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from welfarectl.base.problems import Problem, problem
from welfarectl.base.reference import ATECO_SECTIONS
from welfarectl.sources.headers import Column, normalise_header
from welfarectl.sources.tables import Row, Table, read_records, report_missing

SURVEY_FILE = "members/survey.xlsx"
AGE_BANDS = ("18-29", "30-39", "40-49", "50-59", "60+")
NEED_PREFIXES = ("bisogno", "bisogni", "need", "needs")

SURVEY_COLUMNS: tuple[Column, ...] = (
    Column("company", "Impresa", ("impresa", "azienda", "company", "impresa aderente", "employer"), required=True),
    Column("sector", "Settore ATECO", ("settore", "settore ateco", "ateco", "sezione ateco", "sector",
                                       "ateco section"), required=True),
    Column("age_band", "Fascia d'età", ("fascia eta", "fascia di eta", "eta", "classe di eta", "age band",
                                        "age", "age group"), required=True),
    Column("children", "Figli", ("figli", "numero figli", "n figli", "numero di figli", "children",
                                 "number of children"), required=True, kind="number"),
    Column("dependent_relatives", "Familiari non autosufficienti",
           ("familiari non autosufficienti", "familiari a carico non autosufficienti",
            "familiare non autosufficiente", "dependent relatives", "dependent relative"), required=True),
    Column("services_used", "Servizi utilizzati", ("servizi utilizzati", "servizi gia utilizzati",
                                                   "services used", "servizi usati")),
)

_YES = {"SI", "S", "YES", "Y", "X", "1", "TRUE", "VERO"}
_NO = {"NO", "N", "0", "FALSE", "FALSO"}


@dataclass(frozen=True, slots=True)
class SurveyResponse:
    company: str
    sector: str
    age_band: str
    children: int
    dependent_relatives: bool
    needs: dict[str, int]
    services_used: tuple[str, ...]
    table: Table = field(repr=False, compare=False)
    row: int


def need_columns(macro_areas: Sequence[tuple[str, str, str | None]]) -> tuple[Column, ...]:
    """One required column per macro-area, headed by its id, Italian or English name, optionally
    after 'Bisogno'/'Need' ("Bisogno: Risparmio", "need cost-saving")."""
    columns = []
    for area_id, name, name_en in macro_areas:
        bases = [normalise_header(text) for text in (area_id, name, name_en) if text]
        aliases = tuple(dict.fromkeys(bases + [f"{prefix} {base}" for prefix in NEED_PREFIXES for base in bases]))
        columns.append(Column(f"need:{area_id}", f"Bisogno: {name}", aliases, required=True, kind="number"))
    return tuple(columns)


def load_survey(network_dir: Path, macro_areas: Sequence[tuple[str, str, str | None]]
                ) -> tuple[list[SurveyResponse], list[Problem]]:
    """The survey's responses, or ([], []) when members/survey.xlsx does not exist.

    Rules, per row: company, sector, age band, children and dependent relatives are present
    (`missing-value`); the sector is an ATECO section letter and the age band one of 18-29 ...
    60+ (`invalid-choice`); children is a whole number >= 0, each need a whole number 1-5 and
    dependent relatives a yes/no (`invalid-value`). An unanswered need is left out of `needs`.
    A row with an error gives no response.
    """
    path = network_dir / SURVEY_FILE
    if not path.is_file():
        return [], []
    needs = need_columns(macro_areas)
    return read_records(path, SURVEY_FILE, SURVEY_COLUMNS + needs,
                        lambda table, row, problems: _read_response(table, row, needs, problems))


_LABELS = {col.field: col.label for col in SURVEY_COLUMNS}


def _read_response(table: Table, row: Row, needs: Sequence[Column], problems: list[Problem]) -> SurveyResponse | None:
    values = row.values
    count = len(problems)

    def report(code: str, at: str, /, **params: object) -> None:
        problems.append(problem(code, table.location(row, at), **params))

    report_missing(table, row, SURVEY_COLUMNS, problems)
    sector = age_band = children = relatives = None
    if "sector" in values:
        sector = read_sector(values["sector"])  # type: ignore[arg-type]
        if sector is None:
            report("invalid-choice", "sector", field=_LABELS["sector"], value=values["sector"],
                   allowed=f"{min(ATECO_SECTIONS)}-{max(ATECO_SECTIONS)} (ATECO sections)",
                   allowed_it=f"{min(ATECO_SECTIONS)}-{max(ATECO_SECTIONS)} (sezioni ATECO)")
    if "age_band" in values:
        age_band = read_age_band(values["age_band"])  # type: ignore[arg-type]
        if age_band is None:
            report("invalid-choice", "age_band", field=_LABELS["age_band"], value=values["age_band"],
                   allowed=", ".join(AGE_BANDS), allowed_it=", ".join(AGE_BANDS))
    if "children" in values:
        children = values["children"]
        if not isinstance(children, int) or children < 0:
            report("invalid-value", "children", field=_LABELS["children"],
                   detail=f"'{children}' is not a whole number, 0 or more",
                   detail_it=f"'{children}' non è un numero intero maggiore o uguale a 0")
    if "dependent_relatives" in values:
        relatives = read_yes_no(values["dependent_relatives"])  # type: ignore[arg-type]
        if relatives is None:
            report("invalid-value", "dependent_relatives", field=_LABELS["dependent_relatives"],
                   detail=f"'{values['dependent_relatives']}' is not a yes/no (Sì/No)",
                   detail_it=f"'{values['dependent_relatives']}' non è un sì/no (Sì/No)")
    scores: dict[str, int] = {}
    for column in needs:
        score = values.get(column.field)
        if score is None:
            continue
        if isinstance(score, int) and 1 <= score <= 5:
            scores[column.field.removeprefix("need:")] = score
        else:
            report("invalid-value", column.field, field=column.label,
                   detail=f"'{score}' is not a whole number from 1 to 5",
                   detail_it=f"'{score}' non è un numero intero da 1 a 5")
    if row.invalid or len(problems) > count:
        return None
    used = re.split(r"[,;\n]", values.get("services_used", ""))  # type: ignore[arg-type]
    return SurveyResponse(values["company"], sector, age_band, children, relatives, scores,  # type: ignore[arg-type]
                          tuple(s.strip() for s in used if s.strip()), table, row.number)


def read_sector(text: str) -> str | None:
    """An ATECO section letter from 'C', 'c' or 'C - Attività manifatturiere'."""
    text = text.strip().upper()
    if len(text) > 1 and (m := re.match(r"([A-Z])(?:\s*[-–.:)]\s*|\s+)\S", text)):
        text = m[1]
    return text if text in ATECO_SECTIONS else None


def read_age_band(text: str) -> str | None:
    """One of AGE_BANDS from '18-29', '18 – 29 anni', '60+', 'oltre 60'."""
    compact = re.sub(r"\s+|anni|years", "", text.lower()).replace("–", "-").replace("—", "-")
    if compact in ("oltre60", ">60", "60oltre", "60epiu", "60epiù", "over60", "60andover", ">=60", "≥60"):
        return "60+"
    return compact if compact in AGE_BANDS else None


def read_yes_no(text: str) -> bool | None:
    """Yes/no as Sì/Si/No/Yes/S/N/X/1/0/TRUE/FALSE (any case, accents ignored)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    word = bare.strip().upper()
    return True if word in _YES else False if word in _NO else None
