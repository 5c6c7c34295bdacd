"""Backoffice desks: list, create, edit (number, operator or description, services, open/closed, weekly
hours, holidays). Thin: parse, call services/desks.py with the caller's Principal, shape the JSON."""
from __future__ import annotations

from chalice import Response

from .. import wiring
from ..domain.principal import Principal
from ..later import later
from .admin_http import AdminApi
from .http import BY_USE_CASE, json_body

desks = later("chalicelib.services.desks")

admin_desks = AdminApi(__name__)


@admin_desks.route("/admin/desks", methods=["GET"], action="desks.read")
def list_desks(principal: Principal) -> dict:
    return {"desks": [desks.desk_view(d) for d in desks.desks(principal)]}


@admin_desks.route("/admin/desks", methods=["POST"], action="desks.write")
def create_desk(principal: Principal) -> Response:
    body = json_body(admin_desks.current_request, BY_USE_CASE)
    return Response(body=desks.desk_view(desks.create(principal, body, wiring.now())), status_code=201)


@admin_desks.route("/admin/desks/{desk_id}", methods=["GET"], action="desks.read")
def one_desk(principal: Principal, desk_id: str) -> dict:
    return desks.desk_view(desks.desk(principal, desk_id))


@admin_desks.route("/admin/desks/{desk_id}", methods=["PATCH"], action="desks.write")
def update_desk(principal: Principal, desk_id: str) -> dict:
    """A closing or holidays over appointments: 409 with their list unless `on_conflict` says what to do."""
    body = json_body(admin_desks.current_request, BY_USE_CASE)
    desk, settled = desks.update(wiring.store(), wiring.clients(), principal, desk_id, body, wiring.now())
    return {**desks.desk_view(desk), "appointments": settled}
