"""Sign-in as `make dev` runs it: tokens from moto's server verified against its JWKS URL, and the
Cognito step giving the demo business a login for every access level."""
from __future__ import annotations

import json
import socket

import pytest

from chalicelib import config, wiring
from chalicelib.auth import tokens
from chalicelib.domain.principal import Level
from tests.api.helpers import post


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tokens_from_motos_server_verify_against_its_jwks_url():
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        url = f"http://127.0.0.1:{port}"
        cognito = boto3.client("cognito-idp", region_name="eu-west-1", endpoint_url=url)
        pool = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
        app_client = cognito.create_user_pool_client(
            UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
        cognito.admin_create_user(UserPoolId=pool, Username="a@example.com", MessageAction="SUPPRESS")
        cognito.admin_set_user_password(UserPoolId=pool, Username="a@example.com", Password="Pass-Word-123!",
                                        Permanent=True)
        token = cognito.initiate_auth(ClientId=app_client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={
            "USERNAME": "a@example.com", "PASSWORD": "Pass-Word-123!"})["AuthenticationResult"]["AccessToken"]
        claims = tokens.verify_access_token(
            token, keys_url=f"{url}/{pool}/.well-known/jwks.json",
            issuer=f"https://cognito-idp.eu-west-1.amazonaws.com/{pool}", client_id=app_client)
        assert claims.claims["username"] == "a@example.com"
        with pytest.raises(tokens.InvalidTokenError):
            tokens.verify_access_token(token, keys_url=f"{url}/{pool}/.well-known/jwks.json",
                                       issuer=f"{url}/{pool}", client_id=app_client)
    finally:
        server.stop()
        tokens._key_sets.clear()


def test_the_make_dev_step_gives_the_demo_business_a_login_for_every_level(aws, client, monkeypatch, tmp_path):
    from moto.utilities.utils import load_resource

    from infra.local import cognito as step
    from infra.local.devstack import seed_demo_step

    env = {"AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "https://cognito-idp.eu-west-1.amazonaws.com",
           "TURNO_TABLE": config.settings().table_name, "TURNO_IDEMPOTENCY_TABLE": "x"}
    import boto3

    seed_demo_step(env)
    first = step.provision(env)
    assert step.provision(env) == first  # run again while moto runs: the same pool and logins
    # The next `make dev`: moto starts empty, DynamoDB Local still has the old logins.
    boto3.client("cognito-idp", region_name="eu-west-1").delete_user_pool(UserPoolId=env["TURNO_USER_POOL_ID"])
    lines = step.provision(env)
    assert env["TURNO_USER_POOL_ID"] in lines[0] and lines[0] != first[0] and len(lines) == 9
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(load_resource("cognitoidp/resources/jwks-public.json")))
    monkeypatch.setenv("TURNO_USER_POOL_ID", env["TURNO_USER_POOL_ID"])
    monkeypatch.setenv("TURNO_USER_POOL_CLIENT_ID", env["TURNO_USER_POOL_CLIENT_ID"])
    monkeypatch.setenv("TURNO_JWKS_URL", keys.as_uri())
    config.settings.cache_clear()
    wiring.cognito.cache_clear()
    try:
        for level, (staff_id, _, email) in step.DEMO_LOGINS.items():
            signed_in = post(client, "/auth/login", {"email": email, "password": step.DEMO_PASSWORD})
            assert signed_in.status_code == 200, (email, signed_in.body)
            me = client.http.get("/admin/me", headers={"Authorization": f"Bearer {signed_in.json_body['access_token']}"})
            assert (me.json_body["level"], me.json_body["staff"], me.json_body["business"]) == (level, staff_id, "biz_demo")
            assert Level(level).label in "\n".join(lines)
    finally:
        config.settings.cache_clear()
        wiring.cognito.cache_clear()
        tokens._key_sets.clear()
