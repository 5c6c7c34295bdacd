"""Marketing's share of the table's stream: each client's figures (services/marketing_stats.py) and the
bookings that marketing messages bring (services/campaigns.py `attribute`)."""
from __future__ import annotations

from .. import wiring
from ..observability import count
from ..repositories.stream import AppointmentRecord
from ..services import marketing_stats
from .stream import subscribe_to_appointments


@subscribe_to_appointments
def keep_client_figures(records: list[AppointmentRecord]) -> None:
    if not records:
        return
    moved = marketing_stats.keep(records, wiring.store().catalog)
    if moved:
        count("ClientFiguresMoved", value=moved)
