"""The member company an intake command is about: checked against the catalogue."""

from __future__ import annotations

from pathlib import Path

from welfarectl.base.errors import UsageError
from welfarectl.base.names import check_file_name
from welfarectl.base.problems import closest
from welfarectl.network.catalogue import load_catalogue
from welfarectl.network.network import require_network_dir


def member_company_name(root: Path, company: str) -> str:
    """The member company's name; a usage error, with the closest id, when `company` is none, and
    when it cannot be a file name (members/ID.xlsx is written from it)."""
    check_file_name(company, "company id", "l'identificativo d'impresa")
    catalogue, _ = load_catalogue(require_network_dir(root))
    names = {org.id: org.name for org in catalogue.organisations if org.has_role("member-company")}
    if company not in names:
        close = closest(company.lower(), names)
        raise UsageError(f"no member company has the id '{company}'" + (f"; did you mean '{close}'?" if close else ""),
                         f"nessuna impresa aderente ha l'identificativo '{company}'" + (f"; forse '{close}'?" if close else ""))
    return names[company]
