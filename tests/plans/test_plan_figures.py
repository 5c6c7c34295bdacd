"""The period's plan figures on moto: sold, used, deferred revenue at the period's end, from two Queries that
read the period (and the plans still running), not the business's history of sales: older sales add none."""
from __future__ import annotations

from datetime import timedelta

from bench.counting import counting_dynamodb_calls
from tests.api.helpers import post
from tests.factories import NOW
from tests.plans.helpers import DESK, sell, template


def figures(client, headers, first: str, last: str) -> dict:
    response = client.http.get(f"/admin/plan-figures?from={first}&to={last}", headers=headers)
    assert response.status_code == 200, response.body
    return response.json_body


def test_the_period_counts_its_own_sales_and_uses_and_the_plans_running_at_its_end(client, login, seeded, clock):
    pack = template(client, login(DESK))  # 80.00 for 3 sessions, valid a month
    yearly = template(client, login(DESK), name="Bono anual", price="120.00",
                      validity={"amount": 12, "unit": "months"})
    clock["value"] = NOW - timedelta(days=40)  # 11 February: a month's plan, over by the end of March
    sell(client, login(DESK), seeded["client"], pack["id"], "2026-02-11")
    clock["value"] = NOW
    sold = sell(client, login(DESK), seeded["client"], pack["id"], "2026-03-23")  # ends 22 April
    made = post(client, "/admin/appointments", {"client": seeded["client"], "service": "svc_cut",
                                                "staff": "stf_ana", "start": "2026-03-24T11:00:00+01:00"}, login(DESK))
    assert made.status_code == 201 and made.json_body["plan"] == sold["id"], made.body
    clock["value"] = NOW + timedelta(days=1, hours=6)
    assert post(client, f"/admin/appointments/{made.json_body['reference']}/complete", {}, login(DESK)).status_code == 200
    clock["value"] = NOW + timedelta(days=10)  # 2 April
    sell(client, login(DESK), seeded["client"], yearly["id"], "2026-04-02")

    headers = login(DESK)
    figures(client, headers, "2026-03-01", "2026-03-31")  # warm
    with counting_dynamodb_calls() as calls:
        march = figures(client, headers, "2026-03-01", "2026-03-31")
    assert march == {"from": "2026-03-01", "to": "2026-03-31", "currency": "EUR", "plans_sold": 1,
                     "sold_value": "80.00", "units_used": 1, "units_expired": 0,
                     "deferred_revenue": "53.33"}  # 80 x 2 left / 3: February's plan ended, April's not sold yet
    # the catalog (its time zone), then the plans running at the period's end and the period's entries
    assert calls.operations()["Query"] == 3 and calls == calls.reads, calls.detail()

    february = figures(client, headers, "2026-02-01", "2026-02-28")
    assert (february["plans_sold"], february["sold_value"], february["deferred_revenue"]) == (1, "80.00", "80.00")
    april = figures(client, headers, "2026-04-01", "2026-04-30")
    assert (april["plans_sold"], april["sold_value"], april["units_used"]) == (1, "120.00", 0)
    assert april["deferred_revenue"] == "120.00"  # the month's pack ended on 22 April; the yearly one is whole

    with counting_dynamodb_calls() as more:  # a longer history costs no more Queries
        for n in range(3):
            sell(client, login(DESK), seeded["client"], pack["id"], "2026-01-0%d" % (n + 1))
    with counting_dynamodb_calls() as again:
        assert figures(client, headers, "2026-03-01", "2026-03-31") == march
    assert more.writes and again.operations()["Query"] == 3, again.detail()


def test_plans_sold_before_the_index_keys_are_completed_once_by_the_backfill(client, login, seeded, clock):
    from chalicelib.repositories.codecs import ledger_pk, plan_pk
    from chalicelib.repositories.plans import backfill_period_keys
    from chalicelib.repositories.tables import PlanLedgerItem, SoldPlanItem

    sell(client, login(DESK), seeded["client"], template(client, login(DESK))["id"], "2026-03-23")
    business = seeded["business"]
    for item in list(SoldPlanItem.query(plan_pk(business), SoldPlanItem.sk.startswith("SOLD#"))):  # as stored before
        item.update(actions=[SoldPlanItem.agenda_pk.remove(), SoldPlanItem.agenda_sk.remove()])
    for row in list(PlanLedgerItem.query(ledger_pk(business))):
        row.update(actions=[PlanLedgerItem.agenda_pk.remove(), PlanLedgerItem.agenda_sk.remove(),
                            PlanLedgerItem.paid.remove()])
    headers = login(DESK)
    assert figures(client, headers, "2026-03-01", "2026-03-31")["plans_sold"] == 0

    assert backfill_period_keys(business) == 3  # the plan and its two sale rows
    assert backfill_period_keys(business) == 0
    march = figures(client, headers, "2026-03-01", "2026-03-31")
    assert (march["plans_sold"], march["sold_value"], march["deferred_revenue"]) == (1, "80.00", "80.00")
