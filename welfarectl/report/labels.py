"""Names of the report's categories and key figures, in Italian and English."""

from __future__ import annotations

from welfarectl.base import reference

_KINDS_EN = {
    "public-care-agency": "public personal-care agency (ASP)",
    "volunteer-association": "volunteer association (ODV)",
    "social-promotion-association": "social-promotion association (APS)",
}
_ROLES = {
    "member-company": ("impresa aderente", "member company"),
    "provider": ("fornitore di servizi", "service provider"),
    "promoter": ("promotore", "promoter"),
    "funder": ("finanziatore", "funder"),
    "coordinator": ("coordinatore", "coordinator"),
    "partner": ("partner della rete", "network partner"),
}
_BENEFITS = {
    "discount": ("sconto", "discount"),
    "fixed-price": ("prezzo convenzionato", "agreed price"),
    "free": ("gratuito", "free"),
    "voucher": ("buono", "voucher"),
}
_WORKSHOPS = {
    "training": ("formazione", "training"),
    "testimony": ("testimonianza", "testimony"),
    "company-visit": ("visita aziendale", "company visit"),
    "co-design-lab": ("laboratorio di co-progettazione", "co-design lab"),
    "forum": ("forum", "forum"),
}
_HOUSEHOLDS = {"0": ("nessun figlio", "no children"), "1": ("1 figlio", "1 child"), "2": ("2 figli", "2 children"),
               "3+": ("3 figli o più", "3 children or more")}
_OTHER = {"(other)": ("altri servizi (meno di 5 rispondenti ciascuno)", "other services (fewer than 5 respondents each)"),
          "(none)": ("nessun servizio indicato", "none named")}

# (English, Italian), as network.stats.LABELS
KEY_FIGURES_EXTRA = {
    "cards_issued": ("Cards issued", "Tessere emesse"),
    "cards_active": ("Cards active", "Tessere attive"),
    "cards_revoked": ("Cards revoked or replaced", "Tessere revocate o sostituite"),
    "cards_printed": ("Cards printed", "Tessere stampate"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "it" else pair[1]


def organisation_kind(kind: str, lang: str) -> str:
    if lang == "it":
        return reference.ORGANISATION_KINDS.get(kind, kind)
    return _KINDS_EN.get(kind, kind.replace("-", " "))


def role(name: str, lang: str) -> str:
    return _pick(_ROLES.get(name, (name, name)), lang)


def benefit(kind: str, lang: str) -> str:
    return _pick(_BENEFITS.get(kind, (kind, kind)), lang)


def workshop_kind(kind: str, lang: str) -> str:
    return _pick(_WORKSHOPS.get(kind, (kind, kind)), lang)


def sector(letter: str, lang: str) -> str:
    """'C – Attività manifatturiere': the sections' official titles are Italian, in both languages."""
    return f"{letter} – {reference.ATECO_SECTIONS.get(letter, '')}".rstrip(" –")


def household(children: str, lang: str) -> str:
    return _pick(_HOUSEHOLDS[children], lang)


def other(key: str, lang: str) -> str:
    return _pick(_OTHER[key], lang)


def key_figure(key: str, lang: str) -> str:
    from welfarectl.network.stats import LABELS

    english, italian = LABELS.get(key) or KEY_FIGURES_EXTRA[key]
    return italian if lang == "it" else english
