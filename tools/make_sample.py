"""Generate the sample network, modelled on the Modena network 2017-2019.

    python tools/make_sample.py [--out DIR]      (default: the repository root)

Writes catalogue/{network,organisations,services,workshops}.yaml, one employee workbook per
member company (members/<company-id>.xlsx) and the needs survey (members/survey.xlsx).

Public bodies named in the article on the network (Comune di Modena, Regione Emilia-Romagna,
the University of Modena and Reggio Emilia) appear under their real names in their public roles,
and the final forum at its real venue; every company, provider, association, person, service and
every tax identifier (partita IVA, codice fiscale, IBAN) is fictional, with valid check digits.

The output is reproducible: fixed random seeds, no wall clock, and the .xlsx files are rewritten
with fixed zip timestamps and document properties, so two runs give byte-identical files.
"""

from __future__ import annotations

import argparse
import io
import random
import unicodedata
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.xml.functions import tostring
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.it import codicefiscale, iva

ROOT = Path(__file__).resolve().parent.parent
SEED = 20171101
FIXED_TIME = datetime(2019, 12, 2, 9, 0, 0)
ZIP_TIME = (2019, 12, 2, 9, 0, 0)
PERIOD = (date(2017, 11, 1), date(2019, 12, 2))
EXPORT_DATE = date(2019, 9, 30)  # the employee lists are "aggiornato al 30/09/2019"
CURRENT_EMPLOYEES = 2548  # the member companies' current staff in all (the article: "oltre 2500")
SURVEY_RESPONSES = 470


def rng_for(part: str) -> random.Random:
    """One generator per output part, so changing one part does not reshuffle the others."""
    return random.Random(f"{SEED}:{part}")


# --- places -------------------------------------------------------------------------------------
POSTCODES = {
    "Modena": "41121", "Carpi": "41012", "Sassuolo": "41049", "Formigine": "41043",
    "Castelfranco Emilia": "41013", "Vignola": "41058", "Mirandola": "41037", "Fiorano Modenese": "41042",
    "Maranello": "41053", "Pavullo nel Frignano": "41026", "Finale Emilia": "41034", "Nonantola": "41015",
    "Soliera": "41019", "Campogalliano": "41011", "Spilamberto": "41057", "Castelnuovo Rangone": "41051",
    "San Felice sul Panaro": "41038", "Bomporto": "41030", "Savignano sul Panaro": "41056",
}
MODENA_POSTCODES = ["41121", "41122", "41123", "41124", "41125", "41126"]
PHONE_PREFIX = {"Mirandola": "0535", "Finale Emilia": "0535", "San Felice sul Panaro": "0535",
                "Sassuolo": "0536", "Fiorano Modenese": "0536", "Maranello": "0536", "Formigine": "059",
                "Pavullo nel Frignano": "0536"}
STREETS = ["Via Emilia Est", "Via Emilia Ovest", "Via Giardini", "Via Vignolese", "Via Canaletto Sud",
           "Via dell'Industria", "Via dell'Artigianato", "Via Radici in Piano", "Via Statale", "Via Circonvallazione",
           "Via Roma", "Via Garibaldi", "Via Mazzini", "Via Don Minzoni", "Via della Repubblica", "Via Nazionale",
           "Via dei Mille", "Via Galileo Galilei", "Via Enrico Fermi", "Via Alessandro Volta", "Via del Lavoro",
           "Via Guglielmo Marconi", "Via Primo Maggio", "Via Caduti sul Lavoro", "Via Staffette Partigiane"]

# Birthplaces for codici fiscali: cadastral (Belfiore) codes of Italian comuni and, Z..., countries.
BIRTHPLACES_IT = [("F257", 30), ("B819", 8), ("I462", 6), ("F240", 3), ("L885", 3), ("D711", 3),
                  ("A944", 6), ("H223", 5), ("G337", 3), ("D548", 2), ("L781", 2), ("F205", 3), ("H501", 3),
                  ("F839", 6), ("G273", 5), ("A662", 3), ("C351", 4), ("E897", 2)]


# --- organisations ------------------------------------------------------------------------------
# Member companies: id, name, legal form, ATECO section, ATECO code, town, current staff, also provider?
MEMBERS = [
    ("ceramiche-fossa-alta", "Ceramiche Fossa Alta S.p.A.", "S.p.A.", "C", "23.31", "Fiorano Modenese", 210, False),
    ("ceramica-rondine-blu", "Ceramica Rondine Blu S.p.A.", "S.p.A.", "C", "23.31", "Sassuolo", 161, False),
    ("colorificio-smalti-del-secchia", "Colorificio Smalti del Secchia S.r.l.", "S.r.l.", "C", "20.30", "Sassuolo",
     51, False),
    ("biomedica-mirandolese", "Biomedica Mirandolese S.r.l.", "S.r.l.", "C", "32.50", "Mirandola", 148, False),
    ("tecnofiltri-medicali", "Tecnofiltri Medicali S.r.l.", "S.r.l.", "C", "32.50", "Mirandola", 40, False),
    ("maglificio-la-trama", "Maglificio La Trama S.r.l.", "S.r.l.", "C", "14.39", "Carpi", 36, False),
    ("confezioni-annabi", "Confezioni Annabì S.n.c.", "S.n.c.", "C", "14.13", "Carpi", 17, False),
    ("meccanica-panaro", "Meccanica Panaro S.r.l.", "S.r.l.", "C", "28.41", "Vignola", 55, False),
    ("oleodinamica-tresinaro", "Oleodinamica Tresinaro S.r.l.", "S.r.l.", "C", "28.12", "Formigine", 66, False),
    ("caseificio-prato-lungo", "Caseificio Sociale Prato Lungo Soc. Agr. Coop.", "società cooperativa agricola",
     "C", "10.51", "Castelfranco Emilia", 22, True),
    ("acetaia-il-cortile-antico", "Acetaia Il Cortile Antico S.r.l.", "S.r.l.", "C", "10.84", "Spilamberto", 12, False),
    ("cantina-sorbara-vecchia", "Cantina Sorbara Vecchia S.r.l.", "S.r.l.", "C", "11.02", "Bomporto", 20, False),
    ("salumificio-val-tiepido", "Salumificio Val Tiepido S.p.A.", "S.p.A.", "C", "10.13", "Castelnuovo Rangone",
     112, False),
    ("carpenterie-metalliche-finalesi", "Carpenterie Metalliche Finalesi S.r.l.", "S.r.l.", "C", "25.11",
     "Finale Emilia", 31, False),
    ("stampi-prototipi-maranello", "Stampi e Prototipi Maranello S.r.l.", "S.r.l.", "C", "25.73", "Maranello",
     46, False),
    ("elettronica-crocetta", "Elettronica Crocetta S.r.l.", "S.r.l.", "C", "26.11", "Modena", 39, False),
    ("ricambi-auto-emiliana", "Ricambi Auto Emiliana S.r.l.", "S.r.l.", "G", "45.31", "Modena", 29, False),
    ("supermercati-tre-ponti", "Supermercati Tre Ponti S.r.l.", "S.r.l.", "G", "47.11", "Carpi", 84, True),
    ("ferramenta-centrale-soliera", "Ferramenta Centrale Soliera S.n.c.", "S.n.c.", "G", "47.52", "Soliera", 8, False),
    ("ortofrutta-della-bassa", "Ortofrutta della Bassa S.r.l.", "S.r.l.", "G", "46.31", "San Felice sul Panaro",
     24, False),
    ("forniture-ufficio-pico", "Forniture Ufficio Pico S.r.l.", "S.r.l.", "G", "46.66", "Mirandola", 14, False),
    ("farmacie-riunite-del-frignano", "Farmacie Riunite del Frignano S.r.l.", "S.r.l.", "G", "47.73",
     "Pavullo nel Frignano", 19, False),
    ("edilnova-appennino", "Edilnova Appennino S.r.l.", "S.r.l.", "F", "41.20", "Pavullo nel Frignano", 44, False),
    ("impianti-termoidraulici-formiginesi", "Impianti Termoidraulici Formiginesi S.r.l.", "S.r.l.", "F", "43.22",
     "Formigine", 25, False),
    ("restauri-ducali", "Restauri Ducali S.r.l.", "S.r.l.", "F", "43.39", "Modena", 17, False),
    ("strade-e-asfalti-di-pianura", "Strade e Asfalti di Pianura S.p.A.", "S.p.A.", "F", "42.11", "Campogalliano",
     62, False),
    ("autotrasporti-brennero-sud", "Autotrasporti Brennero Sud S.r.l.", "S.r.l.", "H", "49.41", "Campogalliano",
     76, False),
    ("logistica-cittanova", "Logistica Cittanova S.r.l.", "S.r.l.", "H", "52.10", "Modena", 127, False),
    ("corrieri-espressi-san-geminiano", "Corrieri Espressi San Geminiano S.r.l.", "S.r.l.", "H", "53.20", "Modena",
     34, False),
    ("studio-associato-canalchiaro", "Studio Associato Canalchiaro", "studio associato", "M", "69.20", "Modena",
     18, False),
    ("ingegneria-ponte-alto", "Ingegneria Ponte Alto S.r.l.", "S.r.l.", "M", "71.12", "Modena", 23, False),
    ("laboratorio-analisi-ambientali-bassa", "Laboratorio Analisi Ambientali della Bassa S.r.l.", "S.r.l.", "M",
     "71.20", "Mirandola", 20, False),
    ("torre-civica-comunicazione", "Torre Civica Comunicazione S.r.l.", "S.r.l.", "M", "73.11", "Modena", 16, False),
    ("software-via-emilia", "Software Via Emilia S.r.l.", "S.r.l.", "J", "62.01", "Modena", 72, True),
    ("nuvola-padana", "Nuvola Padana S.r.l.", "S.r.l.", "J", "63.11", "Carpi", 27, False),
    ("editrice-la-bonissima", "Editrice La Bonissima S.r.l.", "S.r.l.", "J", "58.11", "Modena", 15, False),
    ("poliambulatorio-vaciglio", "Poliambulatorio Vaciglio S.r.l.", "S.r.l.", "Q", "86.22", "Modena", 32, False),
    ("residenza-villa-delle-ortensie", "Residenza Villa delle Ortensie S.r.l.", "S.r.l.", "Q", "87.10", "Vignola",
     58, False),
    ("centro-fisioterapico-canaletto", "Centro Fisioterapico Canaletto S.r.l.", "S.r.l.", "Q", "86.90", "Modena",
     13, False),
    ("hotel-le-mura-ducali", "Hotel Le Mura Ducali S.r.l.", "S.r.l.", "I", "55.10", "Modena", 30, False),
    ("ristorazione-collettiva-emiliana", "Ristorazione Collettiva Emiliana S.p.A.", "S.p.A.", "I", "56.29", "Modena",
     184, True),
    ("osteria-del-tortellino-felice", "Osteria del Tortellino Felice S.n.c.", "S.n.c.", "I", "56.10",
     "Castelfranco Emilia", 11, False),
    ("pulizie-industriali-bomporto", "Servizi di Pulizia Industriale Bomporto S.r.l.", "S.r.l.", "N", "81.22",
     "Bomporto", 104, False),
    ("viaggi-terramare", "Viaggi Terramare S.r.l.", "S.r.l.", "N", "79.11", "Modena", 12, True),
    ("finanziaria-pianura-padana", "Finanziaria Pianura Padana S.p.A.", "S.p.A.", "K", "64.92", "Modena", 36, True),
    ("agenzia-assicurativa-estense", "Agenzia Assicurativa Estense S.r.l.", "S.r.l.", "K", "66.22", "Sassuolo",
     15, True),
    ("vivai-del-panaro", "Vivai del Panaro Società Agricola S.r.l.", "società agricola S.r.l.", "A", "01.30",
     "Vignola", 25, False),
    ("frutticoltura-ciliegie-di-collina", "Frutticoltura Ciliegie di Collina Soc. Agr. S.s.",
     "società agricola semplice", "A", "01.24", "Savignano sul Panaro", 16, False),
    ("ecoservizi-pianura", "Ecoservizi Pianura S.p.A.", "S.p.A.", "E", "38.11", "Carpi", 139, False),
    ("lavanderia-industriale-il-candore", "Lavanderia Industriale Il Candore S.r.l.", "S.r.l.", "S", "96.01",
     "Formigine", 53, False),
]

# Everybody else: id, name, legal form, kind, roles, identifier ("iva" or "cf"), town, contact person, extra.
OTHERS = [
    ("reticolo-welfare-lab", "Reticolo Welfare Lab S.r.l.", "S.r.l.", "consultancy", ["coordinator"], "iva",
     "Modena", "Coordinamento della rete", {}),
    ("comune-di-modena", "Comune di Modena", "ente pubblico", "public-body", ["promoter"], "cf", "Modena",
     "Assessorato alle Politiche sociali", {"real": True, "street": "Piazza Grande 16", "postcode": "41121"}),
    ("regione-emilia-romagna", "Regione Emilia-Romagna", "ente pubblico", "public-body", ["funder"], "cf:037",
     "Bologna", "Assessorato alle Attività produttive",
     {"real": True, "street": "Viale Aldo Moro 52", "postcode": "40127"}),
    ("unimore", "Università degli Studi di Modena e Reggio Emilia", "università statale", "university", ["partner"],
     "iva", "Modena", "Dipartimento di Economia",
     {"real": True, "street": "Via Università 4", "postcode": "41121"}),
    ("alleanza-imprese-modenesi", "Alleanza Imprese Modenesi", "associazione di categoria", "trade-association",
     ["partner"], "cf", "Modena", "Area welfare e relazioni sindacali", {}),
    ("consorzio-artigiani-via-emilia", "Consorzio Artigiani della Via Emilia", "associazione di categoria",
     "trade-association", ["partner"], "cf", "Modena", "Segreteria", {}),
    ("esercenti-centro-storico-modena", "Associazione Esercenti del Centro Storico di Modena",
     "associazione di categoria", "trade-association", ["partner", "provider"], "cf", "Modena", "Segreteria", {}),
    ("sindacato-lavoratori-emiliani", "Confederazione Sindacale Lavoratori Emiliani – Modena", "sindacato", "union",
     ["partner", "provider"], "cf", "Modena", "Patronato e CAF", {}),
    ("unione-sindacale-autonoma-modena", "Unione Sindacale Autonoma Modena", "sindacato", "union", ["partner"], "cf",
     "Carpi", "Segreteria territoriale", {}),
    ("fondazione-torre-civica", "Fondazione Torre Civica per la Comunità", "fondazione", "foundation",
     ["partner", "provider"], "cf", "Modena", "Segreteria generale", {}),
    ("asp-terre-secchia-panaro", "ASP Terre del Secchia e del Panaro", "azienda pubblica di servizi alla persona",
     "public-care-agency", ["provider", "partner"], "cf", "Castelfranco Emilia", "Sportello sociale", {}),
    ("coop-la-lanterna", "La Lanterna Cooperativa Sociale", "cooperativa sociale", "social-cooperative",
     ["provider"], "iva", "Modena", "Coordinamento servizi domiciliari", {}),
    ("coop-il-girasole-blu", "Il Girasole Blu Società Cooperativa Sociale", "cooperativa sociale",
     "social-cooperative", ["provider"], "iva", "Carpi", "Servizi educativi", {}),
    ("coop-arcobaleno-del-secchia", "Arcobaleno del Secchia Cooperativa Sociale", "cooperativa sociale di tipo B",
     "social-cooperative", ["provider"], "iva", "Sassuolo", "Ufficio commerciale", {}),
    ("coop-orti-solidali", "Orti Solidali Cooperativa Sociale Agricola", "cooperativa sociale di tipo B",
     "social-cooperative", ["provider"], "iva", "Nonantola", "Ufficio soci", {}),
    ("coop-mani-operose", "Mani Operose Cooperativa Sociale", "cooperativa sociale di tipo B", "social-cooperative",
     ["provider"], "iva", "Vignola", "Prenotazioni", {}),
    ("coop-ponte-verde", "Ponte Verde Cooperativa Sociale", "cooperativa sociale", "social-cooperative",
     ["provider"], "iva", "Modena", "Area psicologica", {}),
    ("sollievo-impresa-sociale", "Sollievo Impresa Sociale S.r.l.", "impresa sociale S.r.l.", "social-enterprise",
     ["provider"], "iva", "Modena", "Sportello famiglie", {}),
    ("formalab-impresa-sociale", "FormaLab Impresa Sociale S.r.l.", "impresa sociale S.r.l.", "social-enterprise",
     ["provider"], "iva", "Carpi", "Segreteria corsi", {}),
    ("accompagnami-odv", "Accompagnami ODV", "ODV", "volunteer-association", ["provider"], "cf", "Modena",
     "Centralino volontari", {}),
    ("voci-di-quartiere-odv", "Voci di Quartiere ODV", "ODV", "volunteer-association", ["provider"], "cf", "Modena",
     "Coordinamento volontari", {}),
    ("banca-del-tempo-ritrovato-odv", "Banca del Tempo Ritrovato ODV", "ODV", "volunteer-association",
     ["provider"], "cf", "Formigine", "Sportello soci", {}),
    ("circolo-culturale-la-torre-aps", "Circolo Culturale La Torre APS", "APS", "social-promotion-association",
     ["provider"], "cf", "Modena", "Segreteria", {}),
    ("polisportiva-quattro-ville-aps", "Polisportiva Quattro Ville APS", "APS", "social-promotion-association",
     ["provider"], "cf", "Modena", "Segreteria sportiva", {}),
    ("musica-insieme-secchia-aps", "Musica Insieme Secchia APS", "APS", "social-promotion-association",
     ["provider"], "cf", "Sassuolo", "Direzione didattica", {"left": date(2019, 2, 28)}),
    ("autofficina-la-rotonda", "Autofficina La Rotonda S.n.c.", "S.n.c.", "company", ["provider"], "iva", "Modena",
     "Accettazione", {}),
    ("ottica-vista-chiara", "Ottica Vista Chiara S.r.l.", "S.r.l.", "company", ["provider"], "iva", "Sassuolo",
     "Negozio", {}),
    ("palestra-linea-viva", "Palestra Linea Viva S.r.l.", "S.r.l. sportiva dilettantistica", "company",
     ["provider"], "iva", "Modena", "Reception", {}),
    ("parafarmacia-il-melograno", "Parafarmacia Il Melograno S.r.l.", "S.r.l.", "company", ["provider"], "iva",
     "Carpi", "Banco", {"left": date(2019, 6, 30)}),
    ("centro-medico-emilia-salute", "Centro Medico Emilia Salute S.r.l.", "S.r.l.", "company", ["provider"], "iva",
     "Modena", "Prenotazioni", {}),
    ("termoservizi-emilia", "Termoservizi Emilia S.r.l.", "S.r.l.", "company", ["provider"], "iva", "Nonantola",
     "Servizio clienti", {}),
]

MACRO_AREAS = [
    ("cost-saving", "Risparmio", "Cost saving",
     "Sconti e prezzi convenzionati su beni e servizi di uso quotidiano.",
     "Discounts and agreed prices on everyday goods and services."),
    ("time-saving", "Conciliazione e tempo liberato", "Work-life balance and time saving",
     "Servizi che fanno risparmiare tempo e aiutano a conciliare lavoro e famiglia.",
     "Services that save time and help balance work and family."),
    ("personal-care", "Cura della persona e della famiglia", "Care for the person and the family",
     "Assistenza a figli, anziani e familiari non autosufficienti, sostegno psicologico.",
     "Care for children, elderly and dependent relatives, psychological support."),
    ("skills-development", "Formazione e sviluppo delle competenze", "Training and skills development",
     "Corsi, orientamento e borse di studio per dipendenti e figli.",
     "Courses, guidance and scholarships for employees and their children."),
    ("pensions-health", "Previdenza e salute", "Pensions and health",
     "Prevenzione, visite, assistenza sanitaria integrativa e consulenza previdenziale.",
     "Prevention, medical visits, supplementary health cover and pension advice."),
    ("territorial-welfare", "Welfare territoriale", "Territorial welfare",
     "Iniziative della comunità locale: cultura, sport, volontariato e negozi di vicinato.",
     "Local community initiatives: culture, sport, volunteering and neighbourhood shops."),
]


class Quoted(str):
    """A string written in double quotes (partite IVA, postcodes: digits that must stay text)."""


class Flow(list):
    """A short list written on one line: [a, b]."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key


_Dumper.add_representer(Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"'))
_Dumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", list(v), flow_style=True))


def slug_domain(name: str) -> str:
    words = ascii_fold(name).lower().replace("'", " ").split()
    drop = {"s.r.l.", "s.p.a.", "s.n.c.", "soc.", "agr.", "coop.", "s.s.", "di", "del", "della", "e", "il", "la",
            "le", "dei", "per", "–", "societa", "cooperativa", "sociale", "impresa"}
    kept = [w for w in words if w not in drop]
    return "".join(ch for ch in "".join(kept) if ch.isalnum())[:36] + ".it"


def ascii_fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def phone(rng: random.Random, town: str) -> str:
    prefix = PHONE_PREFIX.get(town, "051" if town == "Bologna" else "059")
    digits = 7 if prefix in ("059", "051") else 6
    return f"{prefix} {rng.randrange(10 ** (digits - 1), 10 ** digits)}"


def make_partita_iva(rng: random.Random, used: set[str], office: str = "036", first: str = "0") -> str:
    while True:
        body = first + "".join(str(rng.randrange(10)) for _ in range(7 - len(first))) + office
        code = body + luhn.calc_check_digit(body)
        if code not in used and iva.is_valid(code):
            used.add(code)
            return code


def joined_date(rng: random.Random, early: bool = False) -> date:
    start = date(2017, 11, 6) if early else date(2017, 12, 1)
    end = date(2017, 11, 30) if early else date(2019, 5, 31)
    # most joined in the first months
    span = (end - start).days
    return start + timedelta(days=int(span * rng.random() ** 2.2))


def build_organisations() -> list[dict]:
    rng = rng_for("organisations")
    used: set[str] = set()
    orgs = []
    for oid, name, form, section, code, town, staff, provides in MEMBERS:
        band = "micro" if staff <= 9 else "small" if staff <= 49 else "medium" if staff <= 249 else "large"
        domain = slug_domain(name)
        org = {
            "id": oid, "name": name, "legal_form": form, "kind": "company",
            "roles": Flow(["member-company"] + (["provider"] if provides else [])),
            "partita_iva": Quoted(make_partita_iva(rng, used)),
            "ateco": section, "ateco_code": Quoted(code), "size": band,
            "address": address(rng, town),
            "contacts": {"email": f"{rng.choice(['personale', 'hr', 'risorseumane', 'amministrazione'])}@{domain}",
                         "phone": phone(rng, town), "website": f"https://www.{domain}",
                         "person": rng.choice(["Ufficio personale", "Ufficio risorse umane", "Amministrazione",
                                               "Referente welfare aziendale"])},
            "joined": joined_date(rng),
        }
        orgs.append(org)
    others = []
    for oid, name, form, kind, roles, ident, town, person, extra in OTHERS:
        org = {"id": oid, "name": name, "legal_form": form, "kind": kind, "roles": Flow(roles)}
        if ident == "iva":
            org["partita_iva"] = Quoted(make_partita_iva(rng, used))
        else:  # bodies without a partita IVA: a numeric codice fiscale (8... public bodies, 9... associations)
            office = ident.partition(":")[2] or "036"
            first = "8" if kind == "public-body" else "9"
            org["codice_fiscale"] = Quoted(make_partita_iva(rng, used, office=office, first=first))
        if "street" not in extra:
            org["address"] = address(rng, town)
        else:
            org["address"] = {"street": extra["street"], "postcode": Quoted(extra["postcode"]), "city": town,
                              "province": "BO" if town == "Bologna" else "MO"}
        domain = slug_domain(name) if not extra.get("real") else None
        contacts = {"person": person}
        if domain:
            contacts = {"email": f"{rng.choice(['info', 'segreteria', 'contatti'])}@{domain}",
                        "phone": phone(rng, town), "website": f"https://www.{domain}", "person": person}
        org["contacts"] = contacts
        org["joined"] = joined_date(rng, early=kind in ("consultancy", "public-body", "university"))
        if "left" in extra:  # joined early, left before the end of the project
            org["joined"] = random_date(rng, date(2017, 12, 1), extra["left"] - timedelta(days=200))
            org["left"] = extra["left"]
        others.append(org)
    # coordinator, promoter, funder and partners first, then members, then the other providers
    head = [o for o in others if set(o["roles"]) & {"coordinator", "promoter", "funder"} or o["kind"] == "university"]
    rest = [o for o in others if o not in head]
    return head + orgs + rest


def address(rng: random.Random, town: str) -> dict:
    postcode = rng.choice(MODENA_POSTCODES) if town == "Modena" else POSTCODES[town]
    return {"street": f"{rng.choice(STREETS)} {rng.randrange(1, 180)}", "postcode": Quoted(postcode),
            "city": town, "province": "MO"}


# --- network ------------------------------------------------------------------------------------
def build_network() -> dict:
    return {
        "id": "welfare-modena",
        "name": "Rete Welfare Aziendale-Territoriale Modena",
        "name_en": "Modena Corporate and Territorial Welfare Network",
        "short_name": "Rete Welfare Modena",
        "territory": "Modena",
        "period": {"start": PERIOD[0], "end": PERIOD[1]},
        "coordinator": "reticolo-welfare-lab",
        "promoter": "comune-di-modena",
        "funder": "regione-emilia-romagna",
        "email": "rete@reticolowelfarelab.it",
        "macro_areas": [{"id": i, "name": n, "name_en": ne, "description": d, "description_en": de}
                        for i, n, ne, d, de in MACRO_AREAS],
        "card": {"validity_months": 24},
    }


# --- services -----------------------------------------------------------------------------------
def disc(percent: int, conditions: str | None = None) -> dict:
    return _benefit({"kind": "discount", "percent": percent}, conditions)


def price(eur: float, conditions: str | None = None) -> dict:
    return _benefit({"kind": "fixed-price", "price_eur": float(eur)}, conditions)


def free(conditions: str | None = None) -> dict:
    return _benefit({"kind": "free"}, conditions)


def voucher(eur: float, conditions: str | None = None) -> dict:
    return _benefit({"kind": "voucher", "value_eur": float(eur)}, conditions)


def _benefit(benefit: dict, conditions: str | None) -> dict:
    if conditions:
        benefit["conditions"] = conditions
    return benefit


CARD = "Mostrare la Welfare Card"
CARD_LAUNCH = date(2018, 3, 1)

# id, macro-area, provider, category, title, description, benefit, access, extras
SERVICES = [
    # cost-saving ---------------------------------------------------------------------------------
    ("sconto-revisione-auto", "cost-saving", "autofficina-la-rotonda", "Mobilità",
     "Sconto 15% sulla revisione auto",
     "Revisione periodica del veicolo e controllo gratuito pre-revisione presso l'officina.",
     disc(15), "Prenotare per telefono e mostrare la Welfare Card all'accettazione.",
     {"en": ("15% off the car roadworthiness test", "Periodic roadworthiness test with a free pre-test check.",
             "Book by phone mentioning the Welfare Card and show it at the desk.")}),
    ("tagliando-prezzo-fisso", "cost-saving", "autofficina-la-rotonda", "Mobilità",
     "Tagliando auto a prezzo fisso", "Tagliando con cambio olio e filtri secondo il piano del costruttore.",
     price(149, "Per auto fino a 2.000 cc; ricambi diversi da olio e filtri esclusi."),
     f"Prenotare per telefono. {CARD} all'accettazione.", {}),
    ("sconto-occhiali-da-vista", "cost-saving", "ottica-vista-chiara", "Salute e benessere",
     "Sconto 20% su occhiali da vista e lenti a contatto",
     "Montature, lenti oftalmiche e lenti a contatto; controllo della vista gratuito.",
     disc(20, "Non cumulabile con altre promozioni."), f"{CARD} in negozio prima dell'acquisto.",
     {"beneficiaries": ["employee", "family"],
      "en": ("20% off glasses and contact lenses", "Frames, lenses and contact lenses; free eye test.",
             "Show the Welfare Card in the shop before buying.")}),
    ("spaccio-parmigiano", "cost-saving", "caseificio-prato-lungo", "Alimentari",
     "Sconto 10% sul Parmigiano Reggiano dello spaccio",
     "Parmigiano Reggiano di produzione propria, burro e ricotta allo spaccio del caseificio.",
     disc(10), f"{CARD} alla cassa dello spaccio.", {"where": "Spaccio del caseificio, Castelfranco Emilia"}),
    ("cassetta-frutta-verdura-bio", "cost-saving", "coop-orti-solidali", "Alimentari",
     "Cassetta settimanale di frutta e verdura biologica",
     "Cassetta da 6 kg di frutta e verdura di stagione coltivata da persone in inserimento lavorativo, "
     "consegnata in azienda.",
     price(18, "Consegna gratuita in azienda con almeno 5 ordini nella stessa impresa."),
     "Ordinare entro il lunedì sul modulo della cooperativa indicando il numero della Welfare Card.", {}),
    ("sconto-polizza-rc-auto", "cost-saving", "agenzia-assicurativa-estense", "Assicurazioni",
     "Sconto 12% sulla polizza RC auto", "Sconto sulla tariffa RC auto e sulle garanzie accessorie.",
     disc(12, "Per nuove polizze e rinnovi."), f"Richiedere un preventivo in agenzia. {CARD}.",
     {"beneficiaries": ["employee", "family"]}),
    ("abbonamento-palestra", "cost-saving", "palestra-linea-viva", "Sport",
     "Abbonamento annuale in palestra a prezzo convenzionato",
     "Sala pesi, corsi di gruppo e piscina, tutti i giorni della settimana.",
     price(290, "Abbonamento di 12 mesi; iscrizione inclusa."), f"{CARD} in reception all'iscrizione.",
     {"beneficiaries": ["employee", "family"], "tuir": "2-f",
      "en": ("Yearly gym membership at an agreed price", "Weights room, group classes and pool, every day.",
             "Show the Welfare Card at reception when signing up.")}),
    ("sconto-pacchetti-vacanza", "cost-saving", "viaggi-terramare", "Viaggi e tempo libero",
     "Sconto 8% sui pacchetti vacanza", "Pacchetti vacanza, crociere e soggiorni studio per ragazzi.",
     disc(8, "Sulle quote di partecipazione; tasse e assicurazioni escluse."),
     f"Prenotare in agenzia o per e-mail. {CARD}.", {"beneficiaries": ["employee", "family"]}),
    ("sconto-parafarmacia", "cost-saving", "parafarmacia-il-melograno", "Salute e benessere",
     "Sconto 10% su prodotti da banco e cosmetici",
     "Farmaci da banco, integratori, prodotti per l'infanzia e cosmetici.",
     disc(10), f"{CARD} alla cassa.", {"valid_until": date(2019, 6, 30)}),
    ("mensa-interaziendale", "cost-saving", "ristorazione-collettiva-emiliana", "Ristorazione",
     "Pranzo completo a prezzo fisso nella mensa interaziendale",
     "Primo, secondo, contorno, pane, acqua e frutta nella mensa di Modena nord, dal lunedì al venerdì.",
     price(6.5), f"{CARD} alla cassa della mensa.",
     {"where": "Mensa interaziendale, Via Emilia Ovest, Modena",
      "open_to": ["logistica-cittanova", "elettronica-crocetta", "ricambi-auto-emiliana",
                  "corrieri-espressi-san-geminiano", "ingegneria-ponte-alto"],
      "en": ("Set-price lunch at the shared canteen", "Full lunch at the Modena north canteen, Monday to Friday.",
             "Show the Welfare Card at the canteen till.")}),
    ("prestiti-tasso-agevolato", "cost-saving", "finanziaria-pianura-padana", "Servizi finanziari",
     "Piccoli prestiti a tasso agevolato per le spese familiari",
     "Prestiti da 1.000 a 10.000 euro per spese scolastiche, mediche o per la casa.",
     disc(30, "Riduzione del 30% sul TAN standard; salvo approvazione della pratica."),
     "Fissare un appuntamento in filiale indicando il numero della Welfare Card.", {}),
    ("manutenzione-caldaia", "cost-saving", "termoservizi-emilia", "Casa",
     "Sconto 20% sulla manutenzione della caldaia",
     "Manutenzione ordinaria, analisi dei fumi e aggiornamento del libretto d'impianto.",
     disc(20), "Prenotare per telefono indicando il numero della Welfare Card.", {"valid_from": CARD_LAUNCH}),
    ("emporio-del-riuso", "cost-saving", "coop-arcobaleno-del-secchia", "Acquisti solidali",
     "Sconto 30% all'emporio solidale del riuso",
     "Mobili, abiti, libri e oggetti recuperati e rimessi a nuovo dalla cooperativa.",
     disc(30), f"{CARD} alla cassa dell'emporio.", {"where": "Emporio del riuso, Sassuolo"}),
    # time-saving ---------------------------------------------------------------------------------
    ("doposcuola", "time-saving", "coop-il-girasole-blu", "Servizi per l'infanzia",
     "Doposcuola per i figli dei dipendenti",
     "Aiuto compiti e attività pomeridiane per bambini e ragazzi dai 6 ai 14 anni, dalle 14 alle 18.",
     disc(20), f"{CARD} all'iscrizione.",
     {"beneficiaries": ["family"], "tuir": "2-f-bis",
      "en": ("After-school club for employees' children",
             "Homework help and afternoon activities for children aged 6 to 14, 2 to 6 pm.",
             "Show the Welfare Card when enrolling.")}),
    ("centri-estivi", "time-saving", "coop-il-girasole-blu", "Servizi per l'infanzia",
     "Centri estivi per bambini dai 3 ai 14 anni", "Settimane di centro estivo con uscite, piscina e laboratori.",
     voucher(50, "Un buono per figlio a settimana, fino a 4 settimane."), f"{CARD} all'iscrizione.",
     {"beneficiaries": ["family"], "tuir": "2-f-bis", "valid_from": date(2018, 6, 1),
      "valid_until": date(2019, 9, 13)}),
    ("babysitting-a-domicilio", "time-saving", "coop-il-girasole-blu", "Servizi per l'infanzia",
     "Babysitting a domicilio con educatrici qualificate",
     "Educatrici della cooperativa a casa vostra, anche per poche ore e nei giorni di chiusura delle scuole.",
     price(11, "Tariffa oraria; minimo 2 ore."), "Prenotare con 48 ore di anticipo al numero della cooperativa.",
     {"beneficiaries": ["family"], "tuir": "2-f-bis"}),
    ("lavanderia-stireria-in-azienda", "time-saving", "coop-arcobaleno-del-secchia", "Servizi salvatempo",
     "Ritiro e consegna di lavanderia e stireria in azienda",
     "Il lunedì si consegnano i capi in portineria, il giovedì si ritirano lavati e stirati.",
     disc(20), "Consegnare i capi in portineria con il modulo e il numero della Welfare Card.",
     {"open_to": ["ceramiche-fossa-alta", "ceramica-rondine-blu", "colorificio-smalti-del-secchia",
                  "oleodinamica-tresinaro", "lavanderia-industriale-il-candore"],
      "en": ("Laundry and ironing collected at work", "Drop clothes at the front desk on Monday, collect on Thursday.",
             "Leave the clothes at the front desk with the form and your Welfare Card number.")}),
    ("maggiordomo-aziendale", "time-saving", "coop-arcobaleno-del-secchia", "Servizi salvatempo",
     "Maggiordomo aziendale: commissioni, pratiche e ritiro pacchi",
     "Un operatore della cooperativa sbriga commissioni, pratiche e ritiri per conto del dipendente.",
     price(8, "Per commissione nel comune della sede di lavoro."), "Richiedere il servizio per e-mail o al telefono.",
     {}),
    ("piccole-riparazioni-domestiche", "time-saving", "coop-mani-operose", "Casa",
     "Piccole riparazioni domestiche a tariffa agevolata",
     "Idraulica, elettricità e falegnameria di piccola entità, montaggio mobili.",
     price(25, "Tariffa oraria; materiali a parte."), "Prenotare al telefono indicando il numero della Welfare Card.",
     {}),
    ("spesa-online-consegna", "time-saving", "supermercati-tre-ponti", "Servizi salvatempo",
     "Spesa online con consegna gratuita in azienda",
     "Spesa ordinata online entro le 10 e consegnata in azienda a fine turno.",
     free("Per ordini di almeno 40 euro."), "Ordinare sul sito indicando il numero della Welfare Card.",
     {"open_to": ["maglificio-la-trama", "confezioni-annabi", "nuvola-padana", "ecoservizi-pianura",
                  "supermercati-tre-ponti"]}),
    ("accompagnamento-attivita-sportive", "time-saving", "coop-il-girasole-blu", "Servizi per l'infanzia",
     "Accompagnamento dei figli alle attività sportive",
     "Ritiro a scuola e accompagnamento in palestra o in piscina con pulmino attrezzato.",
     price(6, "A tratta."), "Prenotare entro il venerdì per la settimana successiva.",
     {"beneficiaries": ["family"], "tuir": "2-f-bis"}),
    ("modello-730-agevolato", "time-saving", "sindacato-lavoratori-emiliani", "Pratiche fiscali",
     "Compilazione del modello 730 a prezzo agevolato",
     "Compilazione e invio della dichiarazione dei redditi con il CAF, su appuntamento.",
     price(35), "Prendere appuntamento al CAF indicando il numero della Welfare Card.",
     {"valid_from": date(2018, 4, 1)}),
    ("sportello-pratiche-online", "time-saving", "sollievo-impresa-sociale", "Servizi salvatempo",
     "Sportello per prenotazioni sanitarie e pratiche online",
     "Aiuto a prenotare visite, attivare lo SPID e sbrigare pratiche online.",
     free(), "Accesso libero nell'orario di sportello; portare la Welfare Card.", {}),
    ("ritiro-farmaci-referti", "time-saving", "accompagnami-odv", "Assistenza familiari",
     "Ritiro di farmaci e referti a domicilio",
     "Volontari ritirano farmaci e referti e li consegnano a casa di familiari anziani o non autosufficienti.",
     free(), "Telefonare al centralino dei volontari con almeno un giorno di anticipo.",
     {"beneficiaries": ["family"], "tags": ["home-care"]}),
    # personal-care -------------------------------------------------------------------------------
    ("assistenza-domiciliare", "personal-care", "coop-la-lanterna", "Assistenza familiari",
     "Assistenza domiciliare a familiari non autosufficienti",
     "Operatori socio-sanitari a domicilio per igiene, pasti, mobilizzazione e compagnia.",
     disc(15, "Sulla tariffa oraria della cooperativa."),
     "Chiedere un colloquio di valutazione al coordinamento dei servizi domiciliari.",
     {"beneficiaries": ["family"], "tuir": "2-f-ter", "tags": ["home-care"],
      "en": ("Home care for dependent relatives", "Care workers at home for hygiene, meals, mobility and company.",
             "Ask the home-care office for an assessment interview.")}),
    ("sportello-badanti", "personal-care", "sollievo-impresa-sociale", "Assistenza familiari",
     "Sportello badanti: selezione, contratto e sostituzioni",
     "Selezione di assistenti familiari, gestione del contratto e sostituzioni per ferie e malattia.",
     free("Gratuiti il colloquio e la selezione; la gestione del contratto a tariffa agevolata."),
     "Fissare un colloquio allo sportello famiglie.",
     {"beneficiaries": ["family"], "tuir": "2-f-ter", "tags": ["home-care"],
      "en": ("Home carers' desk: selection, contract and replacements",
             "Selection of home carers, contract management and replacements.",
             "Book an interview at the families' desk.")}),
    ("teleassistenza", "personal-care", "sollievo-impresa-sociale", "Assistenza familiari",
     "Teleassistenza e telesoccorso per anziani soli",
     "Dispositivo di chiamata d'emergenza collegato a una centrale attiva 24 ore su 24.",
     price(15, "Canone mensile; installazione gratuita."), "Richiedere l'attivazione allo sportello famiglie.",
     {"beneficiaries": ["family"], "tuir": "2-f-ter", "tags": ["home-care"]}),
    ("sportello-sociale-asp", "personal-care", "asp-terre-secchia-panaro", "Assistenza familiari",
     "Consulenza sui servizi per anziani e persone non autosufficienti",
     "L'assistente sociale spiega i servizi pubblici, i contributi e le domande per centri diurni e residenze.",
     free(), "Prendere appuntamento allo sportello sociale indicando il numero della Welfare Card.",
     {"beneficiaries": ["employee", "family"], "tags": ["home-care"]}),
    ("ricoveri-di-sollievo", "personal-care", "asp-terre-secchia-panaro", "Assistenza familiari",
     "Ricoveri di sollievo per familiari non autosufficienti",
     "Brevi periodi di accoglienza in struttura per dare respiro a chi assiste un familiare.",
     price(62, "Retta giornaliera; da 7 a 30 giorni l'anno."), "Presentare domanda allo sportello sociale.",
     {"beneficiaries": ["family"], "tuir": "2-f-ter", "tags": ["home-care"]}),
    ("gruppi-sostegno-caregiver", "personal-care", "coop-ponte-verde", "Sostegno psicologico",
     "Gruppi di sostegno per caregiver familiari",
     "Incontri mensili guidati da una psicologa per chi assiste un familiare malato o anziano.",
     free(), "Iscriversi per telefono o per e-mail.", {"tags": ["home-care"]}),
    ("fisioterapia-a-domicilio", "personal-care", "centro-medico-emilia-salute", "Salute",
     "Fisioterapia a domicilio", "Sedute di fisioterapia e riabilitazione a casa del paziente.",
     disc(20), "Prenotare al centro indicando il numero della Welfare Card.",
     {"beneficiaries": ["employee", "family"], "tuir": "2-f", "tags": ["home-care"]}),
    ("sostegno-psicologico", "personal-care", "coop-ponte-verde", "Sostegno psicologico",
     "Colloqui di sostegno psicologico", "Colloqui individuali e di coppia con psicologi e psicoterapeuti.",
     price(40, "A colloquio; il primo colloquio è gratuito."), "Prenotare in modo riservato per telefono.",
     {"beneficiaries": ["employee", "family"], "tuir": "2-f",
      "en": ("Psychological support sessions", "Individual and couple sessions with psychologists.",
             "Book confidentially by phone.")}),
    ("accompagnamento-visite-mediche", "personal-care", "accompagnami-odv", "Assistenza familiari",
     "Accompagnamento a visite mediche per familiari anziani",
     "Volontari con auto attrezzata accompagnano a visite, esami e terapie.",
     free("Offerta libera per il rimborso del carburante."), "Telefonare al centralino almeno tre giorni prima.",
     {"beneficiaries": ["family"], "tags": ["home-care"]}),
    ("pasti-a-domicilio", "personal-care", "coop-la-lanterna", "Assistenza familiari",
     "Pasti caldi a domicilio per anziani", "Pranzo caldo consegnato a casa dal lunedì al sabato.",
     price(7.5, "A pasto."), "Attivare il servizio al telefono con una settimana di anticipo.",
     {"beneficiaries": ["family"], "tuir": "2-f-ter", "tags": ["home-care"]}),
    ("noleggio-ausili", "personal-care", "coop-la-lanterna", "Assistenza familiari",
     "Noleggio di ausili: carrozzine, letti e sollevatori", "Ausili consegnati e montati a domicilio.",
     disc(25), "Richiedere un preventivo indicando il numero della Welfare Card.",
     {"beneficiaries": ["family"], "tags": ["home-care"]}),
    ("posti-nido-infanzia", "personal-care", "coop-il-girasole-blu", "Servizi per l'infanzia",
     "Posti riservati al nido d'infanzia", "Nido per bambini da 9 a 36 mesi, aperto dalle 7.30 alle 18.",
     disc(10, "Sulla retta mensile; fino a esaurimento dei posti riservati."), "Presentare domanda di iscrizione.",
     {"beneficiaries": ["family"], "tuir": "2-f-bis"}),
    ("compagnia-telefonica-anziani", "personal-care", "voci-di-quartiere-odv", "Assistenza familiari",
     "Compagnia e ascolto telefonico per anziani soli",
     "Volontari telefonano ogni settimana a persone anziane sole e segnalano i bisogni ai servizi.",
     free(), "Segnalare la persona al coordinamento volontari.", {"beneficiaries": ["family"], "tags": ["home-care"]}),
    # skills-development --------------------------------------------------------------------------
    ("corso-inglese-serale", "skills-development", "formalab-impresa-sociale", "Formazione",
     "Corso di inglese serale in piccoli gruppi", "Corsi di 30 ore, dal livello A1 al B2, in gruppi di massimo 8.",
     disc(25), "Iscriversi in segreteria dopo il test di livello gratuito.",
     {"tuir": "2-f", "en": ("Evening English course in small groups", "30-hour courses, A1 to B2, up to 8 people.",
                           "Enrol at the office after a free placement test.")}),
    ("corso-informatica-base", "skills-development", "software-via-emilia", "Formazione",
     "Corso di informatica di base e Office", "Dieci lezioni serali su computer, posta elettronica e fogli di calcolo.",
     price(60), "Iscriversi per e-mail indicando il numero della Welfare Card.", {"tuir": "2-f"}),
    ("sostegno-allo-studio", "skills-development", "formalab-impresa-sociale", "Formazione",
     "Ripetizioni e sostegno allo studio per ragazzi delle superiori",
     "Lezioni individuali e in piccoli gruppi di matematica, lingue e materie tecniche.",
     disc(20), "Prenotare in segreteria.", {"beneficiaries": ["family"], "tuir": "2-f-bis"}),
    ("borse-di-studio", "skills-development", "fondazione-torre-civica", "Istruzione",
     "Borse di studio per i figli dei dipendenti",
     "Borse per studenti delle scuole superiori e dell'università figli di dipendenti delle imprese della rete.",
     voucher(500, "Venti borse l'anno; media di almeno 8/10 o 27/30."),
     "Presentare domanda con il modulo della Fondazione entro il 30 settembre.",
     {"beneficiaries": ["family"], "tuir": "2-f-bis", "valid_from": date(2018, 9, 1)}),
    ("educazione-finanziaria", "skills-development", "finanziaria-pianura-padana", "Formazione",
     "Incontri di educazione finanziaria", "Bilancio familiare, risparmio, mutui e truffe online in quattro serate.",
     free(), "Iscriversi per e-mail.", {}),
    ("primo-soccorso-pediatrico", "skills-development", "centro-medico-emilia-salute", "Formazione",
     "Corso di primo soccorso pediatrico per genitori",
     "Manovre di disostruzione e primo soccorso per bambini, con istruttori qualificati.",
     free(), "Iscriversi al centro: posti limitati.", {"beneficiaries": ["employee", "family"]}),
    ("italiano-per-stranieri", "skills-development", "circolo-culturale-la-torre-aps", "Formazione",
     "Corso di italiano per lavoratori stranieri", "Corso serale di lingua italiana, dal livello A1 al B1.",
     free(), "Iscriversi in segreteria.",
     {"en": ("Italian course for foreign workers", "Evening Italian classes, A1 to B1.", "Enrol at the office.")}),
    ("orientamento-scolastico", "skills-development", "formalab-impresa-sociale", "Istruzione",
     "Orientamento scolastico e universitario per i figli",
     "Colloqui e test attitudinali per scegliere la scuola superiore o l'università.",
     free(), "Prenotare un colloquio in segreteria.", {"beneficiaries": ["family"], "tuir": "2-f-bis"}),
    ("sicurezza-online-famiglie", "skills-development", "software-via-emilia", "Formazione",
     "Laboratorio di sicurezza online per genitori e ragazzi",
     "Social network, privacy e cyberbullismo: due incontri per famiglie.",
     free(), "Iscriversi per e-mail.",
     {"beneficiaries": ["employee", "family"],
      "en": ("Online safety workshop for parents and teenagers", "Social networks, privacy and cyberbullying.",
             "Sign up by e-mail.")}),
    ("corsi-di-musica", "skills-development", "musica-insieme-secchia-aps", "Cultura",
     "Corsi di musica per adulti e ragazzi", "Strumento, canto e musica d'insieme.",
     disc(15), "Iscriversi in segreteria.",
     {"beneficiaries": ["employee", "family"], "tuir": "2-f", "valid_until": date(2019, 2, 28)}),
    # pensions-health -----------------------------------------------------------------------------
    ("consulenza-previdenziale", "pensions-health", "sindacato-lavoratori-emiliani", "Previdenza",
     "Consulenza previdenziale gratuita",
     "Verifica dell'estratto conto contributivo, calcolo della pensione e domande all'INPS con il patronato.",
     free(), "Prendere appuntamento al patronato indicando il numero della Welfare Card.",
     {"en": ("Free pension advice", "Contribution record check, pension estimate and applications.",
             "Book an appointment mentioning your Welfare Card number.")}),
    ("check-up-cardiologico", "pensions-health", "centro-medico-emilia-salute", "Prevenzione",
     "Check-up cardiologico a prezzo convenzionato", "Visita cardiologica con elettrocardiogramma ed ecocardiogramma.",
     price(70), "Prenotare al centro indicando il numero della Welfare Card.",
     {"beneficiaries": ["employee", "family"], "tuir": "2-f"}),
    ("visite-specialistiche", "pensions-health", "centro-medico-emilia-salute", "Salute",
     "Sconto 20% sulle visite specialistiche", "Visite specialistiche ed esami diagnostici in tempi brevi.",
     disc(20), "Prenotare al centro indicando il numero della Welfare Card.",
     {"beneficiaries": ["employee", "family"], "tuir": "2-f",
      "en": ("20% off specialist visits", "Specialist visits and diagnostic tests at short notice.",
             "Book at the centre with your Welfare Card number.")}),
    ("igiene-dentale", "pensions-health", "centro-medico-emilia-salute", "Salute",
     "Prima visita odontoiatrica e igiene dentale", "Visita, panoramica se necessaria e seduta di igiene.",
     price(45), "Prenotare al centro.", {"beneficiaries": ["employee", "family"]}),
    ("polizza-non-autosufficienza", "pensions-health", "agenzia-assicurativa-estense", "Assicurazioni",
     "Polizza collettiva per la non autosufficienza (LTC)",
     "Rendita mensile in caso di perdita dell'autosufficienza, a condizioni di gruppo.",
     disc(20, "Rispetto alla tariffa individuale."), "Richiedere un preventivo in agenzia.",
     {"tuir": "2-f-quater", "tags": ["home-care"]}),
    ("sportello-fondi-pensione", "pensions-health", "sindacato-lavoratori-emiliani", "Previdenza",
     "Sportello informativo sui fondi pensione",
     "Come funzionano il TFR, i fondi negoziali e la previdenza complementare.",
     free(), "Accesso libero il martedì pomeriggio.", {}),
    ("giornate-prevenzione", "pensions-health", "fondazione-torre-civica", "Prevenzione",
     "Giornate di prevenzione cardiovascolare",
     "Misura di pressione, glicemia e colesterolo con medici volontari, in piazza e nelle aziende.",
     free(), "Presentarsi nelle giornate indicate nel calendario della Fondazione.",
     {"beneficiaries": ["employee", "family"]}),
    ("cassa-sanitaria-integrativa", "pensions-health", "agenzia-assicurativa-estense", "Assicurazioni",
     "Adesione agevolata a una cassa di assistenza sanitaria integrativa",
     "Rimborso di visite, esami e ricoveri con una cassa sanitaria convenzionata.",
     disc(10), "Richiedere il modulo di adesione in agenzia.", {"tuir": "2-a", "valid_from": date(2018, 9, 1)}),
    ("percorso-nutrizionista", "pensions-health", "palestra-linea-viva", "Prevenzione",
     "Percorso con nutrizionista e attività motoria",
     "Tre visite con la nutrizionista e tre mesi di attività motoria guidata.",
     price(120), f"{CARD} in reception.", {"tuir": "2-f"}),
    # territorial-welfare -------------------------------------------------------------------------
    ("banca-del-tempo", "territorial-welfare", "banca-del-tempo-ritrovato-odv", "Comunità",
     "Banca del tempo: scambio di piccoli aiuti tra dipendenti e cittadini",
     "Un'ora di aiuto data vale un'ora di aiuto ricevuta: commissioni, ripetizioni, piccoli lavori.",
     free(), "Iscriversi allo sportello soci.",
     {"en": ("Time bank: swapping small favours", "One hour given is worth one hour received.",
             "Join at the members' desk.")}),
    ("volontariato-aziendale", "territorial-welfare", "voci-di-quartiere-odv", "Comunità",
     "Giornate di volontariato aziendale", "Gruppi di dipendenti affiancano i volontari in progetti del quartiere.",
     free(), "L'impresa concorda le giornate con il coordinamento volontari.", {}),
    ("orti-sociali", "territorial-welfare", "coop-orti-solidali", "Comunità",
     "Orti sociali: un orto in affitto per le famiglie", "Appezzamenti di 50 mq con acqua, attrezzi e consigli.",
     price(60, "Canone annuale."), "Fare domanda all'ufficio soci.", {"beneficiaries": ["employee", "family"]}),
    ("eventi-culturali", "territorial-welfare", "circolo-culturale-la-torre-aps", "Cultura",
     "Rassegna di eventi culturali e visite guidate", "Conferenze, visite guidate e gite culturali in provincia.",
     disc(20), f"{CARD} all'iscrizione.", {"beneficiaries": ["employee", "family"], "tuir": "2-f"}),
    ("corsi-sportivi-bambini", "territorial-welfare", "polisportiva-quattro-ville-aps", "Sport",
     "Corsi sportivi per bambini a tariffa agevolata", "Minivolley, basket, ginnastica e nuoto dai 5 ai 14 anni.",
     disc(20), f"{CARD} in segreteria all'iscrizione.", {"beneficiaries": ["family"], "tuir": "2-f"}),
    ("biglietti-teatro-cinema", "territorial-welfare", "circolo-culturale-la-torre-aps", "Cultura",
     "Biglietti ridotti per teatro e cinema del circolo", "Stagione teatrale e cineforum del circolo.",
     disc(30), f"{CARD} alla biglietteria.", {"beneficiaries": ["employee", "family"]}),
    ("ciclofficina-solidale", "territorial-welfare", "coop-arcobaleno-del-secchia", "Mobilità",
     "Ciclofficina solidale: manutenzione della bicicletta", "Controllo freni, cambio e gomme, con ricambi usati.",
     price(10, "Manodopera per intervento; ricambi a parte."), f"{CARD} in officina.", {}),
    ("mostre-fondazione", "territorial-welfare", "fondazione-torre-civica", "Cultura",
     "Ingresso gratuito alle mostre della Fondazione", "Mostre d'arte e fotografia e visite guidate la domenica.",
     free(), f"{CARD} alla biglietteria.", {"beneficiaries": ["employee", "family"], "tuir": "2-f"}),
    ("negozi-di-vicinato", "territorial-welfare", "esercenti-centro-storico-modena", "Commercio di prossimità",
     "Sconti nei negozi di vicinato del centro storico",
     "Oltre 40 negozi, botteghe e pubblici esercizi del centro di Modena aderenti all'iniziativa.",
     disc(10, "Nei negozi con la vetrofania della rete."), f"{CARD} alla cassa.",
     {"where": "Centro storico di Modena", "valid_from": date(2018, 5, 1),
      "en": ("Discounts in neighbourhood shops in the old town", "Over 40 shops and cafés in central Modena.",
             "Show the Welfare Card at the till.")}),
]


def build_services(orgs: list[dict]) -> list[dict]:
    by_id = {o["id"]: o for o in orgs}
    services = []
    for sid, area, provider, category, title, description, benefit, access, extra in SERVICES:
        org = by_id[provider]
        service = {"id": sid, "title": title, "description": description}
        if "en" in extra:
            t, d, a = extra["en"]
            service["en"] = {"title": t, "description": d, "access": a}
        service.update({"provider": provider, "macro_area": area, "category": category, "benefit": benefit,
                        "beneficiaries": Flow(extra.get("beneficiaries", ["employee"]))})
        if "tuir" in extra:
            service["tuir"] = extra["tuir"]
        service["access"] = access
        if "where" in extra:
            service["where"] = extra["where"]
        contacts = org.get("contacts", {})
        if "phone" in contacts:
            service["contacts"] = {k: contacts[k] for k in ("phone", "email") if k in contacts}
        for key in ("valid_from", "valid_until"):
            if key in extra:
                service[key] = extra[key]
        if "open_to" in extra:
            service["open_to"] = extra["open_to"]
        if "tags" in extra:
            service["tags"] = Flow(extra["tags"])
        services.append(service)
    return services


# --- workshops ----------------------------------------------------------------------------------
OFFICE = "Sala riunioni Reticolo Welfare Lab, Modena"
WORKSHOPS = [
    ("avvio-della-rete", date(2017, 11, 28), "training", OFFICE, 32,
     "Avvio della rete: il welfare aziendale dopo le leggi di bilancio 2016 e 2017",
     "Presentazione del progetto e delle novità normative sul welfare aziendale e sui premi di risultato.", None),
    ("fisco-welfare-tuir", date(2018, 1, 23), "training",
     "Università degli Studi di Modena e Reggio Emilia, Modena", 28,
     "Normativa e fisco del welfare aziendale: l'articolo 51 del TUIR",
     "Formazione tecnica e normativa per uffici del personale e consulenti del lavoro.", None),
    ("laboratorio-risultati-survey", date(2018, 2, 20), "co-design-lab", OFFICE, 22,
     "Dai risultati della survey ai bisogni dei dipendenti",
     "Lettura condivisa dei risultati dell'indagine su 470 dipendenti e prime priorità.", None),
    ("testimonianze-reti-welfare", date(2018, 3, 20), "testimony", OFFICE, 26,
     "Esperienze di welfare di rete in Emilia-Romagna e in altre regioni",
     "Testimonianze di reti di imprese e di distretti che condividono servizi di welfare.", None),
    ("visita-biomedica-mirandolese", date(2018, 4, 17), "company-visit", "Biomedica Mirandolese S.r.l., Mirandola", 18,
     "Visita aziendale: il piano di welfare di un'impresa del biomedicale",
     "Visita allo stabilimento e confronto con l'ufficio del personale.",
     {"biomedica-mirandolese": 5, "tecnofiltri-medicali": 3, "laboratorio-analisi-ambientali-bassa": 2,
      "forniture-ufficio-pico": 2, "reticolo-welfare-lab": 2}),
    ("coprogettazione-paniere", date(2018, 5, 22), "co-design-lab", OFFICE, 21,
     "Coprogettazione del paniere di servizi della Welfare Card",
     "Imprese, cooperative e associazioni definiscono insieme i servizi e le condizioni.",
     {"coop-la-lanterna": 2, "coop-il-girasole-blu": 2, "sollievo-impresa-sociale": 2, "accompagnami-odv": 1,
      "reticolo-welfare-lab": 3}),
    ("contrattazione-welfare", date(2018, 6, 19), "training", OFFICE, 24,
     "Contrattazione di secondo livello e premi di risultato convertiti in welfare",
     "Accordi aziendali e territoriali, conversione dei premi e ruolo delle parti sociali.",
     {"sindacato-lavoratori-emiliani": 3, "unione-sindacale-autonoma-modena": 2, "alleanza-imprese-modenesi": 2}),
    ("visita-ceramiche-fossa-alta", date(2018, 9, 25), "company-visit", "Ceramiche Fossa Alta S.p.A., Fiorano Modenese",
     16, "Visita aziendale: conciliazione e turni nel distretto ceramico",
     "Orari, turni e servizi salvatempo in una grande impresa ceramica.",
     {"ceramiche-fossa-alta": 4, "ceramica-rondine-blu": 3, "colorificio-smalti-del-secchia": 2}),
    ("laboratorio-welfare-card", date(2018, 10, 23), "co-design-lab", OFFICE, 20,
     "La Welfare Card: regole d'uso, grafica e distribuzione",
     "Come riconoscere la card allo sportello, come distribuirla tramite le imprese.", None),
    ("testimonianze-profit-non-profit", date(2018, 11, 27), "testimony", "Palazzina Pucci, Modena", 25,
     "Profit e non profit: testimonianze di cooperative e associazioni",
     "Cooperative sociali, ODV e APS raccontano i servizi offerti ai dipendenti delle imprese.", None),
    ("formazione-non-autosufficienza", date(2019, 2, 19), "training", OFFICE, 23,
     "Cura dei familiari non autosufficienti: servizi, agevolazioni e lettera f-ter",
     "I servizi pubblici e privati per la non autosufficienza e il loro trattamento fiscale.",
     {"asp-terre-secchia-panaro": 2, "coop-la-lanterna": 2}),
    ("coprogettazione-assistenza-domiciliare", date(2019, 3, 26), "co-design-lab", OFFICE, 19,
     "Progetto assistenza domiciliare: coprogettazione con le imprese sociali",
     "Un'offerta comune di assistenza domiciliare per i familiari dei dipendenti.",
     {"coop-la-lanterna": 3, "sollievo-impresa-sociale": 2, "asp-terre-secchia-panaro": 2, "coop-ponte-verde": 1}),
    ("visita-ristorazione-collettiva", date(2019, 5, 21), "company-visit",
     "Ristorazione Collettiva Emiliana S.p.A., Modena", 15,
     "Visita aziendale: la mensa interaziendale aperta alle imprese vicine",
     "Un servizio condiviso tra imprese della stessa area produttiva.",
     {"ristorazione-collettiva-emiliana": 4, "logistica-cittanova": 3, "elettronica-crocetta": 2}),
    ("bilancio-welfare-card", date(2019, 9, 24), "testimony", OFFICE, 24,
     "Welfare Card: un primo bilancio dalle imprese e dai fornitori",
     "Imprese e fornitori raccontano l'uso della card nel primo anno e mezzo.", None),
    ("forum-finale", date(2019, 12, 2), "forum", "Palazzina Pucci, Modena", 62,
     "Forum finale della Rete Welfare Aziendale-Territoriale Modena",
     "Presentazione dei risultati e delle valutazioni del percorso triennale e confronto tra i principali attori "
     "economici e sociali del territorio, dalle 16 alle 18.30.",
     {"comune-di-modena": 4, "regione-emilia-romagna": 2, "unimore": 3, "reticolo-welfare-lab": 5,
      "alleanza-imprese-modenesi": 3, "esercenti-centro-storico-modena": 2, "sindacato-lavoratori-emiliani": 3,
      "unione-sindacale-autonoma-modena": 2}),
]


def build_workshops() -> list[dict]:
    result = []
    for wid, day, kind, venue, participants, title, description, by_org in WORKSHOPS:
        item = {"id": wid, "date": day, "title": title, "kind": kind, "venue": venue, "participants": participants}
        if by_org:
            item["by_organisation"] = by_org
        item["description"] = description
        result.append(item)
    return result


# --- people -------------------------------------------------------------------------------------
SURNAMES = ["Rossi", "Ferrari", "Bianchi", "Russo", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "Costa", "Giordano", "Mancini", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "Villa", "Cattaneo", "Parisi", "Fabbri", "Bernardi", "Pellegrini", "Malagoli", "Barbolini", "Bertoni", "Vaccari", "Gibertini", "Ferrarini", "Montanari", "Manfredini", "Bergonzini", "Guidetti", "Zanni", "Piccinini", "Tosi", "Benatti", "Pederzoli", "Messori", "Muzzioli", "Morselli", "Lugli", "Bellei", "Reggiani", "Setti", "Pignatti", "Baraldi", "Bonacorsi", "Cuoghi", "Gualdi", "Goldoni", "Corradini", "Fiorini", "Venturelli", "Zanoli", "Ansaloni", "Golinelli", "Ghidoni", "Malavasi", "Righi", "Silingardi", "Campioli", "Debbia", "Bursi", "Marchetti", "Caselli", "Cavazzuti", "Ori", "Bulgarelli", "Paltrinieri", "Forghieri", "Vandelli", "Solmi", "Sola", "Artioli", "Rebecchi", "Lodi", "Cremonini", "Pinelli", "Grandi", "Borghi", "Zini", "Gibellini", "Prandini", "Sacchetti", "Tonelli", "Melotti", "D'Angelo", "Dell'Acqua", "Dall'Olio", "D'Amico", "De", "Luca", "Di", "Stefano", "De", "Santis", "La", "Rosa", "Lo", "Russo", "Dalla", "Costa", "Dell'Aquila", "D'Alessandro", "Di", "Pietro", "De", "Rosa", "Del", "Monte", "Esposito", "Cirillo", "Napolitano", "Amato", "Sorrentino", "Messina", "Castelli", "Fiore", "Ruggiero", "Palumbo", "Catalano", "Pagano", "Testa", "Marchi", "Basile", "Cocco", "Sartori", "Monti", "Grasso", "Orlando", "Farina", "Silvestri", "Sala"]
# two-word surnames joined above by being written with a space: repair the ones split by .split()
_TWO_WORD = {"De": True, "Di": True, "La": True, "Lo": True, "Dalla": True, "Del": True}


def _join_surnames(words: list[str]) -> list[str]:
    out, i = [], 0
    while i < len(words):
        if words[i] in _TWO_WORD and i + 1 < len(words):
            out.append(f"{words[i]} {words[i + 1]}")
            i += 2
        else:
            out.append(words[i])
            i += 1
    return list(dict.fromkeys(out))


SURNAMES = _join_surnames(SURNAMES)
MALE = ["Marco", "Andrea", "Luca", "Alessandro", "Matteo", "Francesco", "Lorenzo", "Davide", "Simone", "Federico", "Riccardo", "Stefano", "Giorgio", "Paolo", "Roberto", "Massimo", "Fabio", "Daniele", "Nicola", "Michele", "Enrico", "Claudio", "Giuseppe", "Giovanni", "Antonio", "Mattia", "Tommaso", "Gabriele", "Filippo", "Emanuele", "Alberto", "Maurizio", "Mauro", "Luigi", "Sergio", "Franco", "Gianni", "Pietro", "Carlo", "Vittorio", "Mirco", "Cristian", "Niccolò", "Nicolò", "Gianluca", "Pierluigi", "Samuele", "Elia", "Jacopo", "Ivano", "Loris", "Denis", "Manuel", "Ettore", "Maicol"]
FEMALE = ["Giulia", "Francesca", "Chiara", "Sara", "Martina", "Elena", "Valentina", "Alessia", "Federica", "Silvia", "Laura", "Paola", "Anna", "Maria", "Elisa", "Roberta", "Cristina", "Barbara", "Simona", "Monica", "Daniela", "Claudia", "Stefania", "Serena", "Ilaria", "Veronica", "Giorgia", "Erika", "Debora", "Sonia", "Manuela", "Patrizia", "Lucia", "Marta", "Beatrice", "Alice", "Camilla", "Noemi", "Arianna", "Irene", "Lisa", "Katia", "Morena", "Loredana", "Rita", "Nicoletta", "Emanuela", "Mariangela", "Antonella", "Gemma", "Sofia"]
DOUBLE_GIVEN = {"M": ["Gian Luca", "Pier Paolo", "Gian Marco", "Giovanni Battista"],
                "F": ["Maria Grazia", "Anna Maria", "Maria Chiara", "Maria Teresa", "Rosa Anna"]}
# (surnames, male names, female names, birthplace code) of people born abroad
FOREIGN = [
    (["El Amrani", "Benali", "Bouzidi", "El Idrissi", "Haddad"], ["Youssef", "Mohamed", "Karim", "Rachid"],
     ["Fatima", "Khadija", "Salma", "Nadia"], "Z330"),
    (["Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu"], ["Mihai", "Ionuț", "Andrei", "Florin"],
     ["Andreea", "Elena", "Ioana", "Mihaela"], "Z129"),
    (["Hoxha", "Kola", "Shehu", "Doda"], ["Arben", "Ervin", "Gentian"], ["Elira", "Anisa", "Blerina"], "Z100"),
    (["Singh", "Kaur", "Kumar"], ["Gurpreet", "Harjit", "Rajinder", "Sukhwinder"], ["Harpreet", "Manpreet"],
     "Z222"),
    (["Hu", "Zhou", "Chen", "Wang"], ["Wei", "Jian", "Lei"], ["Lin", "Mei", "Xiaoyan"], "Z210"),
    (["Kovalenko", "Shevchenko", "Bondarenko"], ["Oleksandr", "Taras"], ["Olena", "Oksana", "Iryna"], "Z138"),
    (["Trabelsi", "Ben Salah", "Jebali"], ["Sami", "Hichem"], ["Amira", "Ines"], "Z352"),
]
MONTHS = "ABCDEHLMPRST"


def _letters(text: str) -> str:
    return "".join(ch for ch in ascii_fold(text).upper() if "A" <= ch <= "Z")


def _split(text: str) -> tuple[str, str]:
    letters = _letters(text)
    return "".join(c for c in letters if c not in "AEIOU"), "".join(c for c in letters if c in "AEIOU")


def cf_surname(surname: str) -> str:
    cons, vows = _split(surname)
    return (cons + vows + "XXX")[:3]


def cf_name(name: str) -> str:
    cons, vows = _split(name)
    if len(cons) >= 4:
        return cons[0] + cons[2] + cons[3]
    return (cons + vows + "XXX")[:3]


def make_codice_fiscale(surname: str, name: str, born: date, sex: str, place: str) -> str:
    day = born.day + (40 if sex == "F" else 0)
    body = f"{cf_surname(surname)}{cf_name(name)}{born.year % 100:02d}{MONTHS[born.month - 1]}{day:02d}{place}"
    return body + codicefiscale.calc_check_digit(body)


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def make_person(rng: random.Random, used_cf: set[str]) -> dict:
    while True:
        sex = "F" if rng.random() < 0.42 else "M"
        if rng.random() < 0.11:
            surnames, males, females, place = rng.choice(FOREIGN)
            surname = rng.choice(surnames)
            given = rng.choice(females if sex == "F" else males)
        else:
            surname = rng.choice(SURNAMES)
            if rng.random() < 0.04:
                given = rng.choice(DOUBLE_GIVEN[sex])
            else:
                given = rng.choice(FEMALE if sex == "F" else MALE)
            place = weighted(rng, BIRTHPLACES_IT)
        # ages 19-64 at the export date, more in the middle
        age = min(64, max(19, int(rng.triangular(19, 65, 44))))
        born = random_date(rng, date(EXPORT_DATE.year - age - 1, EXPORT_DATE.month, EXPORT_DATE.day) + timedelta(1),
                           date(EXPORT_DATE.year - age, EXPORT_DATE.month, EXPORT_DATE.day))
        code = make_codice_fiscale(surname, given, born, sex, place)
        if code in used_cf:
            continue
        assert codicefiscale.is_valid(code), code
        used_cf.add(code)
        return {"surname": surname, "given": given, "sex": sex, "born": born, "cf": code}


# --- employee workbooks -------------------------------------------------------------------------
HEADERS = {
    "surname": ["Cognome", "COGNOME", "Surname", "Cognome"],
    "given": ["Nome", "NOME", "Name", "First name"],
    "cf": ["Codice Fiscale", "C.F.", "CF", "Tax code", "Cod. Fiscale", "CODICE FISCALE"],
    "hired": ["Data assunzione", "Data di assunzione", "Hire date", "DATA ASSUNZIONE"],
    "left": ["Data cessazione", "Leaving date", "Data cessazione", "DATA CESSAZIONE"],
    "email": ["E-mail", "Email", "Indirizzo e-mail", "E-mail"],
    "site": ["Sede", "Reparto", "Department", "REPARTO"],
}
ENGLISH = {"Surname", "Name", "First name", "Tax code", "Hire date", "Leaving date", "Email", "Department"}
SHEET_NAMES = ["Dipendenti", "Foglio1", "Sheet1", "Personale", "Employees", "Dipendenti"]
DEPARTMENTS = {
    "C": ["Produzione", "Magazzino", "Manutenzione", "Qualità", "Ufficio tecnico", "Amministrazione", "Commerciale"],
    "G": ["Punto vendita", "Magazzino", "Amministrazione", "Acquisti"],
    "F": ["Cantiere", "Ufficio tecnico", "Amministrazione"],
    "H": ["Autisti", "Magazzino", "Traffico", "Amministrazione"],
    "M": ["Studio", "Segreteria", "Laboratorio"],
    "J": ["Sviluppo", "Assistenza clienti", "Amministrazione", "Redazione"],
    "Q": ["Assistenza", "Infermieristica", "Accettazione", "Amministrazione"],
    "I": ["Cucina", "Sala", "Ricevimento", "Amministrazione"],
    "N": ["Squadre operative", "Ufficio", "Agenzia"],
    "K": ["Filiale", "Back office", "Amministrazione"],
    "A": ["Campagna", "Vivaio", "Magazzino", "Ufficio"],
    "E": ["Raccolta", "Impianto", "Officina", "Amministrazione"],
    "S": ["Lavaggio", "Stireria", "Logistica", "Amministrazione"],
    "79.11": ["Agenzia", "Booking", "Amministrazione"],
    "56.29": ["Cucina centrale", "Mense aziendali", "Logistica", "Amministrazione"],
    "62.01": ["Sviluppo", "Assistenza clienti", "Consulenza", "Amministrazione"],
    "58.11": ["Redazione", "Grafica", "Amministrazione"],
}


def distribute_staff() -> dict[str, int]:
    """Current staff per member company, as in the MEMBERS table (CURRENT_EMPLOYEES in all)."""
    staff = {m[0]: m[6] for m in MEMBERS}
    assert sum(staff.values()) == CURRENT_EMPLOYEES, sum(staff.values())
    return staff


def fictional_iban(rng: random.Random) -> str:
    cin_free = f"{rng.randrange(10000, 99999):05d}{rng.randrange(10000, 99999):05d}{rng.randrange(10**11, 10**12):012d}"
    bban = _cin(cin_free) + cin_free
    check = stdnum_iban.calc_check_digits("IT00" + bban)
    code = f"IT{check}{bban}"
    assert stdnum_iban.is_valid(code), code
    return code


def _cin(abi_cab_account: str) -> str:
    """The Italian BBAN check letter (CIN) of ABI + CAB + account number."""
    odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
    total = 0
    for i, ch in enumerate(abi_cab_account):
        value = int(ch) if ch.isdigit() else ord(ch) - 65
        total += odd[value] if i % 2 == 0 else value
    return chr(65 + total % 26)


def build_employees() -> dict[str, list[dict]]:
    rng = rng_for("employees")
    staff = distribute_staff()
    used_cf: set[str] = set()
    result = {}
    for oid, _name, _form, section, code, _town, _, _ in MEMBERS:
        current = staff[oid]
        former = round(current * rng.uniform(0.0, 0.09)) if current > 9 else rng.randrange(0, 2)
        people = []
        founded = date(rng.randrange(1962, 2008), 1, 1)
        departments = DEPARTMENTS.get(code, DEPARTMENTS[section])
        for k in range(current + former):
            person = make_person(rng, used_cf)
            adult = date(person["born"].year + 18, person["born"].month, min(person["born"].day, 28))
            start = max(adult, founded)
            hired = random_date(rng, start, date(2019, 8, 31)) if start < date(2019, 8, 31) else date(2019, 9, 2)
            if rng.random() < 0.35:  # long tenures are common
                hired = random_date(rng, start, min(date(2019, 8, 31), start + timedelta(days=365 * 6))) \
                    if start < date(2019, 8, 31) else hired
            person["hired"] = hired
            person["left"] = None
            if k >= current:  # a former employee: left in 2018-2019, at least a month after being hired
                left = random_date(rng, date(2018, 1, 8), EXPORT_DATE - timedelta(days=1))
                if start > left - timedelta(days=30):
                    left = min(EXPORT_DATE - timedelta(days=1), max(left, start + timedelta(days=90)))
                if not start <= hired <= left - timedelta(days=30):
                    hired = random_date(rng, start, left - timedelta(days=30))
                person["hired"], person["left"] = hired, left
            person["site"] = weighted(rng, [(d, 6 if i == 0 else 2) for i, d in enumerate(departments)])
            people.append(person)
        # payroll exports list people in alphabetical order, as often as not
        if rng.random() < 0.6:
            people.sort(key=lambda p: (ascii_fold(p["surname"]).upper(), ascii_fold(p["given"]).upper()))
        else:
            people.sort(key=lambda p: (p["hired"], p["cf"]))
        result[oid] = people
    return result


def email_for(person: dict, domain: str, seen: set[str]) -> str:
    base = f'{_letters(person["given"]).lower()}.{_letters(person["surname"]).lower()}'
    address, n = f"{base}@{domain}", 2
    while address in seen:
        address, n = f"{base}{n}@{domain}", n + 1
    seen.add(address)
    return address


def write_employee_workbooks(out: Path, employees: dict[str, list[dict]]) -> list[Path]:
    rng = rng_for("workbooks")
    extra_columns = dict(zip(rng.sample([m[0] for m in MEMBERS if m[6] > 20], 3), ["Matricola", "Matricola", "IBAN"], strict=True))
    paths = []
    for index, (oid, name, *_) in enumerate(MEMBERS):
        people = employees[oid]
        style = rng.randrange(4)
        english = style == 2
        def pick(key: str, english: bool = english) -> str:
            return rng.choice([h for h in HEADERS[key] if (h in ENGLISH) == english])

        fields = ["surname", "given", "cf", "hired"]
        has_left = any(p["left"] for p in people) or rng.random() < 0.3
        if has_left:
            fields.append("left")
        if rng.random() < 0.55:
            fields.append("email")
        if rng.random() < 0.6:
            fields.append("site")
        order = rng.randrange(4)
        if order == 1:  # tax code first
            fields.remove("cf")
            fields.insert(0, "cf")
        elif order == 2:  # department first
            if "site" in fields:
                fields.remove("site")
                fields.insert(0, "site")
        elif order == 3:  # given name before surname
            fields[0], fields[1] = fields[1], fields[0]
        if oid in extra_columns:
            fields.insert(0 if extra_columns[oid] == "Matricola" else len(fields), extra_columns[oid].lower())
        headers = [("Matricola" if f == "matricola" else "IBAN" if f == "iban" else pick(f)) for f in fields]
        text_dates = rng.random() < 0.2
        title = rng.random() < 0.5
        blank = title and rng.random() < 0.6
        merged = title and rng.random() < 0.5
        second = rng.choice([None, None, "Note", "Foglio2"])
        sheet_name = "Employees" if english else rng.choice([s for s in SHEET_NAMES if s != "Employees"])
        if english and rng.random() < 0.5:
            sheet_name = "Sheet1"
        # codici fiscali typed by hand on a few rows: lower case, or in groups with spaces
        lower_rows = {rng.randrange(len(people))} if rng.random() < 0.15 else set()
        spaced_rows = {rng.randrange(len(people))} - lower_rows if rng.random() < 0.12 else set()
        domain = slug_domain(name)
        seen_emails: set[str] = set()

        wb = Workbook()
        ws = wb.active
        ws.title = sheet_name
        row = 1
        if title:
            label = "Employee list" if english else "Elenco dipendenti"
            as_of = "updated" if english else "aggiornato al"
            ws.cell(row=1, column=1, value=f"{label} – {name} – {as_of} {EXPORT_DATE:%d/%m/%Y}")
            ws.cell(row=1, column=1).font = Font(bold=True, size=12)
            if merged:
                ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
                ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
            row = 3 if blank else 2
        for c, header in enumerate(headers, start=1):
            cell = ws.cell(row=row, column=c, value=header)
            cell.font = Font(bold=True)
        header_row = row
        for i, person in enumerate(people):
            row += 1
            for c, f in enumerate(fields, start=1):
                value: object
                if f == "surname":
                    value = person["surname"].upper() if style == 3 else person["surname"]
                elif f == "given":
                    value = person["given"].upper() if style == 3 else person["given"]
                elif f == "cf":
                    value = person["cf"]
                    if i in lower_rows:
                        value = value.lower()
                    elif i in spaced_rows:
                        value = f"{value[:3]} {value[3:6]} {value[6:11]} {value[11:]}"
                elif f in ("hired", "left"):
                    day = person[f]
                    if day is None:
                        continue
                    value = f"{day:%d/%m/%Y}" if text_dates else day
                elif f == "email":
                    value = email_for(person, domain, seen_emails)
                elif f == "site":
                    value = person["site"]
                elif f == "matricola":
                    value = f"{index + 1:02d}{i + 1:04d}"
                else:  # iban
                    value = fictional_iban(rng)
                cell = ws.cell(row=row, column=c, value=value)
                if isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"
        widths = {"surname": 18, "given": 16, "cf": 20, "hired": 16, "left": 16, "email": 34, "site": 18,
                  "matricola": 11, "iban": 30}
        for c, f in enumerate(fields, start=1):
            ws.column_dimensions[chr(64 + c)].width = widths[f]
        if rng.random() < 0.5:
            ws.freeze_panes = f"A{header_row + 1}"
        if second == "Note":
            note = wb.create_sheet("Note")
            note["A1"] = (f"Estrazione dal gestionale paghe del {EXPORT_DATE:%d/%m/%Y}. I dipendenti cessati "
                          "nel periodo sono indicati con la data di cessazione.")
        elif second == "Foglio2":
            wb.create_sheet("Foglio2")
        path = out / "members" / f"{oid}.xlsx"
        save_workbook(wb, path)
        paths.append(path)
    return paths


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save with fixed document properties and zip timestamps: byte-identical on every run."""
    wb.properties.creator = "welfarectl tools/make_sample.py"
    wb.properties.lastModifiedBy = None
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps `modified` with the clock here: fixed below
    wb.properties.modified = FIXED_TIME
    core = tostring(wb.properties.to_tree())
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = core if info.filename == "docProps/core.xml" else source.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            target.writestr(fixed, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(result.getvalue())


# --- survey -------------------------------------------------------------------------------------
PRACTICES = [("Buoni pasto", 30), ("Assistenza sanitaria integrativa", 22), ("Flessibilità oraria", 26),
             ("Previdenza complementare", 18), ("Convenzioni commerciali", 12), ("Buoni acquisto", 10),
             ("Rimborso spese scolastiche", 6), ("Formazione extra-professionale", 5), ("Mensa aziendale", 9),
             ("Permessi per assistenza familiari", 5)]
AGE_WEIGHTS = [("18-29", 15), ("30-39", 26), ("40-49", 31), ("50-59", 22), ("60+", 6)]


def survey_quota(staff: dict[str, int]) -> dict[str, int]:
    """470 responses over the 50 companies: at least 3 each, the rest by size (largest remainder)."""
    base = {k: 3 for k in staff}
    rest = SURVEY_RESPONSES - sum(base.values())
    total = sum(staff.values())
    shares = {k: rest * v / total for k, v in staff.items()}
    for k, share in shares.items():
        base[k] += int(share)
    left = SURVEY_RESPONSES - sum(base.values())
    for k in sorted(shares, key=lambda k: (-(shares[k] - int(shares[k])), k))[:left]:
        base[k] += 1
    return base


def clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def build_survey() -> list[list]:
    rng = rng_for("survey")
    quota = survey_quota(distribute_staff())
    sections = {m[0]: m[3] for m in MEMBERS}
    rows = []
    for oid in [m[0] for m in MEMBERS]:
        for _ in range(quota[oid]):
            age = weighted(rng, AGE_WEIGHTS)
            older = AGE_WEIGHTS.index(next(a for a in AGE_WEIGHTS if a[0] == age))
            children = rng.choices([0, 1, 2, 3, 4], weights=[[70, 22, 7, 1, 0], [35, 32, 27, 5, 1],
                                                             [22, 30, 38, 8, 2], [38, 27, 28, 6, 1],
                                                             [60, 20, 16, 4, 0]][older])[0]
            dependent = rng.random() < [0.04, 0.08, 0.17, 0.31, 0.36][older]
            young_kids = children > 0 and older <= 2
            needs = {
                "cost-saving": 3.4 + 0.35 * min(children, 3) + rng.gauss(0, 0.8),
                "time-saving": 2.4 + (1.4 if young_kids else 0.5 if children else 0) + (0.6 if dependent else 0)
                + rng.gauss(0, 0.8),
                "personal-care": 2.0 + (2.0 if dependent else 0) + (0.6 if young_kids else 0) + rng.gauss(0, 0.8),
                "skills-development": 3.6 - 0.45 * older + (0.3 if children >= 2 and older >= 2 else 0)
                + rng.gauss(0, 0.8),
                "pensions-health": 2.2 + 0.5 * older + (0.3 if dependent else 0) + rng.gauss(0, 0.8),
                "territorial-welfare": 2.3 + (0.4 if children else 0) + rng.gauss(0, 0.9),
            }
            used = []
            for practice, weight in PRACTICES:
                if rng.random() < weight / 100:
                    used.append(practice)
            rows.append([oid, sections[oid], age, children, "Sì" if dependent else "No",
                         *[clamp(needs[area[0]]) for area in MACRO_AREAS], ", ".join(used) or None])
    return rows


def write_survey(out: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Risposte"
    header = ["Impresa", "Settore ATECO", "Fascia d'età", "Figli", "Familiari non autosufficienti",
              *[f"Bisogno: {area[1]}" for area in MACRO_AREAS], "Servizi già utilizzati"]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in build_survey():
        ws.append(row)
    ws.freeze_panes = "A2"
    for c, width in enumerate([34, 14, 12, 8, 28, 20, 36, 38, 40, 24, 24, 60], start=1):
        ws.column_dimensions[chr(64 + c)].width = width
    path = out / "members" / "survey.xlsx"
    save_workbook(wb, path)
    return path


# --- YAML ---------------------------------------------------------------------------------------
HEADER_LINES = {
    "network": "The network: name, period, roles and the macro-areas of the service package.",
    "organisations": "Every member organisation of the network, with its roles.",
    "services": "The service package on the Welfare Card: 65 services in 6 macro-areas.",
    "workshops": "The network's workshops: 15 meetings, 375 participants in all.",
}


def write_yaml(out: Path, kind: str, data: dict) -> Path:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    header = (f"# {HEADER_LINES[kind]}\n"
              "# Generated by tools/make_sample.py (a fictional sample modelled on the Modena network 2017-2019);\n"
              "# edit that script and run it again rather than editing this file.\n"
              f"# yaml-language-server: $schema=schema/{kind}.schema.json\n")
    path = out / "catalogue" / f"{kind}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + text, encoding="utf-8", newline="\n")
    return path


def generate(out: Path) -> list[Path]:
    orgs = build_organisations()
    paths = [
        write_yaml(out, "network", build_network()),
        write_yaml(out, "organisations", {"organisations": orgs}),
        write_yaml(out, "services", {"services": build_services(orgs)}),
        write_yaml(out, "workshops", {"workshops": build_workshops()}),
    ]
    paths += write_employee_workbooks(out, build_employees())
    paths.append(write_survey(out))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="output directory (default: the repository root)")
    args = parser.parse_args(argv)
    paths = generate(args.out)
    print(f"wrote {len(paths)} files under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
