"""Which column a header cell names: the columns a reader wants, header text as compared, and the
word rules that recognise a header no list of spellings foresaw ("DATA CESSAZ.", "Dt.Cess.").

The employee workbooks, the survey and `members import` all match headers here, so a header that
`validate` reads is one that an import reads too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal


@dataclass(frozen=True)
class Column:
    """A column a reader wants: the field it fills, its label for messages, its header spellings.

    Besides the exact spellings (`aliases`, compared after `normalise_header`), a header may be
    recognised by its words (`words`, see `header_fits`): each rule is a few word patterns, all of
    which the header must have; its other words, if any, must be among `fillers`. So "Data di fine
    rapporto" fits the rule "fine rapp*", but "Data fine periodo di prova" does not: "periodo" and
    "prova" are not fillers."""

    field: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False
    kind: Literal["text", "date", "number"] = "text"
    words: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()


@lru_cache(maxsize=4096)  # the same few header texts recur in every workbook
def normalise_header(text: str) -> str:
    """Header text as compared: no accents, lower case, no dots, `_ - / ( ) : ' *` as spaces,
    whitespace (NBSP included) collapsed."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(bare.lower().translate(_HEADER_PUNCTUATION).split())


_HEADER_PUNCTUATION = str.maketrans({".": None, "_": " ", "-": " ", "/": " ", "(": " ", ")": " ",
                                     ":": " ", "'": " ", "\u2019": " ", "*": " "})


@lru_cache(maxsize=4096)
def header_words(text: str) -> tuple[str, ...]:
    """The words of a header as rules see them: normalised as `normalise_header`, except that a dot
    separates words, so that "Dt.Cess." reads as the abbreviations "dt" and "cess"."""
    return tuple(normalise_header(text.replace(".", " ")).split())


def _fits_pattern(word: str, pattern: str) -> bool:
    """`pattern` is alternatives separated by "|", each a whole word or, ending in "*", a word's start."""
    return any(word.startswith(alt[:-1]) if alt.endswith("*") else word == alt for alt in pattern.split("|"))


def header_fits(words: Sequence[str], rule: str, fillers: Sequence[str]) -> bool:
    """Whether a header of `words` fits `rule`: each of the rule's patterns (space-separated, see
    `_fits_pattern`) matches a word of its own, in any order, and every word left over is a filler."""
    left = list(words)
    for pattern in rule.split():
        found = next((i for i, word in enumerate(left) if _fits_pattern(word, pattern)), None)
        if found is None:
            return False
        del left[found]
    return all(any(_fits_pattern(word, filler) for filler in fillers) for word in left)


class HeaderMatcher:
    """Which column a header cell names: an exact spelling first, else the one column whose word
    rules it fits (a header that fits two columns' rules names neither: better unread and warned
    about than read into the wrong field). `overrides`, by normalised header, come before all
    that: a column, or None for a header never to read (`members import --map`)."""

    def __init__(self, columns: Sequence[Column], overrides: dict[str, Column | None] | None = None) -> None:
        self.exact = {normalise_header(alias): col for col in columns for alias in (col.label, *col.aliases)}
        self.ruled = [col for col in columns if col.words]
        self.seen: dict[str, Column | None] = {}
        self.overrides = overrides or {}

    def __call__(self, text: str) -> Column | None:
        if text in self.seen:
            return self.seen[text]
        if self.overrides and normalise_header(text) in self.overrides:
            self.seen[text] = self.overrides[normalise_header(text)]
            return self.seen[text]
        found = self.exact.get(normalise_header(text))
        if found is None and self.ruled:
            words = header_words(text)
            fitting = [col for col in self.ruled if any(header_fits(words, rule, col.fillers) for rule in col.words)]
            found = fitting[0] if len(fitting) == 1 else None
        self.seen[text] = found
        return found


_BIRTH = ("nascita", "nato", "nata", "birth*", "dob")


def names_a_birth_date(header: str) -> bool:
    """A birth date column: personal data to stop sending (`ignored-column`), never a date to read."""
    return any(_fits_pattern(word, "|".join(_BIRTH)) for word in header_words(header))
