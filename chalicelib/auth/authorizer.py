"""The custom Chalice authorizer in front of every backoffice route.

A Lambda (TOKEN) authorizer on API Gateway; `chalice local` and `chalice.test.Client` run it too, so
the tests go through the same gate: no Authorization header -> 401, any invalid, expired, revoked or
unknown token -> 403 with API Gateway's generic message (nothing says why). Results are never cached
(`ttl_seconds=0`), so a sign-out or a level change applies to the very next request.
"""
from __future__ import annotations

from chalice import AuthResponse, Blueprint

from .. import wiring
from ..config import settings
from ..later import later
from .tokens import InvalidTokenError, verify

identity = later("chalicelib.services.identity")

gate = Blueprint(__name__)


def bearer(header: str | None) -> str:
    scheme, _, token = (header or "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@gate.authorizer(ttl_seconds=0, name="staff")
def staff(auth_request) -> AuthResponse:
    token = bearer(auth_request.token)
    try:
        claims = verify(token, settings())
    except InvalidTokenError:
        return AuthResponse(routes=[], principal_id="anonymous")
    principal = identity.principal_for(wiring.directory(), claims.sub, claims.issued_at, token)
    if principal is None:  # no staff login for this subject, or signed out since the token was issued
        return AuthResponse(routes=[], principal_id="anonymous")
    context = principal.context()
    return AuthResponse(routes=["*"], principal_id=principal.staff_id, context=context)
