"""The dormant-client sweep: once a day per business, the clients whose absence crossed their threshold
(the business's N days, or their own rhythm plus a margin) get a win-back through the campaign machinery
(consent, caps, quiet hours, unsubscribe, attribution).

Fanned out: the daily schedule lists the businesses with the sweep on (one query) and hands each one to the
work queue as a unit (the business, the instant of the day's run); each unit is swept on its own (SQS and
its function on AWS), so a slow or failing business neither delays nor stops the others.

Idempotent per (business, local day of the run): a unit claims the day (a conditional write); a concurrent
or repeated unit finds it taken or done and sends nothing. A unit that fails gives its claim back, so the
queue's retry redoes the day at once; should a run die without giving it back, the next one (after the
claim's lease) finds each message already queued, since its key is (the day's win-back, client, channel),
and each client's win-back record moved on condition that it was as read, so nothing goes twice either way.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from ..domain.marketing import SweepMode, next_record, sms_window_opens, sweep_band, winback_due
from ..errors import NotFoundError, ValidationError
from ..ports import WorkQueue
from ..repositories import client_stats
from ..repositories import marketing as repo
from ..repositories.codecs import iso
from . import campaigns

LEASE = timedelta(minutes=15)


def fan_out(queue: WorkQueue, now: datetime) -> dict[str, int]:
    """The day's units: one per business with the sweep on (a query of the sweep's list, no scan)."""
    units = [{"business_id": business_id, "at": iso(now)} for business_id in repo.sweeping_businesses()]
    return {"businesses": queue.send(units) if units else 0}


def sweep_unit(store, clients, dnc, unit: dict, now: datetime) -> Counter:
    """One business's sweep, of the local day in which the schedule ran (not of the day it arrives: a unit
    retried past midnight still sweeps the day it was made for, once)."""
    try:
        business_id, at = unit["business_id"], datetime.fromisoformat(unit["at"])
    except (KeyError, TypeError, ValueError):
        raise ValidationError("a sweep unit names a business and an instant", field="unit") from None
    if not isinstance(business_id, str) or at.tzinfo is None:
        raise ValidationError("a sweep unit names a business and an instant", field="unit")
    return sweep(store, clients, dnc, business_id, now, day_of=at)


def sweep(store, clients, dnc, business_id: str, now: datetime, day_of: datetime | None = None) -> Counter:
    """The business's sweep of the local day of `day_of` (default: now)."""
    report: Counter = Counter()
    settings = repo.settings(business_id)
    if settings.sweep is SweepMode.OFF:
        report["off"] += 1
        return report
    try:
        catalog = store.catalog(business_id)
    except NotFoundError:
        return report
    tz = catalog.business.tz
    today = (day_of or now).astimezone(tz).date()
    claim = repo.claim_sweep(business_id, today, now, LEASE)
    if claim is None:
        report["already_swept"] += 1
        return report
    try:
        _sweep_day(store, clients, dnc, business_id, settings, tz, today, now, report)
    except Exception:
        repo.release_sweep(business_id, today, claim)  # the retry redoes the day now, not after the lease
        raise
    repo.finish_sweep(business_id, today, dict(report))
    return report


def _sweep_day(store, clients, dnc, business_id, settings, tz, today, now, report: Counter) -> None:
    campaign = repo.Campaign(f"wb_{today.isoformat()}", business_id, "winback", f"Win-back {today.isoformat()}",
                             {"email_subject": settings.winback_subject, "email_body": settings.winback_email,
                              "sms_body": settings.winback_sms},
                             {"view": "dormant", "sweep": settings.sweep.value}, "sent", now, "system", now)
    repo.save_campaign(campaign, new=True)  # a rerun finds it there: the day's texts stay as first queued
    first, last = sweep_band(today, settings)
    candidates = [stats for _, stats in client_stats.by_last_visit(business_id, first, last)]
    report["read"] += len(candidates)
    records = repo.caps(business_id, [s.client_id for s in candidates])
    due = [s for s in candidates
           if winback_due(s, settings, today, now, repo.winback_record(records.get(s.client_id)))]
    found = campaigns.reach(clients, dnc, business_id, due, ("email", "sms"), settings, now)
    email = set(found.to["email"])
    sms_at = sms_window_opens(now, tz, settings)
    for stats in due:
        # one channel per win-back: email when the client may get it, else SMS
        channel = "email" if stats.client_id in email else "sms" if stats.client_id in found.to["sms"] else None
        if channel is None:
            report["excluded"] += 1
            continue
        seen = repo.winback_record(records.get(stats.client_id))
        message = repo.MarketingMessage(business_id, campaign.id, stats.client_id, channel)
        if repo.enqueue_winback([message], {channel: sms_at if channel == "sms" else now}, now, stats.client_id,
                                seen, next_record(seen, stats, today)):
            report["queued"] += 1
        else:
            report["already_queued"] += 1
