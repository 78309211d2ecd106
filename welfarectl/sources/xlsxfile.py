"""The .xlsx file itself: opened safely before any cell is read, and scanned for what calamine
does not tell (formulas without a cached value, hidden rows and columns).

- the zip is opened and its declared sizes checked *before* calamine touches it (zip bombs);
- every member is inflated once by `zipfile`, which stops at the declared size and checks the
  CRC, so a member that lies about its size is refused instead of inflating without bound;
- sheet XML is parsed with defusedxml, and only when a cheap byte search says it is needed.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path

import python_calamine
from defusedxml import ElementTree as SafeET

from welfarectl.base.cells import column_index
from welfarectl.base.problems import Location, Problem, os_reason, problem

MAX_TOTAL_BYTES = 256 * 2**20
MAX_RATIO = 200
MAX_RATIO_BYTES = 20 * 2**20
_CHUNK = 2**20


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def formulas_without_value(xml: bytes, header_row: int, kept: set[int]) -> list[tuple[int, int]]:
    """(row, column), 0-based, of formula cells below the header in kept columns with no cached
    value. An empty cached value of a text formula (t="str", e.g. =IF(A2="";"";...)) is a value."""
    if not ((b"<f" in xml or b":f" in xml) and _FORMULA.search(xml)):  # `in` is far cheaper than a regex
        return []
    found = []
    row = col = 0
    for event, elem in SafeET.iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = elem.tag.rpartition("}")[2]
        if event == "start":
            if tag == "row":
                r = elem.get("r")
                row, col = (int(r) if r else row + 1), 0
            continue
        if tag == "c":
            ref = _CELL_REF.fullmatch(elem.get("r") or "")
            col = column_index(ref[1]) + 1 if ref else col + 1
            if row > header_row and col - 1 in kept:
                children = {child.tag.rpartition("}")[2]: child for child in elem}
                if "f" in children:
                    v = children.get("v")
                    if v is None or (not v.text and elem.get("t") != "str"):
                        found.append((row - 1, col - 1))
        elif tag == "row":
            elem.clear()
    return found


_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\shidden="(?:1|true)"[^>]*>')
_HIDDEN_COL = re.compile(rb'<(?:\w+:)?col\b[^>]*?\shidden="(?:1|true)"[^>]*>')
_ATTR = re.compile(rb'\s(r|min|max)="(\d+)"')


def hidden_rows_and_columns(xml: bytes, kept: set[int]) -> tuple[set[int], list[int]]:
    """Hidden row numbers (1-based) and hidden kept columns (0-based) in a sheet's XML."""
    rows = set()
    for m in _HIDDEN_ROW.finditer(xml):
        attrs = dict(_ATTR.findall(m[0]))
        if b"r" in attrs:
            rows.add(int(attrs[b"r"]))
    columns = set()
    for m in _HIDDEN_COL.finditer(xml):
        attrs = dict(_ATTR.findall(m[0]))
        low, high = int(attrs.get(b"min", 0)), int(attrs.get(b"max", 0))
        columns |= {c for c in kept if low <= c + 1 <= high}
    return rows, sorted(columns)


def open_workbook(path: Path, rel: str, data: bytes | None = None
                   ) -> tuple[python_calamine.CalamineWorkbook | None, dict[str, bytes], list[Problem]]:
    """The calamine workbook and each sheet's XML by sheet name, or None and one problem; `data`:
    the file's bytes, when the caller has read them already.

    Rules: an empty file, a non-zip (CSV, HTML, old .xls, password-protected .xlsx), a damaged
    zip or one without xl/workbook.xml is `unreadable-workbook`; declared sizes over 256 MB in
    all, or a member over 20 MB compressed more than 200:1, is `workbook-too-large`.
    """
    where = Location(rel)

    def unreadable(reason: str, reason_it: str):
        return None, {}, [problem("unreadable-workbook", where, reason=reason, reason_it=reason_it)]

    if data is None:
        try:
            size = path.stat().st_size
            if size > MAX_TOTAL_BYTES:
                return None, {}, [_too_large(where, size, MAX_TOTAL_BYTES)]
            data = path.read_bytes()
        except OSError as error:
            return None, {}, [problem("file-unreadable", where, **os_reason(error))]
    if len(data) > MAX_TOTAL_BYTES:
        return None, {}, [_too_large(where, len(data), MAX_TOTAL_BYTES)]
    if not data:
        return unreadable("the file is empty", "il file è vuoto")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, OSError):
        return unreadable(*_describe_non_zip(data))
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        return None, {}, [_too_large(where, total, MAX_TOTAL_BYTES)]
    for info in infos:
        if info.file_size > MAX_RATIO_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return None, {}, [problem("workbook-too-large", where, size=_megabytes(info.file_size),
                                      limit=f"{_megabytes(MAX_RATIO_BYTES)}, compressed over {MAX_RATIO}:1",
                                      limit_it=f"{_megabytes(MAX_RATIO_BYTES)}, compresso oltre {MAX_RATIO}:1")]
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names and "mimetype" in names:
            return unreadable("an OpenDocument (.ods) file: save it as .xlsx", "un file OpenDocument (.ods): salvalo come .xlsx")
        return unreadable("a zip file without xl/workbook.xml, not an Excel workbook",
                          "un archivio zip senza xl/workbook.xml, non una cartella di lavoro Excel")
    try:
        sheet_paths = _sheet_paths(archive)
        wanted = set(sheet_paths.values())
        xml: dict[str, bytes] = {}
        for info in infos:
            if info.filename in wanted:
                xml[info.filename] = archive.read(info)
            elif not info.is_dir():
                _inflate_and_discard(archive, info)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError,
            SafeET.ParseError, OSError) as error:  # defusedxml's refusals (DTD, entities) are ValueErrors
        return unreadable(f"damaged file ({error})", f"file danneggiato («{error}»)")
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        return unreadable(*_PASSWORD_PROTECTED)
    except (python_calamine.CalamineError, ValueError, OSError) as error:
        return unreadable(f"damaged file ({error})", f"file danneggiato («{error}»)")
    return book, {name: xml[p] for name, p in sheet_paths.items() if p in xml}, []


def _inflate_and_discard(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Inflate a member in chunks: zipfile stops at the declared size and checks the CRC, so a
    member that lies about its size raises here instead of flooding calamine."""
    with archive.open(info) as stream:
        while stream.read(_CHUNK):
            pass


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> XML member path, from xl/workbook.xml and its relationships."""
    book = SafeET.fromstring(archive.read("xl/workbook.xml"))
    try:
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels if rel.tag.endswith("Relationship")}
    paths = {}
    for sheet in book.iter():
        if sheet.tag.rpartition("}")[2] != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid)
        if target:
            paths[sheet.get("name", "")] = (target.lstrip("/") if target.startswith("/")
                                            else posixpath.normpath(posixpath.join("xl", target)))
    return paths


_PASSWORD_PROTECTED = ("password-protected: save it again without a password",
                       "protetto da password: salvalo di nuovo senza password")


def _describe_non_zip(data: bytes) -> tuple[str, str]:
    """Why bytes that are not a zip cannot be a workbook, in words HR staff can act on, in English
    and Italian."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptionInfo".encode("utf-16-le") in data:
            return _PASSWORD_PROTECTED
        return "an old .xls file: save it as .xlsx", "un vecchio file .xls: salvalo come .xlsx"
    if data.startswith(b"PK"):
        return ("the file is truncated or damaged (incomplete zip archive)",
                "il file è troncato o danneggiato (archivio zip incompleto)")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return ("not a zip file but a web page (HTML) renamed .xlsx",
                "non è un file zip ma una pagina web (HTML) rinominata .xlsx")
    return ("not a zip file (perhaps a CSV or text file renamed .xlsx)",
            "non è un file zip (forse un file CSV o di testo rinominato .xlsx)")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"


def _too_large(where: Location, size: int, limit: int) -> Problem:
    return problem("workbook-too-large", where, size=_megabytes(size), limit=_megabytes(limit), limit_it=_megabytes(limit))
