"""The waiting list's holds against DynamoDB Local: real transactions decide who gets a held time."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.domain.model import AppointmentStatus
from chalicelib.domain.openings import offer_token
from chalicelib.repositories import openings as opening_store
from chalicelib.repositories.tables import LockItem
from chalicelib.services import booking, openings, waitlist
from tests import factories
from tests.factories import NOW
from tests.integration.test_races import RACERS, lock_owners, run_together

pytestmark = pytest.mark.slow
KEY = b"integration-signing-key"
TUESDAY_11 = datetime.fromisoformat("2026-03-24T11:00:00+01:00")
MORNING = {"from": "2026-03-24", "to": "2026-03-24", "start": "09:00", "end": "13:00"}


def held_time(store, salon):
    """A Tuesday 11:00 haircut with Ana cancelled, and two requests waiting: the first one now holds it."""
    request = booking.BookingRequest("svc_cut", "stf_ana", TUESDAY_11,
                                     booking.ClientDetails("Busy", "Client", "busy@example.com", None))
    made = booking.book(store, salon.slug, request, "127.0.0.1", NOW)
    joined = [waitlist.join(store, salon.slug, {
        "service": "svc_cut", "staff": "stf_ana", "windows": [MORNING],
        "client": {"first_name": f"W{n}", "email": f"w{n}@example.com"}}, NOW - timedelta(minutes=10 - n))
        for n in range(2)]
    before = made.appointment
    change = factories.change(store, before, before.with_status(AppointmentStatus.CANCELLED, NOW))
    [freed] = [e for e in change.events if e.name.value == "time_freed"]
    opening = openings.on_time_freed(store, freed, NOW)
    assert opening is not None and opening.holder == joined[0].id
    return opening, joined


def test_fifty_accepts_of_one_offer_book_once(store, salon):
    opening, joined = held_time(store, salon)
    token = offer_token(KEY, opening.id, joined[0].id, 1)
    outcomes = run_together(*[lambda: openings.accept(store, salon.slug, opening.id, joined[0].id, 1, token, KEY, NOW)
                              for _ in range(RACERS)])
    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(won) == 1, outcomes
    assert {getattr(o, "code", repr(o)) for o in outcomes if o not in won} == {"offer_used"}
    owners = lock_owners(salon, "stf_ana")
    assert set(map(frozenset, owners.values())) == {frozenset({won[0].reference})}
    assert opening_store.get(salon.id, opening.id).reference == won[0].reference


def test_while_held_the_booking_page_cannot_book_it_and_after_the_hold_one_of_two_racers_does(store, salon):
    opening, joined = held_time(store, salon)
    public = booking.BookingRequest("svc_cut", "stf_ana", TUESDAY_11,
                                    booking.ClientDetails("Other", "Client", "other@example.com", None))
    with pytest.raises(booking.SlotUnavailableError):
        booking.book(store, salon.slug, public, "127.0.0.1", NOW + timedelta(minutes=14))
    ended = opening.held_until  # inclusive: the hold is over at its end
    token = offer_token(KEY, opening.id, joined[0].id, 1)
    outcomes = run_together(lambda: openings.accept(store, salon.slug, opening.id, joined[0].id, 1, token, KEY, ended),
                            lambda: booking.book(store, salon.slug, public, "127.0.0.1", ended))
    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(won) == 1, outcomes
    owners = lock_owners(salon, "stf_ana")
    assert len(owners) == 6 and len({frozenset(o) for o in owners.values()}) == 1


def test_overlapping_release_runs_pass_the_hold_on_once(store, salon):
    opening, joined = held_time(store, salon)
    ended = opening.held_until
    reports = run_together(*[lambda: openings.release_expired(store, ended) for _ in range(8)])
    moved = opening_store.get(salon.id, opening.id)
    assert (moved.round, moved.holder) == (2, joined[1].id)
    assert [r["outcome"] for r in moved.rounds] == ["expired", None]
    assert all(isinstance(r, dict) for r in reports), reports  # the tables are shared: other tests' holds count too
    assert [waitlist.repository.get(salon.id, r.id).status.value for r in joined] == ["waiting", "offered"]


def test_a_held_desk_raced_by_every_other_professionals_client_goes_to_the_holder(store, salon):
    """The one basin held with Ana for the first request: 49 clients of other professionals book it at the
    same time as the holder accepts; the hold's lock units decide, so only the holder's booking lands."""
    staff_ids = factories.seed_last_desk(store, salon.id, professionals=RACERS - 1)
    made = booking.book(store, salon.slug, booking.BookingRequest(
        "svc_cut", "stf_ana", TUESDAY_11, booking.ClientDetails("Busy", "Client", "busy@example.com", None)),
        "127.0.0.1", NOW)
    joined = waitlist.join(store, salon.slug, {"service": "svc_cut", "staff": "stf_ana", "windows": [MORNING],
                                               "client": {"first_name": "W", "email": "w@example.com"}}, NOW)
    before = made.appointment
    change = factories.change(store, before, before.with_status(AppointmentStatus.CANCELLED, NOW))
    freed = next(e for e in change.events if e.name.value == "time_freed" and e.resource.kind == "staff")
    opening = openings.on_time_freed(store, freed, NOW)
    assert (opening.holder, opening.desk_id) == (joined.id, "dsk_only")
    token = offer_token(KEY, opening.id, joined.id, 1)
    others = [lambda n=n: booking.book(store, salon.slug, booking.BookingRequest(
        "svc_cut", staff_ids[n], TUESDAY_11, booking.ClientDetails("O", str(n), f"o{n}@example.com", None)),
        "127.0.0.1", NOW) for n in range(RACERS - 1)]
    outcomes = run_together(lambda: openings.accept(store, salon.slug, opening.id, joined.id, 1, token, KEY, NOW),
                            *others)
    assert not isinstance(outcomes[0], Exception), outcomes[0]
    assert all(isinstance(o, booking.SlotUnavailableError) for o in outcomes[1:]), outcomes
    desk = {lock.sk: set(lock.owners) for lock in LockItem.query(f"LOCK#{salon.id}#desk#dsk_only") if lock.owners}
    assert len(desk) == 6 and all(o == {outcomes[0].reference} for o in desk.values()), desk
