"""The Lambda functions behind EventBridge schedules and the delivery-events SNS topic.

`chalice local` runs none of them: `make dev` calls them on a timer (infra/local/devstack.py JOBS).
"""
from __future__ import annotations

import os

from chalice import Blueprint, Rate

from .. import wiring
from ..notifications import delivery
from ..observability import job
from . import delivery_events, reminders

jobs = Blueprint(__name__)
DELIVERY_TOPIC = os.environ.get("TURNO_DELIVERY_TOPIC", "turno-delivery-events")


@jobs.schedule(Rate(1, unit=Rate.MINUTES))
@job  # its report's counts become metrics (MessagesSent, ...) and its summary line
def deliver_outbox(event) -> dict:
    """Sends new messages and retries failed ones (the outbox's due items)."""
    return delivery.drain(wiring.now())


@jobs.schedule(Rate(5, unit=Rate.MINUTES))
@job
def send_reminders(event) -> dict:
    return reminders.send_due_reminders(wiring.now())


@jobs.on_sns_message(topic=DELIVERY_TOPIC)
def on_sns_message(event) -> dict:
    """SES bounces and complaints, SMS opt-outs: the address is not used again."""
    marked = delivery_events.handle(event.message, wiring.now())
    return {"marked": [{"channel": c, "address": a, "reason": r} for c, a, r in marked]}
