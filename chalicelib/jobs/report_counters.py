"""Keeps the reports' counters and client maps from the table's stream (services/reports.py `count_changes`,
services/client_reports.py `count_clients`)."""
from __future__ import annotations

from .. import wiring
from ..observability import count
from ..repositories import aggregates
from ..repositories.stream import AppointmentRecord
from ..services import client_reports, reports
from .stream import subscribe_to_appointments


@subscribe_to_appointments
def keep_report_counters(records: list[AppointmentRecord]) -> None:
    if not records:
        return
    _note_businesses({r.business_id for r in records})
    catalog_of = _once(wiring.store().catalog)
    moved = reports.count_changes(records, catalog_of)
    if moved:
        count("ReportCountersMoved", value=moved)
    clients = client_reports.count_clients(records, catalog_of)
    if clients:
        count("ReportClientsMoved", value=clients)


def _once(catalog_of):
    """Each business's catalog read once per batch, for both keepers."""
    read: dict = {}

    def catalog(business_id: str):
        if business_id not in read:
            read[business_id] = catalog_of(business_id)
        return read[business_id]
    return catalog


_noted: dict[str, str] = {}  # business -> the UTC day it was last noted by this (warm) process


def _note_businesses(business_ids: set[str]) -> None:
    """The nightly reconciliation's list of businesses, kept with at most one write per business and day."""
    day = wiring.now().date().isoformat()
    for business_id in business_ids:
        if _noted.get(business_id) != day:
            aggregates.note_business(business_id, day)
            _noted[business_id] = day
