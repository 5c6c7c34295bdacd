"""Reports' figures: what one appointment adds to the business's counters, and how counters add up.

Every figure is a function of the appointment's *current* state, counted on the business's local day of
its start ("the appointment date"); a change moves the appointment's figures by the difference between
what it counted before and what it counts now. So a cancelled appointment leaves the completed figures
and joins the cancelled ones, a moved one leaves its old day, and a restored one comes back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from .model import Appointment, AppointmentStatus as S

DATE_USED = "appointment date: the business's local day of the appointment's start"
FIGURES = ("booked", "completed", "minutes", "revenue_cents", "cancelled", "no_show", "commission_cents",
           "booked_minutes", "late_cancelled", "late_cancel_fee_cents", "no_show_fee_cents",
           "commission_base_cents", "commission_cost_cents")
# dimension -> what its value is; "all" has the single value "-"
DIMENSIONS = ("all", "service", "category", "staff", "source")
NO_CATEGORY = "-"

Figures = dict[str, int]
Key = tuple[str, str, str]  # (local day "YYYY-MM-DD", dimension, value)
Tally = dict[Key, Figures]


def minor_units(amount: Decimal) -> int:
    """Money in hundredths (cents), so counters add exactly; a price with finer digits is rounded."""
    return int((amount * 100).to_integral_value())


def money(cents: int) -> str:
    """Hundredths back to the decimal string every response shows."""
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))


def figures(appointment: Appointment, commission_cents: int = 0, fees: Mapping[str, int] | None = None) -> Figures:
    """What one appointment counts for in its present state (zeros left out); the commission is its
    professional's, by the rule frozen when it was completed; `fees` are a cancellation's or no-show's
    (domain/fees.py), frozen when it was first counted so."""
    status = appointment.status
    counted: Figures = {}
    if status is not S.REJECTED:
        counted["booked"] = 1  # made, online or by staff, whatever became of it since
    if status is not S.REJECTED and status is not S.CANCELLED:  # it held its professional's time
        counted["booked_minutes"] = int((appointment.end - appointment.start).total_seconds() // 60)
    if status is S.COMPLETED:
        counted["completed"] = 1
        counted["minutes"] = int((appointment.end - appointment.start).total_seconds() // 60)
        counted["revenue_cents"] = minor_units(appointment.price)
        counted["commission_cents"] = commission_cents
    elif status is S.CANCELLED:
        counted["cancelled"] = 1
    elif status is S.NO_SHOW:
        counted["no_show"] = 1
    if status in (S.CANCELLED, S.NO_SHOW):
        counted.update(fees or {})
    return {name: value for name, value in counted.items() if value}


def tally(appointment: Appointment | None, tz: ZoneInfo, category: str, commission_cents: int = 0,
          fees: Mapping[str, int] | None = None) -> Tally:
    """The appointment's figures under each dimension of its local day."""
    if appointment is None:
        return {}
    counted = figures(appointment, commission_cents, fees)
    if not counted:
        return {}
    day = appointment.start.astimezone(tz).date().isoformat()
    values = {"all": "-", "service": appointment.service_id, "category": category or NO_CATEGORY,
              "staff": appointment.staff_id, "source": appointment.source.value}
    return {(day, dimension, values[dimension]): dict(counted) for dimension in DIMENSIONS}


def difference(now: Tally, before: Tally) -> Tally:
    """What to add to the counters to go from `before` to `now` (keys whose figures did not move are left out);
    the same for the clients report's tallies, keyed by day."""
    moved: Tally = {}
    for key in set(now) | set(before):
        names = set(now.get(key, {})) | set(before.get(key, {}))
        delta = {n: now.get(key, {}).get(n, 0) - before.get(key, {}).get(n, 0) for n in names}
        delta = {n: v for n, v in delta.items() if v}
        if delta:
            moved[key] = delta
    return moved


def all_of(counted: Tally) -> Figures:
    """What an appointment counted under the "all" dimension (one day's)."""
    return next((f for (_, dimension, _), f in counted.items() if dimension == "all"), {})


def tally_json(counted: Tally) -> dict[str, Figures]:
    return {"|".join(key): value for key, value in counted.items()}


def tally_from_json(data: Mapping[str, Mapping[str, int]] | None) -> Tally:
    return {tuple(key.split("|", 2)): {n: int(v) for n, v in value.items()}  # type: ignore[misc]
            for key, value in (data or {}).items()}


@dataclass(frozen=True)
class Span:
    """The counters a period reads: whole months where it covers them, days at its edges."""

    months: tuple[str, str] | None  # first and last "YYYY-MM", both included
    days: tuple[tuple[date, date], ...]  # ranges of days, both ends included


def span(first: date, last: date) -> Span:
    """At most one query of months and two of days, whatever the period's length."""
    head_month_end = _month_end(first)
    if last <= head_month_end:
        whole = first.day == 1 and last == head_month_end
        return Span((first.isoformat()[:7],) * 2, ()) if whole else Span(None, ((first, last),))
    days: list[tuple[date, date]] = []
    month_first = first if first.day == 1 else head_month_end + timedelta(days=1)
    if first.day != 1:
        days.append((first, head_month_end))
    month_last = last if last == _month_end(last) else last.replace(day=1) - timedelta(days=1)
    if last != _month_end(last):
        days.append((last.replace(day=1), last))
    months = (month_first.isoformat()[:7], month_last.isoformat()[:7]) if month_first <= month_last else None
    return Span(months, tuple(days))


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def add(into: dict[str, int], more: Mapping[str, int]) -> None:
    for name in FIGURES:
        into[name] = into.get(name, 0) + int(more.get(name, 0))


def zero() -> Figures:
    return dict.fromkeys(FIGURES, 0)


def total(rows: Iterable[Mapping[str, int]]) -> Figures:
    summed = zero()
    for row in rows:
        add(summed, row)
    return summed
