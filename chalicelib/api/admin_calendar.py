"""Backoffice calendar: the business's closures and special hours (services/special_days.py). A change
that covers appointments answers 409 `appointments_affected` with their list unless the request says
`"on_conflict": "cancel"`; the cancelled ones come back in `cancelled`."""
from __future__ import annotations

from chalice import Response

from .. import wiring
from ..domain.principal import Principal
from ..later import later
from .admin_http import AdminApi
from .http import BY_USE_CASE, json_body, query

special_days = later("chalicelib.services.special_days")

admin_calendar = AdminApi(__name__)


@admin_calendar.route("/admin/calendar", methods=["GET"], action="calendar.read")
def calendar(principal: Principal) -> dict:
    found = special_days.listing(principal)
    catalog = wiring.store().catalog(principal.business_id)
    names = {**{m.id: m.name for m in catalog.staff}, **{d.id: d.label for d in catalog.desks}}
    return {"closures": [special_days.closure_json(c) for c in found.closures],
            "special_hours": [special_days.special_hours_json(h, names) for h in found.hours]}


@admin_calendar.route("/admin/calendar/closures", methods=["POST"], action="calendar.write")
def add_closure(principal: Principal) -> Response:
    body = json_body(admin_calendar.current_request, BY_USE_CASE)
    closure, cancelled = special_days.add_closure(wiring.store(), wiring.clients(), principal, body, wiring.now())
    return Response(body={**special_days.closure_json(closure), "cancelled": cancelled}, status_code=201)


@admin_calendar.route("/admin/calendar/closures/{closure_id}", methods=["PATCH"], action="calendar.write")
def update_closure(principal: Principal, closure_id: str) -> dict:
    body = json_body(admin_calendar.current_request, BY_USE_CASE)
    closure, cancelled = special_days.update_closure(wiring.store(), wiring.clients(), principal, closure_id, body,
                                                     wiring.now())
    return {**special_days.closure_json(closure), "cancelled": cancelled}


@admin_calendar.route("/admin/calendar/closures/{closure_id}", methods=["DELETE"], action="calendar.write")
def remove_closure(principal: Principal, closure_id: str) -> Response:
    special_days.remove_closure(principal, closure_id, wiring.now(), wiring.store())
    return Response(body="", status_code=204)


@admin_calendar.route("/admin/calendar/special-hours", methods=["PUT"], action="calendar.write")
def set_special_hours(principal: Principal) -> dict:
    body = json_body(admin_calendar.current_request, BY_USE_CASE)
    entry, cancelled = special_days.set_special_hours(wiring.store(), wiring.clients(), principal, body,
                                                      wiring.now())
    return {**special_days.special_hours_json(entry), "cancelled": cancelled}


@admin_calendar.route("/admin/calendar/special-hours/{hours_id}", methods=["DELETE"], action="calendar.write")
def remove_special_hours(principal: Principal, hours_id: str) -> dict:
    on_conflict = query(admin_calendar.current_request, "on_conflict", required=False)
    cancelled = special_days.remove_special_hours(wiring.store(), wiring.clients(), principal, hours_id,
                                                  on_conflict, wiring.now())
    return {"cancelled": cancelled}
