"""Backoffice waiting list: requests oldest first with filters, add, edit, cancel, convert into an
appointment, the offer settings, and the offer log with its figures."""
from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Response

from .. import wiring
from ..domain.principal import Principal
from ..later import later
from .admin_http import AdminApi
from .http import BY_USE_CASE, json_body, page_limit, parse_date, query

if TYPE_CHECKING:
    from ..domain.openings import Opening
    from ..domain.waitlist import WaitlistRequest

waitlist = later("chalicelib.services.waitlist")
openings = later("chalicelib.services.openings")

admin_waitlist = AdminApi(__name__)


@admin_waitlist.route("/admin/waitlist", methods=["GET"], action="waitlist.read")
def list_requests(principal: Principal) -> dict:
    request = admin_waitlist.current_request
    params = dict(request.query_params or {})
    now = wiring.now()
    page = waitlist.listing(wiring.store(), principal, params, now, page_limit(request))
    return {"requests": [request_json(r, principal, now) for r in page.requests], "cursor": page.cursor}


@admin_waitlist.route("/admin/waitlist", methods=["POST"], action="waitlist.write")
def create_request(principal: Principal) -> Response:
    body = json_body(admin_waitlist.current_request, BY_USE_CASE)
    now = wiring.now()
    created = waitlist.create(wiring.store(), wiring.clients(), principal, body, now)
    return Response(body=request_json(created, principal, now), status_code=201)


@admin_waitlist.route("/admin/waitlist/{request_id}", methods=["GET"], action="waitlist.read")
def view_request(principal: Principal, request_id: str) -> dict:
    return request_json(waitlist.view(principal, request_id), principal, wiring.now())


@admin_waitlist.route("/admin/waitlist/{request_id}", methods=["PATCH"], action="waitlist.write")
def edit_request(principal: Principal, request_id: str) -> dict:
    body = json_body(admin_waitlist.current_request, BY_USE_CASE)
    now = wiring.now()
    return request_json(waitlist.edit(wiring.store(), principal, request_id, body, now), principal, now)


@admin_waitlist.route("/admin/waitlist/{request_id}/cancel", methods=["POST"], action="waitlist.write")
def cancel_request(principal: Principal, request_id: str) -> dict:
    json_body(admin_waitlist.current_request, ())
    now = wiring.now()
    return request_json(waitlist.cancel(wiring.store(), principal, request_id, now), principal, now)


@admin_waitlist.route("/admin/waitlist/{request_id}/convert", methods=["POST"], action="waitlist.write")
def convert_request(principal: Principal, request_id: str) -> Response:
    body = json_body(admin_waitlist.current_request, BY_USE_CASE)
    now = wiring.now()
    appointments = waitlist.convert(wiring.store(), principal, request_id, body, now)
    booked = waitlist.view(principal, request_id)
    made = [{"reference": a.reference, "start": a.start.isoformat(), "end": a.end.isoformat(), "staff": a.staff_id,
             "service": a.service_id, "status": a.status.value} for a in appointments]
    return Response(body={"request": request_json(booked, principal, now), "appointment": made[0],
                          "appointments": made}, status_code=201)


@admin_waitlist.route("/admin/waitlist-settings", methods=["GET"], action="waitlist.read")
def view_settings(principal: Principal) -> dict:
    return waitlist.settings(principal).to_json()


@admin_waitlist.route("/admin/waitlist-settings", methods=["PATCH"], action="waitlist.settings")
def edit_settings(principal: Principal) -> dict:
    body = json_body(admin_waitlist.current_request, BY_USE_CASE)
    return waitlist.change_settings(principal, body, wiring.now()).to_json()


@admin_waitlist.route("/admin/waitlist-offers", methods=["GET"], action="waitlist.read")
def offer_log(principal: Principal) -> dict:
    """Freed times offered in local days from..to: every round, and the period's fill rate and median time."""
    request = admin_waitlist.current_request
    first = parse_date(query(request, "from"), "from")
    last = parse_date(query(request, "to"), "to")
    found, figures = openings.log(wiring.store(), principal.business_id, first, last)
    return {"offers": [opening_json(o) for o in found], "figures": {
        "openings": figures.openings, "filled": figures.filled, "fill_rate": figures.fill_rate,
        "median_minutes_to_fill": figures.median_minutes_to_fill}}


def request_json(r: "WaitlistRequest", principal: Principal, now) -> dict:
    client = {"id": r.contact.client_id, "first_name": r.contact.first_name, "last_name": r.contact.last_name}
    if principal.sees_contacts:
        client.update({"email": r.contact.email, "phone": r.contact.phone})
    return {
        "id": r.id, "status": r.status_at(now).value, "client": client, "service": r.service_id,
        "services": list(r.service_ids), "staff": r.staff_id, "windows": [w.to_json() for w in r.windows], "notes": r.notes, "created_by": r.created_by,
        "created_at": r.created_at.isoformat(), "updated_at": r.updated_at.isoformat(),
        "expires_at": r.expires_at.isoformat(), "reference": r.reference, "offers": list(r.offers),
    }


def opening_json(o: "Opening") -> dict:
    return {
        "id": o.id, "status": o.status.value, "mode": o.mode.value, "service": o.service_id, "staff": o.staff_id,
        "start": o.start.isoformat(), "end": o.end.isoformat(), "freed_at": o.created_at.isoformat(),
        "freed_by": o.freed_by, "round": o.round, "holder": o.holder,
        "held_until": o.held_until.isoformat() if o.held_until else None, "offered": list(o.offered),
        "rounds": list(o.rounds), "reference": o.reference,
        "filled_at": o.filled_at.isoformat() if o.filled_at else None, "desk": o.desk_id,
    }
