"""Clients racing for the same time, against DynamoDB Local: its transactions decide, as on AWS.

Every racer's outcome is kept (not just the expected ones) and shown when an assertion fails.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from chalicelib.domain.access import manage_token
from chalicelib.domain.calendar import UTC
from chalicelib.errors import SlotUnavailableError
from chalicelib.repositories.tables import LockItem
from chalicelib.services import booking
from chalicelib.services.booking import BookingRequest, ClientDetails
from tests.factories import NOW

pytestmark = pytest.mark.slow

RACERS = 50  # as the issue asks; tests/api/test_race.py runs the same races on moto
KEY = b"integration-signing-key"


def run_together(*calls):
    """Start every call at the same moment (a barrier), return each one's result or exception."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=30)
        try:
            return call()
        except Exception as error:
            return error

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def book_call(store, salon, start: str, staff: str, n: int, service: str = "svc_cut"):
    request = BookingRequest(service, staff, datetime.fromisoformat(start),
                             ClientDetails("Client", str(n), f"c{n}@example.com", None))
    return lambda: booking.book(store, salon.slug, request, "127.0.0.1", NOW)


def stored(store, salon, day: int = 24):
    return store.appointments_between(salon.id, datetime(2026, 3, day, tzinfo=UTC),
                                      datetime(2026, 3, day + 1, tzinfo=UTC))


def lock_owners(salon, staff: str) -> dict[str, set[str]]:
    """Lock unit (UTC start) -> references holding it, for one professional."""
    return {lock.sk: set(lock.owners) for lock in LockItem.query(f"LOCK#{salon.id}#staff#{staff}") if lock.owners}


def test_fifty_clients_one_slot_one_staff_one_booking(store, salon):
    outcomes = run_together(*(book_call(store, salon, "2026-03-24T11:00:00+01:00", "stf_ana", n)
                              for n in range(RACERS)))
    winners = [o for o in outcomes if isinstance(o, booking.Booking)]
    losers = [o for o in outcomes if o not in winners]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, SlotUnavailableError) and o.code == "slot_unavailable" for o in losers), \
        {repr(o) for o in losers}
    reference = winners[0].appointment.reference
    assert [a.reference for a in stored(store, salon)] == [reference]
    # Corte is 30 minutes: six 5-minute units, every one held by the winner alone.
    owners = lock_owners(salon, "stf_ana")
    assert len(owners) == 6 and all(o == {reference} for o in owners.values()), owners


def test_overlapping_slots_race_the_same_way(store, salon):
    """10:45, 11:00 and 11:15 for one professional: 11:00 overlaps both others, which only touch each other.
    Winners never overlap, and every loser lost to a winner that overlaps its slot."""
    starts = [datetime.fromisoformat(f"2026-03-24T{t}:00+01:00") for t in ("10:45", "11:00", "11:15")]
    outcomes = run_together(*(book_call(store, salon, starts[n % 3].isoformat(), "stf_ana", n)
                              for n in range(RACERS)))
    won = [(o.appointment.start, o.appointment.end) for o in outcomes if isinstance(o, booking.Booking)]
    assert 1 <= len(won) <= 2 and len(stored(store, salon)) == len(won), outcomes
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(sorted(won), sorted(won)[1:])), won
    for n, outcome in enumerate(outcomes):
        if not isinstance(outcome, booking.Booking):
            assert isinstance(outcome, SlotUnavailableError), outcome
            start = starts[n % 3]
            assert any(s < start + timedelta(minutes=30) and start < e for s, e in won), (start, won)


def test_anyone_fills_each_professional_once_without_overlap(store, salon):
    outcomes = run_together(*(book_call(store, salon, "2026-03-24T11:00:00+01:00", "any", n)
                              for n in range(RACERS)))
    winners = [o for o in outcomes if isinstance(o, booking.Booking)]
    assert all(isinstance(o, SlotUnavailableError) for o in outcomes if o not in winners), outcomes
    # Ana and Bea both cut hair on Tuesdays at 11:00: one booking each, never two for one of them.
    assert sorted(w.appointment.staff_id for w in winners) == ["stf_ana", "stf_bea"], outcomes
    for member in ("stf_ana", "stf_bea"):
        assert len([a for a in stored(store, salon) if a.staff_id == member]) == 1
        assert all(len(owners) == 1 for owners in lock_owners(salon, member).values())


def test_a_booking_races_a_reschedule_into_the_same_slot(store, salon):
    """Five rounds: an appointment is moved to the time a new client books at the same moment.
    Exactly one of the two lands each round, and the locks match what is stored."""
    for hour, was in zip((10, 11, 12, 15, 16), (9, 10, 11, 12, 14)):  # Ana works both days; 13-14 is her break
        first = booking.book(store, salon.slug, BookingRequest(
            "svc_cut", "stf_ana", datetime.fromisoformat(f"2026-03-25T{was:02d}:00:00+01:00"),
            ClientDetails("Moving", str(hour), f"m{hour}@example.com", None)), "127.0.0.1", NOW)
        reference = first.appointment.reference
        target = f"2026-03-24T{hour:02d}:00:00+01:00"

        def move():
            return booking.reschedule_by_client(store, reference, manage_token(KEY, reference), KEY,
                                                datetime.fromisoformat(target), None, NOW)

        moved, booked = outcomes = run_together(move, book_call(store, salon, target, "stf_ana", 100 + hour))
        won = [o for o in outcomes if isinstance(o, booking.Booking)]
        assert len(won) == 1, outcomes
        assert all(isinstance(o, SlotUnavailableError) for o in outcomes if o not in won), outcomes
        winner = won[0].appointment.reference
        at_target = [a.reference for a in stored(store, salon) if a.start == datetime.fromisoformat(target)]
        assert at_target == [winner]
        owners = lock_owners(salon, "stf_ana")
        target_units = [o for sk, o in owners.items() if sk.startswith(f"2026-03-24T{hour - 1:02d}:")]
        assert len(target_units) == 6 and all(o == {winner} for o in target_units), owners
        old_units = [o for sk, o in owners.items() if sk.startswith(f"2026-03-25T{was - 1:02d}:")]
        if won[0] is moved:  # the old time was released in the same transaction
            assert not any(reference in o for o in old_units), owners
            assert store.appointment(reference).start == datetime.fromisoformat(target)
        else:  # the move was refused as a whole: still at its old time, still holding it
            assert len(old_units) == 6 and all(o == {reference} for o in old_units), owners
            assert store.appointment(reference).start == first.appointment.start
