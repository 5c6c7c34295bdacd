"""Fifty clients, each with a different professional, race for the last free desk on DynamoDB Local:
its transactions let exactly one through, and the desk's lock units are that one's alone."""
from __future__ import annotations

import pytest

from chalicelib.errors import SlotUnavailableError
from chalicelib.repositories.tables import LockItem
from chalicelib.services import booking
from tests import factories
from tests.integration.test_races import stored

pytestmark = pytest.mark.slow


def test_fifty_professionals_one_last_desk_one_booking(store, salon):
    staff_ids = factories.seed_last_desk(store, salon.id)
    outcomes = factories.race_for_the_last_desk(store, salon.slug, staff_ids)
    winners = [o for o in outcomes if isinstance(o, booking.Booking)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, SlotUnavailableError) for o in outcomes if o not in winners), outcomes
    reference = winners[0].appointment.reference
    assert [(a.reference, a.desk_id) for a in stored(store, salon)] == [(reference, "dsk_only")]
    owners = {lock.sk: set(lock.owners) for lock in LockItem.query(f"LOCK#{salon.id}#desk#dsk_only") if lock.owners}
    assert len(owners) == 6 and all(o == {reference} for o in owners.values()), owners
