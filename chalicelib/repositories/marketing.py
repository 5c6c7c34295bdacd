"""DynamoDB side of marketing: settings, consent and its history, campaigns, the marketing outbox (one
item per campaign, client and channel: exactly once by its key), the per-client cap and win-back record,
the monthly SMS quota, sweep runs, attribution, and which business last sent a number marketing SMS.
Items and keys: repositories/marketing_tables.py."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Callable, Iterable, Iterator

from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from ..domain.calendar import UTC
from ..domain.marketing import Consent, ConsentChange, MarketingSettings, SweepMode, WinbackRecord
from ..errors import ConflictError, NotFoundError
from .codecs import due_key, iso
from .marketing_tables import (
    AttributionItem,
    CampaignItem,
    ConsentItem,
    ConsentLogItem,
    ContactCapItem,
    MarketingMessageItem,
    MarketingSettingsItem,
    SentMessageItem,
    SmsSenderItem,
    SweepBusinessItem,
    SweepRunItem,
    UsageItem,
)
from .tables import Item
from .transactions import connection

QUEUE = "MKT"  # the `due` index queue of marketing messages
LOOKBACK_DAYS = 2


def _conditional_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def _written(write: Callable[[], object]) -> bool:
    """Run one conditional write: False when its condition refused it (another run got there first)."""
    try:
        write()
    except (PutError, UpdateError, DeleteError) as error:
        if _conditional_failed(error):
            return False
        raise
    return True


def _mkt(business_id: str) -> str:
    return f"BIZ#{business_id}#MKT"


# -- settings -------------------------------------------------------------------------------------------
def settings(business_id: str) -> MarketingSettings:
    try:
        return MarketingSettings.from_json(MarketingSettingsItem.get(_mkt(business_id), "SETTINGS").settings)
    except MarketingSettingsItem.DoesNotExist:
        return MarketingSettings()


def save_settings(business_id: str, chosen: MarketingSettings, now: datetime) -> None:
    """The settings, and the business's place on the sweep's list (on when the sweep is)."""
    with TransactWrite(connection=connection()) as tx:
        tx.save(MarketingSettingsItem(_mkt(business_id), "SETTINGS", settings=chosen.to_json(), updated_at=now))
        listed = SweepBusinessItem("MKT#SWEEP", business_id, business_id=business_id)
        if chosen.sweep is SweepMode.OFF:
            tx.delete(listed)
        else:
            tx.save(listed)


def sweeping_businesses() -> list[str]:
    return [item.business_id for item in SweepBusinessItem.query("MKT#SWEEP")]


# -- consent --------------------------------------------------------------------------------------------
def consent(business_id: str, client_id: str) -> Consent:
    try:
        return Consent.from_json(ConsentItem.get(f"BIZ#{business_id}#CONSENT", client_id, consistent_read=True).latest)
    except ConsentItem.DoesNotExist:
        return Consent()


def consents(business_id: str, client_ids: Iterable[str]) -> dict[str, Consent]:
    keys = [(f"BIZ#{business_id}#CONSENT", c) for c in dict.fromkeys(client_ids)]
    found = {item.sk: Consent.from_json(item.latest) for item in ConsentItem.batch_get(keys)} if keys else {}
    return {c: found.get(c, Consent()) for _, c in keys}


def record_consent(business_id: str, client_id: str, changes: list[ConsentChange]) -> Consent:
    """Apply changes to the client's consent and log each, in one transaction; concurrent changes take turns."""
    for _ in range(5):
        try:
            item = ConsentItem.get(f"BIZ#{business_id}#CONSENT", client_id, consistent_read=True)
            seen = item.version
        except ConsentItem.DoesNotExist:
            item, seen = None, None
        current = Consent.from_json(item.latest if item else [])
        for change in changes:
            current = current.with_change(change)
        new = ConsentItem(f"BIZ#{business_id}#CONSENT", client_id, latest=current.to_json(), version=(seen or 0) + 1)
        condition = ConsentItem.pk.does_not_exist() if seen is None else ConsentItem.version == seen
        try:
            with TransactWrite(connection=connection()) as tx:
                tx.save(new, condition=condition)
                for change in changes:
                    tx.save(ConsentLogItem(f"BIZ#{business_id}#CONSENTLOG#{client_id}",
                                           f"{iso(change.at)}#{secrets.token_hex(4)}", change=change.to_json()))
        except TransactWriteError as error:
            if any(r is not None and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
                continue
            raise
        return current
    raise ConflictError("the consent changed meanwhile; try again", code="changed_meanwhile")


def consent_history(business_id: str, client_id: str, limit: int = 200) -> list[ConsentChange]:
    items = ConsentLogItem.query(f"BIZ#{business_id}#CONSENTLOG#{client_id}", scan_index_forward=False, limit=limit)
    return [ConsentChange.from_json(item.change) for item in items]


# -- campaigns -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Campaign:
    id: str
    business_id: str
    kind: str  # campaign | winback
    name: str
    texts: dict
    audience: dict
    status: str  # draft | sending | sent
    created_at: datetime
    created_by: str
    sent_at: datetime | None = None
    counts: dict | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(c for c, key in (("email", "email_body"), ("sms", "sms_body")) if self.texts.get(key))


def _campaign(item: CampaignItem, business_id: str) -> Campaign:
    return Campaign(item.id, business_id, item.campaign_kind, item.name, dict(item.texts), dict(item.audience),
                    item.status, item.created_at, item.created_by, item.sent_at, dict(item.counts or {}))


def save_campaign(campaign: Campaign, *, new: bool) -> bool:
    item = CampaignItem(f"BIZ#{campaign.business_id}#CAMPAIGN", campaign.id, id=campaign.id,
                        campaign_kind=campaign.kind, name=campaign.name, texts=campaign.texts,
                        audience=campaign.audience, status=campaign.status, created_at=campaign.created_at,
                        created_by=campaign.created_by, sent_at=campaign.sent_at, counts=campaign.counts or {})
    return _written(lambda: item.save(condition=CampaignItem.pk.does_not_exist() if new else None))


def campaign(business_id: str, campaign_id: str) -> Campaign:
    try:
        return _campaign(CampaignItem.get(f"BIZ#{business_id}#CAMPAIGN", campaign_id, consistent_read=True),
                         business_id)
    except CampaignItem.DoesNotExist:
        raise NotFoundError("no such campaign", field="campaign") from None


def campaigns(business_id: str, limit: int = 100) -> list[Campaign]:
    items = CampaignItem.query(f"BIZ#{business_id}#CAMPAIGN", limit=limit)
    return [_campaign(i, business_id) for i in items]


def start_sending(business_id: str, campaign_id: str, counts: dict, now: datetime) -> bool:
    """draft -> sending, once: the run that wins fixes the audience; False for everyone else."""
    return _written(lambda: CampaignItem(f"BIZ#{business_id}#CAMPAIGN", campaign_id).update(
        actions=[CampaignItem.status.set("sending"), CampaignItem.sent_at.set(now), CampaignItem.counts.set(counts)],
        condition=CampaignItem.status == "draft"))


def finish_sending(business_id: str, campaign_id: str) -> None:
    CampaignItem(f"BIZ#{business_id}#CAMPAIGN", campaign_id).update(actions=[CampaignItem.status.set("sent")])


# -- the marketing outbox --------------------------------------------------------------------------------
@dataclass(frozen=True)
class MarketingMessage:
    business_id: str
    campaign_id: str
    client_id: str
    channel: str
    status: str = "pending"
    due_key: str | None = None
    attempts: int = 0
    reason: str | None = None
    to: str | None = None
    sent_at: datetime | None = None
    created_at: datetime | None = None
    delivery: str | None = None  # delivered | failed, as the provider reported it after sending

    @property
    def ident(self) -> str:
        return f"{self.business_id}#{self.campaign_id}#{self.client_id}#{self.channel}"


def _message_key(m: MarketingMessage) -> MarketingMessageItem:
    return MarketingMessageItem(f"BIZ#{m.business_id}#MKTOUT#{m.campaign_id}", f"{m.client_id}#{m.channel}")


def _message(item: MarketingMessageItem) -> MarketingMessage:
    return MarketingMessage(item.business_id, item.campaign_id, item.client_id, item.channel, item.status,
                            item.due_sk, item.attempts, item.reason, item.to, item.sent_at, item.created_at,
                            item.delivery)


def _message_item(m: MarketingMessage, due: datetime, now: datetime) -> MarketingMessageItem:
    item = _message_key(m)
    item.business_id, item.campaign_id, item.client_id, item.channel = m.business_id, m.campaign_id, m.client_id, m.channel
    item.status, item.created_at = "pending", now
    item.due_pk, item.due_sk = due_key(QUEUE, due, m.ident)
    # the client's messages by their id (export, erasure): `agenda` index, BIZ#<b>#MKTOF#<client>
    item.agenda_pk, item.agenda_sk = messages_of_pk(m.business_id, m.client_id), f"{iso(now)}#{m.campaign_id}#{m.channel}"
    return item


def messages_of_pk(business_id: str, client_id: str) -> str:
    return f"BIZ#{business_id}#MKTOF#{client_id}"


def client_messages(business_id: str, client_id: str) -> list[MarketingMessage]:
    """Every marketing message queued for the client, oldest first: one query of the `agenda` index."""
    return [_message(i) for i in MarketingMessageItem.agenda.query(messages_of_pk(business_id, client_id))
            if isinstance(i, MarketingMessageItem)]


def forget_message(message: MarketingMessage) -> str:
    """Erasure: a waiting message is taken out of the queue (deleted), a finished one loses its address.
    Returns dropped | scrubbed | kept; ConflictError `message_being_sent` while a run has it."""
    key = _message_key(message)
    try:
        if message.status == "pending":
            key.delete(condition=MarketingMessageItem.due_sk == message.due_key)
            return "dropped"
        if message.status == "sending":
            raise ConflictError("a message to this client is being sent; try again in a minute",
                                code="message_being_sent")
        if not message.to:
            return "kept"
        key.update(actions=[MarketingMessageItem.to.remove()], condition=MarketingMessageItem.claim.does_not_exist())
        return "scrubbed"
    except (DeleteError, UpdateError) as error:
        if _conditional_failed(error):
            raise ConflictError("a message to this client is being sent; try again in a minute",
                                code="message_being_sent") from None
        raise


def consent_log_items(business_id: str, client_id: str) -> list[ConsentLogItem]:
    return list(ConsentLogItem.query(f"BIZ#{business_id}#CONSENTLOG#{client_id}"))


def forget_sms_sender(phone: str, business_id: str) -> bool:
    """The number's STOP-reply pointer, if this business set it (a key holding the number: erasure drops it)."""
    return _written(lambda: SmsSenderItem(f"SMSTO#{phone}", "MKT").delete(
        condition=SmsSenderItem.business_id == business_id))


def enqueue(message: MarketingMessage, due: datetime, now: datetime) -> bool:
    """Queue one message, unless this campaign already has one for this client and channel."""
    return _written(lambda: _message_item(message, due, now).save(condition=MarketingMessageItem.pk.does_not_exist()))


def enqueue_winback(messages: list[MarketingMessage], due: dict[str, datetime], now: datetime, client_id: str,
                    seen: WinbackRecord, record: WinbackRecord) -> bool:
    """A client's win-back messages and their new win-back record, all or nothing, on condition that the
    record is as read and none of the messages exists: overlapping sweeps cannot both write to them."""
    cap = ContactCapItem(f"BIZ#{messages[0].business_id}#MKTCAP", client_id)
    condition = (ContactCapItem.winback_day.does_not_exist() if seen.last_day is None
                 else ContactCapItem.winback_day == seen.last_day.isoformat())
    try:
        with TransactWrite(connection=connection()) as tx:
            for m in messages:
                tx.save(_message_item(m, due[m.channel], now), condition=MarketingMessageItem.pk.does_not_exist())
            tx.update(cap, actions=[ContactCapItem.kind.set(ContactCapItem),
                                    ContactCapItem.winback_day.set(record.last_day.isoformat()),
                                    ContactCapItem.winback_absence.set(record.absence.isoformat()),
                                    ContactCapItem.winback_count.set(record.count)], condition=condition)
    except TransactWriteError as error:
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
            return False
        raise
    return True


def due_messages(now: datetime) -> Iterator[MarketingMessage]:
    today = now.astimezone(UTC).date()
    for back in range(LOOKBACK_DAYS, -1, -1):
        day = today - timedelta(days=back)
        for item in MarketingMessageItem.due.query(f"DUE#{QUEUE}#{day.isoformat()}", Item.due_sk <= f"{iso(now)}~"):
            yield _message(item)


def wait(message: MarketingMessage, until: datetime) -> bool:
    """Move a message that may not go out yet (quiet hours) to `until`, if nobody took it meanwhile."""
    due_pk, due_sk = due_key(QUEUE, until, message.ident)
    return _written(lambda: _message_key(message).update(
        actions=[MarketingMessageItem.due_pk.set(due_pk), MarketingMessageItem.due_sk.set(due_sk)],
        condition=MarketingMessageItem.due_sk == message.due_key))


class Refused(Exception):
    """The claim was refused: `reason` is capped, quota, or taken (another run has it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def claim(message: MarketingMessage, now: datetime, lease: timedelta, cap_since: datetime | None,
          quota: tuple[str, int] | None) -> MarketingMessage:
    """Take a message for sending and, in the same transaction, the client's cap (no other campaign's
    message since `cap_since`) and, for SMS, one of the month's quota (`quota`: month, limit). Raises
    Refused naming the first condition that failed."""
    token = secrets.token_hex(8)
    due_pk, due_sk = due_key(QUEUE, now + lease, message.ident)
    cap = ContactCapItem(f"BIZ#{message.business_id}#MKTCAP", message.client_id)
    cap_ok = None
    if cap_since is not None:
        cap_ok = (ContactCapItem.last_at.does_not_exist() | (ContactCapItem.last_campaign == message.campaign_id)
                  | (ContactCapItem.last_at <= cap_since))
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(_message_key(message), actions=[
                MarketingMessageItem.status.set("sending"), MarketingMessageItem.claim.set(token),
                MarketingMessageItem.attempts.set(message.attempts + 1),
                MarketingMessageItem.due_pk.set(due_pk), MarketingMessageItem.due_sk.set(due_sk),
            ], condition=MarketingMessageItem.due_sk == message.due_key)
            tx.update(cap, actions=[ContactCapItem.kind.set(ContactCapItem), ContactCapItem.last_at.set(now),
                                    ContactCapItem.last_campaign.set(message.campaign_id)], condition=cap_ok)
            if quota is not None:
                month, limit = quota
                tx.update(UsageItem(f"BIZ#{message.business_id}#MKTUSAGE", month),
                          actions=[UsageItem.kind.set(UsageItem), UsageItem.sms.add(1)],
                          condition=UsageItem.sms.does_not_exist() | (UsageItem.sms < limit))
    except TransactWriteError as error:
        if not any(r is not None and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
            raise
        raise Refused(_why_refused(message, cap_since, quota)) from None
    return replace(message, status="sending", due_key=due_sk, attempts=message.attempts + 1)


def _why_refused(message: MarketingMessage, cap_since: datetime | None, quota: tuple[str, int] | None) -> str:
    """Which condition failed: read back (a transaction's reasons are listed in PynamoDB's order, not ours)."""
    try:
        item = _message_key(message)
        item.refresh(consistent_read=True)
        if item.due_sk != message.due_key:
            return "taken"
    except MarketingMessageItem.DoesNotExist:
        return "taken"
    if cap_since is not None:
        last_at, last_campaign = last_marketing(message.business_id, message.client_id)
        if last_at is not None and last_campaign != message.campaign_id and last_at > cap_since:
            return "capped"
    return "quota" if quota is not None else "taken"


def finish(message: MarketingMessage, status: str, *, reason: str | None = None, to: str | None = None,
           provider_id: str | None = None, now: datetime, retry_at: datetime | None = None) -> bool:
    """Record the outcome of a claimed message (or put it back, due at `retry_at`); False if the claim was lost."""
    actions = [MarketingMessageItem.status.set(status), MarketingMessageItem.claim.remove()]
    if reason is not None:
        actions.append(MarketingMessageItem.reason.set(reason))
    if to is not None:
        actions.append(MarketingMessageItem.to.set(to))
    if provider_id is not None:
        actions.append(MarketingMessageItem.provider_id.set(provider_id))
    if status in ("sent", "unconfirmed"):
        actions.append(MarketingMessageItem.sent_at.set(now))
    if retry_at is not None:
        due_pk, due_sk = due_key(QUEUE, retry_at, message.ident)
        actions += [MarketingMessageItem.due_pk.set(due_pk), MarketingMessageItem.due_sk.set(due_sk)]
    else:
        actions += [MarketingMessageItem.due_pk.remove(), MarketingMessageItem.due_sk.remove()]
    condition = MarketingMessageItem.due_sk == message.due_key if message.due_key else None
    if provider_id is None:
        return _written(lambda: _message_key(message).update(actions=actions, condition=condition))
    # with the provider's id, the pointer its delivery events find the message by, in the same transaction
    sent = SentMessageItem(f"SENT#{provider_id}", "MKT", business_id=message.business_id,
                           campaign_id=message.campaign_id, client_id=message.client_id, channel=message.channel,
                           expires_at=now + SENT_POINTER_KEPT)
    try:
        with TransactWrite(connection=connection()) as tx:
            tx.update(_message_key(message), actions=actions, condition=condition)
            tx.save(sent)
    except TransactWriteError as error:
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []):
            return False
        raise
    return True


SENT_POINTER_KEPT = timedelta(days=30)  # providers report within minutes; a late bounce within days


def record_delivery(provider_id: str, outcome: str, reason: str | None, at: datetime) -> MarketingMessage | None:
    """What the provider reported about the message it gave `provider_id` (delivered | failed), found by key;
    None when it is no marketing message (a booking's, or one sent before the pointer was kept). A failure
    overrides a delivery reported before it (a late bounce); a delivery never overrides a failure."""
    try:
        sent = SentMessageItem.get(f"SENT#{provider_id}", "MKT")
    except SentMessageItem.DoesNotExist:
        return None
    message = MarketingMessage(sent.business_id, sent.campaign_id, sent.client_id, sent.channel)
    actions = [MarketingMessageItem.delivery.set(outcome), MarketingMessageItem.delivery_at.set(at)]
    actions.append(MarketingMessageItem.delivery_reason.set(reason) if reason
                   else MarketingMessageItem.delivery_reason.remove())
    condition = MarketingMessageItem.pk.exists()  # an erased client's waiting message is gone: nothing to mark
    if outcome != "failed":
        condition &= MarketingMessageItem.delivery.does_not_exist() | (MarketingMessageItem.delivery == outcome)
    if not _written(lambda: _message_key(message).update(actions=actions, condition=condition)):
        return None
    return replace(message, delivery=outcome)


def campaign_messages(business_id: str, campaign_id: str) -> Iterator[MarketingMessage]:
    for item in MarketingMessageItem.query(f"BIZ#{business_id}#MKTOUT#{campaign_id}"):
        yield _message(item)


# -- cap, win-back record, quota -------------------------------------------------------------------------
def last_marketing(business_id: str, client_id: str) -> tuple[datetime | None, str | None]:
    try:
        item = ContactCapItem.get(f"BIZ#{business_id}#MKTCAP", client_id, consistent_read=True)
    except ContactCapItem.DoesNotExist:
        return None, None
    return item.last_at, item.last_campaign


def caps(business_id: str, client_ids: Iterable[str]) -> dict[str, ContactCapItem]:
    keys = [(f"BIZ#{business_id}#MKTCAP", c) for c in dict.fromkeys(client_ids)]
    return {item.sk: item for item in ContactCapItem.batch_get(keys)} if keys else {}


def winback_record(item: ContactCapItem | None) -> WinbackRecord:
    if item is None or not item.winback_day:
        return WinbackRecord()
    return WinbackRecord(date.fromisoformat(item.winback_day),
                         date.fromisoformat(item.winback_absence) if item.winback_absence else None,
                         int(item.winback_count or 0))


def sms_used(business_id: str, month: str) -> int:
    try:
        return int(UsageItem.get(f"BIZ#{business_id}#MKTUSAGE", month, consistent_read=True).sms or 0)
    except UsageItem.DoesNotExist:
        return 0


# -- sweep runs -----------------------------------------------------------------------------------------
def claim_sweep(business_id: str, day: date, now: datetime, lease: timedelta) -> str | None:
    """Take the business's sweep of `day`: nobody has, or a run that took it died (its lease ran out).
    Returns the claim's token (for `release_sweep`), None when another run has it or it is done."""
    token = secrets.token_hex(8)
    item = SweepRunItem(_mkt(business_id), f"SWEEP#{day.isoformat()}", status="running", lease_until=now + lease,
                        claim=token)
    condition = SweepRunItem.pk.does_not_exist() | ((SweepRunItem.status == "running")
                                                   & (SweepRunItem.lease_until < now))
    return token if _written(lambda: item.save(condition=condition)) else None


def release_sweep(business_id: str, day: date, token: str) -> bool:
    """Give back a claim whose run failed, if it is still this run's: the next run may take the day at once."""
    return _written(lambda: SweepRunItem(_mkt(business_id), f"SWEEP#{day.isoformat()}").delete(
        condition=(SweepRunItem.status == "running") & (SweepRunItem.claim == token)))


def finish_sweep(business_id: str, day: date, report: dict) -> None:
    SweepRunItem(_mkt(business_id), f"SWEEP#{day.isoformat()}").update(
        actions=[SweepRunItem.status.set("done"), SweepRunItem.report.set(report)])


# -- attribution and the SMS sender -----------------------------------------------------------------------
def attribute(business_id: str, campaign_id: str, reference: str, client_id: str, price: Decimal,
              at: datetime) -> bool:
    return _written(lambda: AttributionItem(f"BIZ#{business_id}#MKTATTR#{campaign_id}", reference,
                                            client_id=client_id, price=str(price), at=at)
                    .save(condition=AttributionItem.pk.does_not_exist()))


def attributions(business_id: str, campaign_id: str) -> list[tuple[str, Decimal]]:
    return [(i.sk, Decimal(i.price)) for i in AttributionItem.query(f"BIZ#{business_id}#MKTATTR#{campaign_id}")]


def remember_sms_sender(phone: str, business_id: str, now: datetime) -> None:
    SmsSenderItem(f"SMSTO#{phone}", "MKT", business_id=business_id, at=now).save()


def sms_sender(phone: str) -> str | None:
    try:
        return SmsSenderItem.get(f"SMSTO#{phone}", "MKT").business_id
    except SmsSenderItem.DoesNotExist:
        return None
