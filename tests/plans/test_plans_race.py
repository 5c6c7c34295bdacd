"""100 online bookings for a plan's last unit at once, on moto: exactly one holds it. Every moto call is
serialised (`serialised_moto`): with a hundred threads, moto's own tables are not thread-safe outside
transactions either (a racer saw a RuntimeError from inside moto). The fully concurrent race runs on
DynamoDB Local in tests/integration/test_plans_race.py."""
from __future__ import annotations

import pytest

from tests.plans.races import check_exactly_one_holds, last_unit_race

pytestmark = pytest.mark.slow  # about 100 s: moto copies the table for each refused transaction


def test_a_hundred_bookings_for_the_last_unit_exactly_one_holds_it(serialised_moto, store):
    check_exactly_one_holds(store, last_unit_race(store, racers=100))
