"""Backoffice agenda: appointments booked and changed by staff, the day/week/month views, the monitor."""
from __future__ import annotations

from datetime import date
from typing import Any

from chalice import Response

from .. import observability, wiring
from ..domain.principal import Principal
from ..domain.transitions import Action, check_in_state
from ..errors import ValidationError
from ..later import later
from .admin_clients import MAX_QUERY
from .admin_http import AdminApi
from .admin_views import appointment_json
from .http import json_body, page_limit, parse_date, parse_instant, query, text

backoffice = later("chalicelib.services.backoffice")

admin_agenda = AdminApi(__name__)


@admin_agenda.route("/admin/appointments", methods=["POST"], action="appointments.write")
def create_appointment(principal: Principal) -> Response:
    body = _body({"client", "service", "staff", "start", "notes", "override_reason", "past", "use_plan", "desk"},
                 required=True)
    request = backoffice.NewAppointment(
        client_id=text(body, "client", max_length=64),
        service_id=text(body, "service", max_length=64),
        staff_id=text(body, "staff", max_length=64),
        start=parse_instant(body.get("start"), "start"),
        notes=text(body, "notes", required=False, max_length=1000, multiline=True) or "",
        override_reason=text(body, "override_reason", required=False, max_length=500, multiline=True),
        past=_boolean(body, "past"),
        use_plan=_boolean(body, "use_plan") if "use_plan" in body else True,
        desk_id=text(body, "desk", required=False, max_length=64),
    )
    view = backoffice.create(wiring.store(), wiring.clients(), principal, request, wiring.now(), wiring.plans())
    observability.booked("backoffice", view.appointment.reference, principal.business_id)
    return Response(body=appointment_json(view, principal), status_code=201)


@admin_agenda.route("/admin/appointments", methods=["GET"], action="agenda.read")
def search_appointments(principal: Principal) -> dict:
    """The agenda's search box: appointments by client, phone, notes or status words."""
    request = admin_agenda.current_request
    page = backoffice.find(wiring.store(), wiring.clients(), principal,
                           text(request.query_params or {}, "q", required=False, max_length=MAX_QUERY),
                           query(request, "cursor", required=False), page_limit(request))
    return {"appointments": [appointment_json(v, principal) for v in page.appointments], "cursor": page.cursor}


@admin_agenda.route("/admin/appointments/{reference}", methods=["GET"], action="agenda.read")
def view_appointment(principal: Principal, reference: str) -> dict:
    return appointment_json(backoffice.appointment(wiring.store(), wiring.clients(), principal, reference), principal)


@admin_agenda.route("/admin/appointments/{reference}/reschedule", methods=["POST"], action="appointments.write")
def reschedule_appointment(principal: Principal, reference: str) -> dict:
    body = _body({"start", "staff", "override_reason", "desk"}, required=True)
    start = parse_instant(body["start"], "start") if body.get("start") is not None else None
    staff_id = text(body, "staff", required=False, max_length=64)
    desk_id = text(body, "desk", required=False, max_length=64)
    if start is None and staff_id is None and desk_id is None:
        raise ValidationError("give a new start, a new professional, or both", field="start", code="required")
    reason = text(body, "override_reason", required=False, max_length=500, multiline=True)
    _, view = backoffice.reschedule(wiring.store(), wiring.clients(), principal, reference, start, staff_id,
                                 reason, wiring.now(), desk_id)
    return appointment_json(view, principal)


def _transition_route(path_action: str, action: Action, permission: str) -> None:
    """POST /admin/appointments/{reference}/<path_action>, body optional: {"reason": "..."}."""

    def transition(principal: Principal, reference: str) -> dict:
        reason = text(_body({"reason"}, required=False), "reason", required=False, max_length=500, multiline=True)
        _, view = backoffice.transition(wiring.store(), wiring.clients(), principal, reference, action, reason,
                                     wiring.now())
        return appointment_json(view, principal)

    transition.__name__ = f"{action.value}_appointment"
    admin_agenda.route(f"/admin/appointments/{{reference}}/{path_action}", methods=["POST"],
                       action=permission)(transition)


for _path, _action, _permission in (
    ("approve", Action.APPROVE, "appointments.approve"),
    ("reject", Action.REJECT, "appointments.approve"),
    ("cancel", Action.CANCEL, "appointments.write"),
    ("check-in", Action.CHECK_IN, "appointments.write"),
    ("complete", Action.COMPLETE, "appointments.write"),
    ("no-show", Action.NO_SHOW, "appointments.write"),
):
    _transition_route(_path, _action, _permission)


@admin_agenda.route("/admin/agenda", methods=["GET"], action="agenda.read")
def agenda(principal: Principal) -> dict:
    request = admin_agenda.current_request
    found = backoffice.agenda(
        wiring.store(), wiring.clients(), principal, query(request, "view", required=False) or "day",
        _day(query(request, "date", required=False), principal), _staff(query(request, "staff", required=False)),
        include_cancelled=_flag(query(request, "include_cancelled", required=False), "include_cancelled"),
        desk_ids=_staff(query(request, "desk", required=False)),
    )
    business = found.catalog.business
    return {
        "timezone": business.timezone,
        "from": found.first.isoformat(),
        "to": found.last.isoformat(),
        "staff": [{"id": m.id, "name": m.name, "writable": principal.may_write_agenda_of(m.id)}
                  for m in found.staff],
        "appointments": [appointment_json(v, principal) for v in found.appointments],
        "desks": [desk_column(d) for d in found.desks],
    }


@admin_agenda.route("/admin/monitor", methods=["GET"], action="monitor.read")
def monitor(principal: Principal) -> dict:
    request = admin_agenda.current_request
    day = _day(query(request, "date", required=False), principal)
    found, step, slots = backoffice.monitor(wiring.store(), wiring.clients(), principal, day,
                                         _staff(query(request, "staff", required=False)),
                                         _staff(query(request, "desk", required=False)))
    tz = found.catalog.business.tz
    views = found.appointments
    return {
        "date": day.isoformat(),
        "timezone": found.catalog.business.timezone,
        "step_minutes": step,
        "staff": [{"id": m.id, "name": m.name} for m in found.staff],
        "desks": [desk_column(d) for d in found.desks],
        "totals": {state: sum(1 for v in views if check_in_state(v.appointment.status) == state)
                   for state in ("awaiting_approval", "expected", "arrived", "completed", "no_show")},
        "slots": [
            {"time": slot.start.astimezone(tz).strftime("%H:%M"), "start": slot.start.astimezone(tz).isoformat(),
             "bookings": [appointment_json(v, principal) for v in slot.bookings]}
            for slot in slots
        ],
    }


def _body(known: set[str], *, required: bool) -> dict[str, Any]:
    request = admin_agenda.current_request
    if not required and not (request.raw_body or b"").strip():
        return {}
    return json_body(request, known)


def _day(value: str | None, principal: Principal) -> date:
    if value:
        return parse_date(value, "date")
    tz = wiring.store().catalog(principal.business_id).business.tz
    return wiring.now().astimezone(tz).date()


def desk_column(desk) -> dict:
    """A desk as the agenda and the monitor head its column."""
    return {"id": desk.id, "number": desk.number, "name": desk.label, "open": desk.open}


def _staff(value: str | None) -> list[str] | None:
    """`staff=stf_a,stf_b` (or `desk=dsk_a,dsk_b`): comma-separated ids."""
    if not value:
        return None
    return [s.strip() for s in value.split(",") if s.strip()] or None


def _boolean(body: dict[str, Any], field: str) -> bool:
    """An optional JSON true/false in the body (absent is false)."""
    value = body.get(field, False)
    if not isinstance(value, bool):
        raise ValidationError("must be true or false", field=field, code="wrong_type")
    return value


def _flag(value: str | None, field: str) -> bool:
    if value in (None, "", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise ValidationError("true or false", field=field, code="invalid_flag")
