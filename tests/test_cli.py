"""The command line as users and CI see it: exit codes, output shapes, help, the sample network."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from networks import ROOT
from typer.main import get_command

from welfarectl.cli.app import app


@pytest.fixture
def net(new_network: Path) -> Path:
    """A new network, as `welfarectl init` creates it."""
    return new_network


def commands(group=None, prefix=()):
    group = group or get_command(app)
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from commands(command, (*prefix, name))


def test_every_command_has_help_text(welfarectl):
    for path, command in commands():
        assert command.help, f"{' '.join(path)} has no help"
        result = welfarectl(*path, "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.output


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path, _ in commands():
        assert f"welfarectl {' '.join(path)}" in readme


def test_python_dash_m_works_and_help_is_fast():
    done = subprocess.run([sys.executable, "-m", "welfarectl", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "validate" in done.stdout
    probe = "import time; t = time.perf_counter(); import welfarectl.cli; print(time.perf_counter() - t)"
    modules = subprocess.run([sys.executable, "-c", probe + "; import sys; print(' '.join(sys.modules))"],
                             capture_output=True, text=True).stdout
    for heavy in ("reportlab", "pydantic", "python_calamine", "openpyxl", "yaml"):
        assert heavy not in modules.split(), f"{heavy} is imported by --help"


def test_a_new_network_validates_clean(net, welfarectl):
    result = welfarectl("-C", str(net), "validate")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "no problems"


def test_a_new_network_has_the_sample_card_layouts(net):
    for name in ("card-front.yaml", "card-back.yaml"):
        assert (net / "templates" / name).read_bytes() == (ROOT / "templates" / name).read_bytes()


def test_a_new_network_has_the_sample_booklet_templates(net):
    sample = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "templates" / "booklet").rglob("*.j2"))
    assert sample == sorted(path.relative_to(net).as_posix() for path in (net / "templates" / "booklet").rglob("*.j2"))
    assert len(sample) == 6
    for name in sample:
        assert (net / name).read_bytes() == (ROOT / name).read_bytes()


def test_init_refuses_a_non_empty_directory(net, welfarectl):
    result = welfarectl("init", str(net))
    assert result.exit_code == 2
    assert "not empty" in result.output


def test_not_a_network_directory_is_a_usage_error(tmp_path, welfarectl):
    result = welfarectl("-C", str(tmp_path), "validate")
    assert result.exit_code == 2
    assert "not a network directory" in result.output


def test_unknown_option_is_a_usage_error(net, welfarectl):
    assert welfarectl("-C", str(net), "validate", "--frobnicate").exit_code == 2


BROKEN_SERVICE = """services:
  - id: doposcuola
    title: Doposcuola
    description: Aiuto compiti.
    provider: prima-cooperativ
    macro_area: time-saving
    category: Infanzia
    benefit: {kind: free}
    access: Con la card.
    colour: blu
"""


def test_text_output_names_file_line_and_column_then_a_summary(net, welfarectl):
    (net / "catalogue" / "services.yaml").write_text(BROKEN_SERVICE, encoding="utf-8")
    result = welfarectl("-C", str(net), "validate", "--lang", "en")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == ("catalogue/services.yaml:5:15: error[unknown-reference]: provider: no organisation "
                        "has the id 'prima-cooperativ' (did you mean 'prima-cooperativa'?)")
    assert lines[1].startswith("catalogue/services.yaml:10:5: error[unknown-field]: unknown field 'colour'")
    assert lines[-1] == "2 errors, 0 warnings"


def test_json_output_for_ci(net, welfarectl):
    (net / "catalogue" / "services.yaml").write_text(BROKEN_SERVICE, encoding="utf-8")
    result = welfarectl("-C", str(net), "validate", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["counts"] == {"error": 2, "warning": 0}
    first = data["problems"][0]
    assert first == {"code": "unknown-reference", "severity": "error", "message": first["message"],
                     "file": "catalogue/services.yaml", "line": 5, "column": 15, "sheet": None, "cell": None}


def test_warnings_pass_unless_strict(net, welfarectl):
    (net / "members" / "prima-impresa.xlsx").unlink()  # missing-workbook, a warning
    assert welfarectl("-C", str(net), "validate").exit_code == 0
    assert welfarectl("-C", str(net), "validate", "--strict").exit_code == 1


def test_messages_in_italian_by_option_or_locale(net, welfarectl):
    services = (net / "catalogue" / "services.yaml").read_text(encoding="utf-8")
    (net / "catalogue" / "services.yaml").write_text(services + "    colour: blu\n", encoding="utf-8")
    by_option = welfarectl("-C", str(net), "validate", "--lang", "it").output
    by_locale = welfarectl("-C", str(net), "validate", LANG="it_IT.UTF-8", LC_ALL="", LC_MESSAGES="").output
    assert "campo sconosciuto 'colour'" in by_option
    assert by_option == by_locale
    assert by_option.strip().endswith("1 errore, 0 avvisi")


def test_problems_lists_and_explains_codes(welfarectl):
    listing = welfarectl("problems")
    assert listing.exit_code == 0 and "invalid-codice-fiscale" in listing.output
    explained = welfarectl("problems", "unknown-field")
    assert explained.exit_code == 0 and "closest known field" in explained.output
    assert welfarectl("problems", "no-such-code").exit_code == 2


def test_schema_prints_json_schema_from_the_models(welfarectl):
    result = welfarectl("schema", "services")
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "provider" in schema["$defs"]["Service"]["properties"]


def test_the_committed_schemas_and_problem_docs_match_the_code():
    from welfarectl.base.problems import render_catalogue_markdown
    from welfarectl.network.schema import render_schema

    for kind in ("network", "organisations", "services", "workshops"):
        committed = (ROOT / "catalogue" / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == render_schema(kind), f"run python tools/make_docs.py ({kind})"
        modeline = f"# yaml-language-server: $schema=schema/{kind}.schema.json"
        assert modeline in (ROOT / "catalogue" / f"{kind}.yaml").read_text(encoding="utf-8")
    assert (ROOT / "docs" / "problems.md").read_text(encoding="utf-8") == render_catalogue_markdown()


def test_docs_formats_documents_every_field_and_column_of_the_code():
    from welfarectl.cards.layout import ELEMENT_TYPES, load_layouts
    from welfarectl.formats import render_formats
    from welfarectl.network import models
    from welfarectl.network.catalogue import load_catalogue
    from welfarectl.network.members import EMPLOYEE_COLUMNS

    catalogue, _ = load_catalogue(ROOT)
    committed = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    assert committed == render_formats(catalogue, load_layouts(ROOT)[:2]), "run python tools/make_docs.py"
    for model in ELEMENT_TYPES.values():
        assert all(f"| `{field}` |" in committed for field in model.model_fields)
    for field in (*models.Service.model_fields, *models.Organisation.model_fields):
        assert f"| `{field}` |" in committed
    assert all(f"| {col.label} |" in committed for col in EMPLOYEE_COLUMNS)
    assert "`hire date`" in committed and "`data di assunzione`" in committed


def test_the_sample_network_validates_and_its_figures_match_the_brief(welfarectl):
    done = welfarectl("-C", ROOT, "validate")
    assert done.exit_code == 0, done.output[-3000:]
    figures = json.loads(welfarectl("-C", ROOT, "stats", "--format", "json").stdout)
    assert figures["member_companies"] == 50
    assert figures["sectors"] == 13
    assert 2500 <= figures["employees"] <= 2600
    assert figures["services"] == 65
    assert figures["macro_areas"] == 6
    assert figures["workshops"] == 15
    assert figures["workshop_participants"] == 375
    assert figures["survey_responses"] == 470
    assert figures["organisations"] >= 60
    assert all(isinstance(value, int) for value in figures.values())


def test_long_runs_say_how_far_they_are_in_plain_lines_off_a_terminal(small_network, welfarectl, monkeypatch):
    """Off a terminal (CI logs) a long run prints a plain line every PLAIN_EVERY seconds on
    standard error: here every step, with the interval at nothing. The output stays as it was."""
    from welfarectl.cli import build, progress

    monkeypatch.setattr(progress, "PLAIN_EVERY", 0.0)
    monkeypatch.setattr(build, "PLAIN_EVERY", 0.0)
    checked = welfarectl("-C", small_network, "validate", "--format", "json")
    assert checked.exit_code == 0 and json.loads(checked.stdout)["counts"]["error"] == 0
    assert "reading the workbooks: 1 of 3 workbooks\nreading the workbooks: 2 of 3 workbooks\n" in checked.stderr
    assert welfarectl("-C", small_network, "cards", "issue").exit_code == 0
    printed = welfarectl("-C", small_network, "cards", "print", "--batch-sheets", "2", "--proof")
    assert printed.exit_code == 0, printed.output
    assert "printing: 16 of " in printed.stderr and "1 of " in printed.stderr
    built = welfarectl("-C", small_network, "build", "report")
    assert built.exit_code == 0, built.output
    assert "reading the workbooks: 2 of 3" in built.output
