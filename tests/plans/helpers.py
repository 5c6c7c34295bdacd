"""Driving plans through the API: a template, a sale, the ledger."""
from __future__ import annotations

from chalicelib.domain.principal import Level
from tests.api.helpers import post

DESK = Level.RECEPTION_FULL
CUT_AND_HAIR = {"name": "Bono pelo", "price": "80.00", "validity": {"amount": 1, "unit": "months"},
                "items": [{"service": "svc_cut", "quantity": 2}, {"category": "Pelo", "quantity": 1}]}


def template(client, headers, **changes) -> dict:
    response = post(client, "/admin/plans", {**CUT_AND_HAIR, **changes}, headers)
    assert response.status_code == 201, response.body
    return response.json_body


def sell(client, headers, client_id: str, template_id: str, start: str | None = None) -> dict:
    body = {"template": template_id} | ({"start": start} if start else {})
    response = post(client, f"/admin/clients/{client_id}/plans", body, headers)
    assert response.status_code == 201, response.body
    return response.json_body


def plan(client, headers, client_id: str, plan_id: str) -> dict:
    response = client.http.get(f"/admin/clients/{client_id}/plans/{plan_id}", headers=headers)
    assert response.status_code == 200, response.body
    return response.json_body


def entries(shown: dict) -> list[tuple[int, str, int]]:
    return [(e["item"], e["entry"], e["units"]) for e in shown["ledger"]]


def coverage(client, services, start, email=None, phone=None):
    who = {k: v for k, v in (("email", email), ("phone", phone)) if v}
    return post(client, "/public/salon/plan-coverage", {"services": services, "start": start, "client": who})
