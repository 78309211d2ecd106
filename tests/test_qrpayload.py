"""The signed QR payload: the byte format, decoding rules, verification statuses and their order,
and the published test vector of docs/card-qr.md."""

import json
import re
from datetime import date, timedelta
from pathlib import Path

import base45
import pytest
from cardkeys import published_block, signing_key, vector_key
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PublicKey,
)

from welfarectl.cards.keys import SigningKey, public_key_pem
from welfarectl.cards.payload import (
    EXIT_CODES,
    MalformedPayload,
    decode_payload,
    encode_payload,
    network_tag,
    verify_payload,
)

ROOT = Path(__file__).resolve().parent.parent
NETWORK = "welfare-modena"
CARD = "10000004"  # serial 1000000, Damm check digit 4
EXPIRES = date(2028, 11, 30)
TODAY = date(2026, 6, 1)
QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


KEY = signing_key(1)
PUBLIC = {KEY.key_id: KEY.public_key}


def verify(text: str, public=PUBLIC, network=NETWORK, revoked=None, today=TODAY):
    return verify_payload(text, public, network, revoked or {}, today)


def signed_text(body: bytes, key: SigningKey = KEY) -> str:
    """A payload of arbitrary body bytes, correctly signed: to reach checks after the signature."""
    return "WC1:" + base45.b45encode(body + key.sign(body)).decode()


def test_round_trip():
    text = encode_payload(CARD, EXPIRES, NETWORK, KEY)
    decoded = decode_payload(text)
    assert (decoded.version, decoded.key_id, decoded.network_tag, decoded.card_number, decoded.expires) == \
        (1, KEY.key_id, network_tag(NETWORK).hex(), CARD, EXPIRES)
    assert len(decoded.body) == 15 and len(decoded.signature) == 64
    verdict = verify(text)
    assert (verdict.status, verdict.card, verdict.expires, verdict.key_id) == ("valid", CARD, EXPIRES, KEY.key_id)
    assert verdict.exit_code == 0


def test_the_text_is_123_characters_all_in_the_qr_alphanumeric_set():
    text = encode_payload(CARD, EXPIRES, NETWORK, KEY)
    assert text.startswith("WC1:") and len(text) == 123
    assert set(text) <= QR_ALPHANUMERIC


def test_the_text_never_ends_with_a_space_so_trimming_it_is_safe():
    for seed in range(20):
        text = encode_payload(CARD, EXPIRES + timedelta(days=seed), NETWORK, signing_key(seed))
        assert text[-1] in "012345" and text == text.strip()


def test_encoding_is_deterministic():
    assert encode_payload(CARD, EXPIRES, NETWORK, KEY) == encode_payload(CARD, EXPIRES, NETWORK, KEY)


@pytest.mark.parametrize("card", ["10000005", "1000000", "100000045", "1000 0004", "１0000004", ""])
def test_encoding_refuses_what_is_not_a_card_number(card):
    with pytest.raises(ValueError, match="card number"):
        encode_payload(card, EXPIRES, NETWORK, KEY)


@pytest.mark.parametrize("expires", [date(1999, 12, 31), date(2000, 1, 1) + timedelta(days=65536)])
def test_encoding_refuses_an_expiry_that_does_not_fit_16_bits(expires):
    with pytest.raises(ValueError, match="expiry"):
        encode_payload(CARD, expires, NETWORK, KEY)


ANY_79_BYTES = base45.b45encode(bytes(range(79))).decode()


def body(version=1, key_id=KEY.key_id, network=NETWORK, card=int(CARD), days=10561) -> bytes:
    return bytes([version]) + bytes.fromhex(key_id) + network_tag(network) + card.to_bytes(4, "big") + \
        days.to_bytes(2, "big")


@pytest.mark.parametrize("text, reason", [
    ("", "does not start with WC1:"),
    ("HC1:" + ANY_79_BYTES, "does not start with WC1:"),
    ("wc1:" + ANY_79_BYTES, "does not start with WC1:"),
    ("WC2:" + ANY_79_BYTES, "does not start with WC1:"),
    (" WC1:" + ANY_79_BYTES, "does not start with WC1:"),
    ("WC1:" + ANY_79_BYTES.lower(), "outside the base45 alphabet"),
    ("WC1:" + ANY_79_BYTES + "\n", "outside the base45 alphabet"),
    ("WC1:" + ":::" * 39 + "00", "not valid base45"),
    ("WC1:" + ANY_79_BYTES + "00", "not valid base45"),
    ("WC1:" + base45.b45encode(bytes(78)).decode(), "78 bytes instead of 79"),
    ("WC1:" + base45.b45encode(bytes(80)).decode(), "80 bytes instead of 79"),
    ("WC1:", "0 bytes instead of 79"),
    (signed_text(body(version=2)), "format version 2 is not supported"),
    (signed_text(body(version=0)), "format version 0 is not supported"),
    (signed_text(body(card=10000005)), "card number 10000005 fails its check digit"),
    (signed_text(body(card=4294967295)), "card number 4294967295 has more than 8 digits"),
])
def test_malformed_payloads_are_rejected_with_the_reason(text, reason):
    with pytest.raises(MalformedPayload, match=re.escape(reason)):
        decode_payload(text)
    verdict = verify(text)
    assert (verdict.status, verdict.card, verdict.key_id, verdict.exit_code) == ("malformed", None, None, 3)
    assert reason in verdict.detail


def expected_status_after_changing(position: int, data: bytes) -> set[str]:
    """Which status a change at `position` of body + signature must give (never valid)."""
    if position == 0:
        return {"malformed"}  # version
    if position <= 4:
        return {"unknown-key"}  # key id
    if 9 <= position <= 12:
        return {"malformed", "bad-signature"}  # card number: check digit, or signature
    return {"bad-signature"}  # network tag, expiry, signature


def test_every_single_byte_change_of_the_signed_bytes_is_rejected():
    original = base45.b45decode(encode_payload(CARD, EXPIRES, NETWORK, KEY)[4:])
    checked = 0
    for position in range(len(original)):
        # every other value in the 15-byte body; each bit and the complement in the signature
        values = range(256) if position < 15 else [original[position] ^ (1 << bit) for bit in range(8)] + \
            [original[position] ^ 0xFF]
        for value in values:
            if value == original[position]:
                continue
            data = bytearray(original)
            data[position] = value
            verdict = verify("WC1:" + base45.b45encode(bytes(data)).decode())
            assert verdict.status in expected_status_after_changing(position, original), (position, value, verdict)
            checked += 1
    assert checked == 15 * 255 + 64 * 9


def test_every_one_character_change_of_the_text_is_rejected():
    text = encode_payload(CARD, EXPIRES, NETWORK, KEY)
    alphabet = sorted(QR_ALPHANUMERIC)
    for position in range(len(text)):
        replacement = alphabet[(alphabet.index(text[position]) + 1) % len(alphabet)]
        changed = text[:position] + replacement + text[position + 1:]
        verdict = verify(changed)
        assert verdict.status in {"malformed", "unknown-key", "bad-signature"}, (position, verdict)
        assert verdict.card is None


def test_expired_when_the_expiry_is_before_today_not_on_it():
    text = encode_payload(CARD, EXPIRES, NETWORK, KEY)
    assert verify(text, today=EXPIRES).status == "valid"
    verdict = verify(text, today=EXPIRES + timedelta(days=1))
    assert (verdict.status, verdict.card, verdict.exit_code) == ("expired", CARD, 7)
    assert verdict.detail == "expired on 30/11/2028"


def test_revoked_cards_are_reported_with_their_date_and_before_expiry():
    text = encode_payload(CARD, EXPIRES, NETWORK, KEY)
    revoked = {CARD: date(2026, 3, 1)}
    verdict = verify(text, revoked=revoked)
    assert (verdict.status, verdict.card, verdict.exit_code, verdict.detail) == \
        ("revoked", CARD, 8, "revoked on 01/03/2026")
    assert verify(text, revoked=revoked, today=date(2030, 1, 1)).status == "revoked"
    assert verify(text, revoked={"10000012": date(2026, 3, 1)}).status == "valid"


def test_a_key_not_among_the_public_keys_is_unknown():
    text = encode_payload(CARD, EXPIRES, NETWORK, signing_key(2))
    verdict = verify(text)
    assert (verdict.status, verdict.key_id, verdict.card, verdict.exit_code) == \
        ("unknown-key", signing_key(2).key_id, None, 5)


def test_a_signature_by_another_key_under_a_known_key_id_is_a_bad_signature():
    impostor = SigningKey(KEY.key_id, signing_key(3).private_key, Path("/unused"))
    verdict = verify(encode_payload(CARD, EXPIRES, NETWORK, impostor))
    assert (verdict.status, verdict.card, verdict.exit_code) == ("bad-signature", None, 4)


def test_a_card_of_another_network_is_reported_after_the_signature_and_before_revocation():
    text = encode_payload(CARD, EXPIRES, "welfare-bologna", KEY)
    verdict = verify(text, revoked={CARD: date(2026, 1, 1)}, today=date(2030, 1, 1))
    assert (verdict.status, verdict.exit_code) == ("other-network", 6)


def test_after_rotation_cards_of_both_keys_verify():
    old, new = signing_key(4), signing_key(5)
    public = {old.key_id: old.public_key, new.key_id: new.public_key}
    for key in (old, new):
        verdict = verify(encode_payload(CARD, EXPIRES, NETWORK, key), public=public)
        assert (verdict.status, verdict.key_id) == ("valid", key.key_id)


def test_every_status_has_its_own_exit_code():
    assert EXIT_CODES == {"valid": 0, "malformed": 3, "bad-signature": 4, "unknown-key": 5,
                          "other-network": 6, "expired": 7, "revoked": 8, "revocation-unchecked": 9}


# --- the published test vector ---------------------------------------------------------------

def test_the_published_vector_is_what_the_code_produces():
    vector = json.loads(published_block("qr"))
    key = vector_key()
    raw_public = key.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    expires = date.fromisoformat(vector["expires"])
    text = encode_payload(vector["card"], expires, vector["network"], key)
    decoded = decode_payload(text)
    produced = {
        "seed": vector["seed"],
        "public_key": raw_public.hex(),
        "key_id": key.key_id,
        "network": vector["network"],
        "network_tag": decoded.network_tag,
        "card": decoded.card_number,
        "expires": decoded.expires.isoformat(),
        "expires_days": (decoded.expires - date(2000, 1, 1)).days,
        "body": decoded.body.hex(),
        "signature": decoded.signature.hex(),
        "payload": text,
    }
    assert vector == produced
    assert published_block("qr-public-key") == public_key_pem(key.public_key).decode().rstrip("\n")


def test_the_published_vector_verifies_by_the_documented_steps_alone():
    """What a third-party verifier would do, with base45 and cryptography and nothing of welfarectl."""
    vector = json.loads(published_block("qr"))
    public = serialization.load_pem_public_key(published_block("qr-public-key").encode())
    assert isinstance(public, Ed25519PublicKey)
    data = base45.b45decode(vector["payload"].removeprefix("WC1:"))
    signed, signature = data[:15], data[15:]
    public.verify(signature, signed)
    assert signed[0] == 1
    assert signed[1:5].hex() == vector["key_id"]
    import hashlib

    assert signed[5:9] == hashlib.sha256(vector["network"].encode()).digest()[:4]
    assert f"{int.from_bytes(signed[9:13], 'big'):08d}" == vector["card"]
    assert date(2000, 1, 1) + timedelta(days=int.from_bytes(signed[13:15], "big")) == date.fromisoformat(vector["expires"])


def test_the_documented_verifier_sketch_agrees_with_the_code():
    doc = (ROOT / "docs" / "card-qr.md").read_text(encoding="utf-8")
    sketch = re.search(r"## A verifier in a few lines \(Python\)\n\n```python\n(.*?)\n```", doc, re.DOTALL).group(1)
    namespace: dict = {}
    exec(sketch, namespace)  # noqa: S102 - our own documentation
    vector = json.loads(published_block("qr"))
    pems = {vector["key_id"]: published_block("qr-public-key").encode()}
    expires = date.fromisoformat(vector["expires"])
    other_key = signing_key(2)
    cases = [
        (vector["payload"], {}, expires),
        (vector["payload"], {}, expires + timedelta(days=1)),
        (vector["payload"], {vector["card"]: expires}, expires),
        (vector["payload"][:-1] + "1", {}, expires),
        ("WC1:" + vector["payload"][5:], {}, expires),
        (encode_payload(CARD, EXPIRES, NETWORK, other_key), {}, expires),
    ]
    public = {vector["key_id"]: serialization.load_pem_public_key(pems[vector["key_id"]])}
    for text, revoked, today in cases:
        ours = verify_payload(text, public, vector["network"], revoked, today).status
        assert namespace["verify_card"](text, pems, vector["network"], revoked, today) == ours
    assert namespace["verify_card"](vector["payload"], pems, "welfare-bologna", {}, expires) == "other-network"
    revocations = namespace["read_revocations"](published_block("revocations").encode(), pems)
    assert revocations == {"10000012": "2026-01-10", "10000036": "2026-02-02"}
