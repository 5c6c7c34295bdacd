"""The backoffice app's refresh cookie: set by sign-in and refresh, usable by /auth/refresh with no body,
cleared by sign-out; HttpOnly, SameSite=Strict, scoped to /auth, Secure except on a loopback host."""
from __future__ import annotations

import pytest

from chalicelib.domain.principal import Level
from tests.api.helpers import JSON, error, post
from tests.backoffice_world import PASSWORD


def cookie_of(response) -> dict:
    """The Set-Cookie header as {name: value, attribute: value or True}."""
    header = response.headers["Set-Cookie"]
    first, *attributes = [part.strip() for part in header.split(";")]
    name, _, value = first.partition("=")
    parsed = {"name": name, "value": value}
    for attribute in attributes:
        key, _, given = attribute.partition("=")
        parsed[key.lower()] = given or True
    return parsed


def sign_in(client, login, level=Level.RECEPTION_FULL, host="127.0.0.1:8000"):
    login.tokens(level)
    return post(client, "/auth/login", {"email": login.email(level), "password": PASSWORD}, headers={"Host": host})


def refresh_with_cookie(client, value, host="127.0.0.1:8000"):
    return client.http.post("/auth/refresh", headers={"Host": host, "Cookie": f"other=1; turno_refresh={value}"})


def test_signing_in_sets_the_refresh_token_as_a_strict_http_only_cookie_for_the_auth_routes(client, login):
    response = sign_in(client, login)
    assert response.status_code == 200
    cookie = cookie_of(response)
    assert cookie["name"] == "turno_refresh" and cookie["value"] == response.json_body["refresh_token"]
    assert cookie["httponly"] is True and cookie["samesite"] == "Strict" and cookie["path"] == "/auth"
    assert int(cookie["max-age"]) > 86400
    assert "secure" not in cookie  # plain HTTP on the loopback host (make dev)


def test_the_cookie_is_secure_on_any_other_host(client, login):
    assert cookie_of(sign_in(client, login, host="salon.example.com"))["secure"] is True


def test_a_reload_refreshes_from_the_cookie_with_no_body(client, login):
    signed_in = sign_in(client, login)
    response = refresh_with_cookie(client, cookie_of(signed_in)["value"])
    assert response.status_code == 200 and response.json_body["access_token"]
    assert cookie_of(response)["value"] == cookie_of(signed_in)["value"]  # kept for the next reload
    me = client.http.get("/admin/me", headers={"Authorization": f"Bearer {response.json_body['access_token']}"})
    assert me.status_code == 200 and me.json_body["staff"] == "stf_desk"


def test_refresh_with_neither_body_nor_cookie_asks_to_sign_in(client, cognito_pool):
    response = client.http.post("/auth/refresh")
    assert response.status_code == 401 and error(response)["code"] == "unauthenticated"
    assert post(client, "/auth/refresh", {}).status_code == 401


def test_a_made_up_cookie_is_refused(client, cognito_pool):
    response = refresh_with_cookie(client, "made-up")
    assert response.status_code == 401 and error(response)["code"] == "session_ended"


@pytest.mark.parametrize("value", ["", "x" * 5000, '"quoted"', "%C3%A9", "a=b=c", "made-up; turno_refresh=again"])
def test_an_odd_cookie_is_a_401_in_the_error_shape_and_sets_no_cookie(client, cognito_pool, value):
    response = refresh_with_cookie(client, value)
    assert response.status_code == 401 and set(error(response)) >= {"code", "message"}
    assert error(response)["code"] in ("unauthenticated", "session_ended")
    assert "Set-Cookie" not in response.headers and (not value or value not in response.body.decode())


def test_the_body_still_wins_over_the_cookie(client, login):
    tokens = sign_in(client, login).json_body
    response = client.http.post("/auth/refresh", body='{"refresh_token": "made-up"}',
                                headers={**JSON, "Cookie": f"turno_refresh={tokens['refresh_token']}"})
    assert response.status_code == 401


def test_signing_out_clears_the_cookie_and_the_old_one_no_longer_refreshes(client, login):
    signed_in = sign_in(client, login)
    value = cookie_of(signed_in)["value"]
    out = client.http.post("/auth/logout", headers={
        "Authorization": f"Bearer {signed_in.json_body['access_token']}", "Host": "127.0.0.1:8000"})
    assert out.status_code == 204
    cleared = cookie_of(out)
    assert cleared["value"] == "" and cleared["max-age"] == "0" and cleared["path"] == "/auth"
    assert refresh_with_cookie(client, value).status_code == 401
