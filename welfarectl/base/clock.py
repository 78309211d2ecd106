"""Today's date, the one clock every command reads.

`SOURCE_DATE_EPOCH` (seconds since 1970, UTC; the reproducible-builds convention) fixes it, so
that tests and CI runs issue, expire and print cards on a known day.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def today() -> date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()
