"""Keeps the reports' counters from the table's stream (services/reports.py `count_changes`)."""
from __future__ import annotations

from .. import wiring
from ..observability import count
from ..repositories.stream import AppointmentRecord
from ..services import reports
from .stream import subscribe_to_appointments


@subscribe_to_appointments
def keep_report_counters(records: list[AppointmentRecord]) -> None:
    if not records:
        return
    moved = reports.count_changes(records, wiring.store().catalog)
    if moved:
        count("ReportCountersMoved", value=moved)
