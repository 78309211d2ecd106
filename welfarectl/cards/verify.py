"""Verifying a card's QR payload as a provider would: the network's public keys, and the revoked
cards from the registry or from a signed revocation list, on the day the command works on."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from welfarectl.base.errors import Refusal, UsageError
from welfarectl.network.network import Network

from .payload import Verdict, verify_payload
from .registry import RegistryDamaged
from .revocations import InvalidRevocationList, read_revocation_list


def network_id(network: Network) -> str:
    """The network's id, which every card's QR code carries; a Refusal when network.yaml is broken."""
    if network.settings is None:
        raise Refusal("catalogue/network.yaml has errors; run `welfarectl validate`")
    return network.settings.id


def verify_card(network: Network, text: str, revocations: Path | None = None) -> Verdict:
    """The verdict on `text` (surrounding whitespace ignored) as of `network.as_of`. Revoked
    cards come from the signed list in `revocations` when given (what a provider holds), else
    from the network's card registry."""
    payload = text.strip()
    revoked = _revoked_from_list(network, revocations) if revocations is not None else _revoked_from_registry(network)
    verdict = verify_payload(payload, network.public_keys, network_id(network), revoked, network.as_of)
    if not payload:
        verdict = dataclasses.replace(verdict, detail="nothing to verify: the payload is empty")
    return verdict


def _revoked_from_registry(network: Network) -> dict:
    if network.registry.problems:
        raise RegistryDamaged(network.registry.problems)
    return network.registry.revoked()


def _revoked_from_list(network: Network, path: Path) -> dict:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    try:
        return read_revocation_list(data, network.public_keys, network_id(network))
    except InvalidRevocationList as exc:
        raise Refusal(f"{path}: {exc}") from None
