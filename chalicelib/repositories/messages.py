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

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Iterable, Iterator

from pynamodb.exceptions import DeleteError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from ..domain.calendar import UTC, Interval
from ..domain.model import Appointment, AppointmentStatus, Source
from ..notifications.kinds import MessageKind
from ..notifications.outbox import LEASE, kind_for, needs_outbox, reminder_due
from .tables import (
    AppointmentItem,
    Item,
    MessageCountItem,
    MessageLogItem,
    OutboxItem,
    UndeliverableItem,
)

OUTBOX, REMIND = "OUTBOX", "REMIND"
LOOKBACK_DAYS = 2  # partitions before today still read: work a stopped job left behind is found for two days
KEEP_DONE = timedelta(days=30)  # finished outbox items stay this long (the message log keeps the story)
FINAL = frozenset({"sent", "failed", "skipped"})


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def due_key(queue: str, when: datetime, ident: str) -> tuple[str, str]:
    return f"DUE#{queue}#{when.astimezone(UTC).date().isoformat()}", f"{_iso(when)}#{ident}"


def _due(queue: str, now: datetime, model) -> Iterator:
    """Everything in `queue` due at or before `now`, oldest partition first (one query per day)."""
    today = now.astimezone(UTC).date()
    for back in range(LOOKBACK_DAYS, -1, -1):
        day = today - timedelta(days=back)
        yield from model.due.query(f"DUE#{queue}#{day.isoformat()}", Item.due_sk <= f"{_iso(now)}~")


# -- the outbox, written with the change ---------------------------------------------------------
def snapshot(a: Appointment) -> dict:
    return {
        "reference": a.reference, "business_id": a.business_id, "client_id": a.client_id,
        "service_id": a.service_id, "staff_id": a.staff_id, "start": _iso(a.start), "end": _iso(a.end),
        "busy_start": _iso(a.busy.start), "busy_end": _iso(a.busy.end), "status": a.status.value,
        "source": a.source.value, "price": str(a.price), "currency": a.currency, "notes": a.notes,
        "exclusive": a.exclusive, "created_at": a.created_at.isoformat(), "updated_at": a.updated_at.isoformat(),
    }


def appointment_of(data: dict) -> Appointment:
    at = datetime.fromisoformat
    return Appointment(
        reference=data["reference"], business_id=data["business_id"], client_id=data["client_id"],
        service_id=data["service_id"], staff_id=data["staff_id"], start=at(data["start"]), end=at(data["end"]),
        busy=Interval(at(data["busy_start"]), at(data["busy_end"])), status=AppointmentStatus(data["status"]),
        source=Source(data["source"]), price=Decimal(data["price"]), currency=data["currency"],
        created_at=at(data["created_at"]), updated_at=at(data["updated_at"]), notes=data.get("notes", ""),
        exclusive=data.get("exclusive", True),
    )


def outbox_items(before: Appointment | None, after: Appointment) -> list[OutboxItem]:
    """The one outbox item (or none) a change writes in its own transaction: one item whatever the
    channels, so even the largest reschedule (96 lock units) stays within DynamoDB's 100 items."""
    if not needs_outbox(before, after):
        return []
    kind = kind_for(before, after)
    previous = before.start if kind is MessageKind.RESCHEDULED and before is not None else None
    return [_outbox_item(f"msg_{secrets.token_hex(8)}", after, kind, after.updated_at, previous)]


def _outbox_item(ident: str, appointment: Appointment, kind: MessageKind | None, due: datetime,
                 previous: datetime | None = None) -> OutboxItem:
    due_pk, due_sk = due_key(OUTBOX, due, ident)
    return OutboxItem(
        pk=f"OUTBOX#{ident}", sk="OUTBOX", id=ident, business_id=appointment.business_id,
        reference=appointment.reference, client_id=appointment.client_id,
        message_kind=kind.value if kind else None, appointment=snapshot(appointment), previous_start=previous,
        created_at=due, status="pending", attempts=0, deliveries={}, due_pk=due_pk, due_sk=due_sk,
    )


def due_outbox(now: datetime) -> Iterator[OutboxItem]:
    return _due(OUTBOX, now, OutboxItem)


def outbox_item(ident: str) -> OutboxItem | None:
    try:
        return OutboxItem.get(f"OUTBOX#{ident}", "OUTBOX")
    except OutboxItem.DoesNotExist:
        return None


def forget(item: OutboxItem) -> bool:
    """Remove an outbox item that had nothing to send, if nobody took it meanwhile."""
    try:
        item.delete(condition=OutboxItem.due_sk == item.due_sk)
        return True
    except DeleteError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise


def claim(item: OutboxItem, now: datetime) -> str | None:
    """Take an outbox item for sending; None when another run took it (or re-keyed it) first.

    While claimed, its due key points at the lease's end: if this run dies mid-send, the item comes
    back then, marked as interrupted, and is never sent a second time.
    """
    token = secrets.token_hex(8)
    due_pk, due_sk = due_key(OUTBOX, now + LEASE, item.id)
    try:
        item.update(actions=[
            OutboxItem.status.set("sending"), OutboxItem.claim.set(token),
            OutboxItem.attempts.set((item.attempts or 0) + 1),
            OutboxItem.due_pk.set(due_pk), OutboxItem.due_sk.set(due_sk),
        ], condition=OutboxItem.due_sk == item.due_sk)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return None
        raise
    return token


@dataclass(frozen=True)
class Outcome:
    """One channel's final state, for the log and the counts."""

    channel: str
    status: str  # sent | failed | skipped
    delivery: dict
    day: date  # the business's local day it happened, for the counts


def finish(item: OutboxItem, token: str, deliveries: dict, now: datetime, retry: datetime | None,
           outcomes: Iterable[Outcome]) -> bool:
    """Record what this run did, all at once: the outbox item (done, failed, or due again at `retry`),
    a log entry per channel that reached its final state, and the day's counts. False if the claim was lost."""
    outcomes = list(outcomes)
    kind = item.message_kind
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
    try:
        with TransactWrite(connection=Item._get_connection().connection) as tx:
            tx.update(OutboxItem(pk=item.pk, sk=item.sk), actions, condition=OutboxItem.claim == token)
            for outcome in outcomes:
                d = outcome.delivery
                sk = f"{_iso(now)}#{item.id}#{outcome.channel}"
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
    except TransactWriteError as error:
        if any(r and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
            return False  # the claim expired and another run took the item over
        raise
    return True


def _by_day_and_channel(outcomes: list[Outcome]) -> dict[tuple[str, str], dict[str, int]]:
    groups: dict[tuple[str, str], dict[str, int]] = {}
    for o in outcomes:
        if o.channel not in ("email", "sms"):
            continue
        group = groups.setdefault((o.day.isoformat(), o.channel), {"sent": 0, "failed": 0, "skipped": 0,
                                                                   "segments": 0})
        group[o.status] += 1
        if o.status == "sent":
            group["segments"] += int(o.delivery.get("segments") or 0)
    return groups


# -- reminders: bookkeeping on the appointment item ----------------------------------------------
def arm_reminders(appointment: Appointment, leads: list[timedelta]) -> bool:
    """Schedule the first reminder of this version of a confirmed appointment, once.

    Conditional on the appointment being unchanged since (`updated_at`) and not armed yet: a later
    change's own outbox item arms it from the newer state instead. Counts from the change's instant.
    """
    first = reminder_due(appointment.start, leads, appointment.updated_at)
    minutes = [int(lead.total_seconds() // 60) for lead in sorted(leads, reverse=True)]
    actions = [AppointmentItem.reminders_armed.set(True), AppointmentItem.reminder_leads.set(minutes)]
    if first is not None:
        due, lead = first
        due_pk, due_sk = due_key(REMIND, due, appointment.reference)
        actions += [AppointmentItem.due_pk.set(due_pk), AppointmentItem.due_sk.set(due_sk),
                    AppointmentItem.reminder_lead.set(int(lead.total_seconds() // 60))]
    item = AppointmentItem(pk=f"APPT#{appointment.reference}", sk="APPT")
    try:
        item.update(actions=actions, condition=(AppointmentItem.updated_at == appointment.updated_at)
                    & AppointmentItem.reminders_armed.does_not_exist())
        return True
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise


def due_reminders(now: datetime) -> Iterator[AppointmentItem]:
    return _due(REMIND, now, AppointmentItem)


def take_reminder(item: AppointmentItem, appointment: Appointment, now: datetime) -> OutboxItem | None:
    """Move the appointment on to its next reminder (or none) and put this reminder in the outbox,
    in one transaction conditional on the due key this run saw: of two runs, one gets it."""
    leads = [timedelta(minutes=int(m)) for m in item.reminder_leads or ()]
    current = timedelta(minutes=int(item.reminder_lead or 0))
    sent_due = appointment.start - current
    upcoming = reminder_due(appointment.start, [lead for lead in leads if lead < current], sent_due)
    if upcoming is not None and upcoming[0] <= now:
        upcoming = None  # the job was late: a reminder this close to the next one would say the same
    actions = []
    if upcoming is not None:
        due_pk, due_sk = due_key(REMIND, upcoming[0], appointment.reference)
        actions += [AppointmentItem.due_pk.set(due_pk), AppointmentItem.due_sk.set(due_sk),
                    AppointmentItem.reminder_lead.set(int(upcoming[1].total_seconds() // 60))]
    else:
        actions += [AppointmentItem.due_pk.remove(), AppointmentItem.due_sk.remove(),
                    AppointmentItem.reminder_lead.remove()]
    ident = f"rem_{appointment.reference}_{sent_due.astimezone(UTC):%Y%m%dT%H%M}"
    outbox = _outbox_item(ident, appointment, MessageKind.REMINDER, now)
    try:
        with TransactWrite(connection=Item._get_connection().connection) as tx:
            tx.update(AppointmentItem(pk=item.pk, sk=item.sk), actions,
                      condition=AppointmentItem.due_sk == item.due_sk)
            tx.save(outbox, condition=Item.pk.does_not_exist())
    except TransactWriteError as error:
        if any(r and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
            return None
        raise
    return outbox


def drop_reminder(item: AppointmentItem) -> bool:
    """Take an appointment that no longer wants reminders (past, or no longer confirmed) out of the index."""
    try:
        item.update(actions=[AppointmentItem.due_pk.remove(), AppointmentItem.due_sk.remove(),
                             AppointmentItem.reminder_lead.remove()],
                    condition=AppointmentItem.due_sk == item.due_sk)
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
               status: str | None = None) -> list[MessageLogItem]:
    """A client's messages, newest first (one query; `status` filters, e.g. the failed ones)."""
    condition = MessageLogItem.status == status if status else None
    return list(MessageLogItem.query(f"BIZ#{business_id}#MSGLOG#{client_id}", scan_index_forward=False,
                                     filter_condition=condition, limit=limit if not status else None))[:limit]


def counts(business_id: str, first: date, last: date) -> list[MessageCountItem]:
    """Per day, kind and channel between two local days (inclusive): one query, days x kinds x channels items."""
    return list(MessageCountItem.query(f"BIZ#{business_id}#MSGCOUNT",
                                       MessageCountItem.sk.between(first.isoformat(), f"{last.isoformat()}~")))


def appointment_from_item(item: AppointmentItem) -> Appointment:
    from .store import _appointment  # the store owns the item <-> appointment mapping

    return _appointment(item)
