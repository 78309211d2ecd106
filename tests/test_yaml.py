"""YAML is read safely and as written; every bad file becomes one problem at its line and column."""

import time
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from welfarectl.network.catalogue import load_catalogue


@pytest.fixture
def net(new_network: Path) -> Path:
    """A new network, as `welfarectl init` creates it."""
    return new_network


def write(net: Path, name: str, content: str | bytes) -> None:
    path = net / "catalogue" / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def found(net: Path) -> list[tuple[str, str]]:
    _, problems = load_catalogue(net)
    return sorted((str(p.location), p.code) for p in problems)


ORG = """organisations:
  - id: coordinamento-rete
    name: Coordinamento
    kind: consultancy
    roles: [coordinator]
    partita_iva: "01234560017"
"""


def test_the_skeleton_loads_without_problems(net):
    catalogue, problems = load_catalogue(net)
    assert problems == []
    assert [s.id for s in catalogue.services] == ["doposcuola"]


def test_python_tags_are_refused_and_never_executed(net, tmp_path):
    marker = tmp_path / "pwned"
    write(net, "organisations.yaml", ORG + f"    legal_form: !!python/object/apply:os.system ['touch {marker}']\n")
    assert found(net) == [("catalogue/organisations.yaml:7:17", "yaml-unsupported-tag")]
    assert not marker.exists()


def test_duplicate_keys_are_errors_not_silently_the_last(net):
    write(net, "organisations.yaml", ORG + "    name: Altro nome\n")
    assert found(net) == [("catalogue/organisations.yaml:7:5", "yaml-duplicate-key")]


@pytest.mark.parametrize("written", ["NO", "on", "0123", "3:30", "1e3", "true"])
def test_yaml_11_lookalikes_in_text_fields_are_read_as_written(net, written):
    write(net, "organisations.yaml", ORG + f"    legal_form: {written}\n")
    catalogue, problems = load_catalogue(net)
    assert problems == []
    assert catalogue.organisations[0].legal_form == written


def test_unquoted_partita_iva_keeps_its_leading_zero(net):
    write(net, "organisations.yaml", ORG.replace('"01234560017"', "01234560017"))
    catalogue, problems = load_catalogue(net)
    assert problems == []
    assert catalogue.organisations[0].partita_iva == "01234560017"


def test_text_where_a_number_is_needed_is_flagged_not_coerced(net):
    network = (net / "catalogue" / "network.yaml").read_text()
    write(net, "network.yaml", network.replace("validity_months: 24", 'validity_months: "24"'))
    assert found(net) == [("catalogue/network.yaml:31:20", "wrong-type")]


def test_a_yes_no_word_where_a_boolean_or_number_is_needed_is_flagged(net):
    network = (net / "catalogue" / "network.yaml").read_text()
    write(net, "network.yaml", network.replace("validity_months: 24", "validity_months: NO"))
    assert found(net) == [("catalogue/network.yaml:31:20", "wrong-type")]


def test_dates_are_iso_and_a_european_date_is_flagged(net):
    write(net, "organisations.yaml", ORG + "    joined: 2018-01-15\n")
    catalogue, _ = load_catalogue(net)
    assert catalogue.organisations[0].joined == date(2018, 1, 15)
    write(net, "organisations.yaml", ORG + "    joined: 15/01/2018\n")
    assert found(net) == [("catalogue/organisations.yaml:7:13", "wrong-type")]


def test_alias_bomb_is_refused_quickly_in_bounded_memory(net):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    write(net, "workshops.yaml", "\n".join(lines) + "\n")
    tracemalloc.start()
    start = time.perf_counter()
    problems = found(net)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert problems == [("catalogue/workshops.yaml:1:1", "yaml-too-complex")]
    assert elapsed < 1.0
    assert peak < 50_000_000


def test_an_alias_that_contains_itself_is_refused(net):
    write(net, "workshops.yaml", "workshops: &w [*w]\n")
    assert found(net) == [("catalogue/workshops.yaml:1:1", "yaml-too-complex")]


def test_tabs_point_at_the_tab(net):
    write(net, "organisations.yaml", ORG + "\tlegal_form: S.r.l.\n")
    assert found(net) == [("catalogue/organisations.yaml:7:1", "yaml-tab")]


def test_a_byte_order_mark_is_accepted(net):
    write(net, "organisations.yaml", b"\xef\xbb\xbf" + ORG.encode())
    assert found(net) == []


def test_non_utf8_bytes_point_at_the_byte(net):
    write(net, "organisations.yaml", ORG.encode().replace(b"Coordinamento", b"Universit\xe0"))
    assert found(net) == [("catalogue/organisations.yaml:3:20", "yaml-encoding")]


def test_an_empty_file_is_one_problem(net):
    write(net, "services.yaml", b"")
    assert found(net) == [("catalogue/services.yaml:1:1", "yaml-empty")]


def test_a_list_where_a_mapping_is_expected(net):
    write(net, "services.yaml", "- id: doposcuola\n")
    assert found(net) == [("catalogue/services.yaml:1:1", "wrong-type")]


def test_a_syntax_error_has_its_line(net):
    write(net, "organisations.yaml", ORG + '    legal_form: "S.r.l.\n')
    assert found(net) == [("catalogue/organisations.yaml:8:1", "yaml-syntax")]


def test_unknown_fields_are_errors_with_a_suggestion_and_the_record_still_loads(net):
    write(net, "organisations.yaml", ORG + "    legl_form: S.r.l.\n")
    catalogue, problems = load_catalogue(net)
    assert [(str(p.location), p.code, p.severity) for p in problems] == [
        ("catalogue/organisations.yaml:7:5", "unknown-field", "error")]
    assert "did you mean 'legal_form'?" in problems[0].message()
    assert catalogue.organisations[0].id == "coordinamento-rete"


def test_one_bad_record_does_not_hide_the_others(net):
    write(net, "organisations.yaml", ORG + ORG.splitlines(keepends=True)[1].replace("coordinamento-rete", "Bad Id")
          + "".join(ORG.splitlines(keepends=True)[2:]))
    catalogue, problems = load_catalogue(net)
    assert [(str(p.location), p.code) for p in problems] == [("catalogue/organisations.yaml:7:9", "invalid-value")]
    assert [o.id for o in catalogue.organisations] == ["coordinamento-rete"]


def test_choices_and_missing_fields(net):
    write(net, "organisations.yaml", ORG.replace("kind: consultancy", "kind: consultant").replace(
        '    partita_iva: "01234560017"\n', "") + "  - id: senza-nome\n    kind: company\n    roles: [provider]\n")
    problems = found(net)
    assert ("catalogue/organisations.yaml:4:11", "invalid-choice") in problems
    assert ("catalogue/organisations.yaml:6:5", "missing-field") in problems


def test_missing_required_files(net):
    (net / "catalogue" / "services.yaml").unlink()
    assert found(net) == [("catalogue/services.yaml", "missing-file")]


def test_services_may_be_split_in_a_folder(net):
    services = (net / "catalogue" / "services.yaml").read_text()
    (net / "catalogue" / "services.yaml").unlink()
    (net / "catalogue" / "services").mkdir()
    write(net, "services/infanzia.yaml", services)
    catalogue, problems = load_catalogue(net)
    assert problems == []
    assert [s.id for s in catalogue.services] == ["doposcuola"]
    assert str(catalogue.where(catalogue.services[0], "provider")) == "catalogue/services/infanzia.yaml:7:15"
