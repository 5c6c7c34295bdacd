"""The salon the Marketing screen's browser test reads (tests/e2e/test_backoffice_marketing.py).

Run as `python -m tests.e2e.seed_marketing` with the stack's environment (a child process, like seed.py). The
appointments are written the way every change is (agenda_changes), so the stack's stream pump keeps each
client's figures, as under `make dev`: Dora last came 200 days ago (dormant) and agreed to news by email.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from chalicelib import wiring
from chalicelib.domain.calendar import Interval
from chalicelib.domain.clients import ClientProfile
from chalicelib.domain.marketing import ConsentChange
from chalicelib.domain.model import Appointment, AppointmentStatus as S, Source, Staff, new_reference
from chalicelib.domain.principal import Level
from chalicelib.repositories import marketing
from chalicelib.services import agenda_changes, identity
from tests.e2e.seed import EVERY_DAY, SERVICES, business

PASSWORD = "E2e-Marketing-2026!"
SALON = business("e2e-marketing", "Salon Return")
ADMIN = ("stf_owner", "owner@e2e-marketing.example", Level.ADMIN)


def main() -> None:
    now = datetime.now(timezone.utc)
    store = wiring.store()
    for item in SERVICES:
        store.save_service(SALON.id, item)
    store.save_staff(SALON.id, Staff("stf_owner", "Olga (owner)", frozenset(), EVERY_DAY))
    store.save_staff(SALON.id, Staff("stf_ana", "Ana", frozenset({"svc_cut"}), EVERY_DAY))
    store.save_business(SALON)
    identity.provision_login(wiring.directory(), SALON.id, ADMIN[0], ADMIN[1], ADMIN[2], PASSWORD, now, replace=True)
    wiring.clients().create(SALON.id, ClientProfile("cli_dora", "Dora", "Dormant", email="dora@e2e.example",
                                                    created_at=now))
    marketing.record_consent(SALON.id, "cli_dora", [ConsentChange("email", "marketing", True, "backoffice",
                                                                  "stf_owner", now, "News by email? Yes")])
    cut = next(s for s in SERVICES if s.id == "svc_cut")
    begins = now - timedelta(days=200)
    agenda_changes.book(store, Appointment(
        new_reference(), SALON.id, "cli_dora", "svc_cut", "stf_ana", begins, begins + timedelta(minutes=30),
        Interval(begins, begins + timedelta(minutes=30)), S.COMPLETED, Source.BACKOFFICE, cut.price, "EUR", now, now),
        by="system")


if __name__ == "__main__":
    main()
