"""Sending the marketing outbox: each queued (campaign, client, channel) message exactly once.

A run takes a due message with a conditional write on the due key it saw, in the same transaction as the
client's cap (no other marketing message within the business's cap days, campaigns and win-backs alike) and,
for SMS, one of the month's quota. An SMS outside the business's quiet hours is moved to the next window
(it waits; it is not dropped). What the client decided since the audience was fixed wins: a withdrawn
consent, a bounce, an erasure skip the message, and so does a booking for a win-back (the sequence stops
when they book). As in the booking outbox (notifications/delivery.py): a clear refusal is retried with
backoff, a lost answer is final (`unconfirmed`), and an interrupted send is failed, never sent twice.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..domain.do_not_contact import Contacts
from ..domain.marketing import Reach, exclusion, sms_window_opens
from ..domain.model import Catalog
from ..domain.notification_settings import SmsMode
from ..errors import NotFoundError
from ..notifications import delivery, marketing_messages, outbox
from ..notifications.marketing_messages import MarketingKind
from ..observability import logger as log
from ..repositories import client_stats, messages
from ..repositories import marketing as repo
from .campaigns import _address

LEASE = timedelta(minutes=5)
GIVE_UP_AFTER = timedelta(hours=48)  # refused sends are retried for this long after the message was due


@dataclass(frozen=True)
class Links:
    """Where a message's links point: the public base URL, the key that signs unsubscribe links, the mailbox."""

    base: str
    key: bytes
    mailbox: str
    sender: str


@dataclass
class MarketingRun:
    now: datetime
    store: Any  # AgendaStore
    send: Any  # notifications.delivery.Senders
    clients: Any  # ClientRepository
    dnc: Any  # ports.DoNotContact, or None
    links: Links
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    campaigns: dict[tuple[str, str], repo.Campaign] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    report: Counter = field(default_factory=Counter)

    def catalog(self, business_id: str) -> Catalog:
        if business_id not in self.catalogs:
            self.catalogs[business_id] = self.store.catalog(business_id)
        return self.catalogs[business_id]

    def campaign(self, business_id: str, campaign_id: str) -> repo.Campaign:
        if (business_id, campaign_id) not in self.campaigns:
            self.campaigns[(business_id, campaign_id)] = repo.campaign(business_id, campaign_id)
        return self.campaigns[(business_id, campaign_id)]

    def marketing(self, business_id: str):
        if business_id not in self.settings:
            self.settings[business_id] = repo.settings(business_id)
        return self.settings[business_id]


def drain(run: MarketingRun) -> dict[str, int]:
    for message in repo.due_messages(run.now):
        try:
            deliver(message, run)
        except Exception:  # noqa: BLE001 - one broken message must not hold up the others; it comes back
            log.exception("marketing message %s could not be handled", message.ident)
            run.report["errors"] += 1
    return dict(run.report)


def deliver(message: repo.MarketingMessage, run: MarketingRun) -> None:
    now = run.now
    if message.status == "sending":  # a run claimed it and never finished: its lease ran out
        _finish(run, message, "failed", reason="interrupted while sending: not sent again")
        return
    try:
        catalog = run.catalog(message.business_id)
        campaign = run.campaign(message.business_id, message.campaign_id)
        profile = run.clients.get(message.business_id, message.client_id)
    except NotFoundError:
        _finish(run, message, "skipped", reason="gone")
        return
    settings = run.marketing(message.business_id)
    if message.channel == "sms":
        opens = sms_window_opens(now, catalog.business.tz, settings)
        if opens > now:
            run.report["waiting"] += repo.wait(message, opens)
            return
    if campaign.kind == "winback" and client_stats.get(message.business_id, message.client_id).booked_ahead(now):
        _finish(run, message, "skipped", reason="booked")
        return
    why = _excluded_now(run, message, profile)
    if why is not None:
        _finish(run, message, "skipped", reason=why)
        return
    month = now.astimezone(catalog.business.tz).strftime("%Y-%m")
    try:
        claimed = repo.claim(message, now, LEASE,
                             now - timedelta(days=settings.cap_days) if settings.cap_days else None,
                             (month, settings.sms_monthly_quota) if message.channel == "sms" else None)
    except repo.Refused as refused:
        if refused.reason != "taken":
            _finish(run, message, "skipped", reason=refused.reason)
        return
    client = profile.as_client()
    kind = MarketingKind.WINBACK if campaign.kind == "winback" else MarketingKind.CAMPAIGN
    booking_url = f"{run.links.base.rstrip('/')}/b/{catalog.business.slug}"
    if message.channel == "email":
        unsubscribe = marketing_messages.unsubscribe_url(run.links.base, run.links.key, message.business_id,
                                                         message.client_id)
        token = marketing_messages.unsubscribe_token(run.links.key, message.business_id, message.client_id)
        mailto = f"mailto:{run.links.mailbox}?subject=unsubscribe%20{message.business_id}%20{message.client_id}%20{token}"
        composed = marketing_messages.email(kind, campaign.texts, catalog.business, client, booking_url=booking_url,
                                            unsubscribe=unsubscribe, mailto=mailto)
    else:
        composed = marketing_messages.text_message(kind, campaign.texts, catalog.business, client,
                                                   booking_url=booking_url, mode=SmsMode.CHEAPEST)
    if composed is None:
        _finish(run, claimed, "skipped", reason="no_address")
        return
    sent = delivery.attempt(run.send, composed, run.links.sender)
    if sent.status == "retry":
        retry = outbox.retry_at(now, claimed.attempts, (message.created_at or now) + GIVE_UP_AFTER)
        if retry is None:
            _finish(run, claimed, "failed", reason=sent.error, to=composed.to)
        else:
            repo.finish(claimed, "pending", reason=sent.error, now=now, retry_at=retry)
            run.report["retry"] += 1
        return
    if sent.status == "unconfirmed":  # it may have gone out: final, never sent twice
        _finish(run, claimed, "unconfirmed", reason=sent.error, to=composed.to)
        return
    _finish(run, claimed, "sent", to=composed.to, provider_id=sent.provider_id)
    if message.channel == "sms":
        repo.remember_sms_sender(composed.to, message.business_id, now)  # a STOP reply finds the business


def _excluded_now(run: MarketingRun, message: repo.MarketingMessage, profile) -> str | None:
    """What changed since the audience was fixed: consent withdrawn, a bounce, an erasure, a new address."""
    address = _address(profile, message.channel)
    marks = messages.undeliverable([(message.channel, address)]) if address else {}
    blocked = run.dnc is not None and run.dnc.blocked(message.business_id, email=profile.email,
                                                      phone=profile.phone or profile.mobile)
    consent = repo.consent(message.business_id, message.client_id).of(message.channel)
    settings = run.marketing(message.business_id)
    soft = message.channel == "email" and settings.soft_opt_in_email
    why = exclusion(Reach(address, consent, undeliverable=bool(marks), do_not_contact=blocked, soft_opt_in=soft))
    return why.value if why else None


def _finish(run: MarketingRun, message: repo.MarketingMessage, status: str, **details) -> None:
    if repo.finish(message, status, now=run.now, **details):
        run.report[status] += 1
    else:
        run.report["lost"] += 1
