"""Problems: the closed catalogue of what can be wrong with a network, and the values that report it.

Loaders and checks never raise on bad data and never print: they return `Problem` values. Each
problem has a stable kebab-case code from `CATALOGUE`, a location typed as data, and the
parameters its message template needs. One function, `Location.__str__`, formats locations.
"""

from __future__ import annotations

import difflib
import errno
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .cells import column_index, split_cell

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where a problem is: a file (relative to the network, forward slashes) and, inside it,
    a line and column (YAML, 1-based) or a sheet and cell (Excel)."""

    file: str
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}!{self.cell}" if self.cell else f"{self.file}:{self.sheet}"
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"
        return self.file

    def sort_key(self) -> tuple:
        return (self.file, self.sheet or "", _cell_order(self.cell), self.line or 0, self.column or 0)


def _cell_order(cell: str | None) -> tuple[int, int]:
    """Sort A2 before A10 and row by row: (row, column)."""
    if not cell:
        return (0, 0)
    letters, row = split_cell(cell)
    return (row, column_index(letters) + 1 if letters else 0)


@dataclass(frozen=True, slots=True)
class ProblemType:
    code: str
    severity: Severity
    title: str
    description: str
    message_en: str
    message_it: str
    # Parameters the templates use that follow from those the producer gives (a noun in the
    # singular or the plural): computed when the message is written, never stored.
    derive: Callable[[dict[str, object]], dict[str, object]] | None = None
    # The title and description in Italian, for `welfarectl problems --lang it` and docs/problems.md.
    # Every code has them (a test says which lack them); until given, the English ones stand in.
    title_it: str | None = None
    description_it: str | None = None

    def params_for(self, params: dict[str, object]) -> dict[str, object]:
        return {**params, **self.derive(params)} if self.derive else params

    def title_in(self, lang: str) -> str:
        return self.title_it if lang == "it" and self.title_it else self.title

    def description_in(self, lang: str) -> str:
        return self.description_it if lang == "it" and self.description_it else self.description


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    location: Location
    params: tuple[tuple[str, object], ...] = field(default=())

    @property
    def kind(self) -> ProblemType:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    def message(self, lang: str = "en") -> str:
        kind = CATALOGUE[self.code]
        template = kind.message_it if lang == "it" else kind.message_en
        return template.format(**kind.params_for(dict(self.params)))

    def sort_key(self) -> tuple:
        return (*self.location.sort_key(), self.code, repr(self.params))

    def as_dict(self, lang: str = "en") -> dict:
        loc = self.location
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message(lang),
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "sheet": loc.sheet,
            "cell": loc.cell,
        }


def problem(code: str, location: Location, **params: object) -> Problem:
    """Make a problem; an unknown code or a missing parameter is a bug, so it raises."""
    kind = CATALOGUE[code]
    kind.message_en.format(**kind.params_for(params))
    kind.message_it.format(**kind.params_for(params))
    return Problem(code, location, tuple(params.items()))


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate a mistyped `name` most likely meant, if any is close enough."""
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def suggestion(name: str, candidates: Iterable[str]) -> dict[str, str]:
    """The `suggestion` and `suggestion_it` parameters of a problem: " (did you mean 'x'?)" or ""."""
    close = closest(name, candidates)
    if close is None:
        return {"suggestion": "", "suggestion_it": ""}
    return {"suggestion": f" (did you mean '{close}'?)", "suggestion_it": f" (forse '{close}'?)"}


_OS_ERRORS_IT = {
    errno.EACCES: "permesso negato",
    errno.EPERM: "operazione non permessa",
    errno.EISDIR: "è una cartella, non un file",
    errno.ENOENT: "il file non esiste",
    errno.ENOTDIR: "una parte del percorso non è una cartella",
    errno.ELOOP: "troppi collegamenti simbolici",
    errno.EIO: "errore di lettura o scrittura del disco",
    errno.ENAMETOOLONG: "nome del file troppo lungo",
    errno.ENOSPC: "spazio esaurito sul disco",
    errno.EDQUOT: "quota del disco superata",
    errno.EROFS: "file system di sola lettura",
}


def os_reason(error: OSError) -> dict[str, str]:
    """The `reason` and `reason_it` parameters of a problem for a file the system will not read:
    the system's words (in English), and the same in Italian for the common causes."""
    reason = error.strerror or str(error)
    return {"reason": reason, "reason_it": _OS_ERRORS_IT.get(error.errno or 0, f"errore del sistema: «{reason}»")}


def count_by_severity(problems: list[Problem]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0}
    for p in problems:
        counts[p.severity] += 1
    return counts


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


CATALOGUE: dict[str, ProblemType] = {}


def _define(code: str, severity: Severity, title: str, description: str, en: str, it: str,
            derive: Callable[[dict[str, object]], dict[str, object]] | None = None, *,
            title_it: str | None = None, description_it: str | None = None) -> None:
    CATALOGUE[code] = ProblemType(code, severity, title, description, en, it, derive, title_it, description_it)


def plural(count: int, one: str, many: str) -> str:
    """'1 line', '3 lines': a count with its noun in the right number."""
    return f"{count:,} {one if count == 1 else many}"


# hidden-cells: what the producer names (rows, columns, sheet) -> the noun in English, singular and
# plural, and in Italian with its adjective (every noun is feminine), singular and plural
_HIDDEN = {"rows": ("row", "rows", "Riga nascosta", "Righe nascoste"),
           "columns": ("column", "columns", "Colonna nascosta", "Colonne nascoste"),
           "sheet": ("sheet", "sheets", "Scheda nascosta", "Schede nascoste")}


def _hidden_forms(params: dict[str, object]) -> dict[str, object]:
    """'hidden row 3 is read', 'hidden rows 3-5, 8 are read': one sheet, or rows or columns listed
    as one number or letter, is one."""
    what, which = str(params["what"]), str(params["which"])
    one_en, many_en, one_it, many_it = _HIDDEN.get(what, (what, what, str(params.get("what_it", what)),
                                                          str(params.get("what_it", what))))
    single = what == "sheet" or ("," not in which and "-" not in which)
    return {"hidden": one_en if single else many_en, "is_are": "is" if single else "are",
            "hidden_it": one_it if single else many_it, "read_it": "è letta" if single else "sono lette"}


# --- files -------------------------------------------------------------------------------------
_define("missing-file", "error", "Required file missing",
        "Every network needs catalogue/network.yaml, catalogue/organisations.yaml and "
        "catalogue/services.yaml (or catalogue/services/*.yaml). Create the file, or run "
        "`welfarectl init` in an empty directory to start from a minimal network.",
        "required file {name} is missing",
        "manca il file obbligatorio {name}",
        title_it="Manca un file obbligatorio",
        description_it="Ogni rete ha bisogno di catalogue/network.yaml, catalogue/organisations.yaml e "
                       "catalogue/services.yaml (oppure catalogue/services/*.yaml). Crea il file, oppure esegui `welfarectl "
                       "init` in una cartella vuota per partire da una rete minima.")
_define("file-unreadable", "error", "File cannot be read",
        "The operating system refused to read the file (permissions, a directory in its place, "
        "a broken link). Check the file itself.",
        "cannot read the file: {reason}",
        "impossibile leggere il file: {reason_it}",
        title_it="Il file non si può leggere",
        description_it="Il sistema operativo non permette di leggere il file (permessi, una cartella al posto del file, un "
                       "collegamento interrotto). Controlla il file stesso.")
# --- YAML --------------------------------------------------------------------------------------
_define("yaml-encoding", "error", "File is not UTF-8",
        "Catalogue files must be saved as UTF-8 text. Re-save the file as UTF-8 in your editor; "
        "the location points at the first byte that is not valid UTF-8.",
        "the file is not UTF-8 text (byte 0x{byte} cannot be decoded); save it as UTF-8",
        "il file non è testo UTF-8 (il byte 0x{byte} non è decodificabile); salvalo come UTF-8",
        title_it="Il file non è in UTF-8",
        description_it="I file del catalogo vanno salvati come testo UTF-8. Salvalo di nuovo in UTF-8 dal tuo editor; la "
                       "posizione indica il primo byte che non è UTF-8 valido.")
_define("yaml-empty", "error", "File is empty",
        "The file has no content. Every catalogue file is a mapping with at least its top-level key.",
        "the file is empty; expected a mapping with the key '{key}'",
        "il file è vuoto; atteso un elenco con la chiave '{key}'",
        title_it="Il file è vuoto",
        description_it="Il file non ha contenuto. Ogni file del catalogo è un elenco di chiavi e valori con almeno la sua "
                       "chiave principale.")
_define("yaml-syntax", "error", "YAML syntax error",
        "The file is not valid YAML. Common causes: tabs used for indentation (use spaces), a "
        "missing colon, unbalanced quotes or brackets, wrong indentation.",
        "YAML syntax error: {detail}",
        "errore di sintassi YAML: {detail_it}",
        title_it="Errore di sintassi YAML",
        description_it="Il file non è YAML valido. Cause frequenti: tabulazioni usate per il rientro (usa gli spazi), due "
                       "punti mancanti, virgolette o parentesi non chiuse, rientri sbagliati.")
_define("yaml-tab", "error", "Tab used for indentation",
        "YAML does not allow tab characters for indentation. Replace the tab with spaces.",
        "a tab character is used for indentation; use spaces",
        "un carattere di tabulazione è usato per il rientro; usa gli spazi",
        title_it="Tabulazione usata per il rientro",
        description_it="YAML non ammette il carattere di tabulazione per il rientro. Sostituisci la tabulazione con degli "
                       "spazi.")
_define("yaml-unsupported-tag", "error", "Unsupported YAML tag",
        "Only plain YAML data is read: tags such as !!python/object or !custom are refused and "
        "never executed. Remove the tag.",
        "the tag {tag} is not allowed; write plain values",
        "il tag {tag} non è ammesso; scrivi valori semplici",
        title_it="Tag YAML non ammesso",
        description_it="Si leggono solo dati YAML semplici: tag come !!python/object o !custom vengono rifiutati e mai "
                       "eseguiti. Togli il tag.")
_define("yaml-duplicate-key", "error", "Duplicate key",
        "The same key appears twice in one mapping. YAML would silently keep only the last one, "
        "so welfarectl refuses it: remove or rename one of them.",
        "the key '{key}' appears twice in this mapping (first at line {first_line})",
        "la chiave '{key}' compare due volte (la prima alla riga {first_line})",
        title_it="Chiave ripetuta",
        description_it="La stessa chiave compare due volte nello stesso elenco. YAML terrebbe in silenzio solo l'ultima, "
                       "perciò welfarectl la rifiuta: togline una o rinominala.")
_define("yaml-too-complex", "error", "YAML too large or too nested",
        "Anchors and aliases expand into more values than any catalogue needs (an 'alias bomb'), "
        "or an alias refers to itself. Write the values out instead of repeating aliases.",
        "the document expands to too many values or refers to itself through aliases; refused",
        "il documento si espande in troppi valori o fa riferimento a sé stesso tramite alias; rifiutato",
        title_it="YAML troppo grande o troppo annidato",
        description_it="Ancore e alias si espandono in più valori di quanti ne servano a qualsiasi catalogo (una «bomba di "
                       "alias»), oppure un alias rimanda a sé stesso. Scrivi i valori per esteso invece di ripetere gli "
                       "alias.")
_define("wrong-type", "error", "Value of the wrong type",
        "The value does not have the type the field needs (text, number, date, list, mapping, "
        "yes/no). Dates are written as YYYY-MM-DD; text that looks like a number or a yes/no can be "
        "put in quotes.",
        "{field}: expected {expected}, found {found}",
        "{field}: atteso {expected_it}, trovato {found_it}",
        title_it="Valore del tipo sbagliato",
        description_it="Il valore non è del tipo che il campo richiede (testo, numero, data, lista, elenco di chiavi, "
                       "sì/no). Le date si scrivono AAAA-MM-GG; un testo che sembra un numero o un sì/no si può mettere tra "
                       "virgolette.")
_define("invalid-value", "error", "Invalid value",
        "The value has the right type but breaks the field's rule (a pattern, a range, a length).",
        "{field}: {detail}",
        "{field}: {detail_it}",
        title_it="Valore non valido",
        description_it="Il valore è del tipo giusto ma non rispetta la regola del campo (un formato, un intervallo, una "
                       "lunghezza).")
_define("invalid-choice", "error", "Value not among the allowed choices",
        "The field takes one of a fixed list of values; the message lists them.",
        "{field}: '{value}' is not one of {allowed}",
        "{field}: '{value}' non è tra i valori ammessi {allowed_it}",
        title_it="Valore non tra quelli ammessi",
        description_it="Il campo accetta uno tra i valori di un elenco fisso; il messaggio li elenca.")
_define("missing-field", "error", "Required field missing",
        "A required field is absent. docs/formats.md lists every field and whether it is required.",
        "required field '{field}' is missing",
        "manca il campo obbligatorio '{field}'",
        title_it="Manca un campo obbligatorio",
        description_it="Manca un campo obbligatorio. docs/formats.md elenca tutti i campi e dice quali sono obbligatori.")
_define("unknown-field", "error", "Unknown field",
        "The field is not part of the format. Usually a typo, which would otherwise leave the field it "
        "meant at its default without a word (`validity_month: 12` for `validity_months`): the message "
        "suggests the closest known field. The JSON Schemas (`welfarectl schema KIND`) say the same.",
        "unknown field '{field}'{suggestion}",
        "campo sconosciuto '{field}'{suggestion_it}",
        title_it="Campo sconosciuto",
        description_it="Il campo non fa parte del formato. Di solito è un errore di battitura, che altrimenti lascerebbe in "
                       "silenzio al valore predefinito il campo voluto (`validity_month: 12` al posto di `validity_months`): "
                       "il messaggio suggerisce il campo noto più simile. Gli schemi JSON (`welfarectl schema TIPO`) dicono "
                       "lo stesso.")
# --- workbooks ---------------------------------------------------------------------------------
_define("unreadable-workbook", "error", "Not a readable Excel workbook",
        "The file is not an .xlsx workbook welfarectl can read: a CSV or old .xls renamed, a "
        "truncated download, or a password-protected file. Open it in Excel or LibreOffice and "
        "save it as 'Excel Workbook (.xlsx)' without a password.",
        "not a readable .xlsx workbook: {reason}",
        "non è una cartella di lavoro .xlsx leggibile: {reason_it}",
        title_it="Cartella di lavoro Excel non leggibile",
        description_it="Il file non è una cartella di lavoro .xlsx che welfarectl possa leggere: un CSV o un vecchio .xls "
                       "rinominato, uno scaricamento interrotto, o un file protetto da password. Aprilo in Excel o "
                       "LibreOffice e salvalo come «Cartella di lavoro di Excel (.xlsx)» senza password.")
_define("workbook-too-large", "error", "Workbook too large or compressed suspiciously",
        "The workbook would expand to more data than any employee list needs (a 'zip bomb' or a "
        "corrupt file), so it is refused before it is read.",
        "refused: the workbook expands to {size} (limit {limit})",
        "rifiutato: la cartella di lavoro si espande a {size} (limite {limit_it})",
        title_it="Cartella di lavoro troppo grande o compressa in modo sospetto",
        description_it="La cartella di lavoro si espanderebbe in più dati di quanti ne servano a qualsiasi elenco di "
                       "dipendenti (una «bomba zip» o un file rovinato), perciò viene rifiutata prima di leggerla.")
_define("header-not-found", "error", "No header row found",
        "No sheet has a row with the columns welfarectl needs. The header row may be below title "
        "rows; it needs at least surname, given name and codice fiscale columns "
        "(Cognome/Surname, Nome/Name, Codice fiscale/CF/Tax code) and a hire date.",
        "no sheet has a header row with {required}",
        "nessun foglio ha una riga di intestazione con {required_it}",
        title_it="Riga di intestazione non trovata",
        description_it="Nessun foglio ha una riga con le colonne che servono a welfarectl. La riga di intestazione può stare "
                       "sotto righe di titolo; servono almeno le colonne cognome, nome e codice fiscale (Cognome, Nome, "
                       "Codice fiscale o CF) e una data di assunzione.")
_define("missing-column", "error", "Required column missing",
        "The header row was found but a required column is absent. Add the column, with one of "
        "the header spellings listed in docs/formats.md.",
        "the header row has no '{column}' column",
        "la riga di intestazione non ha la colonna '{column}'",
        title_it="Manca una colonna obbligatoria",
        description_it="La riga di intestazione c'è, ma manca una colonna obbligatoria. Aggiungi la colonna, con una delle "
                       "intestazioni elencate in docs/formats.md.")
_define("duplicate-column", "error", "Column appears twice",
        "Two columns of the header row mean the same field; welfarectl cannot tell which to use. "
        "Remove or rename one.",
        "column '{column}' appears twice (also {other})",
        "la colonna '{column}' compare due volte (anche {other})",
        title_it="Colonna ripetuta",
        description_it="Due colonne della riga di intestazione indicano lo stesso dato; welfarectl non può sapere quale "
                       "usare. Togline una o rinominala.")
_define("ignored-column", "warning", "Column not needed, not read",
        "The workbook has columns the network does not need (IBAN, salary, phone numbers...). They "
        "are never loaded; to keep personal data to the minimum, drop them from the export.",
        "columns not needed by the network are ignored and not loaded: {columns}",
        "colonne non necessarie alla rete, ignorate e non caricate: {columns}",
        title_it="Colonna non necessaria, non letta",
        description_it="La cartella di lavoro ha colonne che alla rete non servono (IBAN, stipendio, numeri di telefono...). "
                       "Non vengono mai caricate; per ridurre al minimo i dati personali, toglile dall'esportazione.")
_define("formula-without-value", "error", "Formula without a computed value",
        "The cell holds a formula that was never calculated (the file was written by a program "
        "that does not compute formulas). Open the file in Excel or LibreOffice and save it again.",
        "the cell holds a formula with no computed value; open and save the file in a spreadsheet",
        "la cella contiene una formula senza valore calcolato; apri e salva il file in un foglio di calcolo",
        title_it="Formula senza valore calcolato",
        description_it="La cella contiene una formula mai calcolata (il file è stato scritto da un programma che non calcola "
                       "le formule). Apri il file in Excel o LibreOffice e salvalo di nuovo.")
_define("merged-cells", "warning", "Merged cells in the data",
        "Merged cells in employee rows hold a value only in their first cell; welfarectl copies that "
        "value to every cell of the range, as it appears on screen. Unmerge them to be sure.",
        "cells {range} are merged; the value of {first} is used for all of them",
        "le celle {range} sono unite; il valore di {first} è usato per tutte",
        title_it="Celle unite tra i dati",
        description_it="Nelle righe dei dipendenti le celle unite hanno un valore solo nella prima cella; welfarectl copia "
                       "quel valore in tutte le celle dell'intervallo, come appare sullo schermo. Per sicurezza, separale.")
_define("hidden-cells", "warning", "Hidden rows or columns",
        "Hidden rows and columns are read like visible ones. Check that they are meant to be part "
        "of the list.",
        "hidden {hidden} {which} {is_are} read like the visible ones",
        "{hidden_it} {which} {read_it} come le altre", _hidden_forms,
        title_it="Righe o colonne nascoste",
        description_it="Le righe e le colonne nascoste si leggono come quelle visibili. Controlla che debbano far parte "
                       "dell'elenco.")
_define("missing-value", "error", "Required cell empty",
        "A row has a value in some columns but not in a required one.",
        "{column} is empty",
        "{column} è vuoto",
        title_it="Cella obbligatoria vuota",
        description_it="Una riga ha un valore in alcune colonne ma non in una obbligatoria.")
_define("invalid-date", "error", "Not a date",
        "Dates are read from date cells, from text as dd/mm/yyyy, dd-mm-yy or yyyy-mm-dd, and from "
        "Excel serial numbers. This value is none of them.",
        "{column}: '{value}' is not a date (use dd/mm/yyyy)",
        "{column}: '{value}' non è una data (usa gg/mm/aaaa)",
        title_it="Non è una data",
        description_it="Le date si leggono dalle celle di tipo data, dal testo scritto gg/mm/aaaa, gg-mm-aa o aaaa-mm-gg, e "
                       "dai numeri seriali di Excel. Questo valore non è nessuno di questi.")
_define("invalid-codice-fiscale", "error", "Invalid codice fiscale",
        "The codice fiscale has the wrong length, characters or check character. Copy it again from "
        "the tessera sanitaria.",
        "'{value}' is not a valid codice fiscale ({reason})",
        "'{value}' non è un codice fiscale valido ({reason_it})",
        title_it="Codice fiscale non valido",
        description_it="Il codice fiscale ha lunghezza, caratteri o carattere di controllo sbagliati. Copialo di nuovo dalla "
                       "tessera sanitaria.")
_define("invalid-partita-iva", "error", "Invalid partita IVA",
        "A partita IVA has 11 digits, the last a check digit; this one fails the check.",
        "'{value}' is not a valid partita IVA ({reason})",
        "'{value}' non è una partita IVA valida ({reason_it})",
        title_it="Partita IVA non valida",
        description_it="Una partita IVA ha 11 cifre, l'ultima di controllo; questa non supera il controllo.")
_define("duplicate-codice-fiscale", "error", "Same person listed twice",
        "The same codice fiscale appears in two rows of one workbook, or in two companies' workbooks "
        "with employments that overlap. A person holds one card: remove the duplicate row, or give "
        "the earlier employment its leaving date (someone who left one member company and was then "
        "hired by another has changed job: no error, and the earlier card is to revoke).",
        "codice fiscale {value} also appears at {other}",
        "il codice fiscale {value} compare anche in {other}",
        title_it="Stessa persona elencata due volte",
        description_it="Lo stesso codice fiscale compare in due righe della stessa cartella di lavoro, o nelle cartelle di "
                       "due imprese con rapporti di lavoro che si sovrappongono. Una persona ha una sola tessera: togli la "
                       "riga doppia, o dai al rapporto precedente la sua data di cessazione (chi ha lasciato un'impresa "
                       "aderente ed è poi stato assunto da un'altra ha cambiato lavoro: nessun errore, e la tessera "
                       "precedente va revocata).")
_define("unknown-company-workbook", "error", "Workbook for an unknown company",
        "Each workbook in members/ is named after a member company's id (members/<id>.xlsx). "
        "Rename the file, or add the company to catalogue/organisations.yaml with the "
        "member-company role.",
        "no member company has the id '{company}'{suggestion}",
        "nessuna impresa aderente ha l'identificativo '{company}'{suggestion_it}",
        title_it="Cartella di lavoro di un'impresa sconosciuta",
        description_it="Ogni cartella di lavoro in members/ ha il nome dell'identificativo di un'impresa aderente "
                       "(members/<id>.xlsx). Rinomina il file, oppure aggiungi l'impresa a catalogue/organisations.yaml con "
                       "il ruolo member-company.")
_define("missing-workbook", "warning", "Member company without a workbook",
        "A member company has no employee workbook in members/, so none of its staff get cards.",
        "member company '{company}' has no workbook members/{company}.xlsx",
        "l'impresa aderente '{company}' non ha la cartella di lavoro members/{company}.xlsx",
        title_it="Impresa aderente senza cartella di lavoro",
        description_it="Un'impresa aderente non ha la cartella di lavoro dei dipendenti in members/, quindi nessuno del suo "
                       "personale riceve la tessera.")
_define("workbook-not-xlsx", "warning", "Employee list in a format that is not read",
        "The member company's employee list is in members/ but not as an .xlsx workbook (a CSV, an old "
        ".xls, a LibreOffice .ods...), so none of its staff get cards. Open it in Excel or LibreOffice and "
        "save it as 'Excel Workbook (.xlsx)' under the same name; the file that was sent can then go.",
        "member company '{company}' has its list as members/{file}, which is not read: open it in a spreadsheet "
        "and save it as members/{company}.xlsx",
        "l'elenco dell'impresa aderente '{company}' è members/{file}, che non viene letto: aprilo in un foglio "
        "di calcolo e salvalo come members/{company}.xlsx",
        title_it="Elenco dei dipendenti in un formato che non viene letto",
        description_it="L'elenco dei dipendenti dell'impresa aderente è in members/ ma non come cartella di lavoro .xlsx (un "
                       "CSV, un vecchio .xls, un .ods di LibreOffice...), quindi nessuno del suo personale riceve la "
                       "tessera. Aprilo in Excel o LibreOffice e salvalo come «Cartella di lavoro di Excel (.xlsx)» con lo "
                       "stesso nome; il file ricevuto si può poi togliere.")
# --- workbooks: people ------------------------------------------------------------------------
_define("date-column-not-read", "warning", "Column of dates not read",
        "A column of the workbook holds dates, but its header is none the network knows, so it is not "
        "read. If it is when people were hired or left, a leaver would still get a card: rename its "
        "header to one of the date columns named in the message (docs/formats.md lists every spelling). "
        "Birth dates are not reported here: drop them from the export.",
        "column '{column}' holds dates but is not read: dates are read only from the columns {known}; "
        "if it is one of them, rename its header",
        "la colonna '{column}' contiene date ma non viene letta: le date si leggono solo dalle colonne "
        "{known}; se è una di queste, rinomina la sua intestazione",
        title_it="Colonna di date non letta",
        description_it="Una colonna della cartella di lavoro contiene date, ma la sua intestazione non è tra quelle che la "
                       "rete conosce, quindi non viene letta. Se indica quando le persone sono state assunte o sono uscite, "
                       "chi è uscito riceverebbe comunque la tessera: rinomina l'intestazione con una delle colonne di date "
                       "indicate nel messaggio (docs/formats.md elenca tutte le grafie). Le date di nascita non vengono "
                       "segnalate qui: toglile dall'esportazione.")
# --- intake and erasure: who holds the cards (members/holders.jsonl) ---------------------------
_define("holder-record-invalid", "error", "Invalid line in the card holders file",
        "members/holders.jsonl ties the pseudonyms that name card holders in the registry to people: "
        "each line is a holder's pseudonym, company, codice fiscale and key, and the key must give the "
        "pseudonym. A line that does not was edited by hand (handing a card to someone else is caught "
        "this way) or damaged; the file is written by welfarectl only. Restore it from version control.",
        "line {line} is not a valid holder record: {reason}",
        "la riga {line} non è un record di titolare valido: {reason_it}",
        title_it="Riga non valida nel file dei titolari delle tessere",
        description_it="members/holders.jsonl collega alle persone gli pseudonimi con cui il registro indica i titolari "
                       "delle tessere: ogni riga riporta lo pseudonimo, l'impresa, il codice fiscale e la chiave di un "
                       "titolare, e la chiave deve dare lo pseudonimo. Una riga che non lo fa è stata modificata a mano "
                       "(così si scopre chi prova ad assegnare una tessera a un altro) o è danneggiata; il file lo scrive "
                       "solo welfarectl. Ripristinalo dal controllo di versione.")
# --- cross-record checks -----------------------------------------------------------------------
_define("duplicate-id", "error", "Duplicate id",
        "Ids identify records across files and must be unique within their kind.",
        "{kind} id '{id}' is already used at {other}",
        "l'identificativo '{id}' è già usato tra {kind_it} in {other}",
        title_it="Identificativo ripetuto",
        description_it="Gli identificativi indicano le voci da un file all'altro e devono essere unici tra le voci dello "
                       "stesso tipo.")
_define("unsafe-file-name", "error", "Id that cannot be a file name",
        "Organisation ids and the network's id become file names: members/ID.xlsx, the booklet's and the "
        "cards' files, the folder of the signing keys. Windows keeps some names for devices (CON, PRN, AUX, "
        "NUL, COM1 to COM9, LPT1 to LPT9, with any extension): a file so named cannot be made or opened "
        "there. Choose another id.",
        "{field}: '{id}' cannot be a file name: {reason}",
        "{field}: '{id}' non può essere un nome di file: {reason_it}",
        title_it="Identificativo che non può essere un nome di file",
        description_it="Gli identificativi delle organizzazioni e quello della rete diventano nomi di file: "
                       "members/ID.xlsx, i file del libretto e delle tessere, la cartella delle chiavi di firma. "
                       "Windows riserva alcuni nomi ai dispositivi (CON, PRN, AUX, NUL, da COM1 a COM9, da LPT1 a "
                       "LPT9, con qualsiasi estensione): lì un file con quel nome non si può creare né aprire. "
                       "Scegli un altro identificativo.")
_define("unknown-reference", "error", "Reference to an unknown record",
        "A field names a record that does not exist. Check the spelling against the ids in the "
        "referenced file.",
        "{field}: no {kind} has the id '{id}'{suggestion}",
        "{field}: nessuna voce tra {kind_it} ha l'identificativo '{id}'{suggestion_it}",
        title_it="Rimando a una voce inesistente",
        description_it="Un campo indica una voce che non esiste. Controlla come è scritto rispetto agli identificativi del "
                       "file a cui rimanda.")
_define("missing-role", "error", "Organisation lacks the needed role",
        "The referenced organisation exists but does not have the role this field requires "
        "(for instance a service's provider must have the provider role).",
        "{field}: organisation '{id}' does not have the role '{role}'",
        "{field}: l'organizzazione '{id}' non ha il ruolo '{role}'",
        title_it="L'organizzazione non ha il ruolo richiesto",
        description_it="L'organizzazione indicata esiste ma non ha il ruolo che questo campo richiede (per esempio chi eroga "
                       "un servizio deve avere il ruolo provider).")
_define("date-order", "error", "Dates in the wrong order",
        "An end date is before its start date (leaving before hiring, a validity range that ends "
        "before it starts, leaving the network before joining it).",
        "{later_field} {later} is before {earlier_field} {earlier}",
        "{later_field} {later} è precedente a {earlier_field} {earlier}",
        title_it="Date in ordine sbagliato",
        description_it="Una data di fine viene prima della sua data di inizio (cessazione prima dell'assunzione, un periodo "
                       "di validità che finisce prima di cominciare, l'uscita dalla rete prima dell'adesione).")
_define("missing-identifier", "error", "Organisation without a tax identifier",
        "Every organisation needs a partita IVA or a codice fiscale.",
        "organisation '{id}' has neither partita_iva nor codice_fiscale",
        "l'organizzazione '{id}' non ha né partita_iva né codice_fiscale",
        title_it="Organizzazione senza codice fiscale né partita IVA",
        description_it="Ogni organizzazione ha bisogno di una partita IVA o di un codice fiscale.")
_define("missing-sector", "error", "Member company without a sector",
        "Member companies are counted by productive sector, so each needs its ATECO section.",
        "member company '{id}' has no ateco section",
        "l'impresa aderente '{id}' non ha la sezione ateco",
        title_it="Impresa aderente senza settore",
        description_it="Le imprese aderenti si contano per settore produttivo, quindi ognuna ha bisogno della sua sezione "
                       "ATECO.")
_define("workshop-participants", "error", "Participants do not add up",
        "A workshop's participants by organisation add up to more than its participant count.",
        "participants by organisation add up to {total}, more than participants {count}",
        "i partecipanti per organizzazione sommano a {total}, più di {count}",
        title_it="I partecipanti non tornano",
        description_it="I partecipanti di un laboratorio, sommati per organizzazione, sono più del numero totale di "
                       "partecipanti.")
_define("unknown-survey-company", "warning", "Survey answer from an unknown company",
        "Survey responses name the member company of the respondent; this one names no member company.",
        "company '{company}' is not a member company",
        "l'impresa '{company}' non è un'impresa aderente",
        title_it="Risposta al questionario di un'impresa sconosciuta",
        description_it="Le risposte al questionario indicano l'impresa aderente di chi risponde; questa non indica nessuna "
                       "impresa aderente.")
# --- messages that point at the cause (references to records with errors, repeated identifiers,
# the edited line of the registry) -------------------------------------------------------------
_define("reference-to-invalid-record", "warning", "Reference to a record with errors",
        "A field (or a workbook's name, or a survey answer) names a record that is in the catalogue but "
        "was not loaded because it has errors of its own, reported at its place. Fix those first; "
        "the reference is checked again then.",
        "{field}: refers to {kind} '{id}', which has errors at {other}",
        "{field_it}: rimanda a '{id}' tra {kind_it}, che ha errori in {other}",
        title_it="Rimando a una voce con errori",
        description_it="Un campo (o il nome di una cartella di lavoro, o una risposta al questionario) indica una voce che è "
                       "nel catalogo ma non è stata caricata perché ha errori suoi, segnalati al loro posto. Correggi prima "
                       "quelli; poi il rimando viene controllato di nuovo.")
_define("duplicate-partita-iva", "error", "Two organisations with the same partita IVA",
        "A partita IVA identifies one organisation, so two records with the same one are the same "
        "organisation written twice (or one of them has a wrong number). Keep one record.",
        "partita IVA {value} is already the one of organisation '{first}' at {other}",
        "la partita IVA {value} è già quella dell'organizzazione '{first}' in {other}",
        title_it="Due organizzazioni con la stessa partita IVA",
        description_it="Una partita IVA identifica una sola organizzazione, quindi due voci con la stessa partita IVA sono "
                       "la stessa organizzazione scritta due volte (o una delle due ha il numero sbagliato). Tienine una.")
_define("registry-line-edited", "error", "Card registry line edited by hand",
        "Each line of the card registry carries the hash of the line before it. The next line's hash "
        "of this line no longer matches it, while the numbering (seq) runs on without a gap: this line "
        "was changed after it was written (or, rarely, the hash on the next line was). Restore the "
        "registry from version control.",
        "line {line} was changed after it was written: line {next} records a different hash of it",
        "la riga {line} è stata modificata dopo essere stata scritta: la riga {next} ne registra un hash diverso",
        title_it="Riga del registro delle tessere modificata a mano",
        description_it="Ogni riga del registro delle tessere porta l'hash della riga precedente. L'hash di questa riga, "
                       "registrato nella riga dopo, non corrisponde più, mentre la numerazione (seq) prosegue senza salti: "
                       "la riga è stata cambiata dopo essere stata scritta (o, raramente, è cambiato l'hash nella riga "
                       "dopo). Ripristina il registro dal controllo di versione.")


# --- cards: the registry, the signing keys, the card layouts -----------------------------------
_define("registry-malformed", "error", "Invalid line in the card registry",
        "A line of the card registry (members/cards.jsonl) is not a well-formed event. The registry "
        "is written by `welfarectl cards`; it must not be edited by hand. Restore it from version "
        "control.",
        "line {line} is not a valid registry event: {reason}",
        "la riga {line} non è un evento valido del registro: {reason_it}",
        title_it="Riga non valida nel registro delle tessere",
        description_it="Una riga del registro delle tessere (members/cards.jsonl) non è un evento scritto correttamente. Il "
                       "registro lo scrive `welfarectl cards` e non va modificato a mano. Ripristinalo dal controllo di "
                       "versione.")
_define("registry-truncated", "error", "Card registry cut short",
        "The last line of the card registry is incomplete, as when a copy or a disk filled up "
        "mid-write. Restore the registry from version control or a backup.",
        "the last line ({line}) is incomplete",
        "l'ultima riga ({line}) è incompleta",
        title_it="Registro delle tessere troncato",
        description_it="L'ultima riga del registro delle tessere è incompleta, come quando una copia si interrompe o il "
                       "disco si riempie durante la scrittura. Ripristina il registro dal controllo di versione o da una "
                       "copia di sicurezza.")
_define("registry-chain-broken", "error", "Card registry lines deleted or moved",
        "Each line of the card registry carries the hash of the line before it. This line's hash "
        "does not match and its seq does not follow the line before's: lines were deleted or "
        "reordered (a line edited in place, with the numbering intact, is `registry-line-edited`, "
        "reported at that line). Restore the registry from version control.",
        "line {line} does not follow from line {previous}: a line was edited, deleted or moved",
        "la riga {line} non segue dalla riga {previous}: una riga è stata modificata, tolta o spostata",
        title_it="Righe del registro delle tessere tolte o spostate",
        description_it="Ogni riga del registro delle tessere porta l'hash della riga precedente. L'hash di questa riga non "
                       "corrisponde e il suo seq non segue quello della riga prima: delle righe sono state tolte o "
                       "riordinate (una riga modificata sul posto, con la numerazione intatta, è `registry-line-edited`, "
                       "segnalata in quella riga). Ripristina il registro dal controllo di versione.")
_define("card-holder-left", "warning", "Active card of someone who has left",
        "The card's holder has a leaving date in their company's workbook but the card is still "
        "active. Revoke it: `welfarectl cards revoke NUMBER --reason left`.",
        "card {card} of {holder} is active but they left {company} on {left}",
        "la tessera {card} di {holder} è attiva ma ha lasciato {company} il {left}",
        title_it="Tessera attiva di una persona che è uscita",
        description_it="Il titolare della tessera ha una data di cessazione nella cartella di lavoro della sua impresa, ma "
                       "la tessera è ancora attiva. Revocala: `welfarectl cards revoke NUMERO --reason left`.")
_define("card-holder-unknown", "warning", "Active card of someone in no workbook",
        "The card's holder is no longer in their company's workbook. If they left, revoke the card; "
        "if the workbook is wrong, fix it.",
        "card {card}: holder {holder} is not in the workbook of {company}",
        "tessera {card}: il titolare {holder} non è nel file di {company}",
        title_it="Tessera attiva di una persona assente dagli elenchi",
        description_it="Il titolare della tessera non è più nella cartella di lavoro della sua impresa. Se è uscito, revoca "
                       "la tessera; se è sbagliata la cartella di lavoro, correggila.")
_define("invalid-public-key", "error", "Unreadable public key",
        "Files in catalogue/keys/ must be Ed25519 public keys in PEM format, named by their key id "
        "(`welfarectl keys init` writes them).",
        "{reason}",
        "{reason_it}",
        title_it="Chiave pubblica illeggibile",
        description_it="I file in catalogue/keys/ devono essere chiavi pubbliche Ed25519 in formato PEM, con il nome del "
                       "loro identificativo di chiave (li scrive `welfarectl keys init`).")
_define("unknown-placeholder", "error", "Unknown field in a layout text",
        "A layout's text names a field in braces that welfarectl does not know. The fields are "
        "listed in docs/formats.md.",
        "unknown field '{{{name}}}'{suggestion}; known fields: {known}",
        "campo sconosciuto '{{{name}}}'{suggestion_it}; campi noti: {known}",
        title_it="Campo sconosciuto in un testo del modello",
        description_it="Un testo del modello della tessera indica tra graffe un campo che welfarectl non conosce. I campi "
                       "sono elencati in docs/formats.md.")
_define("layout-outside-safe-area", "error", "Layout element too close to the edge",
        "Text and the QR code must stay at least 3 mm inside the card's trim, or the cutter may "
        "clip them; only backgrounds may reach the edge (and then print into the bleed).",
        "{element} reaches {distance} mm from the trim; text and QR need at least {minimum} mm",
        "{element_it} arriva a {distance} mm dal taglio; testi e QR richiedono almeno {minimum} mm",
        title_it="Elemento del modello troppo vicino al bordo",
        description_it="I testi e il codice QR devono stare ad almeno 3 mm dentro il taglio della tessera, altrimenti la "
                       "taglierina può rifilarli; solo gli sfondi possono arrivare al bordo (e allora si stampano anche "
                       "nell'abbondanza).")
_define("qr-too-small", "error", "QR code too small to scan",
        "Each module of the printed QR code must be at least 0.4 mm, or phones and counter "
        "scanners fail on it. Make the QR element larger.",
        "the QR code's modules would be {module} mm; at least {minimum} mm are needed (size {needed} mm or more)",
        "i moduli del QR sarebbero di {module} mm; ne servono almeno {minimum} (lato di almeno {needed} mm)",
        title_it="Codice QR troppo piccolo per essere letto",
        description_it="Ogni modulo (quadratino) del codice QR stampato deve misurare almeno 0,4 mm, altrimenti telefoni e "
                       "lettori al banco non riescono a leggerlo. Ingrandisci l'elemento QR.")
_define("unprintable-character", "error", "Character missing from the card font",
        "A name contains a character the card's font has no glyph for; it would print as an empty "
        "box. Check the character, or choose a font that has it: the message names one for the "
        "character's script, to list under `card: fallback_fonts` in catalogue/network.yaml.",
        "'{text}' contains {character}, which no card font ({font}) can print{advice}",
        "'{text}' contiene {character}, che nessun font della tessera ({font}) può stampare{advice_it}",
        title_it="Carattere assente dai font della tessera",
        description_it="Un nome contiene un carattere per cui nessun font della tessera ha un glifo: verrebbe stampato "
                       "come un quadratino vuoto. Controlla il carattere, o scegli un font che lo abbia: il messaggio ne "
                       "indica uno per la scrittura del carattere, da elencare sotto `card: fallback_fonts` in "
                       "catalogue/network.yaml.")

_define("layout-overlap", "warning", "Layout elements overlap",
        "Two elements that carry content (texts, lists, the QR code) overlap on the card, so one would "
        "print over the other. Rectangles are backgrounds and may lie under anything.",
        "{element} overlaps {other} (line {other_line})",
        "{element_it} si sovrappone a un altro elemento, {other_it} (riga {other_line})",
        title_it="Elementi del modello sovrapposti",
        description_it="Due elementi con un contenuto (testi, elenchi, il codice QR) si sovrappongono sulla tessera, quindi "
                       "uno verrebbe stampato sopra l'altro. I rettangoli sono sfondi e possono stare sotto qualsiasi "
                       "elemento.")
_define("text-does-not-fit", "error", "Text too long for its box",
        "A fixed layout text (one without per-card fields) does not fit its box even at its min_size on "
        "max_lines lines, so it would print smaller than min_size on every card. Shorten the text, "
        "enlarge the box, or allow more lines. (Holders' names are fitted card by card when printing: "
        "the print run lists those printed below min_size and holds back those below 5 pt.)",
        "{element} fits only at {size} pt, below its min_size {min_size} pt",
        "{element_it} entra solo a {size} pt, sotto il suo min_size di {min_size} pt",
        title_it="Testo troppo lungo per il suo riquadro",
        description_it="Un testo fisso del modello (senza campi che cambiano da tessera a tessera) non entra nel suo "
                       "riquadro nemmeno alla dimensione min_size su max_lines righe, quindi verrebbe stampato più piccolo "
                       "di min_size su ogni tessera. Accorcia il testo, allarga il riquadro o permetti più righe. (I nomi "
                       "dei titolari si adattano tessera per tessera in stampa: la stampa elenca quelli stampati sotto "
                       "min_size e trattiene quelli sotto 5 pt.)")
_define("registry-lines-missing", "error", "Lines missing at the end of the card registry",
        "members/cards.head records how many lines the card registry had and the hash of its last "
        "line when welfarectl last wrote it. The registry is now shorter, or its last line differs: "
        "lines were deleted or edited at the end. Restore both files from version control. (Lines "
        "deleted at the end together with members/cards.head leave nothing to compare: version control "
        "is the only record of those.)",
        "line {expected}, recorded in members/cards.head as the last one written, is no longer in the "
        "registry ({found_lines}): lines were deleted or edited at its end",
        "la riga {expected}, registrata in members/cards.head come l'ultima scritta, non è più nel "
        "registro ({found_lines_it}): righe in fondo sono state tolte o modificate",
        lambda params: {"found_lines": plural(int(params["found"]), "line", "lines"),  # type: ignore[call-overload]
                        "found_lines_it": plural(int(params["found"]), "riga", "righe")},
        title_it="Mancano righe in fondo al registro delle tessere",
        description_it="members/cards.head registra quante righe aveva il registro delle tessere e l'hash della sua ultima "
                       "riga quando welfarectl lo ha scritto l'ultima volta. Ora il registro è più corto, o la sua ultima "
                       "riga è diversa: delle righe in fondo sono state tolte o modificate. Ripristina entrambi i file dal "
                       "controllo di versione. (Se le righe in fondo sono state tolte insieme a members/cards.head non resta "
                       "nulla con cui confrontarle: solo il controllo di versione ne conserva traccia.)")

# --- the booklet's templates -------------------------------------------------------------------
_define("template-syntax", "error", "Booklet template broken",
        "A text template of the booklet (templates/booklet/) is not valid Jinja: an unclosed {{ or {%, an "
        "unknown tag, a block never ended. The location is the line Jinja stopped at; the mistake is often "
        "just before it.",
        "the template is broken: {detail}",
        "il modello non è valido: Jinja dice «{detail}»",
        title_it="Modello del libretto non valido",
        description_it="Un modello di testo del libretto (templates/booklet/) non è Jinja valido: una {{ o una {% "
                       "non chiusa, un tag sconosciuto, un blocco mai terminato. La posizione è la riga dove Jinja si è "
                       "fermato; l'errore è spesso poco prima.")
_define("template-unknown-variable", "error", "Unknown variable in a booklet template",
        "A booklet template uses a variable (or a field of one) that welfarectl does not give it, often a "
        "typo. The message lists the variables the template can use; docs/formats.md describes them.",
        "'{name}' is not a variable of this template{suggestion}; known: {known}",
        "'{name}' non è una variabile di questo modello{suggestion_it}; variabili note: {known}",
        title_it="Variabile sconosciuta in un modello del libretto",
        description_it="Un modello del libretto usa una variabile (o un suo campo) che welfarectl non gli fornisce, "
                       "spesso per un errore di battitura. Il messaggio elenca le variabili che il modello può usare; "
                       "docs/formats.md le descrive.")
_define("template-error", "error", "Booklet template fails when filled in",
        "The template is valid Jinja but fails when filled in with the network's values (a calculation that "
        "cannot be done, something the sandbox forbids), or the text it gives is not valid booklet markup "
        "(only <b>, <i>, <u>, <br/> and <font> tags, each closed).",
        "the template fails when filled in: {detail}",
        "il modello non si compila con i valori della rete: «{detail}»",
        title_it="Il modello del libretto non si compila",
        description_it="Il modello è Jinja valido ma non si compila con i valori della rete (un calcolo impossibile, "
                       "qualcosa che l'ambiente protetto vieta), oppure il testo che produce non è un markup valido "
                       "per il libretto (solo i tag <b>, <i>, <u>, <br/> e <font>, ciascuno chiuso).")


# --- cards: the network's fallback fonts (catalogue/network.yaml, card: fallback_fonts) -------
_define("font-file-unreadable", "error", "Font file missing or unreadable",
        "network.yaml names a font file under `card: fallback_fonts` that cannot be read. Paths are "
        "from the network directory (e.g. fonts/NotoSansSC-Regular.ttf, for a file in the folder "
        "fonts/ beside catalogue/), and stay inside it. Put the file there, or correct the path.",
        "cannot read the font file {file}: {reason}",
        "impossibile leggere il file di font {file}: {reason_it}",
        title_it="File di font mancante o illeggibile",
        description_it="network.yaml indica sotto `card: fallback_fonts` un file di font che non si riesce a leggere. "
                       "I percorsi partono dalla cartella della rete (per esempio fonts/NotoSansSC-Regular.ttf, per un "
                       "file nella cartella fonts/ accanto a catalogue/) e restano al suo interno. Metti lì il file, o "
                       "correggi il percorso.")
_define("font-unsupported", "error", "Font file that cannot be embedded",
        "Card PDFs embed their fonts, and ReportLab embeds only TrueType fonts with outlines (.ttf, or "
        "the first font of a .ttc collection). OpenType fonts with PostScript (CFF) outlines, as many "
        ".otf files are, bitmap fonts and colour-emoji fonts cannot be used: most free families, the "
        "Noto fonts among them, are also published as .ttf.",
        "{file} is not a font the card PDFs can embed: {reason}",
        "{file} non è un font che i PDF delle tessere possano incorporare: {reason_it}",
        title_it="File di font che non si può incorporare",
        description_it="I PDF delle tessere incorporano i loro font, e ReportLab incorpora solo font TrueType con contorni "
                       "(.ttf, o il primo font di una raccolta .ttc). I font OpenType con contorni PostScript (CFF), come "
                       "molti file .otf, i font bitmap e quelli a emoji colorate non si possono usare: la maggior parte "
                       "delle famiglie libere, tra cui i font Noto, è pubblicata anche in .ttf.")
_define("font-embedding-restricted", "error", "Font whose licence forbids embedding",
        "A font's file says what its licence allows (the fsType flags of its OS/2 table). This one "
        "forbids what printing cards needs: embedding a subset of the font in the PDF, as every print "
        "shop requires. Choose a font under a licence that allows embedding, such as the SIL Open Font "
        "Licence of the Noto fonts.",
        "the licence flags of {file} forbid {forbids}",
        "i permessi di licenza di {file} vietano {forbids_it}",
        title_it="Font la cui licenza vieta l'incorporamento",
        description_it="Il file di un font dice che cosa permette la sua licenza (i flag fsType della tabella OS/2). "
                       "Questo vieta ciò che serve per stampare le tessere: incorporare nel PDF un sottoinsieme del "
                       "font, come chiede ogni tipografia. Scegli un font con una licenza che lo permetta, come quella "
                       "dei font Noto (la licenza libera SIL OFL).")


def render_catalogue_markdown() -> str:
    """docs/problems.md: every problem code, for the people who must fix them, in English and in Italian."""
    lines = ["# Problem codes", "",
             "Generated from `welfarectl/base/problems.py` by `python tools/make_docs.py`; "
             "`welfarectl problems CODE` prints the same. Errors make `validate` exit 1; warnings "
             "only with `--strict`.", "",
             "*In italiano:* ogni codice ha qui anche titolo, spiegazione e messaggio in italiano; "
             "`welfarectl problems CODICE --lang it` li stampa. Gli errori fanno uscire `validate` con 1; "
             "gli avvisi solo con `--strict`.", ""]
    severity_it = {"error": "errore", "warning": "avviso"}
    for kind in CATALOGUE.values():
        lines += [f"## `{kind.code}`", "", f"**{kind.title}** ({kind.severity})", "", kind.description, "",
                  f"- message: {kind.message_en}", "",
                  f"**{kind.title_in('it')}** ({severity_it[kind.severity]})", "", kind.description_in("it"), "",
                  f"- messaggio: {kind.message_it}", ""]
    return "\n".join(lines)
