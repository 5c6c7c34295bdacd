"""The staff directory on Amazon Cognito: one user pool, usernames are emails, one app client
(USER_PASSWORD_AUTH and refresh tokens, no secret). Cognito sends no messages of its own here:
users are created with MessageAction SUPPRESS and Turno sends the invitation (services/invitations.py)."""
from __future__ import annotations

from typing import Any, Callable

import jwt
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from ..ports import (
    DirectoryError, NewPasswordChallenge, NotAuthorizedError, ThrottledError, Tokens, UserExistsError,
    UserNotFoundError, WeakPasswordError,
)

THROTTLED = {"TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"}


class CognitoDirectory:
    """`client` makes (or returns the cached) boto3 cognito-idp client: nothing is created until used."""

    def __init__(self, client: Callable[[], Any], user_pool_id: str, client_id: str) -> None:
        self._client, self.user_pool_id, self.client_id = client, user_pool_id, client_id

    # -- the app client's flows: any refusal is NotAuthorizedError, unknown users included ---------------
    def sign_in(self, email: str, password: str) -> Tokens | NewPasswordChallenge:
        with _translated(sign_in_flow=True):
            result = self._client().initiate_auth(ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                  AuthParameters={"USERNAME": email, "PASSWORD": password})
        if result.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
            return NewPasswordChallenge(session=result["Session"])
        return _tokens(result)

    def set_new_password(self, email: str, session: str, new_password: str) -> Tokens:
        with _translated(sign_in_flow=True, sets_password=True):
            result = self._client().respond_to_auth_challenge(
                ClientId=self.client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=session,
                ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": new_password})
        return _tokens(result)

    def refresh(self, refresh_token: str) -> Tokens:
        with _translated(sign_in_flow=True):
            result = self._client().initiate_auth(ClientId=self.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                                  AuthParameters={"REFRESH_TOKEN": refresh_token})
        return _tokens(result)

    def forgot_password(self, email: str) -> None:
        with _translated(sign_in_flow=True):
            self._client().forgot_password(ClientId=self.client_id, Username=email)

    def confirm_password(self, email: str, code: str, new_password: str) -> None:
        with _translated(sign_in_flow=True, sets_password=True):
            self._client().confirm_forgot_password(ClientId=self.client_id, Username=email,
                                                   ConfirmationCode=code, Password=new_password)

    def accepts(self, access_token: str) -> bool:
        """GetUser refuses a revoked access token (the signature and expiry may still look fine)."""
        try:
            self._client().get_user(AccessToken=access_token)
        except (ClientError, ParamValidationError):
            return False
        return True

    # -- administrator calls on the pool (each one needs its IAM grant) --------------------------------
    def create_user(self, email: str, temporary_password: str | None = None) -> str:
        with _translated():
            created = self._client().admin_create_user(
                UserPoolId=self.user_pool_id, Username=email, MessageAction="SUPPRESS",
                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
                **({"TemporaryPassword": temporary_password} if temporary_password else {}))
        return next(a["Value"] for a in created["User"].get("Attributes", ()) if a["Name"] == "sub")

    def set_password(self, email: str, password: str, *, permanent: bool) -> None:
        with _translated(sets_password=True):
            self._client().admin_set_user_password(UserPoolId=self.user_pool_id, Username=email,
                                                   Password=password, Permanent=permanent)

    def must_change_password(self, email: str) -> bool:
        with _translated():
            user = self._client().admin_get_user(UserPoolId=self.user_pool_id, Username=email)
        return user.get("UserStatus") == "FORCE_CHANGE_PASSWORD"

    def delete_user(self, email: str) -> None:
        with _translated():
            self._client().admin_delete_user(UserPoolId=self.user_pool_id, Username=email)

    def sign_out_everywhere(self, email: str) -> None:
        """AdminUserGlobalSignOut (by pool and username) rather than GlobalSignOut (by token): the same
        effect, and moto's server routes it to the right pool, where its token-only call finds none."""
        with _translated():
            self._client().admin_user_global_sign_out(UserPoolId=self.user_pool_id, Username=email)


def _tokens(result: dict) -> Tokens:
    auth = result.get("AuthenticationResult") or {}
    if not auth.get("AccessToken"):  # another challenge (MFA...), which this pool does not set up
        raise NotAuthorizedError("no tokens in the directory's answer")
    return Tokens(access_token=auth["AccessToken"], id_token=auth.get("IdToken", ""),
                  refresh_token=auth.get("RefreshToken"), expires_in=int(auth.get("ExpiresIn", 3600)),
                  subject=_subject(auth["AccessToken"]))


def _subject(access_token: str) -> str:
    """The `sub` claim of a token Cognito's endpoint has just handed us over TLS: read, not verified here
    (chalicelib/auth/ verifies every token a request shows)."""
    try:
        claims = jwt.decode(access_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise NotAuthorizedError("the directory's access token cannot be read") from None
    if not claims.get("sub"):
        raise NotAuthorizedError("the directory's access token names no subject")
    return str(claims["sub"])


class _translated:
    """Cognito's error codes -> the port's errors. In the sign-in flows every refusal that is not
    throttling (or a weak new password) is NotAuthorizedError, so nothing tells whether an email exists."""

    def __init__(self, *, sign_in_flow: bool = False, sets_password: bool = False) -> None:
        self.sign_in_flow, self.sets_password = sign_in_flow, sets_password

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None or not isinstance(error, (ClientError, BotoCoreError)):
            return False
        if isinstance(error, ParamValidationError):  # refused by botocore before sending (a too-short session...)
            raise (NotAuthorizedError if self.sign_in_flow else DirectoryError)(str(error)) from None
        if not isinstance(error, ClientError):
            raise DirectoryError(str(error)) from error
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        if code in THROTTLED or (code == "NotAuthorizedException" and "attempts exceeded" in message.lower()):
            raise ThrottledError(message) from None
        if self.sets_password and code in ("InvalidPasswordException", "InvalidParameterException"):
            raise WeakPasswordError(message) from None
        if self.sign_in_flow:
            raise NotAuthorizedError(f"{code}: {message}") from None
        if code == "UsernameExistsException":
            raise UserExistsError(message) from None
        if code == "UserNotFoundException":
            raise UserNotFoundError(message) from None
        raise DirectoryError(f"{code}: {message}") from error
