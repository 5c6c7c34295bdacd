"""Backoffice: export everything about one client, or erase them (levels 1-2; services/privacy.py), and the
business's retention setting (services/retention.py)."""
from __future__ import annotations

import json

from chalice import Response

from .. import wiring
from ..domain.principal import Principal
from ..errors import ValidationError
from ..later import later
from .admin_http import AdminApi
from .admin_views import client_json
from .http import json_body

privacy = later("chalicelib.services.privacy")
retention = later("chalicelib.services.retention")

admin_privacy = AdminApi(__name__)


@admin_privacy.route("/admin/clients/{client_id}/export", methods=["GET"], action="privacy.export")
def export_client(principal: Principal, client_id: str) -> Response:
    body = privacy.export(wiring.store(), wiring.clients(), principal, client_id, wiring.now())
    name = f"client-{client_id}-{body['exported_at'][:10]}.json"
    return Response(body=json.dumps(body, ensure_ascii=False, indent=1),
                    headers={"Content-Type": "application/json; charset=utf-8",
                             "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@admin_privacy.route("/admin/clients/{client_id}/erase", methods=["POST"], action="privacy.erase")
def erase_client(principal: Principal, client_id: str) -> dict:
    """`{"confirm": true}` is required: an erasure cannot be undone."""
    body = json_body(admin_privacy.current_request, {"confirm"})
    if body.get("confirm") is not True:
        raise ValidationError("an erasure cannot be undone: send \"confirm\": true", field="confirm",
                              code="confirmation_required")
    done = privacy.erase(wiring.store(), wiring.clients(), wiring.do_not_contact(), privacy.Actor.of(principal),
                         client_id, wiring.now())
    return {"client": client_json(done.client, principal), "already_erased": done.already, "changed": done.changed}


@admin_privacy.route("/admin/privacy/retention", methods=["GET"], action="business.read")
def retention_setting(principal: Principal) -> dict:
    return retention.settings(principal)


@admin_privacy.route("/admin/privacy/retention", methods=["PUT"], action="settings.write")
def change_retention(principal: Principal) -> dict:
    """`{"retention_months": 24}` pseudonymises clients idle for more than 24 months, nightly; null turns it off."""
    body = json_body(admin_privacy.current_request, {"retention_months"})
    if "retention_months" not in body:
        raise ValidationError("this field is required (null turns retention off)", field="retention_months",
                              code="required")
    return retention.change_settings(principal, body["retention_months"], wiring.now())
