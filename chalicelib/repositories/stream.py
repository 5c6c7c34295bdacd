"""The table's stream in domain terms: which events a committed change recorded, which outbox
messages were just written. Records are DynamoDB-JSON images, as Lambda and DynamoDB Local give them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..domain.events import Event
from ..domain.model import Appointment
from ..domain.messages import OutboxMessage
from . import codecs
from .tables import AppointmentItem, AuditItem, Item, OutboxItem, SoldPlanItem


@dataclass(frozen=True)
class AppointmentRecord:
    """An appointment item as one stream record left it (None: removed), with the record's sequence number."""

    sequence: str
    business_id: str
    reference: str
    appointment: Appointment | None


@dataclass(frozen=True)
class PlanRecord:
    """A sold plan's units as one stream record changed them: what was available to book before and after
    (per item; `before` None when the record is the sale itself)."""

    business_id: str
    client_id: str
    plan_id: str
    before: tuple[int, ...] | None
    after: tuple[int, ...]
    expired: bool


@dataclass
class StreamBatch:
    events: list[Event] = field(default_factory=list)
    new_messages: list[OutboxMessage] = field(default_factory=list)
    appointments: list[AppointmentRecord] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)


def read(records: Iterable[dict]) -> StreamBatch:
    """Each record is {"eventName", "dynamodb": {"NewImage", ...}} as the stream gives it.

    A change puts the appointment afresh with its events; reminder bookkeeping updates the same item
    and removes them (repositories/messages.py), so only the change's own record carries them. A
    backoffice change of the calendar carries its events on its audit entry, written once (INSERT)."""
    batch = StreamBatch()
    for record in records:
        images = record.get("dynamodb") or {}
        if record.get("eventName") == "REMOVE":
            old = _item(images.get("OldImage"))
            if isinstance(old, AppointmentItem):
                batch.appointments.append(AppointmentRecord(images["SequenceNumber"], old.business_id,
                                                            old.reference, None))
            continue
        if record.get("eventName") not in ("INSERT", "MODIFY"):
            continue
        new = _item(images.get("NewImage"))
        if isinstance(new, AppointmentItem):
            batch.events.extend(codecs.events(new))
            batch.appointments.append(AppointmentRecord(images["SequenceNumber"], new.business_id, new.reference,
                                                        codecs.appointment(new)))
        elif isinstance(new, OutboxItem) and record["eventName"] == "INSERT":
            batch.new_messages.append(codecs.outbox_message(new))
        elif isinstance(new, SoldPlanItem):
            old = _item(images.get("OldImage"))
            before = tuple(int(n) for n in old.available) if isinstance(old, SoldPlanItem) else None
            batch.plans.append(PlanRecord(new.pk.split("#")[1], new.client_id, new.id, before,
                                          tuple(int(n) for n in new.available), bool(new.expired)))
        elif isinstance(new, AuditItem) and record["eventName"] == "INSERT":  # a calendar change's events
            batch.events.extend(codecs.events(new))
    return batch


def _item(image: dict | None) -> Item | None:
    if not image or "kind" not in image:
        return None
    try:
        return Item.from_raw_data(image)
    except ValueError:  # a kind this version does not know (written by a newer one): not ours to read
        return None
