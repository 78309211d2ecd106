"""Card layouts: templates/card-front.yaml and templates/card-back.yaml, read, validated and checked.

A layout is data: a list of elements drawn in order, each with a type, a position and size in
millimetres from the card's top-left corner (ID-1, 85.60 × 53.98 mm), colours as CMYK
percentages and, for text, a font, a size in points and content from named fields in braces.

    rect  a filled rectangle; one that reaches an edge of the card prints on into the bleed.
    text  a text box; its content shrinks to fit (down to min_size, then onto more lines, up to
          max_lines) and is never clipped nor drawn outside its box.
    list  the items of a list field (macro_areas) in one or more columns, shrunk to fit.
    qr    the card's signed QR code, quiet zone included, in a square of `size` mm.

Layouts are validated like every other file (strict types, unknown fields warned, each problem
at its line and column) and then checked: the rules are the small functions in `CHECKS`.
Fonts and fitting text into boxes are in `welfarectl/pdf/`, which the renderer uses too.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from welfarectl.base.problems import Location, Problem, problem, suggestion
from welfarectl.pdf import qrmatrix
from welfarectl.pdf.fonts import FONTS, unprintable
from welfarectl.pdf.textfit import fit_text
from welfarectl.sources.records import Record, Text, validate
from welfarectl.sources.yamldoc import Document, read_yaml, read_yaml_file

from .fontfiles import NO_FALLBACKS, CardFonts, unprintable_problem
from .payload import QR_MODULES

CARD_WIDTH = 85.60  # mm, ISO/IEC 7810 ID-1
CARD_HEIGHT = 53.98
SAFE_MARGIN = 3.0  # mm between the trim and any text or QR code
MIN_MODULE = 0.4  # mm, the smallest QR module phones and counter scanners read reliably
FRONT_FILE = "templates/card-front.yaml"
BACK_FILE = "templates/card-back.yaml"


PER_CARD_FIELDS = {  # name -> (what it is, sample value)
    "holder": ("The holder's given name and surname, as written in the workbook.", "Maria Rossi"),
    "company": ("The holder's company.", "Acetaia Il Cortile Antico"),
    "card_number": ("The card number, grouped 4 + 4.", "1000 0004"),
    "expires": ("The expiry date, dd/mm/yyyy.", "30/11/2028"),
}
COMMON_FIELDS = {
    "network": ("The network's full name.", "Rete Welfare Aziendale-Territoriale Modena"),
    "network_short": ("The network's short name (its full name when it has none).", "Rete Welfare Modena"),
    "territory": ("The territory the network covers.", "Modena"),
    "website": ("The network's website (empty when it has none).", "www.retewelfaremodena.it"),
    "email": ("The network's e-mail address (empty when it has none).", "rete@reticolowelfarelab.it"),
}
LIST_FIELDS = {
    "macro_areas": ("The names of the network's macro-areas.",
                    ["Risparmio", "Conciliazione e tempo liberato", "Cura della persona e della famiglia",
                     "Formazione e sviluppo delle competenze", "Previdenza e salute", "Welfare territoriale"]),
}
TEXT_FIELDS = {**PER_CARD_FIELDS, **COMMON_FIELDS}

Mm = Annotated[float, Field(ge=-20, le=120)]
Size = Annotated[float, Field(gt=0, le=120)]
Points = Annotated[float, Field(ge=3, le=72)]
CMYK = Annotated[list[Annotated[float, Field(ge=0, le=100)]], Field(min_length=4, max_length=4)]
FontName = Literal[tuple(FONTS)]  # type: ignore[valid-type]


# --- the layout file ---------------------------------------------------------------------------
class _Placed(Record):
    """What every element has: its kind (narrowed by each type) and its top-left corner."""

    type: str
    x: Mm = Field(description="Left edge, mm from the card's left edge.")
    y: Mm = Field(description="Top edge, mm from the card's top edge.")


class _Boxed(_Placed):
    """An element with a box: everything but the square QR code."""

    width: Size = Field(description="Width in mm.")
    height: Size = Field(description="Height in mm.")


class RectElement(_Boxed):
    type: Literal["rect"] = Field(description="A filled rectangle: backgrounds and bands.")
    fill: CMYK = Field(description="CMYK percentages, e.g. [100, 45, 0, 20].")
    radius: float = Field(0, ge=0, le=20, description="Corner radius in mm.")


class TextElement(_Boxed):
    type: Literal["text"] = Field(description="A text box, with fields in braces.")
    text: Text = Field(description="Text with fields in braces, e.g. 'Tessera n. {card_number}'.")
    font: FontName = Field("DejaVuSans", description="One of the embedded fonts.")
    size: Points = Field(description="Font size in points.")
    min_size: Points | None = Field(None, description="Shrink down to this size before wrapping (default: size).")
    max_lines: int = Field(1, ge=1, le=12, description="Lines the text may wrap onto after shrinking to min_size.")
    leading: float = Field(1.15, ge=0.8, le=3, description="Line pitch in ems.")
    color: CMYK = Field(default_factory=lambda: [0, 0, 0, 100], description="Text colour, CMYK percentages.")
    align: Literal["left", "center", "right"] = Field("left", description="Horizontal alignment in the box.")
    valign: Literal["top", "middle", "bottom"] = Field("top", description="Vertical alignment in the box.")


class ListElement(_Boxed):
    type: Literal["list"] = Field(description="The items of a list field, in columns.")
    items: Literal[tuple(LIST_FIELDS)] = Field(description="The list field to print.")  # type: ignore[valid-type]
    font: FontName = Field("DejaVuSans", description="One of the embedded fonts.")
    size: Points = Field(description="Font size in points.")
    min_size: Points | None = Field(None, description="Shrink down to this size before giving up (default: size).")
    columns: int = Field(1, ge=1, le=4, description="Columns the items are spread over.")
    gap: float = Field(3, ge=0, le=40, description="Space between columns in mm.")
    leading: float = Field(1.3, ge=0.8, le=3, description="Line pitch in ems.")
    bullet: str = Field("•", max_length=3, description="Printed before each item.")
    color: CMYK = Field(default_factory=lambda: [0, 0, 0, 100], description="Text colour, CMYK percentages.")


class QrElement(_Placed):
    type: Literal["qr"] = Field(description="The card's signed QR code.")
    size: Size = Field(description="Side of the square in mm, quiet zone included.")


Element = RectElement | TextElement | ListElement | QrElement
ELEMENT_TYPES: dict[str, type[Record]] = {"rect": RectElement, "text": TextElement, "list": ListElement,
                                          "qr": QrElement}


class _LayoutFile(Record):
    elements: list[dict[str, object]] = Field(min_length=1)


class _ElementKind(BaseModel):
    model_config = {"strict": True, "extra": "allow"}
    type: Literal[tuple(ELEMENT_TYPES)]  # type: ignore[valid-type]


@dataclass(frozen=True)
class Layout:
    """A checked layout: its elements in drawing order."""

    file: str
    elements: tuple[Element, ...]


def load_layouts(root: Path, fonts: CardFonts = NO_FALLBACKS,
                 qr_modules: int = QR_MODULES) -> tuple[Layout | None, Layout | None, list[Problem]]:
    """Read and check the front and back layouts of the network in `root`, whose texts print in
    the layouts' fonts and the network's fallback `fonts`, and whose QR codes have `qr_modules` a side."""
    problems: list[Problem] = []
    layouts = []
    for name in (FRONT_FILE, BACK_FILE):
        doc, found = read_yaml_file(root, name)
        layout, found = _check_layout(doc, name, found, fonts, qr_modules) if doc is not None else (None, found)
        layouts.append(layout)
        problems += found
    return layouts[0], layouts[1], problems


def load_layout(raw: bytes, file: str, fonts: CardFonts = NO_FALLBACKS,
                qr_modules: int = QR_MODULES) -> tuple[Layout | None, list[Problem]]:
    """Parse, validate and check one layout file; None when it cannot be used at all."""
    doc, problems = read_yaml(raw, file)
    if doc is None:
        return None, problems
    return _check_layout(doc, file, problems, fonts, qr_modules)


def _check_layout(doc: Document, file: str, problems: list[Problem], fonts: CardFonts,
                  qr_modules: int) -> tuple[Layout | None, list[Problem]]:
    """Validate and check a parsed layout (`problems`: those found parsing it); None when it
    cannot be used at all."""
    problems = list(problems)
    if doc.data is None:
        return None, [*problems, problem("yaml-empty", Location(file, 1, 1), key="elements")]
    top, found = validate(_LayoutFile, doc.data, doc, ())
    problems += found
    if top is None:
        return None, problems
    elements: list[Element] = []
    places: list[Location] = []  # where each kept element is, for the checks across elements
    for i, item in enumerate(top.elements):
        kind, found = validate(_ElementKind, item, doc, ("elements", i))
        problems += found
        if kind is None:
            continue
        element, found = validate(ELEMENT_TYPES[kind.type], item, doc, ("elements", i))
        problems += found
        if element is not None:
            elements.append(element)
            places.append(doc.locate(("elements", i)))
            problems += [p for check in CHECKS for p in check(element, doc, ("elements", i), fonts)]
            problems += check_qr_size(element, doc, ("elements", i), qr_modules)
    problems += check_overlaps(elements, places)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return Layout(file, tuple(elements)), problems


# --- checks: one rule each ---------------------------------------------------------------------
def check_placeholders(element: Element, doc: Document, path: tuple, fonts: CardFonts) -> list[Problem]:
    """A text names only known fields in braces; braces must pair ({{ and }} print one brace)."""
    if not isinstance(element, TextElement):
        return []
    where = doc.locate((*path, "text"))
    try:
        parsed = list(string.Formatter().parse(element.text))
    except ValueError as exc:
        return [problem("invalid-value", where, field="text", detail=f"{exc}; write {{{{ or }}}} for a brace",
                        detail_it="una parentesi graffa è senza la sua compagna; scrivi {{ o }} per stampare una graffa")]
    found = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        if written not in TEXT_FIELDS:
            found.append(problem("unknown-placeholder", where, name=written, known=", ".join(TEXT_FIELDS),
                                 **suggestion(name, TEXT_FIELDS)))
    return found


def check_safe_area(element: Element, doc: Document, path: tuple, fonts: CardFonts) -> list[Problem]:
    """Text, lists and the QR code stay at least SAFE_MARGIN mm inside the trim on every side."""
    if isinstance(element, RectElement):
        return []
    x, y, width, height = box(element)
    distance = min(x, y, CARD_WIDTH - x - width, CARD_HEIGHT - y - height)
    if distance >= SAFE_MARGIN - 1e-9:
        return []
    return [problem("layout-outside-safe-area", doc.locate(path), element=describe(element), element_it=describe(element, "it"),
                    distance=f"{max(distance, 0):.2f}", minimum=f"{SAFE_MARGIN:g}")]


def check_qr_size(element: Element, doc: Document, path: tuple, qr_modules: int = QR_MODULES) -> list[Problem]:
    """Each QR module is at least MIN_MODULE mm, counting the 4-module quiet zone on every side, for
    codes of `qr_modules` a side (more when they hold a link: card: verify_url in network.yaml)."""
    if not isinstance(element, QrElement):
        return []
    module = qrmatrix.module_size(element.size, qr_modules)
    if module >= MIN_MODULE:
        return []
    needed = MIN_MODULE * (qr_modules + 2 * qrmatrix.QUIET_ZONE)
    return [problem("qr-too-small", doc.locate((*path, "size")), module=f"{module:.2f}",
                    minimum=f"{MIN_MODULE:g}", needed=f"{needed:.1f}")]


def check_printable_text(element: Element, doc: Document, path: tuple, fonts: CardFonts) -> list[Problem]:
    """The fixed words of a text (outside the braces) have a glyph in its font or in one of the
    network's fallback fonts."""
    if not isinstance(element, (TextElement, ListElement)):
        return []
    text = element.text if isinstance(element, TextElement) else element.bullet
    missing = unprintable(text, (element.font,), fonts.names)
    if missing is None:
        return []
    where = doc.locate((*path, "text" if isinstance(element, TextElement) else "bullet"))
    return [unprintable_problem(text, missing, where, fonts.label(element.font))]


def check_static_text_fits(element: Element, doc: Document, path: tuple, fonts: CardFonts) -> list[Problem]:
    """A text without per-card fields fits its box at min_size or more (network fields take the
    sample's values; a text with a holder's name is checked card by card when printing)."""
    if not isinstance(element, TextElement):
        return []
    try:
        used = fields_used(element.text)
    except ValueError:
        return []  # an unpaired brace is reported by check_placeholders
    if used & set(PER_CARD_FIELDS) or used - set(TEXT_FIELDS):
        return []  # per-card texts are checked when printing; unknown fields are reported already
    text = fill(compile_text(element.text), sample_fields())
    fitted = fit_text(text, fonts.chain(element.font), element.size, element.min_size, element.width, element.height,
                      element.max_lines, element.leading)
    floor = element.size if element.min_size is None else min(element.min_size, element.size)
    if fitted.size >= floor:
        return []
    return [problem("text-does-not-fit", doc.locate((*path, "text")), element=describe(element), element_it=describe(element, "it"),
                    size=f"{fitted.size:g}", min_size=f"{floor:g}")]


CHECKS = (check_placeholders, check_safe_area, check_printable_text, check_static_text_fits)  # and check_qr_size


def check_overlaps(elements: list[Element], places: list[Location]) -> list[Problem]:
    """No two content elements (texts, lists, the QR code) overlap; rectangles are backgrounds.
    Each overlapping pair is reported at the later element, which prints over the earlier one."""
    found = []
    content = [(e, where) for e, where in zip(elements, places, strict=True) if not isinstance(e, RectElement)]
    for later_index, (later, where) in enumerate(content):
        x, y, w, h = box(later)
        for earlier, earlier_where in content[:later_index]:
            ex, ey, ew, eh = box(earlier)
            if min(x + w, ex + ew) - max(x, ex) > 1e-6 and min(y + h, ey + eh) - max(y, ey) > 1e-6:
                found.append(problem("layout-overlap", where, element=describe(later), other=describe(earlier),
                                     element_it=describe(later, "it"), other_it=describe(earlier, "it"),
                                     other_line=earlier_where.line))
    return found


def box(element: Element) -> tuple[float, float, float, float]:
    """(x, y, width, height) in mm from the card's top-left corner."""
    if isinstance(element, QrElement):
        return element.x, element.y, element.size, element.size
    return element.x, element.y, element.width, element.height


_NAMES = {"en": ("the text '{}'", "the list of {}", "the QR code", "the rectangle"),
          "it": ("il testo '{}'", "l'elenco {}", "il codice QR", "il rettangolo")}


def describe(element: Element, lang: str = "en") -> str:
    """The element as a message names it, in English or Italian."""
    text, listing, qr, rect = _NAMES[lang]
    if isinstance(element, TextElement):
        return text.format(element.text if len(element.text) <= 32 else element.text[:31] + "…")
    if isinstance(element, ListElement):
        return listing.format(element.items)
    return qr if isinstance(element, QrElement) else rect


# --- fields ------------------------------------------------------------------------------------
def common_fields(network) -> dict[str, object]:
    """The values every card of the network shares, by field name."""
    settings = network.settings
    return {
        "network": settings.name,
        "network_short": settings.short_name or settings.name,
        "territory": settings.territory,
        "website": settings.website or "",
        "email": settings.email or "",
        "macro_areas": [area.name for area in settings.macro_areas],
    }


def sample_fields() -> dict[str, object]:
    """Every field with its sample value, for previews and tests."""
    fields: dict[str, object] = {name: sample for name, (_, sample) in TEXT_FIELDS.items()}
    fields.update({name: list(sample) for name, (_, sample) in LIST_FIELDS.items()})
    return fields


@functools.lru_cache(maxsize=1024)  # a layout's few texts, asked about for every card printed
def fields_used(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@functools.lru_cache(maxsize=1024)
def compile_text(text: str) -> tuple[tuple[str, str | None], ...]:
    """A checked layout text as (literal, field name or None) pieces, for `fill`."""
    return tuple((literal, name) for literal, name, _, _ in string.Formatter().parse(text))


def fill(pieces: tuple[tuple[str, str | None], ...], values: dict[str, object]) -> str:
    """The text with each field replaced by its value, literally (values are never parsed)."""
    return "".join(literal + ("" if name is None else str(values.get(name, ""))) for literal, name in pieces)
