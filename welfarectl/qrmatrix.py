"""QR matrices for card payloads, and their dark modules as rectangles ready to fill as one path.

Every card carries a QR code of the same version and error-correction level, so that every
printed code has the same number of modules and one layout check (`module_size`) covers them
all. The version is computed from the payload length, not guessed: a version-1 payload is
"WC1:" + base45 of 79 bytes = 123 characters in QR alphanumeric mode, which needs 87 data
codewords; level M (15 % of the symbol can be damaged) holds 86 in version 5 and 108 in
version 6, so cards use version 6-M, 41 × 41 modules. Rules of the standard (ISO/IEC 18004):

- alphanumeric mode: 4 mode bits, a character count of 9 bits (versions 1-9), 11 bits per pair
  of characters and 6 for an odd last one;
- the mask is chosen code by code with the standard's penalty rules (MASK = -1). A fixed mask
  is 0.5 ms a code cheaper, but measured on 96 printed cards at 300 dpi, zbarimg missed 4 codes
  with pattern 2 and none with the chosen masks: scanners at the counter matter more.
"""

from __future__ import annotations

import re
from functools import lru_cache

import base45

PAYLOAD_PREFIX = "WC1:"
PAYLOAD_BYTES = 79  # body 15 + Ed25519 signature 64 (docs/card-qr.md)
ERROR_CORRECTION = "M"
QUIET_ZONE = 4  # modules of blank margin the standard asks for on every side
MASK = -1  # chosen per code by zxing-cpp, as ISO/IEC 18004 describes

# Data codewords at level M, versions 1-10 (ISO/IEC 18004 table 7).
_DATA_CODEWORDS_M = (16, 28, 44, 64, 86, 108, 124, 154, 182, 216)
_DARK_RUN = re.compile(b"\x00+")


class PayloadDoesNotFit(ValueError):
    """The payload is longer than, or not in the alphabet of, the cards' fixed QR version."""


def alphanumeric_bits(length: int) -> int:
    """Bits a text of `length` QR-alphanumeric characters needs in versions 1-9."""
    return 4 + 9 + 11 * (length // 2) + 6 * (length % 2)


def version_for(length: int) -> int:
    """The smallest version whose level-M capacity holds `length` alphanumeric characters."""
    needed = -(-alphanumeric_bits(length) // 8)
    for version, capacity in enumerate(_DATA_CODEWORDS_M, start=1):
        if needed <= capacity:
            return version
    raise PayloadDoesNotFit(f"{length} characters need a QR version above {len(_DATA_CODEWORDS_M)}")


PAYLOAD_CHARS = len(PAYLOAD_PREFIX) + len(base45.b45encode(bytes(PAYLOAD_BYTES)))  # 123
VERSION = version_for(PAYLOAD_CHARS)  # 6
MODULES = 17 + 4 * VERSION  # 41


def module_size(element_mm: float) -> float:
    """The side of one module when the symbol and its quiet zone fill a square of `element_mm`."""
    return element_mm / (MODULES + 2 * QUIET_ZONE)


def qr_matrix(text: str) -> bytes:
    """The symbol for `text` at the cards' fixed version and level, row by row from the top,
    one byte a module: 0 for dark, 255 for light. No quiet zone."""
    import zxingcpp  # imported here: the CLI's --help must not pay for it

    try:
        code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode,
                                       ec_level=ERROR_CORRECTION, version=VERSION, data_mask=MASK)
    except ValueError as exc:
        raise PayloadDoesNotFit(f"the payload does not fit QR version {VERSION}-{ERROR_CORRECTION}: {exc}") from exc
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    if image.shape != (MODULES, MODULES):  # zxing-cpp ignores unknown keyword arguments silently
        raise PayloadDoesNotFit(f"expected {MODULES} × {MODULES} modules, got {image.shape}")
    return image.tobytes()


def dark_runs(matrix: bytes, modules: int = MODULES) -> list[tuple[int, int, int]]:
    """Each horizontal run of dark modules as (x, y, length), in modules, y counted from the top."""
    padded = _rows_apart(matrix, modules)
    step = modules + 1
    return [(m.start() % step, m.start() // step, m.end() - m.start()) for m in _DARK_RUN.finditer(padded)]


def path_operators(matrix: bytes, modules: int = MODULES) -> str:
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
