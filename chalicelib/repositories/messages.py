"""DynamoDB side of delivery: the outbox, reminder bookkeeping on appointments, the message log,
counts per day, and undeliverable addresses.

Work waiting for a job sits in the sparse `due` index, one partition per UTC day:
  DUE#OUTBOX#<day>  <due instant>#<outbox id>     an outbox item to send (or retry, or whose claim expires)
  DUE#REMIND#<day>  <due instant>#<reference>     a confirmed appointment whose next reminder falls due
A job queries the last LOOKBACK_DAYS partitions up to now: its cost grows with the work due, never
with the appointments stored. Every step that takes work is a conditional write on the due key it
saw, so two overlapping runs never both take the same work.
"""
from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Iterable, Iterator

from pynamodb.exceptions import DeleteError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from ..domain.calendar import UTC
from ..domain.messages import DueReminder, LoggedMessage, MessageCount, OutboxMessage
from ..domain.model import Appointment
from ..observability import logger as log
from . import codecs
from .codecs import OUTBOX, due_key, iso
from .tables import (
    AppointmentItem,
    Item,
    MessageCountItem,
    MessageLogItem,
    OutboxItem,
    UndeliverableItem,
)
from .transactions import connection

REMIND = "REMIND"
LOOKBACK_DAYS = 2  # partitions before today still read: work a stopped job left behind is found for two days
KEEP_DONE = timedelta(days=30)  # finished outbox items stay this long (the message log keeps the story)
FINAL = frozenset({"sent", "failed", "skipped", "unconfirmed"})  # unconfirmed: sent, its answer lost
FINISH_ATTEMPTS = 5  # bookkeeping transactions tried when DynamoDB cancels one for a concurrent one
FINISH_PAUSE = 0.05  # seconds, growing with each try and jittered so two runs stop colliding


def _due(queue: str, now: datetime, model) -> Iterator:
    """Everything in `queue` due at or before `now`, oldest partition first (one query per day)."""
    today = now.astimezone(UTC).date()
    for back in range(LOOKBACK_DAYS, -1, -1):
        day = today - timedelta(days=back)
        yield from model.due.query(f"DUE#{queue}#{day.isoformat()}", Item.due_sk <= f"{iso(now)}~")


# -- the outbox, written with the change ---------------------------------------------------------
def due_outbox(now: datetime) -> Iterator[OutboxMessage]:
    return map(codecs.outbox_message, _due(OUTBOX, now, OutboxItem))


def outbox_message(ident: str) -> OutboxMessage | None:
    try:
        return codecs.outbox_message(OutboxItem.get(f"OUTBOX#{ident}", "OUTBOX"))
    except OutboxItem.DoesNotExist:
        return None


def _key(message: OutboxMessage) -> OutboxItem:
    return OutboxItem(pk=f"OUTBOX#{message.id}", sk="OUTBOX")


def forget(message: OutboxMessage) -> bool:
    """Remove an outbox message that had nothing to send, if nobody took it meanwhile."""
    try:
        _key(message).delete(condition=OutboxItem.due_sk == message.due_key)
        return True
    except DeleteError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise


def claim(message: OutboxMessage, lease_until: datetime) -> OutboxMessage | None:
    """Take an outbox message for sending: the claimed message (its `claim` the token, this try
    counted), or None when another run took it (or re-keyed it) first.

    While claimed, its due key points at the lease's end: if this run dies mid-send, the message comes
    back then, marked as interrupted, and is never sent a second time.
    """
    token = secrets.token_hex(8)
    due_pk, due_sk = due_key(OUTBOX, lease_until, message.id)
    attempts = message.attempts + 1
    try:
        _key(message).update(actions=[
            OutboxItem.status.set("sending"), OutboxItem.claim.set(token), OutboxItem.attempts.set(attempts),
            OutboxItem.due_pk.set(due_pk), OutboxItem.due_sk.set(due_sk),
        ], condition=OutboxItem.due_sk == message.due_key)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return None
        raise
    return replace(message, status="sending", claim=token, attempts=attempts, due_key=due_sk)


@dataclass(frozen=True)
class Outcome:
    """One channel's final state, for the log and the counts."""

    channel: str
    status: str  # sent | failed | skipped | unconfirmed
    delivery: dict
    day: date  # the business's local day it happened, for the counts


def finish(item: OutboxMessage, deliveries: dict, now: datetime, retry: datetime | None,
           outcomes: Iterable[Outcome]) -> bool:
    """Record what this run did, all at once: the outbox message (done, failed, or due again at `retry`),
    a log entry per channel that reached its final state, and the day's counts. False if the claim was lost.

    Two runs finishing together update the same day's counter, and DynamoDB may cancel one of the two
    transactions (`TransactionConflict`). A cancelled transaction wrote nothing, so it is simply tried again:
    a conflict on a counter must never turn a message that went out into one the log calls failed."""
    outcomes = list(outcomes)
    for attempt in range(1, FINISH_ATTEMPTS + 1):
        try:
            _finish(item, deliveries, now, retry, outcomes)
            return True
        except TransactWriteError as error:
            reasons = [r.code for r in error.cancellation_reasons or [] if r]
            if "ConditionalCheckFailed" in reasons:
                return False  # the claim expired and another run took the item over
            if "TransactionConflict" not in reasons or attempt == FINISH_ATTEMPTS:
                raise
            log.info("message bookkeeping of %s met a concurrent transaction (try %d): trying again",
                     item.id, attempt)
            time.sleep(FINISH_PAUSE * attempt * (0.5 + random.random()))
    return False  # not reached


def _finish(item: OutboxMessage, deliveries: dict, now: datetime, retry: datetime | None,
            outcomes: list[Outcome]) -> None:
    kind = item.kind.value if item.kind else None
    if retry is not None:
        status = "pending"
    else:
        status = "failed" if any(d.get("status") == "failed" for d in deliveries.values()) else "done"
    actions = [OutboxItem.status.set(status), OutboxItem.deliveries.set(deliveries), OutboxItem.claim.remove()]
    if retry is not None:
        due_pk, due_sk = due_key(OUTBOX, retry, item.id)
        actions += [OutboxItem.due_pk.set(due_pk), OutboxItem.due_sk.set(due_sk)]
    else:
        actions += [OutboxItem.due_pk.remove(), OutboxItem.due_sk.remove(), OutboxItem.finished_at.set(now),
                    OutboxItem.expires_at.set(now + KEEP_DONE)]
    with TransactWrite(connection=connection()) as tx:
        tx.update(_key(item), actions, condition=OutboxItem.claim == item.claim)
        for outcome in outcomes:
            d = outcome.delivery
            sk = f"{iso(now)}#{item.id}#{outcome.channel}"
            tx.save(MessageLogItem(
                pk=f"BIZ#{item.business_id}#MSGLOG#{item.client_id}", sk=sk,
                agenda_pk=f"BIZ#{item.business_id}#MSGS", agenda_sk=sk,
                outbox_id=item.id, reference=item.reference, client_id=item.client_id, message_kind=kind,
                channel=outcome.channel, status=outcome.status, to=d.get("to"), at=now,
                attempts=item.attempts, segments=d.get("segments"), encoding=d.get("encoding"),
                provider_id=d.get("provider_id"), error=d.get("error"),
            ))
        for (day, channel), group in _by_day_and_channel(outcomes).items():
            count = MessageCountItem(pk=f"BIZ#{item.business_id}#MSGCOUNT", sk=f"{day}#{kind}#{channel}")
            adds = [getattr(MessageCountItem, name).add(n) for name, n in group.items() if n]
            tx.update(count, [MessageCountItem.kind.set(MessageCountItem), MessageCountItem.day.set(day),
                              MessageCountItem.message_kind.set(kind), MessageCountItem.channel.set(channel),
                              *adds])


def _by_day_and_channel(outcomes: list[Outcome]) -> dict[tuple[str, str], dict[str, int]]:
    groups: dict[tuple[str, str], dict[str, int]] = {}
    for o in outcomes:
        if o.channel not in ("email", "sms"):
            continue
        group = groups.setdefault((o.day.isoformat(), o.channel), {"sent": 0, "failed": 0, "skipped": 0,
                                                                   "unconfirmed": 0, "segments": 0})
        group[o.status] += 1
        if o.status == "sent":
            group["segments"] += int(o.delivery.get("segments") or 0)
    return groups


# -- reminders: bookkeeping on the appointment item ----------------------------------------------
def arm_reminders(appointment: Appointment, leads: list[timedelta], first: tuple[datetime, timedelta] | None) -> bool:
    """Schedule the first reminder (`first`: its due instant and lead, or None when none is still
    ahead) of this version of a confirmed appointment, once.

    Conditional on the appointment being unchanged since (`updated_at`) and not armed yet: a later
    change's own outbox message arms it from the newer state instead.
    """
    minutes = [int(lead.total_seconds() // 60) for lead in sorted(leads, reverse=True)]
    actions = [AppointmentItem.reminders_armed.set(True), AppointmentItem.reminder_leads.set(minutes),
               AppointmentItem.events.remove()]
    if first is not None:
        due, lead = first
        due_pk, due_sk = due_key(REMIND, due, appointment.reference)
        actions += [AppointmentItem.due_pk.set(due_pk), AppointmentItem.due_sk.set(due_sk),
                    AppointmentItem.reminder_lead.set(int(lead.total_seconds() // 60))]
    try:
        _appointment_key(appointment).update(
            actions=actions, condition=(AppointmentItem.updated_at == appointment.updated_at)
            & AppointmentItem.reminders_armed.does_not_exist())
        return True
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise


def _appointment_key(appointment: Appointment) -> AppointmentItem:
    return AppointmentItem(pk=f"APPT#{appointment.reference}", sk="APPT")


def due_reminders(now: datetime) -> Iterator[DueReminder]:
    return map(codecs.due_reminder, _due(REMIND, now, AppointmentItem))


def take_reminder(due: DueReminder, upcoming: tuple[datetime, timedelta] | None,
                  reminder: OutboxMessage) -> OutboxMessage | None:
    """Move the appointment on to its next reminder (`upcoming`, or none) and put this reminder in the
    outbox, in one transaction conditional on the due key this run saw: of two runs, one gets it
    (the reminder as stored), the other None."""
    if upcoming is not None:
        due_pk, due_sk = due_key(REMIND, upcoming[0], due.appointment.reference)
        actions = [AppointmentItem.due_pk.set(due_pk), AppointmentItem.due_sk.set(due_sk),
                   AppointmentItem.reminder_lead.set(int(upcoming[1].total_seconds() // 60))]
    else:
        actions = [AppointmentItem.due_pk.remove(), AppointmentItem.due_sk.remove(),
                   AppointmentItem.reminder_lead.remove()]
    actions.append(AppointmentItem.events.remove())
    item = codecs.outbox_item(reminder)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(_appointment_key(due.appointment), actions, condition=AppointmentItem.due_sk == due.due_key)
            tx.save(item, condition=Item.pk.does_not_exist())
    except TransactWriteError as error:
        if any(r and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
            return None
        raise
    return codecs.outbox_message(item)


def drop_reminder(due: DueReminder) -> bool:
    """Take an appointment that no longer wants reminders (past, or no longer confirmed) out of the index."""
    try:
        _appointment_key(due.appointment).update(
            actions=[AppointmentItem.due_pk.remove(), AppointmentItem.due_sk.remove(),
                     AppointmentItem.reminder_lead.remove(), AppointmentItem.events.remove()],
            condition=AppointmentItem.due_sk == due.due_key)
        return True
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise


# -- undeliverable addresses ---------------------------------------------------------------------
def _mark_key(channel: str, address: str) -> tuple[str, str]:
    return f"UNDELIVERABLE#{channel}#{address.lower() if channel == 'email' else address}", "MARK"


def undeliverable(addresses: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Which of the (channel, address) pairs are marked, with the reason: one batch read."""
    keys = {_mark_key(c, a): (c, a) for c, a in addresses if a}
    if not keys:
        return {}
    return {keys[(i.pk, i.sk)]: i.reason for i in UndeliverableItem.batch_get(list(keys))}


def mark_undeliverable(channel: str, address: str, reason: str, detail: str, now: datetime) -> None:
    pk, sk = _mark_key(channel, address)
    UndeliverableItem(pk=pk, sk=sk, channel=channel, address=address, reason=reason, at=now,
                      detail=detail[:500]).save()


# -- reading the log -----------------------------------------------------------------------------
def client_log(business_id: str, client_id: str, limit: int = 100,
               status: str | None = None) -> list[LoggedMessage]:
    """A client's messages, newest first (one query; `status` filters, e.g. the failed ones)."""
    condition = MessageLogItem.status == status if status else None
    items = MessageLogItem.query(f"BIZ#{business_id}#MSGLOG#{client_id}", scan_index_forward=False,
                                 filter_condition=condition, limit=limit if not status else None)
    return [codecs.logged_message(item) for item in items][:limit]


def counts(business_id: str, first: date, last: date) -> list[MessageCount]:
    """Per day, kind and channel between two local days (inclusive): one query, days x kinds x channels items."""
    items = MessageCountItem.query(f"BIZ#{business_id}#MSGCOUNT",
                                   MessageCountItem.sk.between(first.isoformat(), f"{last.isoformat()}~"))
    return [codecs.message_count(item) for item in items]
