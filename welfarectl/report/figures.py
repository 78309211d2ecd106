"""The report's figures, computed once from the loaded Network as plain data: the one model the
PDF, the workbook and the JSON all render, so the three always say the same.

The key figures are `network.stats.compute_stats`'s, as `welfarectl stats` prints them, and the
card totals. Tables drawn from employee or survey data go through `suppression` before anything
else sees them: a count under 5 is already "<5" here, and the counts withheld to protect it "*";
a share or mean worked out from a hidden count is hidden with it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from welfarectl.base.reference import ORGANISATION_KINDS, ROLES, SIZE_BANDS
from welfarectl.network.network import Network
from welfarectl.network.stats import compute_stats
from welfarectl.network.survey import AGE_BANDS

from . import labels
from .suppression import THRESHOLD, WITHHELD, Relation, at_most, rounded_mean, suppress, total_of
from .tables import SPEC, SPECS

TOTAL = "total"
OTHER, NONE = "(other)", "(none)"  # ids of the services-used rows that are not a service named in the survey
HOME_CARE_TAG = "home-care"
Value = int | float | str | None  # a number, a text, a suppression mark, or nothing to show


@dataclass
class Table:
    """A table's rows (and total row) as dicts from column key to value."""

    key: str
    rows: list[dict[str, Value]]
    total: dict[str, Value] | None = None

    @property
    def spec(self):
        return SPEC[self.key]


@dataclass(frozen=True)
class Gap:
    """A macro-area where the share of high-need answers exceeds the share of services."""

    area: str
    label: str
    demand_share: float
    supply_share: float
    points: float


@dataclass
class Figures:
    lang: str
    network_id: str
    network_name: str
    territory: str
    period: tuple[date, date] | None
    as_of: date
    key_figures: dict[str, Value]
    tables: dict[str, Table] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)  # largest first; only where demand exceeds supply
    survey_respondents: int = 0
    dependants: Value = 0  # respondents with dependent relatives (suppressed as in `households`)


def compute_figures(net: Network, lang: str = "it") -> Figures:
    """Every figure of the report, from the network as loaded (which must have no errors)."""
    settings = net.settings
    stats = compute_stats(net)
    figures = Figures(lang, settings.id, settings.name if lang == "it" else settings.name_en or settings.name,
                      settings.territory, (settings.period.start, settings.period.end), net.as_of, dict(stats),
                      survey_respondents=stats["survey_responses"])
    tables = [_organisations_by_kind(net, lang), _organisations_by_role(net, lang), _members_by_sector_size(net, lang),
              _companies(net, stats), *_services(net, lang), _workshops(net, lang),
              *_respondents(net, lang, stats["survey_responses"]), _home_care_services(net, lang)]
    needs, demand, home, figures.gaps = _needs(net, lang)
    tables += [needs, demand, home, _services_used(net, lang, stats["survey_responses"])]
    by_key = {t.key: t for t in tables}
    figures.tables = {spec.key: by_key[spec.key] for spec in SPECS}  # in the documented order
    companies = figures.tables["companies"].total
    for key in ("cards_issued", "cards_active", "cards_revoked", "cards_printed"):
        figures.key_figures[key] = companies[key]
    figures.dependants = figures.tables["households"].total["with_dependants"]
    return figures


# --- the catalogue: public, never suppressed -----------------------------------------------------

def _counted(key: str, counts: Counter, order, name, column: str) -> Table:
    rows = [{"id": k, "label": name(k), column: counts[k]} for k in order if counts[k]]
    return Table(key, rows, {"id": TOTAL, "label": None, column: sum(counts.values())})


def _organisations_by_kind(net: Network, lang: str) -> Table:
    counts = Counter(org.kind for org in net.organisations)
    return _counted("organisations_by_kind", counts, ORGANISATION_KINDS, lambda k: labels.organisation_kind(k, lang),
                    "organisations")


def _organisations_by_role(net: Network, lang: str) -> Table:
    counts = Counter(role for org in net.organisations for role in set(org.roles))
    table = _counted("organisations_by_role", counts, ROLES, lambda k: labels.role(k, lang), "organisations")
    table.total = None
    return table


def _members_by_sector_size(net: Network, lang: str) -> Table:
    bands = (*SIZE_BANDS, "unknown")
    counts = Counter((org.ateco or "?", org.size or "unknown") for org in net.member_companies)
    sectors = sorted({sector for sector, _ in counts})
    rows = []
    for sector in sectors:
        row: dict[str, Value] = {"id": sector, "label": labels.sector(sector, lang)}
        row.update({band: counts[sector, band] for band in bands})
        row["companies"] = sum(counts[sector, band] for band in bands)
        rows.append(row)
    total: dict[str, Value] = {"id": TOTAL, "label": None}
    total.update({band: sum(counts[s, band] for s in sectors) for band in bands})
    total["companies"] = len(net.member_companies)
    return Table("members_by_sector_size", rows, total)


def _services(net: Network, lang: str) -> list[Table]:
    services = net.services
    by_area = Counter(s.macro_area for s in services)
    areas = [(a.id, a.name if lang == "it" else a.name_en or a.name) for a in net.macro_areas]
    rows = [{"id": area, "label": name, "services": by_area[area], "share": _share(by_area[area], len(services))}
            for area, name in areas]
    area_table = Table("services_by_area", rows, {"id": TOTAL, "label": None, "services": len(services),
                                                   "share": 1.0 if services else None})
    kind_of = {s.id: net.organisations_by_id[s.provider].kind for s in services if s.provider in net.organisations_by_id}
    by_kind = Counter(kind_of.get(s.id, "?") for s in services)
    providers = Counter(kind for _, kind in {(s.provider, kind_of.get(s.id, "?")) for s in services})
    rows = [{"id": k, "label": labels.organisation_kind(k, lang), "services": by_kind[k], "providers": providers[k]}
            for k in (*ORGANISATION_KINDS, "?") if by_kind[k]]
    kind_table = Table("services_by_provider_kind", rows, {"id": TOTAL, "label": None, "services": len(services),
                                                           "providers": len({s.provider for s in services})})
    benefits = Counter(s.benefit.kind for s in services)
    benefit_table = _counted("services_by_benefit", benefits, ("discount", "fixed-price", "free", "voucher"),
                             lambda k: labels.benefit(k, lang), "services")
    return [area_table, kind_table, benefit_table]


def _workshops(net: Network, lang: str) -> Table:
    kinds = ("training", "testimony", "company-visit", "co-design-lab", "forum")
    count = Counter(w.kind for w in net.workshops)
    people = Counter()
    for w in net.workshops:
        people[w.kind] += w.participants
    rows = [{"id": k, "label": labels.workshop_kind(k, lang), "workshops": count[k], "participants": people[k]}
            for k in kinds if count[k]]
    return Table("workshops_by_kind", rows, {"id": TOTAL, "label": None, "workshops": len(net.workshops),
                                             "participants": sum(people.values())})


def _home_care_services(net: Network, lang: str) -> Table:
    areas = {a.id: (a.name if lang == "it" else a.name_en or a.name) for a in net.macro_areas}
    rows = []
    for s in sorted((s for s in net.services if HOME_CARE_TAG in s.tags), key=lambda s: s.id):
        title = s.en.title if lang == "en" and s.en else s.title
        rows.append({"id": s.id, "label": title, "provider": net.company_name(s.provider),
                     "macro_area": areas.get(s.macro_area, s.macro_area), "benefit": labels.benefit(s.benefit.kind, lang)})
    return Table("home_care_services", rows)


# --- employees and cards, per company: personal, suppressed --------------------------------------

CARD_COLUMNS = ("cards_issued", "cards_active", "cards_expired", "cards_revoked", "cards_printed")


def _companies(net: Network, stats: dict[str, int]) -> Table:
    employees = Counter(e.company for e in net.current_employees())
    cards: Counter = Counter()
    column = {"issued": "cards_issued", "active": "cards_active", "expired": "cards_expired", "revoked": "cards_revoked",
              "replaced": "cards_revoked", "printed": "cards_printed"}
    for (company, what), count in (net.registry.cards.tally(net.as_of) if net.registry else {}).items():
        cards[company, column[what]] += count  # counted on the card table's columns: a million cards
    members = {org.id for org in net.member_companies}
    ids = sorted(members | set(employees) | {company for company, _ in cards},
                 key=lambda c: (net.company_name(c).casefold(), c))
    columns = ("employees", *CARD_COLUMNS)
    values: dict[tuple[str, str], int] = {}
    for company in ids:
        values[company, "employees"] = employees[company]
        values.update({(company, col): cards[company, col] for col in CARD_COLUMNS})
    for col in columns:
        values[TOTAL, col] = sum(values[c, col] for c in ids)
    relations = [total_of([(c, col) for c in ids], (TOTAL, col)) for col in columns]
    for row in (*ids, TOTAL):
        relations.append(total_of([(row, "cards_active"), (row, "cards_expired"), (row, "cards_revoked")], (row, "cards_issued")))
        relations.append(at_most((row, "cards_printed"), (row, "cards_issued")))
    marks = suppress(values, relations, public=[(TOTAL, "employees")])
    rows = []
    for company in ids:
        org = net.organisations_by_id.get(company)
        row: dict[str, Value] = {"id": company, "label": net.company_name(company), "sector": org.ateco if org else None}
        row.update({col: marks.get((company, col), values[company, col]) for col in columns})
        rows.append(row)
    total: dict[str, Value] = {"id": TOTAL, "label": None, "sector": None}
    total.update({col: marks.get((TOTAL, col), values[TOTAL, col]) for col in columns})
    assert total["employees"] == stats["employees"]
    return Table("companies", rows, total)


# --- the survey: personal, suppressed ------------------------------------------------------------

def _respondents(net: Network, lang: str, respondents: int) -> list[Table]:
    by_sector = Counter(r.sector for r in net.survey)
    by_age = Counter(r.age_band for r in net.survey)
    sector_table = _one_way("respondents_by_sector", sorted(by_sector), by_sector, lambda k: labels.sector(k, lang),
                            respondents)
    age_table = _one_way("respondents_by_age", AGE_BANDS, by_age, lambda k: k, respondents)
    return [sector_table, age_table, _households(net, lang, respondents)]


def _one_way(key: str, order, counts: Counter, name, respondents: int) -> Table:
    """Respondents by one category, with shares of all respondents; the total is the survey's."""
    values = {k: counts[k] for k in order}
    values[TOTAL] = respondents
    marks = suppress(values, [total_of(list(order), TOTAL)], public=[TOTAL])
    rows = []
    for k in order:
        shown = marks.get(k, counts[k])
        rows.append({"id": k, "label": name(k), "respondents": shown, "share": _hidden_share(shown, respondents)})
    return Table(key, rows, {"id": TOTAL, "label": None, "respondents": respondents, "share": 1.0 if respondents else None})


def _households(net: Network, lang: str, respondents: int) -> Table:
    kids = ("0", "1", "2", "3+")
    cols = ("without_dependants", "with_dependants")
    counts = Counter((str(min(r.children, 3)).replace("3", "3+"), cols[r.dependent_relatives]) for r in net.survey)
    values: dict[tuple[str, str], int] = {}
    for row in kids:
        values.update({(row, col): counts[row, col] for col in cols})
        values[row, "respondents"] = sum(counts[row, col] for col in cols)
    for col in (*cols, "respondents"):
        values[TOTAL, col] = sum(values[row, col] for row in kids)
    relations = [total_of([(row, col) for col in cols], (row, "respondents")) for row in (*kids, TOTAL)]
    relations += [total_of([(row, col) for row in kids], (TOTAL, col)) for col in (*cols, "respondents")]
    marks = suppress(values, relations, public=[(TOTAL, "respondents")])
    rows = [{"id": row, "label": labels.household(row, lang),
             **{col: marks.get((row, col), values[row, col]) for col in (*cols, "respondents")}} for row in kids]
    total = {"id": TOTAL, "label": None, **{col: marks.get((TOTAL, col), values[TOTAL, col]) for col in (*cols, "respondents")}}
    return Table("households", rows, total)


def _needs(net: Network, lang: str) -> tuple[Table, Table, Table, list[Gap]]:
    """The need scores per macro-area (everyone, and those with dependent relatives), set against
    the services per macro-area."""
    areas = [(a.id, a.name if lang == "it" else a.name_en or a.name) for a in net.macro_areas]
    values: dict[tuple[str, str], int] = {}
    relations: list[Relation] = []
    means: dict[str, float | None] = {}
    for area, _ in areas:
        scores = Counter(r.needs[area] for r in net.survey if area in r.needs)
        answers = sum(scores.values())
        values.update({(area, f"score_{n}"): scores[n] for n in range(1, 6)})
        values[area, "answers"] = answers
        values[area, "high_need"] = scores[4] + scores[5]
        relations.append(total_of([(area, f"score_{n}") for n in range(1, 6)], (area, "answers")))
        relations.append(total_of([(area, "score_4"), (area, "score_5")], (area, "high_need")))
        means[area] = round(sum(n * c for n, c in scores.items()) / answers, 1) if answers >= THRESHOLD else None
        if means[area] is not None:
            relations.append(rounded_mean({n: (area, f"score_{n}") for n in range(1, 6)}, answers, means[area]))
    marks = suppress(values, relations)
    shown = {cell: marks.get(cell, value) for cell, value in values.items()}
    needs = Table("needs", [{"id": area, "label": name, "answers": shown[area, "answers"],
                             **{f"score_{n}": shown[area, f"score_{n}"] for n in range(1, 6)},
                             "high_need": shown[area, "high_need"],
                             "mean": means[area] if (area, "answers") not in marks else None} for area, name in areas])
    services = Counter(s.macro_area for s in net.services)
    highs = [shown[area, "high_need"] for area, _ in areas]
    all_high = sum(highs) if all(isinstance(h, int) for h in highs) else None
    rows, gaps = [], []
    for area, name in areas:
        demand = shown[area, "high_need"] / all_high if all_high else None
        supply = _share(services[area], len(net.services))
        gap = round((demand - supply) * 100, 1) if demand is not None and supply is not None else None
        rows.append({"id": area, "label": name, "high_need": shown[area, "high_need"], "demand_share": demand,
                     "services": services[area], "supply_share": supply, "gap": gap})
        if gap is not None and gap > 0:
            gaps.append(Gap(area, name, demand, supply, gap))
    gaps.sort(key=lambda g: (-g.points, g.area))
    return needs, Table("demand_supply", rows), _home_care_needs(net, areas, means), gaps


def _home_care_needs(net: Network, areas: list[tuple[str, str]], means_all: dict[str, float | None]) -> Table:
    group = [r for r in net.survey if r.dependent_relatives]
    values: dict[tuple[str, str], int] = {}
    relations = []
    sums: dict[str, int] = {}
    for area, _ in areas:
        scores = [r.needs[area] for r in group if area in r.needs]
        values[area, "answers"] = len(scores)
        values[area, "high_need"] = sum(score >= 4 for score in scores)
        sums[area] = sum(scores)
        relations.append(at_most((area, "high_need"), (area, "answers")))
    marks = suppress(values, relations)
    rows = []
    for area, name in areas:
        answers = marks.get((area, "answers"), values[area, "answers"])
        high = marks.get((area, "high_need"), values[area, "high_need"])
        published = isinstance(answers, int) and answers >= THRESHOLD
        share = _hidden_share(high, answers) if published else (answers if isinstance(answers, str) else None)
        rows.append({"id": area, "label": name, "answers": answers, "high_need": high, "high_share": share,
                     "mean": round(sums[area] / answers, 1) if published else None, "mean_all": means_all[area]})
    return Table("home_care_needs", rows)


def _services_used(net: Network, lang: str, respondents: int) -> Table:
    named = Counter(name for r in net.survey for name in set(r.services_used) if name not in (OTHER, NONE))
    common = sorted((n for n, c in named.items() if c >= THRESHOLD), key=lambda n: (-named[n], n.casefold()))
    rare = set(named) - set(common)
    counts = {name: named[name] for name in common}
    counts[OTHER] = sum(1 for r in net.survey if rare & set(r.services_used))
    counts[NONE] = sum(1 for r in net.survey if not r.services_used)
    marks = suppress(counts, [])
    rows = []
    for key, count in counts.items():
        shown = marks.get(key, count)
        label = labels.other(key, lang) if key in (OTHER, NONE) else key
        rows.append({"id": key, "label": label, "respondents": shown, "share": _hidden_share(shown, respondents)})
    return Table("services_used", rows)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _hidden_share(part: Value, whole: Value) -> Value:
    """part / whole, or the mark of whichever is hidden: a share of a hidden count is hidden."""
    if isinstance(part, str):
        return part
    if isinstance(whole, str):
        return WITHHELD
    return _share(part, whole)  # type: ignore[arg-type]

