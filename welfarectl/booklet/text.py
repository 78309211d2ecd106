"""The booklet's own words, in Italian and English: labels, benefits, beneficiaries, TUIR
references, validity. Catalogue text is never here: it comes from the catalogue."""

from __future__ import annotations

from datetime import date

from welfarectl.base import reference
from welfarectl.base.italian import format_amount, format_day, format_long_day

LABELS = {
    "it": {
        "booklet": "I servizi della Welfare Card", "contents": "Indice", "providers": "Elenco dei fornitori",
        "home_care": "Assistenza domiciliare: i servizi del programma", "notes": "Note", "page": "pag.",
        "provider": "Fornitore", "who": "Per chi", "tuir": "TUIR", "access": "Come accedere", "where": "Dove",
        "contacts": "Contatti", "validity": "Validità", "services": "Servizi", "service_no": "Servizio n.",
        "edition_full": "Edizione completa", "edition_for": "Edizione per il personale di",
        "period": "Periodo", "how_to": "Come si usa la Welfare Card",
        "home_care_intro": "I servizi del programma di sostegno alla cura domiciliare dei familiari non autosufficienti.",
        "home_care_none": "Nessun servizio del programma in questa edizione.",
        "providers_intro": "In ordine alfabetico, con i numeri dei servizi che offrono.",
        "notes_intro": "Spazio per i tuoi appunti.",
    },
    "en": {
        "booklet": "The services of the Welfare Card", "contents": "Contents", "providers": "Directory of providers",
        "home_care": "Home care: the programme's services", "notes": "Notes", "page": "p.",
        "provider": "Provider", "who": "Who", "tuir": "TUIR", "access": "How to access", "where": "Where",
        "contacts": "Contacts", "validity": "Valid", "services": "Services", "service_no": "Service no.",
        "edition_full": "Full edition", "edition_for": "Edition for the staff of",
        "period": "Period", "how_to": "How to use the Welfare Card",
        "home_care_intro": "The services of the programme supporting home care for dependent relatives.",
        "home_care_none": "No service of the programme in this edition.",
        "providers_intro": "In alphabetical order, with the numbers of the services they offer.",
        "notes_intro": "Room for your notes.",
    },
}

_BENEFICIARIES = {"it": {"employee": "dipendente", "family": "familiari"},
                  "en": {"employee": "employee", "family": "family"}}
_TUIR_EN = {
    "2-a": "art. 51(2)(a): health-care contributions",
    "2-f": "art. 51(2)(f): education, recreation, social and health care, worship",
    "2-f-bis": "art. 51(2)(f-bis): education of family members, childcare",
    "2-f-ter": "art. 51(2)(f-ter): care for elderly or dependent relatives",
    "2-f-quater": "art. 51(2)(f-quater): long-term-care insurance",
    "2-d-bis": "art. 51(2)(d-bis): public transport passes",
    "3": "art. 51(3): goods and services of small value (fringe benefits)",
}


def label(lang: str, key: str) -> str:
    return LABELS[lang][key]


def benefit_words(kind: str, lang: str, *, percent: int | None = None, price: float | None = None,
                  value: float | None = None) -> str:
    """The benefit as the booklet prints it: 'Sconto 15%', 'Gratuito', '€ 12,00', 'Buono da € 50,00'."""
    if kind == "discount":
        return f"Sconto {percent}%" if lang == "it" else f"{percent}% off"
    if kind == "free":
        return "Gratuito" if lang == "it" else "Free"
    if kind == "fixed-price":
        return format_amount(price or 0.0, lang)
    if kind == "voucher":
        return f"Buono da {format_amount(value or 0.0, lang)}" if lang == "it" else f"{format_amount(value or 0.0, lang)} voucher"
    raise ValueError(f"unknown benefit kind {kind!r}")


def beneficiaries_words(beneficiaries: list[str], lang: str) -> str:
    words = [_BENEFICIARIES[lang][who] for who in beneficiaries]
    text = (" e " if lang == "it" else " and ").join(words)
    return text[:1].upper() + text[1:]


def tuir_words(tuir: str | None, lang: str) -> str | None:
    if tuir is None:
        return None
    return reference.TUIR_REFERENCES[tuir] if lang == "it" else _TUIR_EN[tuir]


def validity_words(start: date | None, end: date | None, lang: str) -> str | None:
    """'Dal 01/03/2018 al 30/06/2019', 'Dal 01/03/2018', 'Fino al 30/06/2019'; None when open."""
    if start is None and end is None:
        return None
    day = format_day if lang == "it" else (lambda d: d.strftime("%d/%m/%Y"))
    if lang == "it":
        if start and end:
            return f"Dal {day(start)} al {day(end)}"
        return f"Dal {day(start)}" if start else f"Fino al {day(end)}"
    if start and end:
        return f"From {day(start)} to {day(end)}"
    return f"From {day(start)}" if start else f"Until {day(end)}"


def period_words(start: date, end: date, lang: str) -> str:
    """The network's period on the cover: '1 novembre 2017 – 2 dicembre 2019'."""
    return f"{format_long_day(start, lang)} – {format_long_day(end, lang)}"
