"""Staff racing each other: the database decides, exactly one wins, the loser gets a 409 and nothing
is half-written. moto's transactions are serialised as DynamoDB's are isolated (see tests/api/test_race.py)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from chalicelib import wiring
from chalicelib.domain.principal import Level, Principal
from chalicelib.domain.transitions import Action
from chalicelib.errors import ConflictError, SlotUnavailableError
from chalicelib.services import backoffice
from chalicelib.services.backoffice import NewAppointment
from tests.factories import NOW

SLOT = datetime.fromisoformat("2026-03-24T16:00:00+01:00")
DESK = Principal("biz_salon", "stf_desk", Level.RECEPTION_FULL)
PHONE = Principal("biz_salon", "stf_phone", Level.RECEPTION_CALENDAR)


def race(*calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=30)
        try:
            return call()
        except Exception as error:  # every outcome is reported
            return error

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def book(principal, start, staff="stf_ana", client_id=None):
    request = NewAppointment(client_id, "svc_cut", staff, datetime.fromisoformat(start))
    return backoffice.create(wiring.store(), wiring.clients(), principal, request, NOW).appointment


@pytest.mark.parametrize("round_", range(5))
def test_two_staff_move_two_appointments_into_one_slot_exactly_one_wins(atomic_moto, seeded, round_):
    store, clients = wiring.store(), wiring.clients()
    first = book(DESK, "2026-03-24T11:00:00+01:00", client_id=seeded["client"])
    second = book(PHONE, "2026-03-24T12:00:00+01:00", client_id=seeded["client"])
    later = NOW + timedelta(minutes=5)
    outcomes = race(
        lambda: backoffice.reschedule(store, clients, DESK, first.reference, SLOT, None, None, later),
        lambda: backoffice.reschedule(store, clients, PHONE, second.reference, SLOT + timedelta(minutes=15), None,
                                      None, later),
    )
    winners = [o for o in outcomes if isinstance(o, tuple)]
    losers = [o for o in outcomes if not isinstance(o, tuple)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], SlotUnavailableError)
    moved = winners[0][1].appointment
    stayed = first if moved.reference == second.reference else second
    assert store.appointment(stayed.reference) == stayed  # the loser is untouched
    day = store.appointments_between("biz_salon", SLOT - timedelta(hours=8), SLOT + timedelta(hours=4))
    holding = sorted((a.start, a.reference) for a in day if a.status.holds_time)
    assert (moved.start, moved.reference) in holding and (stayed.start, stayed.reference) in holding


def test_a_move_and_a_new_booking_race_for_one_slot(atomic_moto, seeded):
    store, clients = wiring.store(), wiring.clients()
    first = book(DESK, "2026-03-24T11:00:00+01:00", client_id=seeded["client"])
    outcomes = race(
        lambda: backoffice.reschedule(store, clients, DESK, first.reference, SLOT, None, None, NOW + timedelta(minutes=1)),
        lambda: book(PHONE, "2026-03-24T16:00:00+01:00", client_id=seeded["client"]),
    )
    assert sum(isinstance(o, SlotUnavailableError) for o in outcomes) == 1, outcomes
    holding = [a for a in store.appointments_between("biz_salon", SLOT, SLOT + timedelta(minutes=30))
               if a.status.holds_time and a.start == SLOT]
    assert len(holding) == 1


def test_two_staff_changing_one_appointment_at_once_one_is_told_to_reload(atomic_moto, seeded, clock):
    store, clients = wiring.store(), wiring.clients()
    appointment = book(DESK, "2026-03-24T11:00:00+01:00", client_id=seeded["client"])
    later = appointment.start - timedelta(minutes=10)  # the client is at the desk, a little early
    outcomes = race(
        lambda: backoffice.transition(store, clients, DESK, appointment.reference, Action.CANCEL, None, later),
        lambda: backoffice.transition(store, clients, PHONE, appointment.reference, Action.CHECK_IN, None, later),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ConflictError), outcomes
    assert errors[0].code in ("booking_changed", "cannot_cancel", "cannot_check_in")
    final = store.appointment(appointment.reference).status.value
    assert final in ("cancelled", "arrived")


@pytest.mark.parametrize("round_", range(3))
def test_a_cancel_racing_a_check_in_leaves_the_search_on_the_winners_status(atomic_moto, seeded, round_):
    from chalicelib.domain import search
    from chalicelib.repositories import search_index

    store, clients = wiring.store(), wiring.clients()
    booked = book(DESK, "2026-03-23T09:00:00+01:00", client_id=seeded["client"])
    later = NOW + timedelta(minutes=35)  # 25 minutes before the start: check-in is open
    outcomes = race(
        lambda: backoffice.transition(store, clients, DESK, booked.reference, Action.CANCEL, None, later),
        lambda: backoffice.transition(store, clients, PHONE, booked.reference, Action.CHECK_IN, None, later),
    )
    winners = [o[1].appointment for o in outcomes if isinstance(o, tuple)]
    assert len(winners) == 1 and any(isinstance(o, ConflictError) for o in outcomes), outcomes
    status = store.appointment(booked.reference).status.value
    assert status == winners[0].status.value

    def found(word):
        refs, _ = search_index.find("biz_salon", search.APPOINTMENTS, search.parse_query(word), contacts=True,
                                    after=None, limit=50)
        return booked.reference in refs

    assert found(status) and not found("confirmed")
    assert not found({"cancelled": "arrived", "arrived": "cancelled"}[status])
