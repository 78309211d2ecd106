"""The catalogue's records as typed, frozen pydantic models: what each YAML file may hold.

The models are strict (no silent coercion: `"10"` is not a number, `1` is not text) and forbid
unknown fields (errors, with the closest known field). Every text with a pattern says in words,
with an example, what it should look like. `welfarectl schema KIND` prints
their JSON Schema for editors.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from welfarectl.base import reference
from welfarectl.sources.records import Id, Record, Text, pattern

Email = pattern(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                "an e-mail address is name@domain, with no spaces, e.g. 'info@coop-aurora.it'",
                "un indirizzo e-mail è nome@dominio, senza spazi, per esempio 'info@coop-aurora.it'")
Postcode = pattern(r"^\d{5}$", "a postcode (CAP) is five digits, e.g. '41121'",
                   "un CAP è fatto di cinque cifre, per esempio '41121'")
Province = pattern(r"^[A-Z]{2}$", "a province is its two-letter code in capitals, e.g. 'MO' for Modena",
                   "una provincia è la sua sigla di due lettere maiuscole, per esempio 'MO' per Modena")
AtecoCode = pattern(r"^\d{2}(\.\d{1,2}){0,2}$",
                    "an ATECO code is two digits, then up to two groups of one or two digits after dots, "
                    "e.g. '88.91' or '56.10.1'",
                    "un codice ATECO è di due cifre, seguite da al massimo due gruppi di una o due cifre dopo "
                    "un punto, per esempio '88.91' o '56.10.1'")

OrganisationKind = Literal[tuple(reference.ORGANISATION_KINDS)]  # type: ignore[valid-type]
Role = Literal[tuple(reference.ROLES)]  # type: ignore[valid-type]
SizeBand = Literal[tuple(reference.SIZE_BANDS)]  # type: ignore[valid-type]
AtecoSection = Literal[tuple(reference.ATECO_SECTIONS)]  # type: ignore[valid-type]
TuirReference = Literal[tuple(reference.TUIR_REFERENCES)]  # type: ignore[valid-type]
BenefitKind = Literal[reference.BENEFIT_KINDS]  # type: ignore[valid-type]
Beneficiary = Literal[reference.BENEFICIARIES]  # type: ignore[valid-type]
WorkshopKind = Literal[reference.WORKSHOP_KINDS]  # type: ignore[valid-type]


# --- catalogue/network.yaml --------------------------------------------------------------------
class MacroArea(Record):
    id: Id = Field(description="Stable id, e.g. cost-saving.")
    name: Text = Field(description="Italian name, as printed in the booklet.")
    name_en: Text | None = Field(None, description="English name.")
    description: Text | None = Field(None, description="Italian description.")
    description_en: Text | None = None


class Period(Record):
    start: date
    end: date


VerifyUrl = pattern(r"^https?://[!\"$-~]+$",
                    "an address starting with https:// (or http://), without spaces, '#' or accents, "
                    "e.g. 'https://rete.example.it/verifier.html'",
                    "un indirizzo che inizia con https:// (o http://), senza spazi, '#' né accenti, "
                    "per esempio 'https://rete.example.it/verifier.html'", max_length=200)
FontFile = pattern(r"^[^/\\]([^\\]*[^/\\])?\.[oOtT][tT][cCfF]$",
                   "a font file is the path of a .ttf, .ttc or .otf file from the network directory, with forward "
                   "slashes, e.g. 'fonts/NotoSansSC-Regular.ttf'",
                   "un file di font è il percorso di un file .ttf, .ttc o .otf a partire dalla cartella della rete, "
                   "con barre in avanti, per esempio 'fonts/NotoSansSC-Regular.ttf'")


class CardSettings(Record):
    validity_months: int = Field(24, ge=1, le=120, description="How long a card is valid from its issue date.")
    verify_url: VerifyUrl | None = Field(  # type: ignore[valid-type]
        None, description="The address of the verifier page (`welfarectl verifier`) on the network's web site, e.g. "
                          "https://rete.example.it/verifier.html, without '#': printed QR codes then hold this address, "
                          "'#' and the signed payload, so that a phone's camera opens the page on the verdict. A longer "
                          "address makes a larger QR code (docs/card-qr.md).")
    fallback_fonts: list[FontFile] = Field(  # type: ignore[valid-type]
        default=[], max_length=8,
        description="TrueType font files (paths from the network directory, e.g. fonts/NotoSansSC-Regular.ttf) "
                    "for the characters of names and texts that DejaVu Sans lacks, tried in order; embedded in "
                    "the card PDFs. See 'Names in other scripts' below.")


class NetworkFile(Record):
    id: Id = Field(description="The network's id; printed into every card's QR code.")
    name: Text = Field(description="The network's full name in Italian.")
    name_en: Text | None = None
    short_name: Text | None = Field(None, description="A short name for the card and page headers.")
    territory: Text = Field(description="The territory the network covers, e.g. 'Modena'.")
    period: Period = Field(description="Start and end of the project.")
    coordinator: Id = Field(description="Organisation id of the network's coordinator.")
    promoter: Id | None = Field(None, description="Organisation id of the promoter.")
    funder: Id | None = Field(None, description="Organisation id of the funder.")
    website: Text | None = None
    email: Email | None = None
    macro_areas: list[MacroArea] = Field(min_length=1, description="The macro-areas of the service package.")
    card: CardSettings = CardSettings()


# --- catalogue/organisations.yaml --------------------------------------------------------------
class Address(Record):
    street: Text | None = None
    postcode: Postcode | None = None  # type: ignore[valid-type]
    city: Text
    province: Province | None = None  # type: ignore[valid-type]


class Contacts(Record):
    email: Email | None = None
    phone: Text | None = None
    website: Text | None = None
    person: Text | None = Field(None, description="Contact person (a role or a name the person agreed to publish).")


class Organisation(Record):
    id: Id
    name: Text
    legal_form: Text | None = Field(None, description="e.g. S.r.l., S.p.A., cooperativa sociale, ODV, APS.")
    kind: OrganisationKind
    roles: list[Role] = Field(min_length=1)
    partita_iva: Text | None = Field(None, description="11 digits; quote it so leading zeros stay.")
    codice_fiscale: Text | None = Field(None, description="For bodies without a partita IVA.")
    ateco: AtecoSection | None = Field(None, description="ATECO section letter; required for member companies.")
    ateco_code: AtecoCode | None = None  # type: ignore[valid-type]
    size: SizeBand | None = None
    address: Address | None = None
    contacts: Contacts | None = None
    joined: date | None = None
    left: date | None = None

    def has_role(self, role: str) -> bool:
        return role in self.roles


class OrganisationsFile(Record):
    organisations: list[Organisation]


# --- catalogue/services.yaml -------------------------------------------------------------------
class Benefit(Record):
    kind: BenefitKind
    percent: int | None = Field(None, ge=1, le=100, description="For a discount.")
    price_eur: float | None = Field(None, ge=0, description="For a fixed price.")
    value_eur: float | None = Field(None, gt=0, description="For a voucher.")
    conditions: Text | None = None
    conditions_en: Text | None = None

    @model_validator(mode="after")
    def _amount_matches_kind(self) -> Benefit:
        needed = {"discount": "percent", "fixed-price": "price_eur", "voucher": "value_eur"}.get(self.kind)
        if needed and getattr(self, needed) is None:
            raise ValueError(f"a {self.kind} benefit needs '{needed}'")
        return self


class ServiceText(Record):
    title: Text
    description: Text | None = None
    access: Text | None = None


class Service(Record):
    id: Id
    title: Text
    description: Text
    en: ServiceText | None = Field(None, description="English title, description and access text.")
    provider: Id = Field(description="Organisation id; it must have the provider role.")
    macro_area: Id = Field(description="One of the network's macro-area ids.")
    category: Text
    benefit: Benefit
    beneficiaries: list[Beneficiary] = Field(default=["employee"], min_length=1)
    tuir: TuirReference | None = Field(None, description="Tax reference under art. 51 TUIR.")
    access: Text = Field(description="How an employee uses the service.")
    where: Text | None = None
    contacts: Contacts | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    open_to: list[Id] | None = Field(None, description="Member company ids; absent means all.")
    tags: list[Id] = Field(default=[], description="Programme tags, e.g. home-care.")


class ServicesFile(Record):
    services: list[Service]


# --- catalogue/workshops.yaml ------------------------------------------------------------------
class Workshop(Record):
    id: Id
    date: date
    title: Text
    kind: WorkshopKind
    venue: Text
    participants: int = Field(ge=0)
    by_organisation: dict[Id, Annotated[int, Field(ge=0)]] | None = Field(
        None, description="Participants by organisation id (may cover only part of them)."
    )
    description: Text | None = None


class WorkshopsFile(Record):
    workshops: list[Workshop]


FILE_KINDS: dict[str, type[Record]] = {
    "network": NetworkFile,
    "organisations": OrganisationsFile,
    "services": ServicesFile,
    "workshops": WorkshopsFile,
}
