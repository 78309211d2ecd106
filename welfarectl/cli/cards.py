"""`welfarectl keys ...` and `welfarectl cards ...`: signing keys, the card registry, verification
and print batches. Same rules as app.py: parse, one library call, word the facts it returns."""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from . import console
from .language import count, current, say
from .options import CompanyOption, DryRunOption, Format, FormatOption, KeyFileOption, NoNewKeyOption
from .runner import (
    cache_dir,
    company_of,
    held_back_of,
    load_cards,
    load_checked,
    load_for_cards,
    named_company,
    network_dir,
    report_held_back,
    run_of,
)

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
        raise Refusal("catalogue/network.yaml has errors; run `welfarectl validate`",
                      "catalogue/network.yaml ha errori; esegui `welfarectl validate`")
    return catalogue.network.id


def signing_key(root: Path, network_id: str, key_file: Path | None, no_new_key: bool):
    """The network's signing key; created on first use (said once, on stderr) unless --no-new-key."""
    from welfarectl.cards import keys

    published = set((root / keys.PUBLIC_KEY_DIR).glob("*.pub"))
    key, created = keys.load_signing_key(root, network_id, key_file, create=not no_new_key)
    if not created and keys.public_key_file(root, key.key_id) not in published:
        console.print_note(say(f"published the public key of signing key {key.key_id} ({key.path}) "
                               f"as catalogue/keys/{key.key_id}.pub",
                               f"pubblicata la chiave pubblica della chiave di firma {key.key_id} ({key.path}) "
                               f"come catalogue/keys/{key.key_id}.pub"))
    if created:
        console.print_note(say(f"created a new signing key {key.key_id} in {key.path} (keep it private); "
                               f"its public key is catalogue/keys/{key.key_id}.pub",
                               f"creata una nuova chiave di firma {key.key_id} in {key.path} (tienila riservata); "
                               f"la sua chiave pubblica è catalogue/keys/{key.key_id}.pub"))
    return key


# --- keys -----------------------------------------------------------------------------------------

@keys_app.command("init")
def keys_init(ctx: typer.Context, key_file: KeyFileOption = None) -> None:
    """Create the network's Ed25519 signing key; publish its public key in catalogue/keys/."""
    from welfarectl.cards import keys

    root = network_dir(ctx)
    key = keys.create_key(root, _network_id(root), key_file)
    console.print_text(say(f"created signing key {key.key_id}\n  private: {key.path} (mode 0600, keep it secret)\n"
                           f"  public:  catalogue/keys/{key.key_id}.pub (commit and publish it)",
                           f"creata la chiave di firma {key.key_id}\n  privata:  {key.path} (permessi 0600, tienila "
                           f"segreta)\n  pubblica: catalogue/keys/{key.key_id}.pub (registrala nel controllo di "
                           "versione e pubblicala)"))


@keys_app.command("rotate")
def keys_rotate(ctx: typer.Context, key_file: KeyFileOption = None) -> None:
    """Replace the signing key with a new one; cards signed with older keys still verify."""
    from welfarectl.cards import keys

    root = network_dir(ctx)
    old, new = keys.rotate_key(root, _network_id(root), key_file)
    console.print_text(say(f"new signing key {new.key_id} ({new.path}) replaces {old.key_id} ({old.path}) and is named in "
                           f"catalogue/keys/current; catalogue/keys/{old.key_id}.pub stays so that its cards still verify. "
                           "Commit catalogue/keys/ so that every copy of the network signs with the new key",
                           f"la nuova chiave di firma {new.key_id} ({new.path}) sostituisce la {old.key_id} ({old.path}) "
                           f"ed è indicata in catalogue/keys/current; catalogue/keys/{old.key_id}.pub resta, così le sue "
                           "tessere si verificano ancora. Registra catalogue/keys/ nel controllo di versione, così ogni "
                           "copia della rete firma con la nuova chiave"))


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

    named_company(company)
    network = load_for_cards(ctx)
    company = company_of(network, company)
    run = registry.run_issue(network, company=company, dry_run=dry_run)
    issued, held = run.cards, held_back_of(network, company)
    if format is Format.json:
        console.print_json({"issued": len(issued), "dry_run": dry_run, "cards": [
            {"card": c.number, "company": c.company, "holder": network.person((c.company, c.holder)).name,
             "expires": c.expires.isoformat()} for c in issued], "skipped_leaving": run.leaving,
            "held_back": [{"company": h.company, "row": str(h.row), "name": h.name, "codice_fiscale": h.codice_fiscale,
                           "problems": [p.as_dict() for p in h.problems]} for h in held]})
        report_held_back(network, company, listed=True)
        return
    console.print_text(_issued(len(issued), dry_run, company, run.leaving, len(held)))
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
    from welfarectl.pipeline import registry_cache

    root = network_dir(ctx)
    card = registry.revoke_card(root, number, reason.value, run_of(ctx).as_of, registry_cache(root, cache_dir()))
    console.print_text(say(f"revoked card {format_card_number(card.number)} ({reason.value}); "
                           "publish the list again with `welfarectl cards revocations`",
                           f"revocata la tessera {format_card_number(card.number)} ({reason.value}); "
                           "pubblica di nuovo l'elenco con `welfarectl cards revocations`"))


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
    console.print_text(say(f"card {format_card_number(old.number)} replaced by "
                           f"{format_card_number(new.number)}; print it with `welfarectl cards print --only-new`, and "
                           "publish the revocation list again with `welfarectl cards revocations`",
                           f"la tessera {format_card_number(old.number)} è sostituita dalla "
                           f"{format_card_number(new.number)}; stampala con `welfarectl cards print --only-new` e "
                           "pubblica di nuovo l'elenco delle revoche con `welfarectl cards revocations`"))


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
            console.print_note(f"{found.location}: {found.message(current())}" + say(" (ignored)", " (ignorata)"))
    checked = verify_card(network, sys.stdin.read() if payload == "-" else payload, revocations, max_age)
    verdict = checked.verdict
    if checked.stale:
        days = (network.as_of - checked.issued).days
        console.print_warning(say(f"the revocation list {revocations} was issued on {format_day(checked.issued)}, "
                                  f"{days} days ago (more than {max_age}): get the latest one from the network",
                                  f"l'elenco delle revoche {revocations} è stato emesso il {format_day(checked.issued)}, "
                                  f"{days} giorni fa (più di {max_age}): chiedi alla rete quello più recente"))
    if format is Format.json:
        console.print_json({"status": verdict.status, "card": verdict.card,
                            "expires": verdict.expires.isoformat() if verdict.expires else None,
                            "key_id": verdict.key_id, "detail": verdict.detail,
                            "revocations": {"source": checked.revocations,
                                            "issued": checked.issued.isoformat() if checked.issued else None,
                                            "stale": checked.stale}})
    else:
        # the status is a code, as in JSON and the exit code; the words around it are the run's language
        shown = say(f": card {format_card_number(verdict.card)}", f": tessera {format_card_number(verdict.card)}") \
            if verdict.card else ""
        expiry = say(f", expires {format_day(verdict.expires)}", f", scade il {format_day(verdict.expires)}") \
            if verdict.expires and verdict.status == "valid" else ""
        detail = say(verdict.detail, verdict.detail_it or verdict.detail)
        detail = f" ({detail})" if detail and verdict.status != "valid" else ""
        console.print_text(f"{verdict.status}{shown}{expiry}{detail}")
        if verdict.status == "revocation-unchecked":
            console.print_note(say("this folder has no card registry: verify with --revocations FILE, the signed list "
                                   "the network publishes (`welfarectl cards revocations`)",
                                   "questa cartella non ha il registro delle tessere: verifica con --revocations FILE, "
                                   "l'elenco firmato che la rete pubblica (`welfarectl cards revocations`)"))
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
    key = signing_key(network.root, network_id(network), key_file, no_new_key)
    if to_stdout:
        sys.stdout.buffer.write(signed_revocation_list(network, key)[0])
        return
    revoked = publish_revocation_list(network, key, target)
    console.print_text(say(f"{_cards(revoked, 'revoked card')}, signed with key {key.key_id} ({key.path}) -> {target}",
                           f"elenco di {count(revoked, 'tessera revocata', 'tessere revocate')}, firmato con "
                           f"la chiave {key.key_id} ({key.path}) -> {target}"))


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
    batch_sheets: Annotated[int | None, typer.Option(
        "--batch-sheets", metavar="N", min=0,
        help="Print in numbered batches of N sheets (PATH-0001.pdf ...), each with its manifest and job ticket, "
        "plus an index of the batches (PATH-index.csv and .txt) with their card ranges and checksums. Default: "
        "one PDF, or batches of about 5,000 cards when the run has more; 0: one PDF whatever the size.")] = None,
    key_file: KeyFileOption = None,
    no_new_key: NoNewKeyOption = False,
) -> None:
    """Print the active cards, fronts and backs, ready for the print shop.

    Every run but a --proof is noted in the registry, so that --only-new prints only what is new;
    a run in batches notes each batch once it is written, so a run that stops part way (an error,
    Ctrl-C) leaves the registry and the index saying which cards are printed. Errors in one
    employee's workbook row (a name the card font cannot print...) hold back only that person's
    card: the others print, the people held back are listed, and the command exits 10. Any other
    error prints nothing (exit 1).
    """
    from welfarectl.base.output import check_target
    from welfarectl.cards.printrun import NothingToPrint, print_cards

    from .progress import print_progress

    named_company(company)
    network = load_for_cards(ctx)
    company = company_of(network, company)
    name = "-".join(filter(None, ["cards", sheet.value, company, "new" if only_new else "", "proof" if proof else ""]))
    target = output or network.root / "output" / "cards" / f"{name}.pdf"
    check_target(target)
    key = signing_key(network.root, network.settings.id, key_file, no_new_key)
    try:
        with print_progress() as progress, _terminated_as_interrupted():
            run = print_cards(network, key, target, sheet=sheet.value, company=company, only_new=only_new, proof=proof,
                              batch_sheets=batch_sheets, progress=progress)
    except NothingToPrint as nothing:
        console.print_text(_nothing_to_print(nothing))
    else:
        console.print_text(_printed(run) + say(f"; signed with key {key.key_id} ({key.path})",
                                               f"; firmate con la chiave {key.key_id} ({key.path})"))
    report_held_back(network, company)


@contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM (a CI job's timeout, `kill`) stops a print run as Ctrl-C does: the batches written
    are noted in the registry and the index before the command ends."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _issued(issued: int, dry_run: bool, company: str | None, leaving: int, held: int) -> str:
    """What `cards issue` did (or would do), in the run's language, one clause each."""
    of, for_ = (f" of {company}", f" for {company}") if company else ("", "")
    di, per = (f" di {company}", f" per {company}") if company else ("", "")
    if issued:
        said = [say(f"{'would issue' if dry_run else 'issued'} {_cards(issued, 'card')}",
                    (("verrebbe emessa " if issued == 1 else "verrebbero emesse ") if dry_run
                     else ("emessa " if issued == 1 else "emesse ")) + _cards_it(issued))]
        if not dry_run:
            said.append(say(f"; print {'it' if issued == 1 else 'them'} with `welfarectl cards print --only-new`",
                            f"; {'stampala' if issued == 1 else 'stampale'} con `welfarectl cards print --only-new`"))
    elif leaving or held:
        said = [say("no card to issue" + for_, "nessuna tessera da emettere" + per)]
    else:
        said = [say("no card to issue: every current employee" + of + " has an active card (or had one withdrawn)",
                    "nessuna tessera da emettere: ogni dipendente attuale" + di
                    + " ha una tessera attiva (o gliene è stata ritirata una)")]
    if leaving:
        said.append(say(f"; not issued: {_cards(leaving, 'current employee')} with a leaving date "
                        "(nobody who is leaving gets a new card)",
                        f"; non emesse: {count(leaving, 'dipendente attuale', 'dipendenti attuali')} con una "
                        "data di cessazione (chi sta per uscire non riceve una nuova tessera)"))
    if held:
        said.append(say(f"; held back: {held} (errors in their workbook rows, listed below)",
                        f"; in attesa: {held} (errori nelle loro righe della cartella di lavoro, elencati sotto)"))
    return "".join(said)


def _nothing_to_print(nothing) -> str:
    if current() == "it":
        what = "nessuna tessera attiva nuova" if nothing.only_new else "nessuna tessera attiva"
        if nothing.skipped:
            what += f" di dipendenti attuali ({nothing.skipped} di persone uscite o assenti dalle cartelle di lavoro)"
        if nothing.held:
            return f"nessuna tessera stampata: {_held(nothing.held)}"
        return (what + " da stampare" + (f" per {nothing.company}" if nothing.company else "")
                + (f"; in attesa: {_cards_it(nothing.held_back)} (errori nelle righe dei titolari nelle cartelle di "
                   "lavoro, elencati sotto)" if nothing.held_back else "")
                + ("; prima emettile con `welfarectl cards issue`" if nothing.none_issued else ""))
    what = "new active cards" if nothing.only_new else "active cards"
    if nothing.skipped:
        what += f" of current employees ({nothing.skipped} of people who left or are in no workbook)"
    if nothing.held:
        return f"no card printed: {_held(nothing.held)}"
    return (f"no {what} to print" + (f" for {nothing.company}" if nothing.company else "")
            + (f"; held back: {_cards(nothing.held_back, 'card')} (errors in their holders' workbook rows, "
               "listed below)" if nothing.held_back else "")
            + ("; issue them first with `welfarectl cards issue`" if nothing.none_issued else ""))


def _held(held) -> str:
    """The cards held back, each with its text and the size it would need."""
    from welfarectl.cards.number import format_card_number
    from welfarectl.cards.render import HOLD_BACK_BELOW

    if current() == "it":
        listed = ", ".join(f"{format_card_number(card)} ('{text}' a {_points(size)} pt)" for card, text, size in held)
        return (f"{_cards_it(len(held))} {'trattenuta' if len(held) == 1 else 'trattenute'}, il testo verrebbe "
                f"stampato sotto {_points(HOLD_BACK_BELOW)} pt: {listed}; dai più spazio al testo in templates/ "
                "(o permetti più righe), poi stampa di nuovo con --only-new")
    listed = ", ".join(f"{format_card_number(card)} ('{text}' at {size:g} pt)" for card, text, size in held)
    return (f"{_cards(len(held), 'card')} held back, {'its' if len(held) == 1 else 'their'} text would print "
            f"below {HOLD_BACK_BELOW:g} pt: {listed}; give the text more room in templates/ (or allow more "
            "lines), then print again with --only-new")


def _cards(n: int, noun: str) -> str:
    """'1 card', '2,500 cards' (English nouns that take an s)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _cards_it(n: int) -> str:
    return count(n, "tessera", "tessere")


def _points(size: float) -> str:
    """A type size as Italians write it: 4,5."""
    return f"{size:g}".replace(".", ",")


def _printed(run) -> str:
    """The facts of a print run, worded in the run's language, one clause each."""
    if run.batches:
        first, last = run.batches[0].pdf, run.batches[-1].pdf
        files = f"{first}" if first == last else f"{first} ... {last.name}"
        batches = f"{len(run.batches):,} batch{'es' if len(run.batches) != 1 else ''}"
        readable = run.target.with_suffix(".txt").name
        said = [say(f"{_cards(run.cards, 'card')} on {_cards(run.sheets, 'sheet')} in {batches} -> {files}, each "
                    f"with its manifest (.csv) and job ticket (.txt); index {run.target} (and {readable})",
                    f"{_cards_it(run.cards)} su {count(run.sheets, 'foglio', 'fogli')} in "
                    f"{count(len(run.batches), 'lotto', 'lotti')} -> {files}, ognuno con il suo elenco (.csv) e la "
                    f"sua scheda di lavorazione (.txt); indice {run.target} (e {readable})")]
    else:
        said = [say(f"{_cards(run.cards, 'card')} on {_cards(run.sheets, 'sheet')} -> {run.target} "
                    f"(manifest {run.manifest.name}, job ticket {run.ticket.name})",
                    f"{_cards_it(run.cards)} su {count(run.sheets, 'foglio', 'fogli')} -> {run.target} "
                    f"(elenco {run.manifest.name}, scheda di lavorazione {run.ticket.name})")]
    if run.proof:
        said.append(say(", a proof: not noted as printed", ", una prova: non registrata come stampata"))
    if run.skipped:
        said.append(say(f"; not printed: {_cards(run.skipped, 'card')} of people who left or are in no workbook "
                        "(`welfarectl validate` lists them; revoke them)",
                        f"; non stampate: {_cards_it(run.skipped)} di persone uscite o assenti dalle cartelle di "
                        "lavoro (le elenca `welfarectl validate`; revocale)"))
    if run.held_back:
        said.append(say(f"; held back: {_cards(run.held_back, 'card')} (errors in their holders' workbook rows, "
                        "listed below)",
                        f"; in attesa: {_cards_it(run.held_back)} (errori nelle righe dei titolari nelle cartelle "
                        "di lavoro, elencati sotto)"))
    if run.shrunk:
        card, text, size = min(run.shrunk, key=lambda item: item[2])
        said.append(say(f"; {len(run.shrunk)} text{'s' if len(run.shrunk) != 1 else ''} printed below min_size, "
                        f"the smallest '{text}' at {size:g} pt on card {card}",
                        f"; {count(len(run.shrunk), 'testo stampato', 'testi stampati')} sotto min_size, il più "
                        f"piccolo '{text}' a {_points(size)} pt sulla tessera {card}"))
    if run.held:
        said.append(say("; not printed: ", "; non stampate: ") + _held(run.held))
    return "".join(said)
