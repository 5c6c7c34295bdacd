"""The plans' share of the table's stream: a change that left a plan exactly one unit to book queues its
"one session left" nudge (services/plan_nudges.py `queue_last_session`), whatever the plan's end."""
from __future__ import annotations

from .. import wiring
from ..observability import count
from ..repositories.stream import PlanRecord
from .stream import subscribe_to_plans


@subscribe_to_plans
def queue_last_sessions(records: list[PlanRecord]) -> None:
    from ..repositories.plan_nudges import DynamoNudgeOutbox
    from ..services import plan_nudges

    book, store = wiring.plans(), wiring.store()
    queued = plan_nudges.queue_last_session(records, DynamoNudgeOutbox(), lambda b: book.settings(b).nudges,
                                            lambda b: store.catalog(b).business.tz, wiring.now())
    if queued:
        count("PlanNudgesQueued", value=queued)
