"""The registry's `issued` lines as its writer lays them out, read without the JSON decoder; and
the `issued` and `printed` lines a writer makes without the encoder.

Nearly every line of a large registry is an `issued` line written by `ledger`'s writer:
`json.dumps` with no spaces, the keys in their order, texts without escapes. Such a line is
matched whole by one pattern and its values taken from it, which gives the very dict the JSON
decoder would (same keys in the same order, same values), for a fifth of the time. Anything
else, a line edited by hand with a space or an escape, a number in another form, goes to the
decoder and its messages. Only the decoding is skipped here: every rule of the line is checked
after, as for any line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

# JSON texts with no escape and no control character (which the decoder refuses), as UTF-8 bytes
_TEXT = rb'"([^"\\\x00-\x1f]*)"'
_DAY = rb'"([0-9]{4}-[0-9]{2}-[0-9]{2})"'
_ISSUED = re.compile(
    rb'\{"seq":(0|[1-9][0-9]*),"event":"issued","card":' + _TEXT + rb',"company":' + _TEXT
    + rb',"holder":' + _TEXT + rb',"date":' + _DAY + rb',"expires":' + _DAY
    + rb',"replaces":(?:null|' + _TEXT + rb'),"prev":(?:null|"([0-9a-f]{64})")\}')


# The same layout a whole line at a time in a block of lines (`ledgerblocks.py`), for the lines
# whose every value is in the form the writer gives it: a pseudonym for the holder, 8 digits for the
# card, no card replaced. Groups: the line without its line ending, seq, card, company, the
# pseudonym's hex digits after `p1-`, date, expires, prev.
ISSUED_LINES = re.compile(
    rb'^(\{"seq":([1-9][0-9]*),"event":"issued","card":"([0-9]{8})","company":"([^"\\\x00-\x1f]+)"'
    rb',"holder":"p1-([0-9a-f]{32})","date":' + _DAY + rb',"expires":' + _DAY
    + rb',"replaces":null,"prev":(?:null|"([0-9a-f]{64})")\})\r?\n', re.MULTILINE)


def decode_issued(raw: bytes) -> dict | None:
    """The keys and values of an `issued` line in the writer's layout, or None for any other line
    (to be decoded as JSON)."""
    found = _ISSUED.fullmatch(raw)
    if found is None:
        return None
    seq, card, company, holder, issued, expires, replaces, prev = found.groups()
    try:
        return {"seq": int(seq), "event": "issued", "card": card.decode("utf-8"), "company": company.decode("utf-8"),
                "holder": holder.decode("utf-8"), "date": issued.decode("ascii"), "expires": expires.decode("ascii"),
                "replaces": None if replaces is None else replaces.decode("utf-8"),
                "prev": None if prev is None else prev.decode("ascii")}
    except UnicodeDecodeError:
        return None  # the decoder says what is wrong with it



def issued_line(seq: int, card: str, company: str, holder: str, day: str, expires: str, prev: str | None) -> bytes:
    """The `issued` line of a new card that replaces none, as `json.dumps` writes it (no spaces,
    UTF-8, the keys in their order): the same bytes, for the values `cards issue` gives it: a card
    number of digits, a pseudonym, days YYYY-MM-DD, a hex hash, none of which has anything to
    escape; the company, which may, is written by `json.dumps` itself (once a company).
    `tests/test_fast_paths.py` compares the two."""
    prev_text = "null" if prev is None else f'"{prev}"'
    return (f'{{"seq":{seq},"event":"issued","card":"{card}","company":{_json_text(company)},"holder":"{holder}",'
            f'"date":"{day}","expires":"{expires}","replaces":null,"prev":{prev_text}}}').encode()


def printed_line(seq: int, cards: Iterable[str], day: str, prev: str | None) -> Iterator[bytes]:
    """The `printed` line of a print run, as `json.dumps` writes it (no spaces, the keys in their
    order), in pieces: the same bytes, for card numbers of 8 digits (one at least) and a day
    YYYY-MM-DD, which have nothing to escape. A few thousand numbers a piece: a run of a million
    cards is a line of 11 MB, never whole in memory nor a list of a million texts.
    `tests/test_fast_paths.py` compares the two."""
    numbers, separator = iter(cards), b'{"seq":%d,"event":"printed","cards":["' % seq
    while chunk := list(islice(numbers, 4096)):
        yield separator + '","'.join(chunk).encode("ascii")
        separator = b'","'
    if separator != b'","':
        raise ValueError("a printed line names one card at least")
    prev_text = "null" if prev is None else f'"{prev}"'
    yield f'"],"date":"{day}","prev":{prev_text}}}'.encode()


@lru_cache(maxsize=4096)
def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
