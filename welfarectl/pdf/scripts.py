"""Which writing system a character belongs to, and a free font that prints it.

When a name has a character the card fonts lack, the coordinator needs to know what to get: the
script is read off the character's Unicode name (`CJK UNIFIED IDEOGRAPH-738B`, `HANGUL SYLLABLE
GA`), and each script is paired with a well-known family released under the SIL Open Font
Licence, which allows embedding, in a TrueType (.ttf) cut that ReportLab can embed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    """A writing system: its name in English and Italian (plural, as 'Chinese characters'), the
    font family that prints it and the usual name of that family's regular .ttf file."""

    name: str
    name_it: str
    family: str
    file: str


def _noto(name: str, name_it: str, family: str) -> Script:
    return Script(name, name_it, f"Noto {family}", f"Noto{family.replace(' ', '')}-Regular.ttf")


# Unicode name prefix -> script; the longest prefix that matches wins.
SCRIPTS: dict[str, Script] = {
    "CJK UNIFIED IDEOGRAPH": _noto("Chinese characters", "i caratteri cinesi", "Sans SC"),
    "CJK COMPATIBILITY IDEOGRAPH": _noto("Chinese characters", "i caratteri cinesi", "Sans SC"),
    "CJK SYMBOLS": _noto("Chinese and Japanese punctuation", "la punteggiatura cinese e giapponese", "Sans SC"),
    "IDEOGRAPHIC": _noto("Chinese and Japanese punctuation", "la punteggiatura cinese e giapponese", "Sans SC"),
    "FULLWIDTH": _noto("full-width letters", "le lettere a larghezza piena", "Sans SC"),
    "HALFWIDTH KATAKANA": _noto("Japanese kana", "i kana giapponesi", "Sans JP"),
    "HIRAGANA": _noto("Japanese kana", "i kana giapponesi", "Sans JP"),
    "KATAKANA": _noto("Japanese kana", "i kana giapponesi", "Sans JP"),
    "HANGUL": _noto("Korean hangul", "l'hangul coreano", "Sans KR"),
    "ARABIC": _noto("Arabic letters", "le lettere arabe", "Naskh Arabic"),
    "HEBREW": _noto("Hebrew letters", "le lettere ebraiche", "Sans Hebrew"),
    "DEVANAGARI": _noto("Devanagari letters", "le lettere devanagari", "Sans Devanagari"),
    "BENGALI": _noto("Bengali letters", "le lettere bengalesi", "Sans Bengali"),
    "GURMUKHI": _noto("Gurmukhi letters", "le lettere gurmukhi", "Sans Gurmukhi"),
    "GUJARATI": _noto("Gujarati letters", "le lettere gujarati", "Sans Gujarati"),
    "TAMIL": _noto("Tamil letters", "le lettere tamil", "Sans Tamil"),
    "TELUGU": _noto("Telugu letters", "le lettere telugu", "Sans Telugu"),
    "KANNADA": _noto("Kannada letters", "le lettere kannada", "Sans Kannada"),
    "MALAYALAM": _noto("Malayalam letters", "le lettere malayalam", "Sans Malayalam"),
    "SINHALA": _noto("Sinhala letters", "le lettere singalesi", "Sans Sinhala"),
    "THAI": _noto("Thai letters", "le lettere thailandesi", "Sans Thai"),
    "LAO": _noto("Lao letters", "le lettere lao", "Sans Lao"),
    "KHMER": _noto("Khmer letters", "le lettere khmer", "Sans Khmer"),
    "MYANMAR": _noto("Burmese letters", "le lettere birmane", "Sans Myanmar"),
    "TIBETAN": _noto("Tibetan letters", "le lettere tibetane", "Serif Tibetan"),
    "GEORGIAN": _noto("Georgian letters", "le lettere georgiane", "Sans Georgian"),
    "ARMENIAN": _noto("Armenian letters", "le lettere armene", "Sans Armenian"),
    "ETHIOPIC": _noto("Ethiopic letters", "le lettere etiopiche", "Sans Ethiopic"),
    "TIFINAGH": _noto("Tifinagh letters", "le lettere tifinagh", "Sans Tifinagh"),
    "SYRIAC": _noto("Syriac letters", "le lettere siriache", "Sans Syriac"),
    "THAANA": _noto("Thaana letters", "le lettere thaana", "Sans Thaana"),
    "MONGOLIAN": _noto("Mongolian letters", "le lettere mongole", "Sans Mongolian"),
    "CHEROKEE": _noto("Cherokee letters", "le lettere cherokee", "Sans Cherokee"),
    "CANADIAN SYLLABICS": _noto("Canadian syllabics", "i sillabari canadesi", "Sans Canadian Aboriginal"),
    "YI ": _noto("Yi syllables", "le sillabe yi", "Sans Yi"),
    "BOPOMOFO": _noto("Bopomofo letters", "le lettere bopomofo", "Sans TC"),
}
_LONGEST_FIRST = sorted(SCRIPTS, key=len, reverse=True)


def script_of(char: str) -> Script | None:
    """The script of `char` and the font that prints it, or None when the character belongs to
    no script listed here (a symbol, an emoji, a private-use or unassigned code point)."""
    name = unicodedata.name(char, "")
    for prefix in _LONGEST_FIRST:
        if name.startswith(prefix):
            return SCRIPTS[prefix]
    return None
