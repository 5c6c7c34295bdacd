"""The demo salon's plan (infra/local/demo_plans.py) on DynamoDB Local: sold once, whatever the restarts,
and it covers the demo client's haircut online."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from chalicelib import wiring
from chalicelib.services import plans
from infra.local import demo_plans, devstack

pytestmark = pytest.mark.slow


def test_the_demo_salon_sells_a_plan_to_a_demo_client_once(store):
    devstack.seed_demo_step({})
    first = demo_plans.step({})
    again = demo_plans.step({})
    assert "sold" in first[0] and "already there" in again[0]
    sold = wiring.plans().client_plans(devstack.DEMO_ID, demo_plans.CLIENT_ID)
    assert len(sold) == 1 and sold[0].available == (5,)

    catalog = store.catalog(devstack.DEMO_ID)
    start = datetime.combine(datetime.now(timezone.utc).date() + timedelta(days=7), time(10), catalog.business.tz)
    coverage, clients = plans.coverage_for(wiring.plans(), catalog, demo_plans.EMAIL, None,
                                           [catalog.service("svc_cut")], start)
    assert coverage.case == 1 and clients == (demo_plans.CLIENT_ID,)
