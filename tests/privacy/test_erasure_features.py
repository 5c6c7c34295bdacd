"""Erasing a client who also has marketing (a consent change, a campaign's messages), a plan (sold, with a
booking holding a unit) and a waiting request with an offer: the export holds each feature's section, and
after the erasure nothing readable is left anywhere in the table (the TEST scans; the code never does), the
request is cancelled, marketing is stopped, and the plan's accounts stay."""
from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.principal import Level
from tests.api.helpers import booking_body, post
from tests.factories import NOW
from tests.marketing.helpers import grant
from tests.plans.helpers import sell, template
from tests.privacy.test_erasure import PERSONAL, a_client_with_a_past_and_a_future, left_behind
from tests.privacy.test_export import download
from tests.waitlist.helpers import TUESDAY_WINDOW
from tests.waitlist.offer_helpers import free, opening_of, request

ADMIN, DESK = Level.ADMIN, Level.RECEPTION_FULL
SALON = "biz_salon"


def marketing_messages_to(cid: str, phone: str) -> None:
    """A campaign's SMS sent to her (address kept, the number's STOP pointer set) and its email still waiting,
    written as the marketing outbox writes them (services/marketing_delivery.py)."""
    from chalicelib.repositories import marketing as repo

    sms = repo.MarketingMessage(SALON, "cmp_spring", cid, "sms")
    mail = repo.MarketingMessage(SALON, "cmp_spring", cid, "email")
    assert repo.enqueue(sms, NOW, NOW) and repo.enqueue(mail, NOW + timedelta(hours=2), NOW)
    queued = next(m for m in repo.client_messages(SALON, cid) if m.channel == "sms")
    claimed = repo.claim(queued, NOW, timedelta(minutes=5), None, None)
    assert repo.finish(claimed, "sent", to=phone, provider_id="sns-1", now=NOW)
    repo.remember_sms_sender(phone, SALON, NOW)


def a_client_of_every_feature(client, login, seeded, clock, store) -> dict:
    given = a_client_with_a_past_and_a_future(client, login, seeded, clock)
    cid, desk = given["client"], login(DESK)
    grant(client, login, cid, "email", "sms")  # a consent change
    marketing_messages_to(cid, "+34699111222")
    plan = sell(client, desk, cid, template(client, desk)["id"])
    held = post(client, "/admin/appointments", {"client": cid, "service": "svc_cut", "staff": "stf_ana",
                                                "start": "2026-03-26T10:00:00+01:00"}, desk)
    assert held.status_code == 201, held.body
    asked = post(client, "/admin/waitlist", {"client_id": cid, "service": "svc_cut", "staff": "any",
                                             "windows": [TUESDAY_WINDOW], "notes": "Sin latex, por favor"}, desk)
    assert asked.status_code == 201, asked.body
    other = post(client, "/public/salon/bookings", {**booking_body("2026-03-24T12:00:00+01:00", staff="stf_ana"),
                                                    "client": {"first_name": "Pablo", "last_name": "Soto", "email": "pablo@example.com"}})
    assert other.status_code == 201, other.body
    free(client, store, other.json_body["reference"], NOW)  # someone else's time freed: offered to her
    assert request(asked.json_body["id"]).status.value == "offered"
    return {**given, "plan": plan["id"], "held": held.json_body["reference"], "request": asked.json_body["id"]}


def test_the_export_holds_consent_marketing_plans_and_waiting_requests(client, login, seeded, clock, ses, store):
    given = a_client_of_every_feature(client, login, seeded, clock, store)

    _, body = download(client, given["client"], login(ADMIN))

    assert {(c["channel"], c["granted"]) for c in body["consent"]["history"]} == {("email", True), ("sms", True)}
    assert {(m["channel"], m["status"], m["to"]) for m in body["marketing_messages"]} == {
        ("sms", "sent", "+34699111222"), ("email", "pending", None)}
    [plan] = body["plans"]
    assert plan["id"] == given["plan"] and plan["price"] == "80.00"
    assert {(e["entry"], e["reference"]) for e in plan["ledger"]} >= {("sale", None), ("hold", given["held"])}
    [asked] = body["waiting_requests"]
    assert (asked["id"], asked["status"], asked["notes"]) == (given["request"], "offered", "Sin latex, por favor")
    assert asked["offers"] and asked["offers"][-1]["opening"]


def test_erasing_leaves_nothing_readable_cancels_the_request_stops_marketing_and_keeps_the_accounts(
        client, login, seeded, clock, ses, store):
    from chalicelib import wiring
    from chalicelib.repositories import marketing as repo

    given = a_client_of_every_feature(client, login, seeded, clock, store)
    assert set(left_behind()) == set(PERSONAL)
    ledger_before = [(e.item, e.kind.value, e.units) for e in wiring.plans().ledger(SALON, given["plan"])]

    erased = post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, login(ADMIN))

    assert erased.status_code == 200, erased.body
    assert left_behind() == []
    # the waiting request is cancelled and its held time went on
    asked = request(given["request"])
    assert asked.status.value == "cancelled" and asked.contact.email is None and asked.notes == ""
    assert opening_of(given["request"]).holder != given["request"]
    # marketing stopped: consent withdrawn (the facts kept), the waiting email gone, no STOP pointer
    consent = repo.consent(SALON, given["client"])
    assert not any(c.granted for c in consent.latest.values())
    assert {c.source for c in consent.latest.values()} == {"erasure"}
    assert len(repo.consent_history(SALON, given["client"])) == 4
    assert [(m.channel, m.status, m.to) for m in repo.client_messages(SALON, given["client"])] == [("sms", "sent", None)]
    assert repo.sms_sender("+34699111222") is None
    # the plan's accounts stay; the booking that held a unit was cancelled and gave it back
    ledger_after = [(e.item, e.kind.value, e.units) for e in wiring.plans().ledger(SALON, given["plan"])]
    assert ledger_after[:len(ledger_before)] == ledger_before and ledger_after[len(ledger_before):][0][1] == "release"
    assert store.appointment(given["held"]).status.value == "cancelled"


def test_an_erasure_of_every_feature_reads_by_key_and_index_only(client, login, seeded, clock, ses, store):
    from bench.counting import counting_dynamodb_calls

    given = a_client_of_every_feature(client, login, seeded, clock, store)
    headers = login(ADMIN)

    with counting_dynamodb_calls() as calls:
        assert post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, headers).status_code == 200

    assert "Scan" not in calls.operations(), calls.detail()
    print(f"\nerasure of a client of every feature: {len(calls)} DynamoDB calls ({len(calls.reads)} reads, "
          f"{len(calls.writes)} writes)")
    assert len(calls) <= 70, calls.detail()


def test_a_request_joined_online_with_her_email_is_found_and_erased(client, login, seeded, clock, ses):
    joined = post(client, "/public/salon/waitlist", {
        "service": "svc_cut", "staff": "any", "windows": [TUESDAY_WINDOW], "notes": "Quintanilla, sin latex",
        "client": {"first_name": "Evangelina", "last_name": "Ruiz", "email": seeded["client_email"]}})
    assert joined.status_code == 201, joined.body

    _, body = download(client, seeded["client"], login(ADMIN))
    assert [r["id"] for r in body["waiting_requests"]] == [joined.json_body["id"]]
    assert post(client, f"/admin/clients/{seeded['client']}/erase", {"confirm": True}, login(ADMIN)).status_code == 200

    erased = request(joined.json_body["id"])
    assert erased.status.value == "cancelled" and erased.contact.client_id == seeded["client"]
    assert left_behind() == []


def test_offers_told_to_her_leave_nothing_readable_whether_or_not_the_request_named_her(
        client, login, seeded, clock, ses, store):
    """Her own request's offer, delivered (the outbox entry keeps the request's contact, the message log the
    address), and an offer to a request she joined online with her email, before any client record named it
    (its outbox entry and log are filed under the request, not under her)."""
    from tests.notifications.delivery_helpers import deliver

    given = a_client_of_every_feature(client, login, seeded, clock, store)
    joined = post(client, "/public/salon/waitlist", {
        "service": "svc_cut", "staff": "any", "windows": [TUESDAY_WINDOW],
        "client": {"first_name": "Evangelina", "last_name": "Ruiz", "email": seeded["client_email"]}})
    assert joined.status_code == 201, joined.body
    early = post(client, "/public/salon/bookings", {**booking_body("2026-03-24T09:00:00+01:00", staff="stf_ana"),
                                                    "client": {"first_name": "Pablo", "last_name": "Soto",
                                                               "email": "pablo@example.com"}})
    assert early.status_code == 201, early.body
    free(client, store, early.json_body["reference"], NOW)  # offered to the request she joined online
    assert request(joined.json_body["id"]).status.value == "offered"
    deliver(client)
    assert set(left_behind()) == set(PERSONAL)
    _, body = download(client, given["client"], login(ADMIN))
    told = {r["id"]: [(m["kind"], m["channel"], m["to"]) for m in r["messages"]] for r in body["waiting_requests"]}
    assert told[joined.json_body["id"]] == [("offer", "email", seeded["client_email"])]  # filed under the request

    erased = post(client, f"/admin/clients/{given['client']}/erase", {"confirm": True}, login(ADMIN))

    assert erased.status_code == 200, erased.body
    assert left_behind() == []
    assert request(joined.json_body["id"]).status.value == "cancelled"


def test_a_request_joined_before_she_was_a_client_is_erased_once_booking_it_made_her_one(
        client, login, seeded, clock, ses, store):
    """Joined online with details no client record had (no pointer from any client), then booked from the
    list, which registered her: the booking points her record at the request, so her erasure finds it."""
    joined = post(client, "/public/salon/waitlist", {
        "service": "svc_cut", "staff": "any", "windows": [TUESDAY_WINDOW], "notes": "Zarzaparrilla",
        "client": {"first_name": "Wilhelmina", "last_name": "Oyarzabal", "email": "wilhelmina@example.com"}})
    assert joined.status_code == 201, joined.body
    booked = post(client, f"/admin/waitlist/{joined.json_body['id']}/convert",
                  {"start": "2026-03-24T12:00:00+01:00", "staff": "stf_ana"}, login(DESK))
    assert booked.status_code == 201, booked.body
    cid = store.appointment(booked.json_body["appointment"]["reference"]).client_id
    assert request(joined.json_body["id"]).contact.client_id == cid

    assert post(client, f"/admin/clients/{cid}/erase", {"confirm": True}, login(ADMIN)).status_code == 200

    from tests.privacy.test_erasure import whole_table
    assert not [w for w in ("wilhelmina", "oyarzabal", "zarzaparrilla") if w in whole_table()]
