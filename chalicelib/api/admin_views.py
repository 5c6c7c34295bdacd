"""How clients and appointments look to the backoffice. The one place contacts are left out for
callers who may not see them (access level 6): every admin response shapes clients here."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..auth.permissions import can
from ..domain.principal import Principal
from ..domain.clients import ClientProfile
from ..domain.model import Appointment, Catalog
from ..domain.transitions import allowed_actions, check_in_state

if TYPE_CHECKING:
    from ..services.backoffice import AppointmentView

CONTACT_FIELDS = ("email", "phone", "mobile")


def client_json(profile: ClientProfile, principal: Principal) -> dict:
    body = {
        "id": profile.id,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "fiscal_code": profile.fiscal_code,
        "notes": profile.notes,
        "created_at": _utc(profile.created_at),
        "updated_at": _utc(profile.updated_at),
        "erased_at": _utc(profile.erased_at),
    }
    if principal.sees_contacts:
        body.update({name: getattr(profile, name) for name in CONTACT_FIELDS})
    return body


def client_brief(profile: ClientProfile | None, client_id: str, principal: Principal) -> dict:
    """The client as an agenda entry shows them: name, and contacts for those who may see them."""
    if profile is None:
        return {"id": client_id, "first_name": None, "last_name": None}
    body = {"id": profile.id, "first_name": profile.first_name, "last_name": profile.last_name}
    if principal.sees_contacts:
        body.update({name: getattr(profile, name) for name in CONTACT_FIELDS})
    return body


def appointment_summary(appointment: Appointment, catalog: Catalog) -> dict:
    """An appointment without its client (for a client's own history)."""
    tz = catalog.business.tz
    service, member = catalog.service(appointment.service_id), catalog.member(appointment.staff_id)
    return {
        "reference": appointment.reference,
        "status": appointment.status.value,
        "check_in": check_in_state(appointment.status),
        "start": appointment.start.astimezone(tz).isoformat(),
        "end": appointment.end.astimezone(tz).isoformat(),
        "service": appointment.service_id,
        "service_name": service.name if service else None,
        "staff": appointment.staff_id,
        "staff_name": member.name if member else None,
        "notes": appointment.notes,
        "source": appointment.source.value,
        "exclusive": appointment.exclusive,
        "price": f"{appointment.price:.2f}",
        "currency": appointment.currency,
        **desk_json(appointment, catalog),
    }


def desk_json(appointment: Appointment, catalog: Catalog) -> dict:
    """The desk an appointment takes, in every view of it (nothing for one that takes none)."""
    if not appointment.desk_id:
        return {}
    desk = catalog.desk(appointment.desk_id)
    return {"desk": appointment.desk_id, "desk_number": desk.number if desk else None,
            "desk_name": desk.label if desk else None}


def appointment_json(view: AppointmentView, principal: Principal) -> dict:
    appointment = view.appointment
    body = appointment_summary(appointment, view.catalog)
    writable = principal.may_write_agenda_of(appointment.staff_id)
    body["client"] = client_brief(view.client, appointment.client_id, principal)
    body["writable"] = writable
    body["plan"] = appointment.plan.plan_id if appointment.plan else None  # the client's plan holding a unit
    approves = can(principal, "appointments.approve")
    body["actions"] = [a for a in allowed_actions(appointment.status)
                       if writable and (approves or a not in ("approve", "reject"))]
    return body


def _utc(instant: datetime | None) -> str | None:
    return instant.isoformat() if instant else None
