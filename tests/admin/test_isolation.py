"""Tenant isolation: staff of a second business calling every backoffice route with the first business's
ids get 404, never data; routes without ids show only their own business."""
from __future__ import annotations

import json

from chalicelib.domain.principal import Level
from tests.backoffice_world import OTHER
from tests.admin.route_examples import EXAMPLES
from tests.admin.test_permissions_matrix import admin_routes, call


def has_path_ids(template: str) -> bool:
    return "{" in template


def test_staff_of_another_business_never_reach_the_first_ones_records(client, login, seeded):
    from app import app

    headers = login(Level.ADMIN, business=OTHER)  # every action allowed: only the business can stop them
    markers = [seeded["business"], seeded["reference"], seeded["client"], seeded["client_email"],
               seeded["staff"], seeded["colleague"], seeded["trainee"], "svc_color", "Salón Lucía"]
    problems = []
    for method, path, _ in admin_routes(app):
        example = EXAMPLES[(method, path)](seeded)
        response = call(client, method, example, headers)
        text = json.dumps(response.json_body) if response.body else ""
        names_ids = example.ids if example.ids is not None else has_path_ids(path)
        if names_ids and response.status_code != 404:
            problems.append((method, path, response.status_code, "expected 404"))
        leaked = [m for m in markers if m in text]
        if leaked:
            problems.append((method, path, response.status_code, f"shows {leaked}"))
    assert not problems, problems


def test_the_first_business_is_untouched_by_the_second_ones_calls(client, login, seeded):
    from app import app

    owner = login(Level.ADMIN)
    before = {path: client.http.get(path, headers=owner).json_body
              for path in ("/admin/business", "/admin/services", "/admin/staff")}
    intruder = login(Level.ADMIN, business=OTHER)
    for method, path, _ in admin_routes(app):
        if method != "GET":
            call(client, method, EXAMPLES[(method, path)](seeded), intruder)
    after = {path: client.http.get(path, headers=owner).json_body for path in before}
    assert after == before
