"""Print-ready card PDFs: fronts and backs from the layouts, imposed on the sheets of `sheets.py`.

Drawing rules: every colour is CMYK, the QR code pure black (K) on a knocked-out white square
that keeps its quiet zone clear; fonts are embedded subsets, and a character a text's font lacks
is drawn in the first of the network's fallback fonts that has it (`pdf.fonts.runs`); the document is made in
ReportLab's invariant mode, so the same cards and layouts give the same bytes. Layout elements
that do not change from card to card are drawn once into a form and placed on every card; the
QR code's dark modules are written as one path of merged rectangles; a card's texts are written
as operators made once a document for each text an element sets (`_Side.text_operators`); the
streams are compressed at COMPRESSION_LEVEL (`pdf/streams.py`).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from welfarectl.base.cores import fork_context, leave_interrupts_to_the_parent
from welfarectl.base.italian import format_day
from welfarectl.pdf import qrmatrix
from welfarectl.pdf.fonts import ASCENT, MM, register_fonts, runs, text_width
from welfarectl.pdf.streams import compress_streams
from welfarectl.pdf.textfit import block_height, fit_list, fit_text

from .layout import (
    CARD_HEIGHT,
    CARD_WIDTH,
    PER_CARD_FIELDS,
    Element,
    Layout,
    ListElement,
    QrElement,
    RectElement,
    TextElement,
    compile_text,
    fields_used,
    fill,
)
from .marks import define_crop_marks, define_proof_mark
from .number import format_card_number
from .payload import card_qr_matrix
from .sheets import SHEETS, Sheet, job_ticket

COMPRESSION_LEVEL = 4  # zlib's, for the PDF's streams: as small as ReportLab's level 6 with ASCII85, at a third of the CPU (pdf/streams.py)
HOLD_BACK_BELOW = 5.0  # pt: a card whose holder's text fits only below this and its min_size is not printed


@dataclass(frozen=True)
class PrintCard:
    """One card to print. `company` is printed on the card; `company_id`, when given, is what
    the manifest lists (the id the coordinator sorts envelopes by)."""

    number: str  # 8 digits
    holder: str
    company: str
    expires: date
    payload: str  # the signed QR text
    company_id: str = ""


@dataclass(frozen=True)
class PrintJob:
    pdf: bytes | None  # None when render_to wrote it to a file
    manifest: list[dict]
    ticket: str
    shrunk: tuple[tuple[str, str, float], ...] = ()  # (card, text, size) printed below the text's min_size


def too_small(card: PrintCard, front: Layout, back: Layout, fields_common: dict,
              fallbacks: tuple[str, ...] = ()) -> tuple[str, float] | None:
    """(text, size) of the smallest text of `card` that fits only below both its min_size and
    HOLD_BACK_BELOW pt, or None: a card that would print so is held back, not printed unreadable.
    Only texts with per-card fields can: fixed texts below their min_size are errors of the layout.
    For many cards, `hold_back_check` once and that for each card."""
    return hold_back_check(front, back, fields_common, fallbacks)(card)


def hold_back_check(front: Layout, back: Layout, fields_common: dict,
                    fallbacks: tuple[str, ...] = ()) -> Callable[[PrintCard], tuple[str, float] | None]:
    """`too_small` for any card of these layouts: the texts that vary from card to card found once."""
    fields = {key: value for key, value in fields_common.items() if not isinstance(value, list)}
    texts = [(element, compile_text(element.text), min(_min_size(element), HOLD_BACK_BELOW))
             for layout in (front, back) for element in layout.elements
             if isinstance(element, TextElement) and _varies(element)]

    def check(card: PrintCard) -> tuple[str, float] | None:
        values = _card_values(fields, card)
        smallest: tuple[str, float] | None = None
        for element, pieces, below in texts:
            text = fill(pieces, values)
            size = _fit(element, text, fallbacks).size
            if size < below and (smallest is None or size < smallest[1]):
                smallest = (text, size)
        return smallest

    return check


def _min_size(element: TextElement) -> float:
    return min(element.min_size or element.size, element.size)


def _card_values(fields: dict[str, object], card: PrintCard) -> dict[str, object]:
    return {**fields, "holder": card.holder, "company": card.company,
            "card_number": format_card_number(card.number), "expires": _format_expiry(card.expires)}


@functools.lru_cache(maxsize=4096)
def _format_expiry(day: date) -> str:
    """format_day, remembered: a batch's cards share a few hundred expiry days, and babel takes
    longer to format one than the rest of the card's fields."""
    return format_day(day)


@functools.lru_cache(maxsize=16384)
def _fit_text(text: str, font: str | tuple[str, ...], size: float, min_size: float | None, width: float, height: float,
              max_lines: int, leading: float):
    """fit_text, remembered: a print run fits each holder's text when it chooses the cards to print
    and again when it draws them. A batch (5,000 cards) brings two texts of its own a card, the
    holder's name and the card number: room for three batches' keeps a batch's first fits until
    it is drawn."""
    return fit_text(text, font, size, min_size, width, height, max_lines, leading)


def _chain(font: str, fallbacks: tuple[str, ...]) -> str | tuple[str, ...]:
    """The font a text is set in: the layout's font alone, or followed by the fallbacks."""
    return (font, *fallbacks) if fallbacks else font


def _fit(element: TextElement, text: str, fallbacks: tuple[str, ...]):
    return _fit_text(text, _chain(element.font, fallbacks), element.size, element.min_size, element.width, element.height,
                     element.max_lines, element.leading)


def render(cards: Sequence[PrintCard], front: Layout, back: Layout, fields_common: dict, sheet: str,
           proof: bool = False, fallbacks: tuple[str, ...] = (), *, on_sheet: Callable[[int], None] | None = None,
           helper: bool = True) -> PrintJob:
    """The PDF as bytes, the manifest rows and the job ticket. `fallbacks`: the registered names
    of the network's fallback fonts (`fontfiles.CardFonts.names`)."""
    out = io.BytesIO()
    job = render_to(out, cards, front, back, fields_common, sheet, proof, fallbacks, on_sheet=on_sheet, helper=helper)
    return PrintJob(out.getvalue(), job.manifest, job.ticket, job.shrunk)


def render_to(out: str | BinaryIO, cards: Sequence[PrintCard], front: Layout, back: Layout,
              fields_common: dict, sheet: str, proof: bool = False, fallbacks: tuple[str, ...] = (), *,
              on_sheet: Callable[[int], None] | None = None, helper: bool = True) -> PrintJob:
    """Write the PDF to a path or binary file; returns the manifest and the ticket. ReportLab
    holds every page until it writes the file: about 14 kB a card, 180 MB at the peak for
    10,000 cards on A4 (a large run is printed in batches: `cards/batches.py`). A proof has
    PROOF_MARK across every side of every card, so that no card of it can be handed out.
    `on_sheet(cards drawn so far)` is called after each sheet; `helper=False` keeps the QR codes
    in this process (a pool's worker may not start one of its own)."""
    from reportlab.pdfgen.canvas import Canvas

    if sheet not in SHEETS:
        raise ValueError(f"unknown sheet {sheet!r}; one of {', '.join(SHEETS)}")
    if not cards:
        raise ValueError("no cards to print")
    geometry = SHEETS[sheet]
    register_fonts()
    canvas = Canvas(out, pagesize=(geometry.width * MM, geometry.height * MM), invariant=1, pageCompression=0,
                    enforceColorSpace="cmyk", initialFontName="DejaVuSans", initialFontSize=10)
    compress_streams(canvas, COMPRESSION_LEVEL)
    _describe(canvas, fields_common, len(cards), geometry)
    sides = {"front": _Side("front", front, fields_common, geometry.bleed, proof, fallbacks),
             "back": _Side("back", back, fields_common, geometry.bleed, proof, fallbacks)}
    for side in sides.values():
        side.define_forms(canvas)
    if proof:
        define_proof_mark(canvas)
    if geometry.marks:
        define_crop_marks(canvas, geometry, len(cards))
    manifest: list[dict] = []
    per_sheet = geometry.per_sheet
    matrices_on_sheet: dict[str, bytes] = {}  # the QR matrices of the sheet being drawn, by payload
    for side in sides.values():
        side.matrices = matrices_on_sheet
    with _qr_matrices(cards, helper) as matrices:
        for number, start in enumerate(range(0, len(cards), per_sheet), start=1):
            batch = cards[start:start + per_sheet]
            matrices_on_sheet.clear()
            matrices_on_sheet.update((card.payload, next(matrices)) for card in batch)
            _draw_sheet(canvas, geometry, sides, batch, number, manifest)
            if on_sheet is not None:
                on_sheet(start + len(batch))
    canvas.save()
    return PrintJob(None, manifest, job_ticket(geometry, len(cards), fields_common),
                    tuple(sides["front"].shrunk + sides["back"].shrunk))


_PARALLEL_FROM = 64  # cards; below this a helper process costs more than it saves


@contextmanager
def _qr_matrices(cards: Sequence[PrintCard], helper: bool = True) -> Iterator[Iterator[bytes]]:
    """The cards' QR matrices in order. For a real batch a second process computes them while
    this one draws (choosing each code's mask costs about 0.6 ms, the drawing about as much), so
    the two cores share the work; the matrices are the same either way. Without `helper` (in a
    pool's worker, where the pool keeps the cores busy) they are computed here."""
    payloads = (card.payload for card in cards)
    context = fork_context()
    if context is None or not helper or len(cards) < _PARALLEL_FROM:
        yield map(card_qr_matrix, payloads)
        return
    with context.Pool(1, initializer=leave_interrupts_to_the_parent) as pool:
        yield pool.imap(card_qr_matrix, payloads, chunksize=32)


def _draw_sheet(canvas, geometry: Sheet, sides: dict, batch: Sequence[PrintCard], number: int,
                manifest: list[dict]) -> None:
    """One sheet: its fronts on one page, its backs on the next, each card noted in the manifest."""
    for name, side in sides.items():
        _start_page(canvas, geometry, name if len(batch) < geometry.per_sheet else None)
        for slot, card in enumerate(batch):
            x, y = geometry.origin(slot, name)
            side.draw(canvas, card, x * MM, (geometry.height - y - CARD_HEIGHT) * MM)
            manifest.append({"sheet": number, "slot": geometry.slot_on_page(slot, name), "side": name,
                             "card": card.number, "company": card.company_id or card.company,
                             "holder": card.holder})
        canvas.showPage()


def _describe(canvas, fields_common: dict, count: int, geometry: Sheet) -> None:
    network = str(fields_common.get("network_short") or fields_common.get("network") or "")
    canvas.setTitle(f"Tessere welfare - {network}".strip(" -"))
    canvas.setAuthor(network)
    canvas.setSubject(f"{count} cards, {geometry.label}, fronts and backs")
    canvas.setCreator("welfarectl")


def _start_page(canvas, geometry: Sheet, partial_side: str | None) -> None:
    """Page boxes and crop marks; `partial_side` names the side of a last sheet that is not full,
    whose marks stop at the cards it has."""
    media = (0, 0, geometry.width * MM, geometry.height * MM)
    canvas.setTrimBox(media)
    canvas.setBleedBox(media)
    if geometry.marks:
        canvas.doForm(f"crop-marks-last-{partial_side}" if partial_side else "crop-marks")


# --- one side of a card ------------------------------------------------------------------------
class _Side:
    """A layout ready to draw: runs of elements that are the same on every card become forms;
    the others are drawn card by card, in the layout's order."""

    def __init__(self, name: str, layout: Layout, fields_common: dict, bleed: float, proof: bool = False,
                 fallbacks: tuple[str, ...] = ()) -> None:
        self.name = name
        self.proof = proof
        self.fallbacks = fallbacks
        self.fields = {key: value for key, value in fields_common.items() if not isinstance(value, list)}
        self.lists = {key: value for key, value in fields_common.items() if isinstance(value, list)}
        self.bleed = bleed
        self.steps: list[tuple[str, object]] = []  # ("form", name) or ("element", element)
        self.forms: list[tuple[str, list[Element]]] = []
        run: list[Element] = []
        for element in layout.elements:
            if _varies(element):
                self._close(run)
                run = []
                self.steps.append(("element", element))
            else:
                run.append(element)
        self._close(run)
        self.drawn: dict[tuple[int, str], tuple[str, float]] = {}  # see `text_operators`
        self.shrunk: list[tuple[str, str, float]] = []
        self.matrices: dict[str, bytes] = {}  # the QR matrices of the sheet being drawn, set by render_to
        self.pieces = {id(e): compile_text(e.text) for e in layout.elements if isinstance(e, TextElement)}

    def _close(self, run: list[Element]) -> None:
        if run:
            name = f"{self.name}-{len(self.forms)}"
            self.forms.append((name, run))
            self.steps.append(("form", name))

    def define_forms(self, canvas) -> None:
        b = self.bleed * MM
        for name, elements in self.forms:
            canvas.beginForm(name, -b, -b, CARD_WIDTH * MM + b, CARD_HEIGHT * MM + b)
            for element in elements:
                _DRAW[type(element)](self, canvas, element, None, self.fields)
            canvas.endForm()

    def draw(self, canvas, card: PrintCard, x: float, y: float) -> None:
        """Draw this side of `card` with its bottom-left trim corner at (x, y) pt. What is drawn
        card by card is written as operators (`text_operators`, `_draw_qr`) and forms, which leave
        the canvas's state alone: so the card's graphics state is saved and moved by writing `q`
        and `cm` (as saveState and translate write them), without the canvas's bookkeeping of it."""
        from reportlab.lib.rl_accel import fp_str

        canvas.addLiteral(f"q\n{fp_str(1, 0, 0, 1, x, y)} cm")
        values = _card_values(self.fields, card)
        for kind, step in self.steps:
            if kind == "form":
                canvas.doForm(step)
            else:
                _DRAW[type(step)](self, canvas, step, card, values)
        if self.proof:
            canvas.doForm("proof-mark")
        canvas.addLiteral("Q")

    def text_operators(self, canvas, element: TextElement, text: str) -> tuple[str, float]:
        """The PDF operators that draw `text` as `element` sets it, and its size. Remembered for
        the document: a company's name and an expiry day recur on many cards, drawn in the card's
        own coordinates at the same place each time, and their characters keep the codes the
        font's subset gave them the first time."""
        key = (id(element), text)
        found = self.drawn.get(key)
        if found is None:
            fitted = _fit(element, text, self.fallbacks)
            found = self.drawn[key] = (_lines_operators(canvas, element, fitted.size, fitted.lines, element.x,
                                                         element.width, self.fallbacks), fitted.size)
        return found


def _varies(element: Element) -> bool:
    """Whether the element differs from card to card."""
    if isinstance(element, QrElement):
        return True
    return isinstance(element, TextElement) and not fields_used(element.text).isdisjoint(PER_CARD_FIELDS)


def _cmyk(canvas, colour: list[float]) -> None:
    canvas.setFillColorCMYK(*(v / 100 for v in colour))


def _draw_rect(side: _Side, canvas, element: RectElement, card, values) -> None:
    """A rectangle that reaches an edge of the card runs on into the bleed (and stops there)."""
    b = side.bleed
    left = element.x if element.x > 1e-6 else -b
    top = element.y if element.y > 1e-6 else -b
    right = element.x + element.width
    right = right if right < CARD_WIDTH - 1e-6 else CARD_WIDTH + b
    bottom = element.y + element.height
    bottom = bottom if bottom < CARD_HEIGHT - 1e-6 else CARD_HEIGHT + b
    if right <= left or bottom <= top:
        return
    _cmyk(canvas, element.fill)
    x, y, w, h = left * MM, (CARD_HEIGHT - bottom) * MM, (right - left) * MM, (bottom - top) * MM
    if element.radius:
        canvas.roundRect(x, y, w, h, element.radius * MM, stroke=0, fill=1)
    else:
        canvas.rect(x, y, w, h, stroke=0, fill=1)


def _draw_text(side: _Side, canvas, element: TextElement, card, values) -> None:
    text = fill(side.pieces[id(element)], values)
    operators, size = side.text_operators(canvas, element, text)
    if card is not None and size < _min_size(element):
        side.shrunk.append((card.number, text, size))
    if operators:
        canvas.addLiteral(operators)


def _lines_operators(canvas, element, size: float, lines, x_mm: float, width_mm: float,
                     fallbacks: tuple[str, ...]) -> str:
    """The operators that draw `lines` in the element's colour, font and alignment, one text
    object a line, as ReportLab's text objects write them; nothing for no text. Writing them
    leaves the canvas's own state (colour, font) as it was."""
    from reportlab.lib.rl_accel import fp_str

    if not any(lines):
        return ""
    operators = [f"{fp_str(*(v / 100 for v in element.color))} k"]  # as canvas.setFillColorCMYK writes it
    block = size * block_height(len(lines), element.leading)
    room = element.height * MM - block
    shift = {"top": 0, "middle": room / 2, "bottom": room}[getattr(element, "valign", "top")]
    baseline = (CARD_HEIGHT - element.y) * MM - shift - size * ASCENT
    align = getattr(element, "align", "left")
    for line in lines:
        pieces = runs(line, (element.font, *fallbacks)) if fallbacks else []
        if not (len(pieces) > 1 or pieces and pieces[0][0] != element.font):
            pieces = [(element.font, line)]
        operators.append(_line_operators(canvas, pieces, size, x_mm * MM, width_mm * MM, baseline, align))
        baseline -= size * element.leading
    return "\n".join(operators)


def _line_operators(canvas, pieces: list[tuple[str, str]], size: float, x: float, width: float, baseline: float,
                    align: str) -> str:
    """One line, run after run in one text object (so that a reader copies it as one line),
    aligned in the box as a whole. A line in one font is written as `drawString`,
    `drawCentredString` or `drawRightString` write it."""
    if len(pieces) == 1:
        font, line = pieces[0]
        if align == "left":
            start = x
        else:
            total = text_width(line, font, size)
            start = (x + width / 2) - 0.5 * total if align == "center" else (x + width) - total
        text = canvas.beginText(start, baseline)
        text.setFont(font, size)
        text.textLine(line)
        return text.getCode()
    total = sum(text_width(piece, font, size) for font, piece in pieces)
    text = canvas.beginText(x + {"left": 0, "center": (width - total) / 2, "right": width - total}[align], baseline)
    for font, piece in pieces:
        text.setFont(font, size)
        text.textOut(piece)
    return text.getCode()


def _draw_list(side: _Side, canvas, element: ListElement, card, values) -> None:
    fitted = fit_list([str(item) for item in side.lists.get(element.items, [])], _chain(element.font, side.fallbacks), element.size,
                      element.width, element.height, columns=element.columns, gap=element.gap,
                      leading=element.leading, bullet=element.bullet)
    column_width = (element.width - (element.columns - 1) * element.gap) / element.columns
    for i, column in enumerate(fitted.columns):
        operators = _lines_operators(canvas, element, fitted.size, column, element.x + i * (column_width + element.gap),
                                     column_width, side.fallbacks)
        if operators:
            canvas.addLiteral(operators)


def _draw_qr(side: _Side, canvas, element: QrElement, card, values) -> None:
    """A white (no ink) square the size of the element, then the dark modules in K only."""
    if card is None:
        return
    matrix = side.matrices[card.payload]
    modules = qrmatrix.modules_of(qrmatrix.version_of(matrix))  # 41, or more for a link (card: verify_url)
    size = element.size * MM
    module = size / (modules + 2 * qrmatrix.QUIET_ZONE)
    x, top = element.x * MM, (CARD_HEIGHT - element.y) * MM
    canvas.addLiteral(
        f"q 0 0 0 0 k {x:.3f} {top - size:.3f} {size:.3f} {size:.3f} re f "
        f"0 0 0 1 k {module:.5f} 0 0 {-module:.5f} {x + qrmatrix.QUIET_ZONE * module:.3f} "
        f"{top - qrmatrix.QUIET_ZONE * module:.3f} cm {qrmatrix.path_operators(matrix, modules)} f Q")


_DRAW = {RectElement: _draw_rect, TextElement: _draw_text, ListElement: _draw_list, QrElement: _draw_qr}
