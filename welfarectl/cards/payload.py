"""The signed QR payload of a welfare card, format version 1 (docs/card-qr.md).

Body, 15 bytes, big-endian:
    version u8 (= 1) | key id 4 bytes | network tag 4 bytes | card number u32 | expiry u16
where the network tag is SHA-256(network id, UTF-8)[:4], the card number is the 8-digit number
as an integer and the expiry counts days since 2000-01-01. The 64-byte Ed25519 signature of the
body follows. Text = "WC1:" + base45(body + signature) (RFC 9285): 123 characters, all in the
QR alphanumeric set. No personal data: no name, no company, no codice fiscale.

Verification needs only the public keys and the revocation list, and reports the first failing
check in this order: malformed, unknown-key, bad-signature, other-network, revoked, expired.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import quote, unquote

import base45
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from welfarectl.base.italian import format_day
from welfarectl.pdf import qrmatrix

from .keys import SigningKey
from .number import is_card_number

PREFIX = "WC1:"
VERSION = 1
EPOCH = date(2000, 1, 1)
_BODY = struct.Struct(">B4s4sIH")
BODY_LENGTH = _BODY.size  # 15
SIGNATURE_LENGTH = 64
PAYLOAD_LENGTH = BODY_LENGTH + SIGNATURE_LENGTH  # 79 bytes, 119 base45 characters
_BASE45 = frozenset(base45.BASE45_CHARSET)

# Every card's QR code has the same version and level, so that one layout check (the module size)
# covers every printed code: 123 alphanumeric characters need version 6 at level M, 41 × 41 modules.
QR_CHARS = len(PREFIX) + len(base45.b45encode(bytes(PAYLOAD_LENGTH)))
QR_VERSION = qrmatrix.version_for(QR_CHARS)
QR_LEVEL = "M"  # 15 % of the symbol may be damaged
QR_MODULES = qrmatrix.modules_of(QR_VERSION)

STATUSES = ("valid", "malformed", "bad-signature", "unknown-key", "other-network", "expired", "revoked",
            "revocation-unchecked")
EXIT_CODES = {"valid": 0, "malformed": 3, "bad-signature": 4, "unknown-key": 5,
              "other-network": 6, "expired": 7, "revoked": 8, "revocation-unchecked": 9}


class MalformedPayload(ValueError):
    """The text is not a version-1 card payload; the message says which rule it breaks, in
    English (`str()`) and in Italian (`it`)."""

    def __init__(self, en: str, it: str) -> None:
        super().__init__(en)
        self.it = it


@dataclass(frozen=True, slots=True)
class Decoded:
    version: int
    key_id: str  # 8 hex characters
    network_tag: str  # 8 hex characters
    card_number: str  # 8 digits
    expires: date
    body: bytes  # the 15 signed bytes
    signature: bytes  # 64 bytes


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of verifying a payload. `card` and `expires` are set only once the signature
    has verified (other-network, revoked, expired, valid): before that they are mere claims."""

    status: str
    card: str | None
    expires: date | None
    key_id: str | None
    detail: str
    detail_it: str = ""  # the detail in Italian, for people; `detail` stays English for JSON

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]


# With a network's `verify_url` a card's QR code holds a link to the verifier page, the payload in
# its fragment: verify_url + "#" + the payload with its spaces and percent signs percent-encoded
# (%20, %25), the other base45 characters as they are. The encoder puts the URL in byte mode (or
# alphanumeric, for an upper-case URL) and the payload in alphanumeric mode, so each escaped
# character costs 11 bits more. The version of a network's codes holds up to URL_ESCAPES of them;
# a payload with more (about one in 20 million: a base45 character is a space or a % with odds of
# 2 in 45, and only two characters in three can be; 3.5 on average) is printed without the link, in
# that version, and still verifies when scanned from the page.
URL_SAFE = "$*+-./:"  # the base45 characters a URL fragment keeps as they are
URL_ESCAPES = 16


def qr_text(payload: str, verify_url: str | None = None) -> str:
    """What a card's QR code holds: the payload, or with a `verify_url` the link that opens the
    verifier page on it (see URL_ESCAPES)."""
    if verify_url is None or payload.count(" ") + payload.count("%") > URL_ESCAPES:
        return payload
    return f"{verify_url}#{quote(payload, safe=URL_SAFE)}"


def payloads_in(text: str) -> list[str]:
    """The payloads a QR code's text or a link may hold, most likely first: a link's fragment
    percent-decoded (as `qr_text` writes it), with only its %20 decoded (as an address bar leaves a
    hand-typed one), or as it is, surrounding whitespace ignored; else the text itself, as it is."""
    _, hash_, fragment = text.strip().partition("#")
    if not hash_ or text.startswith(PREFIX):
        return [text]
    fragment = fragment.strip()
    return list(dict.fromkeys([unquote(fragment, errors="replace") if _percent_encoded(fragment) else fragment,
                               fragment.replace("%20", " "), fragment]))


def _percent_encoded(text: str) -> bool:
    """Every % starts an escape of two hex digits (else the text was not percent-encoded)."""
    return all(len(part) >= 2 and all(c in "0123456789abcdefABCDEF" for c in part[:2]) for part in text.split("%")[1:])


@lru_cache(maxsize=8)
def qr_version(verify_url: str | None = None) -> int:
    """The QR version of every card of a network: QR_VERSION for the bare payload, else the
    smallest that holds the link with URL_ESCAPES escaped characters, as the encoder segments it."""
    if verify_url is None:
        return QR_VERSION
    widest = f"{verify_url}#{PREFIX}" + "%2A" * URL_ESCAPES + "A" * (QR_CHARS - len(PREFIX) - URL_ESCAPES)  # no digit runs
    return qrmatrix.version_of(qrmatrix.qr_matrix(widest, 0, QR_LEVEL))


def card_qr_matrix(text: str) -> bytes:
    """The QR symbol of a card's QR text (`qr_text`), at the version and level every card of its
    network uses."""
    url = None if text.startswith(PREFIX) else text.partition("#")[0]
    return qrmatrix.qr_matrix(text, qr_version(url), QR_LEVEL)


def network_tag(network_id: str) -> bytes:
    """The first 4 bytes of SHA-256 of the network id in UTF-8."""
    return hashlib.sha256(network_id.encode("utf-8")).digest()[:4]


def encode_body(card_number: str, expires: date, network_id: str, key_id: str) -> bytes:
    """The 15 signed bytes. Raises ValueError for a card number that is not 8 digits with a valid
    Damm check digit, or an expiry outside 2000-01-01 .. 2179-06-06."""
    if not is_card_number(card_number):
        raise ValueError(f"not a card number (8 digits, Damm): {card_number!r}")
    days = (expires - EPOCH).days
    if not 0 <= days <= 0xFFFF:
        raise ValueError(f"expiry {expires} is outside what 16 bits of days since {EPOCH} can hold")
    return _BODY.pack(VERSION, bytes.fromhex(key_id), network_tag(network_id), int(card_number), days)


def encode_payload(card_number: str, expires: date, network_id: str, key: SigningKey) -> str:
    """The QR text of one card: "WC1:" + base45(body + Ed25519 signature of the body)."""
    body = encode_body(card_number, expires, network_id, key.key_id)
    return PREFIX + base45.b45encode(body + key.sign(body)).decode("ascii")


def decode_payload(text: str) -> Decoded:
    """Split a payload into its fields, without checking the signature.

    Raises MalformedPayload when the prefix is not "WC1:", a character is outside the base45
    alphabet or the groups do not decode, the bytes are not 79 long, the version is not 1, or
    the card number fails its check digit.
    """
    if not text.startswith(PREFIX):
        raise MalformedPayload(f"does not start with {PREFIX}", f"non inizia con {PREFIX}")
    encoded = text[len(PREFIX):]
    stray = sorted(set(encoded) - _BASE45)
    if stray:
        raise MalformedPayload(f"characters outside the base45 alphabet: {''.join(stray)!r}",
                               f"caratteri estranei all'alfabeto base45: {''.join(stray)!r}")
    try:
        data = base45.b45decode(encoded)
    except ValueError:
        raise MalformedPayload("not valid base45", "non è base45 valido") from None
    if len(data) != PAYLOAD_LENGTH:
        raise MalformedPayload(f"{len(data)} bytes instead of {PAYLOAD_LENGTH}", f"{len(data)} byte invece di {PAYLOAD_LENGTH}")
    body, signature = data[:BODY_LENGTH], data[BODY_LENGTH:]
    version, key_id, tag, number, days = _BODY.unpack(body)
    if version != VERSION:
        raise MalformedPayload(f"format version {version} is not supported (only {VERSION})",
                               f"la versione {version} del formato non è supportata (solo la {VERSION})")
    card_number = f"{number:08d}"
    if len(card_number) > 8:
        raise MalformedPayload(f"card number {card_number} has more than 8 digits",
                               f"il numero di tessera {card_number} ha più di 8 cifre")
    if not is_card_number(card_number):
        raise MalformedPayload(f"card number {card_number} fails its check digit",
                               f"il numero di tessera {card_number} ha la cifra di controllo sbagliata")
    return Decoded(version, key_id.hex(), tag.hex(), card_number, EPOCH + timedelta(days=days), body, signature)


def verify_payload(text: str, public_keys: Mapping[str, Ed25519PublicKey], network_id: str,
                   revoked: Mapping[str, date] | None, today: date) -> Verdict:
    """Check a payload (or a link to the verifier page holding one, see `payloads_in`) in the order
    malformed, unknown-key, bad-signature, other-network,
    revoked, expired; the first failing check gives the status, else it is valid.
    A card is expired when its expiry is before `today`; revoked when it is in `revoked`. With
    `revoked` None (no revocation list at hand) a card that passes every other check is
    `revocation-unchecked`, never `valid`: it may have been revoked."""
    verdicts = [_verify_one(payload, public_keys, network_id, revoked, today) for payload in payloads_in(text)]
    return next((verdict for verdict in verdicts if verdict.status != "malformed"), verdicts[0])


def _verify_one(text: str, public_keys: Mapping[str, Ed25519PublicKey], network_id: str,
                revoked: Mapping[str, date] | None, today: date) -> Verdict:
    try:
        decoded = decode_payload(text)
    except MalformedPayload as error:
        return Verdict("malformed", None, None, None, str(error), error.it)
    key_id = decoded.key_id
    public_key = public_keys.get(key_id)
    if public_key is None:
        return Verdict("unknown-key", None, None, key_id, f"no public key with id {key_id} in catalogue/keys/",
                       f"nessuna chiave pubblica con identificativo {key_id} in catalogue/keys/")
    try:
        public_key.verify(decoded.signature, decoded.body)
    except InvalidSignature:
        return Verdict("bad-signature", None, None, key_id, f"the signature does not match key {key_id}",
                       f"la firma non corrisponde alla chiave {key_id}")
    card, expires = decoded.card_number, decoded.expires
    if decoded.network_tag != network_tag(network_id).hex():
        return Verdict("other-network", card, expires, key_id, f"signed for another network, not {network_id}",
                       f"firmata per un'altra rete, non per {network_id}")
    if revoked is not None and card in revoked:
        return Verdict("revoked", card, expires, key_id, f"revoked on {format_day(revoked[card])}",
                       f"revocata il {format_day(revoked[card])}")
    if expires < today:
        return Verdict("expired", card, expires, key_id, f"expired on {format_day(expires)}",
                       f"scaduta il {format_day(expires)}")
    if revoked is None:
        return Verdict("revocation-unchecked", card, expires, key_id,
                       f"genuine and valid until {format_day(expires)}, but not checked against a revocation list",
                       f"autentica e valida fino al {format_day(expires)}, ma non controllata con un elenco di revoche")
    return Verdict("valid", card, expires, key_id, f"valid until {format_day(expires)}", f"valida fino al {format_day(expires)}")
