"""A business, a service and a staff member as JSON.

Not at the HTTP edge alone: the audit log records these same shapes (before and after each change, in the
change's own transaction), and the backoffice's responses are built on them, so one shape serves both and
an audit entry always reads like the screen it came from.
"""
from __future__ import annotations

from datetime import datetime

from .calendar import UTC, breaks_of
from .model import Business, Service, Staff


def business_view(business: Business) -> dict:
    rules = business.rules
    return {
        "name": business.name, "phone": business.phone, "opening_hours": business.opening_hours.to_json(),
        "booking_rules": {
            "slot_step_minutes": rules.slot_step_minutes, "min_notice_minutes": rules.min_notice_minutes,
            "horizon_days": rules.horizon_days, "approval": rules.approval.value,
            "total_availability": rules.total_availability, "client_changes": rules.client_changes.value,
            "client_change_notice_hours": rules.client_change_notice_hours,
            "check_in_margin_minutes": rules.check_in_margin_minutes,
            "show_desk": rules.show_desk,
        },
        "secret_code": business.secret_code,
    }


def service_view(service: Service) -> dict:
    return {
        "name": service.name, "description": service.description, "category": service.category,
        "duration_minutes": service.duration_minutes, "buffer_before_minutes": service.buffer_before_minutes,
        "buffer_after_minutes": service.buffer_after_minutes, "price": f"{service.price:.2f}",
        "status": service.status.value, "requires_desk": service.requires_desk,
    }


def staff_view(member: Staff) -> dict:
    return {
        "name": member.name, "email": member.email, "phone": member.phone, "hours": member.hours.to_json(),
        "breaks": breaks_of(member.hours),
        "time_off": [{"start": _utc_text(i.start), "end": _utc_text(i.end)} for i in member.time_off],
        "services": sorted(member.service_ids), "secret_code": member.secret_code,
    }


def _utc_text(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
