"""Reference lists every network shares: ATECO sections, organisation kinds and roles, TUIR letters."""

from __future__ import annotations

# ATECO 2007 sections (the Italian NACE Rev. 2), with their Italian titles.
ATECO_SECTIONS: dict[str, str] = {
    "A": "Agricoltura, silvicoltura e pesca",
    "B": "Estrazione di minerali da cave e miniere",
    "C": "Attività manifatturiere",
    "D": "Fornitura di energia elettrica, gas, vapore e aria condizionata",
    "E": "Fornitura di acqua; reti fognarie, gestione dei rifiuti",
    "F": "Costruzioni",
    "G": "Commercio all'ingrosso e al dettaglio; riparazione di autoveicoli",
    "H": "Trasporto e magazzinaggio",
    "I": "Attività dei servizi di alloggio e di ristorazione",
    "J": "Servizi di informazione e comunicazione",
    "K": "Attività finanziarie e assicurative",
    "L": "Attività immobiliari",
    "M": "Attività professionali, scientifiche e tecniche",
    "N": "Noleggio, agenzie di viaggio, servizi di supporto alle imprese",
    "O": "Amministrazione pubblica e difesa; assicurazione sociale obbligatoria",
    "P": "Istruzione",
    "Q": "Sanità e assistenza sociale",
    "R": "Attività artistiche, sportive, di intrattenimento e divertimento",
    "S": "Altre attività di servizi",
    "T": "Attività di famiglie e convivenze come datori di lavoro",
    "U": "Organizzazioni ed organismi extraterritoriali",
}

ORGANISATION_KINDS: dict[str, str] = {
    "company": "impresa",
    "social-cooperative": "cooperativa sociale",
    "social-enterprise": "impresa sociale",
    "volunteer-association": "organizzazione di volontariato (ODV)",
    "social-promotion-association": "associazione di promozione sociale (APS)",
    "public-care-agency": "azienda pubblica di servizi alla persona (ASP)",
    "public-body": "ente pubblico",
    "foundation": "fondazione",
    "trade-association": "associazione di categoria",
    "union": "sindacato",
    "university": "università",
    "consultancy": "società di consulenza",
}

ROLES: dict[str, str] = {
    "member-company": "impresa aderente (i dipendenti ricevono la card)",
    "provider": "fornitore di servizi",
    "promoter": "promotore",
    "funder": "finanziatore",
    "coordinator": "coordinatore",
    "partner": "partner della rete",
}

SIZE_BANDS: dict[str, str] = {
    "micro": "fino a 9 addetti",
    "small": "10-49 addetti",
    "medium": "50-249 addetti",
    "large": "250 addetti e oltre",
}

# Article 51 of the TUIR (DPR 917/1986): where a welfare benefit's tax treatment comes from.
TUIR_REFERENCES: dict[str, str] = {
    "2-a": "art. 51 c. 2 lett. a: contributi di assistenza sanitaria",
    "2-f": "art. 51 c. 2 lett. f: educazione, istruzione, ricreazione, assistenza sociale e sanitaria, culto",
    "2-f-bis": "art. 51 c. 2 lett. f-bis: educazione e istruzione dei familiari, servizi per l'infanzia",
    "2-f-ter": "art. 51 c. 2 lett. f-ter: assistenza a familiari anziani o non autosufficienti",
    "2-f-quater": "art. 51 c. 2 lett. f-quater: assicurazioni per la non autosufficienza",
    "2-d-bis": "art. 51 c. 2 lett. d-bis: abbonamenti al trasporto pubblico",
    "3": "art. 51 c. 3: beni e servizi di modico valore (fringe benefit)",
}

BENEFIT_KINDS = ("discount", "fixed-price", "free", "voucher")
BENEFICIARIES = ("employee", "family")
WORKSHOP_KINDS = ("training", "testimony", "company-visit", "co-design-lab", "forum")
