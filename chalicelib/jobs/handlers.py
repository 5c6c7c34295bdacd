"""The Lambda functions behind EventBridge schedules, the delivery-events SNS topic, the table's stream and
the sweep's queue.

`chalice local` runs none of them: `make dev` calls them on a timer (infra/local/devstack.py JOBS).
"""
from __future__ import annotations

from chalice import Blueprint, Cron, Rate

from .. import wiring
from ..config import Settings
from ..later import later
from ..observability import count, job

delivery = later("chalicelib.notifications.delivery")
delivery_events = later("chalicelib.jobs.delivery_events")
reminders = later("chalicelib.jobs.reminders")
stream = later("chalicelib.jobs.stream")
retention = later("chalicelib.services.retention")
openings = later("chalicelib.services.openings")
marketing_jobs = later("chalicelib.jobs.marketing")
marketing_delivery = later("chalicelib.services.marketing_delivery")
reconciliation = later("chalicelib.services.reconciliation")

jobs = Blueprint(__name__)
# Read at import, and afresh (not the cached settings): Chalice takes the decorators' arguments (the
# topic, the stream) when it imports the app to package each stage, with that stage's environment.
PACKAGED = Settings.from_env()


@jobs.schedule(Rate(1, unit=Rate.MINUTES))
@job  # its report's counts become metrics (MessagesSent, ...) and its summary line
def deliver_outbox(event) -> dict:
    """Sends new messages and retries failed ones (the outbox's due items)."""
    return delivery.drain(delivery.Run(wiring.now(), wiring.store(), wiring.senders()))


@jobs.schedule(Rate(5, unit=Rate.MINUTES))
@job
def send_reminders(event) -> dict:
    return reminders.send_due_reminders(delivery.Run(wiring.now(), wiring.store(), wiring.senders()))


@jobs.schedule(Cron(30, 3, "*", "*", "?", "*"))  # 03:30 UTC: night in Europe, the quietest hour of the table
@job
def reconcile_reports(event) -> dict:
    """The reports' last 35 days counted again from the appointments: lost stream records are repaired,
    and the drift (appointments that counted wrongly) is the ReportDrift metric (0 on a good night)."""
    store = wiring.store()
    drift = reconciliation.reconcile_recent(store.catalog, store.appointments_between, wiring.now())
    count("ReportDrift", value=len(drift.repaired))
    return drift.report()


@jobs.on_sns_message(topic=PACKAGED.delivery_topic)
def on_sns_message(event) -> dict:
    """SES bounces and complaints, SMS opt-outs: the address is not used again."""
    marked = delivery_events.handle(event.message, wiring.now())
    return {"marked": [{"channel": c, "address": a, "reason": r} for c, a, r in marked]}


@jobs.on_dynamodb_record(stream_arn=PACKAGED.table_stream_arn, batch_size=100, starting_position="LATEST")
@job
def on_table_change(event) -> dict:
    """Committed changes: new messages go out at once, domain events reach their subscribers."""
    from . import client_activity, report_counters  # noqa: F401 - the features reacting to the stream subscribe when loaded
    from . import waitlist_offers  # noqa: F401
    from . import plan_stream  # noqa: F401 - "one session left" queued from the plan's units
    from . import marketing as _marketing  # noqa: F401 - client figures and attribution (marketing)
    return stream.handle(event.to_dict()["Records"], delivery.Run(wiring.now(), wiring.store(), wiring.senders()))


@jobs.schedule(Cron(30, 2, "*", "*", "?", "*"))
@job
def apply_retention(event) -> dict:
    """Nightly (02:30 UTC): clients idle longer than their business's retention are pseudonymised (off by default)."""
    return retention.run(wiring.store(), wiring.clients(), wiring.do_not_contact(), wiring.now())


@jobs.schedule(Rate(1, unit=Rate.MINUTES))
@job
def release_holds(event) -> dict:
    """Waiting-list holds that ran out move on to the next request (exactly once: services/openings.py)."""
    return openings.release_expired(wiring.store(), wiring.now())


# -- marketing (campaigns and the dormant-client sweep) ------------------------------------------------
@jobs.schedule(Rate(1, unit=Rate.MINUTES))
@job
def deliver_marketing(event) -> dict:
    """Sends due marketing messages: campaigns and win-backs (SMS wait for quiet hours)."""
    return marketing_delivery.drain(marketing_jobs.run())


@jobs.schedule(Cron(0, 5, "*", "*", "?", "*"))
@job
def sweep_dormant_clients(event) -> dict:
    """Daily: one unit per business with the sweep on, to the sweep's queue (services/winback.py)."""
    return marketing_jobs.fan_out()


@jobs.on_sqs_message(queue=PACKAGED.sweep_queue, batch_size=10)
def sweep_business(event) -> dict:
    """The sweep's queue: each unit is one business's sweep of the day, idempotent per (business, local day);
    a failing unit is retried alone and the others are done."""
    return marketing_jobs.sweep_batch(event.to_dict())
