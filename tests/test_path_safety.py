"""Ids that become file names are safe file names on every system: a catalogue id that is not is
a problem at its line, a command-line id that is not is refused, and nothing is ever written
outside the network's output/ and members/ (or the -o target)."""

from __future__ import annotations

from pathlib import Path

import pytest
from networks import SMALL_COMPANIES

from welfarectl.base.names import file_name_flaw

UNSAFE = ["../x", "a/b", "a\\b", "x\x00y", "", ".x", "..", "CON", "con", "nul.xlsx", "Aux", "prn", "com1", "LPT9.txt",
          "x.", "x ", "a:b", "tab\there"]
SAFE = ["acme", "coop-sociale-aurora", "com10", "console", "lpt", "prima-impresa", "x1"]


@pytest.mark.parametrize("name", UNSAFE)
def test_an_unsafe_name_is_refused_with_a_reason_in_both_languages(name):
    flaw = file_name_flaw(name)
    assert flaw is not None and all(flaw)


@pytest.mark.parametrize("name", SAFE)
def test_a_slug_is_a_safe_file_name(name):
    assert file_name_flaw(name) is None


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("company", ["../x", "a/b", "a\\b", "x\x00y", "", ".x", "CON", "nul.xlsx"])
def test_members_import_refuses_a_company_id_that_is_not_a_file_name(welfarectl, small_network: Path, tmp_path: Path,
                                                                      company):
    sent = tmp_path / "list.csv"
    sent.write_text("Cognome;Nome;Codice fiscale;Data assunzione\nRossi;Mario;RSSMRA80A01H501U;01/02/2020\n")
    before = files_under(tmp_path)
    done = welfarectl("-C", small_network, "members", "import", sent, "--company", company)
    assert done.exit_code == 2, done.output
    assert "cannot be used in a file name" in done.stderr
    assert files_under(tmp_path) == before


@pytest.mark.parametrize("command", [["members", "template"], ["booklet"], ["cards", "print", "--proof"], ["cards", "issue"]])
@pytest.mark.parametrize("company", ["../x", "a/b", "CON"])
def test_commands_refuse_a_company_id_that_is_not_a_file_name(welfarectl, small_network: Path, tmp_path: Path, command,
                                                              company):
    before = files_under(tmp_path)
    done = welfarectl("-C", small_network, *command, "--company", company)
    assert done.exit_code == 2, done.output
    assert "cannot be used in a file name" in done.stderr or "no member company" in done.stderr
    assert "Traceback" not in done.output
    assert files_under(tmp_path) == before


def test_a_member_company_named_like_a_windows_device_is_a_problem_and_nothing_is_written(welfarectl,
                                                                                          small_network: Path):
    organisations = small_network / "catalogue" / "organisations.yaml"
    company = SMALL_COMPANIES[0]
    organisations.write_text(organisations.read_text(encoding="utf-8").replace(f"id: {company}\n", "id: con\n"),
                             encoding="utf-8")
    (small_network / "members" / f"{company}.xlsx").rename(small_network / "members" / "con.xlsx")
    done = welfarectl("-C", small_network, "validate")
    assert done.exit_code == 1
    assert "error[unsafe-file-name]: id: 'con' cannot be a file name: Windows keeps the name CON for a device" in done.stdout
    before = files_under(small_network)
    for command in (["booklet", "--all-companies"], ["members", "template", "--company", "con"]):
        refused = welfarectl("-C", small_network, *command)
        assert refused.exit_code in (1, 2), refused.output
        assert files_under(small_network) == before
