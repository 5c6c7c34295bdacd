"""What SES and SNS tell us after sending: bounces, complaints and SMS opt-outs.

They arrive as SNS notifications. SES publishes {"notificationType": "Bounce" | "Complaint", ...}
(or, with event publishing, "eventType"); a two-way SMS number publishes the client's reply
({"originationNumber": ..., "messageBody": "STOP"}). A permanent bounce, any complaint, or an
opt-out keyword marks the address undeliverable (repositories/messages.py): no message is sent to it
again, for any business, until staff give the client another address.

Each marketing email's own outcome (the campaign's delivered and failed figures): SES's event publishing
reports every message of the configuration set, {"eventType": "Delivery" | "Bounce" | "Reject", "mail":
{"messageId": ...}}; the id SES gave the message at sending finds it (repositories/marketing.py
`record_delivery`, one read by key). Any bounce fails the message (a transient one too: SES has stopped
trying); a complaint does not (it was delivered). Other messages' events (bookings') find nothing and stay
as they are. SMS sent through SNS get no such event (SNS writes SMS delivery status only to CloudWatch Logs).

Marketing (services/consents.py `sms_reply`): a STOP (or START) from a number a business sent a marketing SMS
to stops (or resumes) that business's marketing SMS to its client, and nothing else: their booking messages
keep coming. Replies to no marketing SMS keep the rule above.
"""
from __future__ import annotations

import json
from datetime import datetime

from ..observability import logger as log
from ..repositories import messages as repo

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "OPT-OUT",
                           "ARRET", "BAJA", "ALTO", "BASTA", "STOPP", "KONEC"})


def handle(message: str, now: datetime) -> list[tuple[str, str, str]]:
    """Mark what the notification reports; returns the (channel, address, reason) marked."""
    try:
        data = json.loads(message)
    except (TypeError, ValueError):
        log.warning("ignored a delivery notification that is not JSON")
        return []
    if not isinstance(data, dict):
        return []
    replied = _marketing_reply(data, now)
    if replied:
        return replied
    _delivery(data, now)
    marks = _ses(data) or _sms_reply(data)
    for channel, address, reason in marks:
        repo.mark_undeliverable(channel, address, reason, message, now)
        log.info("marked a client %s address undeliverable (%s)", channel, reason)  # never the address
    return marks


def _ses(data: dict) -> list[tuple[str, str, str]]:
    kind = data.get("notificationType") or data.get("eventType")
    if kind == "Bounce":
        bounce = data.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return []  # a full mailbox or a busy server: SES retries, and the address may work tomorrow
        return [("email", r["emailAddress"], "bounce") for r in bounce.get("bouncedRecipients", [])
                if isinstance(r, dict) and r.get("emailAddress")]
    if kind == "Complaint":
        complaint = data.get("complaint") or {}
        return [("email", r["emailAddress"], "complaint") for r in complaint.get("complainedRecipients", [])
                if isinstance(r, dict) and r.get("emailAddress")]
    return []


# SES event type -> what it says of the message (event publishing's eventType; a notification's notificationType)
OUTCOMES = {"Delivery": "delivered", "Bounce": "failed", "Reject": "failed"}


def _delivery(data: dict, now: datetime) -> None:
    kind = data.get("eventType") or data.get("notificationType")
    mail = data.get("mail")
    if kind not in OUTCOMES or not isinstance(mail, dict) or not isinstance(mail.get("messageId"), str):
        return
    reason = None
    if kind == "Bounce":
        bounce = data.get("bounce") or {}
        reason = f"bounce {bounce.get('bounceType', '')}/{bounce.get('bounceSubType', '')}"[:100]
    elif kind == "Reject":
        reason = f"rejected {(data.get('reject') or {}).get('reason', '')}"[:100]
    from ..repositories import marketing  # loaded only for an SES event

    found = marketing.record_delivery(mail["messageId"], OUTCOMES[kind], reason, now)
    if found is not None:
        log.info("a marketing message was %s", found.delivery)


START_WORDS = frozenset({"START", "UNSTOP", "YES", "SI", "SÌ", "ANO", "JAH"})


def _marketing_reply(data: dict, now: datetime) -> list[tuple[str, str, str]]:
    number, body = data.get("originationNumber"), data.get("messageBody")
    if not isinstance(number, str) or not isinstance(body, str):
        return []
    words = body.strip().upper().split()
    if not words or words[0] not in OPT_OUT_WORDS | START_WORDS:
        return []
    from ..services import consents  # the marketing consent, loaded only for a reply

    stop = words[0] in OPT_OUT_WORDS
    if consents.sms_reply(number, stop=stop, said=body.strip()[:160], now=now) is None:
        return []
    log.info("an SMS reply %s a business's marketing SMS", "stopped" if stop else "resumed")
    return [("sms", number, "marketing_stop" if stop else "marketing_start")]


def _sms_reply(data: dict) -> list[tuple[str, str, str]]:
    number, body = data.get("originationNumber"), data.get("messageBody")
    if not isinstance(number, str) or not isinstance(body, str):
        return []
    words = body.strip().upper().split()
    if words and words[0] in OPT_OUT_WORDS:
        return [("sms", number, "opt_out")]
    return []
