"""Verifying a card's QR payload as a provider would: the network's public keys, and the revoked
cards from the registry or from a signed revocation list, on the day the command works on.

A provider's folder has the catalogue and the public keys but no card registry; without a
revocation list a genuine, unexpired card is `revocation-unchecked`, never plainly `valid`. A list
issued more than `max_age` days before the day of the check is stale: the verdict says so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from welfarectl.base.errors import Refusal, UsageError
from welfarectl.base.problems import os_reason
from welfarectl.network.network import Network

from .payload import Verdict, verify_payload
from .registry import REGISTRY_FILE, RegistryDamaged
from .revocations import InvalidRevocationList, read_signed_list

DEFAULT_MAX_AGE = 7  # days: providers are asked to fetch the list once a week


@dataclass(frozen=True)
class Checked:
    """A verdict and what it was checked against: `revocations` is "registry", "list" or "none";
    `issued` the day the list was signed; `stale` when that is more than the allowed days ago."""

    verdict: Verdict
    revocations: str
    issued: date | None = None
    stale: bool = False


def network_id(network: Network) -> str:
    """The network's id, which every card's QR code carries; a Refusal when network.yaml is broken."""
    if network.settings is None:
        raise Refusal("catalogue/network.yaml has errors; run `welfarectl validate`",
                      "catalogue/network.yaml ha errori; esegui `welfarectl validate`")
    return network.settings.id


def verify_card(network: Network, text: str, revocations: Path | None = None,
                max_age: int = DEFAULT_MAX_AGE) -> Checked:
    """The verdict on `text` (surrounding whitespace ignored) as of `network.as_of`. Revoked
    cards come from the signed list in `revocations` when given (what a provider holds), else
    from the network's card registry when it has one."""
    payload = text.strip()
    if revocations is not None:
        issued, revoked = _read_list(network, revocations)
        checked = Checked(_verify(network, payload, revoked), "list", issued,
                          (network.as_of - issued).days > max_age)
    elif (network.root / REGISTRY_FILE).exists():
        if network.registry.problems:
            raise RegistryDamaged(network.registry.problems)
        checked = Checked(_verify(network, payload, network.registry.revoked()), "registry")
    else:
        checked = Checked(_verify(network, payload, None), "none")
    return checked


def _verify(network: Network, payload: str, revoked: dict | None) -> Verdict:
    verdict = verify_payload(payload, network.public_keys, network_id(network), revoked, network.as_of)
    if not payload:
        verdict = dataclasses.replace(verdict, detail="nothing to verify: the payload is empty",
                                      detail_it="niente da verificare: il testo del QR è vuoto")
    return verdict


def _read_list(network: Network, path: Path) -> tuple[date, dict]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = os_reason(exc)
        raise UsageError(f"{path}: {reason['reason']}", f"{path}: {reason['reason_it']}") from None
    try:
        return read_signed_list(data, network.public_keys, network_id(network))
    except InvalidRevocationList as exc:
        raise Refusal(f"{path}: {exc}", f"{path}: {exc.it}") from None
