"""Two managers close the same booked day at once (threads on moto, transactions isolated as DynamoDB's):
both closures land, and each appointment is cancelled once - one cancellation message per client."""
from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib import wiring
from chalicelib.domain.principal import Level, Principal
from chalicelib.repositories.tables import OutboxItem
from chalicelib.services import special_days
from tests.admin.test_appointments_race import DESK, book, race
from tests.factories import NOW

OWNER = Principal("biz_salon", "stf_owner", Level.ADMIN, "owner@example.com")
MANAGER = Principal("biz_salon", "stf_manager", Level.MANAGER, "manager@example.com")


@pytest.mark.parametrize("round_", range(3))
def test_two_closures_over_one_booked_day_cancel_each_appointment_once(atomic_moto, seeded, round_):
    store, clients = wiring.store(), wiring.clients()
    booked = sorted(book(DESK, f"2026-03-25T{hour}:00+01:00", client_id=seeded["client"]).reference
                    for hour in ("10:00", "11:00", "15:00"))
    later = NOW + timedelta(minutes=5)

    outcomes = race(*[
        (lambda who=who, name=name: special_days.add_closure(store, clients, who, {
            "name": name, "first_day": "2026-03-25", "on_conflict": "cancel"}, later))
        for who, name in ((OWNER, "Huelga"), (MANAGER, "Inventario"))])

    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    cancelled = [a["reference"] for _, done in outcomes for a in done]
    assert sorted(cancelled) == booked  # each by exactly one of them
    assert {store.appointment(r).status.value for r in booked} == {"cancelled"}
    messages = [o.reference for o in OutboxItem.scan() if o.message_kind == "cancelled"]
    assert sorted(messages) == booked  # one message per client, never two
    assert len(special_days.listing(OWNER).closures) == 2
