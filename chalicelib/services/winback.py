"""The dormant-client sweep: once a day per business, the clients whose absence crossed their threshold
(the business's N days, or their own rhythm plus a margin) get a win-back through the campaign machinery
(consent, caps, quiet hours, unsubscribe, attribution).

Idempotent per (business, local day): a run claims the day (a conditional write); a concurrent run finds it
taken and stops, a repeated one finds it done. Should a run die half-way, the next one (after the claim's
lease) finds each message already queued, since its key is (the day's win-back, client, channel), and each
client's win-back record moved on condition that it was as read, so nothing goes twice either way.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from ..domain.marketing import SweepMode, next_record, sms_window_opens, sweep_band, winback_due
from ..errors import NotFoundError
from ..observability import logger as log
from ..repositories import client_stats
from ..repositories import marketing as repo
from . import campaigns

LEASE = timedelta(minutes=15)


def sweep_all(store, clients, dnc, now: datetime) -> dict[str, int]:
    """Every business with the sweep on, one after the other; one failing does not stop the others
    (its claim expires, and the next day's run, or a rerun, picks it up)."""
    report: Counter = Counter()
    for business_id in repo.sweeping_businesses():
        try:
            report.update(sweep(store, clients, dnc, business_id, now))
        except Exception:  # noqa: BLE001
            log.exception("the dormant-client sweep of a business failed")
            report["errors"] += 1
    return dict(report)


def sweep(store, clients, dnc, business_id: str, now: datetime) -> Counter:
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
    today = now.astimezone(tz).date()
    if not repo.claim_sweep(business_id, today, now, LEASE):
        report["already_swept"] += 1
        return report
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
    repo.finish_sweep(business_id, today, dict(report))
    return report
