"""Times as people in England and Wales read them: stored in UTC, shown in UK local time
(Europe/London, so British Summer Time is an hour ahead of the stored value)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def uk_local(moment: datetime) -> datetime:
    """The moment in UK local time (SQLite hands back naive datetimes: those are UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(LONDON)


def uk_today() -> date:
    """Today's date in England and Wales. The server's clock runs in UTC, so from midnight to
    1am in British Summer Time ``date.today()`` would still say yesterday: a date of birth, a
    fee's effective date or a "date received" must be checked against the UK's day."""
    return datetime.now(LONDON).date()


def uk_date(moment: datetime | None) -> str:
    """'7 June 2026': the day it was in the UK at that moment."""
    if moment is None:
        return ""
    local = uk_local(moment)
    return f"{local.day} {local:%B %Y}"


def uk_datetime(moment: datetime | None) -> str:
    """'7 June 2026 at 2:05pm', GOV.UK style, in UK local time."""
    if moment is None:
        return ""
    local = uk_local(moment)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
