"""Names in scripts the card font lacks (a finding of the "Real use" issue): the message says
which font would print them, and a network that lists font files under `card: fallback_fonts`
in network.yaml prints them, each character DejaVu Sans lacks in the first fallback font that has
it, embedded in the PDF.

The fonts are made from the DejaVu Sans that welfarectl ships (tests/fontfiles.py): a "Chinese"
font whose 王 and 芳 are DejaVu's W and F, and broken or restricted variants. A real CJK font of
the system is an extra check, skipped where it is not installed.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from fontfiles import HAN, font_file
from pdfpages import fonts
from pypdf import PdfReader
from stdnum.it import codicefiscale
from xlsxfiles import write_workbook

from welfarectl.cards.layout import load_layout
from welfarectl.pdf.fonts import open_font, runs, text_width, unprintable
from welfarectl.pdf.scripts import script_of
from welfarectl.pdf.textfit import fit_text

ACETAIA = "acetaia-il-cortile-antico"  # a member company of the small network
WORKBOOK = f"members/{ACETAIA}.xlsx"
HEADER = ["Cognome", "Nome", "Codice fiscale", "Data assunzione"]
HELD_BACK = 10
FALLBACK_LINE = "catalogue/network.yaml:51:7"  # the first fallback font listed below the sample's card: block
SYSTEM_CJK = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")  # Debian's fonts-droid-fallback


def a_codice_fiscale(n: int) -> str:
    stem = f"WNGFNG{50 + n:02d}A41F257"
    return stem + codicefiscale.calc_check_digit(stem)


def staff(root: Path, *rows: list) -> None:
    write_workbook(root / WORKBOOK, [HEADER, *rows])


def with_fallbacks(root: Path, **files: bytes) -> None:
    """List `files` (name -> bytes, written under fonts/) as the network's fallback fonts."""
    (root / "fonts").mkdir(exist_ok=True)
    for name, data in files.items():
        (root / "fonts" / name).write_bytes(data)
    listed = "".join(f"    - fonts/{name}\n" for name in files)
    with open(root / "catalogue" / "network.yaml", "a", encoding="utf-8") as handle:
        handle.write("  fallback_fonts:\n" + listed)


def problems(welfarectl, root: Path) -> list[dict]:
    done = welfarectl("-C", root, "validate", "--format", "json")
    return json.loads(done.stdout)["problems"]


def where(found: dict) -> str:
    return f"{found['file']}:{found['sheet']}!{found['cell']}" if found["sheet"] else f"{found['file']}:{found['line']}:{found['column']}"


WANG = ["王", "芳", a_codice_fiscale(0), date(2020, 1, 1)]
ROSSI = ["Rossi", "Anna", a_codice_fiscale(1), date(2019, 1, 1)]


# --- the message says which font would print the name ----------------------------------------------

def test_a_chinese_name_without_a_fallback_font_names_the_font_that_prints_it(small_network, welfarectl):
    staff(small_network, ROSSI, WANG)
    found = [p for p in problems(welfarectl, small_network) if p["code"] == "unprintable-character"]
    assert [where(p) for p in found] == [f"{WORKBOOK}:Dipendenti!A3", f"{WORKBOOK}:Dipendenti!B3"]
    assert found[0]["message"] == (
        "'王' contains '王' (U+738B), which no card font (DejaVu Sans) can print; for Chinese characters, use a font "
        "such as Noto Sans SC: put its file in the network directory and list it in catalogue/network.yaml under "
        "card: fallback_fonts, e.g. [fonts/NotoSansSC-Regular.ttf]")
    italian = welfarectl("-C", small_network, "validate", "--lang", "it").stdout
    assert "per i caratteri cinesi serve un font come Noto Sans SC" in italian


@pytest.mark.parametrize(("char", "family"), [("王", "Noto Sans SC"), ("あ", "Noto Sans JP"), ("ア", "Noto Sans JP"),
                                              ("가", "Noto Sans KR"), ("अ", "Noto Sans Devanagari"),
                                              ("ก", "Noto Sans Thai"), ("ሀ", "Noto Sans Ethiopic"),
                                              ("த", "Noto Sans Tamil"), ("ক", "Noto Sans Bengali")])
def test_each_script_is_paired_with_a_free_font_that_prints_it(char, family):
    assert unprintable(char) == char  # DejaVu Sans lacks them all
    assert script_of(char).family == family


def test_a_character_of_no_script_asks_to_check_it(small_network, welfarectl):
    staff(small_network, ["Rossi", "Anna\ue000", *ROSSI[2:]])
    found = [p for p in problems(welfarectl, small_network) if p["code"] == "unprintable-character"]
    assert found and found[0]["message"].endswith(
        "; check the character, or add a font that has it to catalogue/network.yaml under card: fallback_fonts")


# --- a fallback font prints it ----------------------------------------------------------------------

def test_a_fallback_font_prints_a_chinese_name_embedded_beside_dejavu(small_network, welfarectl, tmp_path):
    staff(small_network, ROSSI, WANG)
    with_fallbacks(small_network, **{"Han.ttf": font_file(HAN, family="Test Han")})
    assert [p for p in problems(welfarectl, small_network) if p["severity"] == "error"] == []
    assert welfarectl("-C", small_network, "cards", "issue").exit_code == 0
    done = welfarectl("-C", small_network, "cards", "print", "--company", ACETAIA, "-o", tmp_path / "cards.pdf")
    assert done.exit_code == 0, done.output
    pdf = (tmp_path / "cards.pdf").read_bytes()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "芳 王" in text and "Anna Rossi" in text  # the space between them is DejaVu's: the test font has none
    used = {name.split("+")[-1]: embedded for name, embedded in fonts(pdf)}
    assert used == {"DejaVuSans": True, "DejaVuSans-Bold": True, "TestHan-Regular": True}


def test_latin_stays_in_dejavu_and_the_runs_sit_side_by_side(small_network, welfarectl, tmp_path):
    """A name mixing scripts is drawn run after run: the fallback's glyphs follow DejaVu's without
    overlapping, on one baseline, and the line as a whole keeps its box's alignment."""
    staff(small_network, ["Wang 王", "Fang 芳", a_codice_fiscale(2), date(2020, 1, 1)])
    with_fallbacks(small_network, **{"Han.ttf": font_file(HAN, family="Test Han")})
    assert welfarectl("-C", small_network, "cards", "issue").exit_code == 0
    assert welfarectl("-C", small_network, "cards", "print", "--company", ACETAIA, "--sheet", "single",
                      "-o", tmp_path / "card.pdf").exit_code == 0
    document = pypdfium2.PdfDocument(str(tmp_path / "card.pdf"))
    try:
        page = document[0].get_textpage()
        text = page.get_text_range()
        start = text.index("Fang 芳 Wang 王")
        boxes = [page.get_charbox(start + i) for i in range(len("Fang 芳 Wang 王"))]
    finally:
        document.close()
    inked = [box for char, box in zip("Fang 芳 Wang 王", boxes, strict=True) if char != " "]
    for before, after in zip(inked, inked[1:], strict=False):
        assert after[0] >= before[2] - 0.05, (before, after)  # left of each glyph at or after the right of the last
    assert len({round(box[1]) for box in inked if box[1] > 0}) <= 2  # one line (descenders aside)


def test_the_pdf_is_the_same_bytes_run_after_run(small_network, welfarectl, tmp_path):
    staff(small_network, ROSSI, WANG)
    with_fallbacks(small_network, **{"Han.ttf": font_file(HAN, family="Test Han")})
    assert welfarectl("-C", small_network, "cards", "issue").exit_code == 0
    prints = []
    for name in ("one.pdf", "two.pdf"):
        done = welfarectl("-C", small_network, "cards", "print", "--proof", "--company", ACETAIA, "-o", tmp_path / name,
                          SOURCE_DATE_EPOCH="0")
        assert done.exit_code == 0, done.output
        prints.append((tmp_path / name).read_bytes())
    assert prints[0] == prints[1]


def test_a_name_the_fallback_font_lacks_too_holds_back_that_card_and_says_which_fonts_were_tried(
        small_network, welfarectl, tmp_path):
    staff(small_network, ROSSI, WANG, ["李", "芳", a_codice_fiscale(3), date(2020, 1, 1)])
    with_fallbacks(small_network, **{"Han.ttf": font_file(HAN, family="Test Han")})
    found = [p for p in problems(welfarectl, small_network) if p["severity"] == "error"]
    assert [(p["code"], where(p)) for p in found] == [("unprintable-character", f"{WORKBOOK}:Dipendenti!A4")]  # 芳 prints
    assert "'李' (U+674E), which no card font (DejaVu Sans, Test Han (fonts/Han.ttf)) can print" in found[0]["message"]
    done = welfarectl("-C", small_network, "cards", "issue")
    assert done.exit_code == HELD_BACK and "held back: 1" in done.stdout


def test_fallback_fonts_are_tried_in_order(small_network, welfarectl, tmp_path):
    staff(small_network, WANG)
    with_fallbacks(small_network, **{"Wang.ttf": font_file({"王": "W"}, family="Only Wang"),
                                     "Fang.ttf": font_file({"芳": "F", "王": "M"}, family="Fang And Wang")})
    assert [p for p in problems(welfarectl, small_network) if p["severity"] == "error"] == []
    assert welfarectl("-C", small_network, "cards", "issue").exit_code == 0
    assert welfarectl("-C", small_network, "cards", "print", "--company", ACETAIA, "-o", tmp_path / "cards.pdf").exit_code == 0
    used = sorted(name.split("+")[-1] for name, _ in fonts((tmp_path / "cards.pdf").read_bytes()))
    assert used == ["DejaVuSans", "DejaVuSans-Bold", "FangAndWang-Regular", "OnlyWang-Regular"]


def test_a_fixed_text_of_a_layout_may_use_a_fallback_font(small_network, welfarectl):
    front = small_network / "templates" / "card-front.yaml"
    front.write_text(front.read_text(encoding="utf-8").replace('text: "TESSERA WELFARE"', 'text: "TESSERA 王"'),
                     encoding="utf-8")
    assert [where(p) for p in problems(welfarectl, small_network) if p["code"] == "unprintable-character"] == [
        "templates/card-front.yaml:45:11"]
    with_fallbacks(small_network, **{"Han.ttf": font_file(HAN, family="Test Han")})
    assert [p for p in problems(welfarectl, small_network) if p["severity"] == "error"] == []


# --- the font files are checked where network.yaml names them ----------------------------------------

@pytest.mark.parametrize(("data", "code", "says"), [
    (None, "font-file-unreadable", "cannot read the font file fonts/Han.ttf: No such file or directory"),
    (b"Cognome;Nome\nRossi;Anna\n", "font-unsupported", "it is not a TrueType font file"),
    (b"OTTO" + b"\0" * 200, "font-unsupported", "PostScript (CFF) outlines"),
    (font_file(HAN, outlines=False), "font-unsupported", "bitmaps but no outlines"),
    (font_file(HAN, fs_type=0x0002), "font-embedding-restricted", "forbid embedding it in a document at all"),
    (font_file(HAN, fs_type=0x0200), "font-embedding-restricted", "forbid embedding its outlines"),
    (font_file(HAN, fs_type=0x0100), "font-embedding-restricted", "forbid embedding part of it"),
], ids=["missing", "not-a-font", "postscript", "bitmap-only", "restricted", "bitmap-embedding", "no-subsetting"])
def test_a_font_file_that_cannot_be_used_is_an_error_at_its_line(small_network, welfarectl, data, code, says):
    staff(small_network, ROSSI, WANG)
    with_fallbacks(small_network, **{"Han.ttf": data or b""})
    if data is None:
        (small_network / "fonts" / "Han.ttf").unlink()
    found = [p for p in problems(welfarectl, small_network) if p["severity"] == "error"]
    assert [(p["code"], where(p)) for p in found] == [(code, FALLBACK_LINE),
                                                      ("unprintable-character", f"{WORKBOOK}:Dipendenti!A3"),
                                                      ("unprintable-character", f"{WORKBOOK}:Dipendenti!B3")]
    assert says in found[0]["message"]
    done = welfarectl("-C", small_network, "cards", "issue")
    assert done.exit_code == 1  # a font file that cannot be used concerns every card


def test_a_font_whose_licence_allows_print_and_preview_embedding_is_used(small_network, welfarectl):
    staff(small_network, WANG)
    with_fallbacks(small_network, **{"Han.ttf": font_file(HAN, family="Print Only", fs_type=0x0004)})
    assert [p for p in problems(welfarectl, small_network) if p["severity"] == "error"] == []


@pytest.mark.parametrize(("path", "code"), [("../Han.ttf", "font-file-unreadable"), ("/usr/share/fonts/Han.ttf", "invalid-value"),
                                            ("fonts/Han.woff2", "invalid-value")])
def test_a_font_path_stays_in_the_network_and_names_a_font_file(small_network, welfarectl, path, code):
    with open(small_network / "catalogue" / "network.yaml", "a", encoding="utf-8") as handle:
        handle.write(f"  fallback_fonts:\n    - {path}\n")
    found = [p for p in problems(welfarectl, small_network) if p["severity"] == "error"]
    assert [(p["code"], where(p)) for p in found] == [(code, FALLBACK_LINE)]


# --- the parts -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def han() -> str:
    name, family, fault = open_font(font_file(HAN, family="Test Han"))
    assert fault is None and family == "Test Han"
    return name


def test_text_is_set_in_runs_each_in_the_first_font_that_has_its_characters(han):
    assert runs("Fang 芳 Wang 王", ("DejaVuSans", han)) == [  # the test font has no space: DejaVu's is used
        ("DejaVuSans", "Fang "), (han, "芳"), ("DejaVuSans", " Wang "), (han, "王")]
    assert runs("王 芳", ("DejaVuSans", open_font(font_file({**HAN, " ": " "}))[0])) == [
        (open_font(font_file({**HAN, " ": " "}))[0], "王 芳")]  # one run when the fallback has a space
    assert runs("Anna Rossi", ("DejaVuSans", han)) == [("DejaVuSans", "Anna Rossi")]
    assert runs("Anna Rossi", "DejaVuSans") == [("DejaVuSans", "Anna Rossi")]


def test_widths_and_fitting_measure_each_run_in_its_font(han):
    assert text_width("王", ("DejaVuSans", han), 10) == pytest.approx(text_width("W", "DejaVuSans", 10))
    assert text_width("Li 王", ("DejaVuSans", han), 10) == pytest.approx(text_width("Li W", "DejaVuSans", 10))
    chinese = fit_text("芳 王" * 8, ("DejaVuSans", han), 11, 8, 48, 9.6, 2)
    latin = fit_text("F W" * 8, "DejaVuSans", 11, 8, 48, 9.6, 2)
    assert (chinese.size, [len(line) for line in chinese.lines]) == (latin.size, [len(line) for line in latin.lines])


def test_unprintable_looks_in_the_fallbacks_for_regular_and_bold(han):
    assert unprintable("芳 王") == "芳"
    assert unprintable("Anna 芳 王", fallbacks=(han,)) is None
    assert unprintable("李", fallbacks=(han,)) == "李"


def test_the_same_file_is_the_same_font_and_another_file_another_even_under_the_same_name():
    first, _, _ = open_font(font_file(HAN, family="Test Han"))
    again, _, _ = open_font(font_file(HAN, family="Test Han"))
    other, _, _ = open_font(font_file({"王": "M"}, family="Test Han"))  # another version of Test Han
    assert first == again != other
    assert runs("王", other) == [(other, "王")] and text_width("王", other, 10) == pytest.approx(text_width("M", "DejaVuSans", 10))
    assert text_width("王", first, 10) == pytest.approx(text_width("W", "DejaVuSans", 10))
    dejavu, _, _ = open_font(font_file({"王": "W"}))  # named DejaVuSans, as the card font is
    assert unprintable("王", fallbacks=(dejavu,)) is None


def test_a_layout_checked_without_the_network_s_fonts_reports_the_character():
    layout = (b'elements:\n  - type: text\n    x: 5\n    y: 5\n    width: 40\n    height: 5\n'
              b'    text: "Tessera \xe7\x8e\x8b"\n    size: 8\n')
    _, found = load_layout(layout, "templates/card-back.yaml")
    assert [(p.code, str(p.location)) for p in found] == [("unprintable-character", "templates/card-back.yaml:7:11")]


# --- an extra check with a real CJK font -------------------------------------------------------------

def test_a_real_cjk_font_of_the_system_prints_a_chinese_name(small_network, welfarectl, tmp_path):
    """An extra check with a font as a network would use it, where Debian's fonts-droid-fallback is
    installed (Droid Sans Fallback: TrueType, Chinese and Japanese)."""
    if not SYSTEM_CJK.exists():
        pytest.skip(f"{SYSTEM_CJK} not installed (fonts-droid-fallback): the check with a real CJK font did not run")
    staff(small_network, WANG, ["さくら", "Sakura", a_codice_fiscale(4), date(2020, 1, 1)])
    with_fallbacks(small_network, **{"DroidSansFallbackFull.ttf": SYSTEM_CJK.read_bytes()})
    assert [p for p in problems(welfarectl, small_network) if p["severity"] == "error"] == []
    assert welfarectl("-C", small_network, "cards", "issue").exit_code == 0
    assert welfarectl("-C", small_network, "cards", "print", "--company", ACETAIA, "-o", tmp_path / "cards.pdf").exit_code == 0
    pdf = (tmp_path / "cards.pdf").read_bytes()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "芳 王" in text and "Sakura さくら" in text
    assert ("DroidSansFallback", True) in {(name.split("+")[-1], embedded) for name, embedded in fonts(pdf)}
    assert len(pdf) < 400_000  # a subset of the 4 MB font is embedded, not all of it
