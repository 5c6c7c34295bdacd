"""Keeps when each client was last seen from the table's stream, for retention (services/retention.py)."""
from __future__ import annotations

from ..repositories.stream import AppointmentRecord
from ..services import retention
from .stream import subscribe_to_appointments


@subscribe_to_appointments
def keep_last_seen(records: list[AppointmentRecord]) -> None:
    retention.keep_last_seen(records)
