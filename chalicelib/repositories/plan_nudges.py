"""The plan nudges' outbox in DynamoDB: a claim is one transaction of two conditional writes.

The marker (plan, kind, threshold) must not exist, so a repeated or overlapping run claims nothing twice;
the client's cap item must be older than the cap, so a client gets at most one plan nudge in 7 days.
"""
from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import TransactWriteError

from ..domain.plan_nudges import CAP, Nudge
from ..errors import ConflictError
from .tables import Item, PlanNudgeCapItem, PlanNudgeItem
from .transactions import Refusals, Transaction

REFUSALS: Refusals = {
    "taken": lambda: ConflictError("this nudge was sent before", code="taken"),
    "capped": lambda: ConflictError("the client had a plan nudge within the cap", code="capped"),
}


def _pk(business_id: str) -> str:
    return f"BIZ#{business_id}#NUDGE"


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
