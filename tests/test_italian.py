"""Italian from end to end: with `--lang it` (before the command or after it) or an Italian LANG,
what a coordinator or HR reads is Italian, with no English sentence left in it: the problem
catalogue's titles and explanations, the refusals of the core, the sentences the CLI words itself.
JSON stays English for machines; `--lang en` wins over an Italian LANG."""

from __future__ import annotations

import ast
import json
import re

import pytest
from networks import ROOT
from test_problem_codes import ENGLISH, PATH, QUOTED

from welfarectl.base.problems import CATALOGUE

ITALIAN = {"LANG": "it_IT.UTF-8"}
# commands, problem codes and statuses, placeholders as help writes them (DIRECTORY), payloads
CODE = re.compile(r"`[^`]*`|\b[a-z]+(?:-[a-z]+)+\b|\b[A-Z]{2,}\b|\bWC1:\S*")


def english_in(text: str) -> set[str]:
    """The English words of an Italian text, once quoted values, paths, commands and codes are taken out."""
    text = CODE.sub(" ", PATH.sub(" ", QUOTED.sub(" ", text)))
    # whole words only: the letters of a key id such as a42492be are no English "a" or "be"
    return {word for word in re.findall(r"\b[A-Za-z][A-Za-z'_-]*\b", text) if word.lower() in ENGLISH}


# --- the problem catalogue -----------------------------------------------------------------------

def test_every_code_has_a_title_and_a_description_in_italian():
    missing = [code for code, kind in CATALOGUE.items() if not (kind.title_it and kind.description_it)]
    assert missing == [], "give these codes title_it= and description_it= in welfarectl/base/problems.py"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_italian_title_and_description_has_no_english_left(code):
    kind = CATALOGUE[code]
    assert english_in(f"{kind.title_it}. {kind.description_it}") == set()


def test_english_in_finds_english_but_not_commands_or_paths():
    assert english_in("la riga è stata modified after it was written") == {"after", "it", "was"}
    assert english_in("esegui `welfarectl cards revoke NUMBER` su catalogue/keys/ e 'the value'") == set()


def test_problems_explains_a_code_in_italian(welfarectl):
    done = welfarectl("problems", "missing-column", "--lang", "it")
    assert done.exit_code == 0
    assert done.stdout.splitlines()[0] == "missing-column (errore): Manca una colonna obbligatoria"
    assert "La riga di intestazione c'è, ma manca una colonna obbligatoria." in done.stdout
    assert "messaggio: la riga di intestazione non ha la colonna '{column}'" in done.stdout
    assert "message:" not in done.stdout and "Required column missing" not in done.stdout


def test_an_italian_locale_is_enough_and_lang_en_wins_over_it(welfarectl):
    assert "(avviso): Colonna non necessaria, non letta" in welfarectl("problems", "ignored-column", **ITALIAN).stdout
    english = welfarectl("--lang", "en", "problems", "ignored-column", **ITALIAN).stdout
    assert english.startswith("ignored-column (warning): Column not needed, not read")


def test_the_list_of_codes_is_in_italian(welfarectl):
    lines = welfarectl("--lang", "it", "problems").stdout.splitlines()
    assert lines[0].split() == ["codice", "gravità", "titolo"]
    assert lines[1].rstrip().split(maxsplit=2) == ["missing-file", "errore", "Manca un file obbligatorio"]


def test_docs_problems_md_explains_every_code_in_both_languages():
    text = (ROOT / "docs" / "problems.md").read_text(encoding="utf-8")
    for kind in CATALOGUE.values():
        assert f"**{kind.title}** ({kind.severity})" in text
        assert f"**{kind.title_it}** ({'errore' if kind.severity == 'error' else 'avviso'})" in text


# --- refusals and the CLI's own sentences ---------------------------------------------------------

@pytest.mark.parametrize("args", [("--lang", "it", "-C", "{dir}", "validate"), ("-C", "{dir}", "validate", "--lang", "it"),
                                  ("-C", "{dir}", "cards", "issue")], ids=["root", "command", "locale"])
def test_a_refusal_is_worded_in_italian(args, welfarectl, tmp_path):
    done = welfarectl(*(arg.format(dir=tmp_path) for arg in args), **ITALIAN)
    assert done.exit_code == 2
    assert done.stderr == (f"errore: {tmp_path.resolve()} non è la cartella di una rete (manca la cartella catalogue/); "
                           "usa -C CARTELLA o `welfarectl init CARTELLA`\n")


def test_lang_en_keeps_english_under_an_italian_locale(welfarectl, tmp_path):
    done = welfarectl("-C", tmp_path, "--lang", "en", "validate", **ITALIAN)
    assert done.stderr.startswith(f"error: {tmp_path.resolve()} is not a network directory")


def test_init_and_a_refused_init_in_italian(welfarectl, tmp_path):
    done = welfarectl("--lang", "it", "init", tmp_path / "rete")
    assert done.stdout == f"creata una nuova rete in {tmp_path / 'rete'}; poi: welfarectl -C {tmp_path / 'rete'} validate\n"
    again = welfarectl("--lang", "it", "init", tmp_path / "rete")
    assert again.exit_code == 2
    assert again.stderr.startswith(f"errore: {tmp_path / 'rete'} non è vuota; init crea una rete solo in una cartella")


def test_cards_issue_revoke_and_verify_speak_italian(small_network, welfarectl):
    issued = welfarectl("-C", small_network, "cards", "issue", **ITALIAN)
    assert issued.exit_code == 0, issued.output
    said = issued.stdout
    assert re.fullmatch(r"emesse \d+ tessere; stampale con `welfarectl cards print --only-new`\n", said), said
    assert "creata una nuova chiave di firma" not in said  # issuing signs nothing
    assert welfarectl("-C", small_network, "cards", "issue", **ITALIAN).stdout == (
        "nessuna tessera da emettere: ogni dipendente attuale ha una tessera attiva (o gliene è stata ritirata una)\n")

    mistyped = welfarectl("-C", small_network, "cards", "revoke", "1000 0005", "--reason", "lost", **ITALIAN)
    assert mistyped.exit_code == 1
    assert mistyped.stderr == ("errore: '1000 0005' non è un numero di tessera: cifra di controllo sbagliata: una "
                               "cifra è stata scritta male o due sono scambiate\n")

    number = json.loads(welfarectl("-C", small_network, "cards", "issue", "--dry-run", "--format", "json").stdout)
    assert number["issued"] == 0  # JSON is for machines: English keys whatever the language
    revoked = welfarectl("-C", small_network, "--lang", "it", "cards", "revoke", "1000 0004", "--reason", "lost")
    assert revoked.stdout == ("revocata la tessera 1000 0004 (lost); pubblica di nuovo l'elenco con "
                              "`welfarectl cards revocations`\n")
    twice = welfarectl("-C", small_network, "--lang", "it", "cards", "revoke", "1000 0004", "--reason", "lost")
    assert twice.stderr == "errore: la tessera 1000 0004 era già stata revocata il 26/11/2026\n"  # dates day first

    malformed = welfarectl("-C", small_network, "--lang", "it", "cards", "verify", "WC1:???")
    assert malformed.exit_code == 3  # the status stays a code, the words around it are Italian
    assert malformed.stdout == "malformed (caratteri estranei all'alfabeto base45: '?')\n"


def test_what_the_cli_says_in_italian_has_no_english_left(small_network, welfarectl, tmp_path):
    said = [
        welfarectl("-C", small_network, "cards", "issue", **ITALIAN).stdout,
        welfarectl("-C", small_network, "cards", "print", "--proof", "-o", tmp_path / "prova.pdf", **ITALIAN).output,
        welfarectl("-C", small_network, "cards", "revocations", **ITALIAN).output,
        welfarectl("-C", small_network, "cards", "revoke", "1000", "--reason", "lost", **ITALIAN).stderr,
        welfarectl("-C", small_network, "cards", "replace", "1000 0012", **ITALIAN).stderr,
        welfarectl("-C", small_network, "cards", "issue", "--company", "osteria-del-tortelino", **ITALIAN).stderr,
        welfarectl("-C", small_network, "problems", "nessuno", **ITALIAN).stderr,
        welfarectl("-C", small_network, "keys", "init", **ITALIAN).stderr,
    ]
    assert [(text, english_in(text)) for text in said if english_in(text)] == []
    assert all(text.strip() for text in said[:3])


# --- the core words every refusal in Italian too -------------------------------------------------

def refusal_classes(tree: ast.Module, known: dict[str, bool]) -> None:
    """Add to `known` every class of `tree` that derives from a known refusal: name -> whether it
    words its own messages (an __init__ of its own, as NetworkHasErrors and RegistryDamaged do)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(getattr(base, "id", None) in known for base in node.bases):
            known[node.name] = any(isinstance(item, ast.FunctionDef) and item.name == "__init__" for item in node.body)


def test_every_refusal_raised_has_an_italian_message():
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in (ROOT / "welfarectl").rglob("*.py")}
    known = {"Refusal": False}
    for _ in range(3):  # subclasses of subclasses, in any order of the files
        for tree in trees.values():
            refusal_classes(tree, known)
    english_only = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", None)
                if name in known and not known[name] and len(node.exc.args) < 2 and \
                        not any(keyword.arg == "it" for keyword in node.exc.keywords):
                    english_only.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert english_only == [], "give these refusals their Italian: Refusal(english, italian)"
    assert {"KeyMissing", "BadTarget", "NotANetwork", "InvalidCardNumber", "BrokenRule"} <= set(known)


# --- --help --------------------------------------------------------------------------------------

def test_every_command_has_its_summary_in_italian():
    from typer.main import get_command

    from welfarectl.cli.app import app
    from welfarectl.cli.helps import SUMMARIES_IT, commands_of

    missing = [path or "(root)" for path, _ in commands_of(get_command(app)) if path not in SUMMARIES_IT]
    assert missing == [], "give these commands their Italian summary in welfarectl/cli/helps.py"
    assert all(english_in(summary) == set() for summary in SUMMARIES_IT.values())


def test_help_summaries_follow_the_language(welfarectl):
    italian = welfarectl("--lang", "it", "--help").stdout
    assert "Gestisci una rete territoriale di welfare aziendale" in italian
    assert "cards     Emetti, revoca, sostituisci, verifica e stampa le tessere" in italian
    command = welfarectl("cards", "verify", "--help", **ITALIAN).stdout
    assert "Controlla senza connessione il codice QR di una tessera" in command
    english = welfarectl("cards", "verify", "--help").stdout
    assert "Check a card's QR code offline: signature, network, expiry, revocation." in english
    assert "Controlla" not in english
