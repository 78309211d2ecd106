"""The signed revocation list: its exact format, tampering detection, and verification from the
documented canonicalisation with `cryptography` alone."""

import base64
import json
import re
from datetime import date
from pathlib import Path

import pytest
from cardkeys import published_block, signing_key, vector_key
from cryptography.exceptions import InvalidSignature

from welfarectl.cards.keys import SigningKey
from welfarectl.cards.revocations import InvalidRevocationList, build_revocation_list, read_revocation_list

ROOT = Path(__file__).resolve().parent.parent
NETWORK = "welfare-modena"
ISSUED = date(2026, 1, 15)
REVOKED = {"10000036": date(2026, 1, 10), "10000012": date(2025, 11, 3)}


KEY = signing_key(1)
PUBLIC = {KEY.key_id: KEY.public_key}


def built(revoked=REVOKED, key=KEY) -> bytes:
    return build_revocation_list(NETWORK, revoked, key, ISSUED)


def test_the_list_is_one_canonical_json_line_sorted_by_card_without_reasons_or_names():
    data = built()
    assert data.endswith(b"}\n") and data.count(b"\n") == 1
    document = json.loads(data)
    assert list(document) == sorted(document)
    assert document["format"] == "welfarectl-revocations/1"
    assert (document["network"], document["key_id"], document["issued"]) == (NETWORK, KEY.key_id, "2026-01-15")
    assert document["revoked"] == [{"card": "10000012", "date": "2025-11-03"},
                                   {"card": "10000036", "date": "2026-01-10"}]
    assert data == json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def test_round_trip():
    assert read_revocation_list(built(), PUBLIC) == REVOKED
    assert read_revocation_list(built(), PUBLIC, network_id=NETWORK) == REVOKED
    assert read_revocation_list(built({}), PUBLIC) == {}


def test_building_is_deterministic():
    assert built() == built()


def test_the_signature_verifies_with_cryptography_from_the_documented_canonicalisation():
    document = json.loads(built())
    signature = base64.b64decode(document.pop("signature"))
    signed = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    KEY.public_key.verify(signature, signed)
    with pytest.raises(InvalidSignature):
        KEY.public_key.verify(signature, signed.replace(b"2026-01-10", b"2026-01-11"))


def tampered(change) -> bytes:
    """The list with `change` applied to its parsed object, re-serialised, the signature kept."""
    document = json.loads(built())
    change(document)
    return json.dumps(document).encode()


@pytest.mark.parametrize("change", [
    lambda d: d["revoked"][0].update(date="2025-11-04"),
    lambda d: d["revoked"].pop(0),
    lambda d: d["revoked"].pop(),
    lambda d: d.update(revoked=[]),
    lambda d: d["revoked"].append({"card": "10000045", "date": "2026-01-12"}),
    lambda d: d.update(issued="2026-01-16"),
    lambda d: d.update(network="welfare-bologna"),
], ids=["date-changed", "first-card-removed", "last-card-removed", "emptied", "card-added", "issued-changed",
        "network-changed"])
def test_a_tampered_list_is_rejected(change):
    with pytest.raises(InvalidRevocationList, match="signature does not match"):
        read_revocation_list(tampered(change), PUBLIC)


def test_whitespace_does_not_matter_since_the_parsed_object_is_canonicalised():
    pretty = json.dumps(json.loads(built()), indent=2).encode()
    assert read_revocation_list(pretty, PUBLIC) == REVOKED


def test_a_list_signed_by_an_unknown_key_is_rejected():
    other = signing_key(2)
    with pytest.raises(InvalidRevocationList, match=f"signed with key {other.key_id}"):
        read_revocation_list(built(key=other), PUBLIC)


def test_a_list_signed_by_another_key_under_a_known_key_id_is_rejected():
    impostor = SigningKey(KEY.key_id, signing_key(3).private_key, Path("/unused"))
    with pytest.raises(InvalidRevocationList, match="signature does not match"):
        read_revocation_list(built(key=impostor), PUBLIC)


def test_a_list_for_another_network_is_rejected_when_the_network_is_given():
    data = build_revocation_list("welfare-bologna", REVOKED, KEY, ISSUED)
    with pytest.raises(InvalidRevocationList, match="issued for network 'welfare-bologna'"):
        read_revocation_list(data, PUBLIC, network_id=NETWORK)


def resigned(change) -> bytes:
    """A list changed and signed again by the right key: to reach the checks after the signature."""
    document = json.loads(built())
    del document["signature"]
    change(document)
    signed = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    document["signature"] = base64.b64encode(KEY.sign(signed)).decode()
    return json.dumps(document).encode()


@pytest.mark.parametrize("data, reason", [
    (b"\xff", "not UTF-8 JSON"),
    (b"{", "not UTF-8 JSON"),
    (b"[]", "not a JSON object"),
    (b'{"format": NaN}', "not UTF-8 JSON"),
    (tampered(lambda d: d.pop("signature")), "fields missing ['signature']"),
    (tampered(lambda d: d.update(reason="lost")), "unexpected ['reason']"),
    (tampered(lambda d: d.update(format="welfarectl-revocations/2")), "is not 'welfarectl-revocations/1'"),
    (tampered(lambda d: d.update(key_id="XYZ")), "is not 8 hex characters"),
    (tampered(lambda d: d.update(signature="not base64!")), "not base64"),
    (tampered(lambda d: d.update(signature="AAAA")), "3 bytes instead of 64"),
    (resigned(lambda d: d.update(issued="2026-W03-4")), "issued: '2026-W03-4' is not a date"),
    (resigned(lambda d: d["revoked"].reverse()), "out of order or repeated"),
    (resigned(lambda d: d["revoked"].append(d["revoked"][-1])), "out of order or repeated"),
    (resigned(lambda d: d["revoked"][0].update(card="10000013")), "'10000013' is not a card number"),
    (resigned(lambda d: d["revoked"][0].update(holder="Rossi")), "revoked[0] is not"),
    (resigned(lambda d: d["revoked"][1].update(date="2026-02-30")), "revoked[1].date: '2026-02-30' is not a date"),
    (resigned(lambda d: d.update(revoked={"10000012": "2025-11-03"})), "revoked is not a list"),
])
def test_malformed_lists_are_rejected_with_the_reason(data, reason):
    with pytest.raises(InvalidRevocationList, match=re.escape(reason)):
        read_revocation_list(data, PUBLIC)


def test_building_refuses_what_is_not_a_card_number():
    with pytest.raises(ValueError, match="card number"):
        build_revocation_list(NETWORK, {"10000013": ISSUED}, KEY, ISSUED)


# --- the published test vector ---------------------------------------------------------------

def test_the_published_revocation_list_is_what_the_code_produces_and_reads():
    key = vector_key()
    published = published_block("revocations").encode() + b"\n"
    document = json.loads(published)
    revoked = {entry["card"]: date.fromisoformat(entry["date"]) for entry in document["revoked"]}
    assert build_revocation_list(document["network"], revoked, key,
                                 date.fromisoformat(document["issued"])) == published
    assert read_revocation_list(published, {key.key_id: key.public_key}) == revoked


def test_the_published_signed_bytes_are_the_canonical_form_of_the_published_list():
    document = json.loads(published_block("revocations"))
    signature = base64.b64decode(document.pop("signature"))
    signed = published_block("revocations-signed").encode()
    assert signed == json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    vector_key().public_key.verify(signature, signed)
