"""Sign-up as a use case, on the fakes (tests/fakes.py, kept honest by tests/contract/test_registry.py):
the rules of a slug, what a new business starts with, and that a failed sign-up keeps nothing."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from chalicelib.domain.calendar import WeeklyHours
from chalicelib.domain.model import BookingRules
from chalicelib.domain.signup import STARTER_HOURS, checked_slug, slug_problem
from chalicelib.errors import ConflictError, TooManyAttemptsError, UnavailableError, UnprocessableError, ValidationError
from chalicelib.ports import DirectoryError, NewPasswordChallenge
from chalicelib.services import booking, signup
from tests.fake_store import FakeAgendaStore
from tests.fakes import FakeDirectory, FakeMailer, FakeRegistry
from tests.registry_contract import RegistryContract

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)
LINKS = signup.Links(sign_in_url="https://backoffice.turno.example", public_url="https://book.turno.example")
FORM = {"business_name": "Salone Rosa", "slug": "salone-rosa", "timezone": "Europe/Rome", "locale": "it",
        "currency": "EUR", "owner_name": "Rosa Bianchi", "email": "Rosa@Example.com"}


@pytest.fixture
def world():
    store = FakeAgendaStore()
    return {"store": store, "registry": FakeRegistry(store), "directory": FakeDirectory(), "mailer": FakeMailer()}


def sign_up(world, address="203.0.113.7", **changes):
    return signup.sign_up(world["registry"], world["directory"], world["mailer"], {**FORM, **changes}, address, NOW,
                          LINKS)


def nothing_kept(world) -> bool:
    return not world["store"].businesses and not world["registry"].logins and not world["directory"].users


# -- the slug ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("slug", ["abc", "salon-rosa", "studio-7", "7th-avenue", "a" * 40])
def test_lower_case_letters_digits_and_single_hyphens_make_a_slug(slug):
    assert slug_problem(slug).available and checked_slug(slug) == slug


@pytest.mark.parametrize("slug, reason", [
    ("ab", "invalid"), ("a" * 41, "invalid"), ("-rosa", "invalid"), ("rosa-", "invalid"), ("ro--sa", "invalid"),
    ("ro sa", "invalid"), ("peluquería", "invalid"), ("rosa_b", "invalid"), ("rosa.b", "invalid"),
    ("admin", "reserved"), ("admin-app", "reserved"), ("api", "reserved"), ("auth", "reserved"),
    ("public", "reserved"), ("b", "reserved"), ("signup", "reserved"), ("www", "reserved"),
    ("assets", "reserved"), ("static", "reserved"), ("help", "reserved"), ("slugs", "reserved"),
    ("bookings", "reserved"),
])
def test_a_slug_out_of_format_or_reserved_is_refused_with_its_reason(slug, reason):
    assert slug_problem(slug).reason == reason
    with pytest.raises(ValidationError) as refused:
        checked_slug(slug)
    assert (refused.value.code, refused.value.field) == (f"slug_{reason}", "slug")


def test_the_check_as_typed_reads_the_slug_lower_cased_and_says_when_it_is_taken(world):
    registry = world["registry"]
    assert signup.check_slug(registry, " Salone-Rosa ").available
    sign_up(world)
    taken = signup.check_slug(registry, "Salone-Rosa")
    assert (taken.slug, taken.available, taken.reason) == ("salone-rosa", False, "taken")
    assert signup.check_slug(registry, "admin").reason == "reserved"  # never looked up


# -- a sign-up ---------------------------------------------------------------------------------------------
def test_a_salon_signs_up_and_opens_with_the_starter_defaults_and_its_owner_as_administrator(world):
    opening = sign_up(world)
    business = booking.business(world["store"], "salone-rosa")
    assert (business.name, business.timezone, business.locale, business.currency) == \
        ("Salone Rosa", "Europe/Rome", "it", "EUR")
    assert business.opening_hours == WeeklyHours.from_json(STARTER_HOURS) and business.rules == BookingRules()
    owner = world["store"].catalog(business.id).member(opening.owner.id)
    assert (owner.name, owner.email, owner.service_ids) == ("Rosa Bianchi", "rosa@example.com", frozenset())
    assert world["registry"].logins[opening.owner_subject] == (business.id, owner.id, "rosa@example.com", 1)


def test_the_owner_gets_an_email_whose_temporary_password_starts_the_first_sign_in(world):
    sign_up(world)
    [message] = world["mailer"].to("rosa@example.com")
    assert "Salone Rosa" in message.subject
    assert "https://backoffice.turno.example" in message.text and "https://book.turno.example/b/salone-rosa" in message.text
    password = re.search(r"password temporanea: (\S+)", message.text).group(1)  # the salon speaks Italian
    assert isinstance(world["directory"].sign_in("rosa@example.com", password), NewPasswordChallenge)


def test_a_taken_slug_is_refused_before_anything_is_made(world):
    sign_up(world)
    with pytest.raises(ConflictError) as refused:
        sign_up(world, email="other@example.com")
    assert (refused.value.code, refused.value.field) == ("slug_taken", "slug")
    assert set(world["directory"].users) == {"rosa@example.com"} and len(world["store"].businesses) == 1


def test_an_email_that_has_a_login_is_refused_and_nothing_is_kept(world):
    world["directory"].create_user("rosa@example.com", "Somebody-Else-1!")
    with pytest.raises(ConflictError) as refused:
        sign_up(world)
    assert (refused.value.code, refused.value.field) == ("email_taken", "email")
    assert not world["store"].businesses and not world["registry"].logins


def test_a_slug_lost_to_a_racer_between_the_check_and_the_write_leaves_no_directory_user(world, monkeypatch):
    registry = world["registry"]
    monkeypatch.setattr(registry, "slug_taken", lambda slug: False)  # the racer wins after our check
    sign_up(world, email="first@example.com")
    with pytest.raises(ConflictError) as refused:
        sign_up(world)
    assert refused.value.code == "slug_taken"
    assert set(world["directory"].users) == {"first@example.com"} and len(registry.logins) == 1


def test_when_the_welcome_email_cannot_be_sent_nothing_is_kept(world):
    world["mailer"].refuse()
    with pytest.raises(UnprocessableError) as refused:
        sign_up(world)
    assert (refused.value.code, refused.value.field) == ("email_not_sent", "email")
    assert nothing_kept(world) and not world["registry"].slug_taken("salone-rosa")
    sign_up(world)  # and the owner can simply try again
    assert len(world["mailer"].sent) == 1


@pytest.mark.parametrize("changes, field, code", [
    ({"timezone": "Europe/Atlantis"}, "timezone", "invalid_timezone"),
    ({"timezone": "+01:00"}, "timezone", "invalid_timezone"),
    ({"timezone": "localtime"}, "timezone", "invalid_timezone"),  # the server's own clock, not a place
    ({"timezone": "Factory"}, "timezone", "invalid_timezone"),  # the tz database's "no zone yet" placeholder
    ({"locale": "fr"}, "locale", "invalid_locale"),
    ({"currency": "XYZ"}, "currency", "invalid_currency"),
    ({"currency": "DEM"}, "currency", "invalid_currency"),  # ISO 4217, but not in use any more
    ({"email": "rosa@"}, "email", "invalid_email"),
    ({"business_name": "  "}, "business_name", "required"),
    ({"owner_name": "x" * 101}, "owner_name", "too_long"),
    ({"slug": "admin"}, "slug", "slug_reserved"),
    ({"slug": 7}, "slug", "wrong_type"),
    ({"plan": "gold"}, "plan", "unknown_field"),
])
def test_bad_input_names_its_field_and_makes_nothing(world, changes, field, code):
    with pytest.raises(ValidationError) as refused:
        sign_up(world, **changes)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert nothing_kept(world) and not world["registry"].signups


def test_a_currency_is_read_in_capitals_and_any_iana_zone_is_taken(world):
    opening = sign_up(world, currency="czk", timezone="America/Argentina/Buenos_Aires", locale="cs")
    assert (opening.business.currency, opening.business.timezone) == ("CZK", "America/Argentina/Buenos_Aires")


def test_five_sign_ups_from_one_address_in_an_hour_then_it_waits(world):
    for n in range(signup.MAX_SIGNUPS):
        sign_up(world, slug=f"salon-{n}", email=f"owner{n}@example.com")
    with pytest.raises(TooManyAttemptsError) as throttled:
        sign_up(world, slug="salon-9", email="owner9@example.com")
    assert throttled.value.retry_after == 3601
    sign_up(world, address="198.51.100.1", slug="salon-9", email="owner9@example.com")  # another address may


def test_a_directory_that_throttles_is_a_429_and_nothing_is_kept(world):
    world["directory"].throttle()
    with pytest.raises(TooManyAttemptsError):
        sign_up(world)
    assert nothing_kept(world)


def test_a_directory_failing_in_an_unplanned_way_is_a_503_and_nothing_is_kept(world):
    class Refusing(FakeDirectory):
        def create_user(self, email: str, temporary_password: str | None = None) -> str:
            raise DirectoryError("InvalidParameterException")  # e.g. an address Cognito will not take

    world["directory"] = Refusing()
    with pytest.raises(UnavailableError):
        sign_up(world)
    assert nothing_kept(world)


def test_lost_attempts_count_too_so_logins_cannot_be_probed(world):
    world["directory"].create_user("known@example.com", "Somebody-Else-1!")
    for n in range(signup.MAX_SIGNUPS):
        with pytest.raises(ConflictError):
            sign_up(world, slug=f"salon-{n}", email="known@example.com")
    with pytest.raises(TooManyAttemptsError):
        sign_up(world, slug="salon-9", email="known@example.com")


class TestFakeRegistry(RegistryContract):
    @pytest.fixture
    def store(self):
        return FakeAgendaStore()

    @pytest.fixture
    def registry(self, store):
        return FakeRegistry(store)

    @pytest.fixture
    def login_of(self, registry):
        return registry.logins.get
