"""What API Gateway's gateway responses do in the deployed stack, for Chalice's local gateway.

`chalice local` (`make dev`) and `chalice.test.Client` answer the gateway's own errors (no token, a bad
token, an unknown path) with API Gateway's default bodies, one of which quotes the Authorization header.
`shape_gateway_errors()` gives them the bodies and statuses of infra/turno_infra/gateway_responses.py,
the table the CDK stack deploys, so every stack answers the same `{"error": {...}}`.
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from chalice import local

_TABLE = Path(__file__).resolve().parents[1] / "turno_infra" / "gateway_responses.py"
_spec = importlib.util.spec_from_file_location("turno_gateway_responses", _TABLE)
responses = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(responses)

# Chalice's local error (class, x-amzn-ErrorType) -> API Gateway's response type.
RESPONSE_TYPES = {
    (local.NotAuthorizedError, "UnauthorizedException"): "UNAUTHORIZED",
    (local.ForbiddenError, "AccessDeniedException"): "ACCESS_DENIED",
    (local.ForbiddenError, "UnauthorizedException"): "MISSING_AUTHENTICATION_TOKEN",  # no route, either way
    (local.InvalidAuthorizerError, "AuthorizerConfigurationException"): "DEFAULT_5XX",
}


def shaped(error: local.LocalGatewayException) -> local.LocalGatewayException:
    """`error` with the deployed stack's status and body (its request id kept, nothing else of it)."""
    kind = (type(error), error.headers.get("x-amzn-ErrorType"))
    response_type = RESPONSE_TYPES.get(kind, "DEFAULT_5XX" if error.CODE >= 500 else "DEFAULT_4XX")
    status = responses.RESPONSES[response_type][0]
    if response_type in responses.KEEP_STATUS:
        status = error.CODE
    headers = {"x-amzn-RequestId": error.headers.get("x-amzn-RequestId", ""),
               "x-amzn-ErrorType": error.headers.get("x-amzn-ErrorType", ""),
               "Content-Type": "application/json"}
    reshaped = type(error)(headers, responses.body(response_type).encode())
    reshaped.CODE = status  # the instance's status; the local server and the test client read `error.CODE`
    return reshaped


def shape_gateway_errors() -> None:
    """Make Chalice's local gateway answer its own errors as the deployed API Gateway does (idempotent)."""
    handle = local.LocalGateway.handle_request
    if getattr(handle, "shaped", False):
        return

    @functools.wraps(handle)
    def handle_request(self, *args, **kwargs):
        try:
            return handle(self, *args, **kwargs)
        except local.LocalGatewayException as error:
            raise shaped(error) from None

    handle_request.shaped = True
    local.LocalGateway.handle_request = handle_request
