"""`--help` in Italian: what each command does, by its path ("" the root, "cards print"), put in
place of the English docstrings when the run's language is Italian.

Typer reads the docstrings when it builds the click commands, so the Italian is set on the built
commands at the start of the run (`ReportingGroup.make_context`), before `--help` prints anything.
Only the summaries are translated: the options' help and the words of the help's frame ("Usage:",
"Options:", "Show this message and exit.") stay English, being typer's own (see the report of the
branch `italian`). A new command needs its Italian here; tests/test_italian.py says which lack it.
"""

from __future__ import annotations

SUMMARIES_IT: dict[str, str] = {
    "": "Gestisci una rete territoriale di welfare aziendale a partire da semplici file: controlla il catalogo e "
        "le cartelle di lavoro dei dipendenti, emetti le tessere, pubblica il libretto e il rapporto.",
    "validate": "Controlla il catalogo, le cartelle di lavoro e il questionario; elenca ogni problema con la sua "
                "posizione.\n\nEsce con 0 se non ci sono errori (avvisi ammessi, salvo --strict), con 1 se ci sono errori.",
    "build": "Costruisci in output/ ciò che la rete pubblica: il lotto di stampa delle tessere nuove, il libretto e "
             "le sue edizioni per impresa, il rapporto, la pagina di verifica; solo ciò che è cambiato dall'ultima "
             "costruzione.\n\nPrima si controlla la rete: con errori non si scrive nulla (uscita 1). "
             "output/manifest.json registra ogni file prodotto con il suo sha256 e i file da cui è stato fatto. Chi ha "
             "errori nella propria riga delle cartelle di lavoro non riceve la tessera, il rapporto attende la "
             "correzione e il comando esce con 10.",
    "booklet": "Scrivi il libretto dei servizi (A5, pronto per la rilegatura a punto metallico): tutta la rete, "
               "l'edizione di un'impresa o di ogni impresa, in italiano o in inglese.",
    "report": "Scrivi il rapporto dei risultati della rete: PDF per le persone, xlsx per il personale, JSON per la CI; "
              "i conteggi piccoli sono oscurati.",
    "verifier": "Scrivi la pagina di verifica: un sito statico che controlla senza connessione i codici QR delle "
                "tessere, con le chiavi pubbliche e l'elenco firmato delle revoche di oggi.\n\nApri "
                "output/verifier/verifier.html da file o pubblica la cartella su qualsiasi server web statico; "
                "scrivila di nuovo quando si revocano tessere, e almeno ogni --max-age giorni.",
    "stats": "Stampa i numeri della rete: organizzazioni, imprese, dipendenti, servizi, laboratori, questionario.",
    "problems": "Elenca i codici dei problemi che validate può segnalare, o spiegane uno.",
    "schema": "Stampa lo schema JSON di un file del catalogo, per gli editor con un language server YAML.",
    "init": "Crea una nuova rete, minima e valida, nella cartella DIRECTORY.",
    "members": "Gli elenchi dei dipendenti dalle risorse umane: un modello da compilare, importazioni con un riscontro "
               "degli errori, e l'oblio di una persona (diritto alla cancellazione).",
    "members template": "Scrivi la cartella di lavoro che le risorse umane compilano: intestazioni in italiano, un foglio "
                        "Istruzioni, convalida dei dati, una riga di intestazione protetta.",
    "members import": "Importa l'elenco dei dipendenti di un'impresa in members/ID.xlsx: controlla ogni riga, mostra le "
                      "differenze, tieni solo le colonne della rete.",
    "members forget": "Dimentica una persona (diritto alla cancellazione): le sue righe lasciano gli elenchi, il registro "
                      "delle tessere tiene i numeri delle sue tessere ma non chi era.",
    "members pseudonymise": "Riscrivi un registro delle tessere di prima degli pseudonimi perché nessuna riga contenga un "
                            "codice fiscale (una volta sola, annotandolo nel registro).",
    "keys": "Crea e sostituisci la chiave che firma i codici QR delle tessere.",
    "keys init": "Crea la chiave di firma Ed25519 della rete; pubblica la sua chiave pubblica in catalogue/keys/.",
    "keys rotate": "Sostituisci la chiave di firma con una nuova; le tessere firmate con le chiavi precedenti si "
                   "verificano ancora.",
    "cards": "Emetti, revoca, sostituisci, verifica e stampa le tessere welfare.",
    "cards issue": "Dai una tessera a ogni dipendente attuale che non ne ha una attiva (una seconda esecuzione non "
                   "ne emette altre).\n\nChi ha una data di cessazione non riceve una nuova tessera, anche se la data "
                   "è futura. Gli errori nella riga di un dipendente trattengono solo la sua tessera: le altre sono "
                   "emesse, le persone in attesa sono elencate con i loro errori e il comando esce con 10. Qualsiasi "
                   "altro errore non fa emettere nulla (uscita 1).",
    "cards revoke": "Revoca una tessera: smette di essere valida appena gli erogatori hanno il nuovo elenco delle revoche.",
    "cards replace": "Revoca una tessera e dai al suo titolare una nuova tessera con un nuovo numero.",
    "cards verify": "Controlla senza connessione il codice QR di una tessera: firma, rete, scadenza, revoca.\n\n"
                    "Esce con 0 se valida; 3 malformata, 4 firma non valida, 5 chiave sconosciuta, 6 altra rete, "
                    "7 scaduta, 8 revocata, 9 autentica e non scaduta ma senza controllo delle revoche (né registro "
                    "né elenco --revocations).",
    "cards revocations": "Scrivi l'elenco firmato delle tessere revocate, con cui gli erogatori controllano le tessere.",
    "cards print": "Stampa le tessere attive, fronte e retro, pronte per la tipografia.\n\nOgni stampa che non sia una "
                   "--proof è registrata, così --only-new stampa solo le novità. Gli errori nella riga di un dipendente "
                   "(un nome che il font della tessera non può stampare...) trattengono solo la sua tessera: le altre "
                   "si stampano, le persone in attesa sono elencate e il comando esce con 10. Qualsiasi altro errore "
                   "non fa stampare nulla (uscita 1).",
}


def commands_of(command, path: str = ""):
    """Every command of the tree under `command`, with its path, the root included."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from commands_of(sub, f"{path} {name}".strip())


def translate_help(root, lang: str) -> None:
    """Put the Italian summaries on the built commands when `lang` is Italian."""
    if lang != "it":
        return
    for path, command in commands_of(root):
        if path in SUMMARIES_IT:
            command.help = SUMMARIES_IT[path]
            command.short_help = None


def lang_in(args: list[str]) -> str | None:
    """The value of --lang among the arguments, if given, before they are parsed: `--help` is
    printed while they are parsed, before --lang's own turn."""
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1] if args[index + 1] in ("en", "it") else None
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=") if arg in ("--lang=en", "--lang=it") else None
        if arg == "--":
            break
    return None
