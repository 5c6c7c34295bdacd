"""Backoffice: a client's messages (failed ones to follow up) and message counts for reports."""
from __future__ import annotations

from .. import wiring
from ..domain.principal import Principal
from ..errors import ValidationError
from ..domain.messages import LoggedMessage
from ..later import later
from .admin_http import AdminApi
from .http import page_limit, parse_date, query

message_log = later("chalicelib.services.message_log")

admin_messages = AdminApi(__name__)
MAX_LIMIT = 200


@admin_messages.route("/admin/clients/{client_id}/messages", methods=["GET"], action="clients.read")
def client_messages(principal: Principal, client_id: str) -> dict:
    request = admin_messages.current_request
    limit = page_limit(request, 50)
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"a whole number from 1 to {MAX_LIMIT}", field="limit", code="invalid_number")
    found = message_log.client_messages(wiring.clients(), principal, client_id,
                                    query(request, "status", required=False), limit)
    return {"messages": [message_json(m, principal) for m in found]}


@admin_messages.route("/admin/reports/messages", methods=["GET"], action="reports.read")
def message_counts(principal: Principal) -> dict:
    request = admin_messages.current_request
    first = parse_date(query(request, "from"), "from")
    last = parse_date(query(request, "to"), "to")
    return message_log.counts(principal, first, last)


def message_json(item: LoggedMessage, principal: Principal) -> dict:
    body = {
        "kind": item.kind, "channel": item.channel, "status": item.status,
        "at": item.at.isoformat().replace("+00:00", "Z"), "reference": item.reference,
        "attempts": item.attempts, "segments": item.segments,
        "encoding": item.encoding, "error": item.error,
    }
    if principal.sees_contacts:
        body["to"] = item.to
    return body
