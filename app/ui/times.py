"""Times as a person reads them: in their own time zone, to the minute."""

from __future__ import annotations

import datetime


def local_time(stamp: str) -> str:
    """A time documents record in UTC (``2026-12-01 17:04:05+00:00``) in the person's own time
    zone, to the minute: ``2026-12-01 18:04``. Text that is not such a time is shown as it is."""
    try:
        moment = datetime.datetime.fromisoformat(stamp.strip())
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
