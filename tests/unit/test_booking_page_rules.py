"""The rules behind what the booking page offers (issue 11): change or cancel only within the policy,
the services a code opens, the client's phone as a person reads it. Use cases on the in-memory store."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from chalicelib.domain.calendar import UTC
from chalicelib.domain.changes import client_may_change
from chalicelib.domain.contact import display_phone
from chalicelib.domain.model import AppointmentStatus, ClientChanges
from chalicelib.errors import ForbiddenError, TooManyAttemptsError
from chalicelib.services import booking
from chalicelib.services.booking import BookingRequest, ClientDetails
from tests import factories
from tests.fake_store import FakeAgendaStore

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)  # Monday 08:00 in Madrid
TUESDAY_11 = datetime.fromisoformat("2026-03-24T11:00:00+01:00")  # 27 hours ahead
MONDAY_12 = datetime.fromisoformat("2026-03-23T12:00:00+01:00")  # 4 hours ahead: inside the 24-hour notice


def booked(start: datetime, **rules):
    store = FakeAgendaStore()
    factories.seed(store, factories.salon(rules=replace(factories.salon().rules, **rules)))
    made = booking.book(store, "salon", BookingRequest("svc_cut", "stf_ana", start,
                                                       ClientDetails("Eva", "Díaz", "eva@example.com", None)),
                        "127.0.0.1", NOW)
    return made.business, made.appointment


def test_a_client_may_change_a_booking_until_the_notice_and_not_after():
    business, appointment = booked(TUESDAY_11)
    assert client_may_change(business, appointment, NOW)
    assert client_may_change(business, appointment, TUESDAY_11 - timedelta(hours=24))
    assert not client_may_change(business, appointment, TUESDAY_11 - timedelta(hours=24) + timedelta(seconds=1))


def test_a_booking_made_inside_the_notice_cannot_be_changed_online_from_the_start():
    business, appointment = booked(MONDAY_12)
    assert not client_may_change(business, appointment, NOW)


@pytest.mark.parametrize("changes, allowed", [(ClientChanges.OFF, False), (ClientChanges.ANYTIME, True)])
def test_the_business_policy_decides(changes, allowed):
    business, appointment = booked(MONDAY_12, client_changes=changes)
    assert client_may_change(business, appointment, NOW) is allowed


def test_a_cancelled_booking_cannot_be_changed():
    business, appointment = booked(TUESDAY_11)
    assert not client_may_change(business, appointment.with_status(AppointmentStatus.CANCELLED, NOW), NOW)


# -- the services a code opens -------------------------------------------------------------------

@pytest.fixture
def locked_store():
    """The salon locked by a business code; Bea (who only cuts) also has a personal code."""
    store = FakeAgendaStore()
    members = factories.staff()
    members[1] = replace(members[1], secret_code="7788")
    factories.seed(store, factories.salon(secret_code="202611"), members=members)
    return store


def offered(store, code=None, address="10.0.0.1"):
    return [s.id for s in booking.public_services(store, "salon", code, address, NOW)[1]]


def test_a_personal_code_lists_only_its_professionals_services(locked_store):
    assert offered(locked_store, "7788") == ["svc_cut"]


def test_the_business_code_or_no_code_lists_every_public_service(locked_store):
    assert offered(locked_store, "202611") == offered(locked_store) == ["svc_color", "svc_cut"]


def test_in_an_open_business_a_personal_code_hides_nothing_anyone_else_performs():
    store = FakeAgendaStore()
    members = factories.staff()
    members[0] = replace(members[0], secret_code="5150")  # Ana, the only one who colours, is locked
    factories.seed(store, members=members)
    assert offered(store, "5150") == ["svc_color", "svc_cut"]


def test_a_wrong_code_for_the_services_counts_towards_the_throttle(locked_store):
    for attempt in range(5):
        with pytest.raises(ForbiddenError) as refused:
            offered(locked_store, f"000{attempt}")
        assert refused.value.code == "invalid_code"
    with pytest.raises(TooManyAttemptsError):
        offered(locked_store, "7788")
    assert offered(locked_store, "7788", address="10.0.0.2") == ["svc_cut"]


# -- the client's phone --------------------------------------------------------------------------

@pytest.mark.parametrize("phone, region, shown", [
    ("+34612345678", "ES", "612 34 56 78"),  # at home: national
    ("+34612345678", "CZ", "+34 612 34 56 78"),  # abroad: international
    ("+420601234567", "CZ", "601 234 567"),
    ("+447700900123", "ES", "+44 7700 900123"),
    ("+447700900123", None, "+44 7700 900123"),
    ("not a number", "ES", "not a number"),
])
def test_a_phone_is_shown_nationally_at_home_and_internationally_otherwise(phone, region, shown):
    assert display_phone(phone, region) == shown
