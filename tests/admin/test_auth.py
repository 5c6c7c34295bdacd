"""Staff sign-in end to end through the API with a moto Cognito pool: tokens, first sign-in, refresh,
global sign-out, password reset, throttling, and the authorizer refusing every kind of bad token."""
from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib import config
from chalicelib.domain.principal import Level
from chalicelib.repositories import accounts
from tests.backoffice_world import PASSWORD, TEMPORARY_PASSWORD, TRAINEE, TRAINEE_EMAIL
from tests.api.helpers import error, post


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def me(client, token: str):
    return client.http.get("/admin/me", headers=bearer(token))


# -- signing in ---------------------------------------------------------------------------------
def test_given_a_staff_login_when_signing_in_then_the_access_token_opens_the_backoffice(client, login):
    tokens = login.tokens(Level.RECEPTION_FULL)
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"] and tokens["expires_in"] > 0
    response = me(client, tokens["access_token"])
    assert response.status_code == 200
    assert response.json_body["staff"] == "stf_desk" and response.json_body["business"] == "biz_salon"
    assert "monitor.read" in response.json_body["actions"] and "settings.write" not in response.json_body["actions"]


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, login):
    login.tokens(Level.MANAGER)
    wrong = post(client, "/auth/login", {"email": login.email(Level.MANAGER), "password": "Not-The-One-1!"})
    unknown = post(client, "/auth/login", {"email": "nobody@nowhere.example", "password": "Not-The-One-1!"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json_body == unknown.json_body
    assert error(wrong)["code"] == "invalid_credentials"


def test_email_case_and_spaces_do_not_matter(client, login):
    login.tokens(Level.MANAGER)
    response = post(client, "/auth/login", {"email": "  " + login.email(Level.MANAGER).upper(), "password": PASSWORD})
    assert response.status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"password": "x"}, "email"), ({"email": "a@b.example"}, "password"), ({"email": "not an email", "password": "x"}, "email"),
])
def test_sign_in_input_is_checked(client, cognito_pool, body, field):
    response = post(client, "/auth/login", body)
    assert response.status_code == 400 and error(response)["field"] == field


def test_unknown_emails_are_locked_the_same_way(client, cognito_pool):
    for _ in range(5):
        post(client, "/auth/login", {"email": "ghost@nowhere.example", "password": "Wrong-Pass-123!"})
    response = post(client, "/auth/login", {"email": "ghost@nowhere.example", "password": "Wrong-Pass-123!"})
    assert response.status_code == 429 and "Retry-After" in response.headers


# -- first sign-in ---------------------------------------------------------------------------------------
def test_first_sign_in_with_a_temporary_password_must_set_a_new_one(client, seeded):
    first = post(client, "/auth/login", {"email": TRAINEE_EMAIL, "password": TEMPORARY_PASSWORD})
    assert first.status_code == 200 and first.json_body["challenge"] == "new_password_required"
    assert "access_token" not in first.json_body
    weak = post(client, "/auth/password/new", {"email": TRAINEE_EMAIL, "session": first.json_body["session"],
                                               "new_password": "short"})
    assert weak.status_code == 400 and error(weak)["code"] == "weak_password"
    done = post(client, "/auth/password/new", {"email": TRAINEE_EMAIL, "session": first.json_body["session"],
                                               "new_password": "My-Own-Password-7"})
    assert done.status_code == 200
    assert me(client, done.json_body["access_token"]).json_body["staff"] == TRAINEE
    again = post(client, "/auth/login", {"email": TRAINEE_EMAIL, "password": "My-Own-Password-7"})
    assert again.status_code == 200 and "access_token" in again.json_body


# -- refresh and sign-out -------------------------------------------------------------------------------
def test_a_refresh_token_gives_a_new_working_access_token(client, login):
    tokens = login.tokens(Level.PROFESSIONAL)
    response = post(client, "/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200 and "refresh_token" not in response.json_body
    assert me(client, response.json_body["access_token"]).status_code == 200


def test_a_made_up_refresh_token_is_refused(client, cognito_pool):
    response = post(client, "/auth/refresh", {"refresh_token": "made-up"})
    assert response.status_code == 401 and error(response)["code"] == "session_ended"


def test_signing_out_ends_every_session_and_signing_in_again_works(client, login):
    first = login.tokens(Level.PROFESSIONAL)
    second = post(client, "/auth/login", {"email": login.email(Level.PROFESSIONAL), "password": PASSWORD}).json_body
    assert me(client, first["access_token"]).status_code == 200

    response = client.http.post("/auth/logout", headers=bearer(first["access_token"]))
    assert response.status_code == 204

    for tokens in (first, second):  # this device and the other one
        assert me(client, tokens["access_token"]).status_code == 403
        assert post(client, "/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert client.http.post("/auth/logout", headers=bearer(first["access_token"])).status_code == 403
    fresh = post(client, "/auth/login", {"email": login.email(Level.PROFESSIONAL), "password": PASSWORD})
    assert me(client, fresh.json_body["access_token"]).status_code == 200


def test_the_sign_out_marker_alone_stops_older_tokens(client, login):
    """Cognito is not even asked: a token issued before the last sign-out's second is refused from our table."""
    tokens = login.tokens(Level.PROFESSIONAL)
    sub = jwt.decode(tokens["access_token"], options={"verify_signature": False})["sub"]
    accounts.mark_signed_out(sub, time.time() + 2)
    assert me(client, tokens["access_token"]).status_code == 403


def test_logout_needs_a_token(client, cognito_pool):
    assert client.http.post("/auth/logout").status_code == 401


# -- password reset -----------------------------------------------------------------------------------------
def moto_user(cognito_pool, email):
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.core import DEFAULT_ACCOUNT_ID

    return cognitoidp_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].user_pools[cognito_pool["pool_id"]]._get_user(email)


def test_a_forgotten_password_is_reset_with_the_emailed_code(client, login, cognito_pool):
    email = login.email(Level.MANAGER)
    login.tokens(Level.MANAGER)
    known = post(client, "/auth/password/forgot", {"email": email})
    unknown = post(client, "/auth/password/forgot", {"email": "nobody@nowhere.example"})
    assert known.status_code == unknown.status_code == 202 and known.json_body == unknown.json_body
    code = moto_user(cognito_pool, email).confirmation_code
    wrong = post(client, "/auth/password/confirm", {"email": email, "code": "moto-confirmation-code:000000",
                                                   "new_password": "Brand-New-Pass-4"})
    assert wrong.status_code == 400 and error(wrong)["code"] == "invalid_code"
    done = post(client, "/auth/password/confirm", {"email": email, "code": code, "new_password": "Brand-New-Pass-4"})
    assert done.status_code == 204
    assert post(client, "/auth/login", {"email": email, "password": "Brand-New-Pass-4"}).status_code == 200
    assert post(client, "/auth/login", {"email": email, "password": PASSWORD}).status_code == 401


def test_confirming_for_an_unknown_email_looks_like_a_wrong_code(client, cognito_pool):
    response = post(client, "/auth/password/confirm", {"email": "nobody@nowhere.example", "code": "123456",
                                                       "new_password": "Brand-New-Pass-4"})
    assert response.status_code == 400 and error(response)["code"] == "invalid_code"


# -- the authorizer ---------------------------------------------------------------------------------------
def forge(cognito_pool, key=None, **changes) -> str:
    """A token like Cognito's, signed with moto's pool key (or `key`), with `changes` to its claims."""
    from moto.utilities.utils import load_resource

    now = int(time.time())
    settings = config.settings()
    claims = {"iss": settings.token_issuer, "sub": "forged-sub", "client_id": cognito_pool["client_id"],
              "token_use": "access", "iat": now, "auth_time": now, "exp": now + 3600, "jti": "j", **changes}
    if key is None:
        key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "dummy"})


def test_no_header_is_401_and_every_bad_token_is_403_without_saying_why(client, login, cognito_pool):
    good = login.tokens(Level.ADMIN)
    sub = jwt.decode(good["access_token"], options={"verify_signature": False})["sub"]
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    bad_tokens = {
        "garbage": "not-a-jwt",
        "id token": good["id_token"],
        "expired": forge(cognito_pool, sub=sub, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
        "another signing key": forge(cognito_pool, key=other_key, sub=sub),
        "another app client": forge(cognito_pool, sub=sub, client_id="someone-else"),
        "another issuer": forge(cognito_pool, sub=sub, iss="https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x"),
        "unknown subject": forge(cognito_pool),
        "unsigned": jwt.encode({"sub": sub, "token_use": "access"}, key=None, algorithm="none"),
    }
    assert client.http.get("/admin/me").status_code == 401
    assert client.http.get("/admin/me", headers={"Authorization": good["access_token"]}).status_code == 403
    bodies = set()
    for name, token in bad_tokens.items():
        response = me(client, token)
        assert response.status_code == 403, name
        bodies.add(response.body)
    assert len(bodies) == 1  # one generic answer for every reason
    assert me(client, forge(cognito_pool, sub=sub)).status_code == 200  # the forger's recipe is right...
    # ...so each refusal above is for the one claim changed


def test_a_level_change_applies_to_the_very_next_request(client, login):
    manager = login(Level.MANAGER)
    assert client.http.get("/admin/audit", headers=login(Level.ADMIN)).status_code == 200
    admin_staff = login.staff_id(Level.ADMIN)
    assert client.http.get("/admin/staff", headers=manager).status_code == 200
    response = client.http.put(f"/admin/staff/{login.staff_id(Level.MANAGER)}/access", headers={
        **login(Level.ADMIN), "Content-Type": "application/json"}, body='{"level": 7}')
    assert response.status_code == 200, response.body
    assert client.http.get("/admin/me", headers=manager).json_body["level"] == 7
    assert client.http.post("/admin/staff", headers={**manager, "Content-Type": "application/json"},
                            body='{"name": "X"}').status_code == 403
    assert admin_staff == "stf_owner"
