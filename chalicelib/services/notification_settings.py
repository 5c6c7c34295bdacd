"""Use cases behind the backoffice's notification settings: read, change, custom texts, preview.

They take the business id from the caller's Principal (never from the request body), and the store and
the clock from the edge (api/admin_notifications.py)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from ..domain.model import AppointmentStatus, Catalog, ServiceStatus
from ..errors import ValidationError
from ..notifications import render
from ..notifications.compose import Message, compose
from ..domain.messages import MessageKind
from ..domain.notification_settings import CustomText, NotificationSettings, custom_text_from_json, kind_and_channel
from ..repositories import notification_settings as repository

SAMPLE_STATUS = {MessageKind.PENDING: AppointmentStatus.PENDING, MessageKind.REJECTED: AppointmentStatus.REJECTED,
                 MessageKind.CANCELLED: AppointmentStatus.CANCELLED}


class Catalogs(Protocol):
    """Where the sample booking's business, service and professional come from (the store)."""

    def catalog(self, business_id: str) -> Catalog: ...


def read(business_id: str) -> NotificationSettings:
    return repository.notification_settings(business_id)


def save_preferences(business_id: str, data: Any, now: datetime) -> NotificationSettings:
    """Replace toggles, reminder lead times and SMS mode; fields left out keep their defaults.
    Custom texts are not part of this body (they have their own route) and stay as they are."""
    if isinstance(data, dict) and "custom_texts" in data:
        raise ValidationError("custom texts are saved one by one at /admin/notifications/texts/{kind}/{channel}",
                              field="custom_texts", code="unknown_field")
    current = repository.notification_settings(business_id)
    updated = NotificationSettings.from_json(data, current.custom_texts)
    repository.save_notification_settings(business_id, updated, now=now)
    return updated


def save_text(catalogs: Catalogs, business_id: str, kind: str, channel: str, data: Any,
              now: datetime) -> CustomText:
    """Check the text on a sample booking of this business, then store it (422 when it cannot render)."""
    text = custom_text_from_json(kind, channel, data)
    render.check_custom_text(text, render.sample_context(**_sample_parts(catalogs.catalog(business_id)), now=now))
    repository.save_custom_text(business_id, text, now=now)
    return text


def delete_text(business_id: str, kind: str, channel: str) -> None:
    repository.delete_custom_text(business_id, *kind_and_channel(kind, channel))


def preview(catalogs: Catalogs, business_id: str, data: Any, now: datetime) -> Message:
    """The message a client would receive for a sample booking: the text in the body if one is
    given (checked like a save), else the business's saved text, else the default."""
    if not isinstance(data, dict):
        raise ValidationError("must be an object", code="wrong_type")
    kind, channel = data.get("kind"), data.get("channel")
    if not isinstance(kind, str) or not kind:
        raise ValidationError("this field is required", field="kind", code="required")
    if not isinstance(channel, str) or not channel:
        raise ValidationError("this field is required", field="channel", code="required")
    catalog = catalogs.catalog(business_id)
    parts = _sample_parts(catalog)
    settings = repository.notification_settings(business_id)
    text_fields = {k: v for k, v in data.items() if k not in ("kind", "channel")}
    kind_, channel_ = kind_and_channel(kind, channel)
    if text_fields:
        text = custom_text_from_json(kind, channel, text_fields)
        render.check_custom_text(text, render.sample_context(**parts, now=now))
        settings = settings.with_custom(text)
    # Show the chosen channel whatever the toggles say: the preview is for writing the text.
    settings = replace(settings, email=settings.email | {kind_}, sms=settings.sms | {kind_})
    sample = render.sample_booking(catalog.business, service=parts["service"], staff=parts["staff"],
                                   now=now, status=SAMPLE_STATUS.get(kind_, AppointmentStatus.CONFIRMED))
    found = compose(kind_, settings=settings, manage_url=render.SAMPLE_MANAGE_URL,
                    previous_start=sample["appointment"].start - timedelta(days=1),
                    held_until=now + timedelta(minutes=15), **sample)  # offers: a sample hold
    return next(m for m in found if m.channel == channel_.value)


def _sample_parts(catalog: Catalog) -> dict:
    """The business itself, its first bookable service and someone who performs it (if any)."""
    service = next((s for s in catalog.services if s.status is ServiceStatus.ACTIVE), None)
    staff = next((m for m in catalog.staff if service and m.performs(service.id)), None)
    return {"business": catalog.business, "service": service, "staff": staff}
