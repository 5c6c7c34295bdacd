"""Marketing's jobs: its share of the table's stream (each client's figures, services/marketing_stats.py;
bookings that marketing messages brought, services/campaigns.py `attribute`), the marketing outbox's run,
and the daily dormant-client sweep (services/winback.py)."""
from __future__ import annotations

from .. import wiring
from ..config import settings
from ..domain.events import Event, EventName
from ..observability import count
from ..repositories.stream import AppointmentRecord
from ..services import campaigns, marketing_delivery, marketing_stats
from .stream import subscribe, subscribe_to_appointments


@subscribe_to_appointments
def keep_client_figures(records: list[AppointmentRecord]) -> None:
    if not records:
        return
    moved = marketing_stats.keep(records, wiring.store().catalog)
    if moved:
        count("ClientFiguresMoved", value=moved)


@subscribe(EventName.BOOKED)
def attribute_booking(event: Event) -> None:
    if campaigns.attribute(event, wiring.store()):
        count("MarketingBookings")


def run() -> marketing_delivery.MarketingRun:
    """A run of the marketing outbox with the stage's senders, links and do-not-contact list."""
    config = settings()
    links = marketing_delivery.Links(base=config.public_url or config.backoffice_url, key=config.signing_key,
                                     mailbox=config.sender_email, sender=config.sender_email)
    return marketing_delivery.MarketingRun(wiring.now(), wiring.store(), wiring.senders(), wiring.clients(),
                                           wiring.do_not_contact(), links)
