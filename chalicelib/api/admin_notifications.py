"""Backoffice: what a business sends its clients, in whose words (settings, custom texts, preview).

The rendering code is imported when one of these routes runs, not when the API Lambda starts
(chalicelib/later.py): the routes are rare, and every other request would pay for the import."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from .. import wiring
from ..domain.principal import Principal
from ..errors import TurnoError
from ..later import later
from .admin_http import AdminApi
from .http import BY_USE_CASE, error_response, json_body

if TYPE_CHECKING:
    from ..notifications.compose import Message
    from ..domain.notification_settings import NotificationSettings

notification_settings = later("chalicelib.services.notification_settings")
render = later("chalicelib.notifications.render")

notifications = AdminApi(__name__)
INVALID_TEMPLATE = "invalid_template"


def _settings_json(settings: "NotificationSettings") -> dict:
    return {**settings.to_json(), "variables": render.documented()}


def _unprocessable(error: TurnoError) -> Response:
    """A custom text that cannot be rendered is well-formed JSON with unusable content: 422."""
    response = error_response(error)
    if error.code == INVALID_TEMPLATE:
        response.status_code = 422
    return response


@notifications.route("/admin/notifications", methods=["GET"], action="business.read")
def read_settings(principal: Principal) -> dict:
    return _settings_json(notification_settings.read(principal.business_id))


@notifications.route("/admin/notifications", methods=["PUT"], action="settings.write")
def save_settings(principal: Principal) -> dict:
    body = json_body(notifications.current_request, BY_USE_CASE)
    return _settings_json(notification_settings.save_preferences(principal.business_id, body, wiring.now()))


@notifications.route("/admin/notifications/texts/{kind}/{channel}", methods=["PUT"], action="settings.write")
def save_text(principal: Principal, kind: str, channel: str) -> Any:
    body = json_body(notifications.current_request, BY_USE_CASE)
    try:
        return notification_settings.save_text(wiring.store(), principal.business_id, kind, channel, body, wiring.now()).to_json()
    except TurnoError as error:
        return _unprocessable(error)


@notifications.route("/admin/notifications/texts/{kind}/{channel}", methods=["DELETE"], action="settings.write")
def delete_text(principal: Principal, kind: str, channel: str) -> Response:
    notification_settings.delete_text(principal.business_id, kind, channel)
    return Response(body="", status_code=204)


@notifications.route("/admin/notifications/preview", methods=["POST"], action="settings.write")
def preview(principal: Principal) -> Any:
    body = json_body(notifications.current_request, BY_USE_CASE)
    try:
        return _message_json(notification_settings.preview(wiring.store(), principal.business_id, body, wiring.now()))
    except TurnoError as error:
        return _unprocessable(error)


def _message_json(message: "Message") -> dict:
    if message.channel == "sms":
        return {"kind": message.kind.value, "channel": "sms", "locale": message.locale, "text": message.text,
                "encoding": message.encoding, "segments": message.segments}
    return {"kind": message.kind.value, "channel": "email", "locale": message.locale, "subject": message.subject,
            "text": message.text, "html": message.html, "ics_method": message.ics_method}
