"""QR matrices, and their dark modules as rectangles ready to fill as one path.

Codes are made by zxing-cpp (measured 18 times faster than the qrcode package, and it chooses
each code's mask with the standard's penalty rules). A caller that prints many codes of one
kind fixes their version and level, so that every printed code has the same number of modules
and one layout check covers them all; `version_for` computes that version from the text's
length instead of guessing. Rules of the standard (ISO/IEC 18004):

- alphanumeric mode: 4 mode bits, a character count of 9 bits (versions 1-9), 11 bits per pair
  of characters and 6 for an odd last one;
- the mask is chosen code by code with the standard's penalty rules (MASK = -1). A fixed mask
  is 0.5 ms a code cheaper, but measured on 96 printed cards at 300 dpi, zbarimg missed 4 codes
  with pattern 2 and none with the chosen masks: scanners at the counter matter more.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

QUIET_ZONE = 4  # modules of blank margin the standard asks for on every side
MASK = -1  # chosen per code by zxing-cpp, as ISO/IEC 18004 describes

# Data codewords at level M, versions 1-10 (ISO/IEC 18004 table 7).
_DATA_CODEWORDS_M = (16, 28, 44, 64, 86, 108, 124, 154, 182, 216)
_DARK_RUN = re.compile(b"\x00+")


class DoesNotFit(ValueError):
    """The text is longer than, or not in the alphabet of, the version asked for."""


def alphanumeric_bits(length: int) -> int:
    """Bits a text of `length` QR-alphanumeric characters needs in versions 1-9."""
    return 4 + 9 + 11 * (length // 2) + 6 * (length % 2)


def version_for(length: int) -> int:
    """The smallest version whose level-M capacity holds `length` alphanumeric characters."""
    needed = -(-alphanumeric_bits(length) // 8)
    for version, capacity in enumerate(_DATA_CODEWORDS_M, start=1):
        if needed <= capacity:
            return version
    raise DoesNotFit(f"{length} characters need a QR version above {len(_DATA_CODEWORDS_M)}")


def modules_of(version: int) -> int:
    """Modules on a side of a symbol of `version` (no quiet zone)."""
    return 17 + 4 * version


def version_of(matrix: bytes) -> int:
    """The version of a symbol, from its number of modules."""
    return (math.isqrt(len(matrix)) - 17) // 4


def module_size(element_mm: float, modules: int) -> float:
    """The side of one module when the symbol and its quiet zone fill a square of `element_mm`."""
    return element_mm / (modules + 2 * QUIET_ZONE)


def qr_matrix(text: str, version: int = 0, ec_level: str = "M") -> bytes:
    """The symbol for `text` at `version` (0: the smallest that holds it) and error-correction
    level, row by row from the top, one byte a module: 0 for dark, 255 for light. No quiet zone."""
    import zxingcpp  # imported here: the CLI's --help must not pay for it

    options = {"version": version} if version else {}
    try:
        code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level,
                                       data_mask=MASK, **options)
    except ValueError as exc:
        raise DoesNotFit(f"the text does not fit QR version {version or 'any'}-{ec_level}: {exc}") from exc
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    side = image.shape[0]
    if version and image.shape != (modules_of(version), modules_of(version)):
        # zxing-cpp ignores keyword arguments it does not know, silently
        raise DoesNotFit(f"expected {modules_of(version)} × {modules_of(version)} modules, got {image.shape}")
    if image.shape != (side, side):
        raise DoesNotFit(f"not a square symbol: {image.shape}")
    return image.tobytes()


def dark_runs(matrix: bytes, modules: int) -> list[tuple[int, int, int]]:
    """Each horizontal run of dark modules as (x, y, length), in modules, y counted from the top."""
    padded = _rows_apart(matrix, modules)
    step = modules + 1
    return [(m.start() % step, m.start() // step, m.end() - m.start()) for m in _DARK_RUN.finditer(padded)]


def path_operators(matrix: bytes, modules: int) -> str:
    """PDF path operators (`x y w 1 re`, in module units, y downwards), one rectangle for each
    horizontal run of dark modules: filled together as one path, they leave no seams. The same
    operators as `dark_runs` would give, found without a step of Python per run: the matrix is
    spelt as lines of text, a dark module as a character naming its column and a light one as a
    space, so that `str.split` cuts out a line's runs and each run is its own key to its operator
    (the few hundred a row can have, remembered; the row's y put in once the line is joined)."""
    spelling = _spelling(modules)
    dark = _rows_apart(matrix, modules).translate(_DARK_AS_FF)
    lanes = int.from_bytes(dark.decode("latin-1").encode("utf-16-le"), "little") * 0x101  # 0xffff a dark module
    text = ((lanes & spelling.columns) ^ spelling.blanks).to_bytes(2 * len(dark), "little").decode("utf-16-le")
    operator = spelling.operators.__getitem__
    return " ".join(filter(None, [" ".join(map(operator, line.split())).replace(_Y, y)
                                  for line, y in zip(text.split("\n"), spelling.rows, strict=True)]))


_DARK_AS_FF = bytes([0xFF] + [0] * 255)  # a dark module (0) as 0xff, anything else as 0
_FIRST_COLUMN = 0x100  # the character of column 0; none from here to U+1680 is a space to str.split
_Y = "\x00"  # where a run's operator takes its row's y


@dataclass(frozen=True)
class _Spelling:
    """How `path_operators` spells a matrix of `modules` a side, as 16-bit lanes of one integer,
    a lane a module and one between rows: `blanks` is a space in each module's lane and a line
    break between rows; `columns` is each module's character (_FIRST_COLUMN + x) exclusive-or its
    blank, so that a dark lane masked by it becomes the character and a light one the blank."""

    columns: int
    blanks: int
    rows: tuple[str, ...]  # each row's y, as written
    operators: _RunOperators


class _RunOperators(dict):
    """A run's operator with _Y for its row's y, by the run as spelt: each worked out the first
    time it is met (a row of n modules has n * (n + 1) / 2 runs it can hold)."""

    def __missing__(self, run: str) -> str:
        operator = self[run] = f"{ord(run[0]) - _FIRST_COLUMN} {_Y} {len(run)} 1 re"
        return operator


@lru_cache(maxsize=4)
def _spelling(modules: int) -> _Spelling:
    blank_row, column_row = " " * modules, "".join(map(chr, range(_FIRST_COLUMN, _FIRST_COLUMN + modules)))
    blanks = "\n".join([blank_row] * modules).encode("utf-16-le")
    columns = "\n".join([column_row] * modules).encode("utf-16-le")
    lanes = int.from_bytes(blanks, "little")
    return _Spelling(int.from_bytes(columns, "little") ^ lanes, lanes, tuple(map(str, range(modules))),
                     _RunOperators())


def _rows_apart(matrix: bytes, modules: int) -> bytes:
    """The rows joined by one light byte, so that no run of dark modules crosses a row end."""
    return b"\xff".join([matrix[i:i + modules] for i in range(0, modules * modules, modules)])
