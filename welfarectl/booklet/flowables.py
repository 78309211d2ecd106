"""The booklet's own flowables: QR codes, markers that note where things land, page numbers that
are known only once the document is laid out, and the ruled Note pages.

Page numbers in the contents and the home-care index are drawn as PDF forms named for what they
point to and defined once the last page is laid out (a PDF may use a form before defining it):
one layout pass is enough, and a number never changes the layout, since its box has a fixed width.
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor
from reportlab.platypus import Flowable

from welfarectl.pdf import qrmatrix
from welfarectl.pdf.fonts import MM

INK = CMYKColor(0, 0, 0, 1)
ACCENT = CMYKColor(1, 0.55, 0, 0.15)
GREY = CMYKColor(0, 0, 0, 0.6)
RULE = CMYKColor(0, 0, 0, 0.25)
PAPER = CMYKColor(0, 0, 0, 0)


class QrCode(Flowable):
    """A QR code a phone opens, `size` mm with its quiet zone, dark modules in black ink only."""

    def __init__(self, text: str, size: float = 16.0) -> None:
        super().__init__()
        self.text = text
        self.size = size * MM
        self.matrix = qrmatrix.qr_matrix(text)
        self.modules = int(len(self.matrix) ** 0.5)

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self) -> None:
        module = self.size / (self.modules + 2 * qrmatrix.QUIET_ZONE)
        quiet = qrmatrix.QUIET_ZONE * module
        self.canv.addLiteral(f"q 0 0 0 1 k {module:.5f} 0 0 {-module:.5f} {quiet:.3f} {self.size - quiet:.3f} cm "
                             f"{qrmatrix.path_operators(self.matrix, self.modules)} f Q")


class Marker(Flowable):
    """Takes no room; the document notes the page it lands on (`kind`, `key`), a link can point to
    it, and with a title it has an entry in the PDF's outline and names the running footer."""

    def __init__(self, kind: str, key: str, title: str | None = None) -> None:
        super().__init__()
        self.kind, self.key, self.title = kind, key, title

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key)
        if self.title is not None:
            self.canv.addOutlineEntry(self.title, self.key, level=0)


class PageNumber(Flowable):
    """The number of the page something starts on, right-aligned in a box `width` wide: a form
    named after `key`, defined when the document ends (`define_page_numbers`)."""

    def __init__(self, key: str, width: float, height: float) -> None:
        super().__init__()
        self.key, self.width, self.height = key, width, height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        self.canv.doForm(form_name(self.key))


def form_name(key: str) -> str:
    return "pg-" + "".join(c if c.isalnum() else "-" for c in key)


def define_page_numbers(canvas, pages: dict[str, int], *, width: float, font: str, size: float, baseline: float) -> None:
    """Define the form of every page number used, now that the pages are known."""
    for key, page in sorted(pages.items()):
        canvas.beginForm(form_name(key), 0, -size, width + 1, size * 2)
        canvas.setFillColor(INK)
        canvas.setFont(font, size)
        canvas.drawRightString(width, baseline, str(page))
        canvas.endForm()


class NotesPage(Flowable):
    """A page of ruled lines for the reader's notes, filling the frame."""

    def __init__(self, pitch: float = 8 * MM) -> None:
        super().__init__()
        self.pitch = pitch

    def wrap(self, available_width, available_height):
        self.width, self.height = available_width, available_height - 1
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        y = self.height - 2 * self.pitch
        while y > 0:
            canvas.line(0, y, self.width, y)
            y -= self.pitch
