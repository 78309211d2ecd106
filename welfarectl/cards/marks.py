"""What a card sheet carries beside the cards, drawn once a document as forms: the crop marks
(in registration colour, of a full sheet and of a last sheet's used part) and, on a proof, the
PROOF_MARK across every card side."""

from __future__ import annotations

import math

from welfarectl.pdf.fonts import MM

from .layout import CARD_HEIGHT, CARD_WIDTH
from .sheets import MARK_WIDTH, REGISTRATION, Sheet, crop_marks


def define_crop_marks(canvas, geometry: Sheet, count: int) -> None:
    """The crop marks of a full sheet, and of each side of a last sheet that is not full."""
    height = geometry.height
    last = count % geometry.per_sheet
    forms = {"crop-marks": crop_marks(geometry)}
    if last:
        forms.update({f"crop-marks-last-{side}": crop_marks(geometry, last, side) for side in ("front", "back")})
    for name, marks in forms.items():
        canvas.beginForm(name, 0, 0, geometry.width * MM, height * MM)
        canvas.setStrokeColorCMYK(*REGISTRATION)
        canvas.setLineWidth(MARK_WIDTH)
        canvas.lines([(x1 * MM, (height - y1) * MM, x2 * MM, (height - y2) * MM) for x1, y1, x2, y2 in marks])
        canvas.endForm()


PROOF_MARK = "PROVA DI STAMPA · PROOF"
PROOF_COLOUR = (0, 1, 0, 0)  # magenta: seen at once, never part of a card's design


def define_proof_mark(canvas) -> None:
    """PROOF_MARK in outline across the card's diagonal, thin enough to leave the QR readable."""
    canvas.beginForm("proof-mark", 0, 0, CARD_WIDTH * MM, CARD_HEIGHT * MM)
    canvas.saveState()
    canvas.setStrokeColorCMYK(*PROOF_COLOUR)
    canvas.setLineWidth(0.4)
    canvas.translate(CARD_WIDTH * MM / 2, CARD_HEIGHT * MM / 2)
    canvas.rotate(math.degrees(math.atan2(CARD_HEIGHT, CARD_WIDTH)))
    text = canvas.beginText()
    text.setTextRenderMode(1)  # stroke only
    text.setFont("DejaVuSans-Bold", 13)
    text.setTextOrigin(-canvas.stringWidth(PROOF_MARK, "DejaVuSans-Bold", 13) / 2, -4.5)
    text.textLine(PROOF_MARK)
    canvas.drawText(text)
    canvas.restoreState()
    canvas.endForm()


