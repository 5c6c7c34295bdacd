"""Desks as the engine's second resource kind, on the in-memory store: availability, "anyone" and the
lowest free number, a named desk, operators, holidays, and moving or cancelling with the desk."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from chalicelib.domain.booking import slots as engine_slots
from chalicelib.domain.calendar import UTC, WeeklyHours
from chalicelib.domain.desks import Desk, Holiday
from chalicelib.domain.model import ResourceRef
from chalicelib.errors import NotFoundError, SlotUnavailableError, UnprocessableError
from chalicelib.services import booking
from chalicelib.services.booking import BookingRequest, ClientDetails
from tests import factories
from tests.fake_store import FakeAgendaStore

NOW = factories.NOW
TUESDAY = date(2026, 3, 24)
TUESDAY_11 = datetime.fromisoformat("2026-03-24T11:00:00+01:00")
KEY = b"test-key"


@pytest.fixture
def store():
    store = FakeAgendaStore()
    factories.seed(store)
    factories.seed_desks(store, needs=("svc_color", "svc_cut"))
    return store


def book(store, staff="stf_ana", start=TUESDAY_11, n=0, service="svc_cut", desk=None):
    request = BookingRequest(service, staff, start, ClientDetails("Eva", str(n), f"e{n}@example.com", None),
                             desk_id=desk)
    return booking.book(store, "salon", request, "127.0.0.1", NOW)


def slots(store, service="svc_cut", staff="any", day=TUESDAY, desk=None):
    return booking.availability(store, "salon", service, staff, day, day, None, "", NOW, desk)[1]


def at(found, start):
    return next((s for s in found if s.start == start), None)


def test_a_slot_says_which_desks_are_free_lowest_number_first(store):
    slot = at(slots(store), TUESDAY_11)
    assert slot.staff == ("stf_ana", "stf_bea") and slot.desks == ("dsk_basin1", "dsk_basin2")


def test_anyone_takes_the_free_desk_with_the_lowest_number_unless_one_is_named(store):
    first = book(store, staff="stf_ana")
    assert first.appointment.desk_id == "dsk_basin1"
    assert first.appointment.resources == (ResourceRef("staff", "stf_ana"), ResourceRef("desk", "dsk_basin1"))
    named = book(store, staff="stf_ana", start=TUESDAY_11 + timedelta(hours=1), n=1, desk="dsk_basin2")
    assert named.appointment.desk_id == "dsk_basin2"
    with pytest.raises(NotFoundError) as error:
        book(store, desk="dsk_colour", n=2)  # the colour station does not wash hair
    assert error.value.field == "desk"


def test_a_desk_with_an_operator_is_free_only_when_its_operator_is(store):
    # Bea operates basin 2 and works from 10:00: at 09:30 only basin 1 is there
    early = at(slots(store, staff="stf_ana"), datetime.fromisoformat("2026-03-24T09:30:00+01:00"))
    assert early.desks == ("dsk_basin1",)
    # Bea busy with a client at 11:00 (at basin 1): basin 2 is not free then either
    book(store, staff="stf_bea", desk="dsk_basin1")
    assert at(slots(store, staff="stf_ana"), TUESDAY_11) is None


def test_only_starts_with_a_free_professional_and_a_free_desk_are_offered(store):
    book(store, staff="stf_ana", n=0)  # basin 1
    book(store, staff="stf_bea", n=1)  # basin 2 (Bea operates it)
    assert at(slots(store), TUESDAY_11) is None  # both desks and both professionals taken
    # a third professional would not help: there is no desk left
    with pytest.raises(SlotUnavailableError):
        book(store, staff="any", n=2)


def test_last_free_desk_goes_to_one_professional(store):
    store.save_desk("biz_salon", replace(factories.desks()[1], open=False))  # basin 2 closed: one desk left
    book(store, staff="stf_ana", n=0)
    assert at(slots(store, staff="stf_bea"), TUESDAY_11) is None  # Bea is free, the desk is not
    with pytest.raises(SlotUnavailableError):
        book(store, staff="stf_bea", n=1)


def test_holidays_close_the_desk_every_year_and_the_desks_hours_count(store):
    color = "svc_color"
    catalog = store.catalog("biz_salon")
    service, ana = catalog.service(color), catalog.member("stf_ana")

    def backoffice_slots(day):  # beyond the online horizon: as the backoffice sees the day
        return engine_slots(catalog, service, [ana], (), day, day, NOW, online=False)

    christmas = date(2026, 12, 25)  # a Friday; the holiday was entered for 2025, every year
    assert backoffice_slots(christmas) == []
    assert backoffice_slots(christmas + timedelta(days=7))  # New Year's day is a Friday like any other
    short = Desk("dsk_colour", 3, frozenset({color}), WeeklyHours.from_json({"tue": [["15:00", "16:30"]]}))
    store.save_desk("biz_salon", short)
    found = slots(store, service=color, staff="stf_ana")
    assert [s.start.astimezone(UTC).strftime("%H:%M") for s in found] == ["14:00"]  # 15:00 local: 90 minutes fit


def test_a_closed_or_missing_desk_means_no_slot(store):
    for desk in factories.desks():
        store.save_desk("biz_salon", replace(desk, open=False))
    assert slots(store) == []


def test_moving_keeps_the_desk_when_free_and_cancelling_frees_it(store):
    from chalicelib.domain.access import manage_token

    first = book(store, staff="stf_ana")
    reference = first.appointment.reference
    moved = booking.reschedule_by_client(store, reference, manage_token(KEY, reference), KEY,
                                         TUESDAY_11 + timedelta(hours=3), None, NOW)
    assert moved.appointment.desk_id == "dsk_basin1"
    busy = store.busy_between("biz_salon", TUESDAY_11 - timedelta(hours=3), TUESDAY_11 + timedelta(hours=8))
    assert len(busy[ResourceRef("desk", "dsk_basin1")]) == 1
    booking.cancel_by_client(store, reference, manage_token(KEY, reference), KEY, NOW)
    assert not any(store.locks.values())  # the desk's time is free with the professional's


def test_holiday_occurrences_span_new_year():
    winter = Holiday(date(2025, 12, 24), date(2026, 1, 6), yearly=True)
    assert winter.covers(date(2027, 1, 2)) and winter.covers(date(2026, 12, 31))
    assert not winter.covers(date(2026, 7, 1))
    leap = Holiday(date(2028, 2, 29), date(2028, 2, 29), yearly=True)
    assert leap.covers(date(2027, 2, 28))


def test_a_desks_special_hours_and_its_operators_both_count(store):
    from chalicelib.domain.special_days import SpecialDays, SpecialHours

    # given basin 1 open only 11:00-12:00 on Tuesday, and Bea (basin 2's operator) off that Tuesday
    store.special_days["biz_salon"] = SpecialDays(hours=(
        SpecialHours("sph_1", TUESDAY, ((660, 720),), "desk", "dsk_basin1"),
        SpecialHours("sph_2", TUESDAY, (), "staff", "stf_bea"),
    ))
    found = slots(store, staff="stf_ana")
    # then Ana's haircuts need basin 1 and find it only from 11:00 to 11:30 (a 30-minute service)
    assert [s.start.astimezone(UTC).strftime("%H:%M") for s in found] == ["10:00", "10:15", "10:30"]
    assert all(s.desks == ("dsk_basin1",) for s in found)


def test_at_a_desk_with_an_operator_the_operator_is_held_too(store):
    # given Ana booked at basin 2, which Bea operates
    ana = book(store, staff="stf_ana", desk="dsk_basin2").appointment
    assert ana.resources == (ResourceRef("staff", "stf_ana"), ResourceRef("desk", "dsk_basin2"),
                             ResourceRef("staff", "stf_bea"))
    # then Bea is not offered at 11:00, and a booking with her is refused by her lock units
    assert at(slots(store, staff="stf_bea"), TUESDAY_11) is None
    with pytest.raises(SlotUnavailableError):
        book(store, staff="stf_bea", n=1, desk="dsk_basin1")
    # and Bea's own booking at her desk holds nobody else
    later = book(store, staff="stf_bea", start=TUESDAY_11 + timedelta(hours=2), n=2, desk="dsk_basin2").appointment
    assert later.operator_id is None and later.resources[-1] == ResourceRef("desk", "dsk_basin2")
