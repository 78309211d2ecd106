"""2-up imposition for saddle stitching: the A5 booklet's pages on A4 landscape sheets, in the
order a duplex office printer needs so that the stack, folded once, is the booklet.

For n pages (a multiple of 4) sheet k (from 0) carries, on its front, pages n - 2k (left) and
1 + 2k (right) and, on its back, pages 2 + 2k (left) and n - 1 - 2k (right). Print both sides,
flipping on the short edge, fold the stack in the middle and staple on the fold.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape


def spread_order(pages: int) -> list[tuple[int, int]]:
    """The (left, right) page numbers, from 1, of each side printed in turn: front and back of
    sheet 1, then of sheet 2..."""
    if pages % 4:
        raise ValueError(f"{pages} pages: saddle stitching needs a multiple of 4")
    sides = []
    for k in range(pages // 4):
        sides.append((pages - 2 * k, 1 + 2 * k))
        sides.append((2 + 2 * k, pages - 1 - 2 * k))
    return sides


def impose_2up(pdf: bytes) -> bytes:
    """The booklet `pdf` (A5 pages, a multiple of 4) imposed 2-up on A4 landscape, in spread order.
    pypdf copies each page whole (fonts and forms shared), so the result is deterministic too."""
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(io.BytesIO(pdf))
    sheet_width, sheet_height = landscape(A4)
    writer = PdfWriter()
    for left, right in spread_order(len(reader.pages)):
        side = writer.add_blank_page(sheet_width, sheet_height)
        for slot, number in enumerate((left, right)):
            page = reader.pages[number - 1]
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            x = slot * sheet_width / 2 + (sheet_width / 2 - width) / 2
            y = (sheet_height - height) / 2
            side.merge_transformed_page(page, Transformation().translate(x, y))
    writer.add_metadata({"/Title": str(reader.metadata.title or "") + " (2-up)", "/Creator": "welfarectl"}
                        if reader.metadata else {"/Creator": "welfarectl"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
