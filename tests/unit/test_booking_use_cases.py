"""The public booking use cases on the in-memory store: no moto, no HTTP, the same rules.

The fake keeps the store's contract (tests/store_contract.py), so what holds here holds on DynamoDB."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.domain.access import manage_token
from chalicelib.domain.agenda_change import LockUnit
from chalicelib.domain.booking import lock_units
from chalicelib.domain.calendar import UTC
from chalicelib.domain.clients import HistoryEntry
from chalicelib.domain.events import EventName
from chalicelib.domain.messages import MessageKind, OutboxMessage
from chalicelib.domain.model import AppointmentStatus, Approval, BookingRules
from chalicelib.domain.search import SearchEntry
from chalicelib.errors import SlotUnavailableError
from chalicelib.services import booking
from chalicelib.services.booking import BookingRequest, ClientDetails
from tests import factories
from tests.fake_store import FakeAgendaStore

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)  # Monday 08:00 in Madrid
TUESDAY_11 = datetime.fromisoformat("2026-03-24T11:00:00+01:00")
KEY = b"test-key"


@pytest.fixture
def store():
    store = FakeAgendaStore()
    factories.seed(store)
    return store


def request(staff: str = "stf_ana", start: datetime = TUESDAY_11, email: str = "eva@example.com",
            phone: str | None = "+34600000001", service: str = "svc_cut") -> BookingRequest:
    return BookingRequest(service, staff, start, ClientDetails("Eva", "Díaz", email, phone))


def book(store, req: BookingRequest | None = None):
    return booking.book(store, "salon", req or request(), "127.0.0.1", NOW)


def messages(store) -> list[OutboxMessage]:
    return [r for r in store.rows if isinstance(r, OutboxMessage)]


def test_a_booking_writes_the_appointment_its_message_its_words_and_the_clients_history(store):
    made = book(store).appointment
    assert store.writes == 1 and made.status is AppointmentStatus.CONFIRMED
    [message] = messages(store)
    assert (message.kind, message.appointment) == (MessageKind.CONFIRMED, made)
    assert HistoryEntry("biz_salon", made.client_id, made.reference) in store.rows
    words = {(r.kind, r.word) for r in store.rows if isinstance(r, SearchEntry)}
    assert {("client", "eva"), ("client", "diaz"), ("client", "600000001"), ("appointment", "eva"),
            ("appointment", "confirmed"), ("appointment", "600000001")} <= words


def test_a_returning_client_is_found_by_phone_and_not_registered_again(store):
    first = book(store).appointment
    again = book(store, request(start=TUESDAY_11 + timedelta(hours=3), email=None)).appointment
    assert again.client_id == first.client_id and len(store.clients) == 1


def test_anyone_skips_a_professional_whose_time_is_held_and_books_a_colleague(store):
    first = book(store, request(staff="any")).appointment
    second = book(store, request(staff="any", email="leo@example.com", phone=None)).appointment
    assert {first.staff_id, second.staff_id} == {"stf_ana", "stf_bea"}
    with pytest.raises(SlotUnavailableError):
        book(store, request(staff="any", email="third@example.com", phone=None))
    assert store.writes == 2


def test_a_race_lost_between_the_read_and_the_write_goes_to_the_next_candidate(store, monkeypatch):
    """Ana looked free when read; her units are taken before the write: Bea gets the booking."""
    busy = [LockUnit("staff", "stf_ana", u) for u in lock_units(factories.services()[0].occupies(TUESDAY_11)[1])]
    peek = store.contacts_and_locks
    monkeypatch.setattr(store, "contacts_and_locks", lambda *a: (peek(*a)[0], set()))
    for unit in busy:
        store.locks[("biz_salon", unit)] = {"SOMEONEELSE1"}
    made = book(store, request(staff="any")).appointment
    assert made.staff_id == "stf_bea"


def test_manual_approval_books_pending_and_says_so(store):
    factories.seed(store, factories.salon(rules=BookingRules(approval=Approval.MANUAL)))
    made = book(store).appointment
    assert made.status is AppointmentStatus.PENDING and messages(store)[0].kind is MessageKind.PENDING


def test_a_client_cancels_from_the_link_and_the_time_is_free_for_the_next(store):
    made = book(store).appointment
    token = manage_token(KEY, made.reference)
    cancelled = booking.cancel_by_client(store, made.reference, token, KEY, NOW).appointment
    assert cancelled.status is AppointmentStatus.CANCELLED
    assert [m.kind for m in messages(store)] == [MessageKind.CONFIRMED, MessageKind.CANCELLED]
    assert "cancelled" in {r.word for r in store.rows if isinstance(r, SearchEntry)}
    assert "confirmed" not in {r.word for r in store.rows if isinstance(r, SearchEntry)}  # the stale word is removed
    assert book(store, request(email="next@example.com", phone=None)).appointment.staff_id == "stf_ana"


def test_a_client_reschedules_and_the_message_names_the_old_time(store):
    made = book(store).appointment
    token = manage_token(KEY, made.reference)
    later = TUESDAY_11 + timedelta(hours=4)
    moved = booking.reschedule_by_client(store, made.reference, token, KEY, later, None, NOW).appointment
    assert moved.start == later and moved.staff_id == "stf_ana"
    last = messages(store)[-1]
    assert (last.kind, last.previous_start) == (MessageKind.RESCHEDULED, made.start)
    held = {u for (biz, u), owners in store.locks.items() if owners}
    assert held == {LockUnit("staff", "stf_ana", u) for u in lock_units(moved.busy)}


def test_availability_reads_the_catalog_and_the_agenda_and_hides_a_booked_time(store):
    book(store)
    _, slots = booking.availability(store, "salon", "svc_cut", "stf_ana", TUESDAY_11.date(), TUESDAY_11.date(),
                                    None, "127.0.0.1", NOW)
    starts = {s.start for s in slots}
    assert TUESDAY_11 not in starts and TUESDAY_11 + timedelta(minutes=30) in starts


def test_every_write_carries_its_events(store, monkeypatch):
    written = []
    write = store.write
    monkeypatch.setattr(store, "write", lambda change: (written.append(change), write(change)))
    made = book(store).appointment
    booking.cancel_by_client(store, made.reference, manage_token(KEY, made.reference), KEY, NOW)
    assert [[e.name for e in c.events] for c in written] == [
        [EventName.BOOKED], [EventName.CANCELLED, EventName.TIME_FREED]]



def test_a_friday_night_slot_is_not_offered_when_saturday_just_after_midnight_is_booked():
    """Given a night shift across midnight, when a client books 00:30 on Saturday, then Friday's
    23:00 and 23:30 are no longer offered for a 90-minute service, though only Friday is asked for."""
    from chalicelib.domain.calendar import WeeklyHours
    from chalicelib.domain.model import Staff

    store = FakeAgendaStore()
    night = WeeklyHours.from_json({"fri": [["20:00", "24:00"]], "sat": [["00:00", "02:00"]]})
    business = factories.salon(opening_hours=night, rules=BookingRules(min_notice_minutes=0, slot_step_minutes=30))
    factories.seed(store, business, members=[Staff("stf_noa", "Noa", frozenset({"svc_cut", "svc_color"}), night)])
    friday = datetime(2026, 3, 27).date()

    def friday_starts():
        _, found = booking.availability(store, "salon", "svc_color", "stf_noa", friday, friday, None, "1", NOW)
        return {s.start.astimezone(business.tz).strftime("%H:%M") for s in found}

    assert {"22:30", "23:00", "23:30"} <= friday_starts()
    late = BookingRequest("svc_cut", "stf_noa", datetime.fromisoformat("2026-03-28T00:30:00+01:00"),
                          ClientDetails("Eva", "Díaz", "eva@example.com", None))
    booking.book(store, "salon", late, "1", NOW)
    assert "22:30" in friday_starts() and not {"23:00", "23:30"} & friday_starts()
