"""Backoffice tests: a moto Cognito user pool per test, real tokens, staff of every access level in two
businesses, and a seeded appointment with a client to look at.

    headers = login(Level.MANAGER)                       # the salon's manager
    headers = login(Level.ADMIN, business=OTHER)         # an administrator of the second business
    login.staff_id(Level.PROFESSIONAL)                   # "stf_ana": who that login is
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from chalicelib import config, wiring
from chalicelib.auth import tokens
from chalicelib.domain.principal import Level
from chalicelib.domain.calendar import WeeklyHours
from chalicelib.domain.model import Staff
from chalicelib.services import identity
from tests import factories
from tests.api.conftest import NOW, aws, client, clock, salon, store  # noqa: F401  (the API tests' fixtures)
from tests.api.helpers import booking_body, post

SALON = "biz_salon"
OTHER = "biz_other"
PASSWORD = "Turno-Test-Pass-1!"
SENDER = "no-reply@turno.example"

# Who holds each level's login, per business. Levels 5-7 are professionals with hours and services.
STAFF = {
    SALON: {
        Level.ADMIN: "stf_owner", Level.MANAGER: "stf_manager", Level.RECEPTION_FULL: "stf_desk",
        Level.RECEPTION_CALENDAR: "stf_phone", Level.PROFESSIONAL: "stf_ana",
        Level.PROFESSIONAL_NO_CONTACTS: "stf_bea", Level.PROFESSIONAL_OWN: "stf_cris",
    },
    OTHER: {level: f"stf_o{int(level)}" for level in Level},
}
WORKDAYS = WeeklyHours.from_json({d: [["09:00", "13:00"], ["14:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")})


@pytest.fixture
def cognito_pool(aws, monkeypatch, tmp_path):
    """A fresh user pool and app client; the app reads them (and the pool's keys) from the environment."""
    import boto3

    from moto.utilities.utils import load_resource

    cognito = boto3.client("cognito-idp", region_name="eu-west-1")
    pool = cognito.create_user_pool(PoolName="turno-test", Policies={"PasswordPolicy": {
        "MinimumLength": 12, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True,
        "RequireSymbols": True, "TemporaryPasswordValidityDays": 7}})["UserPool"]
    app_client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="backoffice", GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    # Under mock_aws the pool's public keys ship inside moto: serve them to the app as a file:// JWKS URL.
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(load_resource("cognitoidp/resources/jwks-public.json")))
    monkeypatch.setenv("TURNO_USER_POOL_ID", pool["Id"])
    monkeypatch.setenv("TURNO_USER_POOL_CLIENT_ID", app_client["ClientId"])
    monkeypatch.setenv("TURNO_JWKS_URL", keys.as_uri())
    monkeypatch.setenv("TURNO_SENDER_EMAIL", SENDER)
    boto3.client("sesv2", region_name="eu-west-1").create_email_identity(EmailIdentity=SENDER)
    _reset_caches()
    yield {"pool_id": pool["Id"], "client_id": app_client["ClientId"], "cognito": cognito}
    _reset_caches()


def _reset_caches() -> None:
    config.settings.cache_clear()
    wiring.cognito.cache_clear()
    wiring.sesv2.cache_clear()
    tokens._key_sets.clear()


@pytest.fixture
def second_business(store):
    """Another salon with its own (different) ids: its staff must never reach the first one's data."""
    business = factories.salon(id=OTHER, slug="otro", name="Peluquería Otra")
    services = [factories.services()[0].__class__(f"svc_o_cut", "Corte", 30, factories.services()[0].price)]
    members = [Staff(STAFF[OTHER][Level.PROFESSIONAL], "Olga", frozenset({"svc_o_cut"}), WORKDAYS)]
    return factories.seed(store, business, members=members, offered=services)


@pytest.fixture
def backoffice(salon, second_business, store):
    """Both businesses with a staff member behind every level's login (logins are made on demand)."""
    for member in (Staff("stf_owner", "Lucía", frozenset(), WeeklyHours()),
                   Staff("stf_manager", "Marta", frozenset(), WeeklyHours()),
                   Staff("stf_desk", "Diego", frozenset(), WeeklyHours()),
                   Staff("stf_phone", "Pablo", frozenset(), WeeklyHours()),
                   Staff("stf_cris", "Cris", frozenset({"svc_cut"}), WORKDAYS)):
        store.save_staff(SALON, member)
    for level, staff_id in STAFF[OTHER].items():
        if level != Level.PROFESSIONAL:
            store.save_staff(OTHER, Staff(staff_id, f"Otro {int(level)}", frozenset(), WeeklyHours()))
    return {SALON: salon, OTHER: second_business}


class Login:
    """login(level, business=SALON) -> {"Authorization": "Bearer <access token>"} from a real sign-in."""

    def __init__(self, client) -> None:
        self.client = client
        self._tokens: dict[tuple[str, Level], dict] = {}

    def __call__(self, level: Level, business: str = SALON) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens(level, business)['access_token']}"}

    def staff_id(self, level: Level, business: str = SALON) -> str:
        return STAFF[business][level]

    def email(self, level: Level, business: str = SALON) -> str:
        return f"{STAFF[business][level]}@{business.replace('_', '-')}.example"

    def tokens(self, level: Level, business: str = SALON) -> dict:
        key = (business, Level(level))
        if key not in self._tokens:
            email = self.email(level, business)
            identity.provision_login(wiring.directory(), business, self.staff_id(level, business),
                                     email, Level(level), PASSWORD, wiring.now())
            response = post(self.client, "/auth/login", {"email": email, "password": PASSWORD})
            assert response.status_code == 200, response.body
            self._tokens[key] = response.json_body
        return self._tokens[key]


@pytest.fixture
def login(backoffice, cognito_pool, client) -> Login:
    return Login(client)


TRAINEE = "stf_trainee"
LEAVER = "stf_leaver"  # has a login, for the example that takes one away
TRAINEE_EMAIL = "trainee@biz-salon.example"
TEMPORARY_PASSWORD = "Temporary-Pass-9!"


@pytest.fixture
def seeded(backoffice, cognito_pool, client, clock, store):
    """Ids a backoffice route can be called with: the salon's catalog, one booked appointment with a
    client who has an email and a phone (level 6 must never see them), a trainee (level 5) who was
    invited but has not signed in yet (temporary password), and a leaver (level 7) with a login."""
    store.save_staff(SALON, Staff(TRAINEE, "Tomás", frozenset({"svc_cut"}), WORKDAYS))
    identity.provision_login(wiring.directory(), SALON, TRAINEE, TRAINEE_EMAIL,
                             Level.PROFESSIONAL, TEMPORARY_PASSWORD, clock["value"], temporary=True)
    store.save_staff(SALON, Staff(LEAVER, "Leo", frozenset(), WeeklyHours()))
    identity.provision_login(wiring.directory(), SALON, LEAVER, "leaver@biz-salon.example",
                             Level.PROFESSIONAL_OWN, PASSWORD, clock["value"])
    start = (clock["value"] + timedelta(days=1)).replace(hour=9, minute=0)  # Tuesday 10:00 in Madrid
    response = post(client, "/public/salon/bookings",
                    booking_body(start.isoformat(), staff="stf_ana", email="eva.private@example.com",
                                 phone="+34699111222"))
    assert response.status_code == 201, response.body
    booking = response.json_body
    appointment = wiring.store().appointment(booking["reference"])
    return {
        "business": SALON, "other_business": OTHER,
        "service": "svc_cut", "staff": "stf_ana", "colleague": "stf_bea", "trainee": TRAINEE,
        "leaver": LEAVER,
        "reference": booking["reference"], "client": appointment.client_id,
        "client_email": "eva.private@example.com", "client_phone": "+34699111222",
        "start": booking["start"],
    }


def sent_emails() -> list:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages
