"""The salons the backoffice screens' browser tests work in (tests/e2e/test_backoffice_screens.py).

Run as `python -m tests.e2e.seed_screens` with the stack's environment, like tests/e2e/seed.py (a child
process, so the test run's own mocks never point at DynamoDB Local):
- "e2e-screens": a running salon with an administrator, a level-6 professional (no client contacts), and
  a client with an appointment and two messages in her log (one sent, one failed);
- "e2e-fresh": a business just signed up: its owner's login and nothing else (the guided start).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from chalicelib import wiring
from chalicelib.domain.calendar import WeeklyHours
from chalicelib.domain.model import Staff
from chalicelib.domain.principal import Level, Principal
from chalicelib.repositories.codecs import iso
from chalicelib.repositories.tables import MessageLogItem
from chalicelib.services import backoffice, clients, identity
from chalicelib.services.backoffice import NewAppointment
from tests.e2e.seed import EVERY_DAY, SERVICES, business

PASSWORD = "E2e-Screens-2026!"
SALON = business("e2e-screens", "Salon Screens")
FRESH = business("e2e-fresh", "Fresh Start Studio")
ADMIN = ("stf_owner", "owner@e2e-screens.example", Level.ADMIN)
NO_CONTACTS = ("stf_marco", "marco@e2e-screens.example", Level.PROFESSIONAL_NO_CONTACTS)
FOUNDER = ("stf_founder", "founder@e2e-fresh.example", Level.ADMIN)
CLIENT = {"first_name": "Valentina", "last_name": "Quintero", "email": "valentina.quintero@example.com",
          "phone": "+34611223344", "notes": "Prefers mornings"}
FAILED_SMS = "the carrier refused the number"


def salon_staff() -> list[Staff]:
    return [
        Staff("stf_owner", "Olga (owner)", frozenset(), WeeklyHours()),
        Staff("stf_ana", "Ana", frozenset({"svc_cut", "svc_colour"}), EVERY_DAY),
        Staff("stf_marco", "Marco", frozenset({"svc_cut", "svc_manicure"}), EVERY_DAY),
    ]


def login(business_id: str, staff_id: str, email: str, level: Level, now: datetime) -> None:
    identity.provision_login(wiring.directory(), business_id, staff_id, email, level, PASSWORD, now, replace=True)


def client_with_history(now: datetime) -> None:
    """Valentina, booked with Marco tomorrow at 10:00, and what her log says was sent to her."""
    owner = Principal(business_id=SALON.id, staff_id=ADMIN[0], level=ADMIN[2], email=ADMIN[1])
    profile = clients.create(wiring.clients(), owner, dict(CLIENT), now)
    tomorrow = now.astimezone(ZoneInfo(SALON.timezone)).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(10, 0), ZoneInfo(SALON.timezone))
    booked = backoffice.create(wiring.store(), wiring.clients(), owner,
                               NewAppointment(profile.id, "svc_cut", "stf_marco", start), now).appointment
    for n, (channel, status, to, error) in enumerate([("email", "sent", CLIENT["email"], None),
                                                      ("sms", "failed", CLIENT["phone"], FAILED_SMS)]):
        at = now - timedelta(minutes=5 - n)
        sk = f"{iso(at)}#seed_{booked.reference}#{channel}"
        MessageLogItem(pk=f"BIZ#{SALON.id}#MSGLOG#{profile.id}", sk=sk, agenda_pk=f"BIZ#{SALON.id}#MSGS", agenda_sk=sk,
                       outbox_id=f"seed_{booked.reference}", reference=booked.reference, client_id=profile.id,
                       message_kind="confirmed", channel=channel, status=status, to=to, at=at, attempts=1,
                       segments=1 if channel == "sms" else None, error=error).save()


def main() -> None:
    now = datetime.now(timezone.utc)
    store = wiring.store()
    for item in SERVICES:
        store.save_service(SALON.id, item)
    for member in salon_staff():
        store.save_staff(SALON.id, member)
    store.save_business(SALON)
    store.save_staff(FRESH.id, Staff(FOUNDER[0], "Fiona (owner)", frozenset(), WeeklyHours()))
    store.save_business(FRESH)
    for business_id, (staff_id, email, level) in ((SALON.id, ADMIN), (SALON.id, NO_CONTACTS), (FRESH.id, FOUNDER)):
        login(business_id, staff_id, email, level, now)
    client_with_history(now)


if __name__ == "__main__":
    main()
