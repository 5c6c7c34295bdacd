"""Campaigns: a text for email and/or SMS sent to a view's clients, with a preview of who gets it on each
channel and who does not and why, the audience fixed when sending starts, each message queued once per
(campaign, client, channel) in the marketing outbox (services/marketing_delivery.py sends it), and the
campaign's figures: sent, delivered, failed, unsubscribed, bookings within 14 days and their revenue."""
from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Iterable

from ..domain.do_not_contact import Contacts
from ..domain.events import Event
from ..domain.fields import reject_unknown
from ..domain.marketing import (
    ATTRIBUTION_DAYS,
    CHANNELS,
    Audience,
    ClientStats,
    Excluded,
    MarketingSettings,
    Reach,
    capped,
    checked_audience,
    checked_settings,
    exclusion,
    sms_window_opens,
)
from ..domain.model import Catalog
from ..domain.principal import Principal
from ..errors import ConflictError, ValidationError
from ..notifications import marketing_messages
from ..notifications.compose import e164
from ..ports import AgendaStore
from ..repositories import messages
from ..repositories import marketing as repo
from ..repositories.clients import ClientRepository
from . import marketing_views

MAX_NAME = 120


# -- settings -------------------------------------------------------------------------------------------
def settings_json(business_id: str, now: datetime) -> dict[str, Any]:
    chosen = repo.settings(business_id)
    month = now.strftime("%Y-%m")
    return {**chosen.to_json(), "sms_used_this_month": repo.sms_used(business_id, month)}


def save_settings(principal: Principal, body: dict, now: datetime) -> MarketingSettings:
    current = repo.settings(principal.business_id)
    chosen = checked_settings(body, current)
    texts = {"email_subject": chosen.winback_subject, "email_body": chosen.winback_email,
             "sms_body": chosen.winback_sms}
    try:
        marketing_messages.check_texts(texts)
    except ValidationError as error:
        names = {"email_subject": "winback_subject", "email_body": "winback_email", "sms_body": "winback_sms"}
        raise type(error)(error.message, field=names.get(error.field or "", error.field)) from None
    repo.save_settings(principal.business_id, chosen, now)
    return chosen


# -- campaigns -------------------------------------------------------------------------------------------
def create(store: AgendaStore, principal: Principal, body: dict, now: datetime) -> dict[str, Any]:
    reject_unknown(body, {"name", "audience", *marketing_messages.TEXT_FIELDS})
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise ValidationError(f"a name of 1 to {MAX_NAME} characters", field="name", code="required")
    if not isinstance(body.get("audience"), dict):
        raise ValidationError("the view the campaign is sent to", field="audience", code="required")
    try:
        audience = checked_audience(body["audience"])
    except ValidationError as error:
        raise type(error)(error.message, field=f"audience.{error.field}", code=error.code) from None
    texts = marketing_messages.check_texts(body)
    campaign = repo.Campaign(f"cmp_{secrets.token_hex(8)}", principal.business_id, "campaign", name.strip(), texts,
                             audience.to_json(), "draft", now, principal.staff_id)
    repo.save_campaign(campaign, new=True)
    return campaign_json(campaign)


def campaign_json(campaign: repo.Campaign) -> dict[str, Any]:
    return {"id": campaign.id, "kind": campaign.kind, "name": campaign.name, "texts": campaign.texts,
            "channels": list(campaign.channels), "audience": campaign.audience, "status": campaign.status,
            "created_at": campaign.created_at.isoformat(), "created_by": campaign.created_by,
            "sent_at": campaign.sent_at.isoformat() if campaign.sent_at else None,
            "counts": campaign.counts or None}


def listed(business_id: str) -> list[dict[str, Any]]:
    return [campaign_json(c) for c in sorted(repo.campaigns(business_id), key=lambda c: c.created_at, reverse=True)]


# -- who gets it ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recipients:
    """Per channel, the clients a campaign goes to and the number left out for each reason."""

    to: dict[str, list[str]]
    excluded: dict[str, Counter]
    clients: int


def recipients(store: AgendaStore, clients: ClientRepository, dnc, catalog: Catalog, audience: Audience,
               channels: Iterable[str], settings: MarketingSettings, now: datetime) -> Recipients:
    """Everyone in the audience, sorted onto each channel or an exclusion reason (domain/marketing.py
    `exclusion`): reads are batched (profiles, consent, caps, bounce marks, the do-not-contact list)."""
    members = marketing_views.members(store, catalog, audience, now)
    return reach(clients, dnc, catalog.business.id, [m.stats for m in members], channels, settings, now)


def reach(clients: ClientRepository, dnc, business_id: str, people: list[ClientStats], channels: Iterable[str],
          settings: MarketingSettings, now: datetime) -> Recipients:
    ids = [s.client_id for s in people]
    stats = {s.client_id: s for s in people}
    profiles = clients.many(business_id, ids)
    consent = repo.consents(business_id, ids)
    cap_items = repo.caps(business_id, ids)
    addresses = {(c, cid): _address(profiles.get(cid), c) for cid in ids for c in CHANNELS}
    marks = messages.undeliverable((c, a) for (c, _), a in addresses.items() if a)
    blocked = dnc.blocked_among(business_id, {cid: Contacts(p.email, p.phone or p.mobile)
                                              for cid, p in profiles.items()}) if dnc is not None else set()
    to: dict[str, list[str]] = {c: [] for c in channels}
    excluded: dict[str, Counter] = {c: Counter() for c in channels}
    for cid in ids:
        cap = cap_items.get(cid)
        for channel in channels:
            address = addresses[(channel, cid)]
            why = exclusion(Reach(
                address=address, consent=consent[cid].of(channel), undeliverable=(channel, address) in marks,
                do_not_contact=cid in blocked, capped=capped(cap.last_at if cap else None, now, settings),
                soft_opt_in=channel == "email" and settings.soft_opt_in_email and stats[cid].completed_count > 0))
            if why is None:
                to[channel].append(cid)
            else:
                excluded[channel][why.value] += 1
    return Recipients(to, excluded, len(ids))


def _address(profile, channel: str) -> str | None:
    if profile is None:
        return None
    if channel == "email":
        return profile.email or None
    return e164(profile.phone) or e164(profile.mobile)


def preview(store: AgendaStore, clients: ClientRepository, dnc, principal: Principal, campaign_id: str,
            now: datetime) -> dict[str, Any]:
    campaign = repo.campaign(principal.business_id, campaign_id)
    if campaign.status != "draft":
        return {**campaign_json(campaign), "preview": campaign.counts}
    settings = repo.settings(principal.business_id)
    catalog = store.catalog(principal.business_id)
    found = recipients(store, clients, dnc, catalog, checked_audience(campaign.audience), campaign.channels,
                       settings, now)
    return {**campaign_json(campaign), "preview": _counts(found, settings, principal.business_id, now, catalog)}


def _counts(found: Recipients, settings: MarketingSettings, business_id: str, now: datetime,
            catalog: Catalog) -> dict[str, Any]:
    month = now.astimezone(catalog.business.tz).strftime("%Y-%m")
    used = repo.sms_used(business_id, month)
    return {
        "clients": found.clients,
        "recipients": {c: len(ids) for c, ids in found.to.items()},
        "excluded": {c: {reason.value: found.excluded[c][reason.value] for reason in Excluded} for c in found.to},
        "sms_quota": {"month": month, "limit": settings.sms_monthly_quota, "used": used,
                      "remaining": max(settings.sms_monthly_quota - used, 0)},
    }


def send(store: AgendaStore, clients: ClientRepository, dnc, principal: Principal, campaign_id: str,
         now: datetime) -> dict[str, Any]:
    """Fix the audience and queue its messages. Only the first request starts it (a second answers 409);
    queueing is keyed by (campaign, client, channel), so a retried queueing adds nothing twice."""
    campaign = repo.campaign(principal.business_id, campaign_id)
    if campaign.status != "draft":
        raise ConflictError("this campaign was already sent", field="campaign", code="already_sent")
    settings = repo.settings(principal.business_id)
    catalog = store.catalog(principal.business_id)
    found = recipients(store, clients, dnc, catalog, checked_audience(campaign.audience), campaign.channels,
                       settings, now)
    counts = _counts(found, settings, principal.business_id, now, catalog)
    if counts["recipients"].get("sms", 0) > counts["sms_quota"]["remaining"]:
        raise ConflictError(f"{counts['recipients']['sms']} SMS would exceed this month's marketing quota "
                            f"({counts['sms_quota']['remaining']} left)", field="sms_body", code="sms_quota_exceeded")
    if not repo.start_sending(principal.business_id, campaign_id, counts, now):
        raise ConflictError("this campaign was already sent", field="campaign", code="already_sent")
    queue(campaign, found.to, catalog, settings, now)
    repo.finish_sending(principal.business_id, campaign_id)
    return campaign_json(replace(campaign, status="sent", sent_at=now, counts=counts))


def queue(campaign: repo.Campaign, to: dict[str, list[str]], catalog: Catalog, settings: MarketingSettings,
          now: datetime) -> int:
    """One outbox item per (campaign, client, channel); SMS wait for the business's quiet hours."""
    sms_at = sms_window_opens(now, catalog.business.tz, settings)
    queued = 0
    for channel, ids in to.items():
        for cid in ids:
            message = repo.MarketingMessage(campaign.business_id, campaign.id, cid, channel)
            queued += repo.enqueue(message, sms_at if channel == "sms" else now, now)
    return queued


# -- figures ---------------------------------------------------------------------------------------------
def with_figures(business_id: str, campaign_id: str) -> dict[str, Any]:
    campaign = repo.campaign(business_id, campaign_id)
    sent = list(repo.campaign_messages(business_id, campaign_id))
    by_status = Counter((m.channel, m.status) for m in sent)
    unsubscribed = 0
    if campaign.sent_at is not None:
        consent = repo.consents(business_id, {m.client_id for m in sent if m.status == "sent"})
        for state in consent.values():
            for channel in CHANNELS:
                change = state.of(channel)
                if change is not None and not change.granted and change.at >= campaign.sent_at and \
                        change.source in ("unsubscribe_link", "sms_stop"):
                    unsubscribed += 1
    bookings = repo.attributions(business_id, campaign_id)
    figures = {
        "queued": len(sent),
        "sent": sum(n for (_, s), n in by_status.items() if s in ("sent", "unconfirmed")),
        # each message as its provider reported it after sending (SES's delivery events, jobs/delivery_events.py):
        # failed = not sent (refused until given up) or bounced; unknown = sent, with no report (yet, or SMS)
        "delivered": sum(1 for m in sent if m.delivery == "delivered"),
        "failed": by_status_total(by_status, "failed") + sum(1 for m in sent if m.delivery == "failed"),
        "delivery_unknown": sum(1 for m in sent if m.status in ("sent", "unconfirmed") and m.delivery is None),
        "skipped": by_status_total(by_status, "skipped"),
        "waiting": by_status_total(by_status, "pending") + by_status_total(by_status, "sending"),
        "skipped_by_reason": dict(Counter(m.reason for m in sent if m.status == "skipped")),
        "unsubscribed": unsubscribed,
        "bookings": len(bookings),
        "revenue": str(sum((p for _, p in bookings), Decimal(0)).quantize(Decimal("0.01"))),
    }
    return {**campaign_json(campaign), "figures": figures}


def by_status_total(by_status: Counter, status: str) -> int:
    return sum(n for (_, s), n in by_status.items() if s == status)


# -- attribution -------------------------------------------------------------------------------------------
def attribute(event: Event, store: AgendaStore) -> bool:
    """A booking made within 14 days of the client's last marketing message counts for that campaign
    (once per booking: the attribution's key is the booking's reference)."""
    appointment = store.appointment(event.reference)
    last_at, campaign_id = repo.last_marketing(event.business_id, appointment.client_id)
    if last_at is None or campaign_id is None:
        return False
    if not timedelta(0) <= appointment.created_at - last_at <= timedelta(days=ATTRIBUTION_DAYS):
        return False
    return repo.attribute(event.business_id, campaign_id, appointment.reference, appointment.client_id,
                          appointment.price, appointment.created_at)
