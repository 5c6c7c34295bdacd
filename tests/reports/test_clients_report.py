"""The clients report, counted by hand on a small agenda (Madrid; summer time starts Sunday 29 March 2026).

    client  visits (completed)                     later appointments                      March
    Alba    10 Feb cut, 24 Mar cut                 20 Apr, made 24 Mar 23:30 local         returning, rebooked once
    Bruno   25 Mar colour, 27 Mar cut (made 20 Mar) -                                      new, 25 Mar rebooked
    Carla   26 Mar cut: cancelled, then restored   2 Apr, made 26 Mar, then cancelled     new, not rebooked
    Dario   27 Mar: no-show                        -                                       not seen
    Elena   29 Mar 00:30 local (the DST day)       20 Apr, made 30 Mar 00:30 local         new, not rebooked

March: 4 clients seen, 3 new, 1 returning; 5 visits, 2 rebooked (0.4000); 160.50 spent, 32.10 a visit.
"""
from __future__ import annotations

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.clients import ClientProfile
from chalicelib.domain.model import AppointmentStatus as S
from chalicelib.domain.principal import Level
from tests.factories import NOW
from tests.reports.helpers import feed

MARCH = "/admin/reports/clients?from=2026-03-01&to=2026-03-31"


@pytest.fixture
def people(agenda):
    from chalicelib import wiring

    for cid, first in (("cli_alba", "Alba"), ("cli_bruno", "Bruno"), ("cli_carla", "Carla")):
        wiring.clients().create("biz_salon", ClientProfile(cid, first, "Ruiz", created_at=NOW))

    def visit(start: str, client: str, made: str, service: str = "svc_cut") -> str:
        reference = agenda.book(start, client=client, made=made, service=service)
        agenda.set(reference, S.COMPLETED)
        return reference

    visit("2026-02-10T10:00:00+00:00", "cli_alba", "2026-02-01T10:00:00+00:00")
    visit("2026-03-24T10:00:00+00:00", "cli_alba", "2026-03-01T10:00:00+00:00")
    agenda.book("2026-04-20T09:00:00+00:00", client="cli_alba", made="2026-03-24T22:30:00+00:00")  # 23:30 local
    visit("2026-03-25T10:00:00+00:00", "cli_bruno", "2026-03-20T10:00:00+00:00", service="svc_color")
    visit("2026-03-27T12:00:00+00:00", "cli_bruno", "2026-03-20T10:05:00+00:00")
    carla = visit("2026-03-26T11:00:00+00:00", "cli_carla", "2026-03-26T08:00:00+00:00")
    agenda.set(carla, S.CANCELLED)
    agenda.set(carla, S.CONFIRMED)
    agenda.set(carla, S.COMPLETED)
    gone = agenda.book("2026-04-02T09:00:00+00:00", client="cli_carla", made="2026-03-26T12:00:00+00:00")
    agenda.set(gone, S.CANCELLED)
    agenda.set(agenda.book("2026-03-27T16:00:00+00:00", client="cli_dario", made="2026-03-20T09:00:00+00:00"),
               S.NO_SHOW)
    visit("2026-03-28T23:30:00+00:00", "cli_elena", "2026-03-27T09:00:00+00:00")  # 29 Mar 00:30 local
    agenda.book("2026-04-20T10:00:00+00:00", client="cli_elena", made="2026-03-29T22:30:00+00:00")  # 30 Mar local
    return {"carla": carla}


def get(client, login, path: str, level: Level = Level.RECEPTION_FULL):
    return client.http.get(path, headers=login(level))


def test_clients_seen_new_returning_rebooked_and_average_ticket(client, login, people):
    body = get(client, login, MARCH).json_body
    assert body["report"] == "clients" and body["date_used"].startswith("appointment date")
    assert body["totals"] == {"clients_seen": 4, "new_clients": 3, "returning_clients": 1, "visits": 5,
                              "rebooked_visits": 2, "rebooking_rate": "0.4000", "revenue": "160.50",
                              "average_ticket": "32.10"}
    # the most spent first; among equals the most visits, then by id
    assert [(c["name"], c["visits"], c["revenue"]) for c in body["top_clients"]] == [
        ("Bruno Ruiz", 2, "85.50"), ("Alba Ruiz", 1, "25.00"), ("Carla Ruiz", 1, "25.00"),
        ("cli_elena", 1, "25.00")]  # no profile: shown by id


def test_a_client_is_new_in_the_period_of_their_first_visit_ever(client, login, people):
    both = get(client, login, "/admin/reports/clients?from=2026-02-01&to=2026-03-31").json_body["totals"]
    assert (both["clients_seen"], both["new_clients"], both["returning_clients"], both["visits"]) == (4, 4, 0, 6)
    february = get(client, login, "/admin/reports/clients?from=2026-02-01&to=2026-02-28").json_body["totals"]
    assert (february["clients_seen"], february["new_clients"], february["rebooking_rate"]) == (1, 1, "0.0000")


def test_the_dst_day_counts_in_local_days(client, login, people):
    sunday = get(client, login, "/admin/reports/clients?from=2026-03-29&to=2026-03-29").json_body["totals"]
    assert (sunday["clients_seen"], sunday["visits"], sunday["revenue"]) == (1, 1, "25.00")
    saturday = get(client, login, "/admin/reports/clients?from=2026-03-28&to=2026-03-28").json_body["totals"]
    assert (saturday["clients_seen"], saturday["average_ticket"], saturday["rebooking_rate"]) == (0, None, None)


def test_the_stream_delivered_again_counts_once(client, login, agenda, people):
    feed(client, *agenda.records)
    feed(client, agenda.records[0])
    assert get(client, login, MARCH).json_body["totals"]["visits"] == 5


def test_a_visit_cancelled_after_completion_leaves_the_report(client, login, agenda, people):
    agenda.set(people["carla"], S.CANCELLED)
    totals = get(client, login, MARCH).json_body["totals"]
    assert (totals["clients_seen"], totals["new_clients"], totals["visits"], totals["revenue"]) == (3, 2, 4, "135.50")


def test_five_years_of_clients_are_a_bounded_number_of_reads(client, login, people):
    path = "/admin/reports/clients?from=2022-03-15&to=2027-03-10"
    assert get(client, login, path).status_code == 200
    with counting_dynamodb_calls() as calls:
        body = get(client, login, path).json_body
    assert body["totals"]["visits"] == 6
    # the authorizer's, the catalog, the months and two edges of days, the top clients' names
    assert len(calls) <= 6 and calls == calls.reads and not any(c.operation == "Scan" for c in calls), calls.detail()


def test_clients_report_as_csv(client, login, people):
    response = client.http.get(MARCH + "&format=csv", headers=login(Level.RECEPTION_FULL))
    text = response.body.decode("utf-8")
    assert response.status_code == 200 and "top_clients,cli_bruno,Bruno Ruiz" in text
