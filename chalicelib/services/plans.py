"""What the salon does with plans (templates, selling, adjusting, the period's figures) and what a client's
booking asks of them (coverage). Units held by appointments move in the agenda's own write path
(services/agenda_changes.py `_plan_units`)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol, Sequence

from ..domain import plans as rules
from ..domain.booking import bookable_service
from ..domain.calendar import local_instant
from ..domain.fields import checked_choice, checked_date, checked_integer, checked_price, checked_text, reject_unknown
from ..domain.model import Catalog, Service, new_id
from ..domain.plans import (
    Balance,
    Coverage,
    ItemKind,
    LedgerEntry,
    MergeTask,
    PlanItem,
    PlanSettings,
    PlanTemplate,
    SoldPlan,
    Validity,
    ValidityUnit,
)
from ..domain.principal import Principal
from ..errors import NotFoundError, UnprocessableError, ValidationError

TEMPLATE_FIELDS = {"name", "items", "price", "validity", "active", "revision"}
MAX_COVERAGE_SERVICES = 10


class PlanBook(Protocol):
    """Where plans are kept (repositories/plans.py)."""

    def templates(self, business_id: str) -> list[PlanTemplate]: ...
    def template(self, business_id: str, template_id: str) -> PlanTemplate: ...
    def save_template(self, template: PlanTemplate, *, new: bool) -> PlanTemplate: ...
    def settings(self, business_id: str) -> PlanSettings: ...
    def save_settings(self, business_id: str, settings: PlanSettings, now: datetime) -> None: ...
    def sell(self, plan: SoldPlan, entries: list[LedgerEntry], ends_at: datetime) -> None: ...
    def client_plans(self, business_id: str, client_id: str) -> list[SoldPlan]: ...
    def valid_through(self, business_id: str, day: date) -> list[SoldPlan]: ...
    def plan(self, business_id: str, client_id: str, plan_id: str) -> SoldPlan: ...
    def booker(self, business_id: str, email: str | None, phone: str | None) -> tuple[tuple[str, ...], list[SoldPlan]]: ...
    def ledger(self, business_id: str, plan_id: str) -> list[LedgerEntry]: ...
    def entries_between(self, business_id: str, start: datetime, end: datetime) -> list[LedgerEntry]: ...
    def adjust(self, plan: SoldPlan, entry: LedgerEntry) -> None: ...
    def expire(self, plan: SoldPlan, entries: list[LedgerEntry]) -> bool: ...
    def merge_tasks(self, business_id: str) -> list[MergeTask]: ...


@dataclass(frozen=True)
class PlanView:
    """A sold plan with its balances, derived from its ledger."""

    plan: SoldPlan
    balances: list[Balance]
    ledger: list[LedgerEntry]


# -- templates --------------------------------------------------------------------------------------
def template_from(body: dict, catalog: Catalog, business_id: str, *, current: PlanTemplate | None = None) -> PlanTemplate:
    """A template from a request body (every field when new; those present when editing)."""
    reject_unknown(body, TEMPLATE_FIELDS)
    values: dict[str, Any] = {}
    if current is None or "name" in body:
        values["name"] = checked_text(body.get("name"), "name", 100)
    if current is None or "items" in body:
        values["items"] = _items(body.get("items"), catalog)
    if current is None or "price" in body:
        if body.get("price") is None:
            raise ValidationError("this field is required", field="price", code="required")
        values["price"] = checked_price(body.get("price"), "price", catalog.business.currency)
    if current is None or "validity" in body:
        values["validity"] = _validity(body.get("validity"))
    if "active" in body:
        if not isinstance(body["active"], bool):
            raise ValidationError("true or false", field="active", code="wrong_type")
        values["active"] = body["active"]
    if current is None:
        return PlanTemplate(id=new_id("tpl"), business_id=business_id, **values)
    if "revision" not in body:
        raise ValidationError("send the revision you read", field="revision", code="required")
    revision = checked_integer(body["revision"], "revision", 0, 10**9)
    if revision != current.revision:
        raise UnprocessableError("the plan was changed meanwhile; reload it", field="revision", code="plan_changed")
    return replace(current, **values)


def _items(value: Any, catalog: Catalog) -> tuple[PlanItem, ...]:
    if not isinstance(value, list) or not value:
        raise ValidationError("a plan has at least one item", field="items", code="required")
    if len(value) > rules.MAX_ITEMS:
        raise ValidationError(f"at most {rules.MAX_ITEMS} items", field="items", code="too_many")
    items = []
    categories = {s.category for s in catalog.services if s.category}
    for n, raw in enumerate(value):
        where = f"items.{n}"
        if not isinstance(raw, dict):
            raise ValidationError("an item is an object", field=where, code="wrong_type")
        reject_unknown(raw, {"service", "category", "quantity"}, prefix=f"{where}.")
        if ("service" in raw) == ("category" in raw):
            raise ValidationError("an item names a service or a category", field=f"{where}.service", code="required")
        quantity = checked_integer(raw.get("quantity"), f"{where}.quantity", 1, rules.MAX_QUANTITY)
        if "service" in raw:
            ref = checked_text(raw["service"], f"{where}.service", 64)
            if catalog.service(ref) is None:
                raise NotFoundError("no such service", field=f"{where}.service")
            kind = ItemKind.SERVICE
        else:
            ref = checked_text(raw["category"], f"{where}.category", 100)
            if ref not in categories:
                raise UnprocessableError("no service has this category", field=f"{where}.category",
                                         code="unknown_category")
            kind = ItemKind.CATEGORY
        if any(i.kind is kind and i.ref == ref for i in items):
            raise UnprocessableError("this item is already in the plan", field=where, code="duplicate_item")
        items.append(PlanItem(kind, ref, quantity))
    return tuple(items)


def _validity(value: Any) -> Validity:
    if not isinstance(value, dict):
        raise ValidationError('validity is {"amount": 3, "unit": "months"}', field="validity", code="required")
    reject_unknown(value, {"amount", "unit"}, prefix="validity.")
    unit = checked_choice(ValidityUnit, value.get("unit"), "validity.unit")
    high = rules.MAX_DAYS if unit is ValidityUnit.DAYS else rules.MAX_MONTHS
    return Validity(checked_integer(value.get("amount"), "validity.amount", 1, high), unit)


def create_template(book: PlanBook, catalog: Catalog, principal: Principal, body: dict) -> PlanTemplate:
    return book.save_template(template_from(body, catalog, principal.business_id), new=True)


def update_template(book: PlanBook, catalog: Catalog, principal: Principal, template_id: str,
                    body: dict) -> PlanTemplate:
    """Edit a template: what clients already bought keeps its own terms."""
    current = book.template(principal.business_id, template_id)
    return book.save_template(template_from(body, catalog, principal.business_id, current=current), new=False)


# -- selling and adjusting --------------------------------------------------------------------------
def sell(book: PlanBook, catalog: Catalog, principal: Principal, client_id: str, template_id: str, start: date,
         now: datetime) -> PlanView:
    """Record a sale paid in the salon: the plan, its own copy of the terms, its `sale` entries."""
    template = book.template(principal.business_id, template_id)
    business = catalog.business
    plan, entries = rules.sell(template, client_id=client_id, start=start, currency=business.currency,
                               late_rule=book.settings(business.id).late_rule, now=now, by=principal.staff_id)
    book.sell(plan, entries, plan.ends_at(business.tz))
    return PlanView(plan, rules.balances(plan.terms.items, entries), entries)


def client_plans(book: PlanBook, principal: Principal, client_id: str) -> list[PlanView]:
    return [view(book, p) for p in sorted(book.client_plans(principal.business_id, client_id),
                                          key=lambda p: p.sold_at, reverse=True)]


def plan(book: PlanBook, principal: Principal, client_id: str, plan_id: str) -> PlanView:
    return view(book, book.plan(principal.business_id, client_id, plan_id))


def view(book: PlanBook, sold: SoldPlan) -> PlanView:
    entries = book.ledger(sold.business_id, sold.id)
    return PlanView(sold, rules.balances(sold.terms.items, entries), entries)


def adjust(book: PlanBook, principal: Principal, client_id: str, plan_id: str, item: int, units: int, reason: str,
           now: datetime) -> PlanView:
    """A manual correction with its reason and who made it; it is one more ledger entry."""
    current = plan(book, principal, client_id, plan_id)
    if not 0 <= item < len(current.plan.terms.items):
        raise UnprocessableError("the plan has no such item", field="item", code="unknown_item")
    if current.plan.expired:
        raise UnprocessableError("the plan has expired", field="plan", code="plan_expired")
    book.adjust(current.plan, rules.adjustment(current.plan, current.balances[item], units, reason,
                                               principal.staff_id, now))
    return plan(book, principal, client_id, plan_id)


# -- coverage ---------------------------------------------------------------------------------------
def coverage_for(book: PlanBook, catalog: Catalog, email: str | None, phone: str | None,
                 services: Sequence[Service], start: datetime) -> tuple[Coverage, tuple[str, ...]]:
    """What the booker's plans cover on the appointment's local date, and the client records found.
    A business that sells no plans costs no read."""
    day = rules.local_day(start, catalog.business.tz)
    if not catalog.sells_plans or not (email or phone):
        return rules.coverage((), services, day), ()
    client_ids, found = book.booker(catalog.business.id, email, phone)
    return rules.coverage(found, services, day, duplicate_client=len(client_ids) > 1), client_ids


def coverage_request(catalog: Catalog, service_ids: Any) -> list[Service]:
    if not isinstance(service_ids, list) or not service_ids or not all(isinstance(s, str) for s in service_ids):
        raise ValidationError("a list of service ids", field="services", code="required")
    if len(service_ids) > MAX_COVERAGE_SERVICES:
        raise ValidationError(f"at most {MAX_COVERAGE_SERVICES} services", field="services", code="too_many")
    return [bookable_service(catalog, s) for s in service_ids]


# -- settings and figures ---------------------------------------------------------------------------
def save_settings(book: PlanBook, principal: Principal, body: dict, now: datetime) -> PlanSettings:
    reject_unknown(body, {"late_rule", "nudges", "online_payment", "nudge_days"})
    current = book.settings(principal.business_id)
    late_rule = checked_choice(rules.LateRule, body["late_rule"], "late_rule") if "late_rule" in body else current.late_rule
    flags = {}
    for name in ("nudges", "online_payment"):
        flags[name] = body.get(name, getattr(current, name))
        if not isinstance(flags[name], bool):
            raise ValidationError("true or false", field=name, code="wrong_type")
    days = _nudge_days(body["nudge_days"]) if "nudge_days" in body else current.nudge_days
    settings = PlanSettings(late_rule, **flags, nudge_days=days)
    book.save_settings(principal.business_id, settings, now)
    return settings


def _nudge_days(value: Any) -> tuple[int, ...]:
    """One to three different whole days before a plan's end, 1-90; [] sends no expiry nudge."""
    if not isinstance(value, list) or len(value) > 3:
        raise ValidationError("a list of at most three numbers of days", field="nudge_days", code="wrong_type")
    days = [checked_integer(d, f"nudge_days.{n}", 1, 90) for n, d in enumerate(value)]
    if len(set(days)) != len(days):
        raise ValidationError("each number of days once", field="nudge_days", code="duplicate")
    return tuple(sorted(days, reverse=True))


@dataclass(frozen=True)
class PeriodFigures:
    first: date
    last: date
    sold: int
    sold_value: Decimal
    units_used: int
    units_expired: int
    deferred: Decimal  # what clients paid for units not yet taken, at the end of the period


def figures(book: PlanBook, catalog: Catalog, principal: Principal, first: date, last: date) -> PeriodFigures:
    """Plans sold and units used or expired in a period of local days, and deferred revenue at its end: for
    each plan still valid then, price x units left / units sold.

    Two Queries, neither reading the business's whole history: the plans whose validity reaches the period's
    last day (the agenda index by last valid day), and the ledger entries from the period's first instant, or
    the oldest of those plans' sales if earlier, to its end (the agenda index by instant). A sale's price is
    on its first entry, so plans sold in the period need no read of their own."""
    if last < first:
        raise ValidationError("'to' must not be before 'from'", field="to")
    tz, business_id = catalog.business.tz, principal.business_id
    start, end = local_instant(first, 0, tz), local_instant(last + timedelta(days=1), 0, tz)
    running = [p for p in book.valid_through(business_id, last) if p.sold_at < end]
    entries = book.entries_between(business_id, min([start] + [p.sold_at for p in running]), end)
    in_period = [e for e in entries if e.at >= start]
    sales = [e for e in in_period if e.kind is rules.EntryKind.SALE and e.paid is not None]
    deferred = Decimal(0)
    for p in running:
        if p.terms.units:
            left = sum(b.left for b in rules.balances(p.terms.items, (e for e in entries if e.plan_id == p.id)))
            deferred += p.terms.price * left / p.terms.units
    return PeriodFigures(first, last, len(sales), sum((e.paid for e in sales), Decimal(0)),
                         sum(e.units for e in in_period if e.kind is rules.EntryKind.USE),
                         sum(e.units for e in in_period if e.kind is rules.EntryKind.EXPIRE),
                         deferred.quantize(Decimal("0.01")))


# -- expiry -----------------------------------------------------------------------------------------
def expire_due(book: Any, now: datetime) -> dict:
    """The daily job: each plan whose validity has ended is expired once; overlapping runs are safe (the
    expiry is a conditional transaction: the second run finds the plan already expired, or the units
    changed meanwhile, and writes nothing)."""
    expired = skipped = 0
    for sold in list(book.due_expiries(now)):
        for _ in range(2):  # a booking may have moved its units since it was read: read it again once
            if book.expire(sold, rules.expiry(sold, now)):
                expired += 1
                break
            sold = book.plan(sold.business_id, sold.client_id, sold.id)
            if sold.expired:
                skipped += 1
                break
        else:
            skipped += 1
    return {"expired": expired, "skipped": skipped}
