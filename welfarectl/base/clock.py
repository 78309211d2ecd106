"""The day a command works on: today, unless the user names another.

`--as-of DATE` (or the environment variable WELFARECTL_AS_OF) sets the business day on which
cards are issued, expire and verify, for a rehearsal, a report on a past day, or tests. The
reproducible-builds variable SOURCE_DATE_EPOCH does NOT move it: CI systems set that variable to
pin the timestamps embedded in outputs (ReportLab reads it for the PDFs' dates), not the day.
"""

from __future__ import annotations

import re
from datetime import date

AS_OF_VAR = "WELFARECTL_AS_OF"
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def today() -> date:
    """The system's date: what `--as-of` defaults to."""
    return date.today()


def parse_day(text: str) -> date:
    """A day written YYYY-MM-DD or, as Italians write it, dd/mm/yyyy; ValueError otherwise."""
    text = text.strip()
    if found := _DAY_FIRST.fullmatch(text):
        return date(int(found[3]), int(found[2]), int(found[1]))
    return date.fromisoformat(text)
