"""Italian forms of dates, amounts and numbers, as users read them in messages, on cards, in booklets and reports (babel)."""

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


def format_amount(amount: float, lang: str = "it") -> str:
    """An amount in euros as the booklet prints it: '€ 12,00', '€ 1.234,50' (in English '€12.00').
    babel's Italian pattern puts the sign after the number ('12,00 €'); the network's printed
    material puts it first, so the pattern is given here."""
    from babel.numbers import format_currency

    if lang == "en":
        return format_currency(amount, "EUR", locale="en_IE")
    return format_currency(amount, "EUR", format="¤ #,##0.00", locale=_locale(), currency_digits=False)


def format_month(day: date, lang: str = "it") -> str:
    """A month and year in words: 'novembre 2017' ('November 2017' in English)."""
    from babel.dates import format_date

    return format_date(day, "MMMM yyyy", locale=_locale() if lang == "it" else "en_GB")


def format_long_day(day: date, lang: str = "it") -> str:
    """A day in words: '1 novembre 2017' ('1 November 2017' in English)."""
    from babel.dates import format_date

    return format_date(day, "d MMMM yyyy", locale=_locale() if lang == "it" else "en_GB")


def format_number(value: float, decimals: int = 0, lang: str = "it") -> str:
    """A number with thousands separators and `decimals` digits after the point, as the language
    writes it: 2.548 and 3,7 in Italian, 2,548 and 3.7 in English."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_locale() if lang == "it" else "en")


def format_percent(share: float, decimals: int = 1, lang: str = "it") -> str:
    """A share (0.123) as a percentage: 12,3 % in Italian (a no-break space before the sign, so a
    line never starts with it), 12.3% in English."""
    from babel.numbers import format_percent as babel_percent

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + ("\u00a0%" if lang == "it" else "%")
    return babel_percent(share, format=pattern, locale=_locale() if lang == "it" else "en")
