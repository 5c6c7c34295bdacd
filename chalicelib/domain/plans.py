"""Plans: a bundle of services a client buys and pays for in the salon, then books online until its
units run out or it expires.

Three rules carry the feature (each answers a complaint about other products):
- a sold plan keeps its own copy of the terms (`PlanTerms`): a template edited later rewrites no sale;
- units move only by ledger entries (sale, hold, release, use, expire, adjustment); every balance is
  derived from them (`balances`). Beside the ledger each item keeps one number, its units `available`,
  the sum of the entries' deltas: it exists only so that DynamoDB can put a condition on it ("never
  below zero") in the booking's own transaction, and `balances` re-derives it from the ledger;
- coverage is decided on the appointment's local date in the business's time zone, by the plan that
  expires soonest (ties to the oldest sale), one unit per appointment.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from ..errors import ConflictError, UnprocessableError
from .calendar import UTC, local_instant
from .model import Appointment, AppointmentStatus, Service, new_id

MAX_ITEMS = 20
MAX_QUANTITY = 1000
MAX_DAYS = 3660
MAX_MONTHS = 120


class ItemKind(str, Enum):
    SERVICE = "service"  # one service
    CATEGORY = "category"  # any service of a category


class ValidityUnit(str, Enum):
    DAYS = "days"
    MONTHS = "months"


class LateRule(str, Enum):
    """What a late cancellation or a no-show does to a held unit (a business setting, frozen at sale)."""

    RELEASE = "release"  # given back, as for any cancellation (the default)
    USE = "use"  # counted as a session taken


class EntryKind(str, Enum):
    SALE = "sale"
    HOLD = "hold"
    RELEASE = "release"
    USE = "use"
    EXPIRE = "expire"
    ADJUSTMENT = "adjustment"


# how each kind of entry moves the units available to book (`units` is positive except for adjustments)
DELTA = {EntryKind.SALE: 1, EntryKind.HOLD: -1, EntryKind.RELEASE: 1, EntryKind.USE: 0, EntryKind.EXPIRE: -1,
         EntryKind.ADJUSTMENT: 1}


@dataclass(frozen=True)
class PlanItem:
    kind: ItemKind
    ref: str  # a service id or a category name
    quantity: int

    def covers(self, service: Service) -> bool:
        if self.kind is ItemKind.SERVICE:
            return service.id == self.ref
        return bool(service.category) and service.category == self.ref


@dataclass(frozen=True)
class Validity:
    amount: int
    unit: ValidityUnit

    def last_day(self, start: date) -> date:
        """The last local day a plan starting on `start` is valid: the day before the same date `amount`
        days or months later. Where that month has no such date (31 January + 1 month), the plan is valid
        through the end of the shorter month (28 or 29 February)."""
        if self.unit is ValidityUnit.DAYS:
            return start + timedelta(days=self.amount - 1)
        months = start.month - 1 + self.amount
        year, month = start.year + months // 12, months % 12 + 1
        days_in_month = calendar.monthrange(year, month)[1]
        if start.day > days_in_month:
            return date(year, month, days_in_month)
        return date(year, month, start.day) - timedelta(days=1)


@dataclass(frozen=True)
class PlanTerms:
    """What was sold: copied from the template at sale and never changed afterwards."""

    name: str
    items: tuple[PlanItem, ...]
    price: Decimal
    currency: str
    validity: Validity
    late_rule: LateRule = LateRule.RELEASE

    @property
    def units(self) -> int:
        return sum(i.quantity for i in self.items)


@dataclass(frozen=True)
class PlanSettings:
    """Per business: what a late cancellation or a no-show does to a held unit (copied into each sale),
    and whether clients get reminders about their plans (off by default)."""

    late_rule: LateRule = LateRule.RELEASE
    nudges: bool = False
    online_payment: bool = False  # the booking page says the rest is paid online (else: in the salon)
    nudge_days: tuple[int, ...] = (30, 7)  # plan_expiring this many local days before the end (domain/plan_nudges.py)


@dataclass(frozen=True)
class PlanTemplate:
    id: str
    business_id: str
    name: str
    items: tuple[PlanItem, ...]
    price: Decimal
    validity: Validity
    active: bool = True
    revision: int = 0

    def terms(self, currency: str, late_rule: LateRule) -> PlanTerms:
        return PlanTerms(self.name, self.items, self.price, currency, self.validity, late_rule)


@dataclass(frozen=True)
class SoldPlan:
    id: str
    business_id: str
    client_id: str
    template_id: str
    terms: PlanTerms
    start: date  # first valid local day
    end: date  # last valid local day
    sold_at: datetime
    sold_by: str
    available: tuple[int, ...]  # per item: the ledger's running sum, as stored beside it
    expired: bool = False

    def valid_on(self, day: date) -> bool:
        return not self.expired and self.start <= day <= self.end

    def ends_at(self, tz: ZoneInfo) -> datetime:
        """The instant the plan stops covering: local midnight after its last day (DST-exact)."""
        return local_instant(self.end + timedelta(days=1), 0, tz)


@dataclass(frozen=True)
class LedgerEntry:
    business_id: str
    plan_id: str
    item: int
    kind: EntryKind
    units: int
    at: datetime
    by: str  # a staff id, "client" or "system"
    reference: str | None = None  # the appointment, for hold/release/use
    reason: str = ""
    id: str = field(default_factory=lambda: new_id("led"))
    paid: Decimal | None = None  # a sale's first entry: the price paid (the period's figures sum it)

    @property
    def delta(self) -> int:
        return DELTA[self.kind] * self.units


@dataclass(frozen=True)
class UnitsMove:
    """Units of one item of a sold plan moved by a change: written with the condition that they never go
    below zero (the store turns a refusal into PlanUsedUpError)."""

    business_id: str
    client_id: str
    plan_id: str
    item: int
    delta: int


@dataclass(frozen=True)
class Balance:
    item: int
    sold: int
    held: int
    used: int
    expired: int
    adjusted: int

    @property
    def available(self) -> int:
        return self.sold - self.held - self.used - self.expired + self.adjusted

    @property
    def left(self) -> int:
        """Units the client may still take: available to book plus booked and not yet taken."""
        return self.available + self.held


def balances(items: Sequence[PlanItem], entries: Iterable[LedgerEntry]) -> list[Balance]:
    """Each item's balance, from the ledger alone."""
    sums = [{k: 0 for k in EntryKind} for _ in items]
    for e in entries:
        sums[e.item][e.kind] += e.units
    return [Balance(i, s[EntryKind.SALE], s[EntryKind.HOLD] - s[EntryKind.RELEASE] - s[EntryKind.USE],
                    s[EntryKind.USE], s[EntryKind.EXPIRE], s[EntryKind.ADJUSTMENT]) for i, s in enumerate(sums)]


class PlanUsedUpError(ConflictError):
    """The plan's unit was taken by another booking a moment ago: ask for the coverage again."""

    code = "plan_used_up"


@dataclass(frozen=True)
class MergeTask:
    """Two client records one booker matched (email one, phone the other): staff should merge them, or the
    client's plan and history stay split."""

    business_id: str
    client_ids: tuple[str, ...]
    reference: str
    at: datetime


# -- selling -----------------------------------------------------------------------------------------
def sell(template: PlanTemplate, *, client_id: str, start: date, currency: str, late_rule: LateRule,
         now: datetime, by: str) -> tuple[SoldPlan, list[LedgerEntry]]:
    """A sale: the plan with its own copy of the terms, and one `sale` entry per item."""
    if not template.active:
        raise UnprocessableError("this plan is not sold any more", field="template", code="plan_inactive")
    terms = template.terms(currency, late_rule)
    plan = SoldPlan(id=new_id("pln"), business_id=template.business_id, client_id=client_id, template_id=template.id,
                    terms=terms, start=start, end=terms.validity.last_day(start), sold_at=now, sold_by=by,
                    available=tuple(i.quantity for i in terms.items))
    entries = [LedgerEntry(plan.business_id, plan.id, n, EntryKind.SALE, item.quantity, now, by,
                           paid=terms.price if n == 0 else None) for n, item in enumerate(terms.items)]
    return plan, entries


def adjustment(plan: SoldPlan, balance: Balance, units: int, reason: str, by: str, now: datetime) -> LedgerEntry:
    """A manual correction by staff, with its reason; it may not take away more than is available."""
    if units == 0:
        raise UnprocessableError("an adjustment moves at least one unit", field="units", code="out_of_range")
    if balance.available + units < 0:
        raise UnprocessableError(f"only {balance.available} units are available to take away", field="units",
                                 code="not_enough_units")
    return LedgerEntry(plan.business_id, plan.id, balance.item, EntryKind.ADJUSTMENT, units, now, by, reason=reason)


# -- coverage ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Covered:
    service_id: str
    plan: SoldPlan
    item: int


@dataclass(frozen=True)
class Coverage:
    """What the client's plans cover of the chosen services on one local day.

    case 1: every service is covered; 2: some are; 3: an active plan, but none is covered.
    `case` is None when the client has no plan valid on that day (the page says nothing)."""

    day: date
    covered: tuple[Covered, ...]
    uncovered: tuple[str, ...]
    plans: tuple[SoldPlan, ...]  # the client's plans valid that day, in the order they are used
    duplicate_client: bool = False  # the booker's email and phone belong to two client records

    @property
    def case(self) -> int | None:
        if not self.plans:
            return None
        if not self.uncovered:
            return 1
        return 2 if self.covered else 3

    def remaining(self) -> dict[str, list[int]]:
        """Units available per plan and item after what this coverage takes."""
        left = {p.id: list(p.available) for p in self.plans}
        for c in self.covered:
            left[c.plan.id][c.item] -= 1
        return left


def usage_order(plans: Iterable[SoldPlan]) -> list[SoldPlan]:
    """The plan expiring soonest is used first; ties go to the oldest sale."""
    return sorted(plans, key=lambda p: (p.end, p.sold_at, p.id))


def coverage(plans: Iterable[SoldPlan], services: Sequence[Service], day: date, *,
             duplicate_client: bool = False) -> Coverage:
    """Which of `services` (one unit each, in order) the plans valid on `day` cover."""
    valid = usage_order(p for p in plans if p.valid_on(day))
    left = {p.id: list(p.available) for p in valid}
    covered, uncovered = [], []
    for service in services:
        found = next(((p, n) for p in valid for n in _items_for(p, service) if left[p.id][n] > 0), None)
        if found is None:
            uncovered.append(service.id)
            continue
        plan, n = found
        left[plan.id][n] -= 1
        covered.append(Covered(service.id, plan, n))
    return Coverage(day, tuple(covered), tuple(uncovered), tuple(valid), duplicate_client)


def _items_for(plan: SoldPlan, service: Service) -> list[int]:
    """A plan's items that cover a service, the service's own item before its category's."""
    items = [(n, i) for n, i in enumerate(plan.terms.items) if i.covers(service)]
    return [n for n, i in sorted(items, key=lambda ni: ni[1].kind is not ItemKind.SERVICE)]


def local_day(instant: datetime, tz: ZoneInfo) -> date:
    """The business's local date of an instant: what a plan's validity is compared with."""
    return instant.astimezone(tz).date()


# -- units held by appointments ----------------------------------------------------------------------
@dataclass(frozen=True)
class PlanHold:
    """The plan unit an appointment holds, with what its later changes need to know, frozen at booking."""

    plan_id: str
    client_id: str  # the plan's client (the booker's other client record, when they have two)
    item: int
    ends_at: datetime  # UTC: the plan stops covering here
    notice_minutes: int  # a cancellation later than this before the start is late
    late_rule: LateRule = LateRule.RELEASE

    def to_json(self) -> dict:
        return {"plan_id": self.plan_id, "client_id": self.client_id, "item": self.item,
                "ends_at": self.ends_at.astimezone(UTC).isoformat(), "notice_minutes": self.notice_minutes,
                "late_rule": self.late_rule.value}

    @classmethod
    def from_json(cls, data: dict) -> "PlanHold":
        return cls(data["plan_id"], data["client_id"], int(data["item"]), datetime.fromisoformat(data["ends_at"]),
                   int(data["notice_minutes"]), LateRule(data["late_rule"]))


def hold_for(covered: Covered, tz: ZoneInfo, notice_minutes: int) -> PlanHold:
    plan = covered.plan
    return PlanHold(plan.id, plan.client_id, covered.item, plan.ends_at(tz), notice_minutes, plan.terms.late_rule)


def unit_moves(before: Appointment | None, after: Appointment, by: str) -> list[LedgerEntry | UnitsMove]:
    """The ledger entries (and the conditional units update) a change to an appointment makes: `by` made it.

    Booked -> hold; completed -> use; rejected or cancelled in time -> release; cancelled late or a no-show
    -> the plan's late rule (release by default). A unit given back after the plan ended expires at once.
    A covered appointment cannot move past its plan's end.
    """
    hold = after.plan
    if hold is None:
        return []
    at = after.updated_at

    def entry(kind: EntryKind) -> LedgerEntry:
        return LedgerEntry(after.business_id, hold.plan_id, hold.item, kind, 1, at, by, reference=after.reference)

    def move(delta: int) -> UnitsMove:
        return UnitsMove(after.business_id, hold.client_id, hold.plan_id, hold.item, delta)

    held_before = before is not None and before.plan is not None and before.status.holds_time
    if not held_before:
        if before is None and after.status.holds_time:
            return [entry(EntryKind.HOLD), move(-1)]
        return []
    if after.status.holds_time:
        if after.start >= hold.ends_at and after.start != before.start:
            raise UnprocessableError("the plan covering this appointment ends before that time", field="start",
                                     code="plan_ends_before")
        return []
    if after.status is AppointmentStatus.COMPLETED or (
            _late(after, hold) and hold.late_rule is LateRule.USE):
        return [entry(EntryKind.USE)]
    if at >= hold.ends_at:
        return [entry(EntryKind.RELEASE), entry(EntryKind.EXPIRE)]
    return [entry(EntryKind.RELEASE), move(1)]


def _late(after: Appointment, hold: PlanHold) -> bool:
    if after.status is AppointmentStatus.NO_SHOW:
        return True
    return (after.status is AppointmentStatus.CANCELLED
            and after.updated_at >= after.start - timedelta(minutes=hold.notice_minutes))


# -- expiry ------------------------------------------------------------------------------------------
def expiry(plan: SoldPlan, now: datetime) -> list[LedgerEntry]:
    """The `expire` entries that end a plan: whatever is still available to book, item by item. Units held
    by booked appointments stay held (their appointment uses or gives them back later)."""
    return [LedgerEntry(plan.business_id, plan.id, n, EntryKind.EXPIRE, units, now, "system", id=f"expire-{n}")
            for n, units in enumerate(plan.available) if units > 0]


def with_available(plan: SoldPlan, available: Sequence[int]) -> SoldPlan:
    return replace(plan, available=tuple(available))
