"""What happens after a change commits: the table's stream hands its records to the features that react.

Lambda reads the DynamoDB stream (infra/) and `make dev` polls DynamoDB Local's (infra/local/devstack.py);
both call `handle` with the stream's records. Delivery is at least once and in order per item, so every
subscriber must be idempotent.

- A new outbox message is sent at once, instead of waiting for the minute's outbox job (which stays as the
  safety net: the claim makes sure the two never both send it).
- Each domain event goes to the subscribers of its name (`SUBSCRIBERS`): a feature that reacts to bookings,
  cancellations or freed time adds itself there, in its own module, without touching the write path.
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..domain.events import Event, EventName
from ..notifications import delivery
from ..observability import count, logger
from ..repositories import stream

Subscriber = Callable[[Event], None]
SUBSCRIBERS: dict[EventName, list[Subscriber]] = {}
# features that keep a view of the appointments' state (report counters) get each batch's appointment records
StateSubscriber = Callable[[list[stream.AppointmentRecord]], None]
STATE_SUBSCRIBERS: list[StateSubscriber] = []
# features that react to a sold plan's units (the "one session left" nudge) get each batch's plan records
PlanSubscriber = Callable[[list[stream.PlanRecord]], None]
PLAN_SUBSCRIBERS: list[PlanSubscriber] = []


def subscribe(*names: EventName) -> Callable[[Subscriber], Subscriber]:
    """Register a function to call with every committed event of these names."""
    def register(function: Subscriber) -> Subscriber:
        for name in names:
            SUBSCRIBERS.setdefault(name, []).append(function)
        return function
    return register


def subscribe_to_appointments(function: StateSubscriber) -> StateSubscriber:
    """Register a function to call with each batch's appointment records (every version, in order)."""
    STATE_SUBSCRIBERS.append(function)
    return function


def subscribe_to_plans(function: PlanSubscriber) -> PlanSubscriber:
    """Register a function to call with each batch's sold-plan records (every units change, in order)."""
    PLAN_SUBSCRIBERS.append(function)
    return function


def handle(records: Iterable[dict], run: delivery.Run) -> dict[str, int]:
    """Deliver the batch's new messages, then dispatch its events; returns what was done."""
    batch = stream.read(records)
    for message in batch.new_messages:
        if message.due > run.now:  # a reminder queued ahead waits for the outbox job
            continue
        try:
            delivery.deliver(message, run)
        except Exception:  # noqa: BLE001 - the outbox job sends it; the batch's events must not wait
            logger.exception("outbox message %s could not be sent from the stream", message.id)
            run.report["errors"] = run.report.get("errors", 0) + 1
    dispatched = 0
    for event in batch.events:
        for subscriber in SUBSCRIBERS.get(event.name, ()):
            subscriber(event)
            dispatched += 1
    for keeper in STATE_SUBSCRIBERS:  # a failure fails the batch: Lambda retries it, and keepers are idempotent
        keeper(batch.appointments)
    for keeper in PLAN_SUBSCRIBERS:  # the same: a failure fails the batch, and keepers are idempotent
        if batch.plans:
            keeper(batch.plans)
    run.report["events"] = len(batch.events)
    run.report["dispatched"] = dispatched
    return run.report


@subscribe(*EventName)
def count_event(event: Event) -> None:
    """Every committed event is a metric (AppointmentEvents by event name): bookings, cancellations,
    moves and freed time as the database saw them, whichever way they were made."""
    count("AppointmentEvents", event=event.name.value)
