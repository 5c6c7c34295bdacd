"""Plans in DynamoDB: templates (in the catalog's partition), sold plans, their append-only ledger, merge tasks.

A sold plan's units move in transactions that write the ledger entry and the conditional update of its
`available` counter together; the counter is never set from outside a ledger entry (see domain/plans.py).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterator

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from ..domain.calendar import UTC
from ..domain.plans import (
    EntryKind,
    LateRule,
    LedgerEntry,
    MergeTask,
    PlanSettings,
    PlanTemplate,
    PlanUsedUpError,
    SoldPlan,
)
from ..errors import ConflictError, NotFoundError
from . import codecs
from .codecs import PLAN_EXPIRY, instant_key, iso, ledger_pk, plan_end_pk, plan_pk, sold_plan_sk
from .tables import ContactItem, Item, MergeTaskItem, PlanLedgerItem, PlanSettingsItem, PlanTemplateItem, SoldPlanItem
from .transactions import Refusals, Transaction

ENTRY_ORDER = list(EntryKind)  # within one instant: sale, hold, release, use, expire, adjustment


def in_order(entries) -> list[LedgerEntry]:
    """By instant, then in the order things happen to a unit (a frozen clock gives many one instant)."""
    return sorted(entries, key=lambda e: (e.at, ENTRY_ORDER.index(e.kind), e.item))

LOOKBACK_DAYS = 7  # expiry partitions before today still read: a stopped job's work is found for a week

REFUSALS: Refusals = {
    "template": lambda: ConflictError("the plan was changed meanwhile; reload it", code="plan_changed"),
    "sold": lambda: ConflictError("the plan was changed meanwhile; reload it", code="plan_changed"),
    "units": lambda: PlanUsedUpError("not enough units are available", field="units"),
}


class DynamoPlans:
    # -- templates ----------------------------------------------------------------------------------
    def templates(self, business_id: str) -> list[PlanTemplate]:
        items = PlanTemplateItem.query(f"BIZ#{business_id}", PlanTemplateItem.sk.startswith("PLAN#"),
                                       consistent_read=True)
        return sorted((codecs.plan_template(business_id, i) for i in items), key=lambda t: (not t.active, t.name))

    def template(self, business_id: str, template_id: str) -> PlanTemplate:
        try:
            return codecs.plan_template(business_id, PlanTemplateItem.get(f"BIZ#{business_id}", f"PLAN#{template_id}",
                                                                          consistent_read=True))
        except DoesNotExist:
            raise NotFoundError("no such plan", field="template") from None

    def save_template(self, template: PlanTemplate, *, new: bool) -> PlanTemplate:
        """Create, or replace the revision that was read (ConflictError `plan_changed` if another edit landed)."""
        item = codecs.plan_template_item(template, revision=template.revision + 1)
        condition = Item.pk.does_not_exist() if new else PlanTemplateItem.revision == template.revision
        with Transaction(REFUSALS) as tx:
            tx.save(item, condition, refused="template")
        return codecs.plan_template(template.business_id, item)

    # -- settings -----------------------------------------------------------------------------------
    def settings(self, business_id: str) -> PlanSettings:
        try:
            item = PlanSettingsItem.get(plan_pk(business_id), "SETTINGS")
        except DoesNotExist:
            return PlanSettings()
        days = tuple(int(d) for d in item.nudge_days) if item.nudge_days else PlanSettings.nudge_days
        return PlanSettings(LateRule(item.late_rule), bool(item.nudges), bool(item.online_payment), days)

    def save_settings(self, business_id: str, settings: PlanSettings, now: datetime) -> None:
        PlanSettingsItem(pk=plan_pk(business_id), sk="SETTINGS", late_rule=settings.late_rule.value,
                         nudges=settings.nudges, online_payment=settings.online_payment, updated_at=now,
                         nudge_days=list(settings.nudge_days)).save()

    # -- sold plans ---------------------------------------------------------------------------------
    def sell(self, plan: SoldPlan, entries: list[LedgerEntry], ends_at: datetime) -> None:
        with Transaction(REFUSALS) as tx:
            tx.save(codecs.sold_plan_item(plan, ends_at), Item.pk.does_not_exist(), refused="sold")
            for entry in entries:
                tx.save(codecs.ledger_item(entry))

    def client_plans(self, business_id: str, client_id: str) -> list[SoldPlan]:
        items = SoldPlanItem.query(plan_pk(business_id), SoldPlanItem.sk.startswith(f"SOLD#{client_id}#"),
                                   consistent_read=True)
        return [codecs.sold_plan(business_id, i) for i in items]

    def valid_through(self, business_id: str, day: date) -> list[SoldPlan]:
        """The plans whose validity reaches `day` or later (one Query of the agenda index by last valid day):
        the period's deferred revenue; it grows with the plans still running, not with the years of sales."""
        items = SoldPlanItem.agenda.query(plan_end_pk(business_id), Item.agenda_sk >= day.isoformat())
        return [codecs.sold_plan(business_id, i) for i in items if isinstance(i, SoldPlanItem)]

    def plan(self, business_id: str, client_id: str, plan_id: str) -> SoldPlan:
        try:
            item = SoldPlanItem.get(plan_pk(business_id), sold_plan_sk(client_id, plan_id), consistent_read=True)
        except DoesNotExist:
            raise NotFoundError("no such plan", field="plan") from None
        return codecs.sold_plan(business_id, item)

    def booker(self, business_id: str, email: str | None, phone: str | None) -> tuple[tuple[str, ...], list[SoldPlan]]:
        """The client records a booker's email and phone name (email's first), and their plans."""
        keys = [(f"BIZ#{business_id}#CONTACT", k) for k in (email and f"email#{email}", phone and f"phone#{phone}") if k]
        found = {(i.pk, i.sk): i.client_id for i in ContactItem.batch_get(keys, consistent_read=True)}
        client_ids = tuple(dict.fromkeys(found[k] for k in keys if k in found))
        return client_ids, [p for cid in client_ids for p in self.client_plans(business_id, cid)]

    # -- the ledger ---------------------------------------------------------------------------------
    def ledger(self, business_id: str, plan_id: str) -> list[LedgerEntry]:
        items = PlanLedgerItem.query(ledger_pk(business_id), PlanLedgerItem.sk.startswith(f"{plan_id}#"),
                                     consistent_read=True)
        return in_order(codecs.ledger_entry(business_id, i) for i in items)

    def entries_between(self, business_id: str, start: datetime, end: datetime) -> list[LedgerEntry]:
        """The business's ledger entries made in [start, end), every plan's (one Query of the agenda index)."""
        items = PlanLedgerItem.agenda.query(ledger_pk(business_id),
                                            Item.agenda_sk.between(instant_key(start), f"{instant_key(end)}"))
        return in_order(codecs.ledger_entry(business_id, i) for i in items
                        if isinstance(i, PlanLedgerItem) and start <= i.at < end)

    def adjust(self, plan: SoldPlan, entry: LedgerEntry) -> None:
        """An adjustment and its units, together; taking away more than is available is refused."""
        units = SoldPlanItem.available[entry.item]
        with Transaction(REFUSALS) as tx:
            tx.save(codecs.ledger_item(entry))
            condition = (units >= -entry.units) & (SoldPlanItem.expired == False)  # noqa: E712
            tx.update(SoldPlanItem(pk=plan_pk(plan.business_id), sk=sold_plan_sk(plan.client_id, plan.id)),
                      [units.set(units + entry.units)], condition, refused="units")

    # -- expiry -------------------------------------------------------------------------------------
    def due_expiries(self, now: datetime) -> Iterator[SoldPlan]:
        """Plans whose validity ended at or before `now` and that are not yet expired (one query per day)."""
        today = now.astimezone(UTC).date()
        for back in range(LOOKBACK_DAYS, -1, -1):
            day = today - timedelta(days=back)
            for item in SoldPlanItem.due.query(f"DUE#{PLAN_EXPIRY}#{day.isoformat()}", Item.due_sk <= f"{iso(now)}~"):
                if isinstance(item, SoldPlanItem):
                    yield codecs.sold_plan(item.pk.split("#")[1], item)

    def ending_by(self, now: datetime, days: int) -> Iterator[SoldPlan]:
        """Plans not yet expired whose validity ends within `days` days (the nudges; one query per day)."""
        today = now.astimezone(UTC).date()
        for ahead in range(days + 2):
            day = (today + timedelta(days=ahead)).isoformat()
            for item in SoldPlanItem.due.query(f"DUE#{PLAN_EXPIRY}#{day}"):
                if isinstance(item, SoldPlanItem):
                    yield codecs.sold_plan(item.pk.split("#")[1], item)

    def expire(self, plan: SoldPlan, entries: list[LedgerEntry]) -> bool:
        """The plan ends: its `expire` entries and the counters they empty, once. False when another run
        (or a booking's change meanwhile) got there first: nothing was written."""
        item = SoldPlanItem(pk=plan_pk(plan.business_id), sk=sold_plan_sk(plan.client_id, plan.id))
        actions = [SoldPlanItem.expired.set(True), SoldPlanItem.due_pk.remove(), SoldPlanItem.due_sk.remove()]
        condition = SoldPlanItem.expired == False  # noqa: E712
        for entry in entries:
            units = SoldPlanItem.available[entry.item]
            actions.append(units.set(units - entry.units))
            condition &= units == entry.units
        try:
            with Transaction(REFUSALS) as tx:
                tx.update(item, actions, condition, refused="sold")
                for entry in entries:
                    tx.save(codecs.ledger_item(entry), Item.pk.does_not_exist(), refused="sold")
        except (ConflictError, TransactWriteError):  # another run expired it, or a booking moved its units
            return False
        return True

    # -- merge tasks --------------------------------------------------------------------------------
    def merge_tasks(self, business_id: str) -> list[MergeTask]:
        return [codecs.merge_task(business_id, i) for i in MergeTaskItem.query(f"BIZ#{business_id}#MERGE")]


def backfill_period_keys(business_id: str) -> int:
    """Plans sold before the period's figures read the agenda index: each sold plan and ledger row without its
    index keys gets them, and a sale's first row its price. Rewrites nothing a row says; run it again and it
    finds nothing to do. Returns how many items it completed."""
    prices, done = {}, 0
    for item in SoldPlanItem.query(plan_pk(business_id), SoldPlanItem.sk.startswith("SOLD#")):
        prices[item.id] = item.terms["price"]
        if item.agenda_pk is None:
            item.update(actions=[SoldPlanItem.agenda_pk.set(plan_end_pk(business_id)),
                                 SoldPlanItem.agenda_sk.set(codecs.sold_plan_agenda_sk(date.fromisoformat(item.end),
                                                                                       item.id))])
            done += 1
    for row in PlanLedgerItem.query(ledger_pk(business_id)):
        if row.agenda_pk is None:
            actions = [PlanLedgerItem.agenda_pk.set(ledger_pk(business_id)),
                       PlanLedgerItem.agenda_sk.set(codecs.ledger_agenda_sk(row.at, row.plan_id, row.sk.rsplit("#", 1)[1]))]
            if row.entry == EntryKind.SALE.value and int(row.item) == 0 and row.paid is None and row.plan_id in prices:
                actions.append(PlanLedgerItem.paid.set(prices[row.plan_id]))
            row.update(actions=actions)
            done += 1
    return done


def scrub_ledger_reasons(business_id: str, plan_id: str, erased: str) -> int:
    """Erasure: the free texts staff typed on a plan's ledger (an adjustment's reason may name the client or
    their health) replaced by `erased`; every entry, its units and who made it stay (the accounts)."""
    scrubbed = 0
    for item in PlanLedgerItem.query(ledger_pk(business_id), PlanLedgerItem.sk.startswith(f"{plan_id}#")):
        if item.reason and item.reason != erased:
            item.update(actions=[PlanLedgerItem.reason.set(erased)])
            scrubbed += 1
    return scrubbed
