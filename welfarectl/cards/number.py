"""Card numbers: 8 digits, a 7-digit serial and a Damm check digit.

The Damm algorithm (as in `stdnum.damm`) catches every single mistyped digit and every swap of two
adjacent digits, the two slips counter staff make when they type a number off a card; ISO 7064
MOD 11,10 and Luhn each miss some swaps. Numbers are serials handed out in order by the registry,
never derived from anything about the holder, and printed as two groups of four: `1000 0004`.
"""

from __future__ import annotations

import re

from stdnum import damm

FIRST_SERIAL = 1_000_000
LAST_SERIAL = 9_999_999
_DIGITS = re.compile("[0-9]*")


def new_card_number(serial: int) -> str:
    """The card number of a 7-digit serial: the serial and its Damm check digit."""
    if not FIRST_SERIAL <= serial <= LAST_SERIAL:
        raise ValueError(f"card serials run from {FIRST_SERIAL} to {LAST_SERIAL}, not {serial}")
    return f"{serial}{damm.calc_check_digit(str(serial))}"


def is_card_number(text: object) -> bool:
    """Exactly 8 ASCII digits whose last is the Damm check digit of the first seven."""
    if not (isinstance(text, str) and len(text) == 8 and text.isascii() and text.isdigit()):
        return False
    return has_check_digit(text)


def has_check_digit(digits: str) -> bool:
    """Whether a text of ASCII digits ends in the Damm check digit of the others."""
    return damm.checksum(digits) == 0  # is_valid's own walk, without its exceptions: asked of every card read


def normalise_card_number(text: str) -> str | None:
    """The 8 digits of a card number typed with or without spaces and hyphens; None when it is
    not 8 digits or its check digit is wrong (a digit mistyped or two swapped)."""
    return None if explain_card_number(text) else _compact(text)


def format_card_number(number: str) -> str:
    """A card number as printed and read aloud: two groups of four digits, '1000 0004'."""
    return f"{number[:4]} {number[4:]}"


def explain_card_number(text: str, lang: str = "en") -> str | None:
    """None for a valid card number (spaces and hyphens allowed), else why it is not one, in
    English or ("it") Italian."""
    digits = _compact(text)
    if not _DIGITS.fullmatch(digits):
        return "il numero di una tessera ha solo cifre" if lang == "it" else "a card number has only digits"
    if len(digits) != 8:
        return (f"il numero di una tessera ha 8 cifre, non {len(digits)}" if lang == "it"
                else f"a card number has 8 digits, not {len(digits)}")
    if not is_card_number(digits):
        return ("cifra di controllo sbagliata: una cifra è stata scritta male o due sono scambiate" if lang == "it"
                else "wrong check digit: a digit is mistyped or two are swapped")
    return None


def _compact(text: str) -> str:
    return text.replace(" ", "").replace("-", "").replace("\xa0", "").strip()
