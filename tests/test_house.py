"""The house's rules (docs/house.md), read from the code itself: which part may import which,
one clock, empty package faces, no private names borrowed across modules, no import circles."""

import ast
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "welfarectl"
PARTS = ("base", "sources", "network", "pdf", "cards", "booklet", "report", "intake", "verifier", "builder", "cli")


@functools.cache
def modules() -> tuple[tuple[Path, ast.Module], ...]:
    """Every module of the package, parsed once for the tests that read it (none changes a tree)."""
    return tuple((path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(PACKAGE.rglob("*.py")))


def test_the_import_contracts_in_pyproject_are_kept():
    done = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
                           "sys.exit(lint_imports(no_cache=True, no_logo=True))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("part", PARTS)
def test_each_part_exists_and_its_face_is_empty(part):
    """Subpackage __init__.py files stay empty, so that importing one part loads nothing else."""
    assert (PACKAGE / part / "__init__.py").read_text(encoding="utf-8").strip() == ""


def test_no_import_circle_is_left():
    graph = grimp.build_graph("welfarectl")
    circles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if graph.chain_exists(importer=imported, imported=importer):
                circles.append((importer, imported))
    assert circles == []


def test_one_clock_the_day_is_decided_in_one_place():
    """Only base/clock.py reads the system date, and only the command line's root asks it, once a
    run; everything else takes the day from the Network (as_of) or a parameter."""
    callers = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in ("today", "now", "utcnow"):
                    callers.append(path.relative_to(PACKAGE).as_posix())
    assert sorted(callers) == ["base/clock.py", "cli/app.py"]


def test_no_private_name_is_imported_from_another_module():
    borrowed = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        borrowed.append(f"{path.relative_to(PACKAGE)}: {node.module}.{alias.name}")
    assert borrowed == []


def test_imports_sit_at_the_top_for_a_reason_not_for_an_order():
    """No `noqa: E402`: a module that must be imported last is an import circle in disguise."""
    assert [p.name for p, _ in modules() if "noqa: E402" in p.read_text(encoding="utf-8")] == []


# --- one load: each source file is read once per command ------------------------------------------

_READS: list[str] | None = None  # the files opened for reading while a command runs, when recording


def _record_reads(event: str, args: tuple) -> None:
    if _READS is None or event != "open":
        return
    path, mode, flags = args
    if not isinstance(path, (str, Path)):
        return  # an open file descriptor or a BytesIO, not a file being opened by name
    reading = ("r" in mode and "+" not in mode) if isinstance(mode, str) else not flags & (os.O_WRONLY | os.O_RDWR)
    if reading and Path(path).is_file():
        _READS.append(str(Path(path).resolve()))


sys.addaudithook(_record_reads)


def _reads_of(network: Path, *args: str, env: dict) -> dict[str, int]:
    """How many times each file of the network was opened for reading while the command ran."""
    global _READS
    from typer.testing import CliRunner

    from welfarectl.cli.app import app

    _READS = []
    try:
        done = CliRunner().invoke(app, ["-C", str(network), *args], env=env)
    finally:
        reads, _READS = _READS, None
    assert done.exit_code == 0, done.output
    inside = [path for path in reads if Path(path).is_relative_to(network.resolve())]
    return {Path(path).relative_to(network.resolve()).as_posix(): inside.count(path) for path in inside}


def test_validate_print_and_revocations_read_each_source_file_once(tmp_path):
    from cardkeys import signing_key, write_key_file

    network = tmp_path / "net"
    shutil.copytree(ROOT / "catalogue", network / "catalogue", ignore=shutil.ignore_patterns("keys"))
    shutil.copytree(ROOT / "templates", network / "templates")
    (network / "members").mkdir()
    for name in ("acetaia-il-cortile-antico.xlsx", "osteria-del-tortellino-felice.xlsx", "survey.xlsx"):
        shutil.copy(ROOT / "members" / name, network / "members")
    key = write_key_file(tmp_path / "signing.key", signing_key(5))
    env = {"WELFARECTL_AS_OF": "2026-11-26", "LANG": "C", "LC_ALL": "", "WELFARECTL_SIGNING_KEY": str(key),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    _reads_of(network, "cards", "issue", env=env)
    _reads_of(network, "cards", "revoke", "1000 0004", "--reason", "lost", env=env)

    validate = _reads_of(network, "validate", env=env)
    sources = {"catalogue/network.yaml", "catalogue/organisations.yaml", "catalogue/services.yaml",
               "catalogue/workshops.yaml", "members/acetaia-il-cortile-antico.xlsx",
               "members/osteria-del-tortellino-felice.xlsx", "members/survey.xlsx", "members/cards.jsonl",
               "members/cards.head", "templates/card-front.yaml", "templates/card-back.yaml"}
    assert sources <= set(validate), sources - set(validate)
    assert {path: n for path, n in validate.items() if n != 1} == {}

    printed = _reads_of(network, "cards", "print", "-o", str(tmp_path / "cards.pdf"), env=env)
    assert sources <= set(printed) and {path: n for path, n in printed.items() if n != 1} == {}

    published = _reads_of(network, "cards", "revocations", "-o", str(tmp_path / "revocations.json"), env=env)
    assert {"catalogue/network.yaml", "members/cards.jsonl"} <= set(published)
    assert {path: n for path, n in published.items() if n != 1} == {}
