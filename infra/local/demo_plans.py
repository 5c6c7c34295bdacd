"""Demo data for plans (`make dev`): the demo salon sells "Bono 5 cortes" (five haircuts, three months) and
has sold one to a demo client, Lucía, who can book online with lucia.bono@example.com and see it cover
her haircut. Idempotent: a restart with kept data finds them and adds nothing."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from infra.local.devstack import DEMO_ID

TEMPLATE_ID = "tpl_demo_bono"
CLIENT_ID = "cli_demo_lucia"
EMAIL = "lucia.bono@example.com"


def step(env: dict[str, str]) -> list[str]:
    from chalicelib import wiring
    from chalicelib.domain.clients import ClientProfile
    from chalicelib.domain.plans import ItemKind, PlanItem, PlanTemplate, Validity, ValidityUnit
    from chalicelib.domain.principal import Level, Principal
    from chalicelib.errors import NotFoundError
    from chalicelib.services import plans

    now = datetime.now(timezone.utc)
    book, store = wiring.plans(), wiring.store()
    try:
        book.template(DEMO_ID, TEMPLATE_ID)
    except NotFoundError:
        book.save_template(PlanTemplate(TEMPLATE_ID, DEMO_ID, "Bono 5 cortes", (PlanItem(ItemKind.SERVICE, "svc_cut", 5),),
                                        Decimal("80.00"), Validity(3, ValidityUnit.MONTHS)), new=True)
    try:
        wiring.clients().get(DEMO_ID, CLIENT_ID)
    except NotFoundError:
        wiring.clients().create(DEMO_ID, ClientProfile(id=CLIENT_ID, first_name="Lucía", last_name="Bono", email=EMAIL,
                                                       phone="+34600111222", created_at=now, updated_at=now))
    if book.client_plans(DEMO_ID, CLIENT_ID):
        from chalicelib.repositories.plans import backfill_period_keys
        completed = backfill_period_keys(DEMO_ID)  # kept data from before the figures' index keys
        return [f"plans: the demo client's plan is already there ({completed} items given their index keys)"]
    owner = Principal(DEMO_ID, "system", Level.ADMIN)
    tz_today = now.astimezone(store.catalog(DEMO_ID).business.tz).date()
    plans.sell(book, store.catalog(DEMO_ID), owner, CLIENT_ID, TEMPLATE_ID, tz_today, now)
    return [f"plans: 'Bono 5 cortes' sold to the demo client {EMAIL} (book a Corte online with that email)"]
