"""Staff sign-in: tokens from the staff directory (Cognito) for the backoffice app. No route here says whether an email exists."""
from __future__ import annotations

import functools
import time
from typing import Any, Callable

from chalice import Response

from .. import wiring
from ..auth.authorizer import bearer, staff as staff_authorizer
from ..auth.tokens import InvalidTokenError, verify
from ..config import settings
from ..errors import UnauthenticatedError
from ..ports import NewPasswordChallenge, Tokens
from ..services import identity
from .admin_http import principal_of, unauthenticated
from .http import Api, client_address, json_body, text

auth = Api(__name__)


def signs_in(view: Callable) -> Callable:
    """Answer UnauthenticatedError with 401 (the shared error mapping has no 401)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kw: Any) -> Any:
        try:
            return view(*args, **kw)
        except UnauthenticatedError as error:
            return unauthenticated(error)

    return wrapped


@auth.route("/auth/login", methods=["POST"])
@signs_in
def login() -> Response:
    body = json_body(auth.current_request, {"email", "password"})
    result = identity.login(wiring.directory(), text(body, "email", max_length=254),
                            text(body, "password", max_length=256), wiring.now(),
                            address=client_address(auth.current_request))
    if isinstance(result, NewPasswordChallenge):
        return Response(body={"challenge": "new_password_required", "session": result.session,
                              "next": "/auth/password/new"}, status_code=200)
    return Response(body=_tokens_json(result), status_code=200)


@auth.route("/auth/password/new", methods=["POST"])
@signs_in
def new_password() -> Response:
    body = json_body(auth.current_request, {"email", "session", "new_password"})
    tokens = identity.set_new_password(wiring.directory(), text(body, "email", max_length=254),
                                       text(body, "session", max_length=4096),
                                       text(body, "new_password", max_length=256))
    return Response(body=_tokens_json(tokens), status_code=200)


@auth.route("/auth/refresh", methods=["POST"])
@signs_in
def refresh() -> Response:
    body = json_body(auth.current_request, {"refresh_token"})
    tokens = identity.refresh(wiring.directory(), text(body, "refresh_token", max_length=4096))
    return Response(body=_tokens_json(tokens), status_code=200)


@auth.route("/auth/logout", methods=["POST"], authorizer=staff_authorizer)
@signs_in
def logout() -> Response:
    """Ends every session of this login (global sign-out); the token used here stops working too."""
    request = auth.current_request
    principal = principal_of(request)  # the authorizer let a live session through
    token = bearer((request.headers or {}).get("authorization"))
    try:
        sub = verify(token, settings()).sub
    except InvalidTokenError:
        raise UnauthenticatedError("sign in first") from None
    identity.logout(wiring.directory(), sub, principal.email, time.time())
    return Response(body="", status_code=204)


@auth.route("/auth/password/forgot", methods=["POST"])
def forgot_password() -> Response:
    body = json_body(auth.current_request, {"email"})
    identity.forgot_password(wiring.directory(), text(body, "email", max_length=254))
    return Response(body={"status": "if this email has a login, a code is on its way"}, status_code=202)


@auth.route("/auth/password/confirm", methods=["POST"])
def confirm_password() -> Response:
    body = json_body(auth.current_request, {"email", "code", "new_password"})
    identity.confirm_password(wiring.directory(), text(body, "email", max_length=254),
                              text(body, "code", max_length=64), text(body, "new_password", max_length=256))
    return Response(body="", status_code=204)


def _tokens_json(tokens: Tokens) -> dict:
    body = {"access_token": tokens.access_token, "id_token": tokens.id_token, "token_type": "Bearer",
            "expires_in": tokens.expires_in}
    if tokens.refresh_token:
        body["refresh_token"] = tokens.refresh_token
    return body
