"""`welfarectl verifier`: the static page providers check cards with. Same rules as app.py: parse,
one library call, word the facts it returns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import console
from .cards import signing_key
from .language import count, say
from .options import KeyFileOption, NoNewKeyOption
from .runner import load_cards_checked


def verifier(
    ctx: typer.Context,
    *,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="DIR", file_okay=False,
                                                help="The directory to write the site into (default output/verifier/).")] = None,
    max_age: Annotated[int, typer.Option("--max-age", metavar="DAYS", min=0,
                                         help="The page warns when its revocation list is older than this.")] = 7,
    key_file: KeyFileOption = None,
    no_new_key: NoNewKeyOption = False,
) -> None:
    """Write the verifier page: a static site that checks cards' QR codes offline, with the public
    keys and today's signed revocation list in it.

    Open output/verifier/verifier.html from a file or publish the directory on any static web host;
    write it again whenever cards are revoked, and at least every --max-age days.
    """
    from welfarectl.base.italian import format_day
    from welfarectl.cards.verify import network_id
    from welfarectl.verifier.site import write_site

    network = load_cards_checked(ctx)
    target = output or network.root / "output" / "verifier"
    key = signing_key(network.root, network_id(network), key_file, no_new_key)
    site = write_site(network, key, target, max_age)
    size = sum(written for _, written in site.files)
    console.print_text(say(f"verifier page -> {site.page} ({len(site.files)} files, {size / 1000:,.0f} kB); revocation list of "
                           f"{format_day(site.issued)} with {count(site.revoked, 'card', 'cards')}, signed with key {key.key_id}",
                           f"pagina di verifica -> {site.page} ({len(site.files)} file, {size / 1000:,.0f} kB); elenco delle "
                           f"revoche del {format_day(site.issued)} con "
                           f"{count(site.revoked, 'tessera', 'tessere')}, firmato con la chiave {key.key_id}"))
