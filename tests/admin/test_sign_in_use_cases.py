"""Staff sign-in as use cases: services/identity.py with the fake staff directory (tests/fakes.py, kept
honest by tests/contract/), our logins and throttling in moto's DynamoDB. The routes, tokens and the
authorizer end to end are in test_auth.py."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain.principal import Level, Principal
from chalicelib.errors import TooManyAttemptsError, UnauthenticatedError, ValidationError
from chalicelib.ports import NewPasswordChallenge, Tokens
from chalicelib.repositories import accounts
from chalicelib.services import audit, identity
from tests.fakes import FakeDirectory

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)
EMAIL = "marta@biz-salon.example"
PASSWORD = "Turno-Test-Pass-1!"
WRONG = "Wrong-Pass-123!"


@pytest.fixture
def directory(store) -> FakeDirectory:
    """Marta, the salon's manager, has a login; the business's own data is not needed here."""
    fake = FakeDirectory()
    identity.provision_login(fake, "biz_salon", "stf_manager", EMAIL, Level.MANAGER, PASSWORD, NOW)
    return fake


def refused(call) -> str:
    with pytest.raises((UnauthenticatedError, ValidationError)) as error:
        call()
    return error.value.code


def test_signing_in_gives_the_logins_tokens_and_the_emails_case_does_not_matter(directory):
    tokens = identity.login(directory, EMAIL.upper(), PASSWORD, NOW)
    assert isinstance(tokens, Tokens) and accounts.by_sub(tokens.subject).staff_id == "stf_manager"


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(directory):
    wrong = refused(lambda: identity.login(directory, EMAIL, WRONG, NOW))
    unknown = refused(lambda: identity.login(directory, "nobody@nowhere.example", WRONG, NOW))
    assert wrong == unknown == "invalid_credentials"


HOME, ELSEWHERE, ATTACKER = "203.0.113.7", "198.51.100.20", "192.0.2.66"


def attacker(n: int) -> str:
    return f"192.0.2.{n}"


def test_after_five_failures_from_one_address_it_is_locked_for_fifteen_minutes_even_with_the_right_password(
        directory):
    for _ in range(5):
        refused(lambda: identity.login(directory, EMAIL, WRONG, NOW, address=ATTACKER))
    with pytest.raises(TooManyAttemptsError) as locked:
        identity.login(directory, EMAIL, PASSWORD, NOW + timedelta(minutes=1), address=ATTACKER)
    assert 0 < locked.value.retry_after <= 15 * 60 + 1
    later = NOW + timedelta(minutes=15, seconds=1)
    assert isinstance(identity.login(directory, EMAIL, PASSWORD, later, address=ATTACKER), Tokens)


def test_someone_guessing_a_staff_email_does_not_lock_its_owner_out(directory):
    for _ in range(5):
        refused(lambda: identity.login(directory, EMAIL, WRONG, NOW, address=ATTACKER))
    tokens = identity.login(directory, EMAIL, PASSWORD, NOW + timedelta(minutes=1), address=HOME)
    assert isinstance(tokens, Tokens)


def test_many_addresses_reach_the_emails_ceiling_then_only_addresses_that_never_failed_may_try(directory):
    for n in range(10):  # 20 failures from 10 addresses: none of them alone reaches five
        for _ in range(2):
            refused(lambda: identity.login(directory, EMAIL, WRONG, NOW, address=attacker(n)))
    with pytest.raises(TooManyAttemptsError):  # an address that failed waits, even with the right password
        identity.login(directory, EMAIL, PASSWORD, NOW + timedelta(minutes=1), address=attacker(3))
    assert isinstance(identity.login(directory, EMAIL, PASSWORD, NOW + timedelta(minutes=1), address=HOME), Tokens)
    # a fresh address gets one guess, and then waits too
    assert refused(lambda: identity.login(directory, EMAIL, WRONG, NOW, address=ELSEWHERE)) == "invalid_credentials"
    with pytest.raises(TooManyAttemptsError):
        identity.login(directory, EMAIL, WRONG, NOW, address=ELSEWHERE)
    later = NOW + timedelta(minutes=15, seconds=1)
    assert isinstance(identity.login(directory, EMAIL, PASSWORD, later, address=attacker(3)), Tokens)


def test_unknown_emails_are_locked_the_same_way(directory):
    for _ in range(5):
        refused(lambda: identity.login(directory, "ghost@nowhere.example", WRONG, NOW, address=ATTACKER))
    with pytest.raises(TooManyAttemptsError):
        identity.login(directory, "ghost@nowhere.example", WRONG, NOW, address=ATTACKER)


def test_the_directorys_own_throttling_is_a_429_and_counts_as_no_failure(directory):
    directory.throttle()
    with pytest.raises(TooManyAttemptsError) as throttled:
        identity.login(directory, EMAIL, PASSWORD, NOW)
    assert throttled.value.retry_after == 60
    assert accounts.recent_failures(EMAIL, NOW.timestamp() - 60) == []
    for call in (lambda: identity.forgot_password(directory, EMAIL),
                 lambda: identity.confirm_password(directory, EMAIL, "123456", "Brand-New-Pass-4!"),
                 lambda: identity.refresh(directory, "whatever")):
        directory.throttle()
        with pytest.raises(TooManyAttemptsError):
            call()


def test_a_directory_user_without_a_staff_login_cannot_sign_in(directory):
    directory.create_user("stray@example.com")
    directory.set_password("stray@example.com", PASSWORD, permanent=True)
    assert refused(lambda: identity.login(directory, "stray@example.com", PASSWORD, NOW)) == "invalid_credentials"


def test_a_login_taken_away_cannot_refresh_its_session(directory):
    tokens = identity.login(directory, EMAIL, PASSWORD, NOW)
    owner = Principal("biz_salon", "stf_owner", Level.ADMIN)
    accounts.remove(accounts.by_sub(tokens.subject),
                    audit.entry(owner, "access.revoke", "staff", "stf_manager", None, None, NOW))
    assert refused(lambda: identity.refresh(directory, tokens.refresh_token)) == "invalid_credentials"


def test_first_sign_in_must_set_a_strong_new_password(directory):
    identity.provision_login(directory, "biz_salon", "stf_trainee", "trainee@biz-salon.example",
                             Level.PROFESSIONAL, "Temporary-Pass-9!", NOW, temporary=True)
    first = identity.login(directory, "trainee@biz-salon.example", "Temporary-Pass-9!", NOW)
    assert isinstance(first, NewPasswordChallenge)
    weak = refused(lambda: identity.set_new_password(directory, "trainee@biz-salon.example", first.session, "short"))
    made_up = refused(lambda: identity.set_new_password(directory, "trainee@biz-salon.example", "made-up",
                                                        "My-Own-Password-7!"))
    assert (weak, made_up) == ("weak_password", "invalid_session")
    tokens = identity.set_new_password(directory, "trainee@biz-salon.example", first.session, "My-Own-Password-7!")
    assert accounts.by_sub(tokens.subject).staff_id == "stf_trainee"


def test_a_made_up_refresh_token_ends_the_session(directory):
    assert refused(lambda: identity.refresh(directory, "made-up")) == "session_ended"


def test_a_forgotten_password_is_reset_with_the_code_and_unknown_emails_look_the_same(directory):
    identity.forgot_password(directory, EMAIL)
    identity.forgot_password(directory, "nobody@nowhere.example")  # no error, nothing told
    code = directory.codes[EMAIL]
    assert refused(lambda: identity.confirm_password(directory, EMAIL, code + "0", "Brand-New-Pass-4!")) == "invalid_code"
    assert refused(lambda: identity.confirm_password(directory, "nobody@nowhere.example", code,
                                                     "Brand-New-Pass-4!")) == "invalid_code"
    assert refused(lambda: identity.confirm_password(directory, EMAIL, code, "short")) == "weak_password"
    identity.confirm_password(directory, EMAIL, code, "Brand-New-Pass-4!")
    assert isinstance(identity.login(directory, EMAIL, "Brand-New-Pass-4!", NOW), Tokens)


def test_signing_out_revokes_the_sessions_and_marks_the_login(directory):
    tokens = identity.login(directory, EMAIL, PASSWORD, NOW)
    identity.logout(directory, tokens.subject, EMAIL, 1774249200.5)
    assert accounts.by_sub(tokens.subject).signed_out_at == 1774249200.5
    assert not directory.accepts(tokens.access_token)
    assert refused(lambda: identity.refresh(directory, tokens.refresh_token)) == "session_ended"


def test_a_token_issued_before_the_sign_out_second_is_refused_and_one_in_that_second_asks_the_directory(directory):
    tokens = identity.login(directory, EMAIL, PASSWORD, NOW)
    assert identity.principal_for(directory, tokens.subject, 1000, tokens.access_token).staff_id == "stf_manager"
    accounts.mark_signed_out(tokens.subject, 1000.5)
    assert identity.principal_for(directory, tokens.subject, 999, tokens.access_token) is None
    assert identity.principal_for(directory, tokens.subject, 1000, tokens.access_token) is not None  # still live
    directory.sign_out_everywhere(EMAIL)
    assert identity.principal_for(directory, tokens.subject, 1000, tokens.access_token) is None
    assert identity.principal_for(directory, "unknown-subject", 1000, tokens.access_token) is None
