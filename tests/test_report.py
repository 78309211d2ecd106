"""The network report as its readers get it: report.pdf, report.xlsx and report.json, read back.

The sample network's report is built once for the module; its figures must be `stats`'s, and no
name or codice fiscale may be in it. A small synthetic network, with counts under 5 on purpose,
shows suppression in all three formats, and a reader's attempt to recover the hidden counts from
the totals finds more than one answer for each. LibreOffice, where installed, opens the workbook.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from networks import ROOT, SMALL_COMPANIES, TODAY, copy_small_network, run_welfarectl
from openpyxl import load_workbook
from pdfpages import fonts, pdffonts
from pypdf import PdfReader
from xlsxfiles import write_workbook

from welfarectl.pipeline import checked, load_network
from welfarectl.report.build import render_report
from welfarectl.report.jsonout import render_report_doc
from welfarectl.report.suppression import SMALL, WITHHELD, exposure, suppress, total_of
from welfarectl.report.tables import SPECS

MARKS = (SMALL, WITHHELD)


@dataclass(frozen=True)
class Report:
    root: Path
    pdf: bytes
    xlsx: bytes
    json: dict
    pdf_text: str


def build(root: Path, home: Path, *args: str) -> Report:
    out = home / "report"
    done = run_welfarectl("-C", root, "report", "-o", out, *args, home=home)
    assert done.exit_code == 0, done.output
    pdf = (out / "report.pdf").read_bytes()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return Report(root, pdf, (out / "report.xlsx").read_bytes(), json.loads((out / "report.json").read_text("utf-8")), text)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Report:
    return build(ROOT, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def network():
    """The sample network, loaded as the report command loads it."""
    return checked(load_network(ROOT, as_of=TODAY))


def xlsx_strings(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [cell.value for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


# --- the sample network -----------------------------------------------------------------------------

def test_the_report_writes_three_files_and_its_figures_are_stats(sample, tmp_path):
    stats = run_welfarectl("-C", ROOT, "stats", "--format", "json", home=tmp_path)
    figures = sample.json["key_figures"]
    assert {k: figures[k] for k in json.loads(stats.stdout)} == json.loads(stats.stdout)
    tables = sample.json["tables"]
    assert tables["companies"]["total"]["employees"] == figures["employees"] == 2548
    assert tables["services_by_area"]["total"]["services"] == figures["services"] == 65
    assert tables["workshops_by_kind"]["total"] == {"id": "total", "label": None, "workshops": 15, "participants": 375}
    assert tables["respondents_by_sector"]["total"]["respondents"] == figures["survey_responses"] == 470
    assert tables["organisations_by_kind"]["total"]["organisations"] == figures["organisations"] == 81
    assert len(tables["home_care_services"]["rows"]) == figures["home_care_services"] == 13
    assert sum(r["companies"] for r in tables["members_by_sector_size"]["rows"]) == figures["member_companies"] == 50
    assert sample.json["as_of"] == TODAY.isoformat()
    assert list(tables) == [spec.key for spec in SPECS]


def test_docs_report_md_documents_every_key_written(sample):
    committed = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    assert committed == render_report_doc(), "run python tools/make_docs.py"
    for key in [*sample.json, *sample.json["key_figures"], *sample.json["tables"]]:
        assert f"`{key}`" in committed
    for table in sample.json["tables"].values():
        for column in table["rows"][0]:
            assert f"| `{column}` |" in committed


def test_demand_is_set_against_supply_and_the_largest_gaps_are_named(sample):
    gaps = sample.json["gaps"]
    assert [g["macro_area"] for g in gaps][:2] == ["cost-saving", "pensions-health"]
    assert gaps == sorted(gaps, key=lambda g: -g["points"])
    rows = sample.json["tables"]["demand_supply"]["rows"]
    assert sum(r["services"] for r in rows) == 65
    assert abs(sum(r["demand_share"] for r in rows) - 1) < 1e-3
    sentence = re.sub(r"\s+", " ", sample.pdf_text)
    assert "Le lacune maggiori, dove la domanda supera di più l'offerta: Risparmio (30,6 % della domanda contro 20,0 %" in sentence


def test_the_sample_shows_a_need_count_under_5_as_such_in_all_three_formats(sample):
    cost = next(r for r in sample.json["tables"]["needs"]["rows"] if r["id"] == "cost-saving")
    assert (cost["score_1"], cost["score_2"]) == (SMALL, WITHHELD)  # one answer of 1 (a count under 5), its row completed
    book = load_workbook(io.BytesIO(sample.xlsx))
    row = next(r for r in book["needs"].iter_rows(values_only=True) if r[0] == "cost-saving")
    assert row[3:5] == (SMALL, WITHHELD)
    assert "Risparmio 470 <5 * 152 203 85 288 3,7" in re.sub(r"\s+", " ", sample.pdf_text)


def test_no_name_or_codice_fiscale_is_anywhere_in_the_outputs(sample, network):
    outputs = {"pdf": sample.pdf_text, "json": json.dumps(sample.json, ensure_ascii=False),
               "xlsx": "\n".join(xlsx_strings(sample.xlsx))}
    # A surname can be an ordinary word of the catalogue (Villa, in a company's name and id) or
    # of the report (Grandi, the size band): those words are taken out before looking for people.
    words = [org.name for org in network.organisations] + [org.id for org in network.organisations]
    words += [c.it for s in SPECS for c in s.columns]
    catalogue_words = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    surnames = re.compile(r"\b(" + "|".join(re.escape(e.surname) for e in network.employees) + r")\b", re.IGNORECASE)
    codici = {e.codice_fiscale for e in network.employees}
    for kind, text in outputs.items():
        text = catalogue_words.sub(" ", text)
        found = codici & set(re.findall(r"[A-Z0-9]{16}", text.upper())) | set(surnames.findall(text))
        assert found == set(), f"{kind}: {sorted(found)[:5]}"
    assert len(network.employees) > 2500 and len(codici) > 2500


def test_the_pdf_is_a4_with_its_charts_sources_and_embedded_fonts(sample):
    reader = PdfReader(io.BytesIO(sample.pdf))
    assert len(reader.pages) >= 12
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}
    assert fonts(sample.pdf) and all(embedded for _, embedded in fonts(sample.pdf))
    text = re.sub(r"\s+", " ", sample.pdf_text)
    for title in ("Organizzazioni aderenti per tipo", "Dipendenti in forza per impresa", "Servizi per macro-area",
                  "Partecipanti ai workshop per tipo", "Rispondenti per settore ATECO", "Domanda e offerta per macro-area",
                  "Bisogno per macro-area: distribuzione delle risposte", "Bisogno medio: chi ha familiari non autosufficienti",
                  "Servizi di welfare già utilizzati, secondo il questionario"):
        assert title in text
    # axis titles and Italian numbers come from the drawings themselves
    assert "quota sul totale della rete" in text and "punteggio medio (da 1 a 5)" in text and "2.548" in text
    assert text.count("Fonte:") >= 25  # every chart and every table names its data
    assert "Helvetica" not in str([name for name, _ in fonts(sample.pdf)])


def test_poppler_lists_every_font_of_the_report_as_embedded(sample, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(sample.pdf)
    listed = pdffonts(path)
    assert listed and all(embedded for _, embedded in listed)


def test_the_workbook_has_a_sheet_per_table_with_frozen_headers_filters_and_formats(sample):
    book = load_workbook(io.BytesIO(sample.xlsx))
    assert book.sheetnames == ["key_figures", *(spec.key for spec in SPECS)]
    for spec in SPECS:
        sheet = book[spec.key]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert [c.value for c in sheet[1]][:2] == ["Codice", "Voce"]
    areas = book["services_by_area"]
    assert areas["C2"].value == 13 and areas["C2"].number_format == "#,##0"
    assert areas["D2"].number_format == "0.0%" and areas["D2"].value == pytest.approx(0.2)
    assert book.properties.created.date() == TODAY


def test_the_report_is_the_same_bytes_every_time(sample, network):
    again = render_report(network)
    assert again["pdf"] == sample.pdf
    assert again["xlsx"] == sample.xlsx
    assert json.loads(again["json"]) == sample.json


def test_libreoffice_converts_the_workbook_without_error(sample, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("soffice not installed (libreoffice-calc-nogui; `.ci/run` installs it): "
                    "the workbook was not opened by LibreOffice")
    (tmp_path / "report.xlsx").write_bytes(sample.xlsx)
    done = subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "ods",
                           "--outdir", str(tmp_path / "out"), str(tmp_path / "report.xlsx")],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "report.ods").stat().st_size > 10_000


# --- a small synthetic network: suppression, formulas, refusals ---------------------------------------

AREAS = ("cost-saving", "time-saving", "personal-care", "skills-development", "pensions-health", "territorial-welfare")
SURVEY_HEADER = ["Impresa", "Settore ATECO", "Fascia d'età", "Figli", "Familiari non autosufficienti", *AREAS,
                 "Servizi utilizzati"]
# (sector, age band, children, dependent relatives, how many): 30 respondents, with small groups on purpose
GROUPS = [("C", "30-39", 0, "No", 8), ("C", "40-49", 1, "No", 9), ("C", "40-49", 0, "Sì", 2), ("C", "50-59", 1, "Sì", 1),
          ("G", "30-39", 2, "No", 7), ("I", "18-29", 3, "No", 2), ("I", "60+", 4, "Sì", 1)]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Report:
    home = tmp_path_factory.mktemp("synthetic")
    root = copy_small_network(home / "net")
    organisations = root / "catalogue" / "organisations.yaml"
    organisations.write_text(organisations.read_text("utf-8").replace(
        "name: Ferramenta Centrale Soliera S.n.c.", "name: '=HYPERLINK(\"http://x.invalid\";\"Ferramenta\")'"), "utf-8")
    rows = []
    for n, (sector, age, children, relatives, count) in enumerate(GROUPS):
        for i in range(count):
            rows.append([SMALL_COMPANIES[n % 3], sector, age, children, relatives,
                         *((i + k) % 5 + 1 for k in range(6)), "Mensa; Palestra" if i < 6 else "Asilo Rossi" if i == 6 else ""])
    write_workbook(root / "members" / "survey.xlsx", {"Risposte": [SURVEY_HEADER, *rows]})
    issued = run_welfarectl("-C", root, "cards", "issue", "--format", "json", home=home)
    assert issued.exit_code == 0, issued.output
    card = json.loads(issued.stdout)["cards"][0]["card"]
    assert run_welfarectl("-C", root, "cards", "revoke", card, "--reason", "lost", home=home).exit_code == 0
    return build(root, home, "--lang", "en")


Equation = list[tuple[int, object]]  # sum of coefficient x term is 0; a term is a hidden cell or a published number


def recover(hidden: dict, equations: list[Equation], top: int) -> dict:
    """A reader's attempt at the hidden cells: every value each count under 5 can take, given the
    marks (1-4 under <5, 5 to `top` under *) and the equations the published totals give, found
    by trying each value and searching for a whole solution (bounds, then branching)."""
    def solve(domains: dict) -> bool:
        domains = dict(domains)
        moved = True
        while moved:
            moved = False
            for equation in equations:
                for coef, cell in equation:
                    if cell not in domains:
                        continue
                    rest = [(a, t) for a, t in equation if t is not cell]
                    low = -sum(max(a * domains[t][0], a * domains[t][1]) if t in domains else a * t for a, t in rest)
                    high = -sum(min(a * domains[t][0], a * domains[t][1]) if t in domains else a * t for a, t in rest)
                    low, high = sorted((low / coef, high / coef))
                    new = (max(domains[cell][0], -(-low // 1)), min(domains[cell][1], high // 1))
                    if new[0] > new[1]:
                        return False
                    if new != domains[cell]:
                        domains[cell], moved = new, True
        open_cell = next((c for c, (lo, hi) in domains.items() if lo < hi), None)
        if open_cell is None:
            return all(sum(a * (domains[t][0] if t in domains else t) for a, t in eq) == 0 for eq in equations)
        lo, hi = domains[open_cell]
        return any(solve({**domains, open_cell: (v, v)}) for v in range(int(lo), int(hi) + 1))

    start = {cell: (1, 4) if mark == SMALL else (5, top) for cell, mark in hidden.items()}
    return {cell: {v for v in range(1, 5) if solve({**start, cell: (v, v)})} for cell, mark in hidden.items() if mark == SMALL}


def equations_of(grid: dict, rows: list, columns: list, row_total, column_total="total") -> list[Equation]:
    """What a reader writes down from a table with margins: each row's parts add up to its total,
    each column's rows to its total row."""
    def term(cell):
        return cell if grid[cell] in MARKS else grid[cell]

    equations = [[*((1, term((r, c))) for c in columns), (-1, term((r, row_total)))] for r in [*rows, column_total]]
    equations += [[*((1, term((r, c))) for r in rows), (-1, term((column_total, c)))] for c in [*columns, row_total]]
    return equations


def test_a_count_under_5_is_shown_as_such_and_its_complement_is_withheld_in_all_three_formats(synthetic):
    sectors = {r["id"]: r["respondents"] for r in synthetic.json["tables"]["respondents_by_sector"]["rows"]}
    assert sectors == {"C": 20, "G": WITHHELD, "I": SMALL}
    book = load_workbook(io.BytesIO(synthetic.xlsx))
    assert [r[2] for r in book["respondents_by_sector"].iter_rows(min_row=2, max_row=4, values_only=True)] == [20, WITHHELD, SMALL]
    text = re.sub(r"\s+", " ", synthetic.pdf_text)
    assert "riparazione di autoveicoli * *" in text and "alloggio e di ristorazione <5 <5" in text
    assert "Asilo Rossi" not in synthetic.pdf_text + json.dumps(synthetic.json) + "\n".join(xlsx_strings(synthetic.xlsx))


def test_hidden_counts_cannot_be_recovered_from_the_totals(synthetic):
    """The reader knows each table's totals and tries every value the marks allow: every count
    under 5 keeps more than one possible value."""
    tables = synthetic.json["tables"]
    for key in ("respondents_by_sector", "respondents_by_age"):
        rows = tables[key]["rows"]
        hidden = {r["id"]: r["respondents"] for r in rows if r["respondents"] in MARKS}
        equation = [*((1, r["id"] if r["id"] in hidden else r["respondents"]) for r in rows), (-1, 30)]
        found = recover(hidden, [equation], 30)
        assert found and all(len(values) > 1 for values in found.values()), (key, found)

    homes = tables["households"]
    columns = ["without_dependants", "with_dependants"]
    grid = {(r["id"], c): r[c] for r in [*homes["rows"], homes["total"]] for c in [*columns, "respondents"]}
    hidden = {cell: v for cell, v in grid.items() if v in MARKS}
    assert SMALL in hidden.values() and WITHHELD in hidden.values()
    found = recover(hidden, equations_of(grid, [r["id"] for r in homes["rows"]], columns, "respondents"), 30)
    assert found and all(len(values) > 1 for values in found.values()), found

    companies = tables["companies"]
    columns = ["cards_active", "cards_expired", "cards_revoked"]
    grid = {(r["id"], c): r[c] for r in [*companies["rows"], companies["total"]] for c in [*columns, "cards_issued"]}
    hidden = {cell: v for cell, v in grid.items() if v in MARKS}
    found = recover(hidden, equations_of(grid, [r["id"] for r in companies["rows"]], columns, "cards_issued"), 40)
    assert found and all(len(values) > 1 for values in found.values()), found


def test_the_reader_recovers_a_lone_small_count_so_the_check_can_fail():
    assert recover({"c": SMALL}, [[(1, 20), (1, 7), (1, "c"), (-1, 30)]], 30) == {"c": {3}}


def test_a_revoked_card_is_a_count_under_5_in_the_companies_table(synthetic):
    companies = synthetic.json["tables"]["companies"]
    revoked = [r["cards_revoked"] for r in companies["rows"]]
    assert revoked.count(SMALL) == 1 and companies["total"]["cards_revoked"] == SMALL
    assert synthetic.json["key_figures"]["cards_revoked"] == SMALL


def test_text_that_looks_like_a_formula_is_written_as_text(synthetic):
    book = load_workbook(io.BytesIO(synthetic.xlsx))
    cell = next(c for row in book["companies"].iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("="))
    assert cell.value == '=HYPERLINK("http://x.invalid";"Ferramenta")' and cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(synthetic.xlsx)) as archive:
        assert not any("<f>" in archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/"))


def test_the_report_is_in_english_when_asked(synthetic):
    assert "Report of results" in synthetic.pdf_text and synthetic.json["lang"] == "en"


def test_a_network_with_errors_gets_no_report_and_is_told_why(small_network, welfarectl, tmp_path):
    services = small_network / "catalogue" / "services.yaml"
    services.write_text(services.read_text("utf-8").replace("provider: autofficina-la-rotonda", "provider: nobody", 1), "utf-8")
    done = welfarectl("-C", small_network, "report", "-o", tmp_path / "out")
    assert done.exit_code == 1
    assert "unknown-reference" in done.stdout and "the network has errors" in done.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_format_is_a_usage_error(small_network, welfarectl, tmp_path):
    done = welfarectl("-C", small_network, "report", "-f", "pdf,docx", "-o", tmp_path / "out")
    assert done.exit_code == 2 and "'docx'" in done.stderr
    assert not (tmp_path / "out").exists()


# --- suppression on its own -------------------------------------------------------------------------

def test_a_lone_small_count_takes_the_next_smallest_with_it():
    values = {"a": 3, "b": 50, "c": 7, "total": 60}
    assert suppress(values, [total_of("abc", "total")]) == {"a": SMALL, "c": WITHHELD}


def test_two_small_counts_that_add_up_to_too_little_are_protected_by_a_third():
    """1 + 1 = 2 would give both away: a third count is withheld."""
    values = {"a": 1, "b": 1, "c": 100, "total": 102}
    marks = suppress(values, [total_of("abc", "total")], public=["total"])
    assert marks == {"a": SMALL, "b": SMALL, "c": WITHHELD}
    assert all(low < high for low, high in exposure(values, marks, [total_of("abc", "total")]).values())


def test_in_a_two_way_table_the_withheld_cells_close_a_rectangle():
    grid = {(0, 0): 3, (0, 1): 20, (1, 0): 10, (1, 1): 30}
    values = dict(grid)
    values.update({(r, "t"): grid[r, 0] + grid[r, 1] for r in (0, 1)})
    values.update({("t", c): grid[0, c] + grid[1, c] for c in (0, 1)})
    values["t", "t"] = 63
    relations = [total_of([(r, 0), (r, 1)], (r, "t")) for r in (0, 1, "t")]
    relations += [total_of([(0, c), (1, c)], ("t", c)) for c in (0, 1, "t")]
    marks = suppress(values, relations)
    assert marks == {(0, 0): SMALL, (1, 0): WITHHELD, (0, 1): WITHHELD, (1, 1): WITHHELD}
    seen = recover(marks, equations_of({**values, **marks}, [0, 1], [0, 1], "t", "t"), 63)
    assert seen == {(0, 0): {1, 2, 3, 4}}


# --- a region's thousands of companies ------------------------------------------------------------
def test_a_network_of_more_companies_than_a_chart_holds_charts_the_largest_and_tables_them_all(tmp_path):
    """One bar a company fits a page up to MAX_COMPANY_BARS companies: a region's thousands made
    a chart taller than the page, which ReportLab cannot place (it raised LayoutError)."""
    from stdnum import luhn
    from stdnum.it import codicefiscale

    from welfarectl.report.pdf import MAX_COMPANY_BARS

    root = copy_small_network(tmp_path / "net")
    extra = MAX_COMPANY_BARS + 30  # one bar each would not fit a page
    entries = []
    for n in range(1, extra + 1):
        vat = f"0{n:06d}036"
        entries.append(f"  - id: impresa-{n:03d}\n    name: Impresa {n:03d} S.r.l.\n    legal_form: S.r.l.\n"
                       f"    kind: company\n    roles: [member-company]\n"
                       f'    partita_iva: "{vat + luhn.calc_check_digit(vat)}"\n    ateco: C\n'
                       f"    address:\n      street: Via Emilia {n}\n      postcode: \"41121\"\n      city: Modena\n"
                       f"      province: MO\n    joined: 2018-03-01\n")
        people = []
        for i in range(n % 7 + 1):  # 1 to 7 people: companies of different sizes
            stem = f"VRDLGU{60 + i:02d}{'ABCDEHLMPRST'[n % 12]}{1 + n % 28:02d}F257"
            people.append(["Verdi", f"Luigi{i}", stem + codicefiscale.calc_check_digit(stem), "01/03/2018"])
        write_workbook(root / "members" / f"impresa-{n:03d}.xlsx",
                       [["Cognome", "Nome", "Codice fiscale", "Data assunzione"], *people])
    organisations = root / "catalogue" / "organisations.yaml"
    organisations.write_text(organisations.read_text("utf-8").rstrip("\n") + "\n" + "".join(entries), "utf-8")
    report = build(root, tmp_path / "home")
    text = re.sub(r"\s+", " ", report.pdf_text)
    companies = len(report.json["tables"]["companies"]["rows"])
    assert companies > MAX_COMPANY_BARS
    assert f"le {MAX_COMPANY_BARS} imprese con più dipendenti, su {companies} (tutte nella tabella)" in text
    assert all(f"Impresa {n:03d} S.r.l." in text for n in range(1, extra + 1))  # every one in the table
