"""Card layouts are data: the sample templates load clean, a broken layout is reported at its line,
text is fitted into its box and never overflows, and the QR matrix has the version it claims."""

import random
from pathlib import Path

import base45
import pytest
import zxingcpp
from reportlab.pdfbase.pdfmetrics import stringWidth

from welfarectl.cards import layout as cardlayout
from welfarectl.cards import payload
from welfarectl.cards.layout import load_layout, load_layouts
from welfarectl.cards.payload import card_qr_matrix
from welfarectl.pdf import qrmatrix
from welfarectl.pdf.fonts import MM, unprintable
from welfarectl.pdf.textfit import Fitted, block_height, fit_text

ROOT = Path(__file__).resolve().parent.parent
LONG_NAME = "Maria Dell'Acqua Bianchi-Ferrarini de' Medici"


def found(text: str) -> list[tuple[str, str]]:
    _layout, problems = load_layout(text.encode("utf-8"), "templates/card-front.yaml")
    return sorted((str(p.location), p.code) for p in problems)


def text_element(**changes) -> str:
    fields = {"x": 5, "y": 20, "width": 48, "height": 9.6, "text": '"{holder}"', "size": 11, **changes}
    return "elements:\n  - type: text\n" + "".join(f"    {key}: {value}\n" for key, value in fields.items())


def test_the_sample_templates_load_without_problems():
    front, back, problems = load_layouts(ROOT)
    assert problems == []
    assert {type(e).__name__ for e in front.elements} >= {"RectElement", "TextElement", "QrElement"}
    assert any(isinstance(e, cardlayout.ListElement) and e.items == "macro_areas" for e in back.elements)
    used = set().union(*(cardlayout.fields_used(e.text) for e in front.elements if hasattr(e, "text")))
    assert used >= {"network_short", "holder", "company", "card_number", "expires"}


def test_a_missing_template_is_a_missing_file(tmp_path):
    front, back, problems = load_layouts(tmp_path)
    assert (front, back) == (None, None)
    assert [(str(p.location), p.code) for p in problems] == [
        ("templates/card-front.yaml", "missing-file"), ("templates/card-back.yaml", "missing-file")]


def test_broken_yaml_is_reported_at_its_line():
    assert found(text_element().replace("    size", "\tsize")) == [("templates/card-front.yaml:8:1", "yaml-tab")]
    assert found(text_element() + "    x: 6\n") == [("templates/card-front.yaml:9:5", "yaml-duplicate-key")]


def test_braces_left_unquoted_are_a_mapping_not_text():
    assert found(text_element(text="{holder}")) == [("templates/card-front.yaml:7:11", "wrong-type")]


def test_unknown_placeholder_is_reported_at_the_text_with_a_suggestion():
    layout, problems = load_layout(text_element(text='"Titolare: {holdr}"').encode(), "t.yaml")
    assert layout is None
    assert [(str(p.location), p.code) for p in problems] == [("t.yaml:7:11", "unknown-placeholder")]
    assert "did you mean 'holder'" in problems[0].message()


@pytest.mark.parametrize("text", ['"{holder!r}"', '"{holder:>20}"', '"{}"'])
def test_conversions_and_positional_braces_are_unknown_placeholders(text):
    assert found(text_element(text=text)) == [("templates/card-front.yaml:7:11", "unknown-placeholder")]


def test_an_unpaired_brace_is_an_invalid_value():
    assert found(text_element(text='"{holder"')) == [("templates/card-front.yaml:7:11", "invalid-value")]


def test_doubled_braces_print_one_brace():
    layout, problems = load_layout(text_element(text='"{{n. {card_number}}}"').encode(), "t.yaml")
    assert problems == []
    pieces = cardlayout.compile_text(layout.elements[0].text)
    assert cardlayout.fill(pieces, {"card_number": "1000 0004"}) == "{n. 1000 0004}"


def test_values_are_inserted_literally_never_parsed():
    pieces = cardlayout.compile_text("{holder} / {company}")
    assert cardlayout.fill(pieces, {"holder": "{company}", "company": "A & <B>"}) == "{company} / A & <B>"


@pytest.mark.parametrize("changes", [{"x": 2.5}, {"y": 1}, {"width": 79}, {"y": 45, "height": 6.5}])
def test_text_closer_than_3_mm_to_the_trim_is_outside_the_safe_area(changes):
    _layout, problems = load_layout(text_element(**changes).encode(), "t.yaml")
    assert [(str(p.location), p.code) for p in problems] == [("t.yaml:2:5", "layout-outside-safe-area")]
    assert "3 mm" in problems[0].message()


def test_a_qr_code_near_the_edge_or_too_small_is_refused():
    near = "elements:\n  - type: qr\n    x: 62\n    y: 28\n    size: 24\n"
    assert found(near) == [("templates/card-front.yaml:2:5", "layout-outside-safe-area")]
    small = "elements:\n  - type: qr\n    x: 60\n    y: 28\n    size: 19\n"
    problems = load_layout(small.encode(), "t.yaml")[1]
    assert [(str(p.location), p.code) for p in problems] == [("t.yaml:5:11", "qr-too-small")]
    assert "0.39 mm" in problems[0].message() and "19.6 mm" in problems[0].message()
    assert found(small.replace("19", "19.6")) == []


def test_a_rectangle_may_reach_and_pass_the_edge():
    rect = "elements:\n  - type: rect\n    x: -2\n    y: 0\n    width: 90\n    height: 14\n    fill: [100, 55, 0, 15]\n"
    assert found(rect) == []


def test_each_bad_value_is_reported_at_its_own_line():
    text = ("elements:\n"
            "  - type: text\n    x: 5\n    y: 20\n    width: 40\n    height: 5\n    text: hi\n    size: big\n"
            "  - type: rect\n    x: 0\n    y: 0\n    width: 10\n    height: 5\n    fill: [0, 0, 0]\n"
            "  - type: circle\n"
            "  - type: qr\n    x: 40\n    y: 20\n    sise: 24\n"
            "  - type: list\n    x: 5\n    y: 5\n    width: 40\n    height: 20\n    items: services\n    size: 6\n"
            "  - type: text\n    x: 5\n    y: 30\n    width: 40\n    height: 5\n    text: hi\n    size: 8\n"
            "    font: Helvetica\n    colour: [0, 0, 0, 100]\n")
    assert found(text) == [
        ("templates/card-front.yaml:14:11", "invalid-value"),  # CMYK has four values
        ("templates/card-front.yaml:15:11", "invalid-choice"),  # no such element type
        ("templates/card-front.yaml:16:5", "missing-field"),  # qr without size
        ("templates/card-front.yaml:19:5", "unknown-field"),  # sise: did you mean size
        ("templates/card-front.yaml:25:12", "invalid-choice"),  # not a list field
        ("templates/card-front.yaml:34:11", "invalid-choice"),  # not a card font
        ("templates/card-front.yaml:35:5", "unknown-field"),  # colour: did you mean color
        ("templates/card-front.yaml:8:11", "wrong-type"),  # size: big
    ]


def test_a_layout_without_elements_is_refused():
    assert found("elements: []\n") == [("templates/card-front.yaml:1:11", "invalid-value")]
    assert found("") == [("templates/card-front.yaml:1:1", "yaml-empty")]
    assert found("- type: rect\n") == [("templates/card-front.yaml:1:1", "wrong-type")]


def test_fixed_text_the_font_cannot_print_is_reported():
    assert found(text_element(text='"会员卡 {holder}"')) == [
        ("templates/card-front.yaml:7:11", "unprintable-character")]


def test_unprintable_finds_characters_missing_from_the_card_fonts():
    assert unprintable("Élodie D'Angelo-Ñúñez <Çelik> & Zoë Øster ß") is None
    assert unprintable("Maria\tRossi\n") is None  # whitespace prints as a space
    assert unprintable("Li 李") == "李"
    assert unprintable("e\u0301") is None  # a decomposed é composes to a glyph the font has


def test_a_short_name_keeps_the_nominal_size_on_one_line():
    assert fit_text("Maria Rossi", "DejaVuSans-Bold", 11, 8, 48, 9.6, 2) == Fitted(11, ("Maria Rossi",))


def _fits(fitted, font, width, height, leading) -> bool:
    widest = max(stringWidth(line, font, fitted.size) for line in fitted.lines)
    return widest <= width * MM + 1e-6 and fitted.size * block_height(len(fitted.lines), leading) <= height * MM + 1e-6


def test_a_long_name_shrinks_then_wraps_between_words_and_fits_its_box():
    fitted = fit_text(LONG_NAME, "DejaVuSans-Bold", 11, 8, 48, 9.6, 2, 1.1)
    assert fitted.lines == ("Maria Dell'Acqua", "Bianchi-Ferrarini de' Medici")
    assert 8 <= fitted.size < 11
    assert _fits(fitted, "DejaVuSans-Bold", 48, 9.6, 1.1)
    one_line = fit_text(LONG_NAME, "DejaVuSans-Bold", 11, 5, 48, 9.6, 2, 1.1)
    assert len(one_line.lines) == 1 and 5 <= one_line.size < 8  # allowed to shrink further: stays on one line


@pytest.mark.parametrize("text", [
    "Giovanni Battista Maria Dell'Acqua Bianchi-Ferrarini de' Medici Tornabuoni Salviati Strozzi",
    "Bartolomeo" * 12,
    "Anna-Maria-Luisa-Francesca-Giovanna-Beatrice-Ludovica-Costanza",
])
def test_text_too_long_for_min_size_still_fits_and_loses_nothing(text):
    fitted = fit_text(text, "DejaVuSans-Bold", 11, 8, 48, 9.6, 2, 1.1)
    assert fitted.size < 8 and len(fitted.lines) <= 2
    assert _fits(fitted, "DejaVuSans-Bold", 48, 9.6, 1.1)
    assert "".join(fitted.lines).replace(" ", "") == text.replace(" ", "")


def test_a_paragraph_wraps_at_its_nominal_size():
    text = "Mostra la tessera presso i servizi convenzionati della rete: l'operatore legge il codice QR."
    fitted = fit_text(text, "DejaVuSans", 6.2, None, 40, 12, 5, 1.25)
    assert fitted.size == 6.2 and 2 <= len(fitted.lines) <= 5
    assert " ".join(fitted.lines) == text


def test_the_qr_version_is_computed_from_the_payload_length():
    assert payload.QR_CHARS == 123
    assert qrmatrix.alphanumeric_bits(123) == 690  # 87 codewords: one more than version 5-M holds
    assert (payload.QR_VERSION, payload.QR_MODULES) == (6, 41)
    assert qrmatrix.version_for(20) == 1


def test_the_matrix_has_the_fixed_version_and_level_a_chosen_mask_and_decodes():
    masks = set()
    for start in range(12):
        text = "WC1:" + base45.b45encode(bytes(range(start, start + 79))).decode()
        matrix = card_qr_matrix(text)
        assert len(matrix) == 41 * 41
        read = zxingcpp.read_barcode(_image(matrix, 41, 4))
        assert read.text == text
        assert (read.extra["Version"], read.extra["ECLevel"]) == ("6", "M")
        masks.add(read.extra["DataMask"])
    assert len(masks) > 1  # chosen code by code, not fixed


def _image(matrix: bytes, modules: int, scale: int) -> memoryview:
    """A greyscale image of the matrix with its 4-module quiet zone, `scale` pixels a module."""
    side = modules + 8
    rows = []
    for y in range(side):
        row = bytearray()
        for x in range(side):
            inside = 4 <= x < modules + 4 and 4 <= y < modules + 4
            row += bytes([matrix[(y - 4) * modules + x - 4] if inside else 255]) * scale
        rows += [bytes(row)] * scale
    return memoryview(b"".join(rows)).cast("B", (side * scale, side * scale))


def test_path_operators_cover_exactly_the_dark_modules():
    matrix = card_qr_matrix("WC1:" + "A1" * 59 + "B")
    rebuilt = bytearray(b"\xff" * len(matrix))
    operators = qrmatrix.path_operators(matrix, 41).split(" re")
    for op in filter(None, (o.strip() for o in operators)):
        x, y, w, h = map(int, op.split())
        assert h == 1
        rebuilt[y * 41 + x:y * 41 + x + w] = b"\x00" * w
    assert bytes(rebuilt) == matrix
    assert len(operators) - 1 == len(qrmatrix.dark_runs(matrix, 41))


@pytest.mark.parametrize("modules", [1, 2, 21, 41, 57, 73, 74, 101])
def test_path_operators_are_one_rectangle_for_each_dark_run_whatever_the_matrix(modules):
    """path_operators finds the runs its own way (a spelling split by str.split): on random
    matrices of every size a QR symbol has, with light bytes other than 255 and rows with no dark
    module, it gives one `x y w 1 re` for each run dark_runs lists, in its order."""
    rng = random.Random(modules)
    for _ in range(40):
        dark_share = rng.random()
        matrix = bytes(0 if rng.random() < dark_share else rng.choice((255, 255, 1, 128)) for _ in range(modules ** 2))
        runs = qrmatrix.dark_runs(matrix, modules)
        assert qrmatrix.path_operators(matrix, modules) == " ".join(f"{x} {y} {w} 1 re" for x, y, w in runs)
    matrix = card_qr_matrix("WC1:" + "Z9" * 59 + "B")
    assert qrmatrix.path_operators(matrix, 41) == " ".join(f"{x} {y} {w} 1 re" for x, y, w in qrmatrix.dark_runs(matrix, 41))


def test_content_elements_that_overlap_are_reported_at_the_later_one():
    layout = text_element() + "  - type: qr\n    x: 20\n    y: 22\n    size: 26\n"
    assert found(layout) == [("templates/card-front.yaml:9:5", "layout-overlap")]
    _, problems = load_layout(layout.encode("utf-8"), "templates/card-front.yaml")
    assert dict(problems[0].params)["other_line"] == 2
    apart = text_element() + "  - type: qr\n    x: 56\n    y: 22\n    size: 26\n"
    assert found(apart) == []
    under = "elements:\n  - type: rect\n    x: 0\n    y: 0\n    width: 85.6\n    height: 20\n    fill: [0, 0, 0, 10]\n"
    assert found(under + text_element().removeprefix("elements:\n")) == []  # a background is not an overlap


def test_a_fixed_text_too_long_for_its_box_is_reported():
    long = '"La tessera welfare della rete territoriale delle imprese modenesi aderenti al progetto"'
    assert found(text_element(text=long, min_size=8, height=4)) == [
        ("templates/card-front.yaml:7:11", "text-does-not-fit")]
    assert found(text_element(text='"TESSERA WELFARE"', min_size=8, height=4)) == []
    assert found(text_element(text=f'"{LONG_NAME} {{holder}}"', min_size=8, height=4)) == []  # checked per card


# A front with a fixed title, the texts a card prints for its holder, and the QR code beside them.
FRONT = """\
elements:
  - type: text
    x: 5
    y: 3.6
    width: 25.6
    height: 7.4
    text: "TESSERA WELFARE"
    font: DejaVuSans-Bold
    size: 6
  - type: text
    x: 5
    y: 21.2
    width: 48
    height: 9.6
    text: "{holder}"
    size: 11
    min_size: 8
    max_lines: 2
  - type: text
    x: 5
    y: 34.4
    width: 48
    height: 6.4
    text: "{company}"
    size: 7.5
  - type: text
    x: 5
    y: 45
    width: 24
    height: 4.4
    text: "{card_number}"
    size: 9.5
  - type: qr
    x: 56.1
    y: 24.48
    size: 26
"""
BACK = 'elements:\n  - type: text\n    x: 5\n    y: 5\n    width: 75.6\n    height: 5\n    text: "{network_short}"\n    size: 8\n'


def _front_with(old: str, new: str) -> str:
    """FRONT with its one `old` replaced by `new`."""
    assert FRONT.count(old) == 1
    return FRONT.replace(old, new)


def _write_templates(root: Path, front: str) -> None:
    """`front` and BACK as the card templates of a network in `root`."""
    (root / "templates").mkdir()
    (root / cardlayout.FRONT_FILE).write_text(front, encoding="utf-8")
    (root / cardlayout.BACK_FILE).write_text(BACK, encoding="utf-8")


def test_the_front_and_back_of_these_tests_load_clean(tmp_path):
    _write_templates(tmp_path, FRONT)
    assert load_layouts(tmp_path)[2] == []


def _element_line(yaml_text: str, marker: str) -> int:
    """The line of the `- type:` that opens the element containing `marker`."""
    lines = yaml_text.splitlines()
    at = next(i for i, line in enumerate(lines) if marker in line)
    return next(i for i in range(at, -1, -1) if lines[i].startswith("  - type:")) + 1


def test_a_qr_code_moved_over_the_holder_is_reported_against_each_text_it_covers(tmp_path):
    front = _front_with("x: 56.1", "x: 20")
    _write_templates(tmp_path, front)
    _front, _back, problems = load_layouts(tmp_path)
    qr_line = _element_line(front, "type: qr")
    assert {(str(p.location), p.code) for p in problems} == {
        (f"templates/card-front.yaml:{qr_line}:5", "layout-overlap")}
    lines = {name: _element_line(front, f'text: "{{{name}}}"') for name in ("holder", "company", "card_number")}
    assert {dict(p.params)["other_line"] for p in problems} >= set(lines.values())
    assert f"the QR code overlaps the text '{{holder}}' (line {lines['holder']})" in [p.message() for p in problems]


def test_a_long_fixed_title_is_reported_at_its_text(tmp_path):
    sentence = "Tessera personale della rete welfare aziendale e territoriale delle imprese aderenti"
    front = _front_with('"TESSERA WELFARE"', f'"{sentence}"')
    _write_templates(tmp_path, front)
    _front, _back, problems = load_layouts(tmp_path)
    line = next(i for i, text in enumerate(front.splitlines(), start=1) if sentence in text)
    assert [(str(p.location), p.code) for p in problems] == [(f"templates/card-front.yaml:{line}:11", "text-does-not-fit")]
    params = dict(problems[0].params)
    assert params["min_size"] == "6" and float(params["size"]) < 3  # the title's size: no min_size below it
