"""Report counters: per business, local day and month, dimension and value, kept from the table's stream.

Each appointment's counted figures sit on their own item (`COUNTED#<reference>`) with the sequence number
of the stream record that last changed them. Applying a record adds the difference to the day's and the
month's counters and moves that item forward in one transaction, on condition that nobody moved it since
it was read: a record delivered twice (or an older one) finds a later sequence there and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from ..domain.commissions import CommissionRule
from ..domain.reports import FIGURES, Figures, Span, Tally, tally_from_json, tally_json
from pynamodb.exceptions import UpdateError

from .tables import CommissionRulesItem, ReportBusinessItem, ReportCountedItem, ReportCountItem, ReportSettingsItem
from .transactions import connection

SEQUENCE_DIGITS = 40  # stream sequence numbers are decimal strings of up to 40 digits


def _pk(business_id: str) -> str:
    return f"BIZ#{business_id}#REPORT"


def sequence_key(sequence: str) -> str:
    """Zero-padded, so that comparing strings compares numbers."""
    return sequence.zfill(SEQUENCE_DIGITS)


@dataclass(frozen=True)
class Counted:
    sequence: str | None  # None: never counted
    tally: Tally
    rule: CommissionRule | None = None  # frozen when it was counted as completed


@dataclass(frozen=True)
class Row:
    period: str  # "YYYY-MM-DD" or "YYYY-MM"
    dimension: str
    value: str
    figures: Figures


def counted(business_id: str, reference: str) -> Counted:
    try:
        item = ReportCountedItem.get(_pk(business_id), f"COUNTED#{reference}", consistent_read=True)
    except DoesNotExist:
        return Counted(None, {})
    rule = CommissionRule.from_json(item.commission_rule) if item.commission_rule else None
    return Counted(item.sequence, tally_from_json(item.tally), rule)


def apply(business_id: str, reference: str, seen: Counted, sequence: str, now: Tally, delta: Tally,
          rule: CommissionRule | None = None) -> bool:
    """Add `delta` to the counters and record `now` as counted at `sequence`, all or nothing; False when
    the appointment's item moved since `seen` was read (the caller reads again)."""
    marker = ReportCountedItem(_pk(business_id), f"COUNTED#{reference}", reference=reference,
                               sequence=sequence_key(sequence), tally=tally_json(now),
                               commission_rule=rule.to_json() if rule else None)
    condition = (ReportCountedItem.pk.does_not_exist() if seen.sequence is None
                 else ReportCountedItem.sequence == seen.sequence)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.save(marker, condition=condition)
            for (period, dimension, value), figures in by_period(delta).items():
                tx.update(_counter_key(business_id, period, dimension, value),
                          _adding(period, dimension, value, figures))
    except TransactWriteError as refused:
        reasons = refused.cancellation_reasons or []
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons):
            return False
        raise
    return True


def by_period(delta: Tally) -> Tally:
    """Each day's figures added to the day and to its month, one entry per counter: an appointment moved
    within a month changes its month's counters once (a transaction may not touch an item twice)."""
    summed: Tally = {}
    for (day, dimension, value), figures in delta.items():
        for period in (day, day[:7]):
            into = summed.setdefault((period, dimension, value), {})
            for name, amount in figures.items():
                into[name] = into.get(name, 0) + amount
    return {key: {n: v for n, v in figures.items() if v} for key, figures in summed.items() if any(figures.values())}


def _counter_key(business_id: str, period: str, dimension: str, value: str) -> ReportCountItem:
    prefix = "D" if len(period) == 10 else "M"
    return ReportCountItem(_pk(business_id), f"{prefix}#{period}#{dimension}#{value}")


def _adding(period: str, dimension: str, value: str, figures: Figures) -> list:
    actions = [ReportCountItem.kind.set(ReportCountItem), ReportCountItem.period.set(period),
               ReportCountItem.dimension.set(dimension), ReportCountItem.value.set(value)]
    return actions + [getattr(ReportCountItem, name).add(amount) for name, amount in figures.items()]


def rows(business_id: str, span: Span) -> list[Row]:
    """The counters of a span: one query for its months, one per range of days (pages aside)."""
    found: list[Row] = []
    if span.months is not None:
        found += _query(business_id, f"M#{span.months[0]}", f"M#{span.months[1]}#~")
    for first, last in span.days:
        found += _query(business_id, f"D#{first.isoformat()}", f"D#{last.isoformat()}#~")
    return found


def _query(business_id: str, low: str, high: str) -> list[Row]:
    items = ReportCountItem.query(_pk(business_id), ReportCountItem.sk.between(low, high))
    return [Row(item.period, item.dimension, item.value,
                {name: int(getattr(item, name) or 0) for name in FIGURES}) for item in items]


@dataclass(frozen=True)
class ReportSettings:
    phone_booking_minutes: int = 5
    staff_hourly_cost: Decimal | None = None
    late_cancel_fee: Decimal | None = None  # None: no fee
    late_cancel_hours: int = 24  # a cancellation with less notice than this is late
    no_show_fee: Decimal | None = None


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def report_settings(business_id: str) -> ReportSettings:
    try:
        item = ReportSettingsItem.get(_pk(business_id), "SETTINGS")
    except DoesNotExist:
        return ReportSettings()
    return ReportSettings(int(item.phone_booking_minutes), _decimal(item.staff_hourly_cost),
                          _decimal(item.late_cancel_fee), int(item.late_cancel_hours or 24), _decimal(item.no_show_fee))


def save_report_settings(business_id: str, chosen: ReportSettings, now: datetime) -> None:
    ReportSettingsItem(_pk(business_id), "SETTINGS", phone_booking_minutes=chosen.phone_booking_minutes,
                       staff_hourly_cost=_text(chosen.staff_hourly_cost), late_cancel_fee=_text(chosen.late_cancel_fee),
                       late_cancel_hours=chosen.late_cancel_hours, no_show_fee=_text(chosen.no_show_fee),
                       updated_at=now).save()



def commission_rules(business_id: str) -> list[CommissionRule]:
    try:
        item = CommissionRulesItem.get(_pk(business_id), "COMMISSIONS")
    except DoesNotExist:
        return []
    return [CommissionRule.from_json(rule) for rule in item.rules]


def save_commission_rules(business_id: str, rules: list[CommissionRule], now: datetime) -> None:
    CommissionRulesItem(_pk(business_id), "COMMISSIONS", rules=[r.to_json() for r in rules], updated_at=now).save()


# -- the businesses the reports count (the nightly reconciliation's list) ------------------------------------
BUSINESSES = "REPORTS#BUSINESSES"


def note_business(business_id: str, day: str) -> None:
    """At most one write per business and day: the condition refuses a second one the same day."""
    item = ReportBusinessItem(BUSINESSES, business_id)
    try:
        item.update([ReportBusinessItem.kind.set(ReportBusinessItem), ReportBusinessItem.business_id.set(business_id),
                     ReportBusinessItem.last_day.set(day)],
                    condition=ReportBusinessItem.last_day.does_not_exist() | (ReportBusinessItem.last_day < day))
    except UpdateError as refused:
        if refused.cause_response_code != "ConditionalCheckFailedException":
            raise


def businesses() -> list[str]:
    """Every business the reports count: one query of a small partition (pages aside), never a scan."""
    return [item.business_id for item in ReportBusinessItem.query(BUSINESSES)]
