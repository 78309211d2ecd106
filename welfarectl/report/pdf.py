"""report.pdf: the network's report of results, A4. The key figures first, with the answer to the
network's question (does the offer meet the demand?), then a section per topic with its charts
and tables; every chart and table names the data it comes from. Fonts embedded; ReportLab's
invariant mode, so the same figures give the same bytes.

Every text from the network's files goes through `escape` before it reaches a Paragraph.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from welfarectl.base.italian import format_day, format_number, format_percent
from welfarectl.pdf.fonts import MM, register_fonts

from . import charts
from .charts import SCALE, Series
from .figures import Figures, Table
from .labels import key_figure
from .suppression import SMALL, THRESHOLD, WITHHELD
from .tables import COUNT, POINTS, SCORE, SHARE, TEXT

MARGIN = 18 * MM
INK = "#222222"
MAX_COMPANY_BARS = 40  # a chart of one bar a company fits a page up to about this many


def _t(lang: str, it: str, en: str) -> str:
    return it if lang == "it" else en


def render_pdf(figures: Figures) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    lang = figures.lang
    out = io.BytesIO()
    title = _t(lang, "Report dei risultati", "Report of results") + f" – {figures.network_name}"
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 4 * MM, title=title, author=figures.network_name, creator="welfarectl",
                            subject=_t(lang, "Report della rete", "Network report"), invariant=1, pageCompression=1,
                            initialFontName=charts.FONT)
    story = _Story(figures, doc.width)
    footer = f"{figures.network_name} · {_t(lang, 'dati al', 'as of')} {_day(figures)}"

    def on_page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(charts.FONT, 7)
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, _t(lang, "pagina", "page") + f" {document.page}")
        canvas.restoreState()

    doc.build(story.build(), onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()


def _largest(rows: list[dict], key: str, most: int) -> list[dict]:
    """`rows` when there are at most `most`, else the `most` with the largest `key` (a count, or a
    suppression mark, which counts as under the threshold), largest first, then by label."""
    if len(rows) <= most:
        return rows
    return sorted(rows, key=lambda row: (-charts.number(row.get(key)), str(row.get("label"))))[:most]


def _day(figures: Figures) -> str:
    return format_day(figures.as_of) if figures.lang == "it" else figures.as_of.isoformat()


class _Story:
    """The flowables of the report, section after section."""

    def __init__(self, figures: Figures, width: float) -> None:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase.pdfmetrics import registerFontFamily

        registerFontFamily(charts.FONT, normal=charts.FONT, bold=charts.BOLD, italic=charts.FONT, boldItalic=charts.BOLD)
        self.figures, self.lang, self.width = figures, figures.lang, width
        ink = HexColor(INK)
        self.body = ParagraphStyle("body", fontName=charts.FONT, fontSize=9, leading=12.5, textColor=ink, spaceAfter=5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7, leading=9, spaceAfter=8)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=7, leading=8.5, spaceAfter=0)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=charts.BOLD)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=charts.BOLD, fontSize=20, leading=24, spaceAfter=6)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=charts.BOLD, fontSize=13, leading=16, spaceBefore=4,
                                 spaceAfter=6, textColor=HexColor(charts.SERIES[0]))
        self.h3 = ParagraphStyle("h3", parent=self.body, fontName=charts.BOLD, fontSize=9.5, leading=12, spaceBefore=8,
                                 spaceAfter=3, keepWithNext=1)  # a title never ends a page
        self.flow: list = []

    # --- pieces ---------------------------------------------------------------------------------

    def t(self, it: str, en: str) -> str:
        return _t(self.lang, it, en)

    def para(self, text: str, style=None) -> None:
        from reportlab.platypus import Paragraph

        self.flow.append(Paragraph(text, style or self.body))

    def section(self, it: str, en: str, *, new_page: bool = True) -> None:
        from reportlab.platypus import PageBreak

        if new_page:
            self.flow.append(PageBreak())
        self.para(escape(self.t(it, en)), self.h2)

    def chart(self, title_it: str, title_en: str, drawing, source: str) -> None:
        """A chart with its title above and its source below, kept on one page; a sentence instead
        when it would have no bar."""
        from reportlab.platypus import KeepTogether, Paragraph

        if drawing is None:
            self.para(escape(self.t(title_it, title_en) + ": " + self.t(
                "nessun grafico, perché non c'è un conteggio da mostrare (tutti nulli o sotto 5).",
                "no chart, as there is no count to show (all zero or under 5).")), self.small)
            return
        self.flow.append(KeepTogether([Paragraph(escape(self.t(title_it, title_en)), self.h3), drawing,
                                       Paragraph(escape(self.t("Fonte: ", "Source: ") + source), self.small)]))

    def table(self, table: Table, *, skip: tuple[str, ...] = ("id",), widths: dict[str, float] | None = None) -> None:
        """A table of the report, as in the workbook: header, rows, total row, its source below."""
        from reportlab.lib.colors import HexColor
        from reportlab.platypus import KeepTogether, Paragraph
        from reportlab.platypus import Table as PdfTable

        spec = table.spec
        columns = [c for c in spec.columns if c.key not in skip]
        widths = widths or {}
        number_width = widths.get("number", 24 * MM)
        fixed = sum(widths.get(c.key, number_width if c.kind != TEXT else 0) for c in columns)
        flexible = [c for c in columns if c.kind == TEXT and c.key not in widths]
        rest = (self.width - fixed) / max(1, len(flexible))
        col_widths = [widths.get(c.key, number_width if c.kind != TEXT else rest) for c in columns]
        head_right = self.head.clone("head_right", alignment=2)
        data = [[Paragraph(escape(c.title(self.lang)), head_right if c.kind != TEXT else self.head) for c in columns]]
        for row in table.rows:
            data.append([self._cell(row.get(c.key), c.kind) for c in columns])
        if table.total:
            total = dict(table.total, label=self.t("Totale", "Total"))
            data.append([self._cell(total.get(c.key), c.kind, self.head) for c in columns])
        # Numbers are plain strings, drawn in the cell's font as a Paragraph in `self.cell` would
        # draw them (same size, leading, colour, right edge, baseline): a table of 2,000 companies
        # wraps a Paragraph a cell four times as ReportLab splits it over pages.
        style = [("FONTNAME", (0, 0), (-1, -1), charts.FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("FONTSIZE", (0, 0), (-1, -1), self.cell.fontSize), ("LEADING", (0, 0), (-1, -1), self.cell.leading),
                 ("TEXTCOLOR", (0, 0), (-1, -1), self.cell.textColor),
                 ("LINEBELOW", (0, 0), (-1, 0), 0.6, HexColor(INK)),
                 ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                 ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
        style += [("BACKGROUND", (0, r), (-1, r), HexColor("#eef2f7")) for r in range(2, len(table.rows) + 1, 2)]
        style += [("ALIGN", (at, 1), (at, -1), "RIGHT") for at, c in enumerate(columns) if c.kind != TEXT]
        if table.total:
            style += [("LINEABOVE", (0, -1), (-1, -1), 0.6, HexColor(INK)), ("FONTNAME", (0, -1), (-1, -1), charts.BOLD)]
        pdf_table = PdfTable(data, colWidths=col_widths, repeatRows=1, style=style, hAlign="LEFT")
        note = self.t("Fonte: ", "Source: ") + spec.source(self.lang)
        if spec.personal:
            note += self.t(f". {SMALL}: meno di {THRESHOLD}; {WITHHELD}: omesso perché non si ricavi un conteggio sotto "
                           f"{THRESHOLD} dai totali.", f". {SMALL}: fewer than {THRESHOLD}; {WITHHELD}: withheld so that a "
                           f"count under {THRESHOLD} cannot be worked out from the totals.")
        title = Paragraph(escape(spec.title(self.lang)), self.h3)
        caption = Paragraph(escape(note), self.small)
        if len(data) <= 25:
            self.flow.append(KeepTogether([title, pdf_table, caption]))
        else:
            self.flow += [title, pdf_table, caption]

    def _cell(self, value, kind: str, text_style=None):
        from reportlab.platypus import Paragraph

        if kind == TEXT:
            return Paragraph(escape("" if value is None else str(value)), text_style or self.cell)
        return self.number(value, kind)

    def number(self, value, kind: str) -> str:
        if value is None:
            return "–"
        if isinstance(value, str):
            return value
        if kind == SHARE:
            return format_percent(value, 1, self.lang)
        if kind == SCORE:
            return format_number(value, 1, self.lang)
        if kind == POINTS:
            return ("+" if value > 0 else "") + format_number(value, 1, self.lang)
        return format_number(value, 0, self.lang)

    def bars(self, categories, series, **options):
        return charts.bars(categories, series, width=self.width, lang=self.lang, **options)

    # --- the report -----------------------------------------------------------------------------

    def build(self) -> list:
        self.cover()
        self.network()
        self.companies()
        self.services()
        self.workshops()
        self.respondents()
        self.needs()
        self.home_care()
        self.services_used()
        self.method()
        return self.flow

    def cover(self) -> None:
        from reportlab.lib.colors import HexColor
        from reportlab.platypus import Paragraph, Spacer
        from reportlab.platypus import Table as PdfTable

        f = self.figures
        self.para(escape(self.t("Report dei risultati", "Report of results")), self.h1)
        self.para(f"<b>{escape(f.network_name)}</b>")
        if f.period:
            start, end = f.period
            dates = f"{format_day(start)} – {format_day(end)}" if self.lang == "it" else f"{start.isoformat()} – {end.isoformat()}"
            self.para(escape(self.t(f"Territorio: {f.territory} · progetto {dates}", f"Territory: {f.territory} · project {dates}")))
        self.para(escape(self.t(f"Dati calcolati dai file della rete al {_day(f)}.", f"Figures computed from the network's files "
                                f"as of {_day(f)}.")))
        self.flow.append(Spacer(1, 4 * MM))
        self.para(escape(self.t("I dati chiave", "Key figures")), self.h2)
        big = self.cell.clone("big", fontName=charts.BOLD, fontSize=13, leading=15, alignment=2)
        label = self.cell.clone("label", fontSize=8.5, leading=10.5)
        rows = [[Paragraph(escape(key_figure(k, self.lang)), label), Paragraph(escape(self.number(v, COUNT)), big)]
                for k, v in f.key_figures.items()]
        half = (len(rows) + 1) // 2
        pairs = [left + (right if right else ["", ""]) for left, right in
                 zip(rows[:half], [*rows[half:], None], strict=False)]
        w = self.width
        self.flow.append(PdfTable(pairs, colWidths=[w * 0.32, w * 0.16, w * 0.36, w * 0.16], style=[
            ("FONTNAME", (0, 0), (-1, -1), charts.FONT), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, HexColor("#c8c8c8")),
            ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)], hAlign="LEFT"))
        self.flow.append(Spacer(1, 4 * MM))
        self.para(escape(self.t("L'offerta incontra la domanda?", "Does the offer meet the demand?")), self.h2)
        self.para(escape(self.gap_sentence()))
        self.para(escape(self.t(
            "La domanda è la quota di ciascuna macro-area sul totale delle risposte di bisogno alto (4 o 5) del "
            "questionario; l'offerta è la sua quota sui servizi del pacchetto. Il dettaglio è nella sezione «Domanda e offerta».",
            "Demand is each macro-area's share of all high-need answers (4 or 5) in the survey; supply is its share of "
            "the services in the package. The details are in the section 'Demand and supply'.")))
        self.para(escape(self.t(
            f"Protezione dei dati: nelle tabelle tratte dai dati dei dipendenti e dal questionario un conteggio da 1 a "
            f"{THRESHOLD - 1} è mostrato come «{SMALL}», e i conteggi che permetterebbero di ricavarlo dai totali come "
            f"«{WITHHELD}». Nessun nome né codice fiscale compare nel report.",
            f"Data protection: in tables drawn from employee and survey data a count from 1 to {THRESHOLD - 1} is shown as "
            f"'{SMALL}', and the counts that would let it be worked out from the totals as '{WITHHELD}'. No name or "
            "codice fiscale appears in the report.")), self.small)

    def gap_sentence(self) -> str:
        f, lang = self.figures, self.lang
        gaps = [g for g in f.gaps if g.points >= 1][:3]
        if not f.tables["demand_supply"].rows or all(r["demand_share"] is None for r in f.tables["demand_supply"].rows):
            return self.t("Il questionario non basta a confrontare domanda e offerta.",
                          "The survey is not enough to compare demand and supply.")
        if not gaps:
            return self.t("In ogni macro-area l'offerta di servizi è almeno pari alla domanda espressa.",
                          "In every macro-area the offer of services at least matches the demand expressed.")
        parts = [f"{g.label} ({format_percent(g.demand_share, 1, lang)} " + self.t("della domanda contro ", "of demand against ")
                 + f"{format_percent(g.supply_share, 1, lang)} " + self.t("dell'offerta", "of supply") + ")" for g in gaps]
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + self.t(" e ", " and ") + parts[-1]
        return self.t("Le lacune maggiori, dove la domanda supera di più l'offerta: ",
                      "The largest gaps, where demand exceeds supply the most: ") + joined + "."

    def network(self) -> None:
        tables = self.figures.tables
        self.section("La rete", "The network")
        kinds = tables["organisations_by_kind"]
        self.chart("Organizzazioni aderenti per tipo", "Member organisations by kind",
                   self.bars([r["label"] for r in kinds.rows], [Series("", [r["organisations"] for r in kinds.rows])],
                             axis_title=self.t("organizzazioni", "organisations")), kinds.spec.source(self.lang))
        self.table(kinds)
        self.table(tables["organisations_by_role"])
        members = tables["members_by_sector_size"]
        bands = [("micro", "micro", "micro"), ("small", "piccole", "small"), ("medium", "medie", "medium"),
                 ("large", "grandi", "large")]
        self.chart("Imprese aderenti per settore ATECO e dimensione", "Member companies by ATECO section and size band",
                   self.bars([r["label"] for r in members.rows],
                             [Series(self.t(it, en), [r[key] for r in members.rows]) for key, it, en in bands],
                             stacked=True, axis_title=self.t("imprese aderenti", "member companies")),
                   members.spec.source(self.lang))
        self.table(members, widths={"number": 14 * MM})

    def companies(self) -> None:
        f = self.figures
        table = f.tables["companies"]
        self.section("Dipendenti e tessere", "Employees and cards")
        self.para(escape(self.t(f"Dipendenti in forza al {_day(f)} e tessere welfare per impresa aderente.",
                                f"Employees current on {_day(f)} and welfare cards per member company.")))
        shown = _largest(table.rows, "employees", MAX_COMPANY_BARS)
        count = self.number(len(table.rows), COUNT)
        title_it, title_en = "Dipendenti in forza per impresa", "Current employees per company"
        if len(shown) < len(table.rows):  # a region's thousands of companies: the largest, all of them in the table
            title_it += f": le {len(shown)} imprese con più dipendenti, su {count} (tutte nella tabella)"
            title_en += f": the {len(shown)} companies with most employees, of {count} (all in the table)"
        self.chart(title_it, title_en,
                   self.bars([r["label"] for r in shown], [Series("", [r["employees"] for r in shown])],
                             axis_title=self.t("dipendenti in forza", "current employees"), bar_height=5.5),
                   table.spec.source(self.lang).split(",")[0])
        if not f.key_figures["cards_issued"]:
            self.para(escape(self.t(f"Al {_day(f)} il registro delle tessere (members/cards.jsonl) non ne riporta nessuna emessa.",
                                    f"On {_day(f)} the card registry (members/cards.jsonl) records no card issued.")))
        else:
            statuses = [("cards_active", "attive", "active"), ("cards_expired", "scadute", "expired"),
                        ("cards_revoked", "revocate o sostituite", "revoked or replaced"), ("cards_printed", "stampate", "printed")]
            total = table.total
            self.chart("Tessere per stato", "Cards by status",
                       self.bars([self.t(it, en) for _, it, en in statuses], [Series("", [total[k] for k, _, _ in statuses])],
                                 axis_title=self.t("tessere", "cards")), "members/cards.jsonl")
        self.table(table, widths={"sector": 12 * MM, "number": 18 * MM})

    def services(self) -> None:
        tables = self.figures.tables
        self.section("L'offerta: i servizi", "The offer: services")
        areas = tables["services_by_area"]
        self.chart("Servizi per macro-area", "Services by macro-area",
                   self.bars([r["label"] for r in areas.rows], [Series("", [r["services"] for r in areas.rows])],
                             axis_title=self.t("servizi nel pacchetto", "services in the package")), areas.spec.source(self.lang))
        self.table(areas)
        kinds = tables["services_by_provider_kind"]
        self.chart("Servizi per tipo di fornitore", "Services by kind of provider",
                   self.bars([r["label"] for r in kinds.rows], [Series("", [r["services"] for r in kinds.rows])],
                             axis_title=self.t("servizi", "services")), kinds.spec.source(self.lang))
        self.table(kinds)
        self.table(tables["services_by_benefit"])

    def workshops(self) -> None:
        table = self.figures.tables["workshops_by_kind"]
        self.section("Workshop ed eventi", "Workshops and events", new_page=False)
        self.chart("Partecipanti ai workshop per tipo", "Workshop participants by kind",
                   self.bars([r["label"] for r in table.rows], [Series("", [r["participants"] for r in table.rows])],
                             axis_title=self.t("partecipanti", "participants")), table.spec.source(self.lang))
        self.table(table)

    def respondents(self) -> None:
        tables, f = self.figures.tables, self.figures
        self.section("Chi ha risposto al questionario", "Who answered the survey")
        self.para(escape(self.t(f"{self.number(f.survey_respondents, COUNT)} risposte al questionario sui bisogni.",
                                f"{self.number(f.survey_respondents, COUNT)} answers to the needs survey.")))
        for key, it, en in (("respondents_by_sector", "Rispondenti per settore ATECO", "Respondents by ATECO section"),
                            ("respondents_by_age", "Rispondenti per fascia d'età", "Respondents by age band")):
            table = tables[key]
            self.chart(it, en, self.bars([r["label"] for r in table.rows], [Series("", [r["respondents"] for r in table.rows])],
                                         axis_title=self.t("rispondenti", "respondents")), table.spec.source(self.lang))
            self.table(table)
        homes = tables["households"]
        self.chart("Rispondenti per figli e familiari non autosufficienti", "Respondents by children and dependent relatives",
                   self.bars([r["label"] for r in homes.rows],
                             [Series(self.t("senza familiari non autosufficienti", "no dependent relative"),
                                     [r["without_dependants"] for r in homes.rows]),
                              Series(self.t("con familiari non autosufficienti", "with dependent relatives"),
                                     [r["with_dependants"] for r in homes.rows])],
                             axis_title=self.t("rispondenti", "respondents")), homes.spec.source(self.lang))
        self.table(homes)

    def needs(self) -> None:
        tables = self.figures.tables
        needs, demand = tables["needs"], tables["demand_supply"]
        self.section("Domanda e offerta", "Demand and supply")
        scores = [Series(self.t(f"punteggio {n}", f"score {n}"), [_of(r, f"score_{n}", r["answers"]) for r in needs.rows])
                  for n in range(1, 6)]
        hidden = [_hidden_share(r) for r in needs.rows]
        series = scores + ([Series(self.t("non mostrati (<5, *)", "not shown (<5, *)"), hidden)] if any(hidden) else [])
        self.chart("Bisogno per macro-area: distribuzione delle risposte da 1 (basso) a 5 (alto)",
                   "Need by macro-area: answers from 1 (low) to 5 (high)",
                   self.bars([r["label"] for r in needs.rows], series, stacked=True, kind=SHARE, value_max=1,
                             colours=(*SCALE, charts.HIDDEN), inner_labels=True, bar_height=14,
                             axis_title=self.t("quota delle risposte", "share of answers")),
                   needs.spec.source(self.lang))
        self.table(needs, widths={"number": 15 * MM})
        self.chart("Domanda e offerta per macro-area", "Demand and supply by macro-area",
                   self.bars([r["label"] for r in demand.rows],
                             [Series(self.t("domanda: quota delle risposte di bisogno alto (4-5)",
                                            "demand: share of high-need answers (4-5)"), [r["demand_share"] for r in demand.rows]),
                              Series(self.t("offerta: quota dei servizi", "supply: share of services"),
                                     [r["supply_share"] for r in demand.rows])],
                             kind=SHARE, axis_title=self.t("quota sul totale della rete", "share of the network's total")),
                   demand.spec.source(self.lang))
        self.para(escape(self.gap_sentence()))
        self.table(demand, widths={"number": 19 * MM})

    def home_care(self) -> None:
        f = self.figures
        services, needs = f.tables["home_care_services"], f.tables["home_care_needs"]
        self.section("Il programma di assistenza domiciliare", "The home-care programme")
        self.para(escape(self.t(
            f"Il secondo progetto della rete sostiene i dipendenti che assistono familiari non autosufficienti: "
            f"{self.number(len(services.rows), COUNT)} servizi del pacchetto ne fanno parte; "
            f"{self.number(f.dependants, COUNT)} rispondenti al questionario hanno familiari non autosufficienti.",
            f"The network's second project supports employees who care for non-self-sufficient relatives: "
            f"{self.number(len(services.rows), COUNT)} services of the package belong to it; "
            f"{self.number(f.dependants, COUNT)} survey respondents have dependent relatives.")))
        self.table(services, widths={"macro_area": 38 * MM, "benefit": 24 * MM, "provider": 45 * MM})
        self.chart("Bisogno medio: chi ha familiari non autosufficienti e tutti i rispondenti",
                   "Mean need: respondents with dependent relatives and everyone",
                   self.bars([r["label"] for r in needs.rows],
                             [Series(self.t("con familiari non autosufficienti", "with dependent relatives"),
                                     [r["mean"] for r in needs.rows]),
                              Series(self.t("tutti i rispondenti", "all respondents"), [r["mean_all"] for r in needs.rows])],
                             kind=SCORE, value_max=5, axis_title=self.t("punteggio medio (da 1 a 5)", "mean score (1 to 5)")),
                   needs.spec.source(self.lang))
        self.table(needs)

    def services_used(self) -> None:
        table = self.figures.tables["services_used"]
        self.section("Servizi già utilizzati", "Services already used")
        self.chart("Servizi di welfare già utilizzati, secondo il questionario", "Welfare services already used, from the survey",
                   self.bars([r["label"] for r in table.rows], [Series("", [r["respondents"] for r in table.rows])],
                             axis_title=self.t("rispondenti che li indicano", "respondents naming them")),
                   table.spec.source(self.lang))
        self.table(table)

    def method(self) -> None:
        self.section("Nota sul metodo", "A note on method", new_page=False)
        self.para(escape(self.t(
            "Ogni numero del report è calcolato dai file della rete (catalogue/, members/) nel giorno indicato, con "
            "`welfarectl report`; gli stessi dati sono in report.xlsx e report.json. I dati chiave coincidono con quelli "
            "di `welfarectl stats`.",
            "Every figure of the report is computed from the network's files (catalogue/, members/) on the day shown, by "
            "`welfarectl report`; the same figures are in report.xlsx and report.json. The key figures are those of "
            "`welfarectl stats`.")))
        self.para(escape(self.t(
            f"Nelle tabelle tratte dai dati dei dipendenti e dal questionario, un conteggio da 1 a {THRESHOLD - 1} è "
            f"mostrato come «{SMALL}». Perché non lo si possa ricavare per sottrazione dai totali delle righe, delle "
            f"colonne o dalle medie, sono omessi anche altri conteggi («{WITHHELD}»), i più piccoli possibile. Una quota o "
            "una media calcolata da un conteggio omesso è omessa con esso; le medie sono arrotondate a un decimale. I "
            f"servizi già utilizzati indicati da meno di {THRESHOLD} rispondenti sono contati insieme, senza nome.",
            f"In tables drawn from employee and survey data, a count from 1 to {THRESHOLD - 1} is shown as '{SMALL}'. So "
            f"that it cannot be worked out by subtraction from the totals of its row or column, or from the means, other "
            f"counts are withheld too ('{WITHHELD}'), the smallest possible. A share or mean worked out from a hidden count "
            f"is hidden with it; means are rounded to one decimal. Services already used that fewer than {THRESHOLD} "
            "respondents named are counted together, without their names.")))


def _of(row: dict, key: str, answers) -> object:
    """A score's share of the answers, or its mark."""
    value = row[key]
    if isinstance(value, str) or not isinstance(answers, int) or not answers:
        return value if isinstance(value, str) else None
    return value / answers


def _hidden_share(row: dict) -> float | None:
    """The share of a row's answers behind suppression marks (known anyway from the row's total)."""
    answers = row["answers"]
    if not isinstance(answers, int) or not answers:
        return None
    hidden = [n for n in range(1, 6) if isinstance(row[f"score_{n}"], str)]
    if not hidden:
        return None
    shown = sum(row[f"score_{n}"] for n in range(1, 6) if n not in hidden)
    return (answers - shown) / answers
