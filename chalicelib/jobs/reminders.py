"""The reminder job: every due reminder sent once, found by a query on the `due` index.

An appointment waits in the index (DUE#REMIND#<day>, keyed by its next reminder's due instant)
from the moment its confirmation or last change was handled (repositories/messages.arm_reminders).
Any change to the appointment puts it afresh and so takes it out of the index; the change's own
outbox item schedules it again from its new state. So cancelled and rejected appointments are never
found, and a moved one is reminded relative to its new time.
"""
from __future__ import annotations

from ..domain.model import AppointmentStatus
from ..notifications import delivery, outbox
from ..observability import logger as log
from ..repositories import messages as repo


def send_due_reminders(run: delivery.Run) -> dict[str, int]:
    """Take each due reminder (one conditional transaction each), then deliver what this run took.

    DynamoDB calls: LOOKBACK_DAYS + 1 queries, then per due reminder one transaction and the
    delivery of one outbox message (see `make bench`).
    """
    now = run.now
    taken = []
    for due in repo.due_reminders(now):
        appointment = due.appointment
        if appointment.status is not AppointmentStatus.CONFIRMED or appointment.start <= now:
            repo.drop_reminder(due)  # past, or no longer confirmed: nothing to remind
            continue
        reminder = repo.take_reminder(due, outbox.next_reminder(due, now), outbox.reminder_message(due, now))
        if reminder is not None:
            taken.append(reminder)
    run.report["reminders"] = len(taken)
    for reminder in taken:
        try:
            delivery.deliver(reminder, run)
        except Exception:  # noqa: BLE001 - the outbox job picks it up again; the other reminders go on
            log.exception("reminder %s could not be delivered now", reminder.id)
    return run.report
