"""Spreadsheet cell references: column letters and numbers, as every Excel user writes them.

openpyxl has the same helpers, but importing it costs 0.2 s, more than reading a workbook with
calamine; these few lines are all welfarectl needs.
"""

from __future__ import annotations


def column_letter(index: int) -> str:
    """0-based column index to Excel letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel letters to a 0-based column index: A -> 0, AA -> 26."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number - 1


def split_cell(cell: str) -> tuple[str, int]:
    """'C14' -> ('C', 14); a reference without a row gives 0."""
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters):]
    return letters, int(digits) if digits else 0
