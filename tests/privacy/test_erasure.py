"""Erasing a client (POST /admin/clients/{id}/erase) on moto: nothing readable is left anywhere in the table,
future bookings are cancelled without a message, accounting figures stay, the contacts go on the do-not-contact
list, it is audited, and erasing twice changes nothing."""
from __future__ import annotations

import json
from datetime import timedelta

from chalicelib.domain.principal import Level
from tests.api.helpers import error, post
from tests.notifications.delivery_helpers import deliver, emails, sms

ADMIN, MANAGER, DESK = Level.ADMIN, Level.MANAGER, Level.RECEPTION_FULL
# What identifies the client, lower-cased: each must be gone from every attribute of every item.
FISCAL_CODE = "RSSMRA80A01H501U"
PERSONAL = ("ruiz", "evangelina", "quintanilla", "eva.private", "699111222", "622333444", "rssmra80a01h501u",
            "latex")


def patch(client, path, body, headers):
    return client.http.patch(path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})


def whole_table() -> str:
    """Every attribute of every item, lower-cased (the TEST scans; the code never does)."""
    from chalicelib.repositories.tables import Item

    return json.dumps([item.attribute_values for item in Item.scan()], default=str, ensure_ascii=False).lower()


def left_behind() -> list[str]:
    text = whole_table()
    return [word for word in PERSONAL if word in text]


def a_client_with_a_past_and_a_future(client, login, seeded, clock) -> dict:
    """The seeded online booking (tomorrow) of Eva Ruiz, her details completed by the desk, a past visit with
    notes, completed, and the messages about them sent (so the message log holds her address)."""
    desk = login(DESK)
    cid = seeded["client"]
    edited = patch(client, f"/admin/clients/{cid}", {
        "first_name": "Evangelina", "last_name": "Quintanilla Ruiz", "mobile": "+34 622 333 444",
        "fiscal_code": FISCAL_CODE, "notes": "Allergic to latex"}, desk)
    assert edited.status_code == 200, edited.body
    past = post(client, "/admin/appointments", {
        "client": cid, "service": "svc_cut", "staff": "stf_ana", "start": "2026-03-20T10:00:00+01:00",
        "notes": "Latex gloves: no", "past": True}, desk)
    assert past.status_code == 201, past.body
    done = post(client, f"/admin/appointments/{past.json_body['reference']}/complete", {}, desk)
    assert done.status_code == 200, done.body
    deliver(client)
    assert emails() and sms()  # the confirmation went out: the log and the outbox hold her address
    return {"client": cid, "future": seeded["reference"], "past": past.json_body["reference"]}


def test_an_erased_client_leaves_nothing_readable_anywhere_in_the_table(client, login, seeded, clock, ses):
    given = a_client_with_a_past_and_a_future(client, login, seeded, clock)
    assert set(left_behind()) == set(PERSONAL)  # the scan does see them before

    erased = post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, login(ADMIN))

    assert erased.status_code == 200, erased.body
    assert erased.json_body["client"]["erased_at"] and erased.json_body["already_erased"] is False
    assert left_behind() == []


def test_future_bookings_are_cancelled_without_a_message_and_past_figures_stay(client, login, seeded, clock, ses,
                                                                               store):
    given = a_client_with_a_past_and_a_future(client, login, seeded, clock)
    sent = (len(emails()), len(sms()))

    assert post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, login(MANAGER)).status_code == 200
    deliver(client)

    future, past = store.appointment(given["future"]), store.appointment(given["past"])
    assert future.status.value == "cancelled" and past.status.value == "completed"
    assert (past.price, past.service_id, past.staff_id, past.client_id) == (
        store.appointment(given["past"]).price, "svc_cut", "stf_ana", given["client"])
    assert (len(emails()), len(sms())) == sent  # no cancellation message
    # the freed time is bookable again
    agenda = client.http.get("/admin/agenda?view=day&day=2026-03-24&include_cancelled=false", headers=login(ADMIN))
    assert given["future"] not in json.dumps(agenda.json_body)


def test_the_contacts_are_blocked_for_campaigns_and_the_erasure_is_audited(client, login, seeded, clock, ses):
    from chalicelib import wiring

    given = a_client_with_a_past_and_a_future(client, login, seeded, clock)
    post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, login(ADMIN))

    listed = wiring.do_not_contact()
    assert listed.blocked(seeded["business"], email="Eva.Private@example.com")
    assert listed.blocked(seeded["business"], phone="+34 699 111 222") and listed.blocked(seeded["business"], phone="+34622333444")
    log = client.http.get("/admin/audit?limit=100", headers=login(ADMIN)).json_body
    actions = [e["action"] for e in log["entries"]]
    assert "client.erase" in actions and "appointment.cancel" in actions
    erase_entry = next(e for e in log["entries"] if e["action"] == "client.erase")
    assert erase_entry["target"] == {"kind": "client", "id": given["client"]}
    assert erase_entry["actor"]["level"] == 1 and erase_entry["after"]["reason"] == "request"


def test_erasing_twice_changes_nothing_the_second_time(client, login, seeded, clock, ses):
    given = a_client_with_a_past_and_a_future(client, login, seeded, clock)
    first = post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, login(ADMIN))
    before = whole_table()
    clock["value"] += timedelta(minutes=5)

    second = post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, login(ADMIN))

    assert second.status_code == 200 and second.json_body["already_erased"] is True
    assert second.json_body["client"] == first.json_body["client"]
    assert whole_table() == before


def test_erasure_needs_a_confirmation_and_levels_1_2(client, login, seeded):
    path = f"/admin/clients/{seeded['client']}/erase"
    response = post(client, path, {}, login(ADMIN))
    assert response.status_code == 400 and error(response)["code"] == "confirmation_required"
    assert error(response)["field"] == "confirm"
    assert post(client, path, {"confirm": "yes"}, login(ADMIN)).status_code == 400
    assert post(client, path, {"confirm": True, "extra": 1}, login(ADMIN)).status_code == 400
    for level in (Level.RECEPTION_FULL, Level.RECEPTION_CALENDAR, Level.PROFESSIONAL):
        assert post(client, path, {"confirm": True}, login(level)).status_code == 403, level
    assert post(client, "/admin/clients/cli_nobody/erase", {"confirm": True}, login(ADMIN)).status_code == 404
    # another business's client is not found
    assert post(client, path, {"confirm": True}, login(ADMIN, seeded["other_business"])).status_code == 404


def test_an_erased_client_cannot_be_edited_or_booked_again(client, login, seeded):
    headers = login(DESK)
    post(client, f"/admin/clients/{seeded['client']}/erase", {"confirm": True}, login(ADMIN))

    edited = patch(client, f"/admin/clients/{seeded['client']}", {"first_name": "Eva"}, headers)
    booked = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut",
                                                  "staff": "stf_ana", "start": "2026-03-26T10:00:00+01:00"}, headers)

    for refused in (edited, booked):
        assert refused.status_code == 409 and error(refused)["code"] == "client_erased", refused.body
    # and she may come back online as a new client with the same email
    from tests.api.helpers import booking_body

    again = post(client, "/public/salon/bookings", booking_body("2026-03-26T10:00:00+01:00", staff="stf_ana",
                                                               email=seeded["client_email"], phone=None))
    assert again.status_code == 201, again.body
    from chalicelib import wiring

    assert wiring.store().appointment(again.json_body["reference"]).client_id != seeded["client"]


def test_an_erasure_reads_by_key_and_index_only(client, login, seeded, clock, ses):
    from bench.counting import counting_dynamodb_calls

    given = a_client_with_a_past_and_a_future(client, login, seeded, clock)
    headers = login(ADMIN)

    with counting_dynamodb_calls() as calls:
        assert post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, headers).status_code == 200

    assert "Scan" not in calls.operations(), calls.detail()
    print(f"\nerasure of a client with 2 appointments and 2 messages: {len(calls)} DynamoDB calls "
          f"({len(calls.reads)} reads, {len(calls.writes)} writes): {calls.summary()}")
    assert len(calls) <= 40, calls.detail()
