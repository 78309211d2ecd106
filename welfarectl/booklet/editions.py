"""Which services go in which edition of the booklet, in which language, and in which order.

The full booklet lists every service valid in the network's period; a company edition only those
also open to that company (`open_to` absent means open to all). Services are grouped by
macro-area in the network's order, numbered from 1 in that order, and kept in the catalogue's
order within an area. An English edition takes the catalogue's English texts and falls back to
the Italian one, field by field, naming the services that lacked a translation.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from welfarectl.base.errors import UsageError
from welfarectl.network import models
from welfarectl.network.network import Network

from . import text

HOME_CARE_TAG = "home-care"


@dataclass(frozen=True)
class Entry:
    """One service as an edition prints it, every text already in the edition's language."""

    number: int
    id: str
    title: str
    description: str
    access: str
    benefit: str
    conditions: str | None
    provider_id: str
    provider: str
    who: str
    tuir: str | None
    where: str | None
    contacts: models.Contacts | None
    validity: str | None
    website: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    area_id: str
    name: str
    description: str | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ProviderListing:
    """A provider in the directory, with the numbers of its services in this edition."""

    id: str
    name: str
    address: str | None
    contacts: models.Contacts | None
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Edition:
    lang: str
    company_id: str | None
    company: str | None
    sections: tuple[Section, ...]
    providers: tuple[ProviderListing, ...]
    untranslated: tuple[str, ...] = field(default=())  # ids of services printed (partly) in Italian

    @property
    def entries(self) -> list[Entry]:
        return [entry for section in self.sections for entry in section.entries]

    @property
    def home_care(self) -> list[Entry]:
        return [entry for entry in self.entries if HOME_CARE_TAG in entry.tags]


def is_in_period(service: models.Service, period: models.Period) -> bool:
    """A service belongs in the booklet when its validity overlaps the network's period."""
    return ((service.valid_from is None or service.valid_from <= period.end)
            and (service.valid_until is None or service.valid_until >= period.start))


def is_open_to(service: models.Service, company: str | None) -> bool:
    return company is None or service.open_to is None or company in service.open_to


def make_edition(network: Network, company: str | None = None, lang: str = "it") -> Edition:
    """The edition for `company` (None: the full booklet) in `lang` ('it' or 'en')."""
    if lang not in text.LABELS:
        raise UsageError(f"no booklet language '{lang}': one of {', '.join(text.LABELS)}",
                         f"il libretto non ha la lingua '{lang}': una tra {', '.join(text.LABELS)}")
    settings = network.settings
    chosen = [s for s in network.services if is_in_period(s, settings.period) and is_open_to(s, company)]
    untranslated: list[str] = []
    sections: list[Section] = []
    number = 0
    for area in network.macro_areas:
        entries = []
        for service in (s for s in chosen if s.macro_area == area.id):
            number += 1
            entry, translated = _entry(network, service, number, lang)
            entries.append(entry)
            if not translated:
                untranslated.append(service.id)
        name = (area.name_en or area.name) if lang == "en" else area.name
        description = (area.description_en or area.description) if lang == "en" else area.description
        sections.append(Section(area.id, name, description, tuple(entries)))
    company_name = network.company_name(company) if company else None
    return Edition(lang, company, company_name, tuple(sections), _providers(network, sections), tuple(untranslated))


def _entry(network: Network, service: models.Service, number: int, lang: str) -> tuple[Entry, bool]:
    """The service as printed, and whether every text it has in Italian had an English form."""
    benefit = service.benefit
    title, description, access, conditions = service.title, service.description, service.access, benefit.conditions
    translated = True
    if lang == "en":
        en = service.en
        title, translated = _english(en.title if en else None, title, translated)
        description, translated = _english(en.description if en else None, description, translated)
        access, translated = _english(en.access if en else None, access, translated)
        if conditions is not None:
            conditions, translated = _english(benefit.conditions_en, conditions, translated)
    provider = network.organisations_by_id.get(service.provider)
    website = service.contacts.website if service.contacts else None
    return Entry(
        number=number, id=service.id, title=title, description=description, access=access,
        benefit=text.benefit_words(benefit.kind, lang, percent=benefit.percent, price=benefit.price_eur,
                                   value=benefit.value_eur),
        conditions=conditions, provider_id=service.provider, provider=provider.name if provider else service.provider,
        who=text.beneficiaries_words(service.beneficiaries, lang), tuir=text.tuir_words(service.tuir, lang),
        where=service.where, contacts=service.contacts,
        validity=text.validity_words(service.valid_from, service.valid_until, lang),
        website=website, tags=tuple(service.tags),
    ), translated


def _english(english: str | None, italian: str, translated: bool) -> tuple[str, bool]:
    return (english, translated) if english else (italian, False)


def _providers(network: Network, sections: list[Section]) -> tuple[ProviderListing, ...]:
    numbers: dict[str, list[int]] = {}
    for section in sections:
        for entry in section.entries:
            numbers.setdefault(entry.provider_id, []).append(entry.number)
    listings = []
    for provider_id, found in numbers.items():
        org = network.organisations_by_id.get(provider_id)
        name = org.name if org else provider_id
        address = None
        if org and org.address:
            a = org.address
            address = ", ".join(filter(None, [a.street, " ".join(filter(None, [a.postcode, a.city,
                                                                                f"({a.province})" if a.province else None]))]))
        listings.append(ProviderListing(provider_id, name, address, org.contacts if org else None, tuple(sorted(found))))
    return tuple(sorted(listings, key=lambda p: (sort_key(p.name), p.id)))


def sort_key(name: str) -> str:
    """Alphabetical order as a reader expects it: accents and case do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
