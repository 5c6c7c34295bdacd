"""The reminder job: every due reminder sent once, found by a query on the `due` index.

An appointment waits in the index (DUE#REMIND#<day>, keyed by its next reminder's due instant)
from the moment its confirmation or last change was handled (repositories/messages.arm_reminders).
Any change to the appointment puts it afresh and so takes it out of the index; the change's own
outbox item schedules it again from its new state. So cancelled and rejected appointments are never
found, and a moved one is reminded relative to its new time.
"""
from __future__ import annotations

import logging
from datetime import datetime

from ..domain.model import AppointmentStatus
from ..notifications import delivery
from ..repositories import messages as repo

log = logging.getLogger("turno.reminders")


def send_due_reminders(now: datetime, send: delivery.Senders) -> dict[str, int]:
    """Take each due reminder (one conditional transaction each), then deliver what this run took.

    DynamoDB calls: LOOKBACK_DAYS + 1 queries, then per due reminder one transaction and the
    delivery of one outbox item (see `make bench`).
    """
    run = delivery.Run(now, send)
    taken = []
    for item in repo.due_reminders(now):
        appointment = repo.appointment_from_item(item)
        if appointment.status is not AppointmentStatus.CONFIRMED or appointment.start <= now:
            repo.drop_reminder(item)  # past, or no longer confirmed: nothing to remind
            continue
        outbox_item = repo.take_reminder(item, appointment, now)
        if outbox_item is not None:
            taken.append(outbox_item)
    run.report["reminders"] = len(taken)
    for outbox_item in taken:
        try:
            delivery.deliver(outbox_item, run)
        except Exception:  # noqa: BLE001 - the outbox job picks it up again; the other reminders go on
            log.exception("reminder %s could not be delivered now", outbox_item.id)
    return run.report
