"""What every route shares: the JSON error contract, body and query parsing, the caller's address."""
from __future__ import annotations

import functools
import json
from typing import Any, Callable, Collection

from chalice import Blueprint, Response

from .. import observability
from ..config import settings
from ..domain.fields import checked_date, checked_instant, checked_text, reject_unknown
from ..errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    PayloadTooLargeError,
    TooManyAttemptsError,
    UnavailableError,
    TurnoError,
    UnprocessableError,
    ValidationError,
)

STATUS = {
    UnprocessableError: 422,
    ValidationError: 400,
    ForbiddenError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    PayloadTooLargeError: 413,
    TooManyAttemptsError: 429,
    UnavailableError: 503,
}
UNPROCESSABLE = {"idempotency_key_reused"}


def error_response(error: TurnoError) -> Response:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    if error.code in UNPROCESSABLE:
        status = 422
    if status == 409:
        observability.answered_conflict(error.code)
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.field:
        body["field"] = error.field
    body.update(getattr(error, "details", None) or {})  # e.g. the appointments a 409 names
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttemptsError) else {}
    return Response(body={"error": body}, status_code=status, headers=headers)


# Chalice's own error bodies ({"Code": ..., "Message": ...}) -> our codes. Chalice answers these itself:
# a method the path does not have, a body not declared as JSON, a view that raised something unexpected.
CHALICE_CODES = {
    "MethodNotAllowedError": ("method_not_allowed", "this address does not take this method"),
    "UnsupportedMediaType": ("unsupported_media_type", "send the body as application/json"),
    "InternalServerError": ("internal_error", "something went wrong on our side; please try again"),
    "BadRequest": ("bad_request", "the request was refused"),
    "BadRequestError": ("bad_request", "the request was refused"),
    "NotFoundError": ("not_found", "there is nothing at this address"),
}
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def error_shape(request: Any, get_response: Callable[[Any], Any]) -> Any:
    """HTTP middleware: the one error shape for what Chalice answers itself, and 415 for a body sent with no
    Content-Type (Chalice would take it as JSON). Chalice's messages are replaced by fixed text: one of
    them quotes the request's media type, none may quote a header."""
    if request.method in BODY_METHODS and request.raw_body and "content-type" not in request.headers:
        return _error(415, *CHALICE_CODES["UnsupportedMediaType"])
    response = get_response(request)
    body = response.body
    if isinstance(body, dict) and set(body) == {"Code", "Message"}:
        code, message = CHALICE_CODES.get(body["Code"], ("internal_error", CHALICE_CODES["InternalServerError"][1])
                                          if response.status_code >= 500 else ("bad_request", "the request was refused"))
        return _error(response.status_code, code, message, response.headers)
    return response


def _error(status: int, code: str, message: str, headers: dict | None = None) -> Response:
    headers = {k: v for k, v in (headers or {}).items() if k.lower() != "content-type"}
    return Response(body={"error": {"code": code, "message": message}}, status_code=status, headers=headers)


class Api(Blueprint):
    """A Blueprint whose routes answer every domain error with the JSON error contract."""

    def route(self, path: str, **kwargs: Any) -> Callable:
        register = super().route(path, **kwargs)

        def decorator(view: Callable) -> Callable:
            @functools.wraps(view)
            def guarded(*args: Any, **kw: Any) -> Any:
                try:
                    return view(*args, **kw)
                except TurnoError as error:
                    return error_response(error)

            return register(guarded)

        return decorator


BY_USE_CASE = None
"""`json_body(request, BY_USE_CASE)`: the use case given the whole body refuses the fields it does not know
(with `fields.reject_unknown`, the same rule and error)."""


def json_body(request: Any, known: Collection[str] | None) -> dict:
    """The request's JSON object, or a 400/413 that names what is wrong.

    Every route names the fields it `known`s (or hands the body to a use case that checks them, BY_USE_CASE):
    a field nobody reads is refused, 400 `unknown_field`, never ignored - a typo must not book something else.
    """
    raw = request.raw_body or b""
    if len(raw) > settings().max_body_bytes:
        raise PayloadTooLargeError(f"the body may be at most {settings().max_body_bytes} bytes")
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested thousands deep
        raise ValidationError("the body is not valid JSON", code="malformed_json") from None
    if not isinstance(body, dict):
        raise ValidationError("the body must be a JSON object", code="malformed_json")
    if known is not BY_USE_CASE:
        reject_unknown(body, set(known))
    return body


def text(data: dict, name: str, *, prefix: str = "", required: bool = True, max_length: int = 200,
         multiline: bool = False) -> str | None:
    return checked_text(data.get(name), f"{prefix}{name}", max_length, required=required, multiline=multiline)


def query(request: Any, name: str, *, required: bool = True) -> str | None:
    value = (request.query_params or {}).get(name)
    if required and not value:
        raise ValidationError("this query parameter is required", field=name, code="required")
    return value


def page_limit(request: Any, default: int | None = None) -> int | None:
    """`?limit=`, how many a page holds: a whole number, or `default` when absent (each use case checks its
    own range)."""
    value = query(request, "limit", required=False)
    if value is not None and not (value.isascii() and value.isdigit()):
        raise ValidationError("a whole number", field="limit", code="invalid_number")
    return int(value) if value else default


parse_date = checked_date
parse_instant = checked_instant


def client_address(request: Any) -> str:
    return ((request.context or {}).get("identity") or {}).get("sourceIp") or "unknown"


def cookie(request: Any, name: str) -> str | None:
    """One cookie's value from the request's Cookie header."""
    for part in ((request.headers or {}).get("cookie") or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None
