"""The DynamoDB call budget of the public API, counted under moto (the issue's contract).

Counts, unlike timings, are the same on every machine, so they are asserted here; `make bench`
prints them for more cases. A warm function has the business's slug cached, so each test makes
one request first and counts the next.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.calendar import WeeklyHours
from chalicelib.domain.model import Staff
from tests import factories
from tests.api.helpers import booking_body, post

TUESDAY = date(2026, 3, 24)
TUESDAY_11 = "2026-03-24T11:00:00+01:00"


def add_cut_staff(store, business, how_many: int) -> None:
    """More professionals who do haircuts, Monday to Saturday 09:00-20:00."""
    hours = WeeklyHours.from_json(factories.WEEKDAYS_9_TO_8)
    for i in range(how_many):
        store.save_staff(business.id, Staff(f"stf_extra{i:02d}", f"Extra {i:02d}", frozenset({"svc_cut"}), hours))


@pytest.mark.parametrize("days", [1, 7, 31])
@pytest.mark.parametrize("service, performers", [("svc_color", 1), ("svc_cut", 10)],
                         ids=["1 staff", "10 staff"])
def test_a_warm_availability_request_makes_at_most_two_reads_whatever_the_days_or_staff(
        client, salon, store, clock, days, service, performers):
    # given a salon where `performers` professionals do the service, with appointments in the range
    add_cut_staff(store, salon, performers - 2 if performers > 2 else 0)
    for hour in ("09:00", "11:00", "14:00"):
        made = post(client, "/public/salon/bookings", booking_body(f"2026-03-24T{hour}:00+01:00", service=service,
                                                                   email=f"c{hour[:2]}@example.com", phone=None))
        assert made.status_code == 201, made.body
    path = (f"/public/salon/availability?service={service}&staff=any"
            f"&from={TUESDAY}&to={TUESDAY + timedelta(days=days - 1)}")
    assert client.http.get(path).status_code == 200  # warms the function

    # when a client asks again
    with counting_dynamodb_calls() as calls:
        response = client.http.get(path)

    # then slots come back from at most two reads and nothing is written
    assert response.status_code == 200 and response.json_body["slots"]
    assert 1 <= len(calls) <= 2 and calls == calls.reads, calls.detail()


@pytest.mark.parametrize("returning", [False, True], ids=["new client", "returning client"])
@pytest.mark.parametrize("staff, extra_staff", [("stf_bea", 0), ("any", 8)], ids=["named staff", "any of 10"])
def test_a_booking_makes_one_transaction_and_at_most_two_reads(client, salon, store, clock, returning, staff,
                                                               extra_staff):
    # given a warm function and, for a returning client, an earlier booking with the same email
    add_cut_staff(store, salon, extra_staff)
    assert client.http.get("/public/salon").status_code == 200
    if returning:
        earlier = post(client, "/public/salon/bookings", booking_body("2026-03-24T15:00:00+01:00", staff="stf_ana"))
        assert earlier.status_code == 201, earlier.body

    # when the client books without an Idempotency-Key
    with counting_dynamodb_calls() as calls:
        made = post(client, "/public/salon/bookings", booking_body(TUESDAY_11, staff=staff))

    # then the booking is stored by exactly one transaction, after at most two reads
    assert made.status_code == 201, made.body
    assert calls.operations()["TransactWriteItems"] == 1, calls.detail()
    assert len(calls.reads) <= 2, calls.detail()
    assert len(calls) == 1 + len(calls.reads), calls.detail()
