"""Backoffice plans: templates, selling a plan to a client, a client's plans with balances and ledger,
adjustments, the period's figures, and the merge tasks bookings leave for staff."""
from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Response

from .. import wiring
from ..domain.fields import checked_integer
from ..domain.plan_views import items_json, plan_json
from ..domain.principal import Principal
from ..later import later
from .admin_http import AdminApi
from .http import BY_USE_CASE, json_body, parse_date, query, text

if TYPE_CHECKING:
    from ..domain.plans import PlanTemplate
    from ..services.plans import PeriodFigures

plans = later("chalicelib.services.plans")
clients = later("chalicelib.services.clients")

admin_plans = AdminApi(__name__)


@admin_plans.route("/admin/plans", methods=["GET"], action="plans.read")
def list_templates(principal: Principal) -> dict:
    book = wiring.plans()
    settings = book.settings(principal.business_id)
    return {"plans": [template_json(t) for t in book.templates(principal.business_id)],
            "settings": settings_json(settings)}


@admin_plans.route("/admin/plans", methods=["POST"], action="plans.write")
def create_template(principal: Principal) -> Response:
    body = json_body(admin_plans.current_request, BY_USE_CASE)
    catalog = wiring.store().catalog(principal.business_id)
    return Response(body=template_json(plans.create_template(wiring.plans(), catalog, principal, body)),
                    status_code=201)


@admin_plans.route("/admin/plans/{template_id}", methods=["PATCH"], action="plans.write")
def edit_template(principal: Principal, template_id: str) -> dict:
    body = json_body(admin_plans.current_request, BY_USE_CASE)
    catalog = wiring.store().catalog(principal.business_id)
    return template_json(plans.update_template(wiring.plans(), catalog, principal, template_id, body))


@admin_plans.route("/admin/plan-settings", methods=["PUT"], action="plans.write")
def save_settings(principal: Principal) -> dict:
    body = json_body(admin_plans.current_request, BY_USE_CASE)
    settings = plans.save_settings(wiring.plans(), principal, body, wiring.now())
    return settings_json(settings)


@admin_plans.route("/admin/clients/{client_id}/plans", methods=["GET"], action="plans.read")
def client_plans(principal: Principal, client_id: str) -> dict:
    clients.visible(wiring.clients(), principal, client_id)
    return {"plans": [plan_json(v) for v in plans.client_plans(wiring.plans(), principal, client_id)]}


@admin_plans.route("/admin/clients/{client_id}/plans", methods=["POST"], action="plans.write")
def sell_plan(principal: Principal, client_id: str) -> Response:
    body = json_body(admin_plans.current_request, {"template", "start"})
    clients.visible(wiring.clients(), principal, client_id)
    catalog = wiring.store().catalog(principal.business_id)
    now = wiring.now()
    start = parse_date(body["start"], "start") if body.get("start") else now.astimezone(catalog.business.tz).date()
    view = plans.sell(wiring.plans(), catalog, principal, client_id, text(body, "template", max_length=64), start, now)
    return Response(body=plan_json(view), status_code=201)


@admin_plans.route("/admin/clients/{client_id}/plans/{plan_id}", methods=["GET"], action="plans.read")
def view_plan(principal: Principal, client_id: str, plan_id: str) -> dict:
    return plan_json(plans.plan(wiring.plans(), principal, client_id, plan_id), with_ledger=True)


@admin_plans.route("/admin/clients/{client_id}/plans/{plan_id}/adjustments", methods=["POST"], action="plans.write")
def adjust_plan(principal: Principal, client_id: str, plan_id: str) -> Response:
    body = json_body(admin_plans.current_request, {"item", "units", "reason"})
    view = plans.adjust(wiring.plans(), principal, client_id, plan_id, checked_integer(body.get("item"), "item", 0, 100),
                        checked_integer(body.get("units"), "units", -1000, 1000),
                        text(body, "reason", max_length=500, multiline=True), wiring.now())
    return Response(body=plan_json(view, with_ledger=True), status_code=201)


@admin_plans.route("/admin/plan-figures", methods=["GET"], action="plans.read")
def period_figures(principal: Principal) -> dict:
    request = admin_plans.current_request
    catalog = wiring.store().catalog(principal.business_id)
    found = plans.figures(wiring.plans(), catalog, principal, parse_date(query(request, "from"), "from"),
                          parse_date(query(request, "to"), "to"))
    return figures_json(found, catalog.business.currency)


@admin_plans.route("/admin/merge-tasks", methods=["GET"], action="clients.read")
def merge_tasks(principal: Principal) -> dict:
    return {"tasks": [{"clients": list(t.client_ids), "reference": t.reference, "at": t.at.isoformat()}
                      for t in wiring.plans().merge_tasks(principal.business_id)]}


def settings_json(settings) -> dict:
    return {"late_rule": settings.late_rule.value, "nudges": settings.nudges, "online_payment": settings.online_payment,
            "nudge_days": list(settings.nudge_days)}


def template_json(t: PlanTemplate) -> dict:
    return {"id": t.id, "name": t.name, "items": items_json(t.items), "price": f"{t.price:.2f}",
            "validity": {"amount": t.validity.amount, "unit": t.validity.unit.value}, "active": t.active,
            "revision": t.revision}


def figures_json(f: PeriodFigures, currency: str) -> dict:
    return {"from": f.first.isoformat(), "to": f.last.isoformat(), "currency": currency, "plans_sold": f.sold,
            "sold_value": f"{f.sold_value:.2f}", "units_used": f.units_used, "units_expired": f.units_expired,
            "deferred_revenue": f"{f.deferred:.2f}"}
