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
    horizontal run of dark modules: filled together as one path, they leave no seams."""
    table = _run_operators(modules)
    step = modules + 1
    return " ".join([table[m.start() * step + m.end() - m.start()]
                     for m in _DARK_RUN.finditer(_rows_apart(matrix, modules))])


def _rows_apart(matrix: bytes, modules: int) -> bytes:
    """The rows joined by one light byte, so that no run of dark modules crosses a row end."""
    return b"\xff".join([matrix[i:i + modules] for i in range(0, modules * modules, modules)])


@lru_cache(maxsize=4)
def _run_operators(modules: int) -> list[str]:
    """`x y w 1 re` for every run, indexed by its start in the padded matrix times (modules + 1)
    plus its length: formatting numbers once instead of for every code keeps drawing fast."""
    step = modules + 1
    table = [""] * (modules * step * step)
    for y in range(modules):
        for x in range(modules):
            for length in range(1, modules - x + 1):
                table[(y * step + x) * step + length] = f"{x} {y} {length} 1 re"
    return table
