"""The house's rules (docs/house.md), read from the code itself: which part may import which,
one clock, empty package faces, no private names borrowed across modules, no import circles."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "welfarectl"
PARTS = ("base", "sources", "network", "pdf", "cards", "cli")


def modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))]


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
