"""One race, run on moto (tests/plans/test_plans_race.py) and on DynamoDB Local (tests/integration/
test_plans_race.py): many online bookings by one client, each at its own time (no lock or busy day
shared), for the last unit of their plan. Only the plan's item is shared: its condition decides."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from chalicelib import wiring
from chalicelib.domain.clients import ClientProfile
from chalicelib.domain.model import BookingRules
from chalicelib.domain.plans import ItemKind, PlanItem, PlanTemplate, Validity, ValidityUnit
from chalicelib.domain.principal import Level, Principal
from chalicelib.services import booking, plans
from chalicelib.services.booking import BookingRequest, ClientDetails
from tests import factories
from tests.factories import NOW
from tests.integration.test_races import run_together

MADRID = ZoneInfo("Europe/Madrid")


def weekdays_at_eleven(count: int) -> list[datetime]:
    """11:00 in Madrid on `count` weekdays from Tuesday 24 March 2026: Ana works then, one a day."""
    days, day = [], date(2026, 3, 24)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(datetime(day.year, day.month, day.day, 11, tzinfo=MADRID))
        day += timedelta(days=1)
    return days


def last_unit_race(store, racers: int) -> dict:
    """A salon of its own whose client holds a plan with one unit left; `racers` bookings at once."""
    suffix = uuid.uuid4().hex[:8]
    salon = factories.seed(store, factories.salon(id=f"biz_{suffix}", slug=f"salon-{suffix}", rules=BookingRules(
        slot_step_minutes=15, min_notice_minutes=60, horizon_days=365)))
    email = f"ana.{suffix}@example.com"
    wiring.clients().create(salon.id, ClientProfile(id=f"cli_{suffix}", first_name="Ana", last_name="Plan",
                                                    email=email, created_at=NOW, updated_at=NOW))
    book = wiring.plans()
    template = book.save_template(PlanTemplate(f"tpl_{suffix}", salon.id, "Bono", (PlanItem(ItemKind.SERVICE, "svc_cut", 1),),
                                               Decimal("25.00"), Validity(12, ValidityUnit.MONTHS)), new=True)
    principal = Principal(salon.id, "stf_desk", Level.ADMIN)
    sold = plans.sell(book, store.catalog(salon.id), principal, f"cli_{suffix}", template.id, NOW.date(), NOW).plan

    def call(start):
        request = BookingRequest("svc_cut", "stf_ana", start, ClientDetails("Ana", "Plan", email, None))
        return lambda: booking.book(store, salon.slug, request, "127.0.0.1", NOW, book)

    outcomes = run_together(*(call(start) for start in weekdays_at_eleven(racers)))
    return {"salon": salon, "plan": sold, "outcomes": outcomes, "client": f"cli_{suffix}"}


def check_exactly_one_holds(store, race: dict) -> None:
    """Every booking either held the unit or was refused (or lost a transaction) and left nothing behind."""
    salon, sold, outcomes = race["salon"], race["plan"], race["outcomes"]
    held = [o for o in outcomes if isinstance(o, booking.Booking) and o.appointment.plan is not None]
    uncovered = [o for o in outcomes if isinstance(o, booking.Booking) and o.appointment.plan is None]
    refused = [o for o in outcomes if not isinstance(o, booking.Booking)]
    assert len(held) == 1, outcomes
    # a racer that read the plan after the winner's commit books uncovered; one that read it before is refused
    assert all(getattr(o, "code", None) == "plan_used_up" for o in refused), {type(o).__name__ for o in refused}
    stored = store.appointments_between(salon.id, datetime(2026, 3, 1, tzinfo=MADRID), datetime(2027, 3, 1, tzinfo=MADRID))
    assert sorted(a.reference for a in stored) == sorted(o.appointment.reference for o in held + uncovered)
    view = plans.view(wiring.plans(), wiring.plans().plan(salon.id, race["client"], sold.id))
    assert [(e.kind.value, e.reference) for e in view.ledger] == [
        ("sale", None), ("hold", held[0].appointment.reference)]
    assert view.balances[0].available == 0 and view.plan.available == (0,)
