"""The nightly reconciliation of the reports: the last 35 local days of each business counted again from
its appointments, so that a stream record that was lost (or a batch parked in the failure queue) is
repaired, and the drift - how many appointments counted wrongly - becomes a metric.

Each business's appointments are read with one query of the agenda index over its date range (never a
scan); the businesses come from the list the stream keeps (repositories/aggregates.py `businesses`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable

from ..domain.calendar import local_instant
from ..domain.model import Appointment, Catalog
from ..errors import NotFoundError
from ..repositories import aggregates, client_aggregates
from . import client_reports, reports

DAYS = 35
AppointmentsBetween = Callable[[str, datetime, datetime], list[Appointment]]


@dataclass
class Drift:
    businesses: int = 0
    appointments: int = 0  # read
    repaired: list[str] = field(default_factory=list)  # references whose counters or client figures moved

    def report(self) -> dict[str, int]:
        return {"businesses": self.businesses, "appointments": self.appointments, "drift": len(self.repaired)}


def window(catalog: Catalog, now: datetime, days: int = DAYS) -> tuple[datetime, datetime]:
    """From local midnight `days` days ago to the next local midnight: the business's own days."""
    tz = catalog.business.tz
    today = now.astimezone(tz).date()
    return local_instant(today - timedelta(days=days), 0, tz), local_instant(today, 24 * 60, tz)


def reconcile_business(catalog: Catalog, appointments: Iterable[Appointment], counters=aggregates,
                       facts=client_aggregates) -> list[str]:
    """Counters and client figures brought to the appointments' present state; what had drifted."""
    appointments = list(appointments)
    repaired = set(reports.reconcile(catalog, appointments, counters))
    repaired |= set(client_reports.reconcile(catalog, appointments, facts))
    return sorted(repaired)


def reconcile_recent(catalog_of: Callable[[str], Catalog], appointments_between: AppointmentsBetween,
                     now: datetime, businesses: Iterable[str] | None = None, counters=aggregates,
                     facts=client_aggregates) -> Drift:
    drift = Drift()
    for business_id in businesses if businesses is not None else counters.businesses():
        try:
            catalog = catalog_of(business_id)
        except NotFoundError:  # closed since
            continue
        start, end = window(catalog, now)
        # the index query returns what may touch the window; only appointments dated in it are recounted
        found = [a for a in appointments_between(business_id, start, end) if start <= a.start < end]
        drift.businesses += 1
        drift.appointments += len(found)
        drift.repaired += reconcile_business(catalog, found, counters, facts)
    return drift
