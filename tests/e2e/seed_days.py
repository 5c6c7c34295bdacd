"""The salon of the special-days browser tests (tests/e2e/test_special_days.py).

Run as `python -m tests.e2e.seed_days` with the stack's environment, like tests/e2e/seed.py: "e2e-days",
open every day, closed tomorrow ("Fiesta local"), with an administrator and, the day after tomorrow at
10:00, Valeria's haircut with Ana (what a closure on that day covers), and three days ahead at 10:00 Iker's
(what time off for Ana covers).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from chalicelib import wiring
from chalicelib.domain.model import Staff
from chalicelib.domain.principal import Level, Principal
from chalicelib.services import backoffice, clients, identity, special_days
from chalicelib.services.backoffice import NewAppointment
from tests.e2e.seed import EVERY_DAY, SERVICES, business

PASSWORD = "E2e-Days-2026!"
SALON = business("e2e-days", "Salon Calendario")
ADMIN = ("stf_owner", "owner@e2e-days.example", Level.ADMIN)
HOLIDAY = "Fiesta local"


def local_day(now: datetime, days: int):
    return now.astimezone(ZoneInfo(SALON.timezone)).date() + timedelta(days=days)


def main() -> None:
    now = datetime.now(timezone.utc)
    store = wiring.store()
    for item in SERVICES:
        store.save_service(SALON.id, item)
    store.save_staff(SALON.id, Staff("stf_owner", "Olga (owner)", frozenset(), EVERY_DAY))
    store.save_staff(SALON.id, Staff("stf_ana", "Ana", frozenset({"svc_cut", "svc_colour"}), EVERY_DAY))
    store.save_business(SALON)
    identity.provision_login(wiring.directory(), SALON.id, ADMIN[0], ADMIN[1], ADMIN[2], PASSWORD, now, replace=True)
    owner = Principal(SALON.id, ADMIN[0], ADMIN[2], ADMIN[1])
    special_days.add_closure(store, wiring.clients(), owner, {"name": HOLIDAY, "first_day": local_day(now, 1).isoformat()},
                             now)
    for days, (first, last) in ((2, ("Valeria", "Soto")), (3, ("Iker", "Mendi"))):
        profile = clients.create(wiring.clients(), owner, {"first_name": first, "last_name": last,
                                                           "email": f"{first.lower()}@example.com"}, now)
        start = datetime.combine(local_day(now, days), time(10, 0), ZoneInfo(SALON.timezone))
        backoffice.create(store, wiring.clients(), owner, NewAppointment(profile.id, "svc_cut", "stf_ana", start), now)


if __name__ == "__main__":
    main()
