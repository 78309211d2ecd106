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

    def params_for(self, params: dict[str, object]) -> dict[str, object]:
        return {**params, **self.derive(params)} if self.derive else params


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
    errno.EIO: "errore di lettura del disco",
    errno.ENAMETOOLONG: "nome del file troppo lungo",
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
            derive: Callable[[dict[str, object]], dict[str, object]] | None = None) -> None:
    CATALOGUE[code] = ProblemType(code, severity, title, description, en, it, derive)


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
        "manca il file obbligatorio {name}")
_define("file-unreadable", "error", "File cannot be read",
        "The operating system refused to read the file (permissions, a directory in its place, "
        "a broken link). Check the file itself.",
        "cannot read the file: {reason}",
        "impossibile leggere il file: {reason_it}")
# --- YAML --------------------------------------------------------------------------------------
_define("yaml-encoding", "error", "File is not UTF-8",
        "Catalogue files must be saved as UTF-8 text. Re-save the file as UTF-8 in your editor; "
        "the location points at the first byte that is not valid UTF-8.",
        "the file is not UTF-8 text (byte 0x{byte} cannot be decoded); save it as UTF-8",
        "il file non è testo UTF-8 (il byte 0x{byte} non è decodificabile); salvalo come UTF-8")
_define("yaml-empty", "error", "File is empty",
        "The file has no content. Every catalogue file is a mapping with at least its top-level key.",
        "the file is empty; expected a mapping with the key '{key}'",
        "il file è vuoto; atteso un elenco con la chiave '{key}'")
_define("yaml-syntax", "error", "YAML syntax error",
        "The file is not valid YAML. Common causes: tabs used for indentation (use spaces), a "
        "missing colon, unbalanced quotes or brackets, wrong indentation.",
        "YAML syntax error: {detail}",
        "errore di sintassi YAML: {detail_it}")
_define("yaml-tab", "error", "Tab used for indentation",
        "YAML does not allow tab characters for indentation. Replace the tab with spaces.",
        "a tab character is used for indentation; use spaces",
        "un carattere di tabulazione è usato per il rientro; usa gli spazi")
_define("yaml-unsupported-tag", "error", "Unsupported YAML tag",
        "Only plain YAML data is read: tags such as !!python/object or !custom are refused and "
        "never executed. Remove the tag.",
        "the tag {tag} is not allowed; write plain values",
        "il tag {tag} non è ammesso; scrivi valori semplici")
_define("yaml-duplicate-key", "error", "Duplicate key",
        "The same key appears twice in one mapping. YAML would silently keep only the last one, "
        "so welfarectl refuses it: remove or rename one of them.",
        "the key '{key}' appears twice in this mapping (first at line {first_line})",
        "la chiave '{key}' compare due volte (la prima alla riga {first_line})")
_define("yaml-too-complex", "error", "YAML too large or too nested",
        "Anchors and aliases expand into more values than any catalogue needs (an 'alias bomb'), "
        "or an alias refers to itself. Write the values out instead of repeating aliases.",
        "the document expands to too many values or refers to itself through aliases; refused",
        "il documento si espande in troppi valori o fa riferimento a sé stesso tramite alias; rifiutato")
_define("wrong-type", "error", "Value of the wrong type",
        "The value does not have the type the field needs (text, number, date, list, mapping, "
        "yes/no). Dates are written as YYYY-MM-DD; text that looks like a number or a yes/no can be "
        "put in quotes.",
        "{field}: expected {expected}, found {found}",
        "{field}: atteso {expected_it}, trovato {found_it}")
_define("invalid-value", "error", "Invalid value",
        "The value has the right type but breaks the field's rule (a pattern, a range, a length).",
        "{field}: {detail}",
        "{field}: {detail_it}")
_define("invalid-choice", "error", "Value not among the allowed choices",
        "The field takes one of a fixed list of values; the message lists them.",
        "{field}: '{value}' is not one of {allowed}",
        "{field}: '{value}' non è tra i valori ammessi {allowed_it}")
_define("missing-field", "error", "Required field missing",
        "A required field is absent. docs/formats.md lists every field and whether it is required.",
        "required field '{field}' is missing",
        "manca il campo obbligatorio '{field}'")
_define("unknown-field", "error", "Unknown field",
        "The field is not part of the format. Usually a typo, which would otherwise leave the field it "
        "meant at its default without a word (`validity_month: 12` for `validity_months`): the message "
        "suggests the closest known field. The JSON Schemas (`welfarectl schema KIND`) say the same.",
        "unknown field '{field}'{suggestion}",
        "campo sconosciuto '{field}'{suggestion_it}")
# --- workbooks ---------------------------------------------------------------------------------
_define("unreadable-workbook", "error", "Not a readable Excel workbook",
        "The file is not an .xlsx workbook welfarectl can read: a CSV or old .xls renamed, a "
        "truncated download, or a password-protected file. Open it in Excel or LibreOffice and "
        "save it as 'Excel Workbook (.xlsx)' without a password.",
        "not a readable .xlsx workbook: {reason}",
        "non è una cartella di lavoro .xlsx leggibile: {reason_it}")
_define("workbook-too-large", "error", "Workbook too large or compressed suspiciously",
        "The workbook would expand to more data than any employee list needs (a 'zip bomb' or a "
        "corrupt file), so it is refused before it is read.",
        "refused: the workbook expands to {size} (limit {limit})",
        "rifiutato: la cartella di lavoro si espande a {size} (limite {limit_it})")
_define("header-not-found", "error", "No header row found",
        "No sheet has a row with the columns welfarectl needs. The header row may be below title "
        "rows; it needs at least surname, given name and codice fiscale columns "
        "(Cognome/Surname, Nome/Name, Codice fiscale/CF/Tax code) and a hire date.",
        "no sheet has a header row with {required}",
        "nessun foglio ha una riga di intestazione con {required_it}")
_define("missing-column", "error", "Required column missing",
        "The header row was found but a required column is absent. Add the column, with one of "
        "the header spellings listed in docs/formats.md.",
        "the header row has no '{column}' column",
        "la riga di intestazione non ha la colonna '{column}'")
_define("duplicate-column", "error", "Column appears twice",
        "Two columns of the header row mean the same field; welfarectl cannot tell which to use. "
        "Remove or rename one.",
        "column '{column}' appears twice (also {other})",
        "la colonna '{column}' compare due volte (anche {other})")
_define("ignored-column", "warning", "Column not needed, not read",
        "The workbook has columns the network does not need (IBAN, salary, phone numbers...). They "
        "are never loaded; to keep personal data to the minimum, drop them from the export.",
        "columns not needed by the network are ignored and not loaded: {columns}",
        "colonne non necessarie alla rete, ignorate e non caricate: {columns}")
_define("formula-without-value", "error", "Formula without a computed value",
        "The cell holds a formula that was never calculated (the file was written by a program "
        "that does not compute formulas). Open the file in Excel or LibreOffice and save it again.",
        "the cell holds a formula with no computed value; open and save the file in a spreadsheet",
        "la cella contiene una formula senza valore calcolato; apri e salva il file in un foglio di calcolo")
_define("merged-cells", "warning", "Merged cells in the data",
        "Merged cells in employee rows hold a value only in their first cell; welfarectl copies that "
        "value to every cell of the range, as it appears on screen. Unmerge them to be sure.",
        "cells {range} are merged; the value of {first} is used for all of them",
        "le celle {range} sono unite; il valore di {first} è usato per tutte")
_define("hidden-cells", "warning", "Hidden rows or columns",
        "Hidden rows and columns are read like visible ones. Check that they are meant to be part "
        "of the list.",
        "hidden {hidden} {which} {is_are} read like the visible ones",
        "{hidden_it} {which} {read_it} come le altre", _hidden_forms)
_define("missing-value", "error", "Required cell empty",
        "A row has a value in some columns but not in a required one.",
        "{column} is empty",
        "{column} è vuoto")
_define("invalid-date", "error", "Not a date",
        "Dates are read from date cells, from text as dd/mm/yyyy, dd-mm-yy or yyyy-mm-dd, and from "
        "Excel serial numbers. This value is none of them.",
        "{column}: '{value}' is not a date (use dd/mm/yyyy)",
        "{column}: '{value}' non è una data (usa gg/mm/aaaa)")
_define("invalid-codice-fiscale", "error", "Invalid codice fiscale",
        "The codice fiscale has the wrong length, characters or check character. Copy it again from "
        "the tessera sanitaria.",
        "'{value}' is not a valid codice fiscale ({reason})",
        "'{value}' non è un codice fiscale valido ({reason_it})")
_define("invalid-partita-iva", "error", "Invalid partita IVA",
        "A partita IVA has 11 digits, the last a check digit; this one fails the check.",
        "'{value}' is not a valid partita IVA ({reason})",
        "'{value}' non è una partita IVA valida ({reason_it})")
_define("duplicate-codice-fiscale", "error", "Same person listed twice",
        "The same codice fiscale appears in two rows of one workbook, or in two companies' workbooks "
        "with employments that overlap. A person holds one card: remove the duplicate row, or give "
        "the earlier employment its leaving date (someone who left one member company and was then "
        "hired by another has changed job: no error, and the earlier card is to revoke).",
        "codice fiscale {value} also appears at {other}",
        "il codice fiscale {value} compare anche in {other}")
_define("unknown-company-workbook", "error", "Workbook for an unknown company",
        "Each workbook in members/ is named after a member company's id (members/<id>.xlsx). "
        "Rename the file, or add the company to catalogue/organisations.yaml with the "
        "member-company role.",
        "no member company has the id '{company}'{suggestion}",
        "nessuna impresa aderente ha l'identificativo '{company}'{suggestion_it}")
_define("missing-workbook", "warning", "Member company without a workbook",
        "A member company has no employee workbook in members/, so none of its staff get cards.",
        "member company '{company}' has no workbook members/{company}.xlsx",
        "l'impresa aderente '{company}' non ha la cartella di lavoro members/{company}.xlsx")
_define("workbook-not-xlsx", "warning", "Employee list in a format that is not read",
        "The member company's employee list is in members/ but not as an .xlsx workbook (a CSV, an old "
        ".xls, a LibreOffice .ods...), so none of its staff get cards. Open it in Excel or LibreOffice and "
        "save it as 'Excel Workbook (.xlsx)' under the same name; the file that was sent can then go.",
        "member company '{company}' has its list as members/{file}, which is not read: open it in a spreadsheet "
        "and save it as members/{company}.xlsx",
        "l'elenco dell'impresa aderente '{company}' è members/{file}, che non viene letto: aprilo in un foglio "
        "di calcolo e salvalo come members/{company}.xlsx")
# --- workbooks: people ------------------------------------------------------------------------
_define("date-column-not-read", "warning", "Column of dates not read",
        "A column of the workbook holds dates, but its header is none the network knows, so it is not "
        "read. If it is when people were hired or left, a leaver would still get a card: rename its "
        "header to one of the date columns named in the message (docs/formats.md lists every spelling). "
        "Birth dates are not reported here: drop them from the export.",
        "column '{column}' holds dates but is not read: dates are read only from the columns {known}; "
        "if it is one of them, rename its header",
        "la colonna '{column}' contiene date ma non viene letta: le date si leggono solo dalle colonne "
        "{known}; se è una di queste, rinomina la sua intestazione")
# --- intake and erasure: who holds the cards (members/holders.jsonl) ---------------------------
_define("holder-record-invalid", "error", "Invalid line in the card holders file",
        "members/holders.jsonl ties the pseudonyms that name card holders in the registry to people: "
        "each line is a holder's pseudonym, company, codice fiscale and key, and the key must give the "
        "pseudonym. A line that does not was edited by hand (handing a card to someone else is caught "
        "this way) or damaged; the file is written by welfarectl only. Restore it from version control.",
        "line {line} is not a valid holder record: {reason}",
        "la riga {line} non è un record di titolare valido: {reason_it}")
# --- cross-record checks -----------------------------------------------------------------------
_define("duplicate-id", "error", "Duplicate id",
        "Ids identify records across files and must be unique within their kind.",
        "{kind} id '{id}' is already used at {other}",
        "l'identificativo '{id}' è già usato tra {kind_it} in {other}")
_define("unknown-reference", "error", "Reference to an unknown record",
        "A field names a record that does not exist. Check the spelling against the ids in the "
        "referenced file.",
        "{field}: no {kind} has the id '{id}'{suggestion}",
        "{field}: nessuna voce tra {kind_it} ha l'identificativo '{id}'{suggestion_it}")
_define("missing-role", "error", "Organisation lacks the needed role",
        "The referenced organisation exists but does not have the role this field requires "
        "(for instance a service's provider must have the provider role).",
        "{field}: organisation '{id}' does not have the role '{role}'",
        "{field}: l'organizzazione '{id}' non ha il ruolo '{role}'")
_define("date-order", "error", "Dates in the wrong order",
        "An end date is before its start date (leaving before hiring, a validity range that ends "
        "before it starts, leaving the network before joining it).",
        "{later_field} {later} is before {earlier_field} {earlier}",
        "{later_field} {later} è precedente a {earlier_field} {earlier}")
_define("missing-identifier", "error", "Organisation without a tax identifier",
        "Every organisation needs a partita IVA or a codice fiscale.",
        "organisation '{id}' has neither partita_iva nor codice_fiscale",
        "l'organizzazione '{id}' non ha né partita_iva né codice_fiscale")
_define("missing-sector", "error", "Member company without a sector",
        "Member companies are counted by productive sector, so each needs its ATECO section.",
        "member company '{id}' has no ateco section",
        "l'impresa aderente '{id}' non ha la sezione ateco")
_define("workshop-participants", "error", "Participants do not add up",
        "A workshop's participants by organisation add up to more than its participant count.",
        "participants by organisation add up to {total}, more than participants {count}",
        "i partecipanti per organizzazione sommano a {total}, più di {count}")
_define("unknown-survey-company", "warning", "Survey answer from an unknown company",
        "Survey responses name the member company of the respondent; this one names no member company.",
        "company '{company}' is not a member company",
        "l'impresa '{company}' non è un'impresa aderente")
# --- messages that point at the cause (references to records with errors, repeated identifiers,
# the edited line of the registry) -------------------------------------------------------------
_define("reference-to-invalid-record", "warning", "Reference to a record with errors",
        "A field (or a workbook's name, or a survey answer) names a record that is in the catalogue but "
        "was not loaded because it has errors of its own, reported at its place. Fix those first; "
        "the reference is checked again then.",
        "{field}: refers to {kind} '{id}', which has errors at {other}",
        "{field_it}: rimanda a '{id}' tra {kind_it}, che ha errori in {other}")
_define("duplicate-partita-iva", "error", "Two organisations with the same partita IVA",
        "A partita IVA identifies one organisation, so two records with the same one are the same "
        "organisation written twice (or one of them has a wrong number). Keep one record.",
        "partita IVA {value} is already the one of organisation '{first}' at {other}",
        "la partita IVA {value} è già quella dell'organizzazione '{first}' in {other}")
_define("registry-line-edited", "error", "Card registry line edited by hand",
        "Each line of the card registry carries the hash of the line before it. The next line's hash "
        "of this line no longer matches it, while the numbering (seq) runs on without a gap: this line "
        "was changed after it was written (or, rarely, the hash on the next line was). Restore the "
        "registry from version control.",
        "line {line} was changed after it was written: line {next} records a different hash of it",
        "la riga {line} è stata modificata dopo essere stata scritta: la riga {next} ne registra un hash diverso")


# --- cards: the registry, the signing keys, the card layouts -----------------------------------
_define("registry-malformed", "error", "Invalid line in the card registry",
        "A line of the card registry (members/cards.jsonl) is not a well-formed event. The registry "
        "is written by `welfarectl cards`; it must not be edited by hand. Restore it from version "
        "control.",
        "line {line} is not a valid registry event: {reason}",
        "la riga {line} non è un evento valido del registro: {reason_it}")
_define("registry-truncated", "error", "Card registry cut short",
        "The last line of the card registry is incomplete, as when a copy or a disk filled up "
        "mid-write. Restore the registry from version control or a backup.",
        "the last line ({line}) is incomplete",
        "l'ultima riga ({line}) è incompleta")
_define("registry-chain-broken", "error", "Card registry lines deleted or moved",
        "Each line of the card registry carries the hash of the line before it. This line's hash "
        "does not match and its seq does not follow the line before's: lines were deleted or "
        "reordered (a line edited in place, with the numbering intact, is `registry-line-edited`, "
        "reported at that line). Restore the registry from version control.",
        "line {line} does not follow from line {previous}: a line was edited, deleted or moved",
        "la riga {line} non segue dalla riga {previous}: una riga è stata modificata, tolta o spostata")
_define("card-holder-left", "warning", "Active card of someone who has left",
        "The card's holder has a leaving date in their company's workbook but the card is still "
        "active. Revoke it: `welfarectl cards revoke NUMBER --reason left`.",
        "card {card} of {holder} is active but they left {company} on {left}",
        "la tessera {card} di {holder} è attiva ma ha lasciato {company} il {left}")
_define("card-holder-unknown", "warning", "Active card of someone in no workbook",
        "The card's holder is no longer in their company's workbook. If they left, revoke the card; "
        "if the workbook is wrong, fix it.",
        "card {card}: holder {holder} is not in the workbook of {company}",
        "tessera {card}: il titolare {holder} non è nel file di {company}")
_define("invalid-public-key", "error", "Unreadable public key",
        "Files in catalogue/keys/ must be Ed25519 public keys in PEM format, named by their key id "
        "(`welfarectl keys init` writes them).",
        "{reason}",
        "{reason_it}")
_define("unknown-placeholder", "error", "Unknown field in a layout text",
        "A layout's text names a field in braces that welfarectl does not know. The fields are "
        "listed in docs/formats.md.",
        "unknown field '{{{name}}}'{suggestion}; known fields: {known}",
        "campo sconosciuto '{{{name}}}'{suggestion_it}; campi noti: {known}")
_define("layout-outside-safe-area", "error", "Layout element too close to the edge",
        "Text and the QR code must stay at least 3 mm inside the card's trim, or the cutter may "
        "clip them; only backgrounds may reach the edge (and then print into the bleed).",
        "{element} reaches {distance} mm from the trim; text and QR need at least {minimum} mm",
        "{element_it} arriva a {distance} mm dal taglio; testi e QR richiedono almeno {minimum} mm")
_define("qr-too-small", "error", "QR code too small to scan",
        "Each module of the printed QR code must be at least 0.4 mm, or phones and counter "
        "scanners fail on it. Make the QR element larger.",
        "the QR code's modules would be {module} mm; at least {minimum} mm are needed (size {needed} mm or more)",
        "i moduli del QR sarebbero di {module} mm; ne servono almeno {minimum} (lato di almeno {needed} mm)")
_define("unprintable-character", "error", "Character missing from the card font",
        "A name contains a character the card's font has no glyph for; it would print as an empty "
        "box. Check the character, or choose a font that has it.",
        "'{text}' contains {character}, which font {font} cannot print",
        "'{text}' contiene {character}, che il font {font} non può stampare")

_define("layout-overlap", "warning", "Layout elements overlap",
        "Two elements that carry content (texts, lists, the QR code) overlap on the card, so one would "
        "print over the other. Rectangles are backgrounds and may lie under anything.",
        "{element} overlaps {other} (line {other_line})",
        "{element_it} si sovrappone a un altro elemento, {other_it} (riga {other_line})")
_define("text-does-not-fit", "error", "Text too long for its box",
        "A fixed layout text (one without per-card fields) does not fit its box even at its min_size on "
        "max_lines lines, so it would print smaller than min_size on every card. Shorten the text, "
        "enlarge the box, or allow more lines. (Holders' names are fitted card by card when printing: "
        "the print run lists those printed below min_size and holds back those below 5 pt.)",
        "{element} fits only at {size} pt, below its min_size {min_size} pt",
        "{element_it} entra solo a {size} pt, sotto il suo min_size di {min_size} pt")
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
                        "found_lines_it": plural(int(params["found"]), "riga", "righe")})

# --- the booklet's templates -------------------------------------------------------------------
_define("template-syntax", "error", "Booklet template broken",
        "A text template of the booklet (templates/booklet/) is not valid Jinja: an unclosed {{ or {%, an "
        "unknown tag, a block never ended. The location is the line Jinja stopped at; the mistake is often "
        "just before it.",
        "the template is broken: {detail}",
        "il modello non è valido: Jinja dice «{detail}»")
_define("template-unknown-variable", "error", "Unknown variable in a booklet template",
        "A booklet template uses a variable (or a field of one) that welfarectl does not give it, often a "
        "typo. The message lists the variables the template can use; docs/formats.md describes them.",
        "'{name}' is not a variable of this template{suggestion}; known: {known}",
        "'{name}' non è una variabile di questo modello{suggestion_it}; variabili note: {known}")
_define("template-error", "error", "Booklet template fails when filled in",
        "The template is valid Jinja but fails when filled in with the network's values (a calculation that "
        "cannot be done, something the sandbox forbids), or the text it gives is not valid booklet markup "
        "(only <b>, <i>, <u>, <br/> and <font> tags, each closed).",
        "the template fails when filled in: {detail}",
        "il modello non si compila con i valori della rete: «{detail}»")


def render_catalogue_markdown() -> str:
    """docs/problems.md: every problem code, for the people who must fix them."""
    lines = ["# Problem codes", "",
             "Generated from `welfarectl/base/problems.py` by `python tools/make_docs.py`; "
             "`welfarectl problems CODE` prints the same. Errors make `validate` exit 1; warnings "
             "only with `--strict`.", ""]
    for kind in CATALOGUE.values():
        lines += [f"## `{kind.code}`", "", f"**{kind.title}** ({kind.severity})", "", kind.description, "",
                  f"- message: {kind.message_en}", f"- messaggio: {kind.message_it}", ""]
    return "\n".join(lines)
