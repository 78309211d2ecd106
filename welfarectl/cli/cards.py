"""`welfarectl keys ...` and `welfarectl cards ...`: signing keys, the card registry, verification
and print batches. Same rules as app.py: parse, one library call, word the facts it returns."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import console
from .options import CompanyOption, DryRunOption, Format, FormatOption, KeyFileOption, NoNewKeyOption
from .runner import company_of, held_back_of, load_cards, load_checked, load_for_cards, network_dir, report_held_back, run_of

keys_app = typer.Typer(help="Create and rotate the key that signs the cards' QR codes.", no_args_is_help=True)
cards_app = typer.Typer(help="Issue, revoke, replace, verify and print welfare cards.", no_args_is_help=True)


class Reason(str, enum.Enum):
    lost = "lost"
    left = "left"
    withdrawn = "withdrawn"


class Sheet(str, enum.Enum):
    a4 = "a4"
    sra3 = "sra3"
    single = "single"


def _network_id(root: Path) -> str:
    """The network's id, from catalogue/network.yaml alone (the key commands read nothing else)."""
    from welfarectl.base.errors import Refusal
    from welfarectl.network.catalogue import load_catalogue

    catalogue, _ = load_catalogue(root)
    if catalogue.network is None:
        raise Refusal("catalogue/network.yaml has errors; run `welfarectl validate`")
    return catalogue.network.id


def _signing_key(root: Path, network_id: str, key_file: Path | None, no_new_key: bool):
    """The network's signing key; created on first use (said once, on stderr) unless --no-new-key."""
    from welfarectl.cards import keys

    published = set((root / keys.PUBLIC_KEY_DIR).glob("*.pub"))
    key, created = keys.load_signing_key(root, network_id, key_file, create=not no_new_key)
    if not created and keys.public_key_file(root, key.key_id) not in published:
        console.print_note(f"published the public key of signing key {key.key_id} ({key.path}) "
                           f"as catalogue/keys/{key.key_id}.pub")
    if created:
        console.print_note(f"created a new signing key {key.key_id} in {key.path} (keep it private); "
                           f"its public key is catalogue/keys/{key.key_id}.pub")
    return key


# --- keys -----------------------------------------------------------------------------------------

@keys_app.command("init")
def keys_init(ctx: typer.Context, key_file: KeyFileOption = None) -> None:
    """Create the network's Ed25519 signing key; publish its public key in catalogue/keys/."""
    from welfarectl.cards import keys

    root = network_dir(ctx)
    key = keys.create_key(root, _network_id(root), key_file)
    console.print_text(f"created signing key {key.key_id}\n  private: {key.path} (mode 0600, keep it secret)\n"
                       f"  public:  catalogue/keys/{key.key_id}.pub (commit and publish it)")


@keys_app.command("rotate")
def keys_rotate(ctx: typer.Context, key_file: KeyFileOption = None) -> None:
    """Replace the signing key with a new one; cards signed with older keys still verify."""
    from welfarectl.cards import keys

    root = network_dir(ctx)
    old, new = keys.rotate_key(root, _network_id(root), key_file)
    console.print_text(f"new signing key {new.key_id} ({new.path}) replaces {old.key_id} ({old.path}) and is named in "
                       f"catalogue/keys/current; catalogue/keys/{old.key_id}.pub stays so that its cards still verify. "
                       "Commit catalogue/keys/ so that every copy of the network signs with the new key")


# --- cards ----------------------------------------------------------------------------------------

@cards_app.command("issue")
def cards_issue(ctx: typer.Context, company: CompanyOption = None, dry_run: DryRunOption = False,
                format: FormatOption = Format.text) -> None:
    """Give a card to every current employee who has no active one (a second run issues none).

    Nobody with a leaving date gets a new card, even one in the future. Errors in one employee's
    workbook row hold back only that person's card: the others are issued, the people held back are
    listed with their errors, and the command exits 10. Any other error issues nothing (exit 1).
    """
    from welfarectl.cards import registry

    network = load_for_cards(ctx)
    company = company_of(network, company)
    run = registry.run_issue(network, company=company, dry_run=dry_run)
    issued, held = run.cards, held_back_of(network, company)
    if format is Format.json:
        names = network.employees_by_holder
        console.print_json({"issued": len(issued), "dry_run": dry_run, "cards": [
            {"card": c.number, "company": c.company, "holder": names[(c.company, c.holder)].name,
             "expires": c.expires.isoformat()} for c in issued], "skipped_leaving": run.leaving,
            "held_back": [{"company": h.company, "row": str(h.row), "name": h.name, "codice_fiscale": h.codice_fiscale,
                           "problems": [p.as_dict() for p in h.problems]} for h in held]})
        report_held_back(network, company, listed=True)
        return
    if issued:
        verb = "would issue" if dry_run else "issued"
        them = "them" if len(issued) != 1 else "it"
        said = (f"{verb} {_count(len(issued), 'card')}"
                + ("" if dry_run else f"; print {them} with `welfarectl cards print --only-new`"))
    elif run.leaving or held:
        said = "no card to issue" + (f" for {company}" if company else "")
    else:
        said = ("no card to issue: every current employee" + (f" of {company}" if company else "")
                + " has an active card (or had one withdrawn)")
    if run.leaving:
        said += (f"; not issued: {_count(run.leaving, 'current employee')} with a leaving date "
                 "(nobody who is leaving gets a new card)")
    if held:
        said += f"; held back: {len(held)} (errors in their workbook rows, listed below)"
    console.print_text(said)
    report_held_back(network, company)


@cards_app.command("revoke")
def cards_revoke(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(metavar="NUMBER", help="The card number, as printed (spaces allowed).")],
    reason: Annotated[Reason, typer.Option("--reason", help="Why the card stops being valid.")],
) -> None:
    """Revoke a card: it stops verifying as soon as providers have the new revocation list."""
    from welfarectl.cards import registry
    from welfarectl.cards.number import format_card_number

    card = registry.revoke_card(network_dir(ctx), number, reason.value, run_of(ctx).as_of)
    console.print_text(f"revoked card {format_card_number(card.number)} ({reason.value}); "
                       "publish the list again with `welfarectl cards revocations`")


@cards_app.command("replace")
def cards_replace(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(metavar="NUMBER", help="The card number to replace (lost, damaged...); "
                                          "a card already revoked as lost may be replaced too.")],
) -> None:
    """Revoke a card and issue its holder a new one with a new number."""
    from welfarectl.cards import registry
    from welfarectl.cards.number import format_card_number

    old, new = registry.replace_card(load_checked(ctx), number)
    console.print_text(f"card {format_card_number(old.number)} replaced by "
                       f"{format_card_number(new.number)}; print it with `welfarectl cards print --only-new`, and "
                       "publish the revocation list again with `welfarectl cards revocations`")


@cards_app.command("verify")
def cards_verify(
    ctx: typer.Context,
    payload: Annotated[str, typer.Argument(metavar="PAYLOAD",
                                           help="The QR code's text (WC1:...), or - to read it from standard input.")],
    revocations: Annotated[Path | None, typer.Option(
        "--revocations", metavar="FILE", help="A signed revocation list to check against "
        "(default: the network's card registry, when the folder has one).")] = None,
    max_age: Annotated[int, typer.Option("--max-age", metavar="DAYS", min=0,
                                         help="Warn when the revocation list is older than this.")] = 7,
    format: FormatOption = Format.text,
) -> None:
    """Check a card's QR code offline: signature, network, expiry, revocation.

    Exit 0 valid; 3 malformed, 4 bad signature, 5 unknown key, 6 other network, 7 expired, 8 revoked,
    9 genuine and unexpired but not checked for revocation (no registry and no --revocations list).
    """
    from welfarectl.base.italian import format_day
    from welfarectl.cards.number import format_card_number
    from welfarectl.cards.verify import verify_card

    network, problems = load_cards(ctx)
    for found in problems:
        if found.code == "invalid-public-key":
            console.print_note(f"{found.location}: {found.message()} (ignored)")
    checked = verify_card(network, sys.stdin.read() if payload == "-" else payload, revocations, max_age)
    verdict = checked.verdict
    if checked.stale:
        days = (network.as_of - checked.issued).days
        console.print_warning(f"the revocation list {revocations} was issued on {format_day(checked.issued)}, "
                              f"{days} days ago (more than {max_age}): get the latest one from the network")
    if format is Format.json:
        console.print_json({"status": verdict.status, "card": verdict.card,
                            "expires": verdict.expires.isoformat() if verdict.expires else None,
                            "key_id": verdict.key_id, "detail": verdict.detail,
                            "revocations": {"source": checked.revocations,
                                            "issued": checked.issued.isoformat() if checked.issued else None,
                                            "stale": checked.stale}})
    else:
        shown = f": card {format_card_number(verdict.card)}" if verdict.card else ""
        expiry = f", expires {format_day(verdict.expires)}" if verdict.expires and verdict.status == "valid" else ""
        detail = f" ({verdict.detail})" if verdict.detail and verdict.status != "valid" else ""
        console.print_text(f"{verdict.status}{shown}{expiry}{detail}")
        if verdict.status == "revocation-unchecked":
            console.print_note("this folder has no card registry: verify with --revocations FILE, the signed list "
                               "the network publishes (`welfarectl cards revocations`)")
    raise typer.Exit(verdict.exit_code)


@cards_app.command("revocations")
def cards_revocations(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="PATH",
                                                help="Where to write it (default output/cards/revocations.json; "
                                                "- for standard output).")] = None,
    key_file: KeyFileOption = None,
    no_new_key: NoNewKeyOption = False,
) -> None:
    """Write the signed list of revoked cards that providers check cards against."""
    from welfarectl.base.output import check_target
    from welfarectl.cards.revocations import publish_revocation_list, signed_revocation_list
    from welfarectl.cards.verify import network_id

    network, _ = load_cards(ctx)
    target = output or network.root / "output" / "cards" / "revocations.json"
    to_stdout = str(target) == "-"
    if not to_stdout:
        check_target(target)
    key = _signing_key(network.root, network_id(network), key_file, no_new_key)
    if to_stdout:
        sys.stdout.buffer.write(signed_revocation_list(network, key)[0])
        return
    count = publish_revocation_list(network, key, target)
    console.print_text(f"{_count(count, 'revoked card')}, signed with key {key.key_id} ({key.path}) -> {target}")


@cards_app.command("print")
def cards_print(
    ctx: typer.Context,
    company: CompanyOption = None,
    only_new: Annotated[bool, typer.Option("--only-new", help="Only active cards never printed before.")] = False,
    sheet: Annotated[Sheet, typer.Option("--sheet", case_sensitive=False,
                                         help="a4 or sra3: cards imposed N-up with bleed and crop "
                                         "marks; single: one card a page, for desktop card printers.")] = Sheet.a4,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="PATH", help="The PDF to write (default output/cards/cards-SHEET[-COMPANY][-new].pdf); "
        "the manifest (.csv) and job ticket (.txt) go beside it.")] = None,
    proof: Annotated[bool, typer.Option("--proof", help="A proof to check, not a batch: the cards are not "
                                        "noted as printed, so --only-new still picks them.")] = False,
    key_file: KeyFileOption = None,
    no_new_key: NoNewKeyOption = False,
) -> None:
    """Print the active cards, fronts and backs, ready for the print shop.

    Every run but a --proof is noted in the registry, so that --only-new prints only what is new.
    Errors in one employee's workbook row (a name the card font cannot print...) hold back only
    that person's card: the others print, the people held back are listed, and the command exits
    10. Any other error prints nothing (exit 1).
    """
    from welfarectl.base.output import check_target
    from welfarectl.cards.printrun import NothingToPrint, print_cards

    network = load_for_cards(ctx)
    company = company_of(network, company)
    name = "-".join(filter(None, ["cards", sheet.value, company, "new" if only_new else "", "proof" if proof else ""]))
    target = output or network.root / "output" / "cards" / f"{name}.pdf"
    check_target(target)
    key = _signing_key(network.root, network.settings.id, key_file, no_new_key)
    try:
        run = print_cards(network, key, target, sheet=sheet.value, company=company, only_new=only_new, proof=proof)
    except NothingToPrint as nothing:
        console.print_text(_nothing_to_print(nothing))
    else:
        console.print_text(_printed(run) + f"; signed with key {key.key_id} ({key.path})")
    report_held_back(network, company)


def _nothing_to_print(nothing) -> str:
    what = "new active cards" if nothing.only_new else "active cards"
    if nothing.skipped:
        what += f" of current employees ({nothing.skipped} of people who left or are in no workbook)"
    if nothing.held:
        return f"no card printed: {_held(nothing.held)}"
    return (f"no {what} to print" + (f" for {nothing.company}" if nothing.company else "")
            + (f"; held back: {_count(nothing.held_back, 'card')} (errors in their holders' workbook rows, "
               "listed below)" if nothing.held_back else "")
            + ("; issue them first with `welfarectl cards issue`" if nothing.none_issued else ""))


def _held(held) -> str:
    """The cards held back, each with its text and the size it would need."""
    from welfarectl.cards.number import format_card_number
    from welfarectl.cards.render import HOLD_BACK_BELOW

    listed = ", ".join(f"{format_card_number(card)} ('{text}' at {size:g} pt)" for card, text, size in held)
    return (f"{_count(len(held), 'card')} held back, {'its' if len(held) == 1 else 'their'} text would print "
            f"below {HOLD_BACK_BELOW:g} pt: {listed}; give the text more room in templates/ (or allow more "
            "lines), then print again with --only-new")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _printed(run) -> str:
    said = (f"{_count(run.cards, 'card')} on {_count(run.sheets, 'sheet')} -> {run.target} "
            f"(manifest {run.manifest.name}, job ticket {run.ticket.name})")
    if run.proof:
        said += ", a proof: not noted as printed"
    if run.skipped:
        said += (f"; not printed: {run.skipped} card{'s' if run.skipped != 1 else ''} of people who left or are in "
                 "no workbook (`welfarectl validate` lists them; revoke them)")
    if run.held_back:
        said += (f"; held back: {_count(run.held_back, 'card')} (errors in their holders' workbook rows, "
                 "listed below)")
    if run.shrunk:
        card, text, size = min(run.shrunk, key=lambda item: item[2])
        said += (f"; {len(run.shrunk)} text{'s' if len(run.shrunk) != 1 else ''} printed below min_size, "
                 f"the smallest '{text}' at {size:g} pt on card {card}")
    if run.held:
        said += f"; not printed: {_held(run.held)}"
    return said
