"""The verifier site: one static HTML page and its assets, with which a provider tells a genuine,
valid card from a fake, expired or revoked one, offline and without installing anything.

The page embeds the network's id and name, its public keys (raw, by key id) and the signed
revocation list as issued today; its code (assets/verifier.js, built from web/verifier/) verifies
the list's signature itself, so that a list altered on a web host is not believed, and then each
card's payload in the order of docs/card-qr.md. Nothing in it is personal: card numbers and dates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from welfarectl.base.errors import Refusal
from welfarectl.base.output import BadTarget, write_files_atomic
from welfarectl.cards.keys import SigningKey
from welfarectl.cards.revocations import read_signed_list, signed_revocation_list
from welfarectl.cards.verify import DEFAULT_MAX_AGE, network_id
from welfarectl.network.network import Network

PAGE = "verifier.html"
ASSETS = ("verifier.js", "qr-decoder.js", "THIRD-PARTY-LICENSES.txt")  # under assets/, as built by web/verifier/build.sh
_CONFIG = "{{CONFIG}}"


@dataclass(frozen=True)
class Site:
    """What `write_site` wrote: the page, every file with its size, and the list it embeds."""

    page: Path
    files: tuple[tuple[Path, int], ...]
    issued: date
    revoked: int
    key_ids: tuple[str, ...]


def build_site(network: Network, key: SigningKey, max_age: int = DEFAULT_MAX_AGE) -> tuple[dict[str, bytes], date, int]:
    """The site's files (path relative to the site -> bytes), the day the embedded revocation list
    was issued and how many cards it lists. The list is signed with `key` and read back with the
    published keys before it is embedded: the page would refuse it otherwise."""
    keys = {**network.public_keys, key.key_id: key.public_key}
    if not keys:
        raise Refusal("the network has no public key in catalogue/keys/", "la rete non ha chiavi pubbliche in catalogue/keys/")
    signed, count = signed_revocation_list(network, key)
    issued, _ = read_signed_list(signed, keys, network_id(network))
    config = {
        "network": network_id(network),
        "name": network.settings.short_name or network.settings.name,
        "keys": {key_id: keys[key_id].public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
                 for key_id in sorted(keys)},
        "revocations": signed.decode("utf-8").rstrip("\n"),
        "max_age": max_age,
    }
    page = _template().replace(_CONFIG, script_json(config))
    files = {PAGE: page.encode("utf-8")}
    package = resources.files("welfarectl.verifier") / "assets"
    for name in ASSETS:
        files[f"assets/{name}"] = (package / name).read_bytes()
    return files, issued, count


def write_site(network: Network, key: SigningKey, target: Path, max_age: int = DEFAULT_MAX_AGE) -> Site:
    """Write the site into the directory `target`, all its files as one (a failure leaves the
    previous site whole); files already there that are not the site's are left alone."""
    if target.exists() and not target.is_dir():
        raise BadTarget(f"{target} is not a directory: give the directory to write the site into",
                        f"{target} non è una cartella: indica la cartella in cui scrivere il sito")
    files, issued, count = build_site(network, key, max_age)
    write_files_atomic({target / name: data for name, data in sorted(files.items())})
    written = [(target / name, len(data)) for name, data in sorted(files.items())]
    key_ids = tuple(sorted({*network.public_keys, key.key_id}))
    return Site(target / PAGE, tuple(written), issued, count, key_ids)


def script_json(value: object) -> str:
    """JSON to put inside a <script> element: `<`, `>` and `&` escaped, so that no text in it
    (a network's name, say) can close the element or start markup."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _template() -> str:
    return (resources.files("welfarectl.verifier") / "page.html").read_text(encoding="utf-8")
