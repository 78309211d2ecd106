"""CSV files as Italian spreadsheets save them, read into the same grid of cells a sheet gives.

Excel and LibreOffice in Italian save "CSV" with `;` between cells (the comma is the decimal
separator), in UTF-8 with or without a byte-order mark, or in Windows-1252 ("CSV (delimitato dal
separatore di elenco)" of older Excel), and Excel's "Unicode text" is UTF-16. The encoding is
detected by charset-normalizer among those three, never guessed by hand; the separator is the one
of `;`, `,` and tab that splits the first lines into the same number of cells, `;` first.

Every cell is text, as written: dates and numbers are read from it by the table reader's rules.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from welfarectl.base.problems import Location, Problem, os_reason, problem

MAX_CSV_BYTES = 64 * 2**20
ENCODINGS = ("utf_8", "cp1252", "utf_16")  # what Italian spreadsheets save CSV and text files in
SEPARATORS = (";", ",", "\t")
_SNIFF_LINES = 30


def read_csv_rows(path: Path, rel: str) -> tuple[list[list[str]] | None, str | None, list[Problem]]:
    """The file's rows, all of the same length (short lines padded with empty cells), the encoding
    it was read in, and problems: a file that cannot be read, or is not text in one of `ENCODINGS`
    (a spreadsheet saved under a .csv name), is `file-unreadable` and gives no rows."""
    where = Location(rel)
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            return None, None, [problem("file-unreadable", where, reason=f"larger than {MAX_CSV_BYTES // 2**20} MB",
                                        reason_it=f"più grande di {MAX_CSV_BYTES // 2**20} MB")]
        data = path.read_bytes()
    except OSError as error:
        return None, None, [problem("file-unreadable", where, **os_reason(error))]
    text, encoding = decode_text(data)
    if text is None:
        return None, None, [problem("file-unreadable", where,
                                    reason="not CSV text in UTF-8 or Windows-1252 (a spreadsheet saved as .csv?)",
                                    reason_it="non è testo CSV in UTF-8 o Windows-1252 (un foglio di calcolo salvato come .csv?)")]
    separator = choose_separator(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        return None, encoding, [problem("file-unreadable", where, reason=f"not a CSV file ({error})",
                                        reason_it=f"non è un file CSV («{error}»)")]
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return rows, encoding, []


def decode_text(data: bytes) -> tuple[str | None, str | None]:
    """The text of `data` and its encoding (charset-normalizer, among `ENCODINGS`; a byte-order
    mark is honoured and dropped), or (None, None) when it is none of them."""
    if not data:
        return "", "utf_8"
    from charset_normalizer import from_bytes  # imported here: only imports pay for it

    best = from_bytes(data, cp_isolation=list(ENCODINGS)).best()
    if best is None:
        return None, None
    text = str(best)
    if "\x00" in text:  # binary data that happens to decode
        return None, None
    return text.removeprefix("\ufeff"), best.encoding


def choose_separator(text: str) -> str:
    """The separator that splits the first non-blank lines into the most rows of one same width
    (more than one cell); `;` wins ties, as Italian spreadsheets use it."""
    sample = [line for line in text.splitlines()[:_SNIFF_LINES * 2] if line.strip()][:_SNIFF_LINES]
    best, best_score = SEPARATORS[0], 0
    for separator in SEPARATORS:
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=separator)]
        except csv.Error:
            continue
        wide = [width for width in widths if width > 1]
        if not wide:
            continue
        mode = max(set(wide), key=wide.count)
        score = wide.count(mode) * mode
        if score > best_score:
            best, best_score = separator, score
    return best
