"""Sign-up over HTTP, on moto (DynamoDB, Cognito, SES): the slug check, a salon that signs up and whose
owner signs in with the emailed password, the refusals, the throttle, the race for one slug, and the form
page. The use case's rules in detail: tests/unit/test_signup.py."""
from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from chalicelib.domain.signup import STARTER_HOURS
from chalicelib.services import signup
from tests.api.helpers import error, post
from tests.api.test_pages import Tags, html, page_data
from tests.backoffice_world import sent_emails
from tests.factories import NOW
from tests.registry_contract import RegistryContract

FORM = {"business_name": "Salone Rosa", "slug": "salone-rosa", "timezone": "Europe/Rome", "locale": "it",
        "currency": "EUR", "owner_name": "Rosa Bianchi", "email": "rosa@example.com"}
PAGES = Path(__file__).resolve().parents[2] / "templates" / "pages"
RACERS = 20


@pytest.fixture
def signups(aws, cognito_pool, ses, client):
    """The app with the session's pool and a verified sender: what a sign-up needs."""
    return client


def sign_up(client, **changes):
    return post(client, "/public/signup", {**FORM, **changes})


def welcome_password(email: str) -> str:
    [message] = [m for m in sent_emails() if email in m.destinations["ToAddresses"]]
    return re.search(r'<code class="password">([^<]+)</code>', message.body).group(1)


def test_a_salon_signs_up_and_its_owner_signs_in_as_administrator_with_the_emailed_password(signups):
    client = signups
    made = sign_up(client)
    assert made.status_code == 201, made.body
    business = made.json_body["business"]
    assert {k: business[k] for k in ("slug", "name", "timezone", "locale", "currency")} == \
        {"slug": "salone-rosa", "name": "Salone Rosa", "timezone": "Europe/Rome", "locale": "it", "currency": "EUR"}
    [welcome] = [m for m in sent_emails() if "rosa@example.com" in m.destinations["ToAddresses"]]
    assert welcome.subject == "Salone Rosa è su Turno: conferma la tua email"  # the salon speaks Italian
    assert 'href="http://127.0.0.1:8000/admin-app/"' in welcome.body  # the link opens the backoffice app
    profile = client.http.get("/public/salone-rosa").json_body
    assert profile["name"] == "Salone Rosa" and profile["booking_rules"]["slot_step_minutes"] == 15
    first = post(client, "/auth/login", {"email": "rosa@example.com", "password": welcome_password("rosa@example.com")})
    assert first.json_body["challenge"] == "new_password_required"
    tokens = post(client, "/auth/password/new", {"email": "rosa@example.com", "session": first.json_body["session"],
                                                 "new_password": "Rosa-Own-Pass-1!"}).json_body
    owner = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = client.http.get("/admin/me", headers=owner).json_body
    assert (me["business"], me["level"], me["staff"]) == (business["id"], 1, made.json_body["owner"]["staff_id"])
    settings = client.http.get("/admin/business", headers=owner).json_body
    assert settings["name"] == "Salone Rosa"
    again = post(client, "/auth/login", {"email": "rosa@example.com", "password": "Rosa-Own-Pass-1!"})
    assert again.status_code == 200 and "access_token" in again.json_body


def test_the_new_business_opens_with_the_starter_hours_and_default_messages(signups, store):
    made = sign_up(signups).json_body
    from chalicelib.domain.calendar import WeeklyHours
    from chalicelib.repositories.notification_settings import notification_settings
    from chalicelib.domain.notification_settings import NotificationSettings

    catalog = store.catalog(made["business"]["id"])
    assert catalog.business.opening_hours == WeeklyHours.from_json(STARTER_HOURS)
    assert [s.name for s in catalog.staff] == ["Rosa Bianchi"] and catalog.services == ()
    assert notification_settings(made["business"]["id"]) == NotificationSettings()


def test_the_slug_check_says_free_taken_reserved_or_invalid(signups):
    client = signups
    check = lambda slug: client.http.get(f"/public/slugs/{slug}").json_body  # noqa: E731
    assert check("Salone-Rosa") == {"slug": "salone-rosa", "available": True, "reason": None, "message": ""}
    assert sign_up(client).status_code == 201
    assert (check("salone-rosa")["available"], check("salone-rosa")["reason"]) == (False, "taken")
    assert check("admin-app")["reason"] == "reserved" and check("x")["reason"] == "invalid"
    assert check("ro%20sa")["reason"] == "invalid"


@pytest.mark.parametrize("body, status, field, code", [
    ({**FORM, "slug": "admin"}, 400, "slug", "slug_reserved"),
    ({**FORM, "slug": "Rosa Bianchi"}, 400, "slug", "slug_invalid"),
    ({**FORM, "timezone": "Mars/Olympus"}, 400, "timezone", "invalid_timezone"),
    ({**FORM, "locale": "de"}, 400, "locale", "invalid_locale"),
    ({**FORM, "currency": "ECU"}, 400, "currency", "invalid_currency"),
    ({**FORM, "email": "not-an-email"}, 400, "email", "invalid_email"),
    ({**FORM, "owner_name": None}, 400, "owner_name", "required"),
    ({**FORM, "business_name": ["a"]}, 400, "business_name", "wrong_type"),
    ({**FORM, "referrer": "x"}, 400, "referrer", "unknown_field"),
])
def test_bad_input_is_a_400_naming_its_field_and_nothing_is_made(signups, store, body, status, field, code):
    response = post(signups, "/public/signup", body)
    assert response.status_code == status and (error(response)["field"], error(response)["code"]) == (field, code)
    assert not sent_emails() and signups.http.get("/public/slugs/salone-rosa").json_body["available"]


@pytest.mark.parametrize("raw", ["[]", "null", "{", '"x"'])
def test_a_body_that_is_not_a_json_object_is_a_400(signups, raw):
    response = post(signups, "/public/signup", raw)
    assert response.status_code == 400 and error(response)["code"] == "malformed_json"


def test_a_taken_slug_or_email_is_a_409_and_the_first_business_is_untouched(signups):
    client = signups
    assert sign_up(client).status_code == 201
    slug = sign_up(client, email="other@example.com")
    assert slug.status_code == 409 and (error(slug)["code"], error(slug)["field"]) == ("slug_taken", "slug")
    email = sign_up(client, slug="rosa-two")
    assert email.status_code == 409 and (error(email)["code"], error(email)["field"]) == ("email_taken", "email")
    assert client.http.get("/public/slugs/rosa-two").json_body["available"]
    assert client.http.get("/public/salone-rosa").json_body["name"] == "Salone Rosa"


def test_when_ses_refuses_the_welcome_nothing_is_kept_and_the_owner_can_try_again(signups, cognito_pool):
    import boto3

    client = signups
    ses = boto3.client("sesv2", region_name="eu-west-1")
    ses.delete_email_identity(EmailIdentity="no-reply@turno.example")
    refused = sign_up(client)
    assert refused.status_code == 422 and error(refused)["code"] == "email_not_sent"
    assert client.http.get("/public/slugs/salone-rosa").json_body["available"]
    users = cognito_pool["cognito"].list_users(UserPoolId=cognito_pool["pool_id"])["Users"]
    assert "rosa@example.com" not in {u["Username"] for u in users}
    ses.create_email_identity(EmailIdentity="no-reply@turno.example")
    assert sign_up(client).status_code == 201


def test_an_address_that_signed_up_five_times_in_an_hour_waits(signups, clock):
    from datetime import timedelta

    for n in range(5):
        assert sign_up(signups, slug=f"salon-{n}", email=f"owner{n}@example.com").status_code == 201
    throttled = sign_up(signups, slug="salon-9", email="owner9@example.com")
    assert throttled.status_code == 429 and error(throttled)["code"] == "too_many_attempts"
    assert throttled.headers["Retry-After"] == "3601"
    clock["value"] += timedelta(hours=1, seconds=1)
    assert sign_up(signups, slug="salon-9", email="owner9@example.com").status_code == 201


def race(racers: int, form_of) -> tuple:
    """The use case with its real adapters on moto (DynamoDB, Cognito, SES), from threads: chalice's test
    client swaps the process environment per request, so HTTP requests cannot overlap in one process.
    Each racer signs up with `form_of(n)`; the one winner and the losers' errors (every outcome reported)."""
    from chalicelib import wiring

    links = signup.Links("http://127.0.0.1:8000", "http://127.0.0.1:8000")
    directory, mailer, registry = wiring.directory(), wiring.mailer(), wiring.registry()
    barrier = threading.Barrier(racers)

    def attempt(n: int):
        barrier.wait(timeout=30)
        try:
            return signup.sign_up(registry, directory, mailer, form_of(n), f"198.51.100.{n}", NOW, links)
        except Exception as error:
            return error

    with ThreadPoolExecutor(max_workers=racers) as pool:
        outcomes = list(pool.map(attempt, range(racers)))
    [winner] = [o for o in outcomes if not isinstance(o, Exception)]
    return winner, [o for o in outcomes if o is not winner]


def test_racers_for_one_slug_get_one_business_the_rest_slug_taken(signups, atomic_moto, store, cognito_pool,
                                                                  monkeypatch):
    """The check before the write says "free" to all of them; the slug item's condition decides."""
    from chalicelib.errors import ConflictError
    from chalicelib.repositories.signups import DynamoRegistry

    monkeypatch.setattr(DynamoRegistry, "slug_taken", lambda self, slug: False)
    winner, losers = race(RACERS, lambda n: {**FORM, "email": f"owner{n}@example.com"})
    assert all(isinstance(o, ConflictError) and o.code == "slug_taken" for o in losers), losers
    assert store.business_id("salone-rosa") == winner.business.id
    # The losers' directory users were taken back: only the winner can ever sign in, and only they got mail.
    users = cognito_pool["cognito"].list_users(UserPoolId=cognito_pool["pool_id"])["Users"]
    assert {u["Username"] for u in users if u["Username"].startswith("owner")} == {winner.owner_email}
    assert [m.destinations["ToAddresses"] for m in sent_emails()] == [[winner.owner_email]]


def test_racers_with_one_email_for_several_slugs_open_one_business_the_rest_email_taken(signups, atomic_moto, store,
                                                                                        cognito_pool):
    """One email is one login across Turno: the directory's user is the guard, so an owner double-clicking
    (or a script) with one email for several slugs opens one business and leaves no half-made other."""
    from chalicelib.errors import ConflictError
    from chalicelib.repositories.signups import DynamoRegistry

    racers = 8
    winner, losers = race(racers, lambda n: {**FORM, "slug": f"salone-rosa-{n}"})
    assert all(isinstance(o, ConflictError) and o.code == "email_taken" for o in losers), losers
    opened = [n for n in range(racers) if DynamoRegistry().slug_taken(f"salone-rosa-{n}")]
    assert [f"salone-rosa-{n}" for n in opened] == [winner.business.slug]
    assert [m.destinations["ToAddresses"] for m in sent_emails()] == [[FORM["email"]]]


# -- the form --------------------------------------------------------------------------------------------
def test_the_form_is_a_page_with_a_strict_policy_and_no_inline_script(signups):
    response = signups.http.get("/signup")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    parsed = Tags(html(response))
    scripts = parsed.find("script")
    assert [s["src"] for s in scripts if "src" in s] and all(
        "src" in s or s.get("type") == "application/json" for s in scripts)
    assert not any(name.startswith("on") or name == "style" for _, attrs in parsed.tags for name in attrs)
    assert not parsed.find("style")
    urls = [a["href"] for a in parsed.find("link", rel="stylesheet")] + [s["src"] for s in scripts if "src" in s]
    assert [u.split(".")[0] for u in urls] == ["b/assets/page", "b/assets/signup", "b/assets/signup"]
    for url in urls:
        assert signups.http.get(f"/{url}").status_code == 200
    total = len(response.body) + sum(len(signups.http.get(f"/{url}").body) for url in urls)
    assert total < 100 * 1024, total  # the booking page's budget (gzip makes it about a fifth)
    labelled = {a["for"] for a in parsed.find("label")}
    assert {"business_name", "slug", "timezone", "locale", "currency", "owner_name", "email"} <= labelled


def test_the_form_speaks_the_visitors_language_and_offers_zones_currencies_and_the_five_languages(signups):
    response = signups.http.get("/signup?lang=cs")
    assert '<html lang="cs">' in html(response) and "Název podniku" in html(response)
    parsed = Tags(html(response))
    assert {"Europe/Prague", "America/Argentina/Buenos_Aires", "UTC"} <= \
        {o["value"] for o in parsed.find("option") if "/" in o["value"] or o["value"] == "UTC"}
    chosen = {o["value"] for o in parsed.find("option") if "selected" in o}
    assert chosen == {"Europe/Prague", "CZK", "cs"} and not parsed.find("option", value="DEM")
    assert sorted(o["value"] for o in parsed.find("option") if o.get("lang")) == ["cs", "en", "es", "et", "it"]
    assert page_data(response)["t"]["signup_title"] == "Přiveďte svůj podnik do Turna"
    italian = Tags(html(signups.http.get("/signup", headers={"Accept-Language": "it-IT,it;q=0.9,en;q=0.8"})))
    assert {o["value"] for o in italian.find("option") if "selected" in o} == {"Europe/Rome", "EUR", "it"}


def test_every_language_has_every_text_the_form_and_its_script_use():
    script = (PAGES / "assets" / "signup.js").read_text(encoding="utf-8")
    template = (PAGES / "signup" / "page.html").read_text(encoding="utf-8")
    english = json.loads((PAGES / "signup" / "i18n" / "en.json").read_text(encoding="utf-8"))
    used = set(re.findall(r"'(signup_[a-z_]+)'", script)) | set(re.findall(r"\bt\.(signup_[a-z_]+)", template))
    used |= {f"signup_slug_{reason}" for reason in ("invalid", "reserved", "taken")}  # 'signup_slug_' + reason
    used = {key for key in used if not key.endswith("_")}
    assert used - set(english) == set() and set(english) - used == set()
    for locale in ("cs", "es", "et", "it"):
        texts = json.loads((PAGES / "signup" / "i18n" / f"{locale}.json").read_text(encoding="utf-8"))
        assert set(texts) == set(english), locale
        for key, text in texts.items():
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", english[key])), (locale, key)


def test_every_element_the_script_looks_up_is_in_the_form(signups):
    script = (PAGES / "assets" / "signup.js").read_text(encoding="utf-8")
    ids = {attrs["id"] for _, attrs in Tags(html(signups.http.get("/signup"))).tags if "id" in attrs}
    wanted = set(re.findall(r"\$\('([a-z_-]+)'\)", script))
    fields = set(re.findall(r"'([a-z_]+)'", script.split("var FIELDS = [")[1].split("]")[0]))
    assert wanted and fields and (wanted | fields | {f"{f}-error" for f in fields}) - ids == set()


class TestMotoRegistry(RegistryContract):
    @pytest.fixture
    def registry(self, atomic_moto):
        from chalicelib.repositories.signups import DynamoRegistry

        return DynamoRegistry()
