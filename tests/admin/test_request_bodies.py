"""One rule for request bodies on every backoffice route: a field the route does not know is refused
(400 unknown_field naming it), whatever use case is behind the route."""
from __future__ import annotations

import pytest

from chalicelib.domain.principal import Level
from tests.admin.route_examples import EXAMPLES
from tests.admin.test_permissions_matrix import admin_routes, call
from tests.api.helpers import error, post

WITH_BODY = sorted(key for key, build in EXAMPLES.items() if key[0] in ("POST", "PUT", "PATCH"))


@pytest.mark.parametrize("method, template", WITH_BODY, ids=[f"{m} {p}" for m, p in WITH_BODY])
def test_an_unknown_body_field_is_refused_on_every_backoffice_route(client, login, seeded, method, template):
    example = EXAMPLES[(method, template)](seeded)
    if example.body is None:
        pytest.skip("the route reads no body")
    example = example.__class__(**{**example.__dict__, "body": {**example.body, "surprise": 1}})
    response = call(client, method, example, login(Level.ADMIN))
    assert response.status_code == 400, response.body
    assert error(response)["code"] == "unknown_field"
    assert error(response)["field"] == "surprise"


def test_a_backoffice_appointment_without_a_start_says_it_is_required(client, login, seeded):
    body = {"client": seeded["client"], "service": "svc_cut", "staff": "stf_ana"}
    response = post(client, "/admin/appointments", body, login(Level.RECEPTION_FULL))
    assert response.status_code == 400 and error(response)["code"] == "required" and error(response)["field"] == "start"


def test_time_off_without_an_end_says_it_is_required(client, login):
    import json

    body = {"time_off": [{"start": "2026-03-31T10:00:00+02:00"}]}
    response = client.http.patch("/admin/staff/stf_bea", body=json.dumps(body),
                                 headers={**login(Level.ADMIN), "Content-Type": "application/json"})
    assert response.status_code == 400 and error(response)["code"] == "required"
    assert error(response)["field"] == "time_off[0].end"


def test_a_time_off_period_with_an_unknown_field_is_refused(client, login):
    import json

    body = {"time_off": [{"start": "2026-03-31T10:00:00+02:00", "end": "2026-03-31T12:00:00+02:00", "why": "x"}]}
    response = client.http.patch("/admin/staff/stf_bea", body=json.dumps(body),
                                 headers={**login(Level.ADMIN), "Content-Type": "application/json"})
    assert response.status_code == 400 and error(response)["code"] == "unknown_field"
    assert error(response)["field"] == "time_off[0].why"
