"""Staff sign-in through the staff directory (Cognito), and who a verified access token belongs to.

The directory holds passwords and issues tokens; our table holds who a login is (business, staff member,
access level) and when it last signed out everywhere. The directory is a port (chalicelib/ports.py):
Cognito on AWS, a fake in tests.
"""
from __future__ import annotations

import math
from datetime import datetime

from ..domain.contact import normal_email
from ..domain.principal import Level, Principal
from ..errors import TooManyAttemptsError, UnauthenticatedError, ValidationError
from ..ports import (
    Directory, NewPasswordChallenge, NotAuthorizedError, ThrottledError, Tokens, WeakPasswordError,
)
from ..repositories import accounts

LOGIN_WINDOW_SECONDS = 15 * 60
# Failed sign-ins in the window. From one address for one email: then that address waits (429) until its
# failures leave the window. For one email from everywhere (many addresses guessing): then only addresses
# that have not failed for it may still try, so whoever knows a colleague's address cannot lock them out.
MAX_FAILED_LOGINS = 5
MAX_FAILED_LOGINS_PER_EMAIL = 20
WRONG = "the email or the password is not right"
WEAK = ("the new password is too weak: use at least 12 characters with upper and lower case letters, a digit "
        "and a symbol")


def principal_for(directory: Directory, subject: str, issued_at: int, access_token: str) -> Principal | None:
    """The Principal behind an access token the authorizer has verified (`subject`, `issued_at` are its
    claims), or None when it must be refused: no staff login for it, or signed out since.

    One GetItem per request (the login keyed by the token's subject). After a global sign-out, tokens
    issued in an earlier second are refused from our table alone; for a token issued in the very second
    of the sign-out, the `iat` claim cannot tell, so the directory itself is asked (it refuses revoked tokens).
    """
    account = accounts.by_sub(subject)
    if account is None:
        return None
    if account.signed_out_at is not None:
        signed_out_second = math.floor(account.signed_out_at)
        if issued_at < signed_out_second:
            return None
        if issued_at == signed_out_second and not directory.accepts(access_token):
            return None
    return Principal(business_id=account.business_id, staff_id=account.staff_id, level=Level(account.level),
                     email=account.email)


def login(directory: Directory, email: str, password: str, now: datetime,
          address: str = "unknown") -> Tokens | NewPasswordChallenge:
    """Sign in with email and password from a network address. Every failure looks the same to the caller,
    whether the email exists or not. Five failures for one email from one address in 15 minutes make that
    address wait (429); twenty for one email from anywhere make every address that has failed wait. The
    right password from an address that has not failed is never refused."""
    email = _email(email)
    at = now.timestamp()
    since = at - LOGIN_WINDOW_SECONDS
    mine = accounts.recent_failures(email, since, address=address)
    everyone = accounts.recent_failures(email, since)
    if len(mine) >= MAX_FAILED_LOGINS:
        raise _locked(min(mine) + LOGIN_WINDOW_SECONDS - at)
    if mine and len(everyone) >= MAX_FAILED_LOGINS_PER_EMAIL:
        # free again when this address's failures have left the window, or when the email is under its ceiling
        below_ceiling = sorted(everyone)[len(everyone) - MAX_FAILED_LOGINS_PER_EMAIL]
        raise _locked(min(max(mine), below_ceiling) + LOGIN_WINDOW_SECONDS - at)
    try:
        result = directory.sign_in(email, password)
    except ThrottledError:
        raise _too_many() from None
    except NotAuthorizedError:
        accounts.save_failures(email, mine + [at], LOGIN_WINDOW_SECONDS, address=address)
        # The newest ones are all the ceiling needs: the item stays small under a wide attack.
        accounts.save_failures(email, sorted(everyone + [at])[-MAX_FAILED_LOGINS_PER_EMAIL:], LOGIN_WINDOW_SECONDS)
        raise UnauthenticatedError(WRONG, code="invalid_credentials") from None
    if isinstance(result, NewPasswordChallenge):
        return result
    _check_has_login(result)
    if mine:
        accounts.clear_failures(email, address=address)
    return result


def _locked(seconds: float) -> TooManyAttemptsError:
    return TooManyAttemptsError("too many failed sign-ins; try again later", retry_after=int(seconds) + 1)


def set_new_password(directory: Directory, email: str, session: str, new_password: str) -> Tokens:
    """Answer the first sign-in's new-password challenge; returns the session's tokens."""
    email = _email(email)
    try:
        tokens = directory.set_new_password(email, session, new_password)
    except ThrottledError:
        raise _too_many() from None
    except WeakPasswordError:
        raise ValidationError(WEAK, field="new_password", code="weak_password") from None
    except NotAuthorizedError:
        raise UnauthenticatedError("the sign-in session is not valid any more; sign in again",
                                   code="invalid_session") from None
    _check_has_login(tokens)
    return tokens


def refresh(directory: Directory, refresh_token: str) -> Tokens:
    try:
        tokens = directory.refresh(refresh_token)
    except ThrottledError:
        raise _too_many() from None
    except NotAuthorizedError:
        raise UnauthenticatedError("the session has ended; sign in again", code="session_ended") from None
    _check_has_login(tokens)
    return tokens


def logout(directory: Directory, principal_sub: str, username: str, at: float) -> None:
    """Global sign-out: the directory revokes every refresh token of this login, and our marker stops the
    access tokens already handed out (they would otherwise stay valid until they expire)."""
    accounts.mark_signed_out(principal_sub, at)
    directory.sign_out_everywhere(username)


def forgot_password(directory: Directory, email: str) -> None:
    """The directory emails a code. Unknown emails are answered exactly like known ones."""
    email = _email(email)
    try:
        directory.forgot_password(email)
    except ThrottledError:
        raise _too_many() from None
    except NotAuthorizedError:
        pass  # an unknown user, or any other refusal: must not be told apart


def confirm_password(directory: Directory, email: str, code: str, new_password: str) -> None:
    email = _email(email)
    try:
        directory.confirm_password(email, code, new_password)
    except ThrottledError:
        raise _too_many() from None
    except WeakPasswordError:
        raise ValidationError(WEAK, field="new_password", code="weak_password") from None
    except NotAuthorizedError:
        raise ValidationError("the code is not valid or has expired", field="code", code="invalid_code") from None


def provision_login(directory: Directory, business_id: str, staff_id: str, email: str, level: Level,
                    password: str, now: datetime, *, temporary: bool = False, replace: bool = False) -> str:
    """A login for the local demo and tests (invitations are the product's way: services/invitations.py):
    a permanent password, or with `temporary` one that must be changed at first sign-in; `replace` takes
    the staff member's login over from an older directory user. Returns the directory's subject."""
    email = _email(email)
    sub = directory.create_user(email, temporary_password=password if temporary else None)
    if not temporary:
        directory.set_password(email, password, permanent=True)
    account = accounts.Account(sub=sub, business_id=business_id, staff_id=staff_id, email=email, level=int(level))
    if replace:
        accounts.replace_login(account, now)
    else:
        accounts.create(account, now, extra=[], audit=None)
    return sub


# -- helpers --------------------------------------------------------------------------------------
def _email(value: str) -> str:
    return normal_email(value, field="email")


def _too_many() -> TooManyAttemptsError:
    """The directory's own throttling and lockout ("Password attempts exceeded") become our 429."""
    return TooManyAttemptsError("too many attempts; try again later", retry_after=60)


def _check_has_login(tokens: Tokens) -> None:
    """A directory user whose staff login was removed must not get a session that looks valid."""
    if accounts.by_sub(tokens.subject) is None:
        raise UnauthenticatedError(WRONG, code="invalid_credentials")
