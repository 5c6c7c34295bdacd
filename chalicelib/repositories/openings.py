"""Openings (domain/openings.py) and their holds in DynamoDB.

Item `BIZ#<business>#OPENING` / `<opening id>` (ids sort by when the time was freed: a period's figures are
one key range). While a request holds it, the opening sits in the sparse `due` index (`DUE#HOLD#<UTC day>`,
by `held_until`): the release job queries that, never the openings. Every write of an opening is
conditional on the version read (`updated_at`), so of two overlapping job runs, or a job and an accept,
exactly one moves it on.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DoesNotExist

from ..domain.agenda_change import LockUnit, held_units
from ..domain.calendar import UTC, Interval
from ..domain.messages import OutboxMessage
from ..domain.model import Appointment, AppointmentStatus
from ..domain.openings import HoldGivenBack, Opening, OpeningStatus, id_floor
from ..domain.waitlist import WaitlistRequest
from ..domain.waitlist_settings import OfferMode
from ..errors import ConflictError, NotFoundError, SlotUnavailableError
from . import busy_days, codecs, holds
from .codecs import due_key, iso, outbox_item
from .store import LOCK_GRACE, lock_key
from .tables import Item, LockItem
from .transactions import Refusals, Transaction
from .waitlist import WaitlistRequestItem, request_item

HOLD_QUEUE = "HOLD"
PERIOD_ROWS = 1000  # openings read for a period's figures, at most


class OpeningItem(Item, discriminator="opening"):
    id = UnicodeAttribute()
    business_id = UnicodeAttribute()
    service_id = UnicodeAttribute()
    staff_id = UnicodeAttribute()
    start = UTCDateTimeAttribute()
    end = UTCDateTimeAttribute()
    busy_start = UTCDateTimeAttribute()
    busy_end = UTCDateTimeAttribute()
    mode = UnicodeAttribute()
    status = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    freed_by = UnicodeAttribute()
    round = NumberAttribute(default=0)
    holder = UnicodeAttribute(null=True)
    held_until = UTCDateTimeAttribute(null=True)
    offered = JSONAttribute(default=list)
    rounds = JSONAttribute(default=list)
    reference = UnicodeAttribute(null=True)
    filled_at = UTCDateTimeAttribute(null=True)
    desk_id = UnicodeAttribute(null=True)  # absent on openings stored before holds kept a desk
    operator_id = UnicodeAttribute(null=True)


def opening_pk(business_id: str) -> str:
    return f"BIZ#{business_id}#OPENING"


def opening_item(o: Opening) -> OpeningItem:
    item = OpeningItem(
        pk=opening_pk(o.business_id), sk=o.id, id=o.id, business_id=o.business_id, service_id=o.service_id,
        staff_id=o.staff_id, start=o.start, end=o.end, busy_start=o.busy.start, busy_end=o.busy.end,
        mode=o.mode.value, status=o.status.value, created_at=o.created_at, updated_at=o.updated_at,
        freed_by=o.freed_by, round=o.round, holder=o.holder, held_until=o.held_until, offered=list(o.offered),
        rounds=list(o.rounds), reference=o.reference, filled_at=o.filled_at, desk_id=o.desk_id,
        operator_id=o.operator_id,
        expires_at=o.end + timedelta(days=400),  # kept a year for the figures, then TTL removes it
    )
    if o.status is OpeningStatus.HELD and o.held_until is not None:
        item.due_pk, item.due_sk = due_key(HOLD_QUEUE, o.held_until, f"{o.business_id}#{o.id}")
    return item


def opening(item: OpeningItem) -> Opening:
    return Opening(
        id=item.id, business_id=item.business_id, service_id=item.service_id, staff_id=item.staff_id,
        start=item.start, end=item.end, busy=Interval(item.busy_start, item.busy_end), mode=OfferMode(item.mode),
        status=OpeningStatus(item.status), created_at=item.created_at, updated_at=item.updated_at,
        freed_by=item.freed_by, round=int(item.round or 0), holder=item.holder, held_until=item.held_until,
        offered=tuple(item.offered or ()), rounds=tuple(item.rounds or ()), reference=item.reference,
        filled_at=item.filled_at, desk_id=item.desk_id, operator_id=item.operator_id,
    )


codecs.ENCODERS[Opening] = opening_item  # an opening rides in the agenda change that fills it


def given_back(g: HoldGivenBack) -> tuple[LockItem, list, object]:
    """A unit an accepted hold leaves: its hold marks go, only if still this hold's (else: changed meanwhile)."""
    lock = LockItem(**dict(zip(("pk", "sk"), lock_key(g.business_id, g.unit))))
    return lock, [LockItem.held_by.remove(), LockItem.held_until.remove()], LockItem.held_by == g.hold


codecs.GUARDED[HoldGivenBack] = (given_back, "record")


def get(business_id: str, opening_id: str) -> Opening:
    if not (isinstance(opening_id, str) and opening_id.startswith("op_") and len(opening_id) <= 40):
        raise NotFoundError("no such offer", field="offer")
    try:
        return opening(OpeningItem.get(opening_pk(business_id), opening_id, consistent_read=True))
    except DoesNotExist:
        raise NotFoundError("no such offer", field="offer") from None


def between(business_id: str, first: datetime, last: datetime) -> list[Opening]:
    """Openings freed in [first, last): one key range of one partition."""
    rows = OpeningItem.query(opening_pk(business_id), OpeningItem.sk.between(id_floor(first), id_floor(last)),
                             limit=PERIOD_ROWS)
    return [opening(i) for i in rows]


def expired_holds(now: datetime) -> list[Opening]:
    """Openings whose hold ended by `now` (inclusive), across businesses: the `due` index, today and the
    two days before (a job that was down a while still finds them)."""
    today = now.astimezone(UTC).date()
    found = []
    for back in range(3):
        day = today - timedelta(days=back)
        rows = Item.due.query(f"DUE#{HOLD_QUEUE}#{day.isoformat()}", Item.due_sk <= f"{iso(now)}~")
        found += [opening(i) for i in rows if isinstance(i, OpeningItem)]
    return found


# -- writes ---------------------------------------------------------------------------------------------------
class OpeningChangedError(ConflictError):
    code = "offer_changed"


REFUSALS: Refusals = {
    "lock": lambda: SlotUnavailableError("that time is no longer free", field="start"),
    "changed": lambda: OpeningChangedError("the offer changed meanwhile", field="offer"),
}


def write(before: Opening | None, after: Opening, requests: list[tuple[WaitlistRequest, WaitlistRequest]],
          messages: Sequence[OutboxMessage] = ()) -> None:
    """Write one step of an opening, all or nothing: the opening (new, or as read), its requests (as read),
    and its hold moved along: claimed when it starts holding, its end moved when passed on, given back
    when it stops (its busy-day entry with it). SlotUnavailableError: the time was taken before the hold;
    OpeningChangedError: someone else moved the opening (or a request) on first."""
    held_before = before is not None and before.status is OpeningStatus.HELD
    held_after = after.status is OpeningStatus.HELD
    units = sorted(held_units(after.as_appointment())) if (held_before or held_after) else []
    mine = _still_mine(after, units) if held_before and not held_after else units
    with Transaction(REFUSALS) as tx:
        item = opening_item(after)
        condition = Item.pk.does_not_exist() if before is None else OpeningItem.updated_at == before.updated_at
        tx.save(item, condition, refused="changed")
        for old, new in requests:
            tx.save(request_item(new), WaitlistRequestItem.updated_at == old.updated_at, refused="changed")
        for message in messages:  # the offer's messages, once per round (domain/offer_messages.py)
            tx.save(outbox_item(message), Item.pk.does_not_exist(), refused="changed")
        for unit in mine:
            lock = LockItem(**dict(zip(("pk", "sk"), lock_key(after.business_id, unit))))
            if held_after and not held_before:
                tx.update(lock, [LockItem.held_by.set(after.id), LockItem.held_until.set(_epoch(after.held_until)),
                                 LockItem.kind.set(LockItem), LockItem.expires_at.set(unit.start + LOCK_GRACE)],
                          holds.hold_condition(after.updated_at), refused="lock")
            elif held_after:
                tx.update(lock, [LockItem.held_until.set(_epoch(after.held_until))],
                          (LockItem.held_by == after.id) & LockItem.owners.does_not_exist(), refused="lock")
            else:
                tx.update(lock, [LockItem.held_by.remove(), LockItem.held_until.remove()],
                          LockItem.held_by == after.id, refused="changed")
        if held_after != held_before:
            shown = after.as_appointment()
            for busy_day, actions in busy_days.updates(None if held_after else shown,
                                                       shown if held_after else _gone(shown)):
                tx.update(busy_day, actions)


def _still_mine(after: Opening, units: list[LockUnit]) -> list[LockUnit]:
    """The units this opening still holds (a booking may have taken some once the hold ran out, and another
    opening may hold them since): only those are given back."""
    keys = {lock_key(after.business_id, u): u for u in units}
    found = LockItem.batch_get(list(keys), consistent_read=True) if keys else []
    return sorted(keys[(i.pk, i.sk)] for i in found if getattr(i, "held_by", None) == after.id)


def _gone(appointment: Appointment) -> Appointment:
    """The hold as no longer holding time: its busy-day entries go."""
    return appointment.with_status(AppointmentStatus.CANCELLED, appointment.updated_at)


def _epoch(instant: datetime | None) -> int:
    return int(instant.timestamp())
