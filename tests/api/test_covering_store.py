"""The covering machinery (services/covering.py) on moto: the real store's agenda index finds the
appointments, and cancelling them writes each one's cancellation message and audit entry."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.covering import AppointmentsAffectedError, Covering, whole_days
from chalicelib.domain.model import AppointmentStatus
from chalicelib.domain.principal import Level, Principal
from chalicelib.repositories.clients import ClientRepository
from chalicelib.repositories.tables import AuditItem, OutboxItem
from chalicelib.services import covering
from tests.api.helpers import booking_body, post
from tests.factories import NOW

OWNER = Principal("biz_salon", "stf_owner", Level.ADMIN, "owner@example.com")


def test_a_closure_finds_bookings_through_the_index_and_cancels_them_with_their_messages(client, salon, store, clock):
    # given two online bookings on Tuesday 24 March and one on Wednesday
    made = [post(client, "/public/salon/bookings", booking_body(start, email=f"c{i}@example.com", phone=None))
            for i, start in enumerate(("2026-03-24T10:00:00+01:00", "2026-03-24T11:00:00+01:00",
                                       "2026-03-25T11:00:00+01:00"))]
    assert [m.status_code for m in made] == [201] * 3
    tuesday, wednesday = [m.json_body["reference"] for m in made[:2]], made[2].json_body["reference"]
    cover = Covering(whole_days([date(2026, 3, 24)], ZoneInfo("Europe/Madrid")))

    # when the business closes on Tuesday: first without saying what to do, then with "cancel"
    with pytest.raises(AppointmentsAffectedError) as refused:
        covering.settle(store, ClientRepository(), OWNER, cover, "refuse", NOW, reason="closure",
                        save=lambda: None, undo=lambda: None)
    done = covering.settle(store, ClientRepository(), OWNER, cover, "cancel", NOW, reason="closure: holiday",
                           save=lambda: None, undo=lambda: None)

    # then the 409 listed Tuesday's two with the client's name, and "cancel" cancelled exactly those
    listed = refused.value.details["appointments"]
    assert sorted(a["reference"] for a in listed) == sorted(tuesday)
    assert {a["client"] for a in listed} == {"Eva Ruiz"}
    assert sorted(d["reference"] for d in done) == sorted(tuesday)
    assert [store.appointment(r).status for r in tuesday] == [AppointmentStatus.CANCELLED] * 2
    assert store.appointment(wednesday).status is AppointmentStatus.CONFIRMED
    kinds = {(o.reference, o.message_kind) for o in OutboxItem.scan()}
    assert {(r, "cancelled") for r in tuesday} <= kinds
    audited = {a.target_id for a in AuditItem.scan() if a.action == "appointment.cancel"}
    assert audited == set(tuesday)
