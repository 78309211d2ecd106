"""Employee workbooks and the survey, random or broken: `validate` and `members import` report
problems and exit cleanly, whatever the cells or the bytes, and never show a traceback."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path

import pytest
from fuzzing import mutated_bytes, run_clean
from hypothesis import given
from hypothesis import strategies as st
from networks import ROOT, SMALL_COMPANIES, copy_small_network
from xlsxfiles import EMPLOYEE_HEADER, write_workbook

COMPANY = SMALL_COMPANIES[0]
WORKBOOK = f"members/{COMPANY}.xlsx"

# what a cell can hold, as openpyxl writes it (it refuses control characters, as Excel does)
cell_texts = st.one_of(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
                       st.sampled_from(["RSSMRA80A01F257X", "rssmra80a01h501u", "01/02/2020", "2020-02-30", "=1/0",
                                        "=TODAY()", " ", "-", "n/a", "31.12.2099", "1e309", "Mario\u00a0Rossi"]))
cells = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), st.floats(allow_nan=False, allow_infinity=False),
                  cell_texts, st.dates(date(1900, 3, 1), date(9999, 12, 31)),
                  st.datetimes(datetime(1900, 3, 1), datetime(9999, 12, 31)), st.times())
headers = st.lists(st.one_of(st.sampled_from(EMPLOYEE_HEADER), cell_texts), min_size=0, max_size=9)


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    root = copy_small_network(tmp_path_factory.mktemp("fuzz-xlsx") / "net")
    shutil.copy(ROOT / "members" / "survey.xlsx", root / "members")
    return root


def validate_with(root: Path, name: str, data: bytes) -> None:
    path = root / name
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        run_clean("-C", root, "validate", home=root.parent)
    finally:
        path.write_bytes(original)


@given(header=st.one_of(st.just(EMPLOYEE_HEADER), headers), rows=st.lists(st.lists(cells, max_size=9), max_size=6))
def test_a_workbook_with_any_cells_gives_problems_not_a_traceback(network, tmp_path_factory, header, rows):
    made = write_workbook(tmp_path_factory.mktemp("book") / "list.xlsx", [header, *rows])
    validate_with(network, WORKBOOK, made.read_bytes())
    run_clean("-C", network, "members", "import", made, "--company", COMPANY, "--dry-run", home=network.parent)


@pytest.mark.parametrize("name", [WORKBOOK, "members/survey.xlsx"])
@given(data=st.data())
def test_a_workbook_with_mutated_bytes_gives_problems_not_a_traceback(network, name, data):
    validate_with(network, name, data.draw(mutated_bytes((network / name).read_bytes())))


@given(data=st.data())
def test_importing_a_broken_workbook_gives_problems_not_a_traceback(network, tmp_path_factory, data):
    sent = tmp_path_factory.mktemp("sent") / "list.xlsx"
    sent.write_bytes(data.draw(mutated_bytes((network / WORKBOOK).read_bytes())))
    run_clean("-C", network, "members", "import", sent, "--company", COMPANY, "--dry-run",
              "--feedback", sent.with_name("feedback.xlsx"), home=network.parent)


def test_a_workbook_with_a_time_where_a_date_goes_gives_problems(network, tmp_path):
    made = write_workbook(tmp_path / "list.xlsx", [EMPLOYEE_HEADER, ["Rossi", "Mario", "RSSMRA80A01H501U", time(8, 30)]])
    validate_with(network, WORKBOOK, made.read_bytes())
