"""The salon of the desks browser test (tests/e2e/test_desks.py).

Run as `python -m tests.e2e.seed_desks` with the stack's environment, like tests/e2e/seed_days.py:
"e2e-desks", open every day; Colour needs a desk, and two colour stations take it; an administrator; and,
the day after tomorrow at 10:00, Valeria's colour with Ana, at station 1 (what closing station 1 covers).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from chalicelib import wiring
from chalicelib.domain.desks import Desk
from chalicelib.domain.model import Staff
from chalicelib.domain.principal import Level, Principal
from chalicelib.services import backoffice, clients, identity
from chalicelib.services.backoffice import NewAppointment
from tests.e2e.seed import EVERY_DAY, RULES, SERVICES, business
from tests.e2e.seed_days import local_day  # the same Madrid days as the special days' salon

PASSWORD = "E2e-Desks-2026!"
SALON = business("e2e-desks", "Salon Puestos", rules=replace(RULES, show_desk=True))
ADMIN = ("stf_owner", "owner@e2e-desks.example", Level.ADMIN)


def main() -> None:
    now = datetime.now(timezone.utc)
    store = wiring.store()
    for item in SERVICES:
        store.save_service(SALON.id, replace(item, requires_desk=item.id == "svc_colour"))
    store.save_staff(SALON.id, Staff("stf_owner", "Olga (owner)", frozenset(), EVERY_DAY))
    store.save_staff(SALON.id, Staff("stf_ana", "Ana", frozenset({"svc_cut", "svc_colour"}), EVERY_DAY))
    for number, name in ((1, "Colour A"), (2, "Colour B")):
        store.save_desk(SALON.id, Desk(f"dsk_e2e{number}", number, frozenset({"svc_colour"}), EVERY_DAY, description=name))
    store.save_business(SALON)
    identity.provision_login(wiring.directory(), SALON.id, ADMIN[0], ADMIN[1], ADMIN[2], PASSWORD, now, replace=True)
    owner = Principal(SALON.id, ADMIN[0], ADMIN[2], ADMIN[1])
    profile = clients.create(wiring.clients(), owner, {"first_name": "Valeria", "last_name": "Soto",
                                                       "email": "valeria@example.com"}, now)
    start = datetime.combine(local_day(now, 2), time(10, 0), ZoneInfo(SALON.timezone))
    backoffice.create(store, wiring.clients(), owner, NewAppointment(profile.id, "svc_colour", "stf_ana", start), now)


if __name__ == "__main__":
    main()
