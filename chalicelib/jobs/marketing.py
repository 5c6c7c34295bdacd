"""Marketing's jobs: its share of the table's stream (each client's figures, services/marketing_stats.py;
bookings that marketing messages brought, services/campaigns.py `attribute`), the marketing outbox's run,
and the daily dormant-client sweep (services/winback.py)."""
from __future__ import annotations

import json
from collections import Counter

from .. import wiring
from ..config import settings
from ..domain.events import Event, EventName
from ..observability import count, logger
from ..repositories.stream import AppointmentRecord
from ..services import campaigns, marketing_delivery, marketing_stats, winback
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


# -- the dormant-client sweep, fanned out per business ----------------------------------------------------
def sweep_one(unit: dict) -> Counter:
    """One business's sweep of the day (a unit of the schedule's fan-out)."""
    return winback.sweep_unit(wiring.store(), wiring.clients(), wiring.do_not_contact(), unit, wiring.now())


def fan_out() -> dict:
    """The daily schedule: one unit per business with the sweep on, to the sweep's queue."""
    return winback.fan_out(wiring.sweep_queue(inline=sweep_one), wiring.now())


def sweep_batch(event: dict) -> dict:
    """A batch of the sweep's queue: each unit on its own; the failed ones are reported back (SQS's partial
    batch response), so SQS retries only them, and after its retries puts them on the dead-letter queue."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    report: Counter = Counter()

    def one(record) -> None:
        report.update(sweep_one(json.loads(record.body)))

    answer = process_partial_response(event=event, record_handler=one,
                                      processor=BatchProcessor(event_type=EventType.SQS))
    report["units"] = len(event.get("Records") or [])
    report["units_failed"] = len(answer.get("batchItemFailures") or [])
    if report.get("queued"):
        count("WinbacksQueued", value=report["queued"])
    if report["units_failed"]:
        count("SweepUnitsFailed", value=report["units_failed"])
    logger.info("sweep units done", extra={"report": dict(report)})
    return answer
