"""The Lambda functions behind EventBridge schedules and the delivery-events SNS topic.

`chalice local` runs none of them: `make dev` calls them on a timer (infra/local/devstack.py JOBS).
"""
from __future__ import annotations

import logging

from chalice import Blueprint, Rate

from .. import wiring
from ..config import Settings
from ..notifications import delivery
from . import delivery_events, reminders

jobs = Blueprint(__name__)
log = logging.getLogger("turno.jobs")
# Read at import, and afresh (not the cached settings): Chalice takes the decorator's argument when it
# imports the app to package each stage, with that stage's environment.
DELIVERY_TOPIC = Settings.from_env().delivery_topic


@jobs.schedule(Rate(1, unit=Rate.MINUTES))
def deliver_outbox(event) -> dict:
    """Sends new messages and retries failed ones (the outbox's due items)."""
    report = delivery.drain(wiring.now(), wiring.senders())
    log.info("outbox: %s", report)
    return report


@jobs.schedule(Rate(5, unit=Rate.MINUTES))
def send_reminders(event) -> dict:
    report = reminders.send_due_reminders(wiring.now(), wiring.senders())
    log.info("reminders: %s", report)
    return report


@jobs.on_sns_message(topic=DELIVERY_TOPIC)
def on_sns_message(event) -> dict:
    """SES bounces and complaints, SMS opt-outs: the address is not used again."""
    marked = delivery_events.handle(event.message, wiring.now())
    return {"marked": [{"channel": c, "address": a, "reason": r} for c, a, r in marked]}
