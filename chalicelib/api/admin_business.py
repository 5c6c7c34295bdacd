"""Running the business from the backoffice: settings, services, staff, access, the audit log.
Thin: parse the request, call the use case (services/business_settings.py, catalog.py, team.py,
staff_access.py, invitations.py) with the caller's Principal, shape the JSON."""
from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Response

from .. import wiring
from ..auth.permissions import PERMISSIONS, can
from ..config import settings
from ..domain.calendar import breaks_of
from ..domain.model import Business, Service
from ..domain.principal import Principal
from ..domain.views import business_view, service_view, staff_view
from ..errors import ValidationError
from ..later import later
from .admin_app import app_url
from .admin_http import AdminApi
from .http import BY_USE_CASE, json_body, page_limit, query

if TYPE_CHECKING:
    from ..services.invitations import Invitation
    from ..services.team import Member

audit = later("chalicelib.services.audit")
business_settings = later("chalicelib.services.business_settings")
catalog = later("chalicelib.services.catalog")
invitations = later("chalicelib.services.invitations")
staff_access = later("chalicelib.services.staff_access")
team = later("chalicelib.services.team")

admin = AdminApi(__name__)


@admin.route("/admin/me", methods=["GET"], action="session.read")
def me(principal: Principal) -> dict:
    """Who is signed in, and what the backoffice app may show them."""
    return {
        "business": principal.business_id,
        "staff": principal.staff_id,
        "email": principal.email,
        "level": int(principal.level),
        "level_name": principal.level.label,
        "sees_contacts": principal.sees_contacts,
        "agenda_scope": principal.agenda_scope.value,
        "actions": sorted(action for action in PERMISSIONS if can(principal, action)),
    }


# -- business settings ----------------------------------------------------------------------------
@admin.route("/admin/business", methods=["GET"], action="business.read")
def business(principal: Principal) -> dict:
    return business_json(principal, business_settings.read(principal))


@admin.route("/admin/business", methods=["PATCH"], action="settings.write")
def update_business(principal: Principal) -> dict:
    body = json_body(admin.current_request, BY_USE_CASE)
    return business_json(principal, business_settings.update(principal, body, wiring.now(), wiring.store()))


# -- services -----------------------------------------------------------------------------------------
@admin.route("/admin/services", methods=["GET"], action="services.read")
def services(principal: Principal) -> dict:
    found, performers = catalog.services(principal)
    return {"services": [service_json(s, performers.get(s.id, [])) for s in found]}


@admin.route("/admin/services", methods=["POST"], action="services.write")
def create_service(principal: Principal) -> Response:
    body = json_body(admin.current_request, BY_USE_CASE)
    created, performers = catalog.create_service(principal, body, wiring.now())
    return Response(body=service_json(created, performers), status_code=201)


@admin.route("/admin/services/{service_id}", methods=["GET"], action="services.read")
def one_service(principal: Principal, service_id: str) -> dict:
    return service_json(*catalog.service(principal, service_id))


@admin.route("/admin/services/{service_id}", methods=["PATCH"], action="services.write")
def update_service(principal: Principal, service_id: str) -> dict:
    body = json_body(admin.current_request, BY_USE_CASE)
    return service_json(*catalog.update_service(principal, service_id, body, wiring.now()))


# -- staff ----------------------------------------------------------------------------------------------
@admin.route("/admin/staff", methods=["GET"], action="staff.read")
def staff(principal: Principal) -> dict:
    return {"staff": [member_json(principal, m) for m in team.members(principal)]}


@admin.route("/admin/staff", methods=["POST"], action="staff.write")
def create_staff(principal: Principal) -> Response:
    created = team.add_member(principal, json_body(admin.current_request, BY_USE_CASE), wiring.now())
    return Response(body=member_json(principal, created), status_code=201)


@admin.route("/admin/staff/{staff_id}", methods=["GET"], action="staff.read")
def one_staff(principal: Principal, staff_id: str) -> dict:
    return member_json(principal, team.member(principal, staff_id))


@admin.route("/admin/staff/{staff_id}", methods=["PATCH"], action="staff.write")
def update_staff(principal: Principal, staff_id: str) -> dict:
    body = json_body(admin.current_request, BY_USE_CASE)
    member = team.update_member(principal, staff_id, body, wiring.now(), agenda=(wiring.store(), wiring.clients()))
    return {**member_json(principal, member), **({"cancelled": list(member.cancelled)} if member.cancelled else {})}


@admin.route("/admin/staff/{staff_id}/access", methods=["PUT"], action="access.write")
def change_access(principal: Principal, staff_id: str) -> dict:
    body = json_body(admin.current_request, {"level"})
    if "level" not in body:
        raise ValidationError("this field is required", field="level", code="required")
    return member_json(principal, staff_access.change_level(principal, staff_id, body["level"], wiring.now()))


@admin.route("/admin/staff/{staff_id}/access", methods=["DELETE"], action="access.write")
def revoke_access(principal: Principal, staff_id: str) -> dict:
    return member_json(principal, staff_access.revoke(principal, wiring.directory(), staff_id, wiring.now()))


@admin.route("/admin/staff/invitations", methods=["POST"], action="access.write")
def invite(principal: Principal) -> Response:
    body = json_body(admin.current_request, BY_USE_CASE)
    invitation = invitations.invite(principal, wiring.directory(), wiring.mailer(), body,
                                    wiring.now(), sign_in_url=app_url(settings().backoffice_url))
    return Response(body=invitation_json(principal, invitation), status_code=201)


@admin.route("/admin/staff/{staff_id}/invitation", methods=["POST"], action="access.write")
def resend_invitation(principal: Principal, staff_id: str) -> dict:
    invitation = invitations.resend(principal, wiring.directory(), wiring.mailer(), staff_id, wiring.now(),
                                    sign_in_url=app_url(settings().backoffice_url))
    return invitation_json(principal, invitation)


# -- audit log ------------------------------------------------------------------------------------------
@admin.route("/admin/audit", methods=["GET"], action="audit.read")
def audit_log(principal: Principal) -> dict:
    request = admin.current_request
    entries, cursor = audit.listing(principal, page_limit(request, 50), query(request, "cursor", required=False))
    return {"entries": [
        {"at": e.at.isoformat().replace("+00:00", "Z"), "actor": {"staff": e.actor_id, "email": e.actor_email,
                                                                  "level": e.actor_level},
         "action": e.action, "target": {"kind": e.target_kind, "id": e.target_id},
         "before": e.before, "after": e.after}
        for e in entries
    ], "next_cursor": cursor}


# -- JSON shapes ----------------------------------------------------------------------------------------
def business_json(principal: Principal, found: Business) -> dict:
    view = business_view(found)
    body = {"id": found.id, "slug": found.slug, "timezone": found.timezone, "locale": found.locale,
            "currency": found.currency, **view, "requires_code": bool(found.secret_code)}
    if not can(principal, "codes.read"):
        body.pop("secret_code")
    return body


def service_json(found: Service, performers: list[str]) -> dict:
    return {"id": found.id, **service_view(found), "staff": sorted(performers)}


def member_json(principal: Principal, member: Member) -> dict:
    view = staff_view(member.staff)
    body = {"id": member.staff.id, **view, "breaks": breaks_of(member.staff.hours),
            "has_code": bool(member.staff.secret_code)}
    if not can(principal, "codes.read"):
        body.pop("secret_code")
    if can(principal, "access.read"):
        body["access"] = None if member.account is None else {
            "email": member.account.email, "level": member.account.level}
    return body


def invitation_json(principal: Principal, invitation: Invitation) -> dict:
    return {**member_json(principal, invitation.member), "invitation": {
        "email": invitation.member.account.email if invitation.member.account else None,
        "sent": invitation.sent, "valid_days": invitations.VALID_DAYS}}
