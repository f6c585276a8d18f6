"""Times as people read them: stored in UTC, shown in the training centre's time zone.

Records keep UTC instants (``2026-11-28T15:30:00.000Z``); everything a person reads — reports,
the certificate, the command line, the desk — goes through :func:`show`, so one moment is
written one way everywhere. The zone is the centre's setting: ``DESK_TRAINER_TZ``, else
``timezone`` in the centre's file (``scenarios/_centre.yaml``: ``Asia/Shanghai``), else the
machine's own. A ``--since`` date is the start of that day in the same zone (:func:`day_start`).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sim.errors import DeskTrainerError

__all__ = [
    "TZ_ENV",
    "Style",
    "zone",
    "zone_name",
    "parse",
    "local",
    "show",
    "now_local",
    "day_start",
    "local_date",
    "to_utc_iso",
]

TZ_ENV = "DESK_TRAINER_TZ"

Style = Literal["minute", "second", "day", "month"]
_FORMATS: dict[str, str] = {
    "minute": "%Y-%m-%d %H:%M",
    "second": "%Y-%m-%d %H:%M:%S",
    "day": "%Y-%m-%d",
    "month": "%Y-%m",
}


@cache
def _zone_named(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise DeskTrainerError(f"{TZ_ENV}/timezone: unknown time zone {name!r}") from None


def zone_name() -> str | None:
    """The zone asked for (None: the machine's own)."""
    found = os.environ.get(TZ_ENV, "").strip()
    if found:
        return found
    from sim.centre import centre

    return centre().timezone or None


def zone() -> tzinfo | None:
    """The centre's time zone (None: the machine's, which ``astimezone()`` follows)."""
    name = zone_name()
    return _zone_named(name) if name else None


def parse(iso: str) -> datetime | None:
    """A stored time as an aware datetime (a time stored without an offset is UTC)."""
    try:
        found = datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def local(iso: str | datetime) -> datetime | None:
    """A stored time in the centre's zone."""
    found = parse(iso) if isinstance(iso, str) else iso
    return None if found is None else found.astimezone(zone())


def show(iso: str | datetime | None, style: Style = "minute", missing: str = "—") -> str:
    """The one way a time is written for a person: ``2026-11-28 23:30`` in the centre's zone
    (``second``, ``day`` and ``month`` for other precisions). Never a stored string cut short."""
    if iso is None or iso == "":
        return missing
    found = local(iso)
    if found is None:
        return str(iso)
    return found.strftime(_FORMATS[style])


def now_local() -> datetime:
    return datetime.now(UTC).astimezone(zone())


def local_date(iso: str | datetime | None) -> date | None:
    """The day (in the centre's zone) a stored time falls on."""
    found = None if iso is None else local(iso)
    return None if found is None else found.date()


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the centre's zone, as an aware datetime."""
    naive = datetime(day.year, day.month, day.day)
    tz = zone()
    if tz is None:
        return naive.astimezone()  # the machine's zone
    return naive.replace(tzinfo=tz)


def to_utc_iso(moment: datetime) -> str:
    """An aware datetime as the records store times (what a stored time compares against)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def next_day_start(day: date) -> datetime:
    return day_start(day + timedelta(days=1))


def since_utc(text: str) -> str:
    """``--since 2026-11-01`` as the stored UTC time it starts at: midnight of that day in the
    centre's zone (a ValueError for what is not a date)."""
    return to_utc_iso(day_start(date.fromisoformat(text.strip())))


def zone_label() -> str:
    """The zone times are shown in, as a page notes it: ``Asia/Shanghai``, or the machine's
    abbreviation (``CST``)."""
    return zone_name() or (now_local().tzname() or "local")
