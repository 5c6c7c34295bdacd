"""Fifty clients race for one slot: the database lets exactly one through.

moto's in-memory DynamoDB is not thread-safe (a failed transaction restores a snapshot of the whole
table, wiping a concurrent winner, and reads see half-applied transactions), so its transactions and
batch reads are serialised (the `atomic_moto` fixture, tests/conftest.py), isolated from each other as
DynamoDB's are.
Everything else - reads, the availability check, the choice of professional - interleaves freely.
The same races run against DynamoDB Local in tests/integration.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

from chalicelib.domain.calendar import UTC
from chalicelib.errors import SlotUnavailableError
from chalicelib.services import booking
from chalicelib.services.booking import BookingRequest, ClientDetails
from tests.factories import NOW

RACERS = 50


def race(store, starts: list[str], staff: str = "stf_ana") -> list:
    barrier = threading.Barrier(RACERS)

    def attempt(n: int):
        request = BookingRequest("svc_cut", staff, datetime.fromisoformat(starts[n % len(starts)]),
                                 ClientDetails("Client", str(n), f"c{n}@example.com", None))
        barrier.wait(timeout=30)
        try:
            return booking.book(store, "salon", request, "127.0.0.1", NOW)
        except Exception as error:  # every outcome is reported, not just the expected ones
            return error

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        return list(pool.map(attempt, range(RACERS)))


def appointments(store):
    return store.appointments_between("biz_salon", datetime(2026, 3, 24, tzinfo=UTC), datetime(2026, 3, 25, tzinfo=UTC))


def test_fifty_clients_one_slot_one_booking(atomic_moto, store, salon):
    outcomes = race(store, ["2026-03-24T11:00:00+01:00"])
    winners = [o for o in outcomes if isinstance(o, booking.Booking)]
    losers = [o for o in outcomes if o not in winners]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, SlotUnavailableError) for o in losers), {repr(o) for o in losers}
    assert [a.reference for a in appointments(store)] == [winners[0].appointment.reference]


def test_overlapping_but_different_slots_race_the_same_way(atomic_moto, store, salon):
    outcomes = race(store, ["2026-03-24T11:00:00+01:00", "2026-03-24T11:15:00+01:00"])
    winners = [o for o in outcomes if isinstance(o, booking.Booking)]
    assert len(winners) == 1 and len(appointments(store)) == 1, outcomes


def test_with_anyone_the_race_fills_each_professional_once(atomic_moto, store, salon):
    outcomes = race(store, ["2026-03-24T11:00:00+01:00"], staff="any")
    winners = sorted(o.appointment.staff_id for o in outcomes if isinstance(o, booking.Booking))
    assert winners == ["stf_ana", "stf_bea"] and len(appointments(store)) == 2
