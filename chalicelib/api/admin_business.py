"""Running the business from the backoffice: settings, services, staff, access, the audit log."""
from __future__ import annotations

from ..auth.permissions import PERMISSIONS, can
from ..auth.principal import Principal
from .admin_http import AdminApi

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
