"""Card PDFs as the print shop and a phone see them: every code read back from a 300 dpi
rendering, every font embedded, page sizes and boxes, CMYK only, backs behind fronts, crop marks
outside every bleed, the same bytes twice. Poppler and zbar, where installed, check once more.

The layouts are written here, beside the assertions: the sample's card design can change without
breaking a test of the renderer."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from cardkeys import signing_key
from pdfpages import fonts, pdffonts, read_qr_codes, render_page, zbarimg_on_page_one
from pypdf import PdfReader
from pypdf.generic import ContentStream

from welfarectl.cards import layout as cardlayout
from welfarectl.cards import render as cardprint
from welfarectl.cards import sheets as cardsheets
from welfarectl.cards.layout import CARD_HEIGHT, CARD_WIDTH, Layout, load_layout
from welfarectl.cards.number import new_card_number
from welfarectl.cards.payload import encode_payload
from welfarectl.cards.render import PrintCard, render
from welfarectl.cards.sheets import GUTTER, SHEETS, crop_marks, manifest_csv
from welfarectl.pdf.fonts import ASCENT, MM

# A front with what a card needs: a dark band to the trim (and so into the bleed), the holder in
# bold wrapping onto two lines, the company, number and expiry, and the QR code. Nothing but the
# QR code is pure black, so a pure black fill on the page is the code's.
FRONT_YAML = """\
elements:
  - type: rect
    x: 0
    y: 0
    width: 85.6
    height: 14
    fill: [100, 55, 0, 15]
  - type: text
    x: 5
    y: 4
    width: 50
    height: 5
    text: "{network_short}"
    font: DejaVuSans-Bold
    size: 10
    color: [0, 0, 0, 0]
  - type: text
    x: 5
    y: 21.2
    width: 48
    height: 9.6
    text: "{holder}"
    font: DejaVuSans-Bold
    size: 11
    min_size: 8
    max_lines: 2
    leading: 1.1
    color: [0, 0, 0, 90]
  - type: text
    x: 5
    y: 34.4
    width: 48
    height: 6.4
    text: "{company}"
    size: 7.5
    min_size: 6
    max_lines: 2
    leading: 1.1
    color: [0, 0, 0, 85]
  - type: text
    x: 5
    y: 45
    width: 24
    height: 4.4
    text: "{card_number}"
    font: DejaVuSans-Bold
    size: 9.5
    color: [100, 55, 0, 15]
  - type: text
    x: 30
    y: 45
    width: 23
    height: 4.4
    text: "{expires}"
    size: 9.5
    color: [0, 0, 0, 90]
  - type: qr
    x: 56.1
    y: 24.48
    size: 26
"""
# A back with a band, a fixed text and the list of the network's macro-areas.
BACK_YAML = """\
elements:
  - type: rect
    x: 0
    y: 0
    width: 85.6
    height: 9
    fill: [100, 55, 0, 15]
  - type: text
    x: 5
    y: 3
    width: 75.6
    height: 4.2
    text: "COME USARE LA TESSERA"
    font: DejaVuSans-Bold
    size: 7.5
    color: [0, 0, 0, 0]
  - type: list
    x: 5
    y: 28.6
    width: 75.6
    height: 11.6
    items: macro_areas
    size: 6.4
    min_size: 5
    columns: 2
    color: [0, 0, 0, 90]
"""


def layout(text: str, file: str) -> Layout:
    loaded, problems = load_layout(text.encode("utf-8"), file)
    assert problems == [], [p.message() for p in problems]
    return loaded


FRONT = layout(FRONT_YAML, cardlayout.FRONT_FILE)
BACK = layout(BACK_YAML, cardlayout.BACK_FILE)
HOLDER = next(e for e in FRONT.elements if getattr(e, "text", None) == "{holder}")
NUMBER = next(e for e in FRONT.elements if getattr(e, "text", None) == "{card_number}")
FIELDS = {name: value for name, value in cardlayout.sample_fields().items()
          if name not in cardlayout.PER_CARD_FIELDS}
NAMES = ["Maria Rossi", "Luca <Bianchi> & Figli", "Élodie D'Angelo", "Maria Dell'Acqua Bianchi-Ferrarini de' Medici",
         "Niccolò Çelik", "Zoë Øster", "Anna Verdi", "Pietro Ferrari", "Giulia Romano"]
KEY = signing_key(7)


def make_cards(count: int) -> list[PrintCard]:
    cards = []
    for i in range(count):
        number = new_card_number(1_000_000 + i)
        expires = date(2028, 11, 30)
        cards.append(PrintCard(number, NAMES[i % len(NAMES)], "Acetaia Il Cortile Antico S.r.l.", expires,
                               encode_payload(number, expires, "welfare-modena", KEY),
                               company_id="acetaia-il-cortile-antico"))
    return cards


def page_size_mm(page) -> tuple[float, float]:
    return tuple(float(v) / MM for v in page.mediabox[2:])


@pytest.fixture(scope="module")
def a4(tmp_path_factory) -> tuple[Path, list[PrintCard], cardprint.PrintJob]:
    cards = make_cards(11)  # a full sheet of 8 and a second one with 3
    job = render(cards, FRONT, BACK, FIELDS, "a4")
    path = tmp_path_factory.mktemp("a4") / "cards.pdf"
    path.write_bytes(job.pdf)
    return path, cards, job


def test_every_code_on_an_a4_sheet_reads_back_at_300_dpi(a4):
    path, cards, _job = a4
    assert sorted(read_qr_codes(render_page(path, 0, dpi=300))) == sorted(card.payload for card in cards[:8])


def test_zbarimg_reads_every_code_off_poppler_s_rendering(a4, tmp_path):
    """An extra check with the tools of a print shop and a provider's counter, where installed."""
    path, cards, _job = a4
    assert sorted(zbarimg_on_page_one(path, tmp_path)) == sorted(card.payload for card in cards[:8])


def test_only_embedded_fonts(a4):
    used = fonts(a4[0])
    assert len(used) == 2
    for name, embedded in used:
        assert embedded and name.split("+")[-1] in ("DejaVuSans", "DejaVuSans-Bold"), name


def test_pdffonts_lists_only_embedded_fonts(a4):
    """An extra check with poppler's font lister, where installed."""
    listed = pdffonts(a4[0])
    assert len(listed) == 2
    for name, embedded in listed:
        assert embedded and name.split("+")[-1] in ("DejaVuSans", "DejaVuSans-Bold"), name


@pytest.mark.parametrize(("sheet", "size"), [("single", (85.60, 53.98)), ("a4", (210, 297)), ("sra3", (320, 450))])
def test_page_sizes_and_boxes(sheet, size):
    reader = PdfReader(io.BytesIO(render(make_cards(2), FRONT, BACK, FIELDS, sheet).pdf))
    assert len(reader.pages) == (4 if sheet == "single" else 2)
    for page in reader.pages:
        width, height = page_size_mm(page)
        assert abs(width - size[0]) < 0.01 and abs(height - size[1]) < 0.01
        assert list(page.trimbox) == list(page.mediabox) == list(page.bleedbox)


def test_grids_keep_bleed_gutters_and_room_for_marks():
    assert (SHEETS["a4"].columns, SHEETS["a4"].rows) == (2, 4)
    assert (SHEETS["sra3"].columns, SHEETS["sra3"].rows) == (3, 7)
    for sheet in (SHEETS["a4"], SHEETS["sra3"]):
        assert sheet.bleed >= 2 and 2 * sheet.bleed <= GUTTER
        assert min(sheet.left, sheet.top) >= cardsheets.MIN_MARGIN
        right = sheet.left + sheet.columns * CARD_WIDTH + (sheet.columns - 1) * GUTTER
        bottom = sheet.top + sheet.rows * CARD_HEIGHT + (sheet.rows - 1) * GUTTER
        assert abs((sheet.width - right) - sheet.left) < 1e-9 and abs((sheet.height - bottom) - sheet.top) < 1e-9


@pytest.mark.parametrize("name", ["a4", "sra3"])
def test_crop_marks_lie_on_trim_lines_outside_every_bleed_and_off_the_paper_edge(name):
    sheet = SHEETS[name]
    bleeds = [(x - sheet.bleed, y - sheet.bleed, x + CARD_WIDTH + sheet.bleed, y + CARD_HEIGHT + sheet.bleed)
              for x, y in (sheet.origin(slot, "front") for slot in range(sheet.per_sheet))]
    trims_x = {round(x + d, 6) for x, _ in (sheet.origin(s, "front") for s in range(sheet.per_sheet))
               for d in (0, CARD_WIDTH)}
    marks = crop_marks(sheet)
    assert len(marks) == 2 * (2 * sheet.columns) + 2 * (2 * sheet.rows)
    for x1, y1, x2, y2 in marks:
        assert min(x1, x2) >= cardsheets.SHEET_EDGE and max(x1, x2) <= sheet.width - cardsheets.SHEET_EDGE
        assert min(y1, y2) >= cardsheets.SHEET_EDGE and max(y1, y2) <= sheet.height - cardsheets.SHEET_EDGE
        for left, top, right, bottom in bleeds:  # the segment misses every bleed box
            assert max(x1, x2) < left or min(x1, x2) > right or max(y1, y2) < top or min(y1, y2) > bottom
        if x1 == x2:
            assert round(x1, 6) in trims_x


def test_backs_mirror_their_fronts_for_long_edge_duplex():
    sheet = SHEETS["a4"]
    for slot in range(sheet.per_sheet):
        (fx, fy), (bx, by) = sheet.origin(slot, "front"), sheet.origin(slot, "back")
        assert abs(bx - (sheet.width - fx - CARD_WIDTH)) < 1e-9 and by == fy


def test_in_the_pdf_each_back_lands_behind_its_front(tmp_path):
    """A back layout that prints the card number: on the back page it sits where the sheet,
    turned over its long edge, puts the back of that card's front."""
    back, problems = load_layout(b'elements:\n  - type: text\n    x: 5\n    y: 5\n    width: 40\n    height: 5\n'
                                 b'    text: "{card_number}"\n    size: 8\n', "back.yaml")
    assert problems == []
    cards = make_cards(5)
    reader = PdfReader(io.BytesIO(render(cards, FRONT, back, FIELDS, "a4").pdf))
    width = SHEETS["a4"].width * MM
    fronts, backs = _positions(reader.pages[0]), _positions(reader.pages[1])
    for card in cards:
        grouped = f"{card.number[:4]} {card.number[4:]}"
        front_corner = _card_corner(fronts[grouped], NUMBER.x, NUMBER.y, NUMBER.size)
        back_corner = _card_corner(backs[grouped], 5, 5, 8)
        assert abs(back_corner[0] - (width - front_corner[0] - CARD_WIDTH * MM)) < 0.01
        assert abs(back_corner[1] - front_corner[1]) < 0.01


def _card_corner(start: tuple[float, float], x_mm: float, y_mm: float, size: float) -> tuple[float, float]:
    """The card's bottom-left trim corner (pt), from where a top-aligned text of its layout starts."""
    return start[0] - x_mm * MM, start[1] - (CARD_HEIGHT - y_mm) * MM + size * ASCENT


def _positions(page) -> dict[str, tuple[float, float]]:
    """Where each text starts on the page, in points from the bottom-left corner."""
    found = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            a, b, c, d, e, f = cm
            x, y = tm[4], tm[5]
            found.setdefault(text.strip(), (a * x + c * y + e, b * x + d * y + f))

    page.extract_text(visitor_text=visit)
    return found


def test_manifest_lists_each_side_in_its_slot(a4):
    _, cards, job = a4
    rows = list(csv.DictReader(io.StringIO(manifest_csv(job.manifest))))
    assert list(rows[0]) == ["sheet", "slot", "side", "card", "company", "holder"]
    fronts = [r for r in rows if r["side"] == "front"]
    backs = {r["card"]: r for r in rows if r["side"] == "back"}
    assert [r["card"] for r in fronts] == [c.number for c in cards]
    assert [(r["sheet"], r["slot"]) for r in fronts[:3]] == [("1", "1"), ("1", "2"), ("1", "3")]
    assert fronts[8]["sheet"] == "2" and fronts[8]["slot"] == "1"
    assert (backs[cards[0].number]["slot"], backs[cards[1].number]["slot"]) == ("2", "1")  # columns swap
    assert {r["company"] for r in rows} == {"acetaia-il-cortile-antico"}
    assert fronts[1]["holder"] == "Luca <Bianchi> & Figli"


def test_manifest_cells_never_become_spreadsheet_formulas():
    text = manifest_csv([{"sheet": 1, "slot": 1, "side": "front", "card": "10000004", "company": "x",
                          "holder": "=HYPERLINK(\"http://x\")"}])
    assert "'=HYPERLINK" in text


def test_ticket_tells_the_print_shop_what_it_needs(a4):
    ticket = a4[2].ticket
    for words in ("A4 portrait", "85.60 x 53.98 mm", "Cards: 11, 8 a sheet", "Sheets: 2 (4 pages",
                  "flip on the long edge", "Bleed: 2 mm", "Crop marks", "CMYK", "embedded"):
        assert words in ticket, words
    single = render(make_cards(1), FRONT, BACK, FIELDS, "single").ticket
    assert "no crop marks" in single and "long edge" in single


def test_names_print_exactly_as_written(a4):
    text = PdfReader(a4[0]).pages[0].extract_text()
    for name in NAMES[:8]:
        if name != NAMES[3]:
            assert name in text, name
    assert "Maria Dell'Acqua" in text and "Bianchi-Ferrarini de' Medici" in text  # on two lines
    assert "30/11/2028" in text and f"{make_cards(1)[0].number[:4]} {make_cards(1)[0].number[4:]}" in text


def test_same_cards_and_layouts_give_the_same_bytes(tmp_path):
    cards = make_cards(9)
    first = render(cards, FRONT, BACK, FIELDS, "a4").pdf
    assert render(cards, FRONT, BACK, FIELDS, "a4").pdf == first
    with (tmp_path / "out.pdf").open("wb") as out:
        job = cardprint.render_to(out, cards, FRONT, BACK, FIELDS, "a4")
    assert job.pdf is None and (tmp_path / "out.pdf").read_bytes() == first


def test_every_colour_is_cmyk_and_the_qr_is_pure_black(a4):
    reader = PdfReader(a4[0])
    streams = []
    for page in reader.pages:
        streams.append(ContentStream(page.get_contents(), reader))
        for xobject in page["/Resources"]["/XObject"].values():
            streams.append(ContentStream(xobject.get_object(), reader))
    operators = {op for stream in streams for _, op in stream.operations}
    assert operators.isdisjoint({b"g", b"G", b"rg", b"RG", b"sc", b"SC", b"scn", b"SCN", b"cs", b"CS"})
    page_ops = ContentStream(reader.pages[0].get_contents(), reader).operations
    fills_before_qr = [operands for operands, op in page_ops if op == b"k"]
    assert [0, 0, 0, 1] in [[float(v) for v in operands] for operands in fills_before_qr]


def test_artwork_reaching_the_edge_prints_into_the_bleed_and_no_further(a4):
    """The coloured band at the top of the front runs 2 mm past the trim, then stops."""
    image = render_page(a4[0], 0, dpi=100, grey=False)
    x, y = SHEETS["a4"].origin(0, "front")
    assert max(_pixel(image, x - 1.0, y + 7)) < 200  # in the bleed, beside the band
    assert min(_pixel(image, x - 2.6, y + 7)) > 250  # beyond the bleed: paper white
    assert max(_pixel(image, x + 20, y - 1.0)) < 200  # in the bleed, above the band


def _pixel(image, x_mm: float, y_mm: float) -> tuple[int, ...]:
    """The RGB of a 100 dpi rendering at a point given in mm from the top-left."""
    return image.getpixel((round(x_mm / 25.4 * 100), round(y_mm / 25.4 * 100)))


def test_names_printed_below_their_min_size_are_listed_and_ordinary_ones_are_not(a4):
    _, cards, job = a4
    assert job.shrunk == ()  # the sample names, the long one included, fit at or above min_size
    very_long = "Maria Antonietta Giuseppina Dell'Acqua Bianchi-Ferrarini de' Medici di Castelvetro"
    odd = [PrintCard(cards[0].number, very_long, cards[0].company, cards[0].expires, cards[0].payload)]
    shrunk = render(odd, FRONT, BACK, FIELDS, "single").shrunk
    assert [(number, text) for number, text, _ in shrunk] == [(cards[0].number, very_long)]
    assert shrunk[0][2] < HOLDER.min_size


def test_texts_that_recur_are_drawn_on_every_card_that_has_them_in_its_own_place(a4):
    """The renderer writes the operators of a text once a document and repeats them (the company
    and the expiry day are on every card, holders recur): each card still shows its own texts,
    whole, inside its own trim box, at the same place on the card as the first card's."""
    path, cards, _job = a4
    geometry = SHEETS["a4"]
    for page_number, on_sheet in ((0, cards[:8]), (2, cards[8:])):
        found: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, size, found=found):
            if text.strip():
                a, b, c, d, e, f = cm
                found.append((text.strip(), a * tm[4] + c * tm[5] + e, b * tm[4] + d * tm[5] + f))

        PdfReader(path).pages[page_number].extract_text(visitor_text=visit)
        offsets = []
        for slot, card in enumerate(on_sheet):
            left, top = geometry.origin(slot, "front")
            corner = (left * MM, (geometry.height - top - CARD_HEIGHT) * MM)
            mine = {(text, round(x - corner[0], 2), round(y - corner[1], 2)) for text, x, y in found
                    if 0 <= x - corner[0] <= CARD_WIDTH * MM and 0 <= y - corner[1] <= CARD_HEIGHT * MM}
            texts = " ".join(sorted(text for text, _, _ in mine))
            for words in (*card.holder.split(), card.company, "30/11/2028", f"{card.number[:4]} {card.number[4:]}"):
                assert words in texts, (slot, words)
            offsets.append({(x, y) for text, x, y in mine if text in (card.company, "30/11/2028")})
        assert all(offset == offsets[0] and len(offset) == 2 for offset in offsets)


def test_every_stream_is_compressed_and_reads_back(a4):
    """Pages, forms and font subsets are FlateDecode streams (at the level `render` chooses,
    pdf/streams.py), binary, and decompress to what the page draws."""
    reader = PdfReader(a4[0])
    streams = []
    for page in reader.pages:
        streams.append(page["/Contents"].get_object())
        streams += [form.get_object() for form in page["/Resources"]["/XObject"].values()]
        for font in page["/Resources"]["/Font"].values():
            streams.append(font.get_object()["/FontDescriptor"]["/FontFile2"].get_object())
    assert streams and all(stream["/Filter"] in ("/FlateDecode", ["/FlateDecode"]) for stream in streams)
    assert b" re f" in reader.pages[0].get_contents().get_data()  # the QR codes' path, decompressed
