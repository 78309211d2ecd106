"""Every problem code, made by breaking one thing in a real file of a small valid network, reported
at its exact place; and every message, rendered in Italian, with no English left in it.

The base network is `welfarectl init`'s skeleton (catalogue, card layouts, one employee workbook)
plus one employee, a public key and a one-card registry, with a shorter card back; each case
copies it and breaks one thing.
Line numbers below are those of the skeleton's files (welfarectl/skeleton/).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from cardkeys import signing_key
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from fontfiles import HAN, font_file
from openpyxl import Workbook
from stdnum.it import codicefiscale
from xlsxfiles import EMPLOYEE_HEADER, truncate, write_old_xls, write_password_protected, write_workbook, write_zip_bomb

from welfarectl.base.problems import CATALOGUE, Location, Problem, problem
from welfarectl.cards.holders import pseudonym
from welfarectl.cards.keys import public_key_pem
from welfarectl.cards.number import new_card_number
from welfarectl.network.skeleton import create_network
from welfarectl.pipeline import load_network

AS_OF = date(2026, 11, 26)
COMPANY = "prima-impresa"
WORKBOOK = f"members/{COMPANY}.xlsx"
KEY = signing_key(1)
CARD = new_card_number(1_000_000)


def a_codice_fiscale(n: int) -> str:
    """A valid, fictional codice fiscale for each n < 50."""
    stem = f"RSSMRA{50 + n:02d}A41F257"
    return stem + codicefiscale.calc_check_digit(stem)


MARIA = ["Rossi", "Maria", a_codice_fiscale(0), date(2020, 1, 1)]


# --- building files ------------------------------------------------------------------------------

def ledger(*events: dict) -> bytes:
    """Registry lines for `events` (each without seq and prev), numbered and hash-chained."""
    lines, previous = [], None
    for seq, event in enumerate(events, 1):
        line = json.dumps({"seq": seq, **event, "prev": previous}, separators=(",", ":")).encode()
        lines.append(line)
        previous = hashlib.sha256(line).hexdigest()
    return b"".join(line + b"\n" for line in lines)


def issued(card: str = CARD, holder: str = MARIA[2]) -> dict:
    return {"event": "issued", "card": card, "company": COMPANY, "holder": holder, "date": "2026-02-01",
            "expires": "2028-02-01", "replaces": None}


def head(data: bytes) -> bytes:
    """members/cards.head for a registry whose bytes are `data`."""
    lines = data.split(b"\n")[:-1]
    return json.dumps({"lines": len(lines), "last": hashlib.sha256(lines[-1]).hexdigest()}).encode() + b"\n"


# The skeleton's back, without its long paragraph: fitting it is most of the time of a load.
CARD_BACK = """\
elements:
  - type: text
    x: 5
    y: 5
    width: 75.6
    height: 4
    text: "{network}"
    size: 6
  - type: list
    x: 5
    y: 12
    width: 75.6
    height: 20
    items: macro_areas
    size: 6
    columns: 2
"""


def build_base(root: Path) -> Path:
    create_network(root)
    (root / "templates" / "card-back.yaml").write_text(CARD_BACK, encoding="utf-8")
    write_workbook(root / WORKBOOK, [EMPLOYEE_HEADER[:5], MARIA])
    (root / "catalogue" / "keys").mkdir()
    (root / "catalogue" / "keys" / f"{KEY.key_id}.pub").write_bytes(public_key_pem(KEY.public_key))
    registry = ledger(issued())
    (root / "members" / "cards.jsonl").write_bytes(registry)
    (root / "members" / "cards.head").write_bytes(head(registry))
    return root


def load_all(root: Path) -> list[Problem]:
    return load_network(root, as_of=AS_OF)[1]


Build = Callable[[Path], object]


def edit(file: str, old: str, new: str, *, last: bool = False) -> Build:
    """Replace the one occurrence of `old` in `file` (the last one, with `last`)."""
    def build(root: Path) -> None:
        text = (root / file).read_text(encoding="utf-8")
        if last:
            before, _, after = text.rpartition(old)
            (root / file).write_text(before + new + after, encoding="utf-8")
            return
        assert text.count(old) == 1, f"{old!r} is not once in {file}"
        (root / file).write_text(text.replace(old, new), encoding="utf-8")
    return build


def append(file: str, text: str) -> Build:
    def build(root: Path) -> None:
        with open(root / file, "a", encoding="utf-8") as handle:
            handle.write(text)
    return build


def fallback_font(content: bytes | None) -> Build:
    """network.yaml names fonts/Han.ttf as a fallback font; the file holds `content` (None: no file)."""
    def build(root: Path) -> None:
        append("catalogue/network.yaml", "  fallback_fonts:\n    - fonts/Han.ttf\n")(root)
        if content is not None:
            write("fonts/Han.ttf", content)(root)
    return build


def write(file: str, content: str | bytes) -> Build:
    def build(root: Path) -> None:
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        (root / file).write_bytes(data)
    return build


def remove(file: str) -> Build:
    return lambda root: (root / file).unlink()


def directory_instead_of(file: str) -> Build:
    """A directory where the file should be: the system refuses to read it, even to root."""
    def build(root: Path) -> None:
        (root / file).unlink()
        (root / file).mkdir()
    return build


def staff(*rows: list, header: list = EMPLOYEE_HEADER[:5], setup: Callable[[Workbook], None] | None = None,
          file: str = WORKBOOK) -> Build:
    """The employee workbook with `rows` under `header` (Maria is not kept unless listed)."""
    return lambda root: write_workbook(root / file, [header, *rows], setup)


SURVEY_HEADER = ["Impresa", "Settore ATECO", "Fascia d'età", "Figli", "Familiari non autosufficienti",
                 "Risparmio", "Conciliazione e tempo liberato", "Cura della persona e della famiglia",
                 "Formazione e sviluppo delle competenze", "Previdenza e salute", "Welfare territoriale"]


def survey(*changes: tuple[int, object]) -> Build:
    """members/survey.xlsx with one valid answer from the member company, `changes` (column index,
    value) applied to it."""
    answer: list[object] = [COMPANY, "C", "30-39", 1, "No", 3, 4, 2, 5, 1, 3]
    for column, value in changes:
        answer[column] = value
    return lambda root: write_workbook(root / "members" / "survey.xlsx", {"Risposte": [SURVEY_HEADER, answer]})


def registry(*events: dict, tail: bytes = b"") -> Build:
    """members/cards.jsonl with `events` (and `tail` bytes after them), its head in step."""
    def build(root: Path) -> None:
        data = ledger(*events)
        (root / "members" / "cards.jsonl").write_bytes(data + tail)
        (root / "members" / "cards.head").write_bytes(head(data))
    return build


def both(*builds: Build) -> Build:
    def build(root: Path) -> None:
        for each in builds:
            each(root)
    return build


def hide_row_2(book: Workbook) -> None:
    book["Dipendenti"].row_dimensions[2].hidden = True


def hide_column_b(book: Workbook) -> None:
    book["Dipendenti"].column_dimensions["B"].hidden = True


def merge_d2_d3(book: Workbook) -> None:
    book["Dipendenti"].merge_cells("D2:D3")


def first_line_edited(root: Path) -> None:
    """The issue date of line 1 changed by hand: line 2's hash of line 1 no longer matches it."""
    data = ledger(issued(), {"event": "printed", "cards": [CARD], "date": "2026-02-02"})
    first, second, _ = data.split(b"\n")
    first = first.replace(b'"date":"2026-02-01"', b'"date":"2026-01-01"')
    (root / "members" / "cards.jsonl").write_bytes(first + b"\n" + second + b"\n")
    (root / "members" / "cards.head").write_bytes(head(data))


def middle_line_deleted(root: Path) -> None:
    """Line 2 of three deleted: line 3, now second, follows line 1 neither by hash nor by seq."""
    printed = {"event": "printed", "cards": [CARD], "date": "2026-02-02"}
    data = ledger(issued(), printed, {**printed, "date": "2026-02-03"})
    first, _, third, _ = data.split(b"\n")
    (root / "members" / "cards.jsonl").write_bytes(first + b"\n" + third + b"\n")
    (root / "members" / "cards.head").write_bytes(head(data))


def head_ahead_of_registry(root: Path) -> None:
    longer = ledger(issued(), {"event": "printed", "cards": [CARD], "date": "2026-02-02"})
    (root / "members" / "cards.head").write_bytes(head(longer))


def not_ed25519(root: Path) -> None:
    pem = X25519PrivateKey.from_private_bytes(bytes(32)).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (root / "catalogue" / "keys" / "00000000.pub").write_bytes(pem)


def service_twice(root: Path) -> None:
    """The skeleton's one service, written again below itself."""
    text = (root / "catalogue" / "services.yaml").read_text(encoding="utf-8")
    append("catalogue/services.yaml", text.split("services:\n")[1])(root)


def misnamed_key(root: Path) -> None:
    keys = root / "catalogue" / "keys"
    (keys / f"{KEY.key_id}.pub").rename(keys / "0badc0de.pub")


# A holder record whose codice fiscale was changed by hand: its key no longer gives its pseudonym.
HOLDER_EDITED = json.dumps({"holder": pseudonym("00" * 16, COMPANY, MARIA[2]), "company": COMPANY,
                            "codice_fiscale": a_codice_fiscale(1), "key": "00" * 16}) + "\n"


# --- the table: one case per cause ---------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    code: str
    cause: str
    build: Build
    where: str  # the problem's location, as `Location.__str__` writes it

    @property
    def id(self) -> str:
        return f"{self.code}:{self.cause}"


ORGS, SERVICES, NETWORK = "catalogue/organisations.yaml", "catalogue/services.yaml", "catalogue/network.yaml"
WORKSHOPS, FRONT = "catalogue/workshops.yaml", "templates/card-front.yaml"
CARDS = "members/cards.jsonl"
COVER, HOW_TO = "templates/booklet/it/cover.j2", "templates/booklet/it/how-to.j2"
TEXT_FRONT_TITLE = 'text: "TESSERA WELFARE"'  # card-front.yaml line 45, a text at x 57, y 3.6
WORKSHOP = """\
  - id: primo-incontro
    date: 2026-03-10
    title: Welfare e conciliazione
    kind: training
    venue: Modena
    participants: 10
"""

CASES = [
    # files
    Case("missing-file", "catalogue", remove(SERVICES), SERVICES),
    Case("missing-file", "layout", remove("templates/card-back.yaml"), "templates/card-back.yaml"),
    Case("file-unreadable", "yaml", directory_instead_of(WORKSHOPS), WORKSHOPS),
    Case("file-unreadable", "workbook", directory_instead_of(WORKBOOK), WORKBOOK),
    Case("file-unreadable", "registry", directory_instead_of(CARDS), CARDS),
    # YAML
    Case("yaml-encoding", "latin-1", write(ORGS, (
        "organisations:\n  - id: coordinamento-rete\n    name: Citt\xe0 di Modena\n").encode("latin-1")),
        f"{ORGS}:3:15"),
    Case("yaml-empty", "comments-only", write(WORKSHOPS, "# nothing yet\n"), f"{WORKSHOPS}:1:1"),
    Case("yaml-syntax", "unclosed-bracket", edit(ORGS, "roles: [provider]", "roles: [provider"), f"{ORGS}:24:16"),
    Case("yaml-syntax", "colon-in-value", edit(ORGS, "name: Prima Impresa S.r.l.", "name: Prima Impresa: S.r.l."),
         f"{ORGS}:11:24"),
    Case("yaml-syntax", "missing-colon", edit(ORGS, "    ateco: C\n", "    ateco C\n"), f"{ORGS}:17:5"),
    Case("yaml-syntax", "key-not-text", append(WORKSHOPS, "? [a, b]\n: 1\n"), f"{WORKSHOPS}:4:3"),
    Case("yaml-tab", "indentation", edit(ORGS, "    ateco: C", "\tateco: C"), f"{ORGS}:16:1"),
    Case("yaml-unsupported-tag", "python-object", edit(ORGS, "ateco: C", "ateco: !!python/object:os.system C"),
         f"{ORGS}:16:12"),
    Case("yaml-duplicate-key", "twice-in-a-record", edit(ORGS, "    ateco: C\n", "    ateco: C\n    ateco: C\n"),
         f"{ORGS}:17:5"),
    Case("yaml-too-complex", "self-alias", write(WORKSHOPS, "workshops: &w [*w]\n"), f"{WORKSHOPS}:1:1"),
    Case("wrong-type", "text-for-number", edit(SERVICES, "percent: 20", 'percent: "20"'), f"{SERVICES}:12:16"),
    Case("invalid-value", "id-pattern", edit(SERVICES, "id: doposcuola", "id: Doposcuola"), f"{SERVICES}:4:9"),
    Case("invalid-value", "pattern", edit(ORGS, "province: MO}\n  - id: prima-impresa", "province: Mo}\n  - id: prima-impresa"),
         f"{ORGS}:9:39"),
    Case("invalid-value", "below-minimum", edit(SERVICES, "percent: 20", "percent: 0"), f"{SERVICES}:12:16"),
    Case("invalid-value", "empty-text", edit(SERVICES, "category: Servizi per l'infanzia", 'category: ""'),
         f"{SERVICES}:9:15"),
    Case("invalid-value", "empty-list", edit(ORGS, "roles: [coordinator]", "roles: []"), f"{ORGS}:7:12"),
    Case("invalid-value", "benefit-amount", edit(SERVICES, "kind: discount", "kind: voucher"), f"{SERVICES}:11:7"),
    Case("invalid-value", "unpaired-brace", edit(FRONT, 'text: "{holder}"', 'text: "{holder"'), f"{FRONT}:89:11"),
    Case("invalid-value", "workbook-number", survey((3, "tre")), "members/survey.xlsx:Risposte!D2"),
    Case("invalid-value", "survey-children", survey((3, -1)), "members/survey.xlsx:Risposte!D2"),
    Case("invalid-value", "survey-yes-no", survey((4, "forse")), "members/survey.xlsx:Risposte!E2"),
    Case("invalid-value", "survey-need", survey((5, 6)), "members/survey.xlsx:Risposte!F2"),
    Case("invalid-choice", "catalogue", edit(ORGS, "kind: company", "kind: firm"), f"{ORGS}:13:11"),
    Case("invalid-choice", "survey-sector", survey((1, "Z")), "members/survey.xlsx:Risposte!B2"),
    Case("invalid-choice", "survey-age", survey((2, "25-35")), "members/survey.xlsx:Risposte!C2"),
    Case("missing-field", "service-access", edit(SERVICES, "    access: Mostrare la Welfare Card all'iscrizione.\n", ""),
         f"{SERVICES}:4:5"),
    Case("unknown-field", "typo", edit(ORGS, "    ateco: C\n", "    ateco: C\n    sise: small\n"), f"{ORGS}:17:5"),
    # workbooks
    Case("unreadable-workbook", "csv", write(WORKBOOK, "Cognome;Nome\nRossi;Maria\n"), WORKBOOK),
    Case("unreadable-workbook", "old-xls", lambda root: write_old_xls(root / WORKBOOK), WORKBOOK),
    Case("unreadable-workbook", "password", lambda root: write_password_protected(root / WORKBOOK), WORKBOOK),
    Case("unreadable-workbook", "truncated", lambda root: truncate(root / WORKBOOK), WORKBOOK),
    Case("unreadable-workbook", "empty", write(WORKBOOK, b""), WORKBOOK),
    Case("workbook-too-large", "zip-bomb", lambda root: write_zip_bomb(root / WORKBOOK, megabytes=21), WORKBOOK),
    Case("header-not-found", "no-header", staff(["Rossi", "Maria"], header=["Elenco del personale"]), WORKBOOK),
    Case("missing-column", "hire-date", staff(MARIA[:3], header=EMPLOYEE_HEADER[:3]), f"{WORKBOOK}:Dipendenti!A1"),
    Case("duplicate-column", "surname-twice", staff([*MARIA, None, "Rossi"], header=[*EMPLOYEE_HEADER[:5], "Surname"]),
         f"{WORKBOOK}:Dipendenti!F1"),
    Case("ignored-column", "iban", staff([*MARIA, None, "IT60X0542811101000000123456"], header=[*EMPLOYEE_HEADER[:5], "IBAN"]),
         f"{WORKBOOK}:Dipendenti!F1"),
    Case("date-column-not-read", "probation-end", staff([*MARIA, None, date(2020, 6, 30)],
                                                        header=[*EMPLOYEE_HEADER[:5], "Fine periodo di prova"]),
         f"{WORKBOOK}:Dipendenti!F1"),
    Case("formula-without-value", "never-calculated", staff([*MARIA[:2], '=UPPER("x")', MARIA[3]]),
         f"{WORKBOOK}:Dipendenti!C2"),
    Case("merged-cells", "hire-dates", staff(MARIA, ["Bianchi", "Anna", a_codice_fiscale(1)], setup=merge_d2_d3),
         f"{WORKBOOK}:Dipendenti!D2"),
    Case("hidden-cells", "row", staff(MARIA, setup=hide_row_2), f"{WORKBOOK}:Dipendenti"),
    Case("hidden-cells", "column", staff(MARIA, setup=hide_column_b), f"{WORKBOOK}:Dipendenti"),
    Case("hidden-cells", "sheet", lambda root: write_workbook(
        root / WORKBOOK, {"Dipendenti": [EMPLOYEE_HEADER[:5], MARIA], "Vecchi": [EMPLOYEE_HEADER[:5]]},
        lambda book: setattr(book["Vecchi"], "sheet_state", "hidden")), f"{WORKBOOK}:Vecchi"),
    Case("missing-value", "given-name", staff([MARIA[0], None, *MARIA[2:]]), f"{WORKBOOK}:Dipendenti!B2"),
    Case("invalid-date", "text", staff([*MARIA[:3], "31/02/2020"]), f"{WORKBOOK}:Dipendenti!D2"),
    Case("invalid-codice-fiscale", "check-character", staff([*MARIA[:2], MARIA[2][:-1] + "A", MARIA[3]]),
         f"{WORKBOOK}:Dipendenti!C2"),
    Case("invalid-codice-fiscale", "length", staff([*MARIA[:2], MARIA[2][:-2], MARIA[3]]), f"{WORKBOOK}:Dipendenti!C2"),
    Case("invalid-codice-fiscale", "organisation", edit(ORGS, 'partita_iva: "01234560017"', 'codice_fiscale: "80012345670"'),
         f"{ORGS}:8:21"),
    Case("invalid-partita-iva", "check-digit", edit(ORGS, 'partita_iva: "02345670026"', 'partita_iva: "02345670027"'),
         f"{ORGS}:15:18"),
    Case("duplicate-codice-fiscale", "same-workbook", staff(MARIA, ["Rossi", "Mara", *MARIA[2:]]),
         f"{WORKBOOK}:Dipendenti!C3"),
    Case("unknown-company-workbook", "typo", staff(MARIA, file="members/prima-imprsa.xlsx"), "members/prima-imprsa.xlsx"),
    Case("missing-workbook", "member-company", remove(WORKBOOK), f"{ORGS}:10:9"),
    Case("workbook-not-xlsx", "a-csv-instead", both(remove(WORKBOOK), write(f"members/{COMPANY}.csv",
                                                                            "Cognome;Nome\n")),
         f"members/{COMPANY}.csv"),
    # across records
    Case("duplicate-id", "organisation", edit(ORGS, "id: prima-cooperativa", "id: prima-impresa"), f"{ORGS}:19:9"),
    Case("duplicate-id", "service", service_twice, f"{SERVICES}:16:9"),
    Case("duplicate-id", "workshop", write(WORKSHOPS, "workshops:\n" + WORKSHOP + WORKSHOP), f"{WORKSHOPS}:8:9"),
    Case("duplicate-id", "macro-area", edit(NETWORK, "id: time-saving", "id: cost-saving"), f"{NETWORK}:15:9"),
    Case("unsafe-file-name", "windows-device", edit(ORGS, "id: prima-cooperativa", "id: aux"), f"{ORGS}:19:9"),
    Case("unsafe-file-name", "network-id", edit(NETWORK, "id: nuova-rete", "id: com1"), f"{NETWORK}:4:5"),
    Case("unknown-reference", "provider", edit(SERVICES, "provider: prima-cooperativa", "provider: prima-cooperativo"),
         f"{SERVICES}:7:15"),
    Case("unknown-reference", "macro-area", edit(SERVICES, "macro_area: time-saving", "macro_area: time-savings"),
         f"{SERVICES}:8:17"),
    Case("missing-role", "provider", edit(SERVICES, "provider: prima-cooperativa", "provider: prima-impresa"),
         f"{SERVICES}:7:15"),
    Case("date-order", "network-period", edit(NETWORK, "end: 2028-12-31", "end: 2025-12-31"), f"{NETWORK}:9:8"),
    Case("date-order", "membership", edit(ORGS, "    ateco: C\n", "    ateco: C\n    joined: 2026-02-01\n    left: 2026-01-31\n"),
         f"{ORGS}:18:11"),
    Case("date-order", "service-validity", append(SERVICES, "    valid_from: 2026-06-01\n    valid_until: 2026-05-31\n"),
         f"{SERVICES}:17:18"),
    Case("date-order", "employee", staff([*MARIA, date(2019, 12, 31)]), f"{WORKBOOK}:Dipendenti!E2"),
    Case("missing-identifier", "no-tax-id", edit(ORGS, '    partita_iva: "03456780034"\n', ""), f"{ORGS}:19:9"),
    Case("missing-sector", "no-ateco", edit(ORGS, "    ateco: C\n", ""), f"{ORGS}:10:9"),
    Case("workshop-participants", "too-many", write(WORKSHOPS, "workshops:\n" + WORKSHOP
                                                    + "    by_organisation: {prima-impresa: 8, prima-cooperativa: 5}\n"),
         f"{WORKSHOPS}:8:22"),
    Case("unknown-survey-company", "not-a-member", survey((0, "prima-cooperativa")), "members/survey.xlsx:Risposte!A2"),
    # references to records with errors, repeated identifiers
    Case("reference-to-invalid-record", "provider", edit(ORGS, "province: MO}\n", "province: Modena}\n", last=True),
         f"{SERVICES}:7:15"),
    Case("reference-to-invalid-record", "coordinator", edit(ORGS, "province: MO}\n  - id: prima-impresa",
                                                            "province: Modena}\n  - id: prima-impresa"), f"{NETWORK}:10:14"),
    Case("reference-to-invalid-record", "workbook", edit(ORGS, "    size: small\n", "    size: tiny\n"), WORKBOOK),
    Case("reference-to-invalid-record", "survey-company", both(edit(ORGS, "    size: small\n", "    size: tiny\n"), survey()),
         "members/survey.xlsx:Risposte!A2"),
    Case("duplicate-partita-iva", "same-organisation-twice", edit(ORGS, 'partita_iva: "03456780034"',
                                                                  'partita_iva: "02345670026"'), f"{ORGS}:24:18"),
    # cards
    Case("registry-malformed", "not-json", registry(issued(), tail=b"{seq: 2}\n"), f"{CARDS}:2"),
    Case("registry-malformed", "bad-date", registry({**issued(), "expires": "01/02/2028"}), f"{CARDS}:1"),
    Case("registry-malformed", "empty-line", registry(issued(), tail=b"\n"), f"{CARDS}:2"),
    Case("registry-malformed", "head", write("members/cards.head", "{}\n"), "members/cards.head:1"),
    Case("registry-truncated", "last-line", registry(issued(), tail=b'{"seq":2,"event":"prin'), f"{CARDS}:2"),
    Case("registry-line-edited", "edited-line", first_line_edited, f"{CARDS}:1"),
    Case("registry-chain-broken", "deleted-line", middle_line_deleted, f"{CARDS}:2"),
    Case("registry-lines-missing", "last-line-deleted", head_ahead_of_registry, f"{CARDS}:1"),
    Case("holder-record-invalid", "codice-fiscale-edited", write("members/holders.jsonl", HOLDER_EDITED), "members/holders.jsonl:1"),
    Case("card-holder-left", "leaving-date", staff([*MARIA, date(2026, 10, 31)]), f"{CARDS}:1"),
    Case("card-holder-unknown", "not-in-workbook", staff(["Bianchi", "Anna", a_codice_fiscale(1), date(2021, 1, 1)]),
         f"{CARDS}:1"),
    Case("invalid-public-key", "not-pem", write("catalogue/keys/0badc0de.pub", "ssh-ed25519 AAAA\n"),
         "catalogue/keys/0badc0de.pub"),
    Case("invalid-public-key", "not-ed25519", not_ed25519, "catalogue/keys/00000000.pub"),
    Case("invalid-public-key", "misnamed", misnamed_key, "catalogue/keys/0badc0de.pub"),
    Case("unknown-placeholder", "typo", edit(FRONT, 'text: "{holder}"', 'text: "{holdr}"'), f"{FRONT}:89:11"),
    Case("layout-outside-safe-area", "near-edge", edit(FRONT, "  - type: qr\n    x: 56.1", "  - type: qr\n    x: 58.1"),
         f"{FRONT}:126:5"),
    Case("qr-too-small", "small", edit(FRONT, "size: 26", "size: 14"), f"{FRONT}:129:11"),
    Case("unprintable-character", "layout-text", edit(FRONT, TEXT_FRONT_TITLE, 'text: "TESSERA WELFARE \u738b"'),
         f"{FRONT}:45:11"),
    Case("unprintable-character", "holder-name", staff(["Rossi", "Maria \u738b", *MARIA[2:]]),
         f"{WORKBOOK}:Dipendenti!B2"),
    Case("layout-overlap", "qr-on-holder", edit(FRONT, "    x: 56.1", "    x: 40"), f"{FRONT}:126:5"),
    # the booklet's templates
    Case("missing-file", "booklet-template", remove("templates/booklet/en/section.j2"), "templates/booklet/en/section.j2"),
    Case("template-syntax", "unclosed-tag", edit(HOW_TO, "{% if company %}", "{% if company %"), f"{HOW_TO}:3"),
    Case("template-unknown-variable", "typo", edit(COVER, "{{ company }}", "{{ compnay }}"), f"{COVER}:3"),
    Case("template-error", "division-by-zero", edit(COVER, "{{ services }}", "{{ services // 0 }}"), f"{COVER}:6"),
    Case("template-error", "unclosed-markup", edit(COVER, "</b>", ""), f"{COVER}:3"),
    Case("text-does-not-fit", "long-title", edit(FRONT, TEXT_FRONT_TITLE, 'text: "TESSERA WELFARE AZIENDALE E TERRITORIALE"'),
         f"{FRONT}:45:11"),    # cards: the network's fallback fonts (a list under card:, which ends network.yaml at line 31)
    Case("font-file-unreadable", "missing", fallback_font(None), f"{NETWORK}:33:7"),
    Case("font-unsupported", "not-a-font", fallback_font(b"Maria Rossi;RSSMRA80A01F257X\n"), f"{NETWORK}:33:7"),
    Case("font-unsupported", "postscript-outlines", fallback_font(b"OTTO" + font_file(HAN)[4:]), f"{NETWORK}:33:7"),
    Case("font-embedding-restricted", "restricted-licence", fallback_font(font_file(HAN, fs_type=0x0002)), f"{NETWORK}:33:7"),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return build_base(tmp_path_factory.mktemp("base") / "net")


@pytest.fixture(scope="module")
def broken(base: Path, tmp_path_factory) -> Callable[[Case], list[Problem]]:
    """All the problems of a copy of the base network broken as a case says; each case is built
    and loaded once for the tests below."""
    loaded: dict[str, list[Problem]] = {}

    def problems(case: Case) -> list[Problem]:
        if case.id not in loaded:
            root = Path(shutil.copytree(base, tmp_path_factory.mktemp("case") / "net"))
            case.build(root)
            loaded[case.id] = load_all(root)
        return loaded[case.id]

    return problems


def test_the_base_network_is_valid(base):
    assert load_all(base) == []


def test_every_code_in_the_catalogue_has_a_case():
    assert sorted({case.code for case in CASES}) == sorted(CATALOGUE)
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_code_is_reported_at_its_place(case, broken):
    problems = broken(case)
    assert (case.code, case.where) in [(p.code, str(p.location)) for p in problems], [
        (p.code, str(p.location), p.message()) for p in problems]


# --- Italian -------------------------------------------------------------------------------------

# Common English words that have no place in an Italian sentence. Words both languages use (a, in,
# file, font, no, card, password, zip, web, workshop, welfare, date), YAML's literals (true, false)
# and the values of YAML fields (provider, left, lost) are not listed.
ENGLISH = {
    "the", "is", "are", "was", "were", "be", "been", "not", "of", "an", "and", "or", "to", "with", "without",
    "has", "have", "had", "must", "should", "cannot", "can", "could", "does", "did", "you", "mean", "it", "its",
    "this", "that", "these", "those", "which", "who", "what", "where", "when", "on", "at", "by", "from", "for",
    "as", "than", "only", "more", "least", "most", "also", "there", "here", "any", "some", "every", "each",
    "other", "another", "expected", "found", "wrong", "missing", "invalid", "valid", "character", "characters",
    "length", "digit", "digits", "check", "organisation", "organisations", "service", "services", "workshops",
    "macro-areas", "text", "number", "numbers", "dates", "line", "lines", "sheet", "sheets", "column", "columns",
    "row", "rows", "whole", "empty", "list", "mapping", "key", "keys", "value", "values", "already", "never",
    "issued", "holder", "damaged", "read", "save", "open", "protected", "truncated", "page", "perhaps", "renamed",
    "old", "directory", "such", "permission", "denied", "error", "while", "parsing", "scanning", "expecting",
    "unexpected", "end", "stream", "document", "find", "allowed", "indentation", "quoted", "scalar",
    "block", "flow", "sequence", "plain", "between", "before", "after", "first", "last", "name", "yes",
    "rectangle", "reaches", "overlaps", "fits", "below", "needs", "need", "sections", "section", "saved",
    "spreadsheet", "again", "compressed", "over",
}

# Parameters whose values are the user's own words or the format's tokens (ids, field names,
# column labels, file names, names of people): whatever language they are in is not "English left".
USER_PARAMS = ("value", "id", "company", "key", "tag", "name", "holder", "text", "field", "column", "columns",
                 "range", "first", "which", "known", "font", "character", "role", "later_field", "earlier_field",
                 "card", "later", "earlier")
QUOTED = re.compile(r"(?<![\w])'[^']*'|\"[^\"]*\"|«[^»]*»")
PATH = re.compile(r"\S*/\S*|\S+\.(?:yaml|xlsx|jsonl|head|pub)\b")


def english_left(problem: Problem) -> set[str]:
    """The English words of the problem's Italian message, once quoted text, file names and values
    from the user's files are taken out."""
    message = problem.message("it")
    params = dict(problem.params)
    for name in USER_PARAMS:
        if isinstance(params.get(name), str) and params[name]:
            message = message.replace(params[name], " ")
    message = PATH.sub(" ", QUOTED.sub(" ", message))
    return {word for word in re.findall(r"[A-Za-z][A-Za-z'_-]*", message) if word.lower() in ENGLISH}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_italian_message_has_no_english_left(case, broken):
    messages = [p for p in broken(case) if p.code == case.code]
    assert messages
    assert [(p.message("it"), english_left(p)) for p in messages if english_left(p)] == []


def test_english_left_finds_english_but_not_in_the_users_words():
    leaking = problem("invalid-codice-fiscale", Location(WORKBOOK, sheet="Dipendenti", cell="C2"),
                      value="RSSMRA", reason="wrong length: 16 characters expected", reason_it="wrong length")
    assert english_left(leaking) == {"wrong", "length"}
    quoting = problem("unknown-survey-company", Location("members/survey.xlsx", sheet="Risposte", cell="A2"),
                      company="The Best Company Of All")
    assert english_left(quoting) == set()
