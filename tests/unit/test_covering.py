"""A change that covers existing appointments (domain/covering.py, services/covering.py), on the fakes:
refused with the list, or the appointments cancelled through the ordinary cancel path."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.calendar import UTC, Interval
from chalicelib.domain.covering import AFFECTED, AppointmentsAffectedError, Covering, outside, whole_days
from chalicelib.domain.messages import MessageKind, OutboxMessage
from chalicelib.domain.model import Appointment, AppointmentStatus, ResourceRef, Source
from chalicelib.domain.principal import Level, Principal
from chalicelib.errors import ValidationError
from chalicelib.services import covering
from tests import factories
from tests.fake_store import FakeAgendaStore

NOW = factories.NOW  # Monday 23 March 2026, 08:00 Madrid
MADRID = ZoneInfo("Europe/Madrid")
OWNER = Principal("biz_salon", "stf_owner", Level.ADMIN, "owner@example.com")
WEDNESDAY = date(2026, 3, 25)


class Names:
    """The clients' names, as ClientRepository.many gives them."""

    def many(self, business_id, ids):
        from chalicelib.domain.model import Client
        return {i: Client(i, "Eva", f"Client {i}") for i in ids}


@pytest.fixture
def store():
    store = FakeAgendaStore()
    factories.seed(store)
    return store


def booked(store, start: str, staff: str = "stf_ana", reference: str = "REF1",
           status: AppointmentStatus = AppointmentStatus.CONFIRMED) -> Appointment:
    at = datetime.fromisoformat(start).astimezone(UTC)
    appointment = Appointment(reference, "biz_salon", f"cli_{reference}", "svc_cut", staff, at,
                              at + timedelta(minutes=30), Interval(at, at + timedelta(minutes=30)), status,
                              Source.BACKOFFICE, factories.services()[0].price, "EUR", NOW, NOW)
    factories.book(store, appointment)
    return appointment


def settle(store, cover: Covering, choice: str = "refuse", saved: list | None = None):
    saved = saved if saved is not None else []
    return covering.settle(store, Names(), OWNER, cover, choice, NOW, reason="closure: test",
                           save=lambda: saved.append("saved"), undo=lambda: saved.append("undone"))


def test_a_closure_over_a_booked_day_is_refused_with_the_list_and_nothing_is_written(store):
    # given an appointment on Wednesday with Ana and one on Thursday
    wednesday = booked(store, "2026-03-25T10:00:00+01:00")
    booked(store, "2026-03-26T10:00:00+01:00", reference="REF2")
    writes, saved = store.writes, []

    # when the whole business closes on Wednesday, saying nothing about its appointments
    with pytest.raises(AppointmentsAffectedError) as refused:
        settle(store, Covering(whole_days([WEDNESDAY], MADRID)), saved=saved)

    # then 409 appointments_affected lists Wednesday's appointment only, and nothing changed
    assert refused.value.code == AFFECTED and refused.value.field == "on_conflict"
    [listed] = refused.value.details["appointments"]
    assert listed == {"reference": wednesday.reference, "start": "2026-03-25T10:00:00+01:00",
                      "end": "2026-03-25T10:30:00+01:00", "status": "confirmed",
                      "client": "Eva Client cli_REF1",
                      "resources": [{"kind": "staff", "id": "stf_ana", "name": "Ana"}]}
    assert saved == [] and store.writes == writes


def test_cancel_cancels_each_through_the_ordinary_path_with_its_message_and_audit_entry(store):
    # given two appointments on Wednesday, Ana's and Bea's, and a cancelled one
    booked(store, "2026-03-25T10:00:00+01:00")
    booked(store, "2026-03-25T12:00:00+01:00", staff="stf_bea", reference="REF2")
    booked(store, "2026-03-25T15:00:00+01:00", reference="REF3", status=AppointmentStatus.CANCELLED)
    saved = []

    # when the business closes on Wednesday with on_conflict "cancel"
    done = settle(store, Covering(whole_days([WEDNESDAY], MADRID)), "cancel", saved)

    # then the closure is saved, both live ones are cancelled, each with the client's message and an audit entry
    assert saved == ["saved"]
    assert [d["reference"] for d in done] == ["REF1", "REF2"]
    assert {store.appointments[r].status for r in ("REF1", "REF2")} == {AppointmentStatus.CANCELLED}
    cancelled_messages = [r for r in store.rows if isinstance(r, OutboxMessage) and r.kind is MessageKind.CANCELLED]
    assert sorted(m.appointment.reference for m in cancelled_messages) == ["REF1", "REF2"]
    entries = [r for r in store.rows if isinstance(r, AuditEntry) and r.action == "appointment.cancel"]
    assert {e.target_id for e in entries} == {"REF1", "REF2"}
    assert all(e.after["reason"] == "closure: test" and e.actor_id == "stf_owner" for e in entries)
    [day] = whole_days([WEDNESDAY], MADRID)
    assert not store.busy_between("biz_salon", day.start, day.end)  # their time is free again


def test_only_the_resources_concerned_count(store):
    # given Ana and Bea both booked on Wednesday
    booked(store, "2026-03-25T10:00:00+01:00")
    booked(store, "2026-03-25T12:00:00+01:00", staff="stf_bea", reference="REF2")

    # when only Bea stops working that day
    with pytest.raises(AppointmentsAffectedError) as refused:
        settle(store, Covering(whole_days([WEDNESDAY], MADRID), frozenset({ResourceRef("staff", "stf_bea")})))

    # then only Bea's appointment is listed
    assert [a["reference"] for a in refused.value.details["appointments"]] == ["REF2"]


def test_special_hours_affect_only_what_no_longer_fits(store):
    # given appointments at 09:00, 10:30 and 13:45 on Wednesday
    for hour, ref in (("09:00", "A"), ("10:30", "B"), ("13:45", "C")):
        booked(store, f"2026-03-25T{hour}:00+01:00", reference=ref)

    # when Wednesday becomes 10:00-14:00 only
    with pytest.raises(AppointmentsAffectedError) as refused:
        settle(store, Covering(outside(WEDNESDAY, [(600, 840)], MADRID)))

    # then 09:00 (before the opening) and 13:45 (running past 14:00) are listed, 10:30 is not
    assert [a["reference"] for a in refused.value.details["appointments"]] == ["A", "C"]


def test_nothing_covered_saves_and_reports_nothing(store):
    booked(store, "2026-03-26T10:00:00+01:00")
    saved = []
    assert settle(store, Covering(whole_days([WEDNESDAY], MADRID)), saved=saved) == [] and saved == ["saved"]


def test_past_appointments_are_not_touched(store):
    # given an appointment that ended before now (still confirmed: nobody completed it)
    booked(store, "2026-03-23T07:00:00+01:00")
    saved = []
    # when the business records a closure for today
    assert settle(store, Covering(whole_days([date(2026, 3, 23)], MADRID)), "cancel", saved) == []
    assert store.appointments["REF1"].status is AppointmentStatus.CONFIRMED


def test_a_booking_that_lands_between_the_check_and_the_save_takes_the_change_back(store):
    # given a closure whose save lets a booking land just before it is stored (a race, played in order)
    saved = []

    def save():
        booked(store, "2026-03-25T10:00:00+01:00", reference="LATE")
        saved.append("saved")

    # when it is refused by default
    with pytest.raises(AppointmentsAffectedError) as refused:
        covering.settle(store, Names(), OWNER, Covering(whole_days([WEDNESDAY], MADRID)), "refuse", NOW,
                        reason="x", save=save, undo=lambda: saved.append("undone"))

    # then the change is taken back and the 409 names what landed
    assert saved == ["saved", "undone"]
    assert [a["reference"] for a in refused.value.details["appointments"]] == ["LATE"]


def test_an_appointment_changed_meanwhile_is_cancelled_as_it_now_is(store):
    # given an appointment that somebody edits (notes) after the closure read it
    first = booked(store, "2026-03-25T10:00:00+01:00")
    stale = [first]
    factories.change(store, first, replace(first, notes="call first", updated_at=NOW + timedelta(seconds=1)))
    ctx = covering.Context(store, Names(), OWNER, store.catalog("biz_salon"), NOW,
                           Covering(whole_days([WEDNESDAY], MADRID)), "closure")

    # when the cancel strategy runs on the stale copy
    done = covering.cancel(ctx, stale)

    # then it reads it again and cancels it anyway
    assert [d["reference"] for d in done] == ["REF1"]
    assert store.appointments["REF1"].status is AppointmentStatus.CANCELLED
    assert store.appointments["REF1"].notes == "call first"


def test_on_conflict_accepts_only_known_strategies():
    assert covering.checked_choice(None) == "refuse" and covering.checked_choice("cancel") == "cancel"
    with pytest.raises(ValidationError) as bad:
        covering.checked_choice("ignore")
    assert (bad.value.code, bad.value.field) == ("invalid_choice", "on_conflict")


def test_whole_days_follow_dst_days_in_madrid():
    # the last Sunday of March has 23 hours, of October 25; consecutive days are one interval
    [march] = whole_days([date(2026, 3, 29)], MADRID)
    [october] = whole_days([date(2026, 10, 25)], MADRID)
    assert march.minutes == 23 * 60 and october.minutes == 25 * 60
    [both] = whole_days([date(2026, 3, 28), date(2026, 3, 29)], MADRID)
    assert both.minutes == 47 * 60
