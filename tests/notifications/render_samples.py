"""A booking to render messages for: the test salon (Madrid, es, EUR) and one appointment."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

from chalicelib.domain.calendar import UTC, Interval
from chalicelib.domain.model import Appointment, AppointmentStatus, Client, Source
from chalicelib.notifications.compose import compose
from chalicelib.domain.notification_settings import NotificationSettings
from tests import factories

MANAGE_URL = "https://book.example.com/manage/ABCD2345EFGH?token=t0k3n"
SENDER = "bookings@turno.example.com"


def booking(*, locale: str = "es", start: datetime = datetime(2026, 7, 1, 7, 0, tzinfo=UTC),
            status: AppointmentStatus = AppointmentStatus.CONFIRMED, client: Client | None = None,
            updated_at: datetime | None = None, **business_changes) -> dict:
    business = factories.salon(locale=locale, **business_changes)
    service = factories.services()[1]  # Color, 90 min, 60.50
    staff = factories.staff()[0]  # Ana
    created = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    end = start + timedelta(minutes=service.duration_minutes)
    appointment = Appointment(
        reference="ABCD2345EFGH", business_id=business.id, client_id="cli_eva", service_id=service.id,
        staff_id=staff.id, start=start, end=end, busy=Interval(start, end), status=status, source=Source.ONLINE,
        price=Decimal("60.50"), currency=business.currency, created_at=created, updated_at=updated_at or created,
    )
    client = client or Client("cli_eva", "Eva", "Ruiz", email="eva@example.com", phone="+34612345678")
    return dict(business=business, appointment=appointment, client=client, service=service, staff=staff)


def messages(kind, *, settings: NotificationSettings | None = None, sender: str | None = SENDER,
             previous_start: datetime | None = None, **booking_changes):
    parts = booking(**booking_changes)
    return compose(kind, settings=settings or NotificationSettings(), manage_url=MANAGE_URL, sender=sender,
                   previous_start=previous_start, **parts)


def by_channel(found) -> dict:
    return {m.channel: m for m in found}


def with_client(**changes) -> Client:
    return replace(Client("cli_eva", "Eva", "Ruiz", email="eva@example.com", phone="+34612345678"), **changes)
