"""`welfarectl booklet`: the booklet of services, reopened as a reader, a printer and a phone see it.

The sample's full booklet (with its imposition) and one company edition are built once for the
module and only read; tests that change the network build a small one of their own.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pytest
from networks import ROOT, SMALL_COMPANIES, copy_small_network, run_welfarectl
from pdfpages import fonts, pdffonts, read_qr_codes, render_page
from pypdf import PdfReader

from welfarectl.base.italian import format_amount
from welfarectl.booklet import text
from welfarectl.booklet.editions import is_in_period
from welfarectl.booklet.impose import spread_order
from welfarectl.network.catalogue import load_catalogue

A5 = (419.53, 595.28)  # points
A4_LANDSCAPE = (841.89, 595.28)
CATALOGUE, _ = load_catalogue(ROOT)
COMPANY = next(c for c in SMALL_COMPANIES
               if any(s.open_to and c not in s.open_to for s in CATALOGUE.services))  # one with services closed to it


def page_texts(pdf: Path | bytes) -> list[str]:
    """The text of every page, whitespace run together, as a reader (or a search) finds it."""
    document = pypdfium2.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


@dataclass(frozen=True)
class Built:
    root: Path
    full: Path
    imposed: Path
    company: Path
    english: Path
    english_stderr: str


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    home = tmp_path_factory.mktemp("booklet")
    root = copy_small_network(home / "net")
    done = run_welfarectl("-C", root, "booklet", "--imposed", home=home)
    assert done.exit_code == 0, done.output
    company = run_welfarectl("-C", root, "booklet", "--company", COMPANY, home=home)
    assert company.exit_code == 0, company.output
    english = run_welfarectl("-C", root, "booklet", "--company", COMPANY, "--lang", "en", home=home)
    assert english.exit_code == 0, english.output
    out = root / "output" / "booklet"
    return Built(root, out / "booklet-it.pdf", out / "booklet-it-imposed.pdf", out / f"booklet-{COMPANY}-it.pdf",
                 out / f"booklet-{COMPANY}-en.pdf", english.stderr)


def in_period() -> list:
    return [s for s in CATALOGUE.services if is_in_period(s, CATALOGUE.network.period)]


def test_the_full_booklet_lists_every_service(built):
    everything = " ".join(page_texts(built.full))
    missing = [s.title for s in in_period() if " ".join(s.title.split()) not in everything]
    assert missing == []
    assert len(in_period()) == 65


def test_a_company_edition_lists_only_the_services_open_to_it(built):
    everything = " ".join(page_texts(built.company))
    open_, closed = [], []
    for service in in_period():
        (open_ if service.open_to is None or COMPANY in service.open_to else closed).append(service.title)
    assert closed, "the sample should have services closed to this company"
    assert [title for title in open_ if title not in everything] == []
    assert [title for title in closed if title in everything] == []
    assert "Acetaia Il Cortile Antico" in page_texts(built.company)[0] or COMPANY != "acetaia-il-cortile-antico"


def test_pages_are_a5_and_a_multiple_of_4_ending_with_notes(built):
    for pdf in (built.full, built.company, built.english):
        pages = PdfReader(pdf).pages
        assert len(pages) % 4 == 0
        assert {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in pages} == {A5}
    texts = page_texts(built.full)
    assert texts[-1].split() == [str(len(texts)), "Note"]  # a ruled page for notes, its number on the outer edge


def test_each_contents_entry_points_to_the_page_its_section_starts_on(built):
    texts = page_texts(built.full)
    contents = next(i for i, t in enumerate(texts) if t.startswith("Indice"))
    names = [area.name for area in CATALOGUE.network.macro_areas] + ["Elenco dei fornitori"]
    for name in names:
        found = re.search(re.escape(name) + r"(?: \(\d+\))? (\d+)", texts[contents])
        assert found, f"{name} is not in the contents: {texts[contents]}"
        page = int(found[1])
        assert texts[page - 1].startswith(name), f"{name}: page {page} starts {texts[page - 1][:60]!r}"
        assert texts[page - 2] and not texts[page - 2].startswith(name)


def test_running_footers_carry_the_page_number_and_the_section(built):
    texts = page_texts(built.full)
    first_area = CATALOGUE.network.macro_areas[0].name
    start = next(i for i, t in enumerate(texts) if t.startswith(first_area))
    assert texts[start].endswith(f"{start + 1} {first_area}") or texts[start].endswith(f"{first_area} {start + 1}")


def test_the_imposed_file_has_the_pages_in_printers_spread_order(built):
    booklet = page_texts(built.full)
    document = pypdfium2.PdfDocument(str(built.imposed))
    try:
        order = spread_order(len(booklet))
        assert len(document) == len(order) == len(booklet) // 2
        for side, (left, right) in zip(document, order, strict=True):
            width, height = side.get_size()
            assert (round(width, 2), round(height, 2)) == A4_LANDSCAPE
            textpage = side.get_textpage()
            halves = [" ".join(textpage.get_text_bounded(x, 0, x + width / 2, height).split()) for x in (0, width / 2)]
            assert halves == [booklet[left - 1], booklet[right - 1]]
    finally:
        document.close()
    assert spread_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


def test_fonts_are_embedded(built):
    used = fonts(built.full)
    assert used and all(embedded for _, embedded in used), used
    assert {name.split("+")[-1] for name, _ in used} == {"DejaVuSans", "DejaVuSans-Bold"}


def test_fonts_are_embedded_as_pdffonts_sees_them(built):
    listed = pdffonts(built.full)
    assert listed and all(embedded for _, embedded in listed), listed


def test_the_same_network_gives_the_same_bytes(built, tmp_path):
    again = run_welfarectl("-C", built.root, "booklet", "--company", COMPANY, "-o", tmp_path / "again.pdf", home=tmp_path)
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.pdf").read_bytes() == built.company.read_bytes()


def test_providers_web_addresses_are_qr_codes_a_phone_opens(built):
    texts = page_texts(built.full)
    directory = next(i for i, t in enumerate(texts) if t.startswith("Elenco dei fornitori"))
    codes = read_qr_codes(render_page(built.full, directory, dpi=200))
    websites = {org.contacts.website for org in CATALOGUE.organisations if org.contacts and org.contacts.website}
    assert codes and set(codes) <= websites


def test_the_english_edition_falls_back_to_italian_and_says_which_services(built):
    everything = " ".join(page_texts(built.english))
    assert "15% off the car roadworthiness test" in everything
    assert "How to use the Welfare Card" in everything
    assert "without an English text" in built.english_stderr
    assert "tagliando-prezzo-fisso" in built.english_stderr
    assert "Tagliando auto a prezzo fisso" in everything  # no translation: printed in Italian


def test_benefits_in_words():
    assert format_amount(12.0) == "€ 12,00"
    assert format_amount(1234.5) == "€ 1.234,50"
    assert text.benefit_words("discount", "it", percent=15) == "Sconto 15%"
    assert text.benefit_words("free", "it") == "Gratuito"
    assert text.benefit_words("fixed-price", "it", price=12.0) == "€ 12,00"
    assert text.benefit_words("voucher", "it", value=50.0) == "Buono da € 50,00"


# --- networks changed for one test -----------------------------------------------------------------

def test_catalogue_text_prints_as_written_and_a_long_description_flows_across_pages(tmp_path):
    root = copy_small_network(tmp_path / "net")
    organisations = root / "catalogue" / "organisations.yaml"
    organisations.write_text(organisations.read_text(encoding="utf-8").replace(
        "name: Autofficina La Rotonda S.n.c.", 'name: "Bianchi & Figli <Srl>"'), encoding="utf-8")
    words = " ".join(f"parola{i}" for i in range(3000)) + " FINEDESCRIZIONE"
    services = root / "catalogue" / "services.yaml"
    services.write_text(services.read_text(encoding="utf-8").replace(
        "description: Revisione periodica del veicolo e controllo gratuito pre-revisione presso l'officina.",
        f"description: {words}"), encoding="utf-8")
    done = run_welfarectl("-C", root, "booklet", "-o", tmp_path / "b.pdf", home=tmp_path)
    assert done.exit_code == 0, done.output
    texts = page_texts(tmp_path / "b.pdf")
    everything = " ".join(texts)
    assert "Bianchi & Figli <Srl>" in everything
    assert all(f"parola{i} " in everything for i in range(0, 3000, 7)) and "FINEDESCRIZIONE" in everything
    spread = [i for i, t in enumerate(texts) if re.search(r"parola\d+", t)]
    assert len(spread) >= 3 and spread == list(range(spread[0], spread[-1] + 1))
    assert len(texts) % 4 == 0


def test_a_broken_template_fails_naming_its_file_and_line_and_writes_nothing(small_network, welfarectl):
    template = small_network / "templates" / "booklet" / "it" / "how-to.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("{{ network.name }}", "{{ network.nome }}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = welfarectl("-C", small_network, "booklet")
    assert done.exit_code == 1
    assert "templates/booklet/it/how-to.j2:3: error[template-unknown-variable]: 'nome'" in done.stdout
    assert not (small_network / "output").exists()
    assert welfarectl("-C", small_network, "validate").exit_code == 1


def test_a_network_with_errors_gives_no_booklet(small_network, welfarectl):
    services = small_network / "catalogue" / "services.yaml"
    services.write_text(services.read_text(encoding="utf-8").replace("provider: autofficina-la-rotonda",
                                                                     "provider: autofficina-la-rotondo", 1),
                        encoding="utf-8")
    done = welfarectl("-C", small_network, "booklet", "--imposed")
    assert done.exit_code == 1
    assert "error[unknown-reference]" in done.stdout and "the network has errors" in done.stderr
    assert not (small_network / "output").exists()


def test_all_companies_writes_one_edition_each(new_network, welfarectl):
    organisations = new_network / "catalogue" / "organisations.yaml"
    second = organisations.read_text(encoding="utf-8").split("  - id: prima-impresa\n")[1].split("  - id:")[0]
    second = second.replace("Prima Impresa", "Seconda Impresa").replace('"02345670026"', '"04567890019"')
    organisations.write_text(organisations.read_text(encoding="utf-8") + "  - id: seconda-impresa\n" + second,
                             encoding="utf-8")
    shutil.copy(new_network / "members" / "prima-impresa.xlsx", new_network / "members" / "seconda-impresa.xlsx")
    done = welfarectl("-C", new_network, "booklet", "--all-companies", "--imposed")
    assert done.exit_code == 0, done.output
    out = new_network / "output" / "booklet"
    assert sorted(path.name for path in out.iterdir()) == [
        "booklet-prima-impresa-it-imposed.pdf", "booklet-prima-impresa-it.pdf",
        "booklet-seconda-impresa-it-imposed.pdf", "booklet-seconda-impresa-it.pdf"]
    assert "Seconda Impresa S.r.l." in page_texts(out / "booklet-seconda-impresa-it.pdf")[0]


def test_company_and_all_companies_together_is_a_usage_error(small_network, welfarectl):
    done = welfarectl("-C", small_network, "booklet", "--company", COMPANY, "--all-companies")
    assert done.exit_code == 2
