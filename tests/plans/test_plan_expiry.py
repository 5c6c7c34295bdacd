"""The daily expiry: each ended plan gets its `expire` entries once, whatever the number of runs, overlapping
ones included; units held by booked appointments stay held."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from chalicelib import wiring
from chalicelib.services import plans
from tests.api.helpers import post
from tests.factories import NOW
from tests.plans.helpers import DESK, entries, plan, sell, template


def expire(client) -> dict:
    """One run of the expiry job, as EventBridge would start it."""
    return client.lambda_.invoke("expire_plans", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload


def sold_ending_last_week(client, login, seeded, **changes) -> dict:
    made = template(client, login(DESK), **changes)
    return sell(client, login(DESK), seeded["client"], made["id"], "2026-02-20")  # valid through 19 March


def test_an_ended_plan_expires_once_and_a_valid_one_not_at_all(client, login, seeded):
    ended = sold_ending_last_week(client, login, seeded)
    valid = sell(client, login(DESK), seeded["client"], template(client, login(DESK))["id"], "2026-03-01")
    assert ended["end"] == "2026-03-19"

    first = expire(client)
    again = expire(client)
    assert (first["expired"], again["expired"]) == (1, 0)

    shown = plan(client, login(DESK), seeded["client"], ended["id"])
    assert shown["expired"] is True and entries(shown)[2:] == [(0, "expire", 2), (1, "expire", 1)]
    assert [b["available"] for b in shown["balances"]] == [0, 0]
    assert plan(client, login(DESK), seeded["client"], valid["id"])["expired"] is False


def test_the_plan_is_valid_until_local_midnight_after_its_last_day(client, login, seeded, clock):
    sold = sold_ending_last_week(client, login, seeded)
    clock["value"] = NOW.replace(day=19, hour=22, minute=59)  # 23:59 in Madrid on the 19th
    assert expire(client)["expired"] == 0
    clock["value"] += timedelta(minutes=1)  # midnight
    assert expire(client)["expired"] == 1
    assert plan(client, login(DESK), seeded["client"], sold["id"])["expired"] is True


def test_overlapping_runs_expire_each_plan_once(serialised_moto, client, login, seeded):
    sold = [sold_ending_last_week(client, login, seeded) for _ in range(3)]
    barrier = threading.Barrier(4)

    def run():
        barrier.wait(timeout=30)
        return plans.expire_due(wiring.plans(), NOW)

    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda _: run(), range(4)))
    assert sum(r["expired"] for r in reports) == 3, reports
    for one in sold:
        assert [e for e in entries(plan(client, login(DESK), seeded["client"], one["id"])) if e[1] == "expire"] == [
            (0, "expire", 2), (1, "expire", 1)]


def test_units_held_at_expiry_stay_held_and_are_used_or_expired_later(client, login, seeded, clock):
    sold = sold_ending_last_week(client, login, seeded)
    clock["value"] = NOW - timedelta(days=5)  # Wednesday 18 March
    made = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut", "staff": "stf_ana",
                                                "start": "2026-03-19T12:00:00+01:00"}, login(DESK))
    assert made.status_code == 201 and made.json_body["plan"] == sold["id"], made.body
    clock["value"] = NOW
    assert expire(client)["expired"] == 1
    shown = plan(client, login(DESK), seeded["client"], sold["id"])
    assert [(b["held"], b["available"], b["expired"]) for b in shown["balances"]] == [(1, 0, 1), (0, 0, 1)]
    # cancelled after the end: the unit comes back and expires at once
    clock["value"] += timedelta(minutes=1)
    cancelled = post(client, f"/admin/appointments/{made.json_body['reference']}/cancel", {}, login(DESK))
    assert cancelled.status_code == 200, cancelled.body
    shown = plan(client, login(DESK), seeded["client"], sold["id"])
    assert entries(shown)[-2:] == [(0, "release", 1), (0, "expire", 1)]
    assert [(b["held"], b["available"], b["expired"]) for b in shown["balances"]] == [(0, 0, 2), (0, 0, 1)]
