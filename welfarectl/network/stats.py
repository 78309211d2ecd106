"""The network's figures in numbers: what `welfarectl stats` prints and CI reads."""

from __future__ import annotations

from .network import Network


def compute_stats(net: Network) -> dict[str, int]:
    """Counts computed from the files; employees are those current on the network's as-of date."""
    members = net.member_companies
    return {
        "organisations": len(net.organisations),
        "member_companies": len(members),
        "sectors": len({org.ateco for org in members if org.ateco}),
        "employees": len(net.current_employees()),
        "services": len(net.services),
        "macro_areas": len(net.macro_areas),
        "providers": len({service.provider for service in net.services}),
        "home_care_services": sum("home-care" in service.tags for service in net.services),
        "workshops": len(net.workshops),
        "workshop_participants": sum(w.participants for w in net.workshops),
        "survey_responses": len(net.survey),
    }


LABELS = {
    "organisations": ("Member organisations", "Organizzazioni aderenti"),
    "member_companies": ("Member companies (staff hold cards)", "Imprese aderenti (i dipendenti hanno la card)"),
    "sectors": ("Productive sectors (ATECO sections)", "Settori produttivi (sezioni ATECO)"),
    "employees": ("Current employees", "Dipendenti in forza"),
    "services": ("Services in the package", "Servizi nel pacchetto"),
    "macro_areas": ("Macro-areas", "Macro-aree"),
    "providers": ("Providers with services", "Fornitori con servizi"),
    "home_care_services": ("Home-care services", "Servizi di assistenza domiciliare"),
    "workshops": ("Workshops", "Workshop"),
    "workshop_participants": ("Workshop participants", "Partecipanti ai workshop"),
    "survey_responses": ("Survey responses", "Risposte al questionario"),
}
