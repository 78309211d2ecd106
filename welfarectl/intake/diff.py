"""The difference between a company's current workbook and the list HR sent, and the list to keep.

People are the same person when they have the same codice fiscale. Rules:
- a person only in the new list joins;
- a current person (no leaving date, or one after the import's day) missing from the new list
  leaves on the import's day, unless `keep_missing`; one hired after that day never started, and
  is dropped; someone who had already left stays as they were (the workbook keeps who held cards);
- a person in both whose names, dates, e-mail or site differ is listed with each change; the new
  list is kept as it says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from .canonical import FIELDS, LABELS, Person


@dataclass(frozen=True, slots=True)
class Change:
    person: Person  # as the new list has them
    field: str  # the column's label
    before: object
    after: object


@dataclass(frozen=True)
class Diff:
    joiners: list[Person]
    leavers: list[Person]  # with the leaving date they are given
    dropped: list[Person]  # missing, and hired after the import's day: never started
    changes: list[Change]
    kept: list[Person]  # missing but kept as they were: already left, or --keep-missing
    unchanged: int

    @property
    def empty(self) -> bool:
        return not (self.joiners or self.leavers or self.dropped or self.changes)


def compare(current: list[Person], incoming: list[Person], day: date, *,
            keep_missing: bool = False) -> tuple[Diff, list[Person]]:
    """The difference, and the people the company's workbook is to hold, sorted by name."""
    before = {person.codice_fiscale: person for person in current}
    after = {person.codice_fiscale: person for person in incoming}
    joiners = [person for code, person in after.items() if code not in before]
    changes: list[Change] = []
    unchanged = 0
    for code, new in after.items():
        old = before.get(code)
        if old is None:
            continue
        found = [Change(new, LABELS[f], getattr(old, f), getattr(new, f)) for f in FIELDS
                 if getattr(old, f) != getattr(new, f)]
        changes += found
        unchanged += not found
    leavers, dropped, kept = [], [], []
    for code, old in before.items():
        if code in after:
            continue
        if keep_missing or (old.leaving_date is not None and old.leaving_date <= day):
            kept.append(old)
        elif old.hire_date > day:
            dropped.append(old)
        else:
            leavers.append(replace(old, leaving_date=day))
    people = sorted([*after.values(), *leavers, *kept], key=Person.sort_key)
    order = Person.sort_key
    return Diff(sorted(joiners, key=order), sorted(leavers, key=order), sorted(dropped, key=order),
                sorted(changes, key=lambda c: c.person.sort_key()), sorted(kept, key=order), unchanged), people
