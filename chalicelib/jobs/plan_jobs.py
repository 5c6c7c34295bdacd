"""The plans' scheduled function: the daily expiry (chalicelib/services/plans.py `expire_due`).

`chalice local` runs no schedules: `make dev` invokes it on a timer (infra/local/devstack.py JOBS).
"""
from __future__ import annotations

from chalice import Blueprint, Cron

from .. import wiring
from ..later import later
from ..observability import job

plans = later("chalicelib.services.plans")

plan_jobs = Blueprint(__name__)


@plan_jobs.schedule(Cron(30, 0, "*", "*", "?", "*"))  # daily, 00:30 UTC: after midnight in most salons' zones
@job
def expire_plans(event) -> dict:
    """Expires each plan whose validity has ended, once; a rerun or an overlapping run writes nothing twice."""
    return plans.expire_due(wiring.plans(), wiring.now())


nudges = later("chalicelib.services.plan_nudges")


@plan_jobs.schedule(Cron(5, "*", "*", "*", "?", "*"))  # hourly: a nudge is claimed in the salon's daytime only
@job
def nudge_plans(event) -> dict:
    """Plan nudges (services/plan_nudges.py): each (plan, kind, threshold) once, for businesses that turned
    them on, between 08:00 and 21:00 business time, at most one per client in 7 days."""
    return nudges.send_due(nudge_run())


def nudge_run():
    from ..config import settings
    from ..repositories.notification_settings import notification_settings
    from ..repositories.plan_nudges import DynamoNudgeOutbox

    config, store = settings(), wiring.store()
    return nudges.NudgeRun(wiring.now(), wiring.plans(), DynamoNudgeOutbox(), store.catalog, wiring.clients(),
                           notification_settings, wiring.senders(), config.sender_email,
                           config.public_url or config.backoffice_url)
