"""Access levels and invitations as use cases: the services called directly with the fake staff directory
and mailer (tests/fakes.py, kept honest by tests/contract/), the business's data in moto's DynamoDB.

No Cognito pool and no sign-in per test: the routes' own answers (status, JSON) are in test_staff.py."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from chalicelib.domain.principal import Level, Principal
from chalicelib.errors import (ConflictError, ForbiddenError, NotFoundError, TooManyAttemptsError, UnauthenticatedError,
                             UnavailableError, ValidationError)
from chalicelib.ports import DirectoryError, NewPasswordChallenge
from chalicelib.repositories import accounts
from chalicelib.services import audit, identity, invitations, staff_access, team
from tests.backoffice_world import OTHER, SALON, STAFF
from tests.fakes import FakeDirectory, FakeMailer

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=timezone.utc)
PASSWORD = "Turno-Test-Pass-1!"
SIGN_IN_URL = "https://backoffice.turno.example"


def email_of(level: Level, business: str = SALON) -> str:
    return f"{STAFF[business][level]}@{business.replace('_', '-')}.example"


def caller(level: Level, business: str = SALON) -> Principal:
    return Principal(business, STAFF[business][level], level, email_of(level, business))


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory()


@pytest.fixture
def mailer() -> FakeMailer:
    return FakeMailer()


@pytest.fixture
def logins(backoffice, directory):
    """The salon's staff at every level have a login (in the fake directory and our table); the other
    business's professional too."""
    for level, staff_id in STAFF[SALON].items():
        identity.provision_login(directory, SALON, staff_id, email_of(level), level, PASSWORD, NOW)
    identity.provision_login(directory, OTHER, STAFF[OTHER][Level.PROFESSIONAL], email_of(Level.PROFESSIONAL, OTHER),
                             Level.PROFESSIONAL, PASSWORD, NOW)
    return directory


def invite(directory, mailer, data, level=Level.ADMIN) -> invitations.Invitation:
    return invitations.invite(caller(level), directory, mailer, data, NOW, sign_in_url=SIGN_IN_URL)


def temporary_password_in(message) -> str:
    return re.search(r'class="password">([^<]+)</code>', message.html).group(1)


# -- invitations ---------------------------------------------------------------------------------------
def test_an_invitation_makes_a_login_that_signs_in_with_the_emailed_password(logins, mailer):
    made = invite(logins, mailer, {"email": "Nora.New@Example.com", "level": 6, "staff": {"name": "Nora"}},
                  Level.MANAGER)
    assert made.sent and made.member.account.email == "nora.new@example.com" and made.member.account.level == 6
    [message] = mailer.to("nora.new@example.com")
    assert "Salón Lucía" in message.subject and "sin contactos de clientes" in message.text  # the salon writes Spanish
    assert SIGN_IN_URL in message.text
    first = identity.login(logins, "nora.new@example.com", temporary_password_in(message), NOW)
    assert isinstance(first, NewPasswordChallenge)
    tokens = identity.set_new_password(logins, "nora.new@example.com", first.session, "Nora-Own-Pass-1!")
    assert accounts.by_sub(tokens.subject).staff_id == made.member.staff.id


@pytest.mark.parametrize("data, field", [
    ({"level": 5, "staff": {"name": "N"}}, "email"),
    ({"email": "n@example.com", "staff": {"name": "N"}}, "level"),
    ({"email": "n@example.com", "level": 5}, "staff"),
    ({"email": "n@example.com", "level": 5, "staff": {}}, "staff.name"),
    ({"email": "n@example.com", "level": 5, "staff": {"name": "N", "wage": 1}}, "staff.wage"),
    ({"email": "n@example.com", "level": 8, "staff": {"name": "N"}}, "level"),
    ({"email": "n@example.com", "level": 5, "staff": {"name": "N"}, "salary": 1}, "salary"),
])
def test_invitation_input_is_checked_and_nothing_is_made(logins, mailer, data, field):
    with pytest.raises(ValidationError) as refused:
        invite(logins, mailer, data)
    assert refused.value.field == field
    assert "n@example.com" not in logins.users and mailer.sent == []


def test_only_administrators_invite_administrators(logins, mailer):
    with pytest.raises(ForbiddenError) as refused:
        invite(logins, mailer, {"email": "boss@example.com", "level": 1, "staff": {"name": "Boss"}}, Level.MANAGER)
    assert refused.value.code == "administrators_only"
    assert invite(logins, mailer, {"email": "boss@example.com", "level": 1, "staff": {"name": "Boss"}}).sent


@pytest.mark.parametrize("business", [SALON, OTHER])
def test_an_email_with_a_login_anywhere_is_refused_and_nothing_is_made(logins, mailer, business):
    taken = email_of(Level.PROFESSIONAL, business)
    before = len(team.members(caller(Level.ADMIN)))
    with pytest.raises(ConflictError) as refused:
        invite(logins, mailer, {"email": taken, "level": 5, "staff": {"name": "Twin"}})
    assert refused.value.code == "email_taken"
    assert len(team.members(caller(Level.ADMIN))) == before and mailer.sent == []


def test_inviting_an_existing_staff_member_gives_them_a_login_once(backoffice, directory, mailer):
    made = invite(directory, mailer, {"email": "cris@salon.example", "level": 7, "staff_id": "stf_cris"})
    assert made.member.staff.id == "stf_cris" and made.member.staff.email == "cris@salon.example"
    with pytest.raises(ConflictError) as again:
        invite(directory, mailer, {"email": "cris2@salon.example", "level": 7, "staff_id": "stf_cris"})
    assert again.value.code == "already_invited" and "cris2@salon.example" not in directory.users
    with pytest.raises(NotFoundError):
        invite(directory, mailer, {"email": "x@salon.example", "level": 7, "staff_id": "stf_nobody"})


def test_an_invitation_is_audited_with_the_level(backoffice, directory, mailer):
    made = invite(directory, mailer, {"email": "nora@example.com", "level": 5, "staff": {"name": "Nora"}})
    [entry], _ = audit.listing(caller(Level.ADMIN))
    assert (entry.action, entry.target_id, entry.before) == ("access.invite", made.member.staff.id, None)
    assert entry.after["level"] == 5 and entry.after["name"] == "Nora"


def test_an_invitation_can_be_sent_again_until_the_first_sign_in(logins, mailer):
    made = invite(logins, mailer, {"email": "tomas@example.com", "level": 5, "staff": {"name": "Tomás"}})
    staff_id = made.member.staff.id
    again = invitations.resend(caller(Level.ADMIN), logins, mailer, staff_id, NOW, sign_in_url=SIGN_IN_URL)
    assert again.sent
    first, second = mailer.to("tomas@example.com")
    assert temporary_password_in(first) != temporary_password_in(second)
    with pytest.raises(UnauthenticatedError):  # the first password is no longer the one
        identity.login(logins, "tomas@example.com", temporary_password_in(first), NOW)
    challenge = identity.login(logins, "tomas@example.com", temporary_password_in(second), NOW)
    identity.set_new_password(logins, "tomas@example.com", challenge.session, "Tomas-Pass-123!")
    with pytest.raises(ConflictError) as signed_in:
        invitations.resend(caller(Level.ADMIN), logins, mailer, staff_id, NOW, sign_in_url=SIGN_IN_URL)
    assert signed_in.value.code == "already_signed_in"
    newcomer = team.add_member(caller(Level.ADMIN), {"name": "Nadie"}, NOW).staff.id
    with pytest.raises(NotFoundError) as no_login:
        invitations.resend(caller(Level.ADMIN), logins, mailer, newcomer, NOW, sign_in_url=SIGN_IN_URL)
    assert no_login.value.code == "no_login"


def test_when_the_email_is_not_sent_the_login_stays_and_it_can_be_sent_again(backoffice, directory, mailer):
    mailer.refuse()
    made = invite(directory, mailer, {"email": "nora@example.com", "level": 5, "staff": {"name": "Nora"}})
    assert made.sent is False and made.member.account is not None and mailer.sent == []
    again = invitations.resend(caller(Level.ADMIN), directory, mailer, made.member.staff.id, NOW,
                               sign_in_url=SIGN_IN_URL)
    assert again.sent is True and len(mailer.to("nora@example.com")) == 1


def test_a_resend_after_the_directory_lost_the_user_makes_it_again_and_sends(logins, mailer):
    # given an invited newcomer whom the directory then forgot (a local stack restarted: a new pool)
    made = invite(logins, mailer, {"email": "tomas@example.com", "level": 5, "staff": {"name": "Tomás"}})
    old_sub = made.member.account.sub
    del logins.users["tomas@example.com"]

    # when the invitation is sent again
    again = invitations.resend(caller(Level.ADMIN), logins, mailer, made.member.staff.id, NOW,
                               sign_in_url=SIGN_IN_URL)

    # then the user exists again, the login follows its new subject, and the new password signs in
    assert again.sent and again.member.account.sub != old_sub
    assert accounts.by_sub(old_sub) is None and accounts.by_sub(again.member.account.sub).staff_id == made.member.staff.id
    challenge = identity.login(logins, "tomas@example.com", temporary_password_in(mailer.to("tomas@example.com")[-1]),
                               NOW)
    assert isinstance(challenge, NewPasswordChallenge)


@pytest.mark.parametrize("locale, subject, greeting", [
    ("es", "Salón Lucía: tu acceso al backoffice de Turno", "Hola, Nora:"),
    ("en", "Salón Lucía: your Turno backoffice login", "Hello Nora,"),
    ("it", "Salón Lucía: il tuo accesso al backoffice di Turno", "Ciao Nora,"),
    ("cs", "Salón Lucía: váš přístup do administrace Turno", "Dobrý den, Nora,"),
    ("et", "Salón Lucía: teie Turno halduskeskkonna konto", "Tere, Nora!"),
])
def test_the_invitation_is_in_the_business_language(backoffice, directory, mailer, store, locale, subject, greeting):
    from dataclasses import replace

    store.save_business(replace(store.catalog(SALON).business, locale=locale))
    invite(directory, mailer, {"email": "nora@example.com", "level": 6, "staff": {"name": "Nora"}})
    [message] = mailer.to("nora@example.com")
    assert message.subject == subject and message.text.startswith(greeting) and greeting in message.html
    assert f'<html lang="{locale}">' in message.html and "{" not in message.text


# -- access levels ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [0, 8, "boss", True, None])
def test_levels_are_one_to_seven(logins, level):
    with pytest.raises(ValidationError) as refused:
        staff_access.change_level(caller(Level.ADMIN), "stf_ana", level, NOW)
    assert refused.value.field == "level"


def test_a_level_change_is_stored_and_audited(logins):
    changed = staff_access.change_level(caller(Level.ADMIN), "stf_ana", "reception_full", NOW)
    assert changed.account.level == 3 and accounts.of_staff(SALON, "stf_ana").level == 3
    [entry], _ = audit.listing(caller(Level.ADMIN))
    assert (entry.action, entry.before, entry.after) == ("access.change", {"level": 5}, {"level": 3})


def test_a_manager_cannot_touch_an_administrator_nor_make_one(logins):
    manager, owner = caller(Level.MANAGER), STAFF[SALON][Level.ADMIN]
    with pytest.raises(ForbiddenError):
        team.update_member(manager, owner, {"name": "X"}, NOW)
    with pytest.raises(ForbiddenError):
        staff_access.change_level(manager, owner, 2, NOW)
    with pytest.raises(ForbiddenError) as refused:
        staff_access.change_level(manager, "stf_ana", 1, NOW)
    assert refused.value.code == "administrators_only"
    assert staff_access.change_level(manager, "stf_ana", 3, NOW).account.level == 3
    with pytest.raises(ForbiddenError):
        staff_access.revoke(manager, logins, owner, NOW)


def test_the_last_administrator_can_neither_step_down_nor_be_removed(logins):
    owner = STAFF[SALON][Level.ADMIN]
    for attempt in (lambda: staff_access.change_level(caller(Level.ADMIN), owner, 2, NOW),
                    lambda: staff_access.revoke(caller(Level.ADMIN), logins, owner, NOW)):
        with pytest.raises(ConflictError) as refused:
            attempt()
        assert refused.value.code == "last_administrator"


def test_a_staff_member_without_a_login_has_no_level_to_change_nor_login_to_take(logins):
    nobody = team.add_member(caller(Level.ADMIN), {"name": "Nadie"}, NOW).staff.id
    with pytest.raises(NotFoundError) as no_level:
        staff_access.change_level(caller(Level.ADMIN), nobody, 3, NOW)
    with pytest.raises(NotFoundError) as no_login:
        staff_access.revoke(caller(Level.ADMIN), logins, nobody, NOW)
    assert no_level.value.code == no_login.value.code == "no_login"


def test_taking_a_login_away_removes_the_directory_user_and_frees_the_email(logins, mailer):
    ana = email_of(Level.PROFESSIONAL)
    left = staff_access.revoke(caller(Level.MANAGER), logins, "stf_ana", NOW)
    assert left.account is None and left.staff.name == "Ana"  # the profile stays
    assert ana not in logins.users and accounts.of_staff(SALON, "stf_ana") is None
    assert invite(logins, mailer, {"email": ana, "level": 5, "staff_id": "stf_ana"}).sent
    entries, _ = audit.listing(caller(Level.ADMIN))
    assert {"access.revoke", "access.invite"} <= {e.action for e in entries}


def test_a_login_whose_directory_user_is_already_gone_is_still_taken_away(logins):
    logins.delete_user(email_of(Level.PROFESSIONAL))  # removed in the directory by hand
    assert staff_access.revoke(caller(Level.ADMIN), logins, "stf_ana", NOW).account is None
    assert accounts.of_staff(SALON, "stf_ana") is None


class RefusingDirectory(FakeDirectory):
    """A directory that refuses every delete in a way nobody planned for (a Cognito error with no mapping)."""

    def delete_user(self, email: str) -> None:
        raise DirectoryError("InternalErrorException")


def test_when_the_directory_fails_to_delete_the_user_the_login_stays_and_the_answer_is_503(backoffice):
    directory = RefusingDirectory()
    for level, staff_id in STAFF[SALON].items():
        identity.provision_login(directory, SALON, staff_id, email_of(level), level, PASSWORD, NOW)
    with pytest.raises(UnavailableError) as refused:
        staff_access.revoke(caller(Level.ADMIN), directory, "stf_ana", NOW)
    assert refused.value.code == "service_unavailable"
    assert accounts.of_staff(SALON, "stf_ana") is not None  # nothing changed: the call can be repeated
    assert "access.revoke" not in {e.action for e in audit.listing(caller(Level.ADMIN))[0]}


def test_a_throttled_directory_makes_taking_a_login_away_a_429(logins):
    logins.throttle(1)
    with pytest.raises(TooManyAttemptsError):
        staff_access.revoke(caller(Level.ADMIN), logins, "stf_ana", NOW)
    assert accounts.of_staff(SALON, "stf_ana") is not None
