"""The businesses the browser tests book with, written into the local stack's DynamoDB.

Run as `python -m tests.e2e.seed` with the stack's environment (tests/e2e/conftest.py does): a child
process, so this test run's moto mocks and cached PynamoDB clients are never pointed at DynamoDB Local.
Everyone works every day from 08:00 to 20:00, so free times exist whatever day the tests run.
"""
from __future__ import annotations

from decimal import Decimal

from chalicelib import wiring
from chalicelib.domain.calendar import WeeklyHours
from chalicelib.domain.model import Approval, BookingRules, Business, ClientChanges, Service, Staff

EVERY_DAY = WeeklyHours.from_json({d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
MORNINGS = WeeklyHours.from_json({d: [["08:00", "12:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
RULES = BookingRules(slot_step_minutes=30, min_notice_minutes=60, horizon_days=30)


def business(slug: str, name: str, **changes) -> Business:
    values = dict(id=f"biz_{slug.replace('-', '_')}", slug=slug, name=name, timezone="Europe/Madrid", locale="en",
                  currency="EUR", opening_hours=EVERY_DAY, rules=RULES, phone="+34910000001")
    values.update(changes)
    return Business(**values)


SERVICES = [
    Service("svc_cut", "Haircut", 30, Decimal("25.00"), "Wash and cut", "Hair"),
    Service("svc_colour", "Colour", 90, Decimal("60.50"), "Full colour", "Hair", buffer_after_minutes=15),
    Service("svc_manicure", "Manicure", 40, Decimal("20.00"), "", "Hands"),
]


def staff(ana_code: str | None = None) -> list[Staff]:
    return [
        Staff("stf_ana", "Ana", frozenset({"svc_cut", "svc_colour"}), EVERY_DAY, secret_code=ana_code),
        Staff("stf_bea", "Bea", frozenset({"svc_cut", "svc_manicure"}), EVERY_DAY),
    ]


def catalogs():
    yield business("e2e-open", "Studio Bella"), SERVICES, staff()
    yield business("e2e-locked", "Private Studio", secret_code="4200"), SERVICES, staff(ana_code="7007")
    yield business("e2e-throttle", "Quiet Studio", secret_code="8585"), SERVICES, staff()
    yield (business("e2e-phone", "Call Us Salon", phone="+34910000009",
                    rules=BookingRules(slot_step_minutes=30, min_notice_minutes=60, horizon_days=30,
                                       client_changes=ClientChanges.OFF)), SERVICES, staff())
    yield (business("e2e-approval", "Careful Clinic",
                    rules=BookingRules(slot_step_minutes=30, min_notice_minutes=60, horizon_days=30,
                                       approval=Approval.MANUAL)), SERVICES, staff())
    yield (business("e2e-strict", "Firm Salon",  # changes need 31 days' notice: every booking is inside it
                    rules=BookingRules(slot_step_minutes=30, min_notice_minutes=60, horizon_days=30,
                                       client_change_notice_hours=31 * 24)), SERVICES, staff())
    yield (business("e2e-mornings", "Early Birds", opening_hours=MORNINGS), SERVICES, staff())
    yield (business("e2e-praha", "Salon Praha", timezone="Europe/Prague", locale="cs", currency="CZK",
                    phone="+420601234567"),
           [Service("svc_strih", "Střih", 45, Decimal("650.00"), "", "Vlasy")],
           [Staff("stf_petra", "Petra", frozenset({"svc_strih"}), EVERY_DAY)])


def main() -> None:
    store = wiring.store()
    for found, offered, members in catalogs():
        for item in offered:
            store.save_service(found.id, item)
        for member in members:
            store.save_staff(found.id, member)
        store.save_business(found)


if __name__ == "__main__":
    main()
