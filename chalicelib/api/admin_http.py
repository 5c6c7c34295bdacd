"""AdminApi: the Blueprint of every backoffice route. Each route names one action of the permission
matrix; the caller's Principal is rebuilt from the authorizer's context and checked against that action
here, in one place, before the view runs with the Principal as its first argument."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

from chalice import Response

from ..auth.authorizer import staff as staff_authorizer
from ..auth.permissions import PERMISSIONS, require
from ..domain.principal import Principal
from ..errors import UnauthenticatedError
from .http import Api, error_response


@dataclass(frozen=True)
class AdminRoute:
    path: str
    method: str
    action: str


ADMIN_ROUTES: list[AdminRoute] = []  # every (path, method, action) declared through AdminApi


def principal_of(request: Any) -> Principal:
    """The caller, as the authorizer resolved them; never anything from the request itself."""
    context = ((request.context or {}).get("authorizer") or {}) if request is not None else {}
    try:
        return Principal.from_context(context)
    except (KeyError, ValueError, TypeError):
        raise UnauthenticatedError("sign in first", code="unauthenticated") from None


def unauthenticated(error: UnauthenticatedError) -> Response:
    response = error_response(error)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


class AdminApi(Api):
    """Routes behind the staff authorizer; `action` is required and must be in the matrix."""

    def route(self, path: str, *, action: str, **kwargs: Any) -> Callable:  # type: ignore[override]
        if action not in PERMISSIONS:
            raise KeyError(f"unknown action {action!r}: add it to chalicelib/auth/permissions.py")
        kwargs.setdefault("authorizer", staff_authorizer)
        register = super().route(path, **kwargs)
        methods = kwargs.get("methods") or ["GET"]

        def decorator(view: Callable) -> Callable:
            @functools.wraps(view)
            def checked(*args: Any, **kw: Any) -> Any:
                try:
                    principal = principal_of(self.current_request)
                except UnauthenticatedError as error:
                    return unauthenticated(error)
                require(principal, action)
                return view(principal, *args, **kw)

            checked.turno_action = action  # type: ignore[attr-defined]
            ADMIN_ROUTES.extend(AdminRoute(path, method.upper(), action) for method in methods)
            return register(checked)

        return decorator
