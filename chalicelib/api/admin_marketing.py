"""Backoffice Marketing: the views (loyal, dormant, filters), settings, consent on a client, campaigns
(compose, preview, send, figures). Reading needs `marketing.read`, sending `marketing.send`."""
from __future__ import annotations

from chalice import Response

from .. import wiring
from ..domain.principal import Principal
from ..later import later
from .admin_http import AdminApi
from .http import BY_USE_CASE, json_body, page_limit, query

views = later("chalicelib.services.marketing_views")
marketing = later("chalicelib.domain.marketing")
campaigns = later("chalicelib.services.campaigns")
consents = later("chalicelib.services.consents")

admin_marketing = AdminApi(__name__)
VIEW_PARAMS = ("view", "from", "to", "days", "min_visits", "max_visits", "min_spend", "max_spend", "services",
               "services_mode", "text")


@admin_marketing.route("/admin/marketing/clients", methods=["GET"], action="marketing.read")
def view_clients(principal: Principal) -> dict:
    """One page of a view; `view=loyal` also answers the period's indicators."""
    request = admin_marketing.current_request
    params = {k: v for k, v in (request.query_params or {}).items() if k not in ("cursor", "limit")}
    audience = marketing.checked_audience(params)
    store, now = wiring.store(), wiring.now()
    catalog = store.catalog(principal.business_id)
    found = views.page(store, catalog, audience, now, query(request, "cursor", required=False), page_limit(request))
    profiles = wiring.clients().many(principal.business_id, [m.stats.client_id for m in found.members])
    today = views.today_of(catalog, now)
    body = {"view": audience.view, "audience": audience.to_json(),
            "clients": [views.member_json(m, profiles.get(m.stats.client_id), principal, today, now)
                        for m in found.members],
            "cursor": found.cursor}
    if found.total is not None:
        body["total"] = found.total
    if found.indicators is not None:
        body["indicators"] = found.indicators
    return body


@admin_marketing.route("/admin/marketing/settings", methods=["GET"], action="marketing.read")
def get_settings(principal: Principal) -> dict:
    return campaigns.settings_json(principal.business_id, wiring.now())


@admin_marketing.route("/admin/marketing/settings", methods=["PUT"], action="marketing.send")
def put_settings(principal: Principal) -> dict:
    body = json_body(admin_marketing.current_request, BY_USE_CASE)
    campaigns.save_settings(principal, body, wiring.now())
    return campaigns.settings_json(principal.business_id, wiring.now())


@admin_marketing.route("/admin/clients/{client_id}/consent", methods=["GET"], action="clients.read")
def get_consent(principal: Principal, client_id: str) -> dict:
    return consents.consent_json(wiring.clients(), principal, client_id)


@admin_marketing.route("/admin/clients/{client_id}/consent", methods=["PUT"], action="clients.write")
def put_consent(principal: Principal, client_id: str) -> dict:
    body = json_body(admin_marketing.current_request, BY_USE_CASE)
    consents.record_from_backoffice(wiring.clients(), principal, client_id, body, wiring.now())
    return consents.consent_json(wiring.clients(), principal, client_id)


@admin_marketing.route("/admin/marketing/campaigns", methods=["GET"], action="marketing.read")
def list_campaigns(principal: Principal) -> dict:
    return {"campaigns": campaigns.listed(principal.business_id)}


@admin_marketing.route("/admin/marketing/campaigns", methods=["POST"], action="marketing.send")
def create_campaign(principal: Principal) -> Response:
    body = json_body(admin_marketing.current_request, BY_USE_CASE)
    made = campaigns.create(wiring.store(), principal, body, wiring.now())
    return Response(body=made, status_code=201)


@admin_marketing.route("/admin/marketing/campaigns/{campaign_id}", methods=["GET"], action="marketing.read")
def view_campaign(principal: Principal, campaign_id: str) -> dict:
    return campaigns.with_figures(principal.business_id, campaign_id)


@admin_marketing.route("/admin/marketing/campaigns/{campaign_id}/preview", methods=["GET"], action="marketing.read")
def preview_campaign(principal: Principal, campaign_id: str) -> dict:
    return campaigns.preview(wiring.store(), wiring.clients(), wiring.do_not_contact(), principal, campaign_id,
                             wiring.now())


@admin_marketing.route("/admin/marketing/campaigns/{campaign_id}/send", methods=["POST"], action="marketing.send")
def send_campaign(principal: Principal, campaign_id: str) -> dict:
    return campaigns.send(wiring.store(), wiring.clients(), wiring.do_not_contact(), principal, campaign_id,
                          wiring.now())
