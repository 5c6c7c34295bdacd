"""Which message a booking change causes, when reminders fall due, and when a failed send is retried.

Pure: no I/O. Every change to an appointment is composed with `message_for` (services/agenda_changes.py),
so its outbox message is written in the change's own transaction and every caller that changes an
appointment (public booking, self-service, backoffice) causes its messages without having to remember to.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from typing import Sequence

from ..domain.agenda_change import AgendaChange
from ..domain.model import Appointment, AppointmentStatus as S
from ..domain.messages import DueReminder, MessageKind, OutboxMessage

FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8, 16 minutes...
LONGEST_WAIT = timedelta(minutes=30)  # ...and never more than this between two tries
GIVE_UP_AFTER = timedelta(hours=24)  # for a message whose appointment has started (or is unknown)
LEASE = timedelta(minutes=5)  # a claimed message nobody finished within this was interrupted mid-send


def kind_for(before: Appointment | None, after: Appointment) -> MessageKind | None:
    """The message the client gets for this change, if any.

    new pending -> pending; new confirmed (automatic approval, or made in the backoffice) -> confirmed;
    pending -> confirmed (approved) -> confirmed; pending -> rejected -> rejected; pending, confirmed or
    arrived -> cancelled (by the business or the client) -> cancelled; a pending or confirmed
    appointment moved to another time or professional -> rescheduled. Check-in, completion, no-show
    and note edits say nothing to the client, nor does recording a past appointment (it began before
    it was created: no confirmation, and `reminder_due` arms no reminder for it).
    """
    if before is None:
        if after.start < after.created_at:
            return None
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


def message_for(change: AgendaChange) -> OutboxMessage | None:
    """The one outbox message (or none) a change writes in its own transaction: one whatever the
    channels, so even the largest reschedule (96 lock units) stays within DynamoDB's 100 items."""
    before, after = change.before, change.after
    if not needs_outbox(before, after):
        return None
    kind = kind_for(before, after)
    previous = before.start if kind is MessageKind.RESCHEDULED and before is not None else None
    return OutboxMessage(id=f"msg_{secrets.token_hex(8)}", appointment=after, kind=kind, due=after.updated_at,
                         previous_start=previous)


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


def next_reminder(due: DueReminder, now: datetime) -> tuple[datetime, timedelta] | None:
    """The reminder after the one now due, if any is still worth sending: a job that ran late skips
    one that would arrive this close to the next anyway."""
    sent_due = due.appointment.start - due.lead
    upcoming = reminder_due(due.appointment.start, [lead for lead in due.leads if lead < due.lead], sent_due)
    return None if upcoming is not None and upcoming[0] <= now else upcoming


def reminder_message(due: DueReminder, now: datetime) -> OutboxMessage:
    """The reminder now due, with an id made from its due instant: two runs cannot both queue it."""
    sent_due = due.appointment.start - due.lead
    ident = f"rem_{due.appointment.reference}_{sent_due.astimezone(timezone.utc):%Y%m%dT%H%M}"
    return OutboxMessage(id=ident, appointment=due.appointment, kind=MessageKind.REMINDER, due=now)


def retry_until(created: datetime, appointment_start: datetime | None) -> datetime:
    """Until when a refused message is still worth another try: until its appointment starts (a
    confirmation or a reminder after that helps nobody), or for a day when the appointment had already
    started when the message was written (or is unknown)."""
    if appointment_start is not None and appointment_start > created:
        return appointment_start
    return created + GIVE_UP_AFTER


def retry_at(now: datetime, attempts: int, until: datetime) -> datetime | None:
    """When to try again after `attempts` refused tries: 1, 2, 4... minutes later, at most LONGEST_WAIT,
    while that is still before `until` (retry_until); None when that was the last try.

    Only refusals come here (the provider answered no, or the request never left): sending again cannot
    make a duplicate, so a throttle that lasts an hour costs a late message, never a lost one."""
    wait = min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 16), LONGEST_WAIT)
    after = now + wait
    return after if after < until else None
