"""The hourly plan nudges: "your plan ends in N days" and "one session left", each sent once.

Why from a job and not the stream: the job sees the plan's balances after every use and hold of the day,
so one place applies every rule (nudges on, daytime, the per-client cap, once per plan/kind/threshold),
and "one session left" a few hours late costs nothing. Why hourly in daytime: a nudge is claimed only
between 08:00 and 21:00 business time, so no SMS goes at night and the email and SMS go together; outside
daytime it simply waits for the next run. A claim is one transaction: the (plan, kind, threshold) marker
(must not exist: a repeated or overlapping run sends nothing twice) and the client's last nudge (must be
older than 7 days: the cap). A capped nudge is claimed on a later run if it is still the one due.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ..domain import plan_nudges as rules
from ..domain import plans as plan_rules
from ..errors import NotFoundError
from ..notifications import plan_messages
from ..observability import logger as log


class NudgeOutbox(Protocol):
    def claim(self, nudge: rules.Nudge, now: datetime) -> str:
        """'claimed', 'taken' (sent before) or 'capped' (the client had a plan nudge within the cap)."""


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
    return dict(run.report)


def _nudge(run: NudgeRun, sold: plan_rules.SoldPlan, days: tuple[int, ...]) -> None:
    catalog = run.catalogs(sold.business_id)
    tz = catalog.business.tz
    if not rules.daytime(run.now, tz):
        run.report["waiting"] += 1
        return
    balances = plan_rules.balances(sold.terms.items, run.book.ledger(sold.business_id, sold.id))
    for nudge in rules.nudges_due(sold, balances, plan_rules.local_day(run.now, tz), days):
        outcome = run.outbox.claim(nudge, run.now)
        run.report[outcome] += 1
        if outcome == "claimed":
            _send(run, nudge, catalog, sold)


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
