"""Italian forms of dates, as users read them in messages, on cards and in booklets (babel)."""

from __future__ import annotations

from datetime import date
from functools import cache


@cache
def _locale():
    from babel import Locale  # imported here: the CLI's --help must not pay for it

    return Locale("it", "IT")


def format_day(day: date) -> str:
    """A date as Italians write it, day first: 05/03/2026."""
    from babel.dates import format_date

    return format_date(day, "dd/MM/yyyy", locale=_locale())
