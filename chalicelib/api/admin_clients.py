"""Backoffice clients: register, edit, look up with history, search. Level 6 never gets contacts."""
from __future__ import annotations

from typing import Any

from chalice import Response

from .. import wiring
from ..domain.principal import Principal
from ..domain.clients import normal_fiscal_code
from ..domain.contact import normal_email, normal_phone
from ..later import later
from .admin_http import AdminApi
from .admin_views import appointment_summary, client_json
from .http import json_body, page_limit, query, text

clients = later("chalicelib.services.clients")

admin_clients = AdminApi(__name__)

OPTIONAL = ("email", "phone", "mobile", "fiscal_code", "notes", "last_name")
ALLOWED = {"first_name", *OPTIONAL}
MAX_QUERY = 100  # characters in a search: longer is no name, phone or fiscal code


@admin_clients.route("/admin/clients", methods=["POST"], action="clients.write")
def create_client(principal: Principal) -> Response:
    fields = parse_client(json_body(admin_clients.current_request, ALLOWED), partial=False)
    profile = clients.create(wiring.clients(), principal, fields, wiring.now())
    return Response(body=client_json(profile, principal), status_code=201)


@admin_clients.route("/admin/clients", methods=["GET"], action="clients.read")
def search_clients(principal: Principal) -> dict:
    request = admin_clients.current_request
    page = clients.find(wiring.clients(), principal,
                        text(request.query_params or {}, "q", required=False, max_length=MAX_QUERY),
                        query(request, "cursor", required=False), page_limit(request))
    return {"clients": [client_json(c, principal) for c in page.clients], "cursor": page.cursor}


@admin_clients.route("/admin/clients/{client_id}", methods=["GET"], action="clients.read")
def view_client(principal: Principal, client_id: str) -> dict:
    profile, history = clients.with_history(wiring.clients(), principal, client_id)
    catalog = wiring.store().catalog(principal.business_id)
    body = client_json(profile, principal)
    body["history"] = [appointment_summary(a, catalog) for a in history]
    return body


@admin_clients.route("/admin/clients/{client_id}", methods=["PATCH"], action="clients.write")
def edit_client(principal: Principal, client_id: str) -> dict:
    changes = parse_client(json_body(admin_clients.current_request, ALLOWED), partial=True)
    _, after = clients.update(wiring.clients(), principal, client_id, changes, wiring.now())
    return client_json(after, principal)


def parse_client(body: dict, *, partial: bool) -> dict[str, Any]:
    """The client fields in a request, normalised; with `partial`, only the ones present
    (null or "" clears an optional field)."""
    fields: dict[str, Any] = {}
    if not partial or "first_name" in body:
        fields["first_name"] = text(body, "first_name", max_length=100)
    limits = {"email": 254, "phone": 40, "mobile": 40, "fiscal_code": 40, "notes": 2000, "last_name": 100}
    for name in OPTIONAL:
        if partial and name not in body:
            continue
        value = text(body, name, required=False, max_length=limits[name], multiline=name == "notes")
        if value and name == "email":
            value = normal_email(value)
        elif value and name in ("phone", "mobile"):
            value = normal_phone(value, field=name)
        elif value and name == "fiscal_code":
            value = normal_fiscal_code(value)
        fields[name] = value or ("" if name in ("notes", "last_name") else None)
    return fields

