"""Keeping each client's marketing figures from the table's stream (the subscriber is jobs/marketing.py)."""
from __future__ import annotations

from typing import Callable, Iterable

from ..domain.marketing import Visit
from ..domain.model import Catalog
from ..errors import NotFoundError
from ..repositories import client_stats
from ..repositories.stream import AppointmentRecord

CatalogOf = Callable[[str], Catalog]


def keep(records: Iterable[AppointmentRecord], catalog_of: CatalogOf, figures=client_stats) -> int:
    """Apply each appointment record to its client's figures; returns how many changed something.
    Local dates are the business's (its time zone from the catalog, read once per business and batch).
    A removed appointment's record names no client: removal is not how Turno ends an appointment."""
    zones: dict[str, object] = {}
    moved = 0
    for record in records:
        appointment = record.appointment
        if appointment is None:
            continue
        if record.business_id not in zones:
            try:
                zones[record.business_id] = catalog_of(record.business_id).business.tz
            except NotFoundError:
                zones[record.business_id] = None
        tz = zones[record.business_id]
        if tz is None:
            continue
        if figures.apply(record.business_id, appointment.client_id, Visit.of(appointment, tz), record.reference,
                         record.sequence):
            moved += 1
    return moved
