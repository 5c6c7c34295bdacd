"""Staff sign-in through Cognito, and turning a verified access token into a Principal.

Cognito holds passwords and issues tokens; our table holds who a login is (business, staff member,
access level) and when it last signed out everywhere.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from ..domain.principal import Level, Principal
from ..auth.tokens import InvalidTokenError, verify_access_token
from ..config import Settings
from ..domain.contact import normal_email
from ..errors import TooManyAttemptsError, UnauthenticatedError, ValidationError
from ..repositories import accounts

LOGIN_WINDOW_SECONDS = 15 * 60
MAX_FAILED_LOGINS = 5  # per email in the window; then 429 until the oldest failure leaves it
WRONG = "the email or the password is not right"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class NewPasswordChallenge:
    """First sign-in with a temporary password: the caller must choose a new one with this session."""

    session: str


def principal_for_token(cognito: Any, settings: Settings, token: str) -> Principal:
    """The Principal behind a bearer access token, or InvalidTokenError for any reason at all.

    One GetItem per request (the login keyed by the token's subject). After a global sign-out, tokens
    issued in an earlier second are refused from our table alone; for a token issued in the very second
    of the sign-out, the `iat` claim cannot tell, so Cognito itself is asked (GetUser refuses revoked tokens).
    """
    claims = verify_access_token(token, keys_url=settings.token_keys_url, issuer=settings.token_issuer,
                                 client_id=settings.user_pool_client_id)
    account = accounts.by_sub(claims.sub)
    if account is None:
        raise InvalidTokenError("no staff login for this subject")
    if account.signed_out_at is not None:
        signed_out_second = math.floor(account.signed_out_at)
        if claims.issued_at < signed_out_second:
            raise InvalidTokenError("signed out")
        if claims.issued_at == signed_out_second:
            try:
                cognito.get_user(AccessToken=token)
            except ClientError:
                raise InvalidTokenError("signed out") from None
    return Principal(business_id=account.business_id, staff_id=account.staff_id, level=Level(account.level),
                     email=account.email)


def login(cognito: Any, settings: Settings, email: str, password: str, now: datetime) -> Tokens | NewPasswordChallenge:
    """Sign in with email and password. Every failure looks the same to the caller, whether the email
    exists or not; five failures for one email in 15 minutes answer 429 until the window passes."""
    email = _email(email)
    at = now.timestamp()
    recent = accounts.recent_failures(email, at - LOGIN_WINDOW_SECONDS)
    if len(recent) >= MAX_FAILED_LOGINS:
        retry = int(min(recent) + LOGIN_WINDOW_SECONDS - at) + 1
        raise TooManyAttemptsError("too many failed sign-ins; try again later", retry_after=retry)
    try:
        result = cognito.initiate_auth(ClientId=settings.user_pool_client_id, AuthFlow="USER_PASSWORD_AUTH",
                                       AuthParameters={"USERNAME": email, "PASSWORD": password})
    except (ClientError, ParamValidationError) as error:
        _cognito_limits(error)
        accounts.save_failures(email, recent + [at], LOGIN_WINDOW_SECONDS)
        raise UnauthenticatedError(WRONG, code="invalid_credentials") from None
    if result.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
        return NewPasswordChallenge(session=result["Session"])
    tokens = _tokens(result)
    _check_has_login(settings, tokens)
    if recent:
        accounts.clear_failures(email)
    return tokens


def set_new_password(cognito: Any, settings: Settings, email: str, session: str, new_password: str) -> Tokens:
    """Answer the first sign-in's NEW_PASSWORD_REQUIRED challenge; returns the session's tokens."""
    email = _email(email)
    try:
        result = cognito.respond_to_auth_challenge(
            ClientId=settings.user_pool_client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=session,
            ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": new_password})
    except (ClientError, ParamValidationError) as error:
        _cognito_limits(error)
        _password_policy(error)
        raise UnauthenticatedError("the sign-in session is not valid any more; sign in again",
                                   code="invalid_session") from None
    tokens = _tokens(result)
    _check_has_login(settings, tokens)
    return tokens


def refresh(cognito: Any, settings: Settings, refresh_token: str) -> Tokens:
    try:
        result = cognito.initiate_auth(ClientId=settings.user_pool_client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                       AuthParameters={"REFRESH_TOKEN": refresh_token})
    except (ClientError, ParamValidationError) as error:
        _cognito_limits(error)
        raise UnauthenticatedError("the session has ended; sign in again", code="session_ended") from None
    tokens = _tokens(result)
    _check_has_login(settings, tokens)
    return tokens


def logout(cognito: Any, settings: Settings, principal_sub: str, username: str, at: float) -> None:
    """Global sign-out: Cognito revokes every refresh token of this login, and our marker stops the access
    tokens already handed out (they would otherwise stay valid until they expire).

    AdminUserGlobalSignOut (by pool and username) rather than GlobalSignOut (by token): the same effect,
    and moto's server routes it to the right pool, where its token-only GlobalSignOut finds none.
    """
    accounts.mark_signed_out(principal_sub, at)
    cognito.admin_user_global_sign_out(UserPoolId=settings.user_pool_id, Username=username)


def forgot_password(cognito: Any, settings: Settings, email: str) -> None:
    """Cognito emails a code. Unknown emails are answered exactly like known ones."""
    email = _email(email)
    try:
        cognito.forgot_password(ClientId=settings.user_pool_client_id, Username=email)
    except (ClientError, ParamValidationError) as error:
        _cognito_limits(error)  # anything else (unknown user, ...) must not be told apart


def confirm_password(cognito: Any, settings: Settings, email: str, code: str, new_password: str) -> None:
    email = _email(email)
    try:
        cognito.confirm_forgot_password(ClientId=settings.user_pool_client_id, Username=email,
                                        ConfirmationCode=code, Password=new_password)
    except (ClientError, ParamValidationError) as error:
        _cognito_limits(error)
        _password_policy(error)
        raise ValidationError("the code is not valid or has expired", field="code", code="invalid_code") from None


def sub_of(settings: Settings, access_token: str) -> str:
    claims = verify_access_token(access_token, keys_url=settings.token_keys_url, issuer=settings.token_issuer,
                                 client_id=settings.user_pool_client_id)
    return claims.sub


# -- helpers --------------------------------------------------------------------------------------
def _email(value: str) -> str:
    return normal_email(value, field="email")


def _code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def _cognito_limits(error: ClientError | ParamValidationError) -> None:
    """Cognito's own throttling and lockout ("Password attempts exceeded") become our 429."""
    if not isinstance(error, ClientError):
        return  # input botocore refused before sending (a too-short session...): the caller's usual failure
    code, message = _code(error), error.response.get("Error", {}).get("Message", "")
    if code in ("TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException") or (
            code == "NotAuthorizedException" and "attempts exceeded" in message.lower()):
        raise TooManyAttemptsError("too many attempts; try again later", retry_after=60) from None


def _password_policy(error: ClientError | ParamValidationError) -> None:
    if not isinstance(error, ClientError):
        return
    if _code(error) in ("InvalidPasswordException", "InvalidParameterException"):
        raise ValidationError("the new password is too weak: use at least 12 characters with upper and lower "
                              "case letters, a digit and a symbol", field="new_password",
                              code="weak_password") from None


def _tokens(result: dict) -> Tokens:
    auth = result.get("AuthenticationResult") or {}
    if not auth.get("AccessToken"):
        raise UnauthenticatedError(WRONG, code="invalid_credentials")
    return Tokens(access_token=auth["AccessToken"], id_token=auth.get("IdToken", ""),
                  refresh_token=auth.get("RefreshToken"), expires_in=int(auth.get("ExpiresIn", 3600)))


def _check_has_login(settings: Settings, tokens: Tokens) -> None:
    """A Cognito user whose staff login was removed must not get a session that looks valid."""
    try:
        sub = sub_of(settings, tokens.access_token)
    except InvalidTokenError:
        raise UnauthenticatedError(WRONG, code="invalid_credentials") from None
    if accounts.by_sub(sub) is None:
        raise UnauthenticatedError(WRONG, code="invalid_credentials")


def provision_login(cognito: Any, settings: Settings, business_id: str, staff_id: str, email: str, level: Level,
                    password: str, now: datetime, *, temporary: bool = False, replace: bool = False) -> str:
    """A login for the local demo and tests (invitations are the product's way: services/admin.py):
    a permanent password, or with `temporary` one that must be changed at first sign-in; `replace` takes
    the staff member's login over from an older Cognito user. Returns the Cognito subject."""
    email = _email(email)
    created = cognito.admin_create_user(
        UserPoolId=settings.user_pool_id, Username=email, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        **({"TemporaryPassword": password} if temporary else {}))
    if not temporary:
        cognito.admin_set_user_password(UserPoolId=settings.user_pool_id, Username=email, Password=password,
                                        Permanent=True)
    sub = _sub_attribute(created["User"])
    account = accounts.Account(sub=sub, business_id=business_id, staff_id=staff_id, email=email, level=int(level))
    if replace:
        accounts.replace_login(account, now)
    else:
        accounts.create(account, now, extra=[], audit=None)
    return sub


def _sub_attribute(user: dict) -> str:
    return next(a["Value"] for a in user.get("Attributes", ()) if a["Name"] == "sub")
