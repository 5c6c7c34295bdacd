"""The salons of the plans' browser tests (tests/e2e/test_plans_pages.py), run as `python -m tests.e2e.seed_plans`
with the stack's environment, like tests/e2e/seed.py:
- "e2e-plans": the rest paid in the salon; Paula holds "Haircut pack" (2 haircuts), an administrator signs in;
- "e2e-plans-online": the same with online payment on (the page's other wording).
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from chalicelib import wiring
from chalicelib.domain.calendar import WeeklyHours
from chalicelib.domain.model import Staff
from chalicelib.domain.plans import ItemKind, PlanItem, PlanSettings, PlanTemplate, Validity, ValidityUnit
from chalicelib.domain.principal import Level, Principal
from chalicelib.services import clients, identity, plans
from tests.e2e.seed import SERVICES, business, staff
from tests.e2e.seed_screens import PASSWORD  # one password for the app's browser tests (their sign_in)

ADMIN = ("stf_owner", "owner@e2e-plans.example", Level.ADMIN)
PAULA = {"first_name": "Paula", "last_name": "Plan", "email": "paula@example.com", "phone": "+34611000222"}
SALON = business("e2e-plans", "Plan Studio")
ONLINE = business("e2e-plans-online", "Plan Studio Online")
PACK = "Haircut pack"


def main() -> None:
    now = datetime.now(timezone.utc)
    store, book = wiring.store(), wiring.plans()
    for found in (SALON, ONLINE):
        for item in SERVICES:
            store.save_service(found.id, item)
        for member in [*staff(), Staff(ADMIN[0], "Olga (owner)", frozenset(), WeeklyHours())]:
            store.save_staff(found.id, member)
        store.save_business(found)
        owner = Principal(found.id, ADMIN[0], ADMIN[2], email=ADMIN[1])
        template = book.save_template(PlanTemplate(f"tpl_{found.id}", found.id, PACK,
                                                   (PlanItem(ItemKind.SERVICE, "svc_cut", 2),), Decimal("45.00"),
                                                   Validity(3, ValidityUnit.MONTHS)), new=True)
        book.save_settings(found.id, PlanSettings(online_payment=found is ONLINE), now)
        paula = clients.create(wiring.clients(), owner, dict(PAULA), now)
        plans.sell(book, store.catalog(found.id), owner, paula.id, template.id, now.date(), now)
    identity.provision_login(wiring.directory(), SALON.id, ADMIN[0], ADMIN[1], ADMIN[2], PASSWORD, now, replace=True)


if __name__ == "__main__":
    main()
