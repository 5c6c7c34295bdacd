"""`make dev` step: a Cognito user pool on moto's server and a demo login for every access level of the
demo business, printed at start. Idempotent: the pool is reused while moto runs, and logins are (re)made
for the pool of this start (moto keeps nothing between starts; DynamoDB Local does)."""
from __future__ import annotations

from datetime import datetime, timezone

DEMO_BUSINESS = "biz_demo"
DEMO_PASSWORD = "Turno-Demo-2026!"
POOL_NAME = "turno-dev-staff"
# level -> (staff id, name, email); levels 5-7 are the demo salon's professionals.
DEMO_LOGINS = {
    1: ("stf_owner", "Carmen (owner)", "admin@demo.turno.example"),
    2: ("stf_manager", "Raúl (manager)", "manager@demo.turno.example"),
    3: ("stf_desk", "Inés (reception)", "reception@demo.turno.example"),
    4: ("stf_phone", "Jorge (phone desk)", "calendar@demo.turno.example"),
    5: ("stf_lucia", "Lucía", "lucia@demo.turno.example"),
    6: ("stf_marco", "Marco", "marco@demo.turno.example"),
    7: ("stf_sara", "Sara", "sara@demo.turno.example"),
}


def provision(env: dict[str, str]) -> list[str]:
    import boto3

    from chalicelib import wiring
    from chalicelib.adapters.cognito import CognitoDirectory
    from chalicelib.domain.principal import Level
    from chalicelib.domain.calendar import WeeklyHours
    from chalicelib.domain.model import Staff
    from chalicelib.services import identity

    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1"
    cognito = boto3.client("cognito-idp", region_name=region, endpoint_url=env["AWS_ENDPOINT_URL"])
    pool_id = next((p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == POOL_NAME), None)
    if pool_id is None:
        pool_id = cognito.create_user_pool(PoolName=POOL_NAME, Policies={"PasswordPolicy": {
            "MinimumLength": 12, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True,
            "RequireSymbols": True, "TemporaryPasswordValidityDays": 7}})["UserPool"]["Id"]
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    client_id = next((c["ClientId"] for c in clients if c["ClientName"] == "backoffice"), None)
    if client_id is None:
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName="backoffice", GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    env.update({
        "TURNO_USER_POOL_ID": pool_id,
        "TURNO_USER_POOL_CLIENT_ID": client_id,
        "TURNO_JWKS_URL": f"{env['AWS_ENDPOINT_URL']}/{pool_id}/.well-known/jwks.json",
    })

    store = wiring.store()
    present = {member.id for member in store.catalog(DEMO_BUSINESS).staff}
    for staff_id, name, _ in DEMO_LOGINS.values():
        if staff_id not in present:  # the front-office people: no services, no hours of their own
            store.save_staff(DEMO_BUSINESS, Staff(staff_id, name, frozenset(), WeeklyHours()))
    directory = CognitoDirectory(lambda: cognito, pool_id, client_id)
    existing = {u["Username"] for u in cognito.list_users(UserPoolId=pool_id)["Users"]}
    lines = [f"cognito: pool {pool_id}, app client {client_id}; sign in with POST /auth/login",
             f"demo logins (password {DEMO_PASSWORD}):"]
    for level, (staff_id, _, email) in DEMO_LOGINS.items():
        if email not in existing:
            identity.provision_login(directory, DEMO_BUSINESS, staff_id, email, Level(level), DEMO_PASSWORD,
                                     datetime.now(timezone.utc), replace=True)
        lines.append(f"  {level} {Level(level).label:<25} {email}")
    return lines
