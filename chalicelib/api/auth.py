"""Staff sign-in: tokens from the staff directory (Cognito) for the backoffice app. No route here says whether an email exists.

Besides the JSON body, sign-in and refresh set the refresh token as an HttpOnly, SameSite=Strict cookie scoped
to the /auth routes: the backoffice app keeps its tokens in memory only (never in storage or URLs) and stays
signed in across a reload by calling /auth/refresh with no body. No script can read the cookie, no other
site can send it, and only the /auth routes ever receive it."""
from __future__ import annotations

import functools
import time
from typing import Any, Callable
from urllib.parse import urlsplit

from chalice import Response

from .. import wiring
from ..auth.authorizer import bearer, staff as staff_authorizer
from ..auth.tokens import InvalidTokenError, verify
from ..config import settings
from ..errors import UnauthenticatedError
from ..ports import NewPasswordChallenge, Tokens
from ..later import later
from .admin_http import principal_of, unauthenticated
from .http import Api, client_address, cookie, json_body, text

identity = later("chalicelib.services.identity")

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
    return _signed_in(result)


@auth.route("/auth/password/new", methods=["POST"])
@signs_in
def new_password() -> Response:
    body = json_body(auth.current_request, {"email", "session", "new_password"})
    tokens = identity.set_new_password(wiring.directory(), text(body, "email", max_length=254),
                                       text(body, "session", max_length=4096),
                                       text(body, "new_password", max_length=256))
    return _signed_in(tokens)


@auth.route("/auth/refresh", methods=["POST"])
@signs_in
def refresh() -> Response:
    """The refresh token from the body, or else from the app's cookie (a reload of the backoffice app)."""
    request = auth.current_request
    body = json_body(request, {"refresh_token"}) if (request.raw_body or b"").strip() else {}
    given = text(body, "refresh_token", required=False, max_length=4096)
    if given is None:
        given = cookie(request, REFRESH_COOKIE)
        if not given or len(given) > 4096:
            raise UnauthenticatedError("sign in first", code="unauthenticated")
    tokens = identity.refresh(wiring.directory(), given)
    return _signed_in(tokens, refresh_token=given)


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
    return Response(body="", status_code=204, headers={"Set-Cookie": _refresh_cookie(request, "", 0)})


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


REFRESH_COOKIE = "turno_refresh"
REFRESH_COOKIE_DAYS = 30  # Cognito's default refresh token validity
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _signed_in(tokens: Tokens, refresh_token: str | None = None) -> Response:
    """The tokens as JSON, and the refresh token (new, or the one just used) as the app's cookie."""
    response = Response(body=_tokens_json(tokens), status_code=200)
    kept = tokens.refresh_token or refresh_token
    if kept:
        response.headers["Set-Cookie"] = _refresh_cookie(auth.current_request, kept, REFRESH_COOKIE_DAYS * 86400)
    return response


def _refresh_cookie(request: Any, value: str, max_age: int) -> str:
    """HttpOnly and SameSite=Strict always; Secure except on a loopback host (`make dev` serves plain HTTP).
    Its path is /auth under whatever prefix the API is served at (a stage name behind API Gateway)."""
    context = request.context or {}
    path, route = context.get("path") or "", context.get("resourcePath") or ""
    prefix = path[: -len(route)] if route and path.endswith(route) else ""
    try:
        loopback = urlsplit("//" + ((request.headers or {}).get("host") or "")).hostname in LOOPBACK
    except ValueError:  # a malformed Host header is no loopback
        loopback = False
    parts = [f"{REFRESH_COOKIE}={value}", f"Path={prefix.rstrip('/')}/auth", f"Max-Age={max_age}", "HttpOnly",
             "SameSite=Strict"]
    if not loopback:
        parts.append("Secure")
    return "; ".join(parts)


def _tokens_json(tokens: Tokens) -> dict:
    body = {"access_token": tokens.access_token, "id_token": tokens.id_token, "token_type": "Bearer",
            "expires_in": tokens.expires_in}
    if tokens.refresh_token:
        body["refresh_token"] = tokens.refresh_token
    return body
