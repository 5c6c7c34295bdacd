"""The error bodies API Gateway answers itself (before or instead of the app), in the app's one error shape.

Stdlib only: the CDK stack puts them in the API's definition (`swagger_extension`), and the local stack
(`make dev`) and the tests put the same bodies on what Chalice's local gateway answers
(infra/local/gateway.py), so `{"error": {"code", "message"}}` holds everywhere. Messages are fixed text:
no template variable, so no answer can echo a header, a token or the request.
"""
from __future__ import annotations

import json

# API Gateway response type -> (status, code, message). An unknown path, and a method the API does not
# have, are MISSING_AUTHENTICATION_TOKEN to API Gateway (its 403 "Missing Authentication Token"): 404.
# A request to an unknown path with an Authorization header is INVALID_SIGNATURE (API Gateway's message
# quotes the header): 404 too, with a fixed message.
RESPONSES: dict[str, tuple[int, str, str]] = {
    "DEFAULT_4XX": (400, "bad_request", "the request was refused"),
    "DEFAULT_5XX": (500, "internal_error", "something went wrong on our side; please try again"),
    "UNAUTHORIZED": (401, "unauthenticated", "sign in first"),
    "ACCESS_DENIED": (403, "invalid_token", "the sign-in is not valid (any more): sign in again"),
    "EXPIRED_TOKEN": (403, "invalid_token", "the sign-in is not valid (any more): sign in again"),
    "MISSING_AUTHENTICATION_TOKEN": (404, "not_found", "there is nothing at this address"),
    "INVALID_SIGNATURE": (404, "not_found", "there is nothing at this address"),
    "RESOURCE_NOT_FOUND": (404, "not_found", "there is nothing at this address"),
    "UNSUPPORTED_MEDIA_TYPE": (415, "unsupported_media_type", "send the body as application/json"),
    "REQUEST_TOO_LARGE": (413, "payload_too_large", "the request is too large"),
    "THROTTLED": (429, "too_many_requests", "too many requests: try again in a moment"),
    "QUOTA_EXCEEDED": (429, "too_many_requests", "too many requests: try again in a moment"),
    "INTEGRATION_TIMEOUT": (504, "timeout", "the answer took too long; please try again"),
}
# DEFAULT_4XX keeps the status API Gateway chose (only the body is ours); the others set theirs.
KEEP_STATUS = {"DEFAULT_4XX", "DEFAULT_5XX"}


def body(response_type: str) -> str:
    _, code, message = RESPONSES[response_type]
    return json.dumps({"error": {"code": code, "message": message}})


def swagger_extension() -> dict:
    """`x-amazon-apigateway-gateway-responses` for the API's OpenAPI definition."""
    responses = {}
    for response_type, (status, _, _) in RESPONSES.items():
        entry: dict = {
            "responseParameters": {"gatewayresponse.header.Content-Type": "'application/json'"},
            "responseTemplates": {"application/json": body(response_type)},
        }
        if response_type not in KEEP_STATUS:
            entry["statusCode"] = str(status)
        responses[response_type] = entry
    return responses
