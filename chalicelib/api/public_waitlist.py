"""The waiting list as clients see it: join from the booking page, and answer an offer from its link."""
from __future__ import annotations

from typing import Any

from chalice import Response

from .. import wiring
from ..config import settings
from ..domain.fields import checked_integer
from ..domain.availability import LocalTimes
from ..domain.service_sequence import service_named
from ..later import later
from .http import BY_USE_CASE, Api, json_body, query, text
from .throttled import addresses_in, throttle

waitlist = later("chalicelib.services.waitlist")
openings = later("chalicelib.services.openings")

public_waitlist = Api(__name__)
ANSWER_FIELDS = {"request", "round", "token"}


@public_waitlist.route("/public/{business}/waitlist", methods=["GET"])
def waitlist_open(business: str) -> dict:
    """Whether the booking page offers "tell me if something frees up" (asked only when a client looks for times)."""
    return {"open": waitlist.takes_requests(wiring.store(), business)}


@public_waitlist.route("/public/{business}/waitlist", methods=["POST"])
def join(business: str) -> Response:
    body = json_body(public_waitlist.current_request, BY_USE_CASE)
    throttle(public_waitlist.current_request, "waitlist", business, addresses_in(body))
    joined = waitlist.join(wiring.store(), business, body, wiring.now())
    return Response(body={"id": joined.id, "status": joined.status.value,
                          "expires_at": joined.expires_at.isoformat()}, status_code=201)


@public_waitlist.route("/public/{business}/offers/{offer}", methods=["GET"])
def view_offer(business: str, offer: str) -> dict:
    request = public_waitlist.current_request
    params = {"request": query(request, "request", required=False), "round": query(request, "round", required=False)}
    found = openings.offer(wiring.store(), business, offer, *_who(params), query(request, "token", required=False),
                           settings().signing_key)
    return offer_json(found)


@public_waitlist.route("/public/{business}/offers/{offer}/accept", methods=["POST"])
def accept_offer(business: str, offer: str) -> Response:
    body = json_body(public_waitlist.current_request, ANSWER_FIELDS)
    appointment = openings.accept(wiring.store(), business, offer, *_who(body), text(body, "token", required=False),
                                  settings().signing_key, wiring.now())
    return Response(body={"reference": appointment.reference, "status": appointment.status.value,
                          "start": appointment.start.isoformat(), "end": appointment.end.isoformat()}, status_code=201)


@public_waitlist.route("/public/{business}/offers/{offer}/decline", methods=["POST"])
def decline_offer(business: str, offer: str) -> dict:
    body = json_body(public_waitlist.current_request, ANSWER_FIELDS)
    openings.decline(wiring.store(), business, offer, *_who(body), text(body, "token", required=False),
                     settings().signing_key, wiring.now())
    return {"status": "declined"}


def _who(data: dict[str, Any]) -> tuple[str, int]:
    """The request and round an offer's link names (the token proves both)."""
    request_id = text(data, "request", max_length=40)
    round_ = data.get("round")
    if isinstance(round_, str) and round_.isascii() and round_.isdigit():
        round_ = int(round_)
    return request_id, checked_integer(round_ if round_ is not None else 0, "round", 0, 99)


def offer_json(view) -> dict:
    o, local = view.opening, LocalTimes(view.catalog.business.tz)
    service, member = service_named(view.catalog, o.service_id), view.catalog.member(o.staff_id)
    held = o.held_until if o.holder == view.request.id else None
    return {
        "state": view.state, "start": local.iso(o.start), "end": local.iso(o.end),
        "service": o.service_id, "service_name": service.name if service else None,
        "staff": o.staff_id, "staff_name": member.name if member else None,
        "held_until": local.iso(held) if held else None, "business_name": view.catalog.business.name,
        "timezone": view.catalog.business.timezone,
    }
