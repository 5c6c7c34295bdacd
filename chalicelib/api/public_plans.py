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
from .throttled import throttle

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
    email = normal_email(email, field="client.email") if email else None
    phone = normal_phone(phone, field="client.phone") if phone else None
    throttle(public_plans.current_request, "plan-coverage", business, (email, phone))
    store = wiring.store()
    catalog = store.catalog(store.business_id(business))
    services = plans.coverage_request(catalog, body.get("services"))
    start = parse_instant(body.get("start"), "start")
    book = wiring.plans()
    coverage, _ = plans.coverage_for(book, catalog, email, phone, services, start)
    online_payment = book.settings(catalog.business.id).online_payment if coverage.case else False
    return coverage_json(coverage, online_payment)


def coverage_json(coverage: Coverage, online_payment: bool) -> dict:
    """The case (1 all covered, 2 some, 3 none; null without a plan valid that day), which plan covers which
    chosen service and the units that plan item has left after this booking.

    The caller is anonymous (anyone may type an email), so the answer says only what the booking page shows:
    the plans that cover a chosen service (in case 3, the one that would be used first) by name and end,
    never the client's other plans or the units of items not asked about."""
    remaining = coverage.remaining()
    named = [c.plan for c in coverage.covered] or list(coverage.plans[:1])
    return {
        "case": coverage.case,
        "date": coverage.day.isoformat(),
        "online_payment": online_payment,
        "covered": [{"service": c.service_id, "plan": c.plan.id, "plan_name": c.plan.terms.name, "item": c.item,
                     "left": remaining[c.plan.id][c.item]} for c in coverage.covered],
        "uncovered": list(coverage.uncovered),
        "plans": [{"id": p.id, "name": p.terms.name, "end": p.end.isoformat()}
                  for p in {p.id: p for p in named}.values()],
        "duplicate_client": coverage.duplicate_client,
    }
