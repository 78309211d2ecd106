"""`members import FILE.csv` with random and mutated lists: problems and clean exits, a marked-up
feedback copy when asked for, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import mutated_bytes, run_clean
from hypothesis import given
from hypothesis import strategies as st
from networks import SMALL_COMPANIES, copy_small_network
from xlsxfiles import EMPLOYEE_HEADER

COMPANY = SMALL_COMPANIES[1]
GOOD = (";".join(EMPLOYEE_HEADER) + "\r\n" + "Rossi;Mario;RSSMRA80A01H501U;01/02/2020;;mario@example.it;Modena\r\n"
        + "Bianchi;Anna;BNCNNA85M41F257Z;2021-03-15;;;\r\n").encode("utf-8")
fields = st.one_of(st.text(max_size=12), st.sampled_from(['"', '""', ";", "\r", "\n", "\x00", "=cmd|' /C calc'!A0",
                                                         "01/13/2020", "29/02/2023", "RSSMRA80A01H501U", "\ufeff"]))


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    return copy_small_network(tmp_path_factory.mktemp("fuzz-csv") / "net")


def import_csv(root: Path, folder: Path, data: bytes, *extra: str):
    sent = folder / "list.csv"
    sent.write_bytes(data)
    return run_clean("-C", root, "members", "import", sent, "--company", COMPANY, "--dry-run",
                     "--feedback", folder / "feedback.xlsx", *extra, home=root.parent)


def test_the_good_list_imports(network, tmp_path):
    assert import_csv(network, tmp_path, GOOD).exit_code == 0


@given(data=st.data())
def test_a_mutated_list_gives_problems_not_a_traceback(network, tmp_path_factory, data):
    import_csv(network, tmp_path_factory.mktemp("csv"), data.draw(mutated_bytes(GOOD)))


@given(rows=st.lists(st.lists(fields, max_size=8), max_size=5), header=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_a_list_of_any_text_gives_problems_not_a_traceback(network, tmp_path_factory, rows, header, encoding):
    lines = ([EMPLOYEE_HEADER] if header else []) + rows
    text = "\r\n".join(";".join(row) for row in lines)
    import_csv(network, tmp_path_factory.mktemp("csv"), text.encode(encoding, "replace"))


@given(data=st.binary(max_size=200))
def test_any_bytes_give_problems_not_a_traceback(network, tmp_path_factory, data):
    import_csv(network, tmp_path_factory.mktemp("csv"), data)
