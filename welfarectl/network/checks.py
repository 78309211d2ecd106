"""Rules across records: one small function per rule, the rule in its docstring.

Each check takes the loaded Network and yields problems; `CHECKS` is the list the pipeline runs
after loading (the card checks, in `cards/checks.py`, run after these). Records that failed to
load are absent, so checks never see half-valid data; their ids are kept, so that a reference to
one says that it has errors (`reference-to-invalid-record`), not that it does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale, iva

from welfarectl.base.italian import format_day
from welfarectl.base.names import file_name_flaw
from welfarectl.base.problems import Location, Problem, problem, suggestion

from .network import Network


def _stdnum_reason(exc: StdnumError) -> str:
    return str(exc.message).rstrip(".").lower() if getattr(exc, "message", None) else "invalid"


def _stdnum_reasons(exc: StdnumError) -> dict[str, str]:
    """The `reason` (stdnum's words) and `reason_it` parameters of an invalid tax identifier."""
    italian = ("lunghezza sbagliata" if isinstance(exc, InvalidLength)
               else "caratteri non ammessi" if isinstance(exc, InvalidFormat)
               else "carattere di controllo sbagliato" if isinstance(exc, InvalidChecksum)
               else "una parte del codice non è valida" if isinstance(exc, InvalidComponent)
               else "non valido")
    return {"reason": _stdnum_reason(exc), "reason_it": italian}


# How the Italian messages name each kind of record, as a group ("tra le organizzazioni").
_KINDS_IT = {"organisation": "le organizzazioni", "service": "i servizi", "workshop": "i workshop",
             "macro-area": "le macro-aree"}


def check_duplicate_ids(net: Network) -> Iterator[Problem]:
    """Ids are unique within their kind: organisations, services, workshops, macro-areas."""
    groups = {
        "organisation": net.organisations,
        "service": net.services,
        "workshop": net.workshops,
        "macro-area": net.macro_areas,
    }
    for kind, records in groups.items():
        first: dict[str, Location] = {}
        for record in records:
            where = net.where(record, "id") if kind != "macro-area" else _area_location(net, record)
            if record.id in first:
                yield problem("duplicate-id", where, kind=kind, kind_it=_KINDS_IT[kind], id=record.id,
                              other=str(first[record.id]))
            else:
                first[record.id] = where


def check_file_names(net: Network) -> Iterator[Problem]:
    """Organisation ids and the network's id can be file names on every system (`base.names`):
    they become members/ID.xlsx, booklet and card files, the signing keys' folder."""
    named = [(org, org.id) for org in net.organisations]
    if net.settings is not None:
        named.insert(0, (net.settings, net.settings.id))
    for record, name in named:
        flaw = file_name_flaw(name)
        if flaw is not None:
            yield problem("unsafe-file-name", net.where(record, "id"), field="id", id=name, reason=flaw[0],
                          reason_it=flaw[1])


def _area_location(net: Network, area: object) -> Location:
    index = net.macro_areas.index(area)  # type: ignore[arg-type]
    return net.where(net.settings, "macro_areas", index, "id")


def check_tax_identifiers(net: Network) -> Iterator[Problem]:
    """Every organisation has a partita IVA or a codice fiscale, and its check digit is right."""
    for org in net.organisations:
        if org.partita_iva is None and org.codice_fiscale is None:
            yield problem("missing-identifier", net.where(org, "id"), id=org.id)
        for field, code, number in _TAX_IDENTIFIERS:
            value = getattr(org, field)
            if value is None:
                continue
            try:
                number.validate(value)
            except StdnumError as exc:
                yield problem(code, net.where(org, field), value=value, **_stdnum_reasons(exc))


_TAX_IDENTIFIERS = (("partita_iva", "invalid-partita-iva", iva), ("codice_fiscale", "invalid-codice-fiscale", codicefiscale))


def check_duplicate_partita_iva(net: Network) -> Iterator[Problem]:
    """A partita IVA belongs to one organisation: reported at the second, naming the first."""
    first: dict[str, object] = {}
    for org in net.organisations:
        if org.partita_iva is None:
            continue
        seen = first.setdefault(org.partita_iva, org)
        if seen is not org:
            yield problem("duplicate-partita-iva", net.where(org, "partita_iva"), value=org.partita_iva,
                          first=seen.id, other=str(net.where(seen, "partita_iva")))  # type: ignore[attr-defined]


def _failed_reference(net: Network, kind: str, record_id: str, where: Location, field: str,
                      field_it: str | None = None) -> Problem | None:
    """`reference-to-invalid-record` when `record_id` is a record of `kind` left out for its errors."""
    failed = net.catalogue.failed.get(f"{kind}s", {}).get(record_id)
    if failed is None:
        return None
    return problem("reference-to-invalid-record", where, field=field, field_it=field_it or field, kind=kind,
                   kind_it=_KINDS_IT[kind], id=record_id, other=str(failed))


def check_network_roles(net: Network) -> Iterator[Problem]:
    """The network's coordinator, promoter and funder are organisations with that role."""
    if net.settings is None:
        return
    for field in ("coordinator", "promoter", "funder"):
        org_id = getattr(net.settings, field)
        if org_id is not None:
            yield from _check_org_ref(net, net.settings, (field,), org_id, role=field)


def _check_org_ref(net: Network, record: object, path: tuple, org_id: str, role: str | None) -> Iterator[Problem]:
    where = net.where(record, *path)
    field = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path).replace(".[", "[")
    org = net.organisations_by_id.get(org_id)
    if org is None and (failed := _failed_reference(net, "organisation", org_id, where, field)):
        yield failed
    elif org is None:
        yield problem("unknown-reference", where, field=field, kind="organisation", kind_it=_KINDS_IT["organisation"], id=org_id,
                      **suggestion(org_id, net.organisations_by_id))
    elif role is not None and not org.has_role(role):
        yield problem("missing-role", where, field=field, id=org_id, role=role)


def check_service_providers(net: Network) -> Iterator[Problem]:
    """A service's provider is an organisation with the provider role."""
    for service in net.services:
        yield from _check_org_ref(net, service, ("provider",), service.provider, role="provider")


def check_service_macro_areas(net: Network) -> Iterator[Problem]:
    """A service's macro-area is one of the network's macro-areas."""
    if net.settings is None:
        return
    areas = [area.id for area in net.macro_areas]
    for service in net.services:
        if service.macro_area not in areas:
            yield problem("unknown-reference", net.where(service, "macro_area"), field="macro_area",
                          kind="macro-area", kind_it=_KINDS_IT["macro-area"], id=service.macro_area,
                          **suggestion(service.macro_area, areas))


def check_service_open_to(net: Network) -> Iterator[Problem]:
    """The companies a service is open to are member companies."""
    for service in net.services:
        for i, org_id in enumerate(service.open_to or ()):
            yield from _check_org_ref(net, service, ("open_to", i), org_id, role="member-company")


def check_member_sectors(net: Network) -> Iterator[Problem]:
    """Member companies have an ATECO section: the network counts them by sector."""
    for org in net.member_companies:
        if org.ateco is None:
            yield problem("missing-sector", net.where(org, "id"), id=org.id)


def check_catalogue_dates(net: Network) -> Iterator[Problem]:
    """End dates are not before start dates: the network's period, an organisation's membership,
    a service's validity."""
    settings = net.settings
    if settings is not None and settings.period.end < settings.period.start:
        yield _date_order(net.where(settings, "period", "end"), "period.end", settings.period.end,
                          "period.start", settings.period.start)
    for org in net.organisations:
        if org.joined and org.left and org.left < org.joined:
            yield _date_order(net.where(org, "left"), "left", org.left, "joined", org.joined)
    for service in net.services:
        if service.valid_from and service.valid_until and service.valid_until < service.valid_from:
            yield _date_order(net.where(service, "valid_until"), "valid_until", service.valid_until,
                              "valid_from", service.valid_from)


def _date_order(where: Location, later_field: str, later: date, earlier_field: str, earlier: date) -> Problem:
    return problem("date-order", where, later_field=later_field, later=format_day(later),
                   earlier_field=earlier_field, earlier=format_day(earlier))


def check_workshop_participants(net: Network) -> Iterator[Problem]:
    """Participants counted by organisation name organisations and add up to at most the total."""
    for workshop in net.workshops:
        counts = workshop.by_organisation or {}
        for org_id in counts:
            yield from _check_org_ref(net, workshop, ("by_organisation", org_id), org_id, role=None)
        total = sum(counts.values())
        if total > workshop.participants:
            yield problem("workshop-participants", net.where(workshop, "by_organisation"),
                          total=total, count=workshop.participants)


def check_workbook_companies(net: Network) -> Iterator[Problem]:
    """Each workbook in members/ is named after a member company, and each member company has one
    (a missing workbook is a warning: its staff simply get no cards)."""
    members = {org.id for org in net.member_companies}
    for company in net.workbooks:
        if company in members:
            continue
        where = Location(f"members/{company}.xlsx")
        failed = _failed_reference(net, "organisation", company, where, "the workbook's name", "il nome del file")
        yield failed or problem("unknown-company-workbook", where, company=company, **suggestion(company, members))
    have = set(net.workbooks)
    for org in net.member_companies:
        if org.id in have:
            continue
        other = _list_in_another_format(net, org.id)
        if other is not None:
            yield problem("workbook-not-xlsx", Location(f"members/{other}"), company=org.id, file=other)
        else:
            yield problem("missing-workbook", net.where(org, "id"), company=org.id)


_OTHER_FORMATS = (".csv", ".xls", ".ods", ".xlsm", ".xlsb", ".numbers", ".txt")


def _list_in_another_format(net: Network, company: str) -> str | None:
    """The name of an employee list for `company` saved in a format other than .xlsx, if any."""
    folder = net.root / "members"
    if not folder.is_dir():
        return None
    found = sorted(path.name for path in folder.iterdir()
                   if path.stem == company and path.suffix.lower() in _OTHER_FORMATS)
    return found[0] if found else None


def check_codice_fiscale_across_companies(net: Network) -> Iterator[Problem]:
    """A person is employed by one member company at a time (a person holds one card): the same
    codice fiscale in two companies' workbooks is a duplicate when the two employments overlap.
    Employments that do not (one ends, by its leaving date, on or before the other's hire date) are
    a job change: the person is current at the later company, and the earlier card is to revoke."""
    first: dict[str, object] = {}  # code -> its first employee: most codes are seen once
    more: dict[str, list] = {}  # code -> its employees, for the codes seen again
    for employee in net.employees:
        code = employee.codice_fiscale
        seen = first.setdefault(code, employee)
        if seen is employee:
            continue
        earlier = more.setdefault(code, [seen])
        other = next((e for e in earlier if e.company != employee.company and _overlap(e, employee)), None)
        if other is not None:
            yield problem("duplicate-codice-fiscale", employee.location("codice_fiscale"),
                          value=code, other=str(other.location("codice_fiscale")))
        earlier.append(employee)


def _overlap(one, other) -> bool:
    """Whether two employments share a day: each starts on its hire date and ends the day before
    its leaving date (on the leaving date a person is no longer current)."""
    return ((one.leaving_date is None or other.hire_date < one.leaving_date)
            and (other.leaving_date is None or one.hire_date < other.leaving_date))


def check_survey_companies(net: Network) -> Iterator[Problem]:
    """Survey responses name a member company."""
    members = {org.id for org in net.member_companies}
    for response in net.survey:
        if response.company not in members:
            where = response.table.location(response.row, "company")
            failed = _failed_reference(net, "organisation", response.company, where, "Impresa")
            yield failed or problem("unknown-survey-company", where, company=response.company)


CHECKS: list[Callable[[Network], Iterable[Problem]]] = [
    check_duplicate_ids,
    check_file_names,
    check_tax_identifiers,
    check_duplicate_partita_iva,
    check_network_roles,
    check_service_providers,
    check_service_macro_areas,
    check_service_open_to,
    check_member_sectors,
    check_catalogue_dates,
    check_workshop_participants,
    check_workbook_companies,
    check_codice_fiscale_across_companies,
    check_survey_companies,
]


def run_checks(net: Network) -> list[Problem]:
    return [found for check in CHECKS for found in check(net)]
