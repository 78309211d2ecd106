"""Build real workbooks, good and broken, for the workbook tests.

`write_workbook` uses openpyxl (as HR software would); `write_raw_xlsx` zips sheet XML by hand
for what openpyxl cannot write (cached formula values, rows without `r`); the other helpers make
the broken files HR staff actually send: CSVs and old .xls files renamed, truncated downloads,
password-protected workbooks, zip bombs.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

EMPLOYEE_HEADER = ["Cognome", "Nome", "Codice fiscale", "Data assunzione", "Data cessazione", "E-mail", "Sede"]


def write_workbook(path: Path, sheets: dict[str, list[list]] | list[list],
                   setup: Callable[[Workbook], None] | None = None) -> Path:
    """Write rows (lists of cell values) into sheets by name; a plain list is one sheet
    'Dipendenti'. `setup` may merge, hide, ... on the openpyxl workbook before saving."""
    if not isinstance(sheets, dict):
        sheets = {"Dipendenti": sheets}
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if setup:
        setup(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>
</Relationships>"""
_SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{before}<sheetData>{data}</sheetData></worksheet>"""


def inline(ref: str, text: str) -> str:
    """A text cell as raw XML."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def header_row(number: int, texts: list[str]) -> str:
    """A row of text cells from column A, as raw XML."""
    cells = "".join(inline(f"{chr(65 + i)}{number}", t) for i, t in enumerate(texts))
    return f'<row r="{number}">{cells}</row>'


def write_raw_xlsx(path: Path, sheet_data: str, sheet_name: str = "Dipendenti", before: str = "") -> Path:
    """A minimal workbook whose one sheet has exactly the <sheetData> XML given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(sheet_name)))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", _SHEET.format(before=before, data=sheet_data))
    return path


def write_zip_bomb(path: Path, megabytes: int = 300) -> Path:
    """A workbook-shaped zip whose sheet inflates to `megabytes` of spaces (about 300 kB on disk),
    written in chunks so this helper itself stays in bounded memory."""
    chunk = b" " * 2**20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(name="Dipendenti"))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return path


def write_lying_zip(path: Path, good: Path) -> Path:
    """A copy of the workbook `good` whose sheet member declares a smaller size than it inflates to
    (a bomb that lies in its headers): the central directory's size field is patched."""
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    real = info.file_size.to_bytes(4, "little")
    fake = (info.file_size // 2).to_bytes(4, "little")
    # local header: uncompressed size at offset 22; central directory entry: at offset 24
    local = info.header_offset
    assert data[local + 22:local + 26] == real
    data[local + 22:local + 26] = fake
    name = info.filename.encode()
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    assert data[central + 24:central + 28] == real
    data[central + 24:central + 28] = fake
    path.write_bytes(bytes(data))
    return path


def _ole2(names: list[str]) -> bytes:
    """An OLE2 compound-file header followed by a directory sector naming `names` (UTF-16LE,
    128-byte entries), as Excel writes old .xls files and encrypted .xlsx containers."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    header = header.ljust(512, b"\x00")
    entries = b""
    for name in ["Root Entry", *names]:
        encoded = (name + "\0").encode("utf-16-le")
        entries += encoded.ljust(64, b"\x00") + len(encoded).to_bytes(2, "little") + bytes(62)
    return header + entries.ljust(512, b"\x00") + bytes(1024)


def write_old_xls(path: Path) -> Path:
    path.write_bytes(_ole2(["Workbook", "\x05SummaryInformation"]))
    return path


def write_password_protected(path: Path) -> Path:
    path.write_bytes(_ole2(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]))
    return path


def truncate(path: Path, keep: float = 0.5) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path
