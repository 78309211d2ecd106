"""The fast paths of loading a large network give what the general ones give: a plain codice
fiscale checked without python-stdnum, a registry line in the writer's layout read without the
JSON decoder, a card number's check digit on a flat table."""

from __future__ import annotations

import json
import random
import string

from stdnum import damm
from stdnum.it import codicefiscale

from welfarectl.cards.number import is_card_number
from welfarectl.cards.plainlines import decode_issued
from welfarectl.network.members import explain_invalid_codice_fiscale

_OMOCODIA = "0123456789LMNPQRSTUV"


def _random_code(rng: random.Random) -> str:
    body = "".join(rng.choice(string.ascii_uppercase) for _ in range(6))
    body += "".join(rng.choice(_OMOCODIA + "ABCDEHZ") for _ in range(9))
    try:
        check = codicefiscale.calc_check_digit(body)
    except KeyError:
        check = "A"
    return body + (check if rng.random() < 0.8 else rng.choice(string.ascii_uppercase))


def test_a_codice_fiscale_is_valid_exactly_when_python_stdnum_says_so():
    rng = random.Random(14)
    codes = [_random_code(rng) for _ in range(20_000)] + ["RCCMNL83S18D969H", "CNTCHR83T41D969D", "rccmnl83s18d969h",
                                                           "RCCMNL83S18D969", "RCCMNL83S00D969H", "RCCMNL83B30D969H"]
    valid = 0
    for code in codes:
        assert (explain_invalid_codice_fiscale(code) is None) == codicefiscale.is_valid(code), code
        valid += codicefiscale.is_valid(code)
    assert valid > 300  # the valid ones were tried too, not only the wrong ones


def test_a_card_number_check_digit_is_the_damm_one():
    for serial in range(1_000_000, 9_999_999, 9_973):
        for digit in "0123456789":
            number = f"{serial}{digit}"
            assert is_card_number(number) == damm.is_valid(number), number
    assert not is_card_number("１０００００００") and not is_card_number(10000004)


_LINE = (b'{"seq":7,"event":"issued","card":"10000004","company":"caff\xc3\xa8-nero","holder":"p1-'
         + b"0123456789abcdef" * 2 + b'","date":"2026-11-26","expires":"2028-11-26","replaces":null,"prev":"'
         + b"ab" * 32 + b'"}')


def test_an_issued_line_in_the_writers_layout_reads_as_the_json_decoder_reads_it():
    plain = decode_issued(_LINE)
    assert plain == json.loads(_LINE) and list(plain) == list(json.loads(_LINE))
    rng = random.Random(3)
    read = 0
    for _ in range(20_000):  # a byte changed anywhere: either the decoder's turn, or the same dict
        line = bytearray(_LINE)
        line[rng.randrange(len(line))] = rng.choice(b'"\\\x00\x1f az09{}:,-1\xc3\xa9\xff')
        plain = decode_issued(bytes(line))
        if plain is not None:
            read += 1
            decoded = json.loads(bytes(line).decode("utf-8"))
            assert plain == decoded and list(plain) == list(decoded), bytes(line)
    assert read > 1_000
