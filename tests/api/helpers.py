"""Small helpers for driving the public API in tests."""
from __future__ import annotations

import json

JSON = {"Content-Type": "application/json"}


def post(client, path: str, body, headers: dict | None = None):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.http.post(path, body=raw, headers={**JSON, **(headers or {})})


def booking_body(start: str, *, service="svc_cut", staff="any", email="eva@example.com", phone="+34612345678",
                 **extra) -> dict:
    client = {"first_name": "Eva", "last_name": "Ruiz", "email": email, "phone": phone}
    return {"service": service, "staff": staff, "start": start, "client": client, **extra}


def error(response) -> dict:
    return response.json_body["error"]


def cancel(store, reference: str, now):
    """Cancel as staff will (backoffice routes come later): straight through the store."""
    from chalicelib.domain.model import AppointmentStatus
    from tests import factories

    before = store.appointment(reference)
    return factories.change(store, before, before.with_status(AppointmentStatus.CANCELLED, now))
