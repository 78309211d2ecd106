"""The signed revocation list providers use beside the public keys (docs/card-qr.md).

One JSON object, UTF-8:
    {"format": "welfarectl-revocations/1", "network": ID, "key_id": KID, "issued": "YYYY-MM-DD",
     "revoked": [{"card": "10000004", "date": "YYYY-MM-DD"}, ...], "signature": BASE64}
Rules:
- `revoked` is sorted by card number, each card once; it carries card numbers and dates only,
  never reasons or names (providers get no personal data).
- The canonical form of an object is `json.dumps(obj, sort_keys=True, separators=(",", ":"),
  ensure_ascii=False)` encoded as UTF-8. The file is the canonical form of the whole object
  plus a newline; the signature is Ed25519, by key `key_id`, over the canonical form of the
  object without "signature", in standard base64 with padding.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from welfarectl.base.output import check_target, write_bytes_atomic

from .keys import SigningKey, is_key_id
from .number import is_card_number
from .registry import RegistryDamaged

FORMAT = "welfarectl-revocations/1"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FIELDS = {"format", "network", "key_id", "issued", "revoked", "signature"}


class InvalidRevocationList(ValueError):
    """The revocation list is not well formed, names an unknown key, or its signature fails: why,
    in English (`str()`) and in Italian (`it`)."""

    def __init__(self, en: str, it: str) -> None:
        super().__init__(en)
        self.it = it


def canonical_json(obj: object) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8 (not \\u escapes)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def build_revocation_list(network_id: str, revoked: Mapping[str, date], key: SigningKey, issued: date) -> bytes:
    """The signed list of `revoked` (card number -> revocation date), issued on `issued`."""
    for card in revoked:
        if not is_card_number(card):
            raise ValueError(f"not a card number (8 digits, Damm check digit): {card!r}")
    unsigned = {
        "format": FORMAT,
        "network": network_id,
        "key_id": key.key_id,
        "issued": issued.isoformat(),
        "revoked": [{"card": card, "date": revoked[card].isoformat()} for card in sorted(revoked)],
    }
    signature = base64.b64encode(key.sign(canonical_json(unsigned))).decode("ascii")
    return canonical_json({**unsigned, "signature": signature}) + b"\n"


def signed_revocation_list(network, key: SigningKey) -> tuple[bytes, int]:
    """The signed list of the network's revoked cards, issued on `network.as_of`, and how many
    cards it lists. Refuses a damaged registry."""
    if network.registry.problems:
        raise RegistryDamaged(network.registry.problems)
    revoked = network.registry.revoked()
    return build_revocation_list(network.settings.id, revoked, key, network.as_of), len(revoked)


def publish_revocation_list(network, key: SigningKey, target: Path) -> int:
    """Write the signed list (`signed_revocation_list`) to `target` atomically; returns how many
    cards it lists."""
    check_target(target)
    data, count = signed_revocation_list(network, key)
    write_bytes_atomic(target, data)
    return count


def read_revocation_list(data: bytes, public_keys: Mapping[str, Ed25519PublicKey],
                         network_id: str | None = None) -> dict[str, date]:
    """Card number -> revocation date, from a signed list (see `read_signed_list`)."""
    return read_signed_list(data, public_keys, network_id)[1]


def read_signed_list(data: bytes, public_keys: Mapping[str, Ed25519PublicKey],
                     network_id: str | None = None) -> tuple[date, dict[str, date]]:
    """The day the list was issued, and card number -> revocation date, from a list whose
    signature verifies with one of `public_keys` (and, when `network_id` is given, that was
    issued for that network).

    Raises InvalidRevocationList for anything else: not UTF-8 JSON, fields missing or extra,
    another format, an unknown key, a bad signature, a malformed card number or date, cards
    out of order or repeated.
    """
    document = _parse(data)
    public_key = public_keys.get(document["key_id"])
    if public_key is None:
        raise InvalidRevocationList(f"signed with key {document['key_id']}, which is not in catalogue/keys/",
                                    f"firmato con la chiave {document['key_id']}, che non è in catalogue/keys/")
    unsigned = {name: value for name, value in document.items() if name != "signature"}
    try:
        public_key.verify(_signature(document["signature"]), canonical_json(unsigned))
    except InvalidSignature:
        raise InvalidRevocationList(f"the signature does not match key {document['key_id']}: "
                                    "the list was altered or signed by another key",
                                    f"la firma non corrisponde alla chiave {document['key_id']}: l'elenco è stato "
                                    "alterato o firmato con un'altra chiave") from None
    if network_id is not None and document["network"] != network_id:
        raise InvalidRevocationList(f"issued for network {document['network']!r}, not {network_id!r}",
                                    f"emesso per la rete {document['network']!r}, non per {network_id!r}")
    return _parse_date(document["issued"], "issued"), _entries(document["revoked"])


def _parse(data: bytes) -> dict:
    """The JSON object with exactly the format's fields, each of the right type."""
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidRevocationList(f"not UTF-8 JSON: {error}", f"non è JSON in UTF-8: «{error}»") from None
    if not isinstance(document, dict):
        raise InvalidRevocationList("not a JSON object", "non è un oggetto JSON")
    if set(document) != _FIELDS:
        missing, extra = sorted(_FIELDS - set(document)), sorted(set(document) - _FIELDS)
        raise InvalidRevocationList(f"fields missing {missing}, unexpected {extra}",
                                    f"campi mancanti {missing}, inattesi {extra}")
    if document["format"] != FORMAT:
        raise InvalidRevocationList(f"format {document['format']!r} is not {FORMAT!r}",
                                    f"il formato {document['format']!r} non è {FORMAT!r}")
    for name in ("network", "key_id", "issued", "signature"):
        if not isinstance(document[name], str):
            raise InvalidRevocationList(f"{name} is not a string", f"{name} non è un testo")
    if not is_key_id(document["key_id"]):
        raise InvalidRevocationList(f"key_id {document['key_id']!r} is not 8 hex characters",
                                    f"key_id {document['key_id']!r} non è di 8 caratteri esadecimali")
    if not isinstance(document["revoked"], list):
        raise InvalidRevocationList("revoked is not a list", "revoked non è una lista")
    return document


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _signature(text: str) -> bytes:
    try:
        signature = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise InvalidRevocationList("the signature is not base64", "la firma non è in base64") from None
    if len(signature) != 64:
        raise InvalidRevocationList(f"the signature has {len(signature)} bytes instead of 64",
                                    f"la firma ha {len(signature)} byte invece di 64")
    return signature


def _entries(revoked: list) -> dict[str, date]:
    """Each entry is {"card", "date"}, cards valid and strictly increasing."""
    found: dict[str, date] = {}
    previous = ""
    for index, entry in enumerate(revoked):
        if not isinstance(entry, dict) or set(entry) != {"card", "date"}:
            raise InvalidRevocationList(f"revoked[{index}] is not {{\"card\", \"date\"}}",
                                        f"revoked[{index}] non è {{\"card\", \"date\"}}")
        card = entry["card"]
        if not isinstance(card, str) or not is_card_number(card):
            raise InvalidRevocationList(f"revoked[{index}]: {card!r} is not a card number",
                                        f"revoked[{index}]: {card!r} non è un numero di tessera")
        if card <= previous:
            raise InvalidRevocationList(f"revoked[{index}]: card {card} is out of order or repeated",
                                        f"revoked[{index}]: la tessera {card} è fuori ordine o ripetuta")
        found[card] = _parse_date(entry["date"], f"revoked[{index}].date")
        previous = card
    return found


def _parse_date(value: object, field: str) -> date:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidRevocationList(f"{field}: {value!r} is not a date YYYY-MM-DD",
                                f"{field}: {value!r} non è una data AAAA-MM-GG")
