"""One suite for every AgendaStore: the in-memory fake (tests/unit), moto (tests/api) and DynamoDB Local
(tests/integration) each subclass `AgendaStoreContract` and provide a `store` fixture. Whatever the fake
answers, the real thing answers too; use-case tests on the fake can be trusted.

Each test makes its own business (a fresh id), so the back ends may share tables across tests.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from chalicelib.domain.agenda_change import LockUnit
from chalicelib.domain.availability import instant
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.calendar import Interval
from chalicelib.domain.booking import lock_units
from chalicelib.domain.model import Appointment, AppointmentStatus, Client, ResourceRef, Source, new_reference
from chalicelib.domain.plans import (ItemKind, PlanHold, PlanItem, PlanTerms, PlanUsedUpError, SoldPlan, Validity,
                                     ValidityUnit)
from chalicelib.errors import ConflictError, ContactTakenError, NotFoundError, SlotUnavailableError
from chalicelib.services import agenda_changes
from tests import factories

TUESDAY_11 = datetime.fromisoformat("2026-03-24T11:00:00+01:00")
CUT = factories.services()[0]
NOW = datetime.fromisoformat("2026-03-23T08:00:00+01:00")


def WithDesk(**values) -> Appointment:  # noqa: N802 - reads as the kind of appointment it makes
    """An appointment that also takes desk dsk_1 (domain/desks.py): one more entry in `resources`."""
    return Appointment(**{**values, "desk_id": values.get("desk_id") or "dsk_1"})


class PlanUnitsContract:
    """The plan units condition in the booking's own transaction (domain/plans.py UnitsMove): the fake refuses
    what DynamoDB refuses. Mixed into AgendaStoreContract; `plans` is where a sale is recorded (the store
    itself for the fake, repositories/plans.py otherwise)."""

    @pytest.fixture
    def plans(self, store):
        if hasattr(store, "sell"):
            return store
        from chalicelib.repositories.plans import DynamoPlans
        return DynamoPlans()

    def sold(self, plans, salon, units: int, client_id: str = "cli_a") -> SoldPlan:
        from datetime import date

        terms = PlanTerms("Bono", (PlanItem(ItemKind.SERVICE, CUT.id, units),), CUT.price * units, "EUR",
                          Validity(1, ValidityUnit.MONTHS))
        plan = SoldPlan(f"pln_{uuid.uuid4().hex[:8]}", salon.id, client_id, "tpl_a", terms, date(2026, 3, 23),
                        date(2026, 4, 22), NOW, "stf_ana", (units,))
        plans.sell(plan, [], NOW + timedelta(days=31))
        return plan

    def holding(self, salon, plan: SoldPlan, start: datetime, client_id: str = "cli_a") -> Appointment:
        hold = PlanHold(plan.id, plan.client_id, 0, NOW + timedelta(days=31), 1440)
        return self.appointment(salon, start=start, client_id=client_id, plan=hold)

    def test_the_last_unit_is_held_once_and_the_loser_writes_nothing(self, store, salon, plans):
        plan = self.sold(plans, salon, 1)
        first = self.holding(salon, plan, TUESDAY_11)
        self.book(store, first)
        assert plans.plan(salon.id, "cli_a", plan.id).available == (0,)
        late = self.holding(salon, plan, TUESDAY_11 + timedelta(hours=2))
        with pytest.raises(PlanUsedUpError) as refused:
            self.book(store, late)
        assert refused.value.code == "plan_used_up" and refused.value.field == "plan"
        with pytest.raises(NotFoundError):
            store.appointment(late.reference)
        assert store.contacts_and_locks(salon.id, None, None, [LockUnit("staff", "stf_ana", u) for u in lock_units(late.busy)])[1] == set()
        assert plans.plan(salon.id, "cli_a", plan.id).available == (0,)

    def test_a_cancellation_gives_the_unit_back_and_it_can_be_held_again(self, store, salon, plans):
        plan = self.sold(plans, salon, 1)
        booked = self.holding(salon, plan, TUESDAY_11)
        self.book(store, booked)
        cancelled = replace(booked, status=AppointmentStatus.CANCELLED, updated_at=NOW + timedelta(minutes=5))
        agenda_changes.change(store, booked, cancelled, by="client")
        assert plans.plan(salon.id, "cli_a", plan.id).available == (1,)
        self.book(store, self.holding(salon, plan, TUESDAY_11 + timedelta(hours=2)))
        assert plans.plan(salon.id, "cli_a", plan.id).available == (0,)

    def test_a_unit_of_a_plan_that_is_not_there_is_refused(self, store, salon, plans):
        ghost = SoldPlan("pln_ghost", salon.id, "cli_a", "tpl_a", self.sold(plans, salon, 2).terms,
                         NOW.date(), NOW.date(), NOW, "stf_ana", (2,))
        with pytest.raises(PlanUsedUpError):
            self.book(store, self.holding(salon, ghost, TUESDAY_11))


class AgendaStoreContract(PlanUnitsContract):
    @pytest.fixture
    def salon(self, store):
        suffix = uuid.uuid4().hex[:8]
        return factories.seed(store, factories.salon(id=f"biz_{suffix}", slug=f"salon-{suffix}"))

    def appointment(self, salon, start: datetime = TUESDAY_11, client_id: str = "cli_a", staff: str = "stf_ana",
                    **changes) -> Appointment:
        span, busy = CUT.occupies(start)
        values = dict(reference=new_reference(), business_id=salon.id, client_id=client_id, service_id=CUT.id,
                      staff_id=staff, start=span.start, end=span.end, busy=busy, status=AppointmentStatus.CONFIRMED,
                      source=Source.ONLINE, price=CUT.price, currency="EUR", created_at=NOW, updated_at=NOW)
        values.update(changes)
        return Appointment(**values)

    def book(self, store, appointment, new_client=None):
        return agenda_changes.book(store, appointment, by="client", new_client=new_client)

    # -- the catalog ---------------------------------------------------------------------------
    def test_the_catalog_comes_back_as_saved_and_sorted(self, store, salon):
        catalog = store.catalog(store.business_id(salon.slug))
        assert catalog.business == salon
        assert [s.name for s in catalog.staff] == ["Ana", "Bea"]
        assert [(s.category, s.name) for s in catalog.services] == sorted((s.category, s.name) for s in factories.services())
        assert catalog.member("stf_bea") == factories.staff()[1]

    def test_unknown_businesses_bookings_and_clients_are_not_found(self, store, salon):
        for call in (lambda: store.business_id("nobody-here"), lambda: store.catalog("biz_nobody"),
                     lambda: store.appointment("NOSUCHREF000"), lambda: store.client(salon.id, "cli_nobody")):
            with pytest.raises(NotFoundError):
                call()

    # -- booking -------------------------------------------------------------------------------
    def test_a_booking_is_found_by_reference_by_day_and_by_its_client(self, store, salon):
        client = Client("cli_" + uuid.uuid4().hex[:8], "Eva", "Díaz", "eva@example.com", "+34600000001")
        booked = self.appointment(salon, client_id=client.id, notes="mechas")
        self.book(store, booked, client)
        assert store.appointment(booked.reference) == booked
        day = store.appointments_between(salon.id, TUESDAY_11.replace(hour=0), TUESDAY_11.replace(hour=23))
        assert day == [booked]
        assert store.client(salon.id, client.id) == client
        units = [LockUnit("staff", "stf_ana", u) for u in lock_units(booked.busy)]
        other = [LockUnit("staff", "stf_bea", u) for u in lock_units(booked.busy)]
        assert store.contacts_and_locks(salon.id, "eva@example.com", None, units + other) == (client.id, set(units))
        assert store.contacts_and_locks(salon.id, None, "+34600000001", []) == (client.id, set())
        assert store.contacts_and_locks(salon.id, "new@example.com", None, []) == (None, set())

    def test_a_taken_time_is_refused_and_nothing_of_the_loser_is_written(self, store, salon):
        self.book(store, self.appointment(salon))
        late = self.appointment(salon, start=TUESDAY_11 + timedelta(minutes=15), client_id="cli_late")
        late_client = Client("cli_late", "Late", "Comer", "late@example.com", None)
        with pytest.raises(SlotUnavailableError):
            self.book(store, late, late_client)
        with pytest.raises(NotFoundError):
            store.appointment(late.reference)
        assert store.contacts_and_locks(salon.id, "late@example.com", None, []) == (None, set())

    def test_a_booking_on_top_lands_when_it_says_so(self, store, salon):
        first = self.appointment(salon)
        self.book(store, first)
        on_top = self.appointment(salon, client_id="cli_b", exclusive=False)
        self.book(store, on_top)
        day = store.appointments_between(salon.id, TUESDAY_11.replace(hour=0), TUESDAY_11.replace(hour=23))
        assert {a.reference for a in day} == {first.reference, on_top.reference}

    def test_a_contact_registered_meanwhile_is_refused(self, store, salon):
        self.book(store, self.appointment(salon, client_id="cli_first"),
                  Client("cli_first", "Ana", "Uno", "same@example.com", None))
        twin = Client("cli_twin", "Ana", "Dos", "same@example.com", None)
        with pytest.raises(ContactTakenError):
            self.book(store, self.appointment(salon, start=TUESDAY_11 + timedelta(hours=2), client_id=twin.id), twin)

    def test_when_the_time_and_the_contact_both_fail_the_time_is_the_reason(self, store, salon):
        self.book(store, self.appointment(salon, client_id="cli_first"),
                  Client("cli_first", "Ana", "Uno", "both@example.com", None))
        twin = Client("cli_twin", "Ana", "Dos", "both@example.com", None)
        with pytest.raises(SlotUnavailableError):
            self.book(store, self.appointment(salon, client_id=twin.id), twin)

    # -- changing ------------------------------------------------------------------------------
    def test_a_stale_change_is_refused_and_the_first_one_stays(self, store, salon):
        booked = self.appointment(salon)
        self.book(store, booked)
        moved_start = TUESDAY_11 + timedelta(hours=1)
        span, busy = CUT.occupies(moved_start)
        moved = replace(booked, start=span.start, end=span.end, busy=busy, updated_at=NOW + timedelta(minutes=1))
        agenda_changes.change(store, booked, moved, by="client")
        with pytest.raises(ConflictError) as caught:
            agenda_changes.change(store, booked, booked.with_status(AppointmentStatus.CANCELLED,
                                                                     NOW + timedelta(minutes=2)), by="client")
        assert caught.value.code == "booking_changed"
        assert store.appointment(booked.reference) == moved

    def test_a_cancelled_time_can_be_booked_again(self, store, salon):
        booked = self.appointment(salon)
        self.book(store, booked)
        agenda_changes.change(store, booked, booked.with_status(AppointmentStatus.CANCELLED, NOW), by="client")
        again = self.appointment(salon, client_id="cli_next")
        self.book(store, again)
        assert store.appointment(again.reference) == again

    def test_a_move_onto_a_taken_time_is_refused_and_the_old_time_kept(self, store, salon):
        first = self.appointment(salon)
        second = self.appointment(salon, start=TUESDAY_11 + timedelta(hours=1), client_id="cli_b")
        self.book(store, first)
        self.book(store, second)
        moved = replace(second, start=first.start, end=first.end, busy=first.busy, updated_at=NOW)
        with pytest.raises(SlotUnavailableError):
            agenda_changes.change(store, second, moved, by="client")
        assert store.appointment(second.reference) == second
        units = [LockUnit("staff", "stf_ana", u) for u in lock_units(second.busy)]
        assert store.contacts_and_locks(salon.id, None, None, units)[1] == set(units)

    # -- busy days (what availability reads) -----------------------------------------------------
    def test_busy_time_follows_every_change_per_resource(self, store, salon):
        # given two bookings of Ana on Tuesday, one with a desk
        first = WithDesk(**vars(self.appointment(salon)))
        second = self.appointment(salon, start=TUESDAY_11 + timedelta(hours=2), client_id="cli_b")
        self.book(store, first)
        self.book(store, second)
        tuesday = (TUESDAY_11.replace(hour=0), TUESDAY_11.replace(hour=0) + timedelta(days=1))
        ana, desk = ResourceRef("staff", "stf_ana"), ResourceRef("desk", "dsk_1")
        assert as_busy(store.busy_between(salon.id, *tuesday)) == {ana: {first.busy, second.busy}, desk: {first.busy}}

        # when the first moves within the day, the second moves to Wednesday and then is cancelled
        later = TUESDAY_11 + timedelta(hours=4)
        span, busy = CUT.occupies(later)
        moved = replace(first, start=span.start, end=span.end, busy=busy, updated_at=NOW + timedelta(minutes=1))
        agenda_changes.change(store, first, moved, by="client")
        span, busy = CUT.occupies(TUESDAY_11 + timedelta(days=1))
        wednesday = replace(second, start=span.start, end=span.end, busy=busy, updated_at=NOW + timedelta(minutes=1))
        agenda_changes.change(store, second, wednesday, by="client")

        # then each resource's busy time is where the appointments are now
        both_days = (tuesday[0], tuesday[1] + timedelta(days=1))
        assert as_busy(store.busy_between(salon.id, *both_days)) == {ana: {moved.busy, wednesday.busy},
                                                                    desk: {moved.busy}}
        agenda_changes.change(store, wednesday, wednesday.with_status(AppointmentStatus.CANCELLED,
                                                                      NOW + timedelta(minutes=2)), by="client")
        assert as_busy(store.busy_between(salon.id, *both_days)) == {ana: {moved.busy}, desk: {moved.busy}}

    def test_a_full_transaction_still_moves_the_busy_time(self, store, salon):
        # given the longest service (240 minutes: 48 lock units) booked on Tuesday
        longest = replace(CUT, duration_minutes=220, buffer_before_minutes=10, buffer_after_minutes=10)
        span, busy = longest.occupies(TUESDAY_11)
        booked = self.appointment(salon, start=span.start, end=span.end, busy=busy)
        self.book(store, booked)

        # when staff move it to Wednesday (48 released, 48 claimed, the appointment, its message and the
        # audit entry: 99 items, so only one busy day fits the transaction)
        span, busy = longest.occupies(TUESDAY_11 + timedelta(days=1))
        moved = replace(booked, start=span.start, end=span.end, busy=busy, updated_at=NOW + timedelta(minutes=1))
        audit = AuditEntry(salon.id, NOW, "stf_ana", "ana@example.com", 1, "reschedule", "appointment",
                           booked.reference, {"start": "a"}, {"start": "b"})
        agenda_changes.change(store, booked, moved, by="stf_ana", audit=audit)

        # then the busy time is only where the appointment now is
        week = (TUESDAY_11.replace(hour=0), TUESDAY_11.replace(hour=0) + timedelta(days=2))
        assert as_busy(store.busy_between(salon.id, *week)) == {ResourceRef("staff", "stf_ana"): {moved.busy}}

    # -- several appointments at once (a sequence of services) ----------------------------------
    def test_back_to_back_appointments_land_together_or_not_at_all(self, store, salon):
        client = Client("cli_" + uuid.uuid4().hex[:8], "Eva", "Díaz", "seq@example.com", None)
        first = self.appointment(salon, client_id=client.id)
        second = self.appointment(salon, start=TUESDAY_11 + timedelta(minutes=30), client_id=client.id)
        self.book(store, self.appointment(salon, start=TUESDAY_11 + timedelta(hours=1), client_id="cli_x"))
        clash = self.appointment(salon, start=TUESDAY_11 + timedelta(hours=1), client_id=client.id)
        with pytest.raises(SlotUnavailableError):  # the third one's time is taken: none of the three lands
            agenda_changes.book_all(store, (first, second, clash), by="client", new_client=client)
        for appointment in (first, second):
            with pytest.raises(NotFoundError):
                store.appointment(appointment.reference)
        assert store.contacts_and_locks(salon.id, "seq@example.com", None, []) == (None, set())

        agenda_changes.book_all(store, (first, second), by="client", new_client=client)
        assert [store.appointment(a.reference) for a in (first, second)] == [first, second]
        tuesday = (TUESDAY_11.replace(hour=0), TUESDAY_11.replace(hour=0) + timedelta(days=1))
        busy = as_busy(store.busy_between(salon.id, *tuesday))[ResourceRef("staff", "stf_ana")]
        assert {first.busy, second.busy} <= busy  # one busy-day item, both entries
        assert store.client(salon.id, client.id) == client

    # -- a second resource kind ----------------------------------------------------------------
    def test_a_desk_is_a_second_lock_kind_with_no_new_write_path(self, store, salon):
        self.book(store, WithDesk(**vars(self.appointment(salon))))
        other_professional = WithDesk(**vars(self.appointment(salon, staff="stf_bea", client_id="cli_b")))
        with pytest.raises(SlotUnavailableError):  # Bea is free, the desk is not
            self.book(store, other_professional)
        other_desk = replace(other_professional, desk_id="dsk_2")
        self.book(store, other_desk)
        assert store.appointment(other_desk.reference).staff_id == "stf_bea"

    # -- wrong codes ---------------------------------------------------------------------------
    def test_wrong_code_attempts_are_kept_per_address(self, store, salon):
        store.save_code_failures(salon.id, "10.0.0.1", [100.0, 200.0], 900)
        assert store.recent_code_failures(salon.id, "10.0.0.1", 150.0) == [200.0]
        assert store.recent_code_failures(salon.id, "10.0.0.2", 0.0) == []


def as_busy(found: dict) -> dict:
    """Busy minutes by resource as sets of Intervals, leaving out resources with nothing left."""
    return {resource: {Interval(instant(start), instant(end)) for start, end in times}
            for resource, times in found.items() if times}
