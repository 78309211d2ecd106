"""The fast paths of loading a large network give what the general ones give: a plain codice
fiscale checked without python-stdnum, a registry line in the writer's layout read without the
JSON decoder, a card number's check digit on a flat table, the registry and the holder records
read a block at a time."""

from __future__ import annotations

import hashlib
import io
import json
import random
import string

import pytest
from stdnum import damm
from stdnum.it import codicefiscale

from welfarectl.cards.blocks import line_blocks
from welfarectl.cards.holderfile import parse_holder_blocks, parse_holders
from welfarectl.cards.holders import Holders, new_holder
from welfarectl.cards.ledger import Registry, read_lines
from welfarectl.cards.ledgerblocks import read_blocks
from welfarectl.cards.number import is_card_number, new_card_number
from welfarectl.cards.plainlines import decode_issued, issued_line, printed_line
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


def test_an_issued_line_written_without_the_encoder_is_the_encoders():
    rng = random.Random(4)
    alphabet = 'az-09 "\\/\x00\x1f\x7fèÀ€\u2028\U0001f600'
    for _ in range(5_000):
        company = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12)))
        seq, card = rng.randrange(1, 10**7), new_card_number(rng.randrange(1_000_000, 9_999_999))
        holder, prev = "p1-" + rng.randbytes(16).hex(), rng.choice([None, rng.randbytes(32).hex()])
        fields = {"seq": seq, "event": "issued", "card": card, "company": company, "holder": holder, "date": "2026-11-26",
                  "expires": "2028-02-29", "replaces": None, "prev": prev}
        written = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        assert issued_line(seq, card, company, holder, "2026-11-26", "2028-02-29", prev) == written, company


def test_a_printed_line_written_without_the_encoder_is_the_encoders():
    rng = random.Random(6)
    for size in [1, 2, 4095, 4096, 4097, 8192, 10_001, *(rng.randrange(1, 20_000) for _ in range(20))]:
        cards = [new_card_number(rng.randrange(1_000_000, 9_999_999)) for _ in range(size)]
        seq, prev = rng.randrange(1, 10**7), rng.choice([None, rng.randbytes(32).hex()])
        fields = {"seq": seq, "event": "printed", "cards": cards, "date": "2026-11-26", "prev": prev}
        written = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        assert b"".join(printed_line(seq, iter(cards), "2026-11-26", prev)) == written, size
    with pytest.raises(ValueError):
        b"".join(printed_line(1, [], "2026-11-26", None))


def test_holder_records_are_written_as_the_encoder_writes_them_in_their_order():
    rng = random.Random(5)
    alphabet = 'aZ9-"\\\x01èÀ\u2028'
    for _ in range(200):
        def text(letters: str, length: int) -> str:
            return "".join(rng.choice(letters) for _ in range(length))

        records = [new_holder(text(alphabet, rng.randrange(1, 6)), text(rng.choice((alphabet, "RSMXrs0123")), rng.choice((15, 16, 16))))
                   for _ in range(rng.randrange(1, 30))]
        unique = list({(record.company, record.codice_fiscale): record for record in records}.values())
        written = b"".join(record.line() + b"\n" for record in sorted(unique, key=lambda r: (r.company, r.codice_fiscale)))
        assert Holders(unique).render() == written


# --- the registry and the holders read a block at a time ---------------------------------------------

_COMPANIES = ("acetaia-il-cortile-antico", "caffè-nero", "vivai-del-panaro")


def _holders(count: int) -> Holders:
    codes = [f"RSSMRA{n:02d}A01F257{'ABCDEFGHIJ'[n % 10]}" for n in range(count)]
    return Holders(sorted((new_holder(_COMPANIES[n % 3], code) for n, code in enumerate(codes)),
                          key=lambda record: (record.company, record.codice_fiscale)))


def _sound_registry(holders: Holders) -> bytes:
    """Every event the writer writes, holders by pseudonym, chained: a card each, some revoked,
    one replaced, two print runs, a line naming a holder by codice fiscale."""
    events, serial = [], 1_000_000
    numbers = []
    for row in range(len(holders)):
        numbers.append(new_card_number(serial))
        events.append({"event": "issued", "card": numbers[-1], "company": holders.company(row),
                       "holder": holders.pseudonym(row), "date": "2026-11-26", "expires": "2028-11-26", "replaces": None})
        serial += 1
        if row % 7 == 3:
            events.append({"event": "revoked", "card": numbers[-1], "reason": "left", "date": "2026-11-27"})
        if row == 10:
            events.append({"event": "printed", "cards": numbers[:8], "date": "2026-11-27"})
    new = new_card_number(serial)
    events += [{"event": "replaced", "card": numbers[1], "by": new, "date": "2026-11-28"},
               {"event": "issued", "card": new, "company": holders.company(1), "holder": holders.pseudonym(1),
                "date": "2026-11-28", "expires": "2028-11-28", "replaces": numbers[1]},
               {"event": "issued", "card": new_card_number(serial + 1), "company": _COMPANIES[0], "holder": "RSSMRA80A01F257X",
                "date": "2026-11-28", "expires": "2028-11-28", "replaces": None},
               {"event": "printed", "cards": [new], "date": "2026-11-29"}]
    lines, prev = [], None
    for seq, fields in enumerate(events, 1):
        line = json.dumps({"seq": seq, **fields, "prev": prev}, ensure_ascii=False, separators=(",", ":")).encode()
        lines.append(line + b"\n")
        prev = hashlib.sha256(line).hexdigest()
    return b"".join(lines)


_BYTES = b'"\\\x00\x1f az09f{}:,-1n\r\n\xc3\xa9\xff'


_VALUES = {"seq": [0, 3, 10**20, "1"], "card": ["10000005", "1000000", "10000004 ", new_card_number(1_000_003)],
           "company": ["", " ", "\u00a0", "caffè-nero", "caffè\\nero"], "holder": ["p1-" + "0" * 32, "RSSMRA80A01F257X", ""],
           "date": ["2026-02-30", "2029-01-01", "2026-1-01"], "expires": ["2020-01-01", "2026-11-26", "2026-02-29"],
           "replaces": [new_card_number(1_000_002)], "prev": [None, "0" * 64]}


def _rechained(lines: list[bytes], at: int, rng: random.Random) -> list[bytes]:
    """The lines with a value of line `at` changed and the chain made again after it: a line that
    breaks one rule, in every other way sound."""
    fields = json.loads(lines[at])
    key = rng.choice([key for key in _VALUES if key in fields])
    fields[key] = rng.choice(_VALUES[key])
    lines = list(lines)
    lines[at] = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    for later in range(at + 1, len(lines)):
        fields = json.loads(lines[later])
        fields["prev"] = hashlib.sha256(lines[later - 1][:-1]).hexdigest()
        lines[later] = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    return lines


def _mutated(data: bytes, rng: random.Random) -> bytes:
    """`data` with one slip: a byte changed, a line lost, doubled or moved, an empty line, a line
    with CRLF, the end cut anywhere; or a registry line's value changed and the chain made again."""
    lines = data.splitlines(keepends=True)
    at = rng.randrange(len(lines))
    kind = rng.randrange(8 if b'"seq"' in data else 7)
    if kind == 7:
        return b"".join(_rechained(lines, at, rng))
    if kind == 0:
        changed = bytearray(data)
        changed[rng.randrange(len(changed))] = rng.choice(_BYTES)
        return bytes(changed)
    if kind == 1:
        del lines[at]
    elif kind == 2:
        lines.insert(at, lines[rng.randrange(len(lines))])
    elif kind == 3:
        lines.insert(at, lines.pop(rng.randrange(len(lines))))
    elif kind == 4:
        lines.insert(at, b"\n")
    elif kind == 5:
        lines[at] = lines[at][:-1] + b"\r\n"
    else:
        return data[:rng.randrange(len(data))]
    return b"".join(lines)


def _read_both_ways(data: bytes, holders: Holders, block: int) -> tuple:
    """The registry in `data` read a line at a time and a block at a time: each reading's problems,
    what the next line must carry, the cards, and the hashes reported as the lines were read."""
    readings = []
    for read in (lambda reg, seen: read_lines(reg, io.BytesIO(data), seen.append),
                 lambda reg, seen: read_blocks(reg, line_blocks(io.BytesIO(data), block), seen.append)):
        registry, seen = Registry(holders.copy()), []
        problems = read(registry, seen)
        cards = registry.cards
        readings.append((problems, registry.lines, registry.last_hash, registry.last_seq, registry.last_serial,
                         registry.unissued, list(cards.each()), {number: cards.row(number) for number in cards}, seen))
    return tuple(readings)


def test_a_registry_read_a_block_at_a_time_reads_as_a_line_at_a_time():
    holders = _holders(40)
    sound = _sound_registry(holders)
    line_by_line, by_blocks = _read_both_ways(sound, holders, 1 << 16)
    assert line_by_line == by_blocks and line_by_line[0] == [] and len(line_by_line[6]) == 42
    rng = random.Random(14)
    problems = 0
    for _ in range(1_500):
        data = _mutated(sound, rng)
        line_by_line, by_blocks = _read_both_ways(data, holders, rng.choice((7, 50, 300, 4096)))
        assert line_by_line == by_blocks, data
        problems += bool(line_by_line[0])
    assert problems > 1_000  # the slips were seen, not only sound registries


def _holders_both_ways(data: bytes, block: int, people: list[tuple[str, str, str]]) -> tuple:
    readings = []
    for found, problems in (parse_holders(io.BytesIO(data)), parse_holder_blocks(line_blocks(io.BytesIO(data), block))):
        readings.append((problems, list(found.render_lines()), [found.find(holder) for holder, _, _ in people],
                         [found.row_of(company, code) for _, company, code in people]))
    return tuple(readings)


def test_holder_records_read_a_block_at_a_time_read_as_a_line_at_a_time():
    holders = _holders(40)
    sound = holders.render()
    people = [(holders.pseudonym(row), holders.company(row), holders.codice_fiscale(row)) for row in range(len(holders))]
    line_by_line, by_blocks = _holders_both_ways(sound, 1 << 16, people)
    assert line_by_line == by_blocks and line_by_line[0] == [] and None not in line_by_line[3]
    again = [new_holder(company, code).line() + b"\n" for _, company, code in people]  # the same person, a new key
    odd = [new_holder(_COMPANIES[0], code).line() + b"\n" for code in ("RSSMRA80A01F257", "RSSMRÀ80A01F257X")]
    rng = random.Random(15)
    problems = 0
    for _ in range(1_500):
        data = _mutated(sound, rng)
        if rng.random() < 0.3:
            lines = data.splitlines(keepends=True)
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(again + odd))
            data = b"".join(lines)
        line_by_line, by_blocks = _holders_both_ways(data, rng.choice((7, 50, 300, 4096)), people)
        assert line_by_line == by_blocks, data
        problems += bool(line_by_line[0])
    assert problems > 500


def test_a_writer_copies_the_registry_in_blocks_as_it_would_line_by_line(tmp_path):
    """`registry.bytes_of` (blocks of a megabyte, here of 1 to 6 bytes) gives what `lines_of` gives
    joined: every line ending in LF, a CRLF split between two blocks included."""
    from welfarectl.cards import registry as writer

    class Read:  # a registry's source, read in blocks of random sizes
        def __init__(self, path, rng):
            self.handle, self.rng = open(path, "rb"), rng  # noqa: SIM115 (closed by the writer's `with`)

        def seek(self, at):
            self.handle.seek(at)

        def read(self, _size):
            return self.handle.read(self.rng.randrange(1, 7))

        def __iter__(self):
            return iter(self.handle)

        def __enter__(self):
            return self

        def __exit__(self, *_):
            self.handle.close()

    rng = random.Random(7)
    path = tmp_path / "cards.jsonl"
    for _ in range(500):
        path.write_bytes(bytes(rng.choice(b"ab\r\n") for _ in range(rng.randrange(0, 400))))
        by_line, by_block = Registry(), Registry()
        by_line.source, by_block.source = Read(path, rng), Read(path, rng)
        assert b"".join(writer.bytes_of(by_block)) == b"".join(writer.lines_of(by_line))
