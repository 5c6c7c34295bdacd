"""What one change to the agenda writes and says, decided before anything is written (pure)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from chalicelib.domain.agenda_change import LockUnit, agenda_change
from chalicelib.domain.calendar import UTC, Interval
from chalicelib.domain.events import Event, EventName
from chalicelib.domain.model import Appointment, AppointmentStatus as S, ResourceRef, Source
from tests.store_contract import WithDesk

T9 = datetime(2026, 3, 24, 9, tzinfo=UTC)


def appointment(start: datetime = T9, minutes: int = 30, staff: str = "stf_ana", **changes) -> Appointment:
    end = start + timedelta(minutes=minutes)
    values = dict(reference="REF", business_id="biz", client_id="cli", service_id="svc", staff_id=staff,
                  start=start, end=end, busy=Interval(start, end), status=S.CONFIRMED, source=Source.ONLINE,
                  price=Decimal("10"), currency="EUR", created_at=T9 - timedelta(days=1),
                  updated_at=T9 - timedelta(days=1))
    values.update(changes)
    return Appointment(**values)


def units(staff: str, start: datetime, count: int, kind: str = "staff") -> set[LockUnit]:
    return {LockUnit(kind, staff, start + timedelta(minutes=5 * n)) for n in range(count)}


def names(events: tuple[Event, ...]) -> list[EventName]:
    return [e.name for e in events]


def test_a_new_booking_claims_its_professionals_time():
    change = agenda_change(None, appointment(), by="client")
    assert names(change.events) == [EventName.BOOKED] and change.events[0].by == "client"
    assert change.claims == units("stf_ana", T9, 6) and change.releases == frozenset()


def test_a_move_claims_only_the_new_units_and_frees_only_the_old_ones():
    before = appointment()
    after = appointment(start=T9 + timedelta(minutes=15), updated_at=T9)
    change = agenda_change(before, after, by="stf_manager")
    assert change.claims == units("stf_ana", T9 + timedelta(minutes=30), 3)
    assert change.releases == units("stf_ana", T9, 3)
    assert names(change.events) == [EventName.MOVED, EventName.TIME_FREED]
    freed = change.events[1]
    assert freed.resource == ResourceRef("staff", "stf_ana") and freed.interval == Interval(T9, T9 + timedelta(minutes=15))


def test_handing_over_frees_the_first_professional_and_claims_the_second():
    before = appointment()
    change = agenda_change(before, replace(before, staff_id="stf_bea", updated_at=T9), by="stf_desk")
    assert change.claims == units("stf_bea", T9, 6) and change.releases == units("stf_ana", T9, 6)
    assert names(change.events) == [EventName.MOVED, EventName.TIME_FREED]
    assert change.events[1].resource == ResourceRef("staff", "stf_ana")


def test_cancelling_frees_the_whole_busy_time_buffers_included():
    before = appointment(busy=Interval(T9 - timedelta(minutes=10), T9 + timedelta(minutes=45)))
    change = agenda_change(before, before.with_status(S.CANCELLED, T9), by="client")
    assert names(change.events) == [EventName.CANCELLED, EventName.TIME_FREED]
    assert change.events[1].interval == before.busy and change.claims == frozenset()
    assert change.releases == units("stf_ana", T9 - timedelta(minutes=10), 11)


def test_status_changes_that_keep_the_time_move_no_lock():
    pending = appointment(status=S.PENDING)
    approved = agenda_change(pending, pending.with_status(S.CONFIRMED, T9), by="stf_manager")
    assert names(approved.events) == [EventName.APPROVED] and not approved.claims and not approved.releases
    confirmed = appointment()
    arrived = agenda_change(confirmed, confirmed.with_status(S.ARRIVED, T9), by="stf_desk")
    assert names(arrived.events) == [EventName.CHECKED_IN] and not arrived.claims and not arrived.releases


def test_completing_ends_the_hold_on_the_time():
    arrived = appointment(status=S.ARRIVED)
    change = agenda_change(arrived, arrived.with_status(S.COMPLETED, T9), by="stf_ana")
    assert names(change.events) == [EventName.COMPLETED, EventName.TIME_FREED]
    rejected = agenda_change(appointment(status=S.PENDING), appointment(status=S.REJECTED), by="stf_manager")
    assert names(rejected.events) == [EventName.REJECTED, EventName.TIME_FREED]


def test_a_second_resource_kind_is_claimed_beside_the_professional():
    booked = WithDesk(**vars(appointment()))
    change = agenda_change(None, booked, by="client")
    assert change.claims == units("stf_ana", T9, 6) | units("dsk_1", T9, 6, kind="desk")
    moved = replace(booked, desk_id="dsk_2", updated_at=T9)
    desk_change = agenda_change(booked, moved, by="stf_desk")
    assert desk_change.claims == units("dsk_2", T9, 6, kind="desk")
    assert desk_change.releases == units("dsk_1", T9, 6, kind="desk")
    assert [(e.name, e.resource) for e in desk_change.events] == [
        (EventName.MOVED, None), (EventName.TIME_FREED, ResourceRef("desk", "dsk_1"))]


def test_events_survive_their_json_form():
    change = agenda_change(appointment(), appointment().with_status(S.CANCELLED, T9), by="client")
    assert tuple(Event.from_json(e.to_json()) for e in change.events) == change.events
