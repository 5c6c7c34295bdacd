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
