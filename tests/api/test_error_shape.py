"""One error shape everywhere: what Chalice and API Gateway answer themselves (no token, a bad token, an
unknown path, a wrong method, a missing or wrong media type) is `{"error": {"code", "message"}}` too, and
no error ever echoes the Authorization header or a token."""
from __future__ import annotations

import json

import pytest

from chalicelib.domain.principal import Level
from tests.api.helpers import JSON

SECRET = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl"


def shape(response) -> dict:
    body = json.loads(response.body)
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) <= {"code", "message", "field"} and {"code", "message"} <= set(error), error
    assert isinstance(error["message"], str) and error["message"]
    return error


def no_echo(response, *secrets: str) -> None:
    seen = response.body.decode() + json.dumps(dict(response.headers))
    for secret in secrets:
        assert secret not in seen


def test_no_token_is_401_unauthenticated(client, cognito_pool):
    response = client.http.get("/admin/me")
    assert response.status_code == 401
    assert shape(response)["code"] == "unauthenticated"
    assert shape(client.http.post("/auth/logout"))["code"] == "unauthenticated"


@pytest.mark.parametrize("header", [f"Bearer {SECRET}", SECRET, "Basic dXNlcjpwYXNz"])
def test_a_bad_token_is_403_in_our_shape_and_never_echoed(client, cognito_pool, header):
    response = client.http.get("/admin/me", headers={"Authorization": header})
    assert response.status_code == 403
    assert shape(response)["code"] == "invalid_token"
    no_echo(response, SECRET, "dXNlcjpwYXNz")


@pytest.mark.parametrize("headers", [{}, {"Authorization": f"Bearer {SECRET}"}])
def test_an_unknown_path_is_404_not_found_and_never_echoes_the_header(client, headers):
    response = client.http.get("/no/such/place", headers=headers)
    assert response.status_code == 404
    assert shape(response)["code"] == "not_found"
    no_echo(response, SECRET)


def test_a_wrong_method_is_405_method_not_allowed_with_allow(client, salon):
    response = client.http.delete(f"/public/{salon.slug}/services")
    assert response.status_code == 405
    assert shape(response)["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "GET"


@pytest.mark.parametrize("headers", [{"Content-Type": "text/plain"}, {"Content-Type": "application/xml"}, {}])
def test_a_body_not_declared_as_json_is_415_unsupported_media_type(client, cognito_pool, headers):
    body = json.dumps({"email": "ana@example.com", "password": "x"})
    response = client.http.post("/auth/login", body=body, headers=headers)
    assert response.status_code == 415
    assert shape(response)["code"] == "unsupported_media_type"


def test_a_wrong_media_type_on_a_staff_route_never_echoes_the_token(client, login):
    headers = {**login(Level.ADMIN), "Content-Type": "text/plain"}
    token = headers["Authorization"].split()[1]
    response = client.http.post("/admin/services", body="{}", headers=headers)
    assert response.status_code == 415
    assert shape(response)["code"] == "unsupported_media_type"
    no_echo(response, token)


def test_an_unexpected_failure_is_500_internal_error_in_our_shape(client, salon, monkeypatch):
    from chalicelib.api import public

    class Broken:
        def business(self, *args, **kwargs):
            raise RuntimeError(f"leaky detail {SECRET}")

    monkeypatch.setattr(public, "online_booking", Broken())
    response = client.http.get(f"/public/{salon.slug}", headers=JSON)
    assert response.status_code == 500
    assert shape(response)["code"] == "internal_error"
    no_echo(response, SECRET, "leaky detail")
