"""The booklet as a PDF: A5 portrait, laid out once by ReportLab's platypus.

Cover; how to use the card; contents with page numbers; one section per macro-area (a new page
each, its introduction from the section template, then its services); the providers' directory;
the home-care index; ruled Note pages up to a multiple of 4 pages, for saddle stitching. Running
footers carry the page number on the outer edge and the section's name. Every text from the
catalogue is escaped before it reaches ReportLab's markup; the templates' text is markup already
(their values escaped by Jinja's autoescape). Invariant mode: the same edition gives the same bytes.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from welfarectl.pdf.fonts import MM, register_fonts

from . import text
from .editions import Edition, Entry
from .flowables import ACCENT, GREY, INK, PAPER, Marker, NotesPage, PageNumber, QrCode, define_page_numbers
from .prose import Prose

WIDTH, HEIGHT = A5
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 14 * MM, 14 * MM, 18 * MM
FOOTER_Y = 9 * MM
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
NUMBER_WIDTH = 12 * MM  # the page-number column of the contents and the index
QR_SIZE = 16.0  # mm
PAGE_NUMBER_BASELINE = 3.2  # pt above a listing row's bottom: on the baseline of the row's last line


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK, spaceAfter=3, bulletFontName=FONT)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8, leading=10.4, spaceAfter=1.5),
        "item": ParagraphStyle("item", base, leftIndent=10, bulletIndent=0, spaceAfter=2),
        "h1": ParagraphStyle("h1", base, fontName=BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceAfter=8),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=11.5, leading=15, textColor=ACCENT, spaceBefore=6,
                             spaceAfter=4),
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=10.5, leading=13.5, spaceAfter=1),
        "benefit": ParagraphStyle("benefit", base, fontName=BOLD, fontSize=10, leading=13, textColor=ACCENT, spaceAfter=1),
        "toc": ParagraphStyle("toc", base, fontSize=10, leading=14, spaceAfter=0),
        "cover-title": ParagraphStyle("cover-title", base, fontName=BOLD, fontSize=22, leading=27, textColor=ACCENT,
                                      spaceAfter=10),
        "cover-network": ParagraphStyle("cover-network", base, fontName=BOLD, fontSize=13, leading=17, spaceAfter=4),
        "cover": ParagraphStyle("cover", base, fontSize=10.5, leading=14.5, spaceAfter=6),
        "footer": ParagraphStyle("footer", base, fontSize=7.5, textColor=GREY, alignment=TA_CENTER),
    }


class BookletDoc(BaseDocTemplate):
    """Notes where markers land (pages of sections and services), keeps the footer's section, pads
    the end with Note pages to a multiple of 4, and defines the page numbers once laid out."""

    def __init__(self, out, edition: Edition, footer_name: str, styles: dict, **kw) -> None:
        super().__init__(out, pagesize=A5, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, invariant=1, pageCompression=1, enforceColorSpace="cmyk",
                         initialFontName=FONT, initialFontSize=9, **kw)
        self.edition, self.styles = edition, styles
        self.pages: dict[str, int] = {}
        self.footer_name = footer_name
        self.section_name = footer_name
        self.story: list = []
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH - 2 * MARGIN_X, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("cover", [frame], onPage=_draw_cover_band),
                               PageTemplate("body", [frame], onPageEnd=self._draw_footer)])

    def afterFlowable(self, flowable) -> None:
        if not isinstance(flowable, Marker):
            return
        self.pages.setdefault(flowable.key, self.page)
        if flowable.kind in ("section", "back-matter"):
            self.section_name = flowable.title
        elif flowable.kind == "end":
            self._pad_to_a_multiple_of_4()

    def _pad_to_a_multiple_of_4(self) -> None:
        label = text.label(self.edition.lang, "notes")
        missing = -self.page % 4
        for i in range(missing):
            self.story += [PageBreak()]
            if i == 0:
                self.story += [Marker("back-matter", "notes", label), Paragraph(escape(label), self.styles["h1"])]
            self.story += [NotesPage()]

    def _draw_footer(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        page = canvas.getPageNumber()
        outer_right = page % 2 == 1  # odd pages are right-hand pages: the number on the outer edge
        number, name = str(page), self.section_name or ""
        if outer_right:
            canvas.drawRightString(WIDTH - MARGIN_X, FOOTER_Y, number)
            canvas.drawString(MARGIN_X, FOOTER_Y, name)
        else:
            canvas.drawString(MARGIN_X, FOOTER_Y, number)
            canvas.drawRightString(WIDTH - MARGIN_X, FOOTER_Y, name)
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN_X, FOOTER_Y + 9, WIDTH - MARGIN_X, FOOTER_Y + 9)
        canvas.restoreState()

    def _endBuild(self) -> None:
        self._doSave = 0
        super()._endBuild()
        define_page_numbers(self.canv, self.pages, width=NUMBER_WIDTH, font=FONT, size=10, baseline=PAGE_NUMBER_BASELINE)
        self.canv.save()


def _draw_cover_band(canvas, doc) -> None:
    """The cover's bands, with the card's name and the network's short name and territory in white."""
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.rect(0, HEIGHT - 42 * MM, WIDTH, 42 * MM, stroke=0, fill=1)
    canvas.rect(0, 0, WIDTH, 10 * MM, stroke=0, fill=1)
    canvas.setFillColor(PAPER)
    canvas.setFont(BOLD, 24)
    canvas.drawString(MARGIN_X, HEIGHT - 24 * MM, "Welfare Card")
    canvas.setFont(FONT, 10)
    canvas.drawString(MARGIN_X, HEIGHT - 32 * MM, doc.footer_name)
    canvas.restoreState()


def render_booklet(edition: Edition, prose: Prose, network_values: dict, *, title: str) -> tuple[bytes, int]:
    """The edition as PDF bytes, and its number of pages. `network_values` are the templates' variables (prose.SAMPLE
    lists them); `title` is the network's name, for the cover and the document's properties."""
    register_fonts()
    _register_family()
    styles = _styles()
    out = io.BytesIO()
    lang = edition.lang
    values = {**network_values, "company": edition.company or "", "services": len(edition.entries),
              "providers": len(edition.providers), "areas": [s.name for s in edition.sections]}
    doc = BookletDoc(out, edition, network_values["network"]["short_name"], styles,
                     title=f"{text.label(lang, 'booklet')} – {title}", author=network_values["network"]["name"],
                     creator="welfarectl", subject=edition.company or text.label(lang, "edition_full"), lang=lang)
    story = doc.story
    story += _cover(edition, prose, values, title, styles)
    story += [NextPageTemplate("body"), PageBreak(), Marker("front-matter", "how-to")]
    story += _blocks(prose.render(lang, "how-to", values), styles)
    story += [PageBreak(), Marker("front-matter", "contents"), Paragraph(escape(text.label(lang, "contents")), styles["h1"])]
    story += _contents(edition, styles)
    for section in edition.sections:
        story += [PageBreak(), Marker("section", f"area-{section.area_id}", section.name),
                  Paragraph(escape(section.name), styles["h1"])]
        area = {"name": section.name, "description": section.description or "", "services": len(section.entries)}
        story += _blocks(prose.render(lang, "section", {**values, "area": area}), styles)
        story.append(Spacer(1, 4 * MM))
        for entry in section.entries:
            story += _entry(entry, lang, styles)
    story += _directory(edition, styles)
    story += _home_care(edition, styles)
    story.append(Marker("end", "end"))
    doc.build(story)
    return out.getvalue(), doc.canv.getPageNumber() - 1


def _register_family() -> None:
    from reportlab.lib.fonts import addMapping

    for bold, italic, name in ((0, 0, FONT), (1, 0, BOLD), (0, 1, FONT), (1, 1, BOLD)):
        addMapping(FONT, bold, italic, name)


def _blocks(found: list[tuple[str, str]], styles: dict) -> list:
    """A template's blocks as paragraphs (their markup is the template's, values escaped)."""
    flowables = []
    for kind, markup in found:
        if kind == "heading":
            flowables.append(Paragraph(markup, styles["h2"]))
        elif kind == "item":
            flowables.append(Paragraph(markup, styles["item"], bulletText="•"))
        else:
            flowables.append(Paragraph(markup, styles["body"]))
    return flowables


def _cover(edition: Edition, prose: Prose, values: dict, title: str, styles: dict) -> list:
    lang = edition.lang
    period = values["period"]
    story = [Spacer(1, 36 * MM), Paragraph(escape(text.label(lang, "booklet")), styles["cover-title"]),
             Paragraph(escape(title), styles["cover-network"]),
             Paragraph(escape(f"{text.label(lang, 'period')}: {period['start']} – {period['end']}"), styles["cover"])]
    if edition.company:  # printed here, not left to the template: an edition always says whose it is
        story += [Spacer(1, 6 * MM), Paragraph(escape(text.label(lang, "edition_for")), styles["cover"]),
                  Paragraph(escape(edition.company), styles["cover-network"])]
    story += [Spacer(1, 8 * MM), *_blocks(prose.render(lang, "cover", values), {**styles, "body": styles["cover"]})]
    return story


def _number_row(label_markup: str, key: str, styles: dict) -> list:
    return [Paragraph(label_markup, styles["toc"]), PageNumber(key, NUMBER_WIDTH, 10)]


def _listing_table(rows: list, width: float) -> Table:
    table = Table(rows, colWidths=[width - NUMBER_WIDTH, NUMBER_WIDTH])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, GREY)]))
    return table


def _contents(edition: Edition, styles: dict) -> list:
    lang = edition.lang
    rows = [_number_row(f'<a href="#how-to">{escape(text.label(lang, "how_to"))}</a>', "how-to", styles)]
    for section in edition.sections:
        key = f"area-{section.area_id}"
        count = f' <font color="cmyk(0,0,0,0.6)" size="8">({len(section.entries)})</font>'
        rows.append(_number_row(f'<a href="#{key}">{escape(section.name)}</a>{count}', key, styles))
    rows.append(_number_row(f'<a href="#providers">{escape(text.label(lang, "providers"))}</a>', "providers", styles))
    rows.append(_number_row(f'<a href="#home-care">{escape(text.label(lang, "home_care"))}</a>', "home-care", styles))
    return [_listing_table(rows, WIDTH - 2 * MARGIN_X)]


def _contact_words(contacts, lang: str) -> str | None:
    if contacts is None:
        return None
    parts = []
    if contacts.person:
        parts.append(escape(contacts.person))
    if contacts.phone:
        parts.append(("tel. " if lang == "it" else "phone ") + escape(contacts.phone))
    if contacts.email:
        parts.append(escape(contacts.email))
    if contacts.website:
        parts.append(escape(contacts.website))
    return " · ".join(parts) or None


def _field(label_text: str, value_markup: str, styles: dict) -> Paragraph:
    return Paragraph(f'<font name="{BOLD}" color="cmyk(0,0,0,0.67)">{escape(label_text)}:</font> {value_markup}', styles["small"])


def _beside_qr(flowables: list, website: str | None) -> list:
    """The flowables, with a QR code of `website` beside them when there is one."""
    if not website:
        return flowables
    width = WIDTH - 2 * MARGIN_X
    table = Table([[flowables, QrCode(website, QR_SIZE)]], colWidths=[width - QR_SIZE * MM - 3 * MM, QR_SIZE * MM + 3 * MM])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))
    return [table]


def _entry(entry: Entry, lang: str, styles: dict) -> list:
    """One service: its heading (number, title, provider, benefit; a QR code beside it for its web
    address) kept with the start of its description, which flows on across pages however long."""
    label = text.label
    heading = [Paragraph(f'<font color="cmyk(1,0.55,0,0.15)">{entry.number}</font>  {escape(entry.title)}', styles["title"]),
               Paragraph(f'<font color="cmyk(0,0,0,0.67)">{escape(entry.provider)}</font>', styles["small"]),
               Paragraph(escape(entry.benefit) + (f' <font name="{FONT}" color="cmyk(0,0,0,1)" size="8.5">– '
                                                  f'{escape(entry.conditions)}</font>' if entry.conditions else ""),
                         styles["benefit"])]
    story: list = [CondPageBreak(40 * MM), Marker("service", f"service-{entry.number}")]
    first = Paragraph(escape(entry.description), styles["body"])
    story.append(KeepTogether([*_beside_qr(heading, entry.website), Spacer(1, 1.5 * MM)]))
    story[-1].keepWithNext = True
    story.append(first)
    fields = [(label(lang, "who"), escape(entry.who))]
    if entry.tuir:
        fields.append((label(lang, "tuir"), escape(entry.tuir)))
    fields.append((label(lang, "access"), escape(entry.access)))
    if entry.where:
        fields.append((label(lang, "where"), escape(entry.where)))
    contacts = _contact_words(entry.contacts, lang)
    if contacts:
        fields.append((label(lang, "contacts"), contacts))
    if entry.validity:
        fields.append((label(lang, "validity"), escape(entry.validity)))
    story += [_field(name, value, styles) for name, value in fields]
    story.append(Spacer(1, 5 * MM))
    return story


def _back_matter(lang: str, key: str, marker: str, styles: dict) -> list:
    """The start of a back-matter part on a new page: its marker for the contents, its title (the
    label `key`) and its introduction (the label `key`_intro)."""
    name = text.label(lang, key)
    return [PageBreak(), Marker("back-matter", marker, name), Paragraph(escape(name), styles["h1"]),
            Paragraph(escape(text.label(lang, f"{key}_intro")), styles["body"]), Spacer(1, 2 * MM)]


def _directory(edition: Edition, styles: dict) -> list:
    lang = edition.lang
    story = _back_matter(lang, "providers", "providers", styles)
    for provider in edition.providers:
        lines = [Paragraph(f"<b>{escape(provider.name)}</b>", styles["body"])]
        if provider.address:
            lines.append(Paragraph(escape(provider.address), styles["small"]))
        contacts = _contact_words(provider.contacts, lang)
        if contacts:
            lines.append(Paragraph(contacts, styles["small"]))
        numbers = ", ".join(str(n) for n in provider.numbers)
        lines.append(_field(text.label(lang, "services"), numbers, styles))
        website = provider.contacts.website if provider.contacts else None
        story.append(KeepTogether([*_beside_qr(lines, website), Spacer(1, 3 * MM)]))
    return story


def _home_care(edition: Edition, styles: dict) -> list:
    lang = edition.lang
    story = _back_matter(lang, "home_care", "home-care", styles)
    entries = edition.home_care
    if not entries:
        return [*story, Paragraph(escape(text.label(lang, "home_care_none")), styles["body"])]
    rows = [_number_row(f'<a href="#service-{e.number}"><font color="cmyk(1,0.55,0,0.15)">{e.number}</font>  {escape(e.title)}</a>',
                        f"service-{e.number}", styles) for e in entries]
    return [*story, _listing_table(rows, WIDTH - 2 * MARGIN_X)]
