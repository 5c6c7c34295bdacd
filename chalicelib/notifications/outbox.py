"""Which message a booking change causes, when reminders fall due, and when a failed send is retried.

Pure: no I/O. The store writes one outbox item per change in the same transaction as the change
itself (repositories/messages.py), using `kind_for(before, after)` here, so every caller that
changes an appointment (public booking, self-service, backoffice) causes its messages without
having to remember to.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence

from ..domain.model import Appointment, AppointmentStatus as S
from ..domain.messages import MessageKind

MAX_ATTEMPTS = 5  # sends tried before a message is marked failed
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8 minutes: the last try is ~15 minutes after the first
LEASE = timedelta(minutes=5)  # a claimed message nobody finished within this was interrupted mid-send


def kind_for(before: Appointment | None, after: Appointment) -> MessageKind | None:
    """The message the client gets for this change, if any.

    new pending -> pending; new confirmed (automatic approval, or made in the backoffice) -> confirmed;
    pending -> confirmed (approved) -> confirmed; pending -> rejected -> rejected; pending, confirmed or
    arrived -> cancelled (by the business or the client) -> cancelled; a pending or confirmed
    appointment moved to another time or professional -> rescheduled. Check-in, completion, no-show
    and note edits say nothing to the client.
    """
    if before is None:
        return {S.PENDING: MessageKind.PENDING, S.CONFIRMED: MessageKind.CONFIRMED}.get(after.status)
    if before.status is not after.status:
        if before.status is S.PENDING and after.status is S.CONFIRMED:
            return MessageKind.CONFIRMED
        if before.status is S.PENDING and after.status is S.REJECTED:
            return MessageKind.REJECTED
        if before.status.holds_time and after.status is S.CANCELLED:
            return MessageKind.CANCELLED
        return None
    if after.status in (S.PENDING, S.CONFIRMED) and (
            before.start != after.start or before.staff_id != after.staff_id):
        return MessageKind.RESCHEDULED
    return None


def needs_outbox(before: Appointment | None, after: Appointment) -> bool:
    """A change gets an outbox item when it causes a message, or when it leaves a confirmed
    appointment whose reminders must be (re)scheduled from its new state."""
    return kind_for(before, after) is not None or after.status is S.CONFIRMED


def reminder_due(start: datetime, leads: Sequence[timedelta], since: datetime) -> tuple[datetime, timedelta] | None:
    """The first reminder still to send: the longest lead whose due instant is after `since`.

    Leads are elapsed time, subtracted in UTC: "24 hours before" is 24 real hours before, even across
    a DST change (the reminder then arrives at another wall-clock hour than the appointment's). Arming
    from the change's own instant means a booking made 10 hours ahead gets no 24-hour reminder, and a
    change after a reminder went out never sends that one again.
    """
    for lead in sorted(leads, reverse=True):
        due = start - lead
        if due > since:
            return due, lead
    return None


def retry_at(now: datetime, attempts: int) -> datetime | None:
    """When to try again after `attempts` failed tries (exponential backoff); None when that was the last."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + FIRST_RETRY * (2 ** (attempts - 1))
