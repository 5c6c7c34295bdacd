"""A freed time and its offers in tests: requests join, an appointment is cancelled, the stream delivers."""
from __future__ import annotations

from datetime import timedelta

from chalicelib.config import settings
from chalicelib.domain.openings import offer_token
from chalicelib.repositories import openings as opening_store
from chalicelib.repositories import waitlist as request_store
from chalicelib.repositories.tables import AppointmentItem
from tests.api.helpers import booking_body, cancel, post
from tests.factories import NOW
from tests.notifications.test_stream import record

SALON = "biz_salon"
TUESDAY_11 = "2026-03-24T11:00:00+01:00"
MORNING = {"from": "2026-03-24", "to": "2026-03-24", "start": "09:00", "end": "13:00"}


def join(client, n: int, **changes) -> str:
    """Client n joins the list from the booking page (a haircut, Tuesday morning) n seconds into the hour
    before the frozen now, so that requests are oldest first in the order they join; returns its id."""
    from chalicelib import wiring

    now = wiring.now
    wiring.now = lambda: NOW - timedelta(hours=1) + timedelta(seconds=n)
    try:
        return _join(client, n, **changes)
    finally:
        wiring.now = now


def _join(client, n: int, **changes) -> str:
    body = {"service": "svc_cut", "staff": "stf_ana", "windows": [MORNING],
            "client": {"first_name": f"Cliente{n}", "email": f"c{n}@example.com", "phone": f"+346110003{n:02d}"}}
    body.update(changes)
    response = post(client, "/public/salon/waitlist", body)
    assert response.status_code == 201, response.body
    return response.json_body["id"]


def booked(client, start: str = TUESDAY_11, staff: str = "stf_ana", email: str = "busy@example.com") -> str:
    response = post(client, "/public/salon/bookings", booking_body(start, staff=staff, email=email, phone=None))
    assert response.status_code == 201, response.body
    return response.json_body["reference"]


def free(client, store, reference: str, now) -> dict:
    """Cancel the appointment and hand its stream record to `on_table_change`, as Lambda would."""
    before = AppointmentItem.get(f"APPT#{reference}", "APPT")
    cancel(store, reference, now)
    after = AppointmentItem.get(f"APPT#{reference}", "APPT")
    return client.lambda_.invoke("on_table_change", {"Records": [record(after, old=before, name="MODIFY")]}).payload


def request(request_id: str):
    return request_store.get(SALON, request_id)


def opening_of(request_id: str):
    return opening_store.get(SALON, request(request_id).offers[-1]["opening"])


def answer(client, request_id: str, what: str = "accept", opening=None, round_: int | None = None, token=None):
    opening = opening or opening_of(request_id)
    round_ = opening.round if round_ is None else round_
    token = token or offer_token(settings().signing_key, opening.id, request_id, round_)
    return post(client, f"/public/salon/offers/{opening.id}/{what}",
                {"request": request_id, "round": round_, "token": token})


def release_holds(client) -> dict:
    """One run of the hold job, as EventBridge would start it."""
    return client.lambda_.invoke("release_holds", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload
