"""The network's fallback fonts: the font files network.yaml names under `card: fallback_fonts`,
read once by the pipeline, checked, and registered with ReportLab for the card PDFs.

Cards print in DejaVu Sans; a character it lacks (a Chinese surname, a Korean given name) prints
in the first fallback font that has it. Rules, each a problem at the file's line in network.yaml:
the file exists and can be read (`font-file-unreadable`); it is a TrueType font with outlines,
which ReportLab can embed (`font-unsupported`); its licence flags allow embedding a subset of it
in a document (`font-embedding-restricted`). Whether the fonts print every name is the card
checks' rule (`unprintable-character`), whose message names a font for the script it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from welfarectl.base.problems import Location, Problem, os_reason, problem
from welfarectl.network.network import Network
from welfarectl.pdf.fonts import FONT_NAME, open_font
from welfarectl.pdf.scripts import script_of

SETTING = "card: fallback_fonts"


@dataclass(frozen=True)
class FallbackFont:
    """A font file of the network, registered with ReportLab as `name`."""

    file: str  # as network.yaml writes it, from the network directory
    where: Location  # its line in network.yaml
    name: str
    family: str  # as the font calls itself, e.g. 'Noto Sans SC'


@dataclass(frozen=True)
class CardFonts:
    """The fallback fonts that loaded, in the order network.yaml lists them."""

    fallbacks: tuple[FallbackFont, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Their registered names, for measuring and drawing (`pdf.fonts.runs`)."""
        return tuple(font.name for font in self.fallbacks)

    def chain(self, font: str) -> str | tuple[str, ...]:
        """What a text in the layout font `font` is set in: the font alone, or it and the fallbacks."""
        return (font, *self.names) if self.fallbacks else font

    def label(self, font: str = FONT_NAME) -> str:
        """The fonts a text is set in, for a message: 'DejaVu Sans, Noto Sans SC (fonts/NotoSansSC-Regular.ttf)'."""
        return ", ".join([font, *(f"{fallback.family} ({fallback.file})" for fallback in self.fallbacks)])


NO_FALLBACKS = CardFonts()


def load_card_fonts(network: Network) -> tuple[CardFonts, list[Problem]]:
    """Read, check and register the fallback fonts network.yaml names; a file with a problem is
    left out (and reported), the others are used."""
    settings = network.settings
    if settings is None or not settings.card.fallback_fonts:
        return CardFonts(), []
    loaded: list[FallbackFont] = []
    problems: list[Problem] = []
    for i, file in enumerate(settings.card.fallback_fonts):
        where = network.where(settings, "card", "fallback_fonts", i)
        font, found = _load(network.root, file, where)
        problems += found
        if font is not None and font.name not in {other.name for other in loaded}:
            loaded.append(font)
    return CardFonts(tuple(loaded)), problems


def _load(root: Path, file: str, where: Location) -> tuple[FallbackFont | None, list[Problem]]:
    if ".." in PurePosixPath(file).parts or ":" in file:
        return None, [problem("font-file-unreadable", where, file=file, reason="the path leads out of the network directory",
                              reason_it="il percorso esce dalla cartella della rete")]
    try:
        data = (root / file).read_bytes()
    except OSError as exc:
        return None, [problem("font-file-unreadable", where, file=file, **os_reason(exc))]
    name, family, fault = open_font(data)
    if fault is not None:
        return None, [_fault_problem(fault, file, where)]
    return FallbackFont(file, where, name, family), []


# open_font's fault -> (English, Italian): why the file is no font to embed, or what its licence forbids
_UNSUPPORTED = {
    "not-a-font": ("it is not a TrueType font file (a damaged download, or another kind of file renamed)",
                   "non è un file di font TrueType (un download danneggiato, o un altro tipo di file rinominato)"),
    "postscript-outlines": ("its glyphs are PostScript (CFF) outlines, which ReportLab cannot embed; use the TrueType "
                            "(.ttf) cut of the font, e.g. NotoSansSC-Regular.ttf rather than NotoSansCJKsc-Regular.otf",
                            "i suoi glifi sono contorni PostScript (CFF), che ReportLab non sa incorporare; usa la "
                            "versione TrueType (.ttf) del font, per esempio NotoSansSC-Regular.ttf invece di "
                            "NotoSansCJKsc-Regular.otf"),
    "bitmap-only": ("it has bitmaps but no outlines (a bitmap or colour-emoji font), which do not print sharp",
                    "ha solo immagini a punti e nessun contorno (un font bitmap o di emoji a colori), che non si "
                    "stampano nitide"),
}
_RESTRICTED = {
    "restricted": ("embedding it in a document at all", "di incorporarlo in qualunque documento"),
    "bitmap-embedding": ("embedding its outlines (only its bitmaps may be)",
                         "di incorporarne i contorni (solo le immagini a punti)"),
    "no-subsetting": ("embedding part of it, and card PDFs embed only the characters they print",
                      "di incorporarne solo una parte, e i PDF delle tessere incorporano solo i caratteri che stampano"),
}


def _fault_problem(fault: str, file: str, where: Location) -> Problem:
    if fault in _RESTRICTED:
        forbids, forbids_it = _RESTRICTED[fault]
        return problem("font-embedding-restricted", where, file=file, forbids=forbids, forbids_it=forbids_it)
    reason, reason_it = _UNSUPPORTED[fault]
    return problem("font-unsupported", where, file=file, reason=reason, reason_it=reason_it)


def unprintable_problem(text: str, char: str, where: Location, fonts: str) -> Problem:
    """`unprintable-character` for `char` of `text`, set in `fonts` (as `CardFonts.label` says
    them): the message names the character's script and a free font that prints it, and where
    to name the font's file."""
    script = script_of(char)
    if script is None:
        advice = f"; check the character, or add a font that has it to catalogue/network.yaml under {SETTING}"
        advice_it = f"; controlla il carattere, o aggiungi un font che lo abbia in catalogue/network.yaml sotto {SETTING}"
    else:
        advice = (f"; for {script.name}, use a font such as {script.family}: put its file in the network directory "
                  f"and list it in catalogue/network.yaml under {SETTING}, e.g. [fonts/{script.file}]")
        advice_it = (f"; per {script.name_it} serve un font come {script.family}: metti il suo file nella cartella "
                     f"della rete ed elencalo in catalogue/network.yaml sotto {SETTING}, per esempio [fonts/{script.file}]")
    return problem("unprintable-character", where, text=text, character=f"'{char}' (U+{ord(char):04X})", font=fonts,
                   advice=advice, advice_it=advice_it)
