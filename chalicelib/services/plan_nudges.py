"""Plan nudges: "your plan ends in N days" and "one session left", each sent once.

"Your plan ends in N days" comes from the hourly job reading the plans that end within 90 days. "One session
left" may fall due for a plan valid a year, so it starts on the table's stream: the change that left exactly
one unit to book (jobs/plan_stream.py -> `queue_last_session`) queues the plan's nudge for when the
business's daytime opens, and the same hourly job sends it. Either way one place applies every rule (nudges
on, daytime, the per-client cap, once per plan/kind/threshold). Why hourly in daytime: a nudge is claimed only
between 08:00 and 21:00 business time, so no SMS goes at night and the email and SMS go together; outside
daytime it waits for the next run. A claim is one transaction: the (plan, kind, threshold) marker (must not
exist: a repeated or overlapping run, or a replayed stream record, sends nothing twice) and the client's last
nudge (must be older than 7 days: the cap). A capped nudge is claimed on a later run if it is still the one due.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Protocol

from ..domain import plan_nudges as rules
from ..domain import plans as plan_rules
from ..domain.calendar import local_instant
from ..errors import NotFoundError
from ..notifications import plan_messages
from ..observability import logger as log


class NudgeOutbox(Protocol):
    def claim(self, nudge: rules.Nudge, now: datetime) -> str:
        """'claimed', 'taken' (sent before) or 'capped' (the client had a plan nudge within the cap)."""

    def wait(self, waiting: rules.Waiting) -> None:
        """Queue (or move) a plan's "one session left" nudge: one per plan."""

    def waiting(self, now: datetime) -> Iterable[rules.Waiting]:
        """The queued nudges due by `now`."""

    def done(self, waiting: rules.Waiting) -> None:
        """Take a handled nudge off the queue."""


def queue_last_session(changes: Iterable[Any], outbox: NudgeOutbox, nudges_on: Callable[[str], bool],
                       tz_of: Callable[[str], Any], now: datetime) -> int:
    """From the stream (`changes`: repositories/stream.py PlanRecord, a plan's units before and after one
    committed change): each change that left exactly one unit to book queues that plan's nudge for the
    business's daytime (nothing for a business with nudges off). Returns how many were queued."""
    queued = 0
    for change in changes:
        if rules.left_one(change.before, change.after, change.expired) and nudges_on(change.business_id):
            outbox.wait(rules.Waiting(change.business_id, change.client_id, change.plan_id,
                                      rules.opens(now, tz_of(change.business_id))))
            queued += 1
    return queued


@dataclass
class NudgeRun:
    now: datetime
    book: Any  # services/plans.py PlanBook, with `ending_by`
    outbox: NudgeOutbox
    catalogs: Any  # business_id -> Catalog
    clients: Any  # ClientRepository
    notification_settings: Any  # business_id -> NotificationSettings
    send: Any  # notifications.delivery.Senders
    sender: str
    base_url: str
    report: Counter = field(default_factory=Counter)


def send_due(run: NudgeRun) -> dict[str, int]:
    settings: dict[str, Any] = {}
    for sold in run.book.ending_by(run.now, rules.HORIZON):
        try:
            if sold.business_id not in settings:
                settings[sold.business_id] = run.book.settings(sold.business_id)
            if settings[sold.business_id].nudges:
                _nudge(run, sold, settings[sold.business_id].nudge_days)
        except Exception:  # noqa: BLE001 - one broken plan must not hold up the others; it comes back
            log.exception("plan %s could not be nudged", sold.id)
            run.report["errors"] += 1
    for waiting in list(run.outbox.waiting(run.now)):
        try:
            if waiting.business_id not in settings:
                settings[waiting.business_id] = run.book.settings(waiting.business_id)
            _last_session(run, waiting, settings[waiting.business_id].nudges)
        except Exception:  # noqa: BLE001 - the same: it stays queued and comes back
            log.exception("plan %s's last-session nudge could not be sent", waiting.plan_id)
            run.report["errors"] += 1
    return dict(run.report)


def _nudge(run: NudgeRun, sold: plan_rules.SoldPlan, days: tuple[int, ...]) -> None:
    catalog = run.catalogs(sold.business_id)
    tz = catalog.business.tz
    if not rules.daytime(run.now, tz):
        run.report["waiting"] += 1
        return
    balances = plan_rules.balances(sold.terms.items, run.book.ledger(sold.business_id, sold.id))
    for nudge in rules.nudges_due(sold, balances, plan_rules.local_day(run.now, tz), days):
        if nudge.kind is not rules.NudgeKind.PLAN_EXPIRING:  # "one session left" comes from the queue
            continue
        outcome = run.outbox.claim(nudge, run.now)
        run.report[outcome] += 1
        if outcome == "claimed":
            _send(run, nudge, catalog, sold)


def _last_session(run: NudgeRun, waiting: rules.Waiting, nudges_on: bool) -> None:
    """A queued "one session left": sent once if the plan still has exactly one unit to book, else dropped;
    capped, it waits a day; for a plan sold ahead, it waits for the plan's first day."""
    if not nudges_on:
        run.outbox.done(waiting)
        run.report["dropped"] += 1
        return
    catalog = run.catalogs(waiting.business_id)
    tz = catalog.business.tz
    if not rules.daytime(run.now, tz):
        run.report["waiting"] += 1
        return
    try:
        sold = run.book.plan(waiting.business_id, waiting.client_id, waiting.plan_id)
    except NotFoundError:
        sold = None
    if sold is not None and plan_rules.local_day(run.now, tz) < sold.start:  # sold ahead: from its first day
        run.outbox.wait(replace(waiting, due=rules.opens(local_instant(sold.start, 0, tz), tz)))
        run.report["waiting"] += 1
        return
    due = []
    if sold is not None:
        balances = plan_rules.balances(sold.terms.items, run.book.ledger(sold.business_id, sold.id))
        due = [n for n in rules.nudges_due(sold, balances, plan_rules.local_day(run.now, tz), ())
               if n.kind is rules.NudgeKind.PLAN_LAST_SESSION]
    if not due:  # booked meanwhile, given back, expired, erased: nothing to say
        run.outbox.done(waiting)
        run.report["dropped"] += 1
        return
    outcome = run.outbox.claim(due[0], run.now)
    run.report[outcome] += 1
    if outcome == "capped":
        run.outbox.wait(replace(waiting, due=rules.opens(run.now + timedelta(days=1), tz)))
        return
    run.outbox.done(waiting)
    if outcome == "claimed":
        _send(run, due[0], catalog, sold)


def _send(run: NudgeRun, nudge: rules.Nudge, catalog, sold: plan_rules.SoldPlan) -> None:
    """After the claim: each message once. A failed send is logged and not retried (never twice)."""
    try:
        client = run.clients.get(nudge.business_id, nudge.client_id).as_client()
    except NotFoundError:
        run.report["gone"] += 1
        return
    url = f"{run.base_url.rstrip('/')}/b/{catalog.business.slug}"
    for message in plan_messages.compose(nudge, business=catalog.business, client=client, plan_name=sold.terms.name,
                                         booking_url=url, settings=run.notification_settings(nudge.business_id)):
        try:
            run.send.email(message, run.sender) if message.channel == "email" else run.send.sms(message)
            run.report[f"sent_{message.channel}"] += 1
        except Exception:  # noqa: BLE001 - refused or lost, it may have gone out: never sent again
            log.exception("plan nudge %s by %s failed", nudge.key, message.channel)
            run.report[f"failed_{message.channel}"] += 1
