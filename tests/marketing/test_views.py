"""The Marketing views over HTTP: loyal clients of a period with indicators, dormant clients (absent for N
days, none booked ahead), and filters (period, services any/all, visits, spend, text), paginated."""
from __future__ import annotations

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.model import AppointmentStatus as S
from chalicelib.domain.principal import Level
from tests.marketing.helpers import ClientAgenda, add_client, api


@pytest.fixture
def agenda(client, store, login, clock):
    """Six clients of the salon (today is Monday 23 March 2026 in Madrid)."""
    add_client("cli_ana", "Ana", "Núñez", email="ana@example.com", phone="+34612345601")
    add_client("cli_bea", "Beatriz", "López", email="bea@example.com")
    add_client("cli_car", "Carla", "Ruiz", phone="+34612345603")
    add_client("cli_dan", "Daniel", "Sanz", email="dan@example.com")
    add_client("cli_eva", "Eva", "Gil", email="eva@example.com")
    add_client("cli_fed", "Federico", "Mora", email="fed@example.com")
    a = ClientAgenda(client, store)
    # Ana: loyal in Q1 (3 cuts), first seen last year
    a.visit("cli_ana", "2025-11-10T10:00:00+00:00")
    for day in ("2026-01-10", "2026-02-10", "2026-03-10"):
        a.visit("cli_ana", f"{day}T10:00:00+00:00")
    # Bea: one colour in Q1, new, and booked again
    a.visit("cli_bea", "2026-02-20T10:00:00+00:00", service="svc_color")
    a.visit("cli_bea", "2026-04-02T10:00:00+00:00", S.CONFIRMED)
    # Carla: dormant since October; Daniel dormant but booked ahead; Eva dormant, last a no-show later
    a.visit("cli_car", "2025-10-01T10:00:00+00:00", service="svc_color")
    a.visit("cli_dan", "2025-10-05T10:00:00+00:00")
    a.visit("cli_dan", "2026-04-01T10:00:00+00:00", S.CONFIRMED)
    a.visit("cli_eva", "2025-09-01T10:00:00+00:00")
    a.visit("cli_eva", "2026-01-15T10:00:00+00:00", S.NO_SHOW)
    # Federico: a cancelled appointment only
    a.visit("cli_fed", "2026-03-01T10:00:00+00:00", S.CANCELLED)
    return a


def view(client, login, query: str, level=Level.RECEPTION_FULL):
    return api(client, login, "GET", f"/admin/marketing/clients?{query}", level=level)


def names(body) -> list[str]:
    return [c["client"] for c in body["clients"]]


def test_loyal_clients_of_a_period_with_the_business_indicators(client, login, agenda):
    body = view(client, login, "view=loyal&from=2026-01-01&to=2026-03-31").json_body
    assert names(body) == ["cli_ana"]
    assert body["clients"][0]["visits"] == 3 and body["clients"][0]["spend"] == "75.00"
    assert body["clients"][0]["email"] == "ana@example.com"
    assert body["indicators"] == {"clients_seen": 2, "new": 1, "returning": 1, "rebooked_percent": 50, "visits": 4,
                                  "average_ticket": "33.88", "revenue": "135.50", "currency": "EUR"}
    # spend counts too: Bea's one colour of 60.50 is enough with min_spend=50
    body = view(client, login, "view=loyal&from=2026-01-01&to=2026-03-31&min_spend=50").json_body
    assert names(body) == ["cli_ana", "cli_bea"]


def test_dormant_clients_absent_for_n_days_with_nothing_booked(client, login, agenda):
    body = view(client, login, "view=dormant&days=90").json_body
    # Daniel has a booking ahead; Ana and Bea came recently; Federico never completed a visit
    assert names(body) == ["cli_car", "cli_eva"]
    assert body["clients"][0]["absent_days"] == 173 and body["clients"][1]["last_was_no_show"]


def test_dormant_view_pages_through_the_index(client, login, agenda):
    first = view(client, login, "view=dormant&days=90&limit=1").json_body
    assert names(first) == ["cli_car"] and first["cursor"]
    second = view(client, login, f"view=dormant&days=90&limit=1&cursor={first['cursor']}").json_body
    assert names(second) == ["cli_eva"] and second["cursor"] is None


def test_the_dormant_view_reads_no_more_than_the_index_and_the_profiles(client, login, agenda):
    view(client, login, "view=dormant&days=90")  # warm
    with counting_dynamodb_calls() as calls:
        assert view(client, login, "view=dormant&days=90").status_code == 200
    assert not any(c.operation == "Scan" for c in calls) and len(calls) <= 5, calls.detail()


@pytest.mark.parametrize("query, expected", [
    ("view=filter&text=nunez", ["cli_ana"]),  # accent- and case-insensitive
    ("view=filter&text=612 345 603", ["cli_car"]),  # a phone in any format
    ("view=filter&text=0034612345601", ["cli_ana"]),
    ("view=filter&text=be", ["cli_bea"]),  # a prefix of two characters
    ("view=filter&services=svc_color", ["cli_bea", "cli_car"]),
    ("view=filter&services=svc_color,svc_cut&services_mode=all", []),
    ("view=filter&services=svc_color,svc_cut&services_mode=any", ["cli_ana", "cli_bea", "cli_dan", "cli_car", "cli_eva"]),
    ("view=filter&from=2026-01-01&to=2026-03-31&min_visits=2", ["cli_ana"]),
    ("view=filter&from=2026-01-01&to=2026-03-31&max_spend=70", ["cli_bea"]),
    ("view=filter&min_spend=60&text=ca", ["cli_car"]),
])
def test_filters_combine(client, login, agenda, query, expected):
    assert names(view(client, login, query).json_body) == expected


@pytest.mark.parametrize("query, field, code", [
    ("view=nope", "view", "invalid_choice"),
    ("view=loyal", "from", "required"),
    ("view=filter&from=2026-03-01", "to", "required"),
    ("view=filter&from=2026-03-10&to=2026-03-01", "to", "period_backwards"),
    ("view=dormant&days=0", "days", "out_of_range"),
    ("view=filter&min_spend=abc", "min_spend", "invalid_price"),
    ("view=filter&min_visits=5&max_visits=2", "max_visits", "range_backwards"),
    ("view=filter&services_mode=some", "services_mode", "invalid_choice"),
    ("view=filter&colour=red", "colour", "unknown_field"),
    ("view=dormant&cursor=xyz", "cursor", "invalid_cursor"),
    ("view=filter&limit=0", "limit", "out_of_range"),
])
def test_bad_view_parameters_are_400_with_code_and_field(client, login, agenda, query, field, code):
    answer = view(client, login, query)
    assert answer.status_code == 400, answer.body
    assert answer.json_body["error"]["field"] == field and answer.json_body["error"]["code"] == code


def test_reception_calendar_may_not_read_marketing(client, login, agenda):
    assert view(client, login, "view=dormant", level=Level.RECEPTION_CALENDAR).status_code == 403
