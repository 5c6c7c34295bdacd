"""Driving the waiting list in tests: a request's body, creating one through the API, its offers' tokens."""
from __future__ import annotations

import json

from chalicelib.domain.principal import Level
from tests.api.helpers import post

DESK = Level.RECEPTION_FULL
# The frozen clock is Monday 23 March 2026, 08:00 in Madrid; the salon's Ana works Mon-Fri 9-13 and 14-18.
TUESDAY_WINDOW = {"from": "2026-03-24", "to": "2026-03-24", "start": "09:00", "end": "13:00"}


def request_body(**changes) -> dict:
    body = {"client": {"first_name": "Marta", "last_name": "Gil", "email": "marta@example.com",
                       "phone": "+34611000222"},
            "service": "svc_cut", "staff": "any", "windows": [TUESDAY_WINDOW], "notes": "Mejor temprano"}
    body.update(changes)
    return body


def add_request(api, headers, **changes) -> dict:
    response = post(api, "/admin/waitlist", request_body(**changes), headers)
    assert response.status_code == 201, response.body
    return response.json_body


def patch(client, path: str, body, headers):
    return client.http.patch(path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})
