"""Plans end to end on moto: a template, a sale with its own terms, coverage online, units held with the
booking, given back on cancel, used on completion; every balance re-derived from the ledger."""
from __future__ import annotations

import json
from datetime import timedelta

from chalicelib import wiring
from chalicelib.domain.principal import Level
from tests.api.helpers import booking_body, error, post
from tests.plans.helpers import DESK, coverage, entries, plan, sell, template

TUESDAY_11 = "2026-03-24T11:00:00+01:00"


def patch(client, path, body, headers):
    return client.http.patch(path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})


def test_a_sold_plan_keeps_its_own_terms_when_the_template_changes(client, login, seeded):
    made = template(client, login(DESK))
    sold = sell(client, login(DESK), seeded["client"], made["id"], "2026-03-23")
    assert (sold["start"], sold["end"]) == ("2026-03-23", "2026-04-22")
    assert [b["available"] for b in sold["balances"]] == [2, 1]

    # when the template is edited (more units, a new price)
    edited = patch(client, f"/admin/plans/{made['id']}", {"price": "99.00", "revision": made["revision"],
                                                          "items": [{"service": "svc_cut", "quantity": 9}]},
                   login(DESK))
    assert edited.status_code == 200, edited.body

    # then the sale is unchanged, and a stale edit is refused
    shown = plan(client, login(DESK), seeded["client"], sold["id"])
    assert shown["price"] == "80.00" and shown["items"][0]["quantity"] == 2
    assert entries(shown) == [(0, "sale", 2), (1, "sale", 1)]
    stale = patch(client, f"/admin/plans/{made['id']}", {"price": "1.00", "revision": made["revision"]}, login(DESK))
    assert stale.status_code == 422 and error(stale)["code"] == "plan_changed"


def test_bad_templates_are_refused_naming_the_field(client, login):
    cases = (({"price": 80.5}, "price"), ({"items": []}, "items"),
             ({"items": [{"service": "svc_nope", "quantity": 1}]}, "items.0.service"),
             ({"items": [{"category": "Uñas", "quantity": 1}]}, "items.0.category"),
             ({"items": [{"service": "svc_cut", "quantity": 0}]}, "items.0.quantity"),
             ({"validity": {"amount": 3, "unit": "weeks"}}, "validity.unit"),
             ({"validity": {"amount": 0, "unit": "days"}}, "validity.amount"), ({"colour": "red"}, "colour"))
    for changes, field in cases:
        response = post(client, "/admin/plans", {"name": "X", "price": "10.00", "validity": {"amount": 1, "unit": "days"},
                                                 "items": [{"service": "svc_cut", "quantity": 1}], **changes},
                        login(DESK))
        assert 400 <= response.status_code < 500 and error(response)["field"] == field, (changes, response.body)
    assert client.http.get("/admin/plans", headers=login(DESK)).json_body["plans"] == []


def test_who_may_read_and_write_plans(client, login, seeded):
    assert client.http.get("/admin/plans", headers=login(Level.RECEPTION_CALENDAR)).status_code == 200
    assert post(client, "/admin/plans", {}, login(Level.RECEPTION_CALENDAR)).status_code == 403
    assert client.http.get("/admin/plans", headers=login(Level.PROFESSIONAL)).status_code == 403


def test_online_booking_holds_a_unit_and_a_cancellation_in_time_gives_it_back(client, login, seeded, clock):
    sold = sell(client, login(DESK), seeded["client"], template(client, login(DESK))["id"], "2026-03-23")
    email = seeded["client_email"]

    # what would the plan cover? both services: the cut by its own item, the colour by the category
    asked = coverage(client, ["svc_cut", "svc_color"], TUESDAY_11, email=email)
    assert asked.status_code == 200, asked.body
    assert asked.json_body["case"] == 1
    assert [(c["service"], c["plan"]) for c in asked.json_body["covered"]] == [("svc_cut", sold["id"]),
                                                                              ("svc_color", sold["id"])]

    # the booking holds the unit in its own transaction and says so
    made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, email=email, phone=None))
    assert made.status_code == 201, made.body
    assert made.json_body["covered_by_plan"] is True and made.json_body["plan"]["case"] == 1
    assert made.json_body["plan"]["covered"][0]["left"] == 1
    shown = plan(client, login(DESK), seeded["client"], sold["id"])
    assert [b["held"] for b in shown["balances"]] == [1, 0]

    # cancelled within the policy: the unit comes back
    token = made.json_body["manage_token"]
    cancelled = post(client, f"/public/bookings/{made.json_body['reference']}/cancel", {"token": token})
    assert cancelled.status_code == 200, cancelled.body
    shown = plan(client, login(DESK), seeded["client"], sold["id"])
    assert entries(shown)[2:] == [(0, "hold", 1), (0, "release", 1)]
    assert [b["available"] for b in shown["balances"]] == [2, 1]
    stored = wiring.plans().plan("biz_salon", seeded["client"], sold["id"])
    assert list(stored.available) == [b["available"] for b in shown["balances"]]  # re-derived from the ledger


def test_completion_uses_the_unit_and_a_no_show_releases_it_by_default(client, login, seeded, clock):
    sold = sell(client, login(DESK), seeded["client"], template(client, login(DESK))["id"], "2026-03-23")
    refs = []
    for start in ("2026-03-24T11:00:00+01:00", "2026-03-24T12:00:00+01:00"):
        made = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut",
                                                    "staff": "stf_ana", "start": start}, login(DESK))
        assert made.status_code == 201 and made.json_body["plan"] == sold["id"], made.body
        refs.append(made.json_body["reference"])
    clock["value"] += timedelta(days=1, hours=6)
    for reference, action in zip(refs, ("complete", "no-show")):
        done = post(client, f"/admin/appointments/{reference}/{action}", {}, login(DESK))
        assert done.status_code == 200, done.body
    shown = plan(client, login(DESK), seeded["client"], sold["id"])
    assert sorted(entries(shown)[2:]) == [(0, "hold", 1), (0, "hold", 1), (0, "release", 1), (0, "use", 1)]
    assert shown["balances"][0] | {"item": 0} == {"item": 0, "sold": 2, "held": 0, "used": 1, "expired": 0,
                                                  "adjusted": 0, "available": 1}


def test_late_cancellation_uses_the_unit_when_the_business_says_so(client, login, seeded, clock):
    assert client.http.put("/admin/plan-settings", body=json.dumps({"late_rule": "use"}),
                           headers={"Content-Type": "application/json", **login(Level.ADMIN)}).status_code == 200
    sold = sell(client, login(DESK), seeded["client"], template(client, login(DESK))["id"], "2026-03-23")
    made = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut", "staff": "stf_ana",
                                                "start": TUESDAY_11}, login(DESK))
    clock["value"] = made_at = clock["value"] + timedelta(hours=20)  # Tuesday 04:00 local: 7 h before, notice is 24 h
    assert made_at
    done = post(client, f"/admin/appointments/{made.json_body['reference']}/cancel", {}, login(DESK))
    assert done.status_code == 200, done.body
    shown = plan(client, login(DESK), seeded["client"], sold["id"])
    assert entries(shown)[2:] == [(0, "hold", 1), (0, "use", 1)]


def test_the_last_unit_cannot_be_held_twice_and_staff_may_book_without_the_plan(client, login, seeded, clock):
    made_template = template(client, login(DESK), items=[{"service": "svc_cut", "quantity": 1}])
    sold = sell(client, login(DESK), seeded["client"], made_template["id"], "2026-03-23")
    first = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut", "staff": "stf_ana",
                                                 "start": TUESDAY_11}, login(DESK))
    second = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut", "staff": "stf_ana",
                                                  "start": "2026-03-24T12:00:00+01:00"}, login(DESK))
    assert first.json_body["plan"] == sold["id"] and second.json_body["plan"] is None
    asked = coverage(client, ["svc_cut"], "2026-03-25T11:00:00+01:00", email=seeded["client_email"])
    assert asked.json_body["case"] == 3 and asked.json_body["uncovered"] == ["svc_cut"]


def test_coverage_cases_two_and_three_and_no_plan(client, login, seeded):
    made = template(client, login(DESK), items=[{"service": "svc_cut", "quantity": 1}])
    sell(client, login(DESK), seeded["client"], made["id"], "2026-03-23")
    email = seeded["client_email"]
    assert coverage(client, ["svc_cut", "svc_color"], TUESDAY_11, email=email).json_body["case"] == 2
    assert coverage(client, ["svc_color"], TUESDAY_11, email=email).json_body["case"] == 3
    assert coverage(client, ["svc_cut"], TUESDAY_11, email="nobody@example.com").json_body["case"] is None
    # the day after its last day (22 April) the plan covers nothing
    assert coverage(client, ["svc_cut"], "2026-04-23T11:00:00+02:00", email=email).json_body["case"] is None
    assert coverage(client, ["svc_cut"], "2026-04-22T19:00:00+02:00", email=email).json_body["case"] == 1
    bad = coverage(client, "svc_cut", TUESDAY_11, email=email)
    assert bad.status_code == 400 and error(bad)["field"] == "services"


def test_a_booker_matching_two_client_records_keeps_their_plan_and_staff_get_a_merge_task(client, login, seeded):
    other = post(client, "/admin/clients", {"first_name": "Eva", "email": "eva.other@example.com"}, login(DESK))
    sold = sell(client, login(DESK), seeded["client"], template(client, login(DESK))["id"], "2026-03-23")
    # the email names the new record, the phone the one holding the plan
    made = post(client, "/public/salon/bookings",
                booking_body(TUESDAY_11, email="eva.other@example.com", phone=seeded["client_phone"]))
    assert made.status_code == 201, made.body
    assert made.json_body["plan"]["duplicate_client"] is True and made.json_body["covered_by_plan"] is True
    tasks = client.http.get("/admin/merge-tasks", headers=login(DESK)).json_body["tasks"]
    assert tasks == [{"clients": sorted([other.json_body["id"], seeded["client"]]),
                      "reference": made.json_body["reference"], "at": tasks[0]["at"]}]
    assert plan(client, login(DESK), seeded["client"], sold["id"])["balances"][0]["held"] == 1


def test_adjustments_need_a_reason_and_cannot_take_more_than_is_available(client, login, seeded):
    sold = sell(client, login(DESK), seeded["client"], template(client, login(DESK))["id"], "2026-03-23")
    path = f"/admin/clients/{seeded['client']}/plans/{sold['id']}/adjustments"
    assert error(post(client, path, {"item": 0, "units": 1}, login(DESK)))["field"] == "reason"
    too_many = post(client, path, {"item": 0, "units": -3, "reason": "error"}, login(DESK))
    assert too_many.status_code == 422 and error(too_many)["code"] == "not_enough_units"
    given = post(client, path, {"item": 0, "units": 1, "reason": "sesión de cortesía"}, login(DESK))
    assert given.status_code == 201, given.body
    assert given.json_body["ledger"][-1] | {"at": ""} == {
        "item": 0, "entry": "adjustment", "units": 1, "at": "", "by": login.staff_id(DESK), "reference": None,
        "reason": "sesión de cortesía"}
    assert given.json_body["balances"][0]["available"] == 3


def test_a_one_day_plan_on_the_dst_sunday_covers_that_local_day_only(client, login, seeded):
    # Madrid moves to summer time on Sunday 29 March 2026 (02:00 -> 03:00): the day has 23 hours
    made = template(client, login(DESK), validity={"amount": 1, "unit": "days"})
    sold = sell(client, login(DESK), seeded["client"], made["id"], "2026-03-29")
    assert (sold["start"], sold["end"]) == ("2026-03-29", "2026-03-29")
    email = seeded["client_email"]
    for start, case in (("2026-03-28T23:59:00+01:00", None), ("2026-03-29T00:00:00+01:00", 1),
                        ("2026-03-29T23:59:00+02:00", 1), ("2026-03-30T00:00:00+02:00", None)):
        assert coverage(client, ["svc_cut"], start, email=email).json_body["case"] == case, start
    # the same instant written in UTC is read on the salon's local date
    assert coverage(client, ["svc_cut"], "2026-03-29T21:59:00+00:00", email=email).json_body["case"] == 1
    assert coverage(client, ["svc_cut"], "2026-03-29T22:00:00+00:00", email=email).json_body["case"] is None
