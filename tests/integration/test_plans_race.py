"""100 online bookings for a plan's last unit at once on DynamoDB Local: its transactions decide, as on AWS."""
from __future__ import annotations

import pytest

from tests.plans.races import check_exactly_one_holds, last_unit_race

pytestmark = pytest.mark.slow


def test_a_hundred_bookings_for_the_last_unit_exactly_one_holds_it(store):
    check_exactly_one_holds(store, last_unit_race(store, racers=100))
