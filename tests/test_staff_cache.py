"""Workbooks read before, remembered (`network/staffcache.py`): a load from the cache gives what
reading the workbooks gives, a workbook that changes is read again, problems are found again by
every load, and a damaged cache is only ever a slower load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from networks import ROOT, run_welfarectl
from xlsxfiles import EMPLOYEE_HEADER, write_workbook

from welfarectl.network import staff
from welfarectl.network.members import list_workbooks

ROSSI = "RSSMRA85T10A562S"
BIANCHI = "BNCNNA90A41F257F"


@pytest.fixture
def network(tmp_path: Path) -> Path:
    root = tmp_path / "net"
    (root / "members").mkdir(parents=True)
    for path in list_workbooks(ROOT)[:6]:
        shutil.copy(path, root / "members")
    write_workbook(root / "members" / "acme.xlsx", [EMPLOYEE_HEADER, ["Rossi", "Mario", ROSSI, "02/01/2020"]])
    return root


def places(employees) -> list[str]:
    return [str(person.location("codice_fiscale")) for person in employees]


def entries(cache: Path) -> list[Path]:
    return sorted(path for path in cache.rglob("*") if path.is_file())


def test_a_load_from_the_cache_gives_what_reading_the_workbooks_gives(network, tmp_path):
    cache = tmp_path / "cache"
    read = staff.load_staff(network)
    first = staff.load_staff(network, cache_dir=cache)
    assert len(entries(cache)) == 7  # one a workbook read without a problem
    told = []
    again = staff.load_staff(network, lambda done, total: told.append((done, total)), cache_dir=cache)
    assert first == read and again == read and len(read[0]) > 300
    assert places(again[0]) == places(read[0])
    assert [p.table.header for p in again[0][:2]] == [p.table.header for p in read[0][:2]]
    assert told == [(n, 7) for n in range(1, 8)]


def test_a_changed_workbook_is_read_again_and_its_old_entry_removed(network, tmp_path):
    cache = tmp_path / "cache"
    staff.load_staff(network, cache_dir=cache)
    before = entries(cache)
    write_workbook(network / "members" / "acme.xlsx", [EMPLOYEE_HEADER, ["Rossi", "Mario", ROSSI, "02/01/2020"],
                                                        ["Bianchi", "Anna", BIANCHI, "03/02/2021"]])
    employees, _, problems = staff.load_staff(network, cache_dir=cache)
    assert problems == [] and [p.surname for p in employees if p.company == "acme"] == ["Rossi", "Bianchi"]
    after = entries(cache)
    assert len(after) == 7 and len(set(before) - set(after)) == 1


def test_a_workbook_with_a_problem_is_not_kept_and_its_problems_are_found_every_time(network, tmp_path):
    cache = tmp_path / "cache"
    write_workbook(network / "members" / "acme.xlsx", [EMPLOYEE_HEADER, ["Rossi", "Mario", ROSSI, "02/01/2020"],
                                                        ["Bianchi", "", "BNCNNA90A41F257X", "31/02/2021"]])
    first = staff.load_staff(network, cache_dir=cache)
    second = staff.load_staff(network, cache_dir=cache)
    assert len(entries(cache)) == 6
    assert first == second and {p.code for p in second[2]} >= {"missing-value", "invalid-date"} and second[1]


def test_a_damaged_entry_is_read_again(network, tmp_path):
    cache = tmp_path / "cache"
    read = staff.load_staff(network, cache_dir=cache)
    for n, entry in enumerate(entries(cache)):
        entry.write_bytes(entry.read_bytes()[: 10 * n])  # cut, down to nothing
    assert staff.load_staff(network, cache_dir=cache) == read
    assert staff.load_staff(network, cache_dir=cache) == read


def test_the_command_line_keeps_its_cache_in_the_users_cache_directory_unless_told_not_to(tmp_path):
    home = tmp_path / "home"
    network = tmp_path / "net"
    shutil.copytree(ROOT / "catalogue", network / "catalogue", ignore=shutil.ignore_patterns("keys"))
    (network / "members").mkdir()
    shutil.copy(ROOT / "members" / "acetaia-il-cortile-antico.xlsx", network / "members")
    off = run_welfarectl("-C", network, "validate", home=home, WELFARECTL_CACHE="off", XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert off.exit_code == 0 and not (tmp_path / "xdg").exists()
    on = run_welfarectl("-C", network, "validate", home=home, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    assert on.exit_code == 0 and on.stdout == off.stdout
    kept = entries(tmp_path / "xdg" / "welfarectl")
    assert len(kept) == 1 and (tmp_path / "xdg" / "welfarectl" / "workbooks").stat().st_mode & 0o077 == 0


def test_forgetting_a_person_leaves_no_copy_of_them_in_the_cache(tmp_path):
    """The right to erasure: the cache's entries hold what the workbooks said of everyone, so
    `members forget` removes the network's entries with the rows."""
    from networks import copy_small_network, staff_of

    home, xdg = tmp_path / "home", tmp_path / "xdg"
    network = copy_small_network(tmp_path / "net")
    code = staff_of(network, "acetaia-il-cortile-antico")[0].codice_fiscale
    assert run_welfarectl("-C", network, "validate", home=home, XDG_CACHE_HOME=str(xdg)).exit_code == 0
    assert any(code.encode() in entry.read_bytes() for entry in entries(xdg))
    forgot = run_welfarectl("-C", network, "members", "forget", code, home=home, XDG_CACHE_HOME=str(xdg))
    assert forgot.exit_code == 0, forgot.output
    assert not any(code.encode() in entry.read_bytes() for entry in entries(xdg))
    assert run_welfarectl("-C", network, "validate", home=home, XDG_CACHE_HOME=str(xdg)).exit_code == 0
    assert entries(xdg) and not any(code.encode() in entry.read_bytes() for entry in entries(xdg))


def test_the_network_keeps_no_e_mail_address_or_site_and_neither_does_its_cache(tmp_path):
    """Data minimisation: no network command uses an employee's e-mail address or site, so a
    network's load keeps neither, in memory or in the cache; reading a workbook for itself (what
    `members import` and `members template` do) still gives them."""
    from datetime import date

    from welfarectl.pipeline import load_network

    root = tmp_path / "net"
    shutil.copytree(ROOT / "catalogue", root / "catalogue", ignore=shutil.ignore_patterns("keys"))
    (root / "members").mkdir()
    write_workbook(root / "members" / "acetaia-il-cortile-antico.xlsx",
                   [[*EMPLOYEE_HEADER[:4], "E-mail", "Sede"], ["Rossi", "Mario", ROSSI, "02/01/2020", "m.rossi@acme.it", "Carpi"]])
    cache = tmp_path / "cache"
    for _ in range(2):  # read, then from the cache
        network, _ = load_network(root, as_of=date(2026, 11, 26), cache_dir=cache)
        assert [(p.surname, p.email, p.site) for p in network.employees] == [("Rossi", None, None)]
    assert not any(b"m.rossi@acme.it" in entry.read_bytes() for entry in entries(cache)) and entries(cache)
    (rossi,), _ = staff.load_employees(root)
    assert (rossi.email, rossi.site) == ("m.rossi@acme.it", "Carpi")
