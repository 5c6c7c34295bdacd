"""The access matrix, end to end: for every backoffice route and every level, the levels the matrix
allows get through (never 401/403) and the others get 403; level 6 never receives a client's contacts."""
from __future__ import annotations

import json
import re

import pytest

from chalicelib.api.admin_http import ADMIN_ROUTES
from chalicelib.auth.permissions import PERMISSIONS
from chalicelib.domain.principal import Level
from tests.admin.route_examples import EXAMPLES, Example


def admin_routes(app, *, with_examples: bool = True) -> list[tuple[str, str, str]]:
    """(METHOD, path, action) of every route behind the staff authorizer, read from the app itself
    (only those with an example, unless asked: test_every_admin_route_has_an_example reports the rest)."""
    found = []
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            action = getattr(entry.view_function, "turno_action", None)
            if action is not None and (not with_examples or (method, path) in EXAMPLES):
                found.append((method, path, action))
    return sorted(found)


def call(client, method: str, example: Example, headers: dict):
    body = None if example.body is None else json.dumps(example.body)
    return client.http.request(method, example.path, body=body,
                               headers={"Content-Type": "application/json", **headers, **example.headers})


def test_every_admin_route_is_behind_the_authorizer_with_an_action():
    from app import app

    for path, methods in app.routes.items():
        for method, entry in methods.items():
            if path.startswith("/admin/"):  # not /admin-app: the backoffice app's public page and files
                assert getattr(entry.view_function, "turno_action", None), (method, path)
                assert entry.authorizer is not None and entry.authorizer.name == "staff", (method, path)
    declared = {(r.method, r.path, r.action) for r in ADMIN_ROUTES}
    assert set(admin_routes(app, with_examples=False)) <= declared


def test_every_admin_route_has_an_example():
    from app import app

    missing = [(m, p) for m, p, _ in admin_routes(app, with_examples=False) if (m, p) not in EXAMPLES]
    assert not missing, f"add these to tests/admin/route_examples.py: {missing}"


def test_without_a_token_every_admin_route_answers_401(client, seeded):
    from app import app

    for method, path, _ in admin_routes(app):
        response = call(client, method, EXAMPLES[(method, path)](seeded), {})
        assert response.status_code == 401, (method, path, response.status_code)


@pytest.mark.parametrize("level", list(Level), ids=lambda level: level.label)
def test_each_level_reaches_exactly_what_the_matrix_allows(client, login, seeded, level):
    from app import app

    headers = login(level)
    outcomes = []
    for method, path, action in admin_routes(app):
        example = EXAMPLES[(method, path)](seeded)
        response = call(client, method, example, headers)
        allowed = level in PERMISSIONS[action]
        if allowed:
            ok = response.status_code in example.expect
        else:
            ok = response.status_code == 403 and response.json_body["error"]["code"] == "forbidden"
        outcomes.append((ok, method, path, action, allowed, response.status_code, response.body[:200]))
    failures = [o[1:] for o in outcomes if not o[0]]
    assert not failures, failures


def test_level_6_never_receives_a_clients_email_or_phone(client, login, seeded):
    from app import app

    headers = login(Level.PROFESSIONAL_NO_CONTACTS)
    email, phone = seeded["client_email"], seeded["client_phone"]
    for method, path, _ in admin_routes(app):
        response = call(client, method, EXAMPLES[(method, path)](seeded), headers)
        text = response.body.decode() if isinstance(response.body, bytes) else str(response.body)
        digits = re.sub(r"\D", "", text)
        assert email not in text.lower(), (method, path)
        assert phone.lstrip("+") not in digits and phone[-9:] not in digits, (method, path)
