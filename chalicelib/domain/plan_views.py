"""A sold plan as the backoffice and a client's data export show it: one shape for both."""
from __future__ import annotations

from typing import Any

from .plans import SoldPlan


def items_json(items) -> list[dict]:
    return [{item.kind.value: item.ref, "quantity": item.quantity} for item in items]


def sold_json(p: SoldPlan) -> dict:
    t = p.terms
    return {"id": p.id, "client": p.client_id, "template": p.template_id, "name": t.name, "items": items_json(t.items),
            "price": f"{t.price:.2f}", "currency": t.currency,
            "validity": {"amount": t.validity.amount, "unit": t.validity.unit.value}, "late_rule": t.late_rule.value,
            "start": p.start.isoformat(), "end": p.end.isoformat(), "sold_at": p.sold_at.isoformat(),
            "sold_by": p.sold_by, "expired": p.expired}


def plan_json(view: Any, *, with_ledger: bool = False) -> dict:
    """`view`: services.plans.PlanView (a plan with its balances and ledger)."""
    body = sold_json(view.plan)
    body["balances"] = [{"item": b.item, "sold": b.sold, "held": b.held, "used": b.used, "expired": b.expired,
                         "adjusted": b.adjusted, "available": b.available} for b in view.balances]
    if with_ledger:
        body["ledger"] = [{"item": e.item, "entry": e.kind.value, "units": e.units, "at": e.at.isoformat(),
                           "by": e.by, "reference": e.reference, "reason": e.reason} for e in view.ledger]
    return body
