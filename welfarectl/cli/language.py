"""The language a run speaks, English or Italian, chosen once: the locale's (LC_ALL, LC_MESSAGES,
LANG) when the run starts, unless `--lang` says otherwise (before the command, as `-C` is, or after
`validate`, `stats` and `problems`). The sentences the CLI words itself are written in both
languages where they are said, with `say(en, it)`: a few dozen sentences with numbers and names in
them need no gettext catalogue.

JSON output is for machines and stays English whatever the language.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

# The run's language. A context variable rather than a field of the click context: the refusals
# are worded after the command's context has closed, and helpers that word sentences get no context.
_chosen: ContextVar[str | None] = ContextVar("welfarectl_lang", default=None)


def detect_lang(option: str | None) -> str:
    """--lang wins; otherwise Italian when the locale (LC_ALL, LC_MESSAGES, LANG) is Italian."""
    if option:
        return option
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "it" if value.lower().startswith("it") else "en"
    return "en"


def choose(option: str | None) -> str:
    """Set the run's language: `option` ("en", "it") when given, else the locale's."""
    lang = detect_lang(option)
    _chosen.set(lang)
    return lang


def current() -> str:
    """The run's language (the locale's when none was chosen)."""
    return _chosen.get() or detect_lang(None)


def say(en: T, it: T) -> T:
    """The sentence (or the words) in the run's language."""
    return it if current() == "it" else en


def number(n: int, lang: str | None = None) -> str:
    """2,500 in English, 2.500 in Italian."""
    shown = f"{n:,}"
    return shown.replace(",", ".") if (lang or current()) == "it" else shown


def count(n: int, one: str, many: str) -> str:
    """'1 tessera', '2.500 tessere': a number written as the run's language writes it, with its noun."""
    return f"{number(n)} {one if n == 1 else many}"
