"""The plan nudges' outbox in DynamoDB: a claim is one transaction of two conditional writes.

The marker (plan, kind, threshold) must not exist, so a repeated or overlapping run claims nothing twice;
the client's cap item must be older than the cap, so a client gets at most one plan nudge in 7 days.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterator

from pynamodb.exceptions import TransactWriteError

from ..domain.calendar import UTC
from ..domain.plan_nudges import CAP, Nudge, Waiting
from ..errors import ConflictError
from .codecs import due_key, iso
from .tables import Item, PlanNudgeCapItem, PlanNudgeItem, PlanNudgeWaitItem
from .transactions import Refusals, Transaction

REFUSALS: Refusals = {
    "taken": lambda: ConflictError("this nudge was sent before", code="taken"),
    "capped": lambda: ConflictError("the client had a plan nudge within the cap", code="capped"),
}


WAITING = "PLANLAST"  # the due index's queue of "one session left" nudges
LOOKBACK_DAYS = 7  # queue partitions before today still read: a stopped job's work is found for a week


def _pk(business_id: str) -> str:
    return f"BIZ#{business_id}#NUDGE"


def _wait_item(waiting: Waiting) -> PlanNudgeWaitItem:
    due_pk, due_sk = due_key(WAITING, waiting.due, f"{waiting.business_id}#{waiting.plan_id}")
    return PlanNudgeWaitItem(pk=_pk(waiting.business_id), sk=f"WAIT#{waiting.plan_id}", client_id=waiting.client_id,
                             plan_id=waiting.plan_id, due_at=waiting.due, due_pk=due_pk, due_sk=due_sk)


class DynamoNudgeOutbox:
    def claim(self, nudge: Nudge, now: datetime) -> str:
        pk = _pk(nudge.business_id)
        cap_free = Item.pk.does_not_exist() | (PlanNudgeCapItem.last_at <= now - CAP)
        try:
            with Transaction(REFUSALS) as tx:
                tx.save(PlanNudgeItem(pk=pk, sk=f"SENT#{nudge.key}", client_id=nudge.client_id, at=now),
                        Item.pk.does_not_exist(), refused="taken")
                tx.save(PlanNudgeCapItem(pk=pk, sk=f"CLIENT#{nudge.client_id}", last_at=now), cap_free,
                        refused="capped")
        except ConflictError as refused:
            return refused.code
        except TransactWriteError:  # another run's transaction on the same items: it has the claim
            return "taken"
        return "claimed"

    # -- "one session left", queued by the stream -----------------------------------------------------
    def wait(self, waiting: Waiting) -> None:
        """Queue (or move) the plan's nudge: one item per plan, so a replayed record queues nothing twice."""
        _wait_item(waiting).save()

    def waiting(self, now: datetime) -> Iterator[Waiting]:
        """Queued nudges due at or before `now` (one query per day of the lookback)."""
        today = now.astimezone(UTC).date()
        for back in range(LOOKBACK_DAYS, -1, -1):
            day = (today - timedelta(days=back)).isoformat()
            for item in PlanNudgeWaitItem.due.query(f"DUE#{WAITING}#{day}", Item.due_sk <= f"{iso(now)}~"):
                if isinstance(item, PlanNudgeWaitItem):
                    yield Waiting(item.pk.split("#")[1], item.client_id, item.plan_id, item.due_at)

    def done(self, waiting: Waiting) -> None:
        PlanNudgeWaitItem(pk=_pk(waiting.business_id), sk=f"WAIT#{waiting.plan_id}").delete()
