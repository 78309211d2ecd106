"""Test signing keys from fixed seeds, and the test vectors published in docs/card-qr.md."""

import json
import re
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from welfarectl.cards.keys import SigningKey

ROOT = Path(__file__).resolve().parent.parent


def signing_key(seed: int) -> SigningKey:
    """A key made from 32 bytes of `seed`: the same key, and the same signatures, every run."""
    return SigningKey.of(Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32), Path("/unused"))


def write_key_file(path: Path, key: SigningKey) -> Path:
    """`key` as a PEM private key file only its owner can read, as `keys init` writes one."""
    from cryptography.hazmat.primitives import serialization

    path.write_bytes(key.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    path.chmod(0o600)
    return path


def published_block(name: str) -> str:
    """The fenced block right after `<!-- vector: NAME -->` in docs/card-qr.md."""
    doc = (ROOT / "docs" / "card-qr.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- vector: {name} -->\n```[a-z]*\n(.*?)\n```", doc, re.DOTALL)
    assert found, f"docs/card-qr.md has no block for vector {name}"
    return found.group(1)


def vector_key() -> SigningKey:
    """The test key of the published vectors, from the seed the document gives."""
    seed = json.loads(published_block("qr"))["seed"]
    return SigningKey.of(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed)), Path("/unused"))
