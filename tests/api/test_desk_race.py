"""Fifty clients, each with a different professional, race for the last free desk: one wins (moto).
The same race runs against DynamoDB Local in tests/integration/test_desk_races.py.

Every moto call is serialised here (`serialised_moto`), not only transactions and batch reads: with fifty-two
professionals the catalog query is long enough to overlap a refused transaction, whose snapshot restore in
moto breaks a concurrent read (DynamoDB's reads never see that). The racers still interleave between calls."""
from __future__ import annotations

from datetime import datetime

from chalicelib.domain.calendar import UTC
from chalicelib.errors import SlotUnavailableError
from chalicelib.repositories.tables import LockItem
from chalicelib.services import booking
from tests import factories


def test_fifty_professionals_one_last_desk_one_booking(serialised_moto, store, salon):
    staff_ids = factories.seed_last_desk(store, salon.id)
    outcomes = factories.race_for_the_last_desk(store, salon.slug, staff_ids)
    winners = [o for o in outcomes if isinstance(o, booking.Booking)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, SlotUnavailableError) for o in outcomes if o not in winners), outcomes
    stored = store.appointments_between(salon.id, datetime(2026, 3, 24, tzinfo=UTC), datetime(2026, 3, 25, tzinfo=UTC))
    reference = winners[0].appointment.reference
    assert [(a.reference, a.desk_id) for a in stored] == [(reference, "dsk_only")]
    owners = {lock.sk: set(lock.owners) for lock in LockItem.query(f"LOCK#{salon.id}#desk#dsk_only") if lock.owners}
    assert len(owners) == 6 and all(o == {reference} for o in owners.values()), owners
