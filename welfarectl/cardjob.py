"""A print run: which cards, their holders' names, their signed QR payloads, the files for the
print shop (PDF, manifest CSV, job ticket) written atomically, and the run noted in the registry.

Rules: only active cards (not revoked, replaced or expired) are printed, ordered by company and
holder so that a company's cards come off the press together; `--only-new` leaves out cards
already printed; a card whose holder is in no workbook, or has left, is not printed (validate
warns about both; the summary counts them). A name the card font cannot print is an error of
`validate`, so a network with one never gets here. A run is noted in the registry as printed,
unless it is a proof.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import cardlayout, cardprint, qrpayload, registry
from .clock import today
from .network import Network
from .output import BadTarget, check_target, write_bytes_atomic, write_text_atomic
from .problems import Problem, has_errors


class NothingToPrint(Exception):
    """No card matches: not an error, the command says so and exits 0."""


@dataclass
class PrintRun:
    summary: str = ""
    problems: list[Problem] = field(default_factory=list)


def print_cards(network: Network, key, target: Path, *, sheet: str, company: str | None = None,
                only_new: bool = False, proof: bool = False) -> PrintRun:
    check_target(target)
    front, back, problems = cardlayout.load_layouts(network.root)
    if has_errors(problems):
        return PrintRun(problems=problems)
    reg, problems = registry.read_registry(network.root)
    if problems:
        return PrintRun(problems=problems)
    day = today()
    holders = {(e.company, e.codice_fiscale): e for e in network.employees}
    wanted = [card for card in reg.cards.values()
              if card.status(day) == "active" and (company is None or card.company == company)
              and not (only_new and card.printed)]
    chosen = [(card, person) for card in wanted
              if (person := holders.get((card.company, card.holder))) is not None and person.is_current(day)]
    skipped = len(wanted) - len(chosen)
    if not chosen:
        what = "new active cards" if only_new else "active cards"
        what += f" of current employees ({skipped} of people who left or are in no workbook)" if skipped else ""
        raise NothingToPrint(f"no {what} to print" + (f" for {company}" if company else "")
                             + ("" if reg.cards else "; issue them first with `welfarectl cards issue`"))
    chosen.sort(key=lambda pair: (pair[0].company, pair[1].surname.casefold(), pair[1].given_name.casefold(),
                                  pair[0].number))
    names = network.organisations_by_id
    settings = network.settings
    cards = [cardprint.PrintCard(
        number=card.number,
        holder=f"{person.given_name} {person.surname}",
        company=names[card.company].name if card.company in names else card.company,
        expires=card.expires,
        payload=qrpayload.encode_payload(card.number, card.expires, settings.id, key),
        company_id=card.company,
    ) for card, person in chosen]
    job = cardprint.render(cards, front, back, cardlayout.common_fields(network), sheet)
    selection = ", ".join(filter(None, [f"company {company}" if company else "all companies",
                                        "new cards only" if only_new else "", "PROOF, not for issue" if proof else ""]))
    ticket = (job.ticket + f"File: {target.name}\nSelection: {selection}\n"
              + (f"Contact: {settings.email}\n" if settings.email else "")
              + f"PDF SHA-256: {hashlib.sha256(job.pdf).hexdigest()}\n")
    try:
        write_bytes_atomic(target.with_suffix(".csv"), cardprint.manifest_csv(job.manifest).encode("utf-8-sig"))
        write_text_atomic(target.with_suffix(".txt"), ticket)
        write_bytes_atomic(target, job.pdf)
    except OSError as exc:
        raise BadTarget(f"cannot write {exc.filename or target}: {exc.strerror or exc}") from None
    if not proof:
        registry.record_printed(network.root, [card.number for card in cards])
    if job.shrunk:
        smallest = min(job.shrunk, key=lambda item: item[2])
        left_out_size = (f"; {len(job.shrunk)} text{'s' if len(job.shrunk) != 1 else ''} printed below min_size, "
                         f"the smallest '{smallest[1]}' at {smallest[2]:g} pt on card {smallest[0]}")
    else:
        left_out_size = ""
    left_out = (f"; not printed: {skipped} card{'s' if skipped != 1 else ''} of people who left or are in no "
                "workbook (`welfarectl validate` lists them; revoke them)") if skipped else ""
    return PrintRun(summary=f"{len(cards):,} cards on {len({row['sheet'] for row in job.manifest}):,} sheets -> {target} (manifest "
                            f"{target.with_suffix('.csv').name}, job ticket {target.with_suffix('.txt').name})"
                            + (", a proof: not noted as printed" if proof else "") + left_out + left_out_size)
