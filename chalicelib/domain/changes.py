"""When a client may still cancel or move a booking from the link in their messages."""
from __future__ import annotations

from datetime import datetime, timedelta

from ..errors import ConflictError, ForbiddenError
from .model import Appointment, AppointmentStatus, Business, ClientChanges

# A client who has checked in, or whose booking is over, talks to the front desk instead.
CHANGEABLE = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)


def change_deadline(business: Business, appointment: Appointment) -> datetime | None:
    """The last instant a client may change the booking online; None when they may not at all."""
    rules = business.rules
    if rules.client_changes is ClientChanges.OFF:
        return None
    if rules.client_changes is ClientChanges.UNTIL:
        return appointment.start - timedelta(hours=rules.client_change_notice_hours)
    return appointment.start


def client_may_change(business: Business, appointment: Appointment, now: datetime) -> bool:
    """Whether the page may offer "change or cancel": the same rule the cancel and reschedule routes apply."""
    try:
        check_client_may_change(business, appointment, now)
    except (ConflictError, ForbiddenError):
        return False
    return True


def check_client_may_change(business: Business, appointment: Appointment, now: datetime) -> None:
    if appointment.status not in CHANGEABLE or appointment.start <= now:
        raise ConflictError("this booking can no longer be changed", code="booking_closed")
    deadline = change_deadline(business, appointment)
    if deadline is None:
        phone = f" on {business.phone}" if business.phone else ""
        raise ForbiddenError(f"online changes are off: please call {business.name}{phone}",
                             code="online_changes_off")
    if now > deadline:
        raise ConflictError("it is too late to change this booking online", code="too_late_to_change")
