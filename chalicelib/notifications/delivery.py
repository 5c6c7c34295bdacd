"""Sending what the outbox holds: email through SES v2, SMS through SNS, each message exactly once.

One outbox item is one booking change. A run claims it (a conditional write), composes its messages
from the change's snapshot, sends each channel that is not final yet, and records the provider's
message id, the log entries and the day's counts in one transaction. A channel the provider clearly
refused (NotSentError: it answered no, or the request never left) is tried again later with backoff
(notifications/outbox.py: at most 30 minutes apart, until the appointment starts, or for a day); then
it is failed and listed for the backoffice. A send whose answer was lost (SendUnconfirmedError, or
anything else raised once the send may have happened) is final as `unconfirmed`: the provider may have
sent it, so it is never sent again. An address marked undeliverable is skipped.

Exactly once: a send happens only under a claim, and a claim is only ever taken from the due key
the run saw. A run that dies between sending and recording leaves its claim to expire; the item then
comes back and its unrecorded channels are marked failed ("interrupted") instead of being sent again:
we prefer a message a person can see as failed to a message a client gets twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ..config import settings
from ..domain.access import manage_token
from ..domain.calendar import UTC
from ..domain.model import AppointmentStatus, Business, Catalog, Client
from ..errors import NotFoundError
from ..observability import logger as log
from ..ports import AgendaStore, NotSentError
from ..repositories import messages as repo
from ..repositories.notification_settings import notification_settings
from . import outbox
from .compose import Message, compose
from ..domain.messages import MessageKind, OutboxMessage
from ..domain.offer_messages import worth_sending_until
from ..domain.notification_settings import NotificationSettings

COMPOSE = "compose"  # the pseudo-channel of a message that could not even be rendered


class Senders(Protocol):
    """SES and SNS on AWS (chalicelib/adapters/aws_senders.py), a fake in tests; the edge picks (wiring.py).
    A refused send raises chalicelib.ports.NotSentError (the channel is retried); a send whose outcome is
    unknown raises SendUnconfirmedError (the channel is final, `unconfirmed`, never sent again)."""

    def email(self, message: Message, sender: str) -> str: ...  # returns the provider's message id
    def sms(self, message: Message) -> str: ...


def sender_address() -> str:
    return settings().sender_email


def manage_url(business: Business, reference: str) -> str:
    """The manage page for this booking, with its token (an HMAC: the link can always be rebuilt)."""
    base = settings().public_url or settings().backoffice_url
    base = base.rstrip("/")
    token = manage_token(settings().signing_key, reference)
    return f"{base}/b/{business.slug}/manage/{reference}?token={token}"


@dataclass
class Run:
    """One job run: the clock, the store, the senders, and what it read once per business."""

    now: datetime
    store: AgendaStore
    send: Senders
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    preferences: dict[str, NotificationSettings] = field(default_factory=dict)
    report: dict[str, int] = field(default_factory=lambda: {"sent": 0, "failed": 0, "skipped": 0,
                                                            "unconfirmed": 0, "retry": 0, "lost": 0})

    def catalog(self, business_id: str) -> Catalog:
        if business_id not in self.catalogs:
            self.catalogs[business_id] = self.store.catalog(business_id)
        return self.catalogs[business_id]

    def settings(self, business_id: str) -> NotificationSettings:
        if business_id not in self.preferences:
            self.preferences[business_id] = notification_settings(business_id)
        return self.preferences[business_id]


def drain(run: Run) -> dict[str, int]:
    """Send (or retry) every outbox item due by `run.now`; what the scheduled job calls every minute."""
    for item in repo.due_outbox(run.now):
        try:
            deliver(item, run)
        except Exception:  # noqa: BLE001 - one broken item must not hold up the others; it comes back
            log.exception("outbox item %s could not be handled", item.id)
            run.report["errors"] = run.report.get("errors", 0) + 1
    return run.report


def deliver(item: OutboxMessage, run: Run) -> None:
    """Handle one outbox message this run found in the `due` index (see the module docstring)."""
    appointment = item.appointment
    if appointment.status is AppointmentStatus.CONFIRMED and item.kind is not MessageKind.REMINDER \
            and item.offer is None:  # an offer's "appointment" is its hold: nothing to remind
        # Before the claim: arming is conditional and idempotent, and a failure here leaves the item due.
        leads = list(run.settings(item.business_id).reminder_lead_times)
        repo.arm_reminders(appointment, leads, outbox.reminder_due(appointment.start, leads, appointment.updated_at))
    if item.kind is None:
        repo.forget(item)
        return
    interrupted = item.status == "sending"  # a run claimed it and never finished: its lease ran out
    claimed = repo.claim(item, run.now + outbox.LEASE)
    if claimed is None:
        return
    item = claimed
    deliveries = {channel: dict(d) for channel, d in (item.deliveries or {}).items()
                  if channel != COMPOSE or d["status"] in repo.FINAL}
    try:
        messages = _compose(item, appointment, run)
    except Exception:  # noqa: BLE001 - a text that cannot be rendered must not stop the other items
        log.exception("cannot compose outbox item %s", item.id)
        messages = []
        deliveries[COMPOSE] = {"status": "failed" if interrupted else "retry", "error": "cannot render the text"}
    marks = repo.undeliverable((m.channel, m.to) for m in messages)
    too_late = run.now >= outbox.retry_until(item.due, worth_sending_until(item))  # a job that ran late found a retry
    for message in messages:
        d = deliveries.setdefault(message.channel, {"status": "pending"})
        if d["status"] in repo.FINAL:
            continue
        d.update(to=message.to, segments=message.segments, encoding=message.encoding)
        if (message.channel, message.to) in marks:
            d.update(status="skipped", error=f"undeliverable ({marks[(message.channel, message.to)]})")
        elif interrupted and d["status"] in ("pending", "retry"):
            d.update(status="failed", error="interrupted while sending: not sent again")
        elif too_late and d["status"] == "retry":
            d.update(status="failed", error=f"{d.get('error') or 'not sent'} (not tried again: too late)")
        else:
            _send(message, d, run)
    _close(item, deliveries, run)


def _compose(item: OutboxMessage, appointment, run: Run) -> list[Message]:
    try:
        catalog = run.catalog(item.business_id)
    except NotFoundError:
        return []  # the business is gone
    if item.offer is not None:
        return _compose_offer(item, appointment, catalog, run)
    client = _client(run.store, item.business_id, item.client_id)
    service, staff = catalog.service(appointment.service_id), catalog.member(appointment.staff_id)
    if client is None or service is None or staff is None:
        return []  # the client, service or professional is gone: nobody to tell, nothing to say
    return compose(item.kind, business=catalog.business, appointment=appointment,
                   client=client, service=service, staff=staff, settings=run.settings(item.business_id),
                   manage_url=manage_url(catalog.business, appointment.reference),
                   previous_start=item.previous_start, sender=sender_address(), desk=catalog.desk(appointment.desk_id))


def _compose_offer(item: OutboxMessage, appointment, catalog: Catalog, run: Run) -> list[Message]:
    """An offer is for the request's contact as it was when offered (maybe not a client yet); its link is
    the offer page, rebuilt from the signing key; SMS quiet hours are judged at the send time (run.now)."""
    from ..domain.service_sequence import service_named  # an offer may be for several services

    offer, contact = item.offer, item.offer["contact"]
    service, staff = service_named(catalog, appointment.service_id), catalog.member(appointment.staff_id)
    if service is None or staff is None:
        return []
    client = Client(contact.get("client_id") or offer["request"], contact["first_name"], contact.get("last_name") or "",
                    email=contact.get("email"), phone=contact.get("phone"))
    held = datetime.fromisoformat(offer["held_until"]) if offer.get("held_until") else None
    return compose(item.kind, business=catalog.business, appointment=appointment, client=client, service=service,
                   staff=staff, settings=run.settings(item.business_id),
                   manage_url=offer_url(catalog.business, offer["opening"], offer["request"], int(offer["round"])),
                   sender=sender_address(), held_until=held, now=run.now)


def offer_url(business: Business, opening_id: str, request_id: str, round_: int) -> str:
    """The offer's page (api/offer_page.py), with its single-use token (an HMAC, like the manage link's)."""
    from urllib.parse import urlencode

    from ..domain.openings import offer_token

    base = (settings().public_url or settings().backoffice_url).rstrip("/")
    token = offer_token(settings().signing_key, opening_id, request_id, round_)
    query = urlencode({"request": request_id, "round": round_, "token": token})
    return f"{base}/b/{business.slug}/offers/{opening_id}?{query}"


def _timezone(business_id: str, run: Run):
    """The business's time zone for the day counts; UTC if the business is gone."""
    try:
        return run.catalog(business_id).business.tz
    except NotFoundError:
        return UTC


def _client(store: AgendaStore, business_id: str, client_id: str) -> Client | None:
    try:
        return store.client(business_id, client_id)
    except NotFoundError:
        return None


@dataclass(frozen=True)
class Attempt:
    """One send's outcome: sent (with the provider's id), retry (refused or never left: safe to send again),
    or unconfirmed (it may have gone out: final, never sent twice)."""

    status: str
    provider_id: str | None = None
    error: str | None = None


def attempt(senders: Senders, message: Message, sender: str) -> Attempt:
    """Send one message once and place the outcome (the booking outbox and the marketing outbox alike)."""
    try:
        if message.channel == "email":
            return Attempt("sent", senders.email(message, sender))
        return Attempt("sent", senders.sms(message))
    except NotSentError as error:  # SES/SNS refused, or the request never left: safe to try again
        log.warning("%s %s not sent, kept for a retry: %s", message.channel, message.kind.value,  # no address:
                    error.code or type(error).__name__)  # nor text
        return Attempt("retry", error=str(error)[:300])
    except Exception as error:  # noqa: BLE001 - SendUnconfirmedError, or a failure we cannot place: it may
        # have gone out, and a client must never get it twice, so it is final and shown as such
        log.warning("%s %s sent but not confirmed, not sent again: %s", message.channel, message.kind.value,
                    getattr(error, "code", "") or type(error).__name__)
        return Attempt("unconfirmed", error=str(error)[:300])


def _send(message: Message, d: dict, run: Run) -> None:
    sent = attempt(run.send, message, sender_address())
    if sent.provider_id is not None:
        d["provider_id"] = sent.provider_id
    d.update(status=sent.status, error=sent.error)
    if sent.status != "retry":
        d["sent_at"] = run.now.isoformat()


def _close(item: OutboxMessage, deliveries: dict, run: Run) -> None:
    attempts = item.attempts  # the claim counted this try (and refreshed the item)
    waiting = [d for d in deliveries.values() if d["status"] not in repo.FINAL]
    retry = outbox.retry_at(run.now, attempts, outbox.retry_until(item.due, worth_sending_until(item))) \
        if waiting else None
    if waiting and retry is None:
        for d in waiting:
            d.update(status="failed", error=d.get("error") or "not sent")
    before = {c: d["status"] for c, d in (item.deliveries or {}).items()}
    day = run.now.astimezone(_timezone(item.business_id, run)).date()
    outcomes = [repo.Outcome(c, d["status"], d, day) for c, d in deliveries.items()
                if d["status"] in repo.FINAL and before.get(c) != d["status"]]
    if not repo.finish(item, deliveries, run.now, retry, outcomes):
        run.report["lost"] += 1
        return
    for outcome in outcomes:
        run.report[outcome.status] += 1
    run.report["retry"] += 1 if retry else 0
