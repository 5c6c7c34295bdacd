"""The salon the Reports screen's browser test reads (tests/e2e/test_backoffice_reports.py).

Run as `python -m tests.e2e.seed_reports` with the stack's environment (a child process, like seed.py). Its
appointments are written the way every change is (agenda_changes), so the stack's stream pump counts them,
exactly as under `make dev`. March 2026, by hand: booked 3, completed 2 (25.00 + 60.50 = 85.50), cancelled 1;
one client, seen twice (average ticket 42.75); Ana earns by tiers, 10 % up to 50.00 and 20 % above:
5.00 + 35.50 x 20 % = 7.10, so 12.10.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from chalicelib import wiring
from chalicelib.domain.calendar import Interval
from chalicelib.domain.commissions import CommissionRule
from chalicelib.domain.model import Appointment, AppointmentStatus as S, Source, Staff, new_reference
from chalicelib.domain.principal import Level
from chalicelib.repositories import aggregates
from chalicelib.services import agenda_changes, identity
from tests.e2e.seed import EVERY_DAY, SERVICES, business

PASSWORD = "E2e-Reports-2026!"
SALON = business("e2e-reports", "Salon Figures")
ADMIN = ("stf_owner", "owner@e2e-reports.example", Level.ADMIN)
PRICES = {s.id: s for s in SERVICES}
MARCH = [("2026-03-10T10:00:00+00:00", "svc_cut", "stf_ana", Source.ONLINE, S.COMPLETED),
         ("2026-03-12T10:00:00+00:00", "svc_colour", "stf_ana", Source.BACKOFFICE, S.COMPLETED),
         ("2026-03-13T10:00:00+00:00", "svc_cut", "stf_bea", Source.ONLINE, S.CANCELLED)]


def main() -> None:
    now = datetime.now(timezone.utc)
    store = wiring.store()
    for item in SERVICES:
        store.save_service(SALON.id, item)
    store.save_staff(SALON.id, Staff("stf_owner", "Olga (owner)", frozenset(), EVERY_DAY))
    store.save_staff(SALON.id, Staff("stf_ana", "Ana", frozenset({"svc_cut", "svc_colour"}), EVERY_DAY))
    store.save_staff(SALON.id, Staff("stf_bea", "Bea", frozenset({"svc_cut"}), EVERY_DAY))
    store.save_business(SALON)
    aggregates.save_commission_rules(SALON.id, [CommissionRule(
        staff_id="stf_ana", tiers=((Decimal("0.00"), Decimal("10")), (Decimal("50.00"), Decimal("20"))))], now)
    identity.provision_login(wiring.directory(), SALON.id, ADMIN[0], ADMIN[1], ADMIN[2], PASSWORD, now, replace=True)
    for start, service, staff, source, status in MARCH:
        begins = datetime.fromisoformat(start)
        ends = begins + timedelta(minutes=PRICES[service].duration_minutes)
        agenda_changes.book(store, Appointment(
            new_reference(), SALON.id, "cli_e2e_reports", service, staff, begins, ends, Interval(begins, ends), status,
            source, PRICES[service].price, "EUR", now, now), by="system")


if __name__ == "__main__":
    main()
