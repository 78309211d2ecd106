"""`cards verify` where providers use it: a folder with the catalogue and the public keys, no card
registry, and the signed revocation list the network publishes."""

import json
from datetime import date
from pathlib import Path

import pytest
from cardkeys import signing_key
from typer.testing import CliRunner

from welfarectl.cards.keys import public_key_pem
from welfarectl.cards.payload import encode_payload
from welfarectl.cards.revocations import build_revocation_list
from welfarectl.cli.app import app
from welfarectl.network.catalogue import load_catalogue
from welfarectl.network.skeleton import create_network

DAY = {"WELFARECTL_AS_OF": "2026-11-26", "LANG": "C", "LC_ALL": ""}  # 2026-11-26
KEY = signing_key(3)


@pytest.fixture
def provider(tmp_path: Path) -> tuple[Path, str]:
    """A provider's folder: the network's catalogue with its public key, and nothing else."""
    root = tmp_path / "provider"
    create_network(root)
    (root / "members" / "prima-impresa.xlsx").unlink()
    (root / "catalogue" / "keys").mkdir()
    (root / "catalogue" / "keys" / f"{KEY.key_id}.pub").write_bytes(public_key_pem(KEY.public_key))
    return root, load_catalogue(root)[0].network.id


def verify(root: Path, *args: str):
    return CliRunner().invoke(app, ["-C", str(root), "cards", "verify", *args], env=DAY)


def test_without_a_revocation_list_a_genuine_card_is_not_called_valid(provider):
    root, network = provider
    payload = encode_payload("10000004", date(2028, 11, 30), network, KEY)
    done = verify(root, payload, "--format", "json")
    assert done.exit_code == 9
    answer = json.loads(done.stdout)
    assert (answer["status"], answer["card"], answer["revocations"]["source"]) == ("revocation-unchecked", "10000004",
                                                                                     "none")
    text = verify(root, payload)
    assert text.exit_code == 9 and text.stdout.startswith("revocation-unchecked: card 1000 0004")
    assert "--revocations" in text.output


def test_with_the_signed_list_a_revoked_card_is_revoked_and_an_old_list_is_flagged(provider, tmp_path):
    root, network = provider
    revoked, other = (encode_payload(n, date(2028, 11, 30), network, KEY) for n in ("10000004", "10000012"))
    listing = tmp_path / "revocations.json"
    listing.write_bytes(build_revocation_list(network, {"10000004": date(2026, 11, 2)}, KEY, date(2026, 11, 16)))

    done = verify(root, revoked, "--revocations", str(listing), "--format", "json")
    assert done.exit_code == 8 and json.loads(done.stdout)["status"] == "revoked"
    fresh = verify(root, other, "--revocations", str(listing), "--max-age", "30", "--format", "json")
    assert fresh.exit_code == 0
    assert json.loads(fresh.stdout)["revocations"] == {"source": "list", "issued": "2026-11-16", "stale": False}
    assert "warning" not in fresh.output

    stale = verify(root, other, "--revocations", str(listing), "--format", "json")  # 10 days old, 7 allowed
    assert stale.exit_code == 0 and json.loads(stale.stdout)["revocations"]["stale"] is True
    assert "issued on 16/11/2026, 10 days ago (more than 7)" in stale.output
