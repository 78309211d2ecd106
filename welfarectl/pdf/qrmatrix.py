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
    spelt as a text whose dark modules are characters naming their place and whose light ones
    are spaces, so that `str.split` cuts out the runs and each run is its own key to its operator."""
    if modules > _SPELT_UP_TO:
        return " ".join([f"{x} {y} {length} 1 re" for x, y, length in dark_runs(matrix, modules)])
    spelling = _spelling(modules)
    dark = _rows_apart(matrix, modules).translate(_DARK_AS_FF)
    lanes = int.from_bytes(dark.decode("latin-1").encode("utf-16-le"), "little") * 0x101  # 0xffff a dark module
    text = ((lanes & spelling.places) ^ spelling.spaces).to_bytes(2 * len(dark), "little").decode("utf-16-le")
    return " ".join(map(spelling.operators.__getitem__, text.split()))


_DARK_AS_FF = bytes([0xFF] + [0] * 255)  # a dark module (0) as 0xff, anything else as 0
_FIRST_PLACE = 0x100  # the character of the first module; none up to U+1680 is a space to str.split
_SPELT_UP_TO = 73  # modules a side (version 14): the places of a larger symbol would reach U+1680


@dataclass(frozen=True)
class _Spelling:
    """How `path_operators` spells a matrix of `modules` a side: a module's character is
    _FIRST_PLACE + y * (modules + 1) + x (the rows one place apart, so that no run reaches into the
    next), as 16-bit lanes of one integer; `spaces` is a space in every lane; `places` is each
    lane's character exclusive-or a space (so a dark lane becomes its character, a light one a space)."""

    places: int
    spaces: int
    operators: _RunOperators


class _RunOperators(dict):
    """`x y w 1 re` by the run as spelt: each worked out the first time it is met."""

    def __init__(self, modules: int) -> None:
        super().__init__()
        self.step = modules + 1

    def __missing__(self, run: str) -> str:
        y, x = divmod(ord(run[0]) - _FIRST_PLACE, self.step)
        operator = self[run] = f"{x} {y} {len(run)} 1 re"
        return operator


@lru_cache(maxsize=4)
def _spelling(modules: int) -> _Spelling:
    size = modules * (modules + 1) - 1  # the rows and the places between them
    spaces = int.from_bytes((" " * size).encode("utf-16-le"), "little")
    places = "".join(map(chr, range(_FIRST_PLACE, _FIRST_PLACE + size))).encode("utf-16-le")
    return _Spelling(int.from_bytes(places, "little") ^ spaces, spaces, _RunOperators(modules))


def _rows_apart(matrix: bytes, modules: int) -> bytes:
    """The rows joined by one light byte, so that no run of dark modules crosses a row end."""
    return b"\xff".join([matrix[i:i + modules] for i in range(0, modules * modules, modules)])
