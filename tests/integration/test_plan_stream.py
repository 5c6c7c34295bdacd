"""DynamoDB Local's real stream carries a sold plan's units before and after each change: the change that
leaves one unit to book (however far the plan's end) queues its "one session left" nudge, once per plan."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from chalicelib.domain import plans as rules
from chalicelib.domain.plans import ItemKind, PlanItem, PlanSettings, PlanTemplate, Validity, ValidityUnit
from chalicelib.jobs import plan_stream, stream
from chalicelib.notifications import delivery
from chalicelib.repositories.plan_nudges import DynamoNudgeOutbox
from chalicelib.repositories.plans import DynamoPlans
from chalicelib.repositories.tables import Item
from infra.local.stream import StreamPump
from tests.factories import NOW


def test_a_change_leaving_one_unit_of_a_yearly_plan_queues_its_nudge_once(store, salon, monkeypatch):
    from chalicelib import wiring

    monkeypatch.setattr(wiring, "now", lambda: NOW)
    assert plan_stream.queue_last_sessions in stream.PLAN_SUBSCRIBERS
    reports = []
    pump = StreamPump(Item.Meta.table_name, lambda event: reports.append(
        stream.handle(event["Records"], delivery.Run(NOW, store, send=None))), region="eu-west-1")
    pump.poll()
    book = DynamoPlans()
    book.save_settings(salon.id, PlanSettings(nudges=True), NOW)
    yearly = PlanTemplate("tpl_year", salon.id, "Bono anual", (PlanItem(ItemKind.SERVICE, "svc_cut", 3),),
                          Decimal("120.00"), Validity(12, ValidityUnit.MONTHS))
    sold, entries = rules.sell(yearly, client_id="cli_year", start=date(2026, 3, 23), currency="EUR",
                               late_rule=rules.LateRule.RELEASE, now=NOW, by="stf_ana")
    book.sell(sold, entries, NOW + timedelta(days=365))
    balance = rules.balances(sold.terms.items, entries)[0]
    book.adjust(sold, rules.adjustment(sold, balance, -2, "two sessions taken before", "stf_ana", NOW))
    pump.poll()
    pump.poll()

    queued = [w for w in DynamoNudgeOutbox().waiting(NOW + timedelta(days=2)) if w.plan_id == sold.id]
    assert [(w.client_id, w.plan_id, w.due) for w in queued] == [("cli_year", sold.id, NOW)]  # 08:00 in Madrid
    assert sum(r.get("events", 0) for r in reports) == 0  # a plan's change is no appointment event
