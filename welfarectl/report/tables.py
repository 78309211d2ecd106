"""The report's tables as specifications: each one's stable key, titles, columns and source.

The figures fill them (`figures.py`); the PDF, the workbook and the JSON render them; and
docs/report.md is written from them (`docs.py`), so the documented keys are the keys written.
Every row has an `id` (stable: a category's id, a company's id) and a `label` (in the report's
language); the other columns are numbers, or a suppression mark in a table of personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

# Column kinds: how a value is written. A count is a whole number; a score a mean of 1-5
# answers with one decimal; a share a fraction (0.25) shown as a percentage; points a
# difference of two percentages.
TEXT, COUNT, SCORE, SHARE, POINTS = "text", "count", "score", "share", "points"


@dataclass(frozen=True)
class Column:
    key: str
    it: str
    en: str
    kind: str = COUNT
    doc: str = ""

    def title(self, lang: str) -> str:
        return self.it if lang == "it" else self.en


@dataclass(frozen=True)
class TableSpec:
    key: str
    it: str
    en: str
    source_it: str
    source_en: str
    columns: tuple[Column, ...]
    personal: bool = False  # drawn from employee or survey data: small counts are suppressed
    total: bool = True  # has a total row
    doc: str = ""

    def title(self, lang: str) -> str:
        return self.it if lang == "it" else self.en

    def source(self, lang: str) -> str:
        return self.source_it if lang == "it" else self.source_en

    @property
    def numbers(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind != TEXT)


ID = Column("id", "Codice", "Id", TEXT, "The row's stable id (a category's id, an ATECO letter, a company's id).")
LABEL = Column("label", "Voce", "Item", TEXT, "The row's name in the report's language.")

_ORGS = ("catalogue/organisations.yaml", "catalogue/organisations.yaml")
_SERVICES = ("catalogue/services.yaml", "catalogue/services.yaml")
_SURVEY = ("members/survey.xlsx (questionario sui bisogni)", "members/survey.xlsx (needs survey)")

SPECS: tuple[TableSpec, ...] = (
    TableSpec("organisations_by_kind", "Organizzazioni aderenti per tipo", "Member organisations by kind", *_ORGS,
              (ID, LABEL, Column("organisations", "Organizzazioni", "Organisations", doc="Member organisations of the kind."))),
    TableSpec("organisations_by_role", "Organizzazioni per ruolo nella rete", "Organisations by role in the network", *_ORGS,
              (ID, LABEL, Column("organisations", "Organizzazioni", "Organisations", doc="Organisations with the role.")),
              total=False, doc="An organisation may have several roles, so there is no total."),
    TableSpec("members_by_sector_size", "Imprese aderenti per settore ATECO e dimensione",
              "Member companies by ATECO section and size band", *_ORGS,
              (ID, LABEL,
               Column("micro", "Micro", "Micro", doc="Companies with up to 9 staff."),
               Column("small", "Piccole", "Small", doc="Companies with 10-49 staff."),
               Column("medium", "Medie", "Medium", doc="Companies with 50-249 staff."),
               Column("large", "Grandi", "Large", doc="Companies with 250 staff or more."),
               Column("unknown", "N.d.", "Not given", doc="Companies whose size is not given."),
               Column("companies", "Totale", "Total", doc="Member companies in the section."))),
    TableSpec("companies", "Dipendenti coperti e tessere per impresa", "Employees covered and cards per company",
              "members/*.xlsx (dipendenti in forza), members/cards.jsonl (tessere)",
              "members/*.xlsx (current employees), members/cards.jsonl (cards)",
              (ID, LABEL,
               Column("sector", "ATECO", "ATECO", TEXT, "The company's ATECO section letter."),
               Column("employees", "Dipendenti", "Employees", doc="Employees current on the report's day."),
               Column("cards_issued", "Emesse", "Issued", doc="Cards ever issued to the company's staff."),
               Column("cards_active", "Attive", "Active", doc="Issued cards still valid on the report's day."),
               Column("cards_expired", "Scadute", "Expired", doc="Issued cards past their expiry date."),
               Column("cards_revoked", "Revocate", "Revoked",
                      doc="Issued cards revoked or replaced (issued = active + expired + revoked)."),
               Column("cards_printed", "Stampate", "Printed", doc="Issued cards printed at least once.")),
              personal=True),
    TableSpec("services_by_area", "Servizi per macro-area", "Services by macro-area", *_SERVICES,
              (ID, LABEL, Column("services", "Servizi", "Services", doc="Services in the macro-area."),
               Column("share", "Quota", "Share", SHARE, "Share of all services."))),
    TableSpec("services_by_provider_kind", "Servizi per tipo di fornitore", "Services by kind of provider",
              "catalogue/services.yaml, catalogue/organisations.yaml", "catalogue/services.yaml, catalogue/organisations.yaml",
              (ID, LABEL, Column("services", "Servizi", "Services", doc="Services offered by providers of the kind."),
               Column("providers", "Fornitori", "Providers", doc="Providers of the kind with at least one service."))),
    TableSpec("services_by_benefit", "Servizi per tipo di agevolazione", "Services by kind of benefit", *_SERVICES,
              (ID, LABEL, Column("services", "Servizi", "Services", doc="Services giving the kind of benefit."))),
    TableSpec("workshops_by_kind", "Workshop per tipo e partecipanti", "Workshops by kind, with participants",
              "catalogue/workshops.yaml", "catalogue/workshops.yaml",
              (ID, LABEL, Column("workshops", "Workshop", "Workshops", doc="Workshops and events of the kind."),
               Column("participants", "Partecipanti", "Participants", doc="Their participants in all."))),
    TableSpec("respondents_by_sector", "Rispondenti per settore ATECO", "Respondents by ATECO section", *_SURVEY,
              (ID, LABEL, Column("respondents", "Rispondenti", "Respondents", doc="Survey respondents of the section."),
               Column("share", "Quota", "Share", SHARE, "Share of all respondents.")), personal=True),
    TableSpec("respondents_by_age", "Rispondenti per fascia d'età", "Respondents by age band", *_SURVEY,
              (ID, LABEL, Column("respondents", "Rispondenti", "Respondents", doc="Survey respondents of the age band."),
               Column("share", "Quota", "Share", SHARE, "Share of all respondents.")), personal=True),
    TableSpec("households", "Rispondenti per figli e familiari non autosufficienti",
              "Respondents by children and dependent relatives", *_SURVEY,
              (ID, LABEL,
               Column("without_dependants", "Senza familiari n.a.", "No dependent relative",
                      doc="Respondents caring for no non-self-sufficient relative."),
               Column("with_dependants", "Con familiari n.a.", "Dependent relatives",
                      doc="Respondents caring for a non-self-sufficient relative."),
               Column("respondents", "Rispondenti", "Respondents", doc="Respondents with that many children.")),
              personal=True, doc="Rows are the number of children: 0, 1, 2, 3 or more (id `3+`)."),
    TableSpec("needs", "Bisogno per macro-area (punteggio da 1 a 5)", "Need by macro-area (score 1 to 5)", *_SURVEY,
              (ID, LABEL,
               Column("answers", "Risposte", "Answers", doc="Respondents who scored the macro-area."),
               *(Column(f"score_{n}", f"Punt. {n}", f"Score {n}", doc=f"Respondents who scored it {n}.") for n in range(1, 6)),
               Column("high_need", "Bisogno alto (4-5)", "High need (4-5)", doc="Respondents who scored it 4 or 5."),
               Column("mean", "Media", "Mean", SCORE, "Mean score, one decimal.")),
              personal=True, total=False),
    TableSpec("demand_supply", "Domanda e offerta per macro-area", "Demand and supply by macro-area",
              "members/survey.xlsx, catalogue/services.yaml", "members/survey.xlsx, catalogue/services.yaml",
              (ID, LABEL,
               Column("high_need", "Bisogno alto", "High need", doc="Respondents who scored the macro-area 4 or 5."),
               Column("demand_share", "Quota domanda", "Demand share", SHARE,
                      "The macro-area's share of all high-need answers."),
               Column("services", "Servizi", "Services", doc="Services in the macro-area."),
               Column("supply_share", "Quota offerta", "Supply share", SHARE, "The macro-area's share of all services."),
               Column("gap", "Scarto (punti)", "Gap (points)", POINTS,
                      "Demand share minus supply share, in percentage points: above 0, demand exceeds supply.")),
              personal=True, total=False,
              doc="Rows in the network's order of macro-areas; `gaps` at the top level lists the largest."),
    TableSpec("home_care_services", "Programma di assistenza domiciliare: i servizi", "Home-care programme: its services",
              "catalogue/services.yaml (servizi con tag home-care)", "catalogue/services.yaml (services tagged home-care)",
              (ID, LABEL,
               Column("provider", "Fornitore", "Provider", TEXT, "The provider's name."),
               Column("macro_area", "Macro-area", "Macro-area", TEXT, "The macro-area's name."),
               Column("benefit", "Agevolazione", "Benefit", TEXT, "The kind of benefit.")),
              total=False),
    TableSpec("home_care_needs", "Rispondenti con familiari non autosufficienti: i bisogni",
              "Respondents with dependent relatives: their needs", *_SURVEY,
              (ID, LABEL,
               Column("answers", "Risposte", "Answers", doc="Respondents with dependent relatives who scored the macro-area."),
               Column("high_need", "Bisogno alto (4-5)", "High need (4-5)", doc="Of them, those who scored it 4 or 5."),
               Column("high_share", "Quota bisogno alto", "High-need share", SHARE, "high_need / answers."),
               Column("mean", "Media", "Mean", SCORE, "Their mean score, one decimal."),
               Column("mean_all", "Media di tutti", "Mean, everyone", SCORE, "Every respondent's mean score, as in `needs`.")),
              personal=True, total=False),
    TableSpec("services_used", "Servizi di welfare già utilizzati (dal questionario)", "Welfare services already used (survey)",
              *_SURVEY,
              (ID, LABEL, Column("respondents", "Rispondenti", "Respondents", doc="Respondents who named the service."),
               Column("share", "Quota", "Share", SHARE, "Share of all respondents.")),
              personal=True, total=False,
              doc="Services named by fewer than 5 respondents are counted together under the id `(other)` (their names are "
                  "free text and are not published); `(none)` counts respondents who named none. A respondent may "
                  "name several services, so there is no total."),
)

SPEC = {spec.key: spec for spec in SPECS}
