"""Public: what the client's plans would cover, asked before they confirm a booking (the booking's own
answer carries the same `plan` object)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import wiring
from ..domain.contact import normal_email, normal_phone
from ..domain.fields import reject_unknown
from ..errors import ValidationError
from ..later import later
from .http import Api, json_body, parse_instant, text

if TYPE_CHECKING:
    from ..domain.plans import Coverage

plans = later("chalicelib.services.plans")

public_plans = Api(__name__)


@public_plans.route("/public/{business}/plan-coverage", methods=["POST"])
def plan_coverage(business: str) -> dict:
    """POST, not GET: the client's email and phone never go in a URL."""
    body = json_body(public_plans.current_request, {"services", "start", "client"})
    client = body.get("client")
    if not isinstance(client, dict):
        raise ValidationError("client details are required", field="client", code="required")
    reject_unknown(client, {"email", "phone"}, prefix="client.")
    email = text(client, "email", prefix="client.", required=False, max_length=254)
    phone = text(client, "phone", prefix="client.", required=False, max_length=40)
    if not email and not phone:
        raise ValidationError("an email or a phone number", field="client.phone", code="required")
    store = wiring.store()
    catalog = store.catalog(store.business_id(business))
    services = plans.coverage_request(catalog, body.get("services"))
    start = parse_instant(body.get("start"), "start")
    book = wiring.plans()
    coverage, _ = plans.coverage_for(book, catalog, normal_email(email, field="client.email") if email else None,
                                     normal_phone(phone, field="client.phone") if phone else None, services, start)
    online_payment = book.settings(catalog.business.id).online_payment if coverage.case else False
    return coverage_json(coverage, online_payment)


def coverage_json(coverage: Coverage, online_payment: bool) -> dict:
    """The case (1 all covered, 2 some, 3 none; null without a plan valid that day), which plan covers what,
    and the units each plan has left after this."""
    remaining = coverage.remaining()
    return {
        "case": coverage.case,
        "date": coverage.day.isoformat(),
        "online_payment": online_payment,
        "covered": [{"service": c.service_id, "plan": c.plan.id, "plan_name": c.plan.terms.name, "item": c.item}
                    for c in coverage.covered],
        "uncovered": list(coverage.uncovered),
        "plans": [{"id": p.id, "name": p.terms.name, "end": p.end.isoformat(),
                   "items": [{item.kind.value: item.ref, "available": remaining[p.id][n]}
                             for n, item in enumerate(p.terms.items)]} for p in coverage.plans],
        "duplicate_client": coverage.duplicate_client,
    }
