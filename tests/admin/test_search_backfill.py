"""Data stored before prefix search (whole-word rows, appointments without `client_words`) is indexed by
the one-off backfill (services/search_backfill.py), and then found like anything written since."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import quote

from chalicelib import wiring
from chalicelib.domain.calendar import UTC, Interval
from chalicelib.domain.clients import ClientProfile
from chalicelib.domain.events import events_of
from chalicelib.domain.model import Appointment, AppointmentStatus, Source
from chalicelib.domain.principal import Level
from chalicelib.repositories import codecs
from chalicelib.repositories.tables import AppointmentItem, SearchWordItem
from chalicelib.services.search_backfill import backfill

WHEN = datetime(2026, 3, 25, 9, tzinfo=UTC)


def found(client, headers, path, q):
    response = client.http.get(f"{path}?q={quote(q)}", headers=headers)
    assert response.status_code == 200, response.body
    return response.json_body


def stored_before_prefix_search(business_id: str) -> tuple[str, str]:
    """A client and their appointment as the old code left them: items, and whole-word rows only."""
    profile = ClientProfile(id="cli_legacy01", first_name="Ramón", last_name="Gutiérrez", phone="+34633444555",
                            fiscal_code="Y7654321Z", created_at=WHEN)
    codecs.client_item(business_id, profile).save()
    appointment = Appointment("LEGACYREF001", business_id, profile.id, "svc_cut", "stf_ana", WHEN,
                              WHEN + timedelta(minutes=30), Interval(WHEN, WHEN + timedelta(minutes=30)),
                              AppointmentStatus.CONFIRMED, Source.BACKOFFICE, Decimal("18"), "EUR", WHEN, WHEN,
                              notes="Prefiere tarde")
    codecs.appointment_item(appointment, events_of(None, appointment, "system")).save()  # as its booking left it
    for word in ("ramon", "gutierrez", "confirmed"):
        SearchWordItem(pk=f"BIZ#{business_id}#WORD", sk=f"{word}#{profile.id}#n", client_id=profile.id).save()
    return profile.id, appointment.reference


def test_the_backfill_indexes_old_clients_and_appointments_and_drops_the_old_rows(client, login, seeded):
    # given a client and an appointment stored before prefix search: neither is found
    client_id, reference = stored_before_prefix_search("biz_salon")
    headers = login(Level.RECEPTION_FULL)
    assert found(client, headers, "/admin/clients", "ramon")["clients"] == []
    assert found(client, headers, "/admin/appointments", "gutierrez")["appointments"] == []

    # when the backfill runs for the business (twice: it is safe to run again)
    done = backfill(wiring.store(), wiring.clients(), "biz_salon")
    again = backfill(wiring.store(), wiring.clients(), "biz_salon")

    # then both are found by prefix, the appointment by its client's details too, and the old rows are gone
    assert [c["id"] for c in found(client, headers, "/admin/clients", "gutié")["clients"]] == [client_id]
    for q in ("ram", "y765", "633 44", "prefiere", "confirmed ram"):
        assert reference in {a["reference"] for a in found(client, headers, "/admin/appointments", q)["appointments"]}, q
    assert done.old_rows_deleted == 3 and again.old_rows_deleted == 0 and done.changed_meanwhile == 0
    assert done.clients == again.clients >= 1 and done.appointments == again.appointments >= 2
    assert wiring.store().appointment(reference).client_words[:2] == ("ramon", "gutierrez")
    assert list(SearchWordItem.query("BIZ#biz_salon#WORD")) == []
    assert AppointmentItem.get(f"APPT#{reference}", "APPT").events is None  # the stream dispatches nothing again


def test_a_record_changed_meanwhile_is_left_to_its_own_change(client, login, seeded):
    from dataclasses import replace

    from chalicelib.errors import ConflictError
    from chalicelib.repositories import search_index

    _, reference = stored_before_prefix_search("biz_salon")
    stale = wiring.store().appointment(reference)
    changed = replace(stale, updated_at=stale.updated_at + timedelta(seconds=1))
    codecs.appointment_item(changed).save()  # someone changed it after the backfill read it
    try:
        search_index.index_appointment(stale, replace(stale, client_words=("x",)), [])
    except ConflictError as refused:
        assert refused.code == "changed_meanwhile"
    else:
        raise AssertionError("a stale appointment was overwritten")
    assert wiring.store().appointment(reference).client_words == ()
