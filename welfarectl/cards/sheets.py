"""Sheets for the print shop: the page formats and the grid of cards on each, crop marks, the job
ticket and the manifest that go beside a print run's PDF.

Sheets (`SHEETS`):
- `single`: one card a page, the page exactly the card's trim size (85.60 × 53.98 mm), artwork to
  the edge, no marks: what desktop card printers take (they print edge to edge on blank cards).
  Each card's front is followed by its back.
- `a4`, `sra3`: portrait sheets, cards landscape, as many as fit in a centred grid with BLEED mm of
  bleed around every card, GUTTER (twice the bleed) between cards, and margins wide enough for
  crop marks outside every bleed and clear of the paper edge. Crop marks sit in the outer
  margins on every trim line. Cards fill rows left to right, top to bottom. Each sheet's front
  page is followed by its back page, where each back sits at x' = page width - x - card width
  in the same row, so that it lands behind its front when the sheet is turned on its long edge.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from welfarectl.pdf.fonts import FONTS

from .layout import CARD_HEIGHT, CARD_WIDTH

BLEED = 2.0  # mm of artwork beyond the trim, on every side of every card on a sheet
GUTTER = 2 * BLEED  # mm between neighbouring cards: their bleeds meet, one cut each side
MARK_OFFSET = BLEED + 1.0  # mm from the trim where a crop mark starts: clear of the bleed
MARK_LENGTH = 5.0
SHEET_EDGE = 3.0  # mm by the paper's edge left blank: presses and lasers do not print there
MIN_MARGIN = MARK_OFFSET + MARK_LENGTH + SHEET_EDGE
MARK_WIDTH = 0.25  # pt
REGISTRATION = (1, 1, 1, 1)  # crop marks print on every plate
MANIFEST_COLUMNS = ("sheet", "slot", "side", "card", "company", "holder")


@dataclass(frozen=True)
class Sheet:
    """A page format and the grid of cards on it, in mm from the page's top-left corner."""

    name: str
    label: str
    width: float
    height: float
    columns: int
    rows: int
    left: float  # left trim of the first column
    top: float  # top trim of the first row
    bleed: float
    marks: bool

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def origin(self, slot: int, side: str) -> tuple[float, float]:
        """Top-left trim corner of the card in `slot` (0-based) on the front or back page."""
        row, column = divmod(slot, self.columns)
        x = self.left + column * (CARD_WIDTH + GUTTER)
        if side == "back":
            x = self.width - x - CARD_WIDTH
        return x, self.top + row * (CARD_HEIGHT + GUTTER)

    def slot_on_page(self, slot: int, side: str) -> int:
        """The 1-based position, read row by row as the page lies, of the card in `slot`."""
        if side == "front":
            return slot + 1
        row, column = divmod(slot, self.columns)
        return row * self.columns + (self.columns - 1 - column) + 1


def impose(name: str, label: str, width: float, height: float) -> Sheet:
    """The largest grid of landscape cards that keeps MIN_MARGIN on every side, centred."""
    columns = int((width - 2 * MIN_MARGIN + GUTTER) // (CARD_WIDTH + GUTTER))
    rows = int((height - 2 * MIN_MARGIN + GUTTER) // (CARD_HEIGHT + GUTTER))
    left = (width - columns * CARD_WIDTH - (columns - 1) * GUTTER) / 2
    top = (height - rows * CARD_HEIGHT - (rows - 1) * GUTTER) / 2
    return Sheet(name, label, width, height, columns, rows, left, top, BLEED, True)


SHEETS = {
    "single": Sheet("single", "card size (85.60 × 53.98 mm)", CARD_WIDTH, CARD_HEIGHT, 1, 1, 0, 0, 0, False),
    "a4": impose("a4", "A4", 210, 297),
    "sra3": impose("sra3", "SRA3", 320, 450),
}


# --- sheet furniture ---------------------------------------------------------------------------
def crop_marks(geometry: Sheet, cards: int | None = None, side: str = "front") -> list[tuple[float, float, float, float]]:
    """Crop marks as (x1, y1, x2, y2) in mm from the page's top-left: on every trim line of the
    cards on the page (all slots, or the first `cards`), in the margins outside them, from
    MARK_OFFSET to MARK_OFFSET + MARK_LENGTH off the outer trims."""
    origins = [geometry.origin(slot, side) for slot in range(geometry.per_sheet if cards is None else cards)]
    xs = sorted({x + d for x, _ in origins for d in (0, CARD_WIDTH)})
    ys = sorted({y + d for _, y in origins for d in (0, CARD_HEIGHT)})
    near, far = MARK_OFFSET, MARK_OFFSET + MARK_LENGTH
    marks = []
    for x in xs:
        marks += [(x, ys[0] - near, x, ys[0] - far), (x, ys[-1] + near, x, ys[-1] + far)]
    for y in ys:
        marks += [(xs[0] - near, y, xs[0] - far, y), (xs[-1] + near, y, xs[-1] + far, y)]
    return marks


# --- for the print shop ------------------------------------------------------------------------
def job_ticket(geometry: Sheet, count: int, fields_common: dict) -> str:
    """A short plain-text ticket: what to print on what, how to turn it, how to cut it."""
    sheets = math.ceil(count / geometry.per_sheet)
    network = fields_common.get("network_short") or fields_common.get("network") or ""
    fonts = ", ".join(name.replace("DejaVuSans", "DejaVu Sans").replace("-", " ") for name in FONTS)
    lines = [f"Job: welfare cards, {network}", ""]
    if geometry.name == "single":
        lines += [
            "Printer: desktop card printer, blank ISO/IEC 7810 ID-1 (CR80) cards, edge to edge",
            "Page size: 85.60 x 53.98 mm = finished card size; artwork to the edge, no bleed, no crop marks",
            f"Cards: {count:,} ({2 * count:,} pages: each front followed by its back)",
            "Duplex: yes, flip on the long edge (back upright behind the front)",
        ]
    else:
        lines += [
            f"Paper: {geometry.label} portrait, {geometry.width:g} x {geometry.height:g} mm; card stock, coated both sides",
            "Finished size: 85.60 x 53.98 mm (ISO/IEC 7810 ID-1), landscape; corners rounded 3.18 mm if possible",
            f"Cards: {count:,}, {geometry.per_sheet} a sheet ({geometry.columns} across x {geometry.rows} down)",
            f"Sheets: {sheets:,} ({2 * sheets:,} pages: odd pages fronts, even pages backs)",
            "Duplex: yes, flip on the long edge; backs are mirrored left to right to land behind their fronts",
            f"Bleed: {geometry.bleed:g} mm on every side of every card; gutters {GUTTER:g} mm, where the bleeds of "
            "neighbouring cards meet: cut each card on its own trim lines (two cuts per gutter)",
            f"Margins: {geometry.left:.2f} mm left and right, {geometry.top:.2f} mm top and bottom (to the trim)",
            f"Crop marks: {MARK_WIDTH:g} pt registration, in the outer margins, from {MARK_OFFSET:g} mm off the trim",
        ]
    lines += [
        "Colour: CMYK only, no spot colours; QR codes 100 % K on white, do not scale the PDF",
        f"Fonts: {fonts}, embedded",
        "Manifest: the CSV beside this ticket lists sheet, slot, side, card, company and holder; slots count "
        "left to right, top to bottom, as seen on each page (on a back page a card's slot is its mirrored column)",
    ]
    return "\n".join(lines) + "\n"


def manifest_csv(rows: list[dict]) -> str:
    """The manifest as CSV text (Excel dialect). A cell that a spreadsheet would read as a formula
    (starting with =, +, -, @) gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(row.get(key, "")) for key in MANIFEST_COLUMNS})
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
