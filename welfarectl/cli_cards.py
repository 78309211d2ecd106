"""`welfarectl keys ...` and `welfarectl cards ...`: signing keys, the card registry, verification
and print batches. Same rules as cli.py: parse, one library call, print through `console`."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import console
from .cli import Format, FormatOption, _network_dir

keys_app = typer.Typer(help="Create and rotate the key that signs the cards' QR codes.", no_args_is_help=True)
cards_app = typer.Typer(help="Issue, revoke, replace, verify and print welfare cards.", no_args_is_help=True)

KeyFileOption = Annotated[
    Optional[Path],
    typer.Option("--key-file", metavar="PATH", help="Private signing key to use (default: $WELFARECTL_SIGNING_KEY, "
                 "else one per network in your user configuration directory). Never inside the network."),
]
NoNewKeyOption = Annotated[
    bool, typer.Option("--no-new-key", help="Fail instead of creating a signing key when none exists (for CI).")
]


class Reason(str, enum.Enum):
    lost = "lost"
    left = "left"
    withdrawn = "withdrawn"


class Sheet(str, enum.Enum):
    a4 = "a4"
    sra3 = "sra3"
    single = "single"


def _fail(message: str, code: int = 1) -> typer.Exit:
    console.print_error(message)
    return typer.Exit(code)


def _network_id(root: Path) -> str:
    """The network's id from catalogue/network.yaml, without reading the workbooks."""
    from .catalogue import load_catalogue

    catalogue, problems = load_catalogue(root)
    if catalogue.network is None:
        raise _fail("catalogue/network.yaml has errors; run `welfarectl validate`")
    return catalogue.network.id


def _signing_key(root: Path, key_file: Path | None, no_new_key: bool, network_id: str | None = None):
    """The network's signing key; created on first use (said once, on stderr) unless --no-new-key."""
    from . import keys

    published = set((root / keys.PUBLIC_KEY_DIR).glob("*.pub"))
    try:
        key, created = keys.load_signing_key(root, network_id or _network_id(root), key_file,
                                             create=not no_new_key)
    except keys.KeyProblem as exc:
        raise _fail(str(exc)) from None
    if not created and keys.public_key_file(root, key.key_id) not in published:
        console.print_note(f"published the public key of signing key {key.key_id} ({key.path}) "
                           f"as catalogue/keys/{key.key_id}.pub")
    if created:
        console.print_note(f"created a new signing key {key.key_id} in {key.path} (keep it private); "
                           f"its public key is catalogue/keys/{key.key_id}.pub")
    return key


def _sound_registry(root: Path):
    """The card registry, or exit 1 when it has problems (`validate` lists them)."""
    from . import registry

    reg, problems = registry.read_registry(root)
    if problems:
        raise _fail("members/cards.jsonl has errors; run `welfarectl validate`")
    return reg


def _checked_network(ctx: typer.Context):
    """The loaded network, or exit 1 with the problems when it has errors: nothing is issued or
    printed from a network that does not validate."""
    from .network import load_network
    from .problems import has_errors

    network, problems = load_network(_network_dir(ctx))
    if has_errors(problems):
        console.print_problems([p for p in problems if p.severity == "error"], console.detect_lang(None))
        raise _fail("the network has errors: fix them first (`welfarectl validate` lists them)")
    return network


# --- keys -----------------------------------------------------------------------------------------

@keys_app.command("init")
def keys_init(ctx: typer.Context, key_file: KeyFileOption = None) -> None:
    """Create the network's Ed25519 signing key; publish its public key in catalogue/keys/."""
    from . import keys

    root = _network_dir(ctx)
    try:
        key = keys.create_key(root, _network_id(root), key_file)
    except keys.KeyProblem as exc:
        raise _fail(str(exc)) from None
    console.print_text(f"created signing key {key.key_id}\n  private: {key.path} (mode 0600, keep it secret)\n"
                       f"  public:  catalogue/keys/{key.key_id}.pub (commit and publish it)")


@keys_app.command("rotate")
def keys_rotate(ctx: typer.Context, key_file: KeyFileOption = None) -> None:
    """Replace the signing key with a new one; cards signed with older keys still verify."""
    from . import keys

    root = _network_dir(ctx)
    try:
        old, new = keys.rotate_key(root, _network_id(root), key_file)
    except keys.KeyProblem as exc:
        raise _fail(str(exc)) from None
    console.print_text(f"new signing key {new.key_id} replaces {old.key_id}; "
                       f"catalogue/keys/{old.key_id}.pub stays so that its cards still verify")


# --- cards ----------------------------------------------------------------------------------------

@cards_app.command("issue")
def cards_issue(
    ctx: typer.Context,
    company: Annotated[Optional[str], typer.Option("--company", metavar="ID", help="Only this member company.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be issued; change nothing.")] = False,
    format: FormatOption = Format.text,
) -> None:
    """Give a card to every current employee who has no active one (a second run issues none)."""
    from . import registry

    network = _checked_network(ctx)
    _check_company(network, company)
    try:
        issued = registry.issue_cards(network, company=company, dry_run=dry_run)
    except registry.RegistryError as exc:
        raise _fail(str(exc)) from None
    names = _holder_names(network)
    if format is Format.json:
        console.print_json({"issued": len(issued), "dry_run": dry_run, "cards": [
            {"card": c.number, "company": c.company, "holder": names.get((c.company, c.holder), ""),
             "expires": c.expires.isoformat()} for c in issued]})
        return
    if not issued:
        console.print_text("no card to issue: every current employee" + (f" of {company}" if company else "")
                           + " has an active card (or had one withdrawn)")
        return
    verb = "would issue" if dry_run else "issued"
    them = "them" if len(issued) != 1 else "it"
    console.print_text(f"{verb} {len(issued):,} card{'s' if len(issued) != 1 else ''}"
                       + ("" if dry_run else f"; print {them} with `welfarectl cards print --only-new`"))


@cards_app.command("revoke")
def cards_revoke(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(metavar="NUMBER", help="The card number, as printed (spaces allowed).")],
    reason: Annotated[Reason, typer.Option("--reason", help="Why the card stops being valid.")],
) -> None:
    """Revoke a card: it stops verifying as soon as providers have the new revocation list."""
    from . import registry

    root = _network_dir(ctx)
    try:
        card = registry.revoke_card(root, number, reason.value)
    except registry.RegistryError as exc:
        raise _fail(str(exc)) from None
    console.print_text(f"revoked card {registry.format_card_number(card.number)} ({reason.value}); "
                       "publish the list again with `welfarectl cards revocations`")


@cards_app.command("replace")
def cards_replace(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(metavar="NUMBER", help="The card number to replace (lost, damaged...); "
                                          "a card already revoked as lost may be replaced too.")],
) -> None:
    """Revoke a card and issue its holder a new one with a new number."""
    from . import registry

    network = _checked_network(ctx)
    try:
        old, new = registry.replace_card(network, number)
    except registry.RegistryError as exc:
        raise _fail(str(exc)) from None
    console.print_text(f"card {registry.format_card_number(old.number)} replaced by "
                       f"{registry.format_card_number(new.number)}; print it with `welfarectl cards print --only-new`")


@cards_app.command("verify")
def cards_verify(
    ctx: typer.Context,
    payload: Annotated[str, typer.Argument(metavar="PAYLOAD",
                                           help="The QR code's text (WC1:...), or - to read it from standard input.")],
    revocations: Annotated[Optional[Path], typer.Option(
        "--revocations", metavar="FILE", help="A signed revocation list to check against "
        "(default: the network's card registry).")] = None,
    format: FormatOption = Format.text,
) -> None:
    """Check a card's QR code offline: signature, network, expiry, revocation.

    Exit 0 valid; 3 malformed, 4 bad signature, 5 unknown key, 6 other network, 7 expired, 8 revoked.
    """
    import dataclasses

    from . import keys, qrpayload, registry
    from .clock import today

    root = _network_dir(ctx)
    text = sys.stdin.read() if payload == "-" else payload
    network_id = _network_id(root)
    public_keys, broken = keys.load_public_keys(root)
    for found in broken:
        console.print_note(f"{found.location}: {found.message()} (ignored)")
    revoked = _revoked_cards(root, network_id, public_keys, revocations)
    verdict = qrpayload.verify_payload(text.strip(), public_keys, network_id, revoked, today())
    if not text.strip():
        verdict = dataclasses.replace(verdict, detail="nothing to verify: the payload is empty")
    card = registry.format_card_number(verdict.card) if verdict.card else None
    if format is Format.json:
        console.print_json({"status": verdict.status, "card": verdict.card,
                            "expires": verdict.expires.isoformat() if verdict.expires else None,
                            "key_id": verdict.key_id, "detail": verdict.detail})
    else:
        shown = f": card {card}" if card else ""
        expiry = f", expires {verdict.expires:%d/%m/%Y}" if verdict.expires and verdict.status == "valid" else ""
        detail = f" ({verdict.detail})" if verdict.detail and verdict.status != "valid" else ""
        console.print_text(f"{verdict.status}{shown}{expiry}{detail}")
    raise typer.Exit(verdict.exit_code)


def _revoked_cards(root: Path, network_id: str, public_keys: dict, revocations: Path | None) -> dict:
    from . import revocations as revocation_list

    if revocations is not None:
        try:
            return revocation_list.read_revocation_list(revocations.read_bytes(), public_keys, network_id)
        except OSError as exc:
            raise _fail(f"{revocations}: {exc.strerror or exc}", 2) from None
        except revocation_list.InvalidRevocationList as exc:
            raise _fail(f"{revocations}: {exc}") from None
    return _sound_registry(root).revoked()


@cards_app.command("revocations")
def cards_revocations(
    ctx: typer.Context,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="PATH",
                                                   help="Where to write it (default output/cards/revocations.json).")] = None,
    key_file: KeyFileOption = None,
    no_new_key: NoNewKeyOption = False,
) -> None:
    """Write the signed list of revoked cards that providers check cards against."""
    from . import revocations as revocation_list
    from .output import BadTarget, check_target
    from .clock import today
    from .output import write_bytes_atomic

    root = _network_dir(ctx)
    reg = _sound_registry(root)
    key = _signing_key(root, key_file, no_new_key)
    data = revocation_list.build_revocation_list(_network_id(root), reg.revoked(), key, today())
    target = output or root / "output" / "cards" / "revocations.json"
    try:
        check_target(target)
        write_bytes_atomic(target, data)
    except (BadTarget, OSError) as exc:
        raise _fail(str(exc) if isinstance(exc, BadTarget) else f"cannot write {target}: {exc.strerror or exc}", 2) from None
    console.print_text(f"{len(reg.revoked()):,} revoked cards, signed with key {key.key_id} -> {target}")


@cards_app.command("print")
def cards_print(
    ctx: typer.Context,
    company: Annotated[Optional[str], typer.Option("--company", metavar="ID", help="Only this member company.")] = None,
    only_new: Annotated[bool, typer.Option("--only-new", help="Only active cards never printed before.")] = False,
    sheet: Annotated[Sheet, typer.Option("--sheet", help="a4 or sra3: cards imposed N-up with bleed and crop "
                                         "marks; single: one card a page, for desktop card printers.")] = Sheet.a4,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="PATH", help="The PDF to write (default output/cards/cards-SHEET[-COMPANY][-new].pdf); "
        "the manifest (.csv) and job ticket (.txt) go beside it.")] = None,
    proof: Annotated[bool, typer.Option("--proof", help="A proof to check, not a batch: the cards are not "
                                        "noted as printed, so --only-new still picks them.")] = False,
    key_file: KeyFileOption = None,
    no_new_key: NoNewKeyOption = False,
) -> None:
    """Print the active cards, fronts and backs, ready for the print shop.

    Every run but a --proof is noted in the registry, so that --only-new prints only what is new.
    """
    from .cardjob import NothingToPrint, print_cards
    from .output import BadTarget

    network = _checked_network(ctx)
    _check_company(network, company)
    name = "-".join(filter(None, ["cards", sheet.value, company, "new" if only_new else "", "proof" if proof else ""]))
    target = output or network.root / "output" / "cards" / f"{name}.pdf"
    key = _signing_key(network.root, key_file, no_new_key, network.settings.id)
    try:
        done = print_cards(network, key, target, sheet=sheet.value, company=company, only_new=only_new, proof=proof)
    except NothingToPrint as exc:
        console.print_text(str(exc))
        return
    except BadTarget as exc:
        raise _fail(str(exc), 2) from None
    if done.problems:
        console.print_problems(done.problems, console.detect_lang(None))
        raise typer.Exit(1)
    console.print_text(done.summary)


def _check_company(network, company: str | None) -> None:
    """Exit 2 when --company names no member company, suggesting the closest id."""
    import difflib

    ids = [c.id for c in network.member_companies]
    if company is not None and company not in ids:
        close = difflib.get_close_matches(company.lower(), ids, n=1)
        raise _fail(f"no member company has the id '{company}'" + (f"; did you mean '{close[0]}'?" if close else ""), 2)


def _holder_names(network) -> dict[tuple[str, str], str]:
    return {(e.company, e.codice_fiscale): f"{e.given_name} {e.surname}" for e in network.employees}
