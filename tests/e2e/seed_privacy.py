"""The salon the privacy browser test works in (tests/e2e/test_backoffice_privacy.py), run as
`python -m tests.e2e.seed_privacy` with the stack's environment (as tests/e2e/seed_screens.py): its owner
(level 1), a receptionist (level 3, who may neither export nor erase) and a client booked for tomorrow."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from chalicelib import wiring
from chalicelib.domain.calendar import WeeklyHours
from chalicelib.domain.model import Staff
from chalicelib.domain.principal import Level, Principal
from chalicelib.services import backoffice, clients, identity
from chalicelib.services.backoffice import NewAppointment
from tests.e2e.seed import EVERY_DAY, SERVICES, business
from tests.e2e.seed_screens import PASSWORD  # the screens' tests sign in with it
SALON = business("e2e-privacy", "Salon Privacy")
OWNER = ("stf_owner", "owner@e2e-privacy.example", Level.ADMIN)
DESK = ("stf_desk", "desk@e2e-privacy.example", Level.RECEPTION_FULL)
CLIENT = {"first_name": "Rosalind", "last_name": "Forgetmenot", "email": "rosalind.forgetmenot@example.com",
          "phone": "+34611998877", "notes": "Asked to be forgotten"}


def main() -> None:
    now = datetime.now(timezone.utc)
    store = wiring.store()
    for item in SERVICES:
        store.save_service(SALON.id, item)
    store.save_staff(SALON.id, Staff(OWNER[0], "Olga (owner)", frozenset(), WeeklyHours()))
    store.save_staff(SALON.id, Staff(DESK[0], "Diego (desk)", frozenset(), WeeklyHours()))
    store.save_staff(SALON.id, Staff("stf_ana", "Ana", frozenset({"svc_cut"}), EVERY_DAY))
    store.save_business(SALON)
    for staff_id, email, level in (OWNER, DESK):
        identity.provision_login(wiring.directory(), SALON.id, staff_id, email, level, PASSWORD, now, replace=True)
    owner = Principal(business_id=SALON.id, staff_id=OWNER[0], level=OWNER[2], email=OWNER[1])
    profile = clients.create(wiring.clients(), owner, dict(CLIENT), now)
    tomorrow = now.astimezone(ZoneInfo(SALON.timezone)).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(10, 0), ZoneInfo(SALON.timezone))
    backoffice.create(store, wiring.clients(), owner, NewAppointment(profile.id, "svc_cut", "stf_ana", start), now)
    print(profile.id)


if __name__ == "__main__":
    main()
