"""`welfarectl init`: a new, minimal, valid network to start from."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from welfarectl.base.errors import UsageError
from welfarectl.base.output import write_bytes_atomic

from .schema import write_schemas

EMPLOYEE_HEADERS = ("Cognome", "Nome", "Codice fiscale", "Data assunzione", "Data cessazione", "E-mail", "Sede")


# Generated files, the registry's lock and the temporary files of a writer stopped mid-write.
GITIGNORE = "output/\nmembers/.cards.lock\nmembers/.cards.*.tmp\n"
# The registry and its head are hash-chained byte by byte: Git must never convert their line
# endings (Git for Windows does, with core.autocrlf). Workbooks are binary.
GITATTRIBUTES = "members/cards.jsonl -text\nmembers/cards.head -text\n*.xlsx binary\n"


class NotEmpty(UsageError):
    """init only creates a network in a new or empty directory."""


def create_network(root: Path) -> None:
    """Create the network's folders and files in `root`, which must be new or empty."""
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise NotEmpty(f"{root} is not empty; init only creates a network in a new or empty directory",
                       f"{root} non è vuota; init crea una rete solo in una cartella nuova o vuota")
    skeleton = resources.files("welfarectl") / "skeleton"
    _copy_tree(skeleton, root)
    write_schemas(root)
    (root / "output").mkdir(exist_ok=True)
    write_bytes_atomic(root / ".gitignore", GITIGNORE.encode("utf-8"))
    write_bytes_atomic(root / ".gitattributes", GITATTRIBUTES.encode("utf-8"))
    write_employee_template(root / "members" / "prima-impresa.xlsx")


def _copy_tree(source, target: Path) -> None:
    for entry in source.iterdir():
        if entry.name.startswith("__"):
            continue
        if entry.is_dir():
            _copy_tree(entry, target / entry.name)
        else:
            write_bytes_atomic(target / entry.name, entry.read_bytes())


def write_employee_template(path: Path) -> None:
    """An empty employee workbook with the header row HR staff fill in."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dipendenti"
    sheet.append(EMPLOYEE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (22, 22, 20, 16, 16, 28, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
