"""`cards verify` given anything a phone's camera, a clipboard or a hand may give it: random text,
genuine payloads with characters changed, links with odd fragments. Always a verdict (exit 0 or
3-9) or a refusal, never a traceback."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from cardkeys import signing_key
from fuzzing import run_clean
from hypothesis import example, given
from hypothesis import strategies as st

from welfarectl.cards.keys import public_key_pem
from welfarectl.cards.payload import PREFIX, encode_payload
from welfarectl.network.catalogue import load_catalogue
from welfarectl.network.skeleton import create_network

KEY = signing_key(3)
BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> tuple[Path, str]:
    """A provider's folder: the catalogue with the network's public key, and a genuine payload."""
    root = tmp_path_factory.mktemp("fuzz-verify") / "provider"
    create_network(root)
    (root / "members" / "prima-impresa.xlsx").unlink()
    (root / "catalogue" / "keys").mkdir()
    (root / "catalogue" / "keys" / f"{KEY.key_id}.pub").write_bytes(public_key_pem(KEY.public_key))
    network = load_catalogue(root)[0].network.id
    return root, encode_payload("10000004", date(2028, 11, 30), network, KEY)


def verify(root: Path, text: str):
    done = run_clean("-C", root, "cards", "verify", "--format", "json", "--", text, home=root.parent)
    assert done.exit_code in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), done.output
    return done


def test_the_genuine_payload_is_genuine(provider):
    root, payload = provider
    assert verify(root, payload).exit_code == 9  # genuine, unexpired, no revocation list to check against


@given(text=st.text(max_size=200))
@example("WC1:")
@example(PREFIX + "%%%")
@example("https://example.org/v#")
@example("#" * 5)
def test_any_text_gets_a_verdict(provider, text):
    verify(provider[0], text)


@given(data=st.data())
def test_a_genuine_payload_with_characters_changed_gets_a_verdict(provider, data):
    root, payload = provider
    chars = list(payload)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(chars) - 1))
        how = data.draw(st.sampled_from(["change", "insert", "delete"]))
        if how == "delete" and len(chars) > 1:
            del chars[at]
        else:
            new = data.draw(st.one_of(st.sampled_from(BASE45), st.characters()))
            chars[at:at + (how == "change")] = [new]
    verify(root, "".join(chars))


@given(base=st.sampled_from(["https://rete.example/verifica", "http://x", "", "HTTPS://X.EU/V?A=1"]),
       fragment=st.one_of(st.text(max_size=60), st.text(alphabet="%0123456789abcdefABCDEFGZ ", max_size=30)),
       genuine=st.booleans())
def test_a_link_with_any_fragment_gets_a_verdict(provider, base, fragment, genuine):
    root, payload = provider
    if genuine:
        fragment = quote(payload, safe="$*+-./:") + fragment
    verify(root, f"{base}#{fragment}")
