"""Plan nudges: "your plan ends in N days" and "one session left", decided from a plan and its ledger.

Pure: no I/O. Days are the business's local dates (a DST change moves nothing: it counts dates, not hours).
Each nudge has a key (plan, kind, threshold): the outbox writes it with a does-not-exist condition, so a
repeated or overlapping run sends nothing twice. An expiry threshold already passed when the plan is first
seen (sold 10 days before its end) sends only the nearest one, never a late 30-day message.
Quiet hours and the per-client cap reuse marketing's rules (domain/marketing.py `sms_window_opens`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Sequence
from zoneinfo import ZoneInfo

from .marketing import MarketingSettings, sms_window_opens
from .plans import Balance, SoldPlan

DEFAULT_DAYS = (30, 7)
HORIZON = 90  # the most days before the end a business may choose (services/plans.py `_nudge_days`)
CAP = timedelta(days=7)  # at most one plan nudge per client in this long
QUIET = MarketingSettings(quiet_start=time(8, 0), quiet_end=time(21, 0))  # no nudge SMS 21:00-08:00 local


class NudgeKind(str, Enum):
    PLAN_EXPIRING = "plan_expiring"
    PLAN_LAST_SESSION = "plan_last_session"


@dataclass(frozen=True)
class Nudge:
    business_id: str
    client_id: str
    plan_id: str
    kind: NudgeKind
    threshold: int  # days before the end (plan_expiring), units left (plan_last_session: 1)
    days_left: int
    units_left: int
    end: date  # the plan's last valid local day

    @property
    def key(self) -> str:
        return f"{self.plan_id}#{self.kind.value}#{self.threshold}"


def days_left(plan: SoldPlan, today: date) -> int:
    """Local days from today to the plan's last valid day (0 on the last day)."""
    return (plan.end - today).days


def nudges_due(plan: SoldPlan, balances: Sequence[Balance], today: date,
               days: Sequence[int] = DEFAULT_DAYS) -> list[Nudge]:
    """What this plan may say today. Expiring: the nearest threshold reached, when units remain and none
    is booked (a held unit means the client already acts on the plan). Last session: a use or a hold
    left exactly one unit to book."""
    if plan.expired or today < plan.start or today > plan.end:
        return []
    available = sum(b.available for b in balances)
    booked = sum(b.held for b in balances)
    left = days_left(plan, today)
    found: list[Nudge] = []

    def nudge(kind: NudgeKind, threshold: int) -> Nudge:
        return Nudge(plan.business_id, plan.client_id, plan.id, kind, threshold, left, available, plan.end)

    reached = [d for d in days if d >= left]
    if available > 0 and booked == 0 and reached:
        found.append(nudge(NudgeKind.PLAN_EXPIRING, min(reached)))
    if available == 1:
        found.append(nudge(NudgeKind.PLAN_LAST_SESSION, 1))
    return found


@dataclass(frozen=True)
class Waiting:
    """A "one session left" nudge queued by the stream (services/plan_nudges.py `queue_last_session`) for
    the hourly job, due when the business's daytime opens."""

    business_id: str
    client_id: str
    plan_id: str
    due: datetime


def left_one(before: Sequence[int] | None, after: Sequence[int], expired: bool) -> bool:
    """A change that left exactly one unit to book, from more (a hold, an adjustment): "one session left" is
    due, however far the plan's end. A sale of a one-unit plan or a unit given back says nothing."""
    return not expired and before is not None and sum(before) > 1 and sum(after) == 1


def capped(last_nudge: datetime | None, now: datetime) -> bool:
    """True when the client had a plan nudge within the cap."""
    return last_nudge is not None and now - last_nudge < CAP


def opens(now: datetime, tz: ZoneInfo) -> datetime:
    """`now` in daytime; otherwise 08:00 business time next (when a queued nudge falls due)."""
    return sms_window_opens(now, tz, QUIET)


def daytime(now: datetime, tz: ZoneInfo) -> bool:
    """Nudges go between 08:00 and 21:00 business time; outside, they wait for the next hourly run
    (nothing is claimed, so nothing is lost and the email and the SMS go together)."""
    return sms_window_opens(now, tz, QUIET) == now
