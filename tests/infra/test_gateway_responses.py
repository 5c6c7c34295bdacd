"""API Gateway's own errors (no token, a bad token, an unknown path, a wrong media type...) answer the
app's one error shape `{"error": {"code", "message"}}` in the deployed stack, never echoing a header."""
from __future__ import annotations

import json

import pytest

from .conftest import STAGES

pytestmark = pytest.mark.slow

EXPECTED = {  # response type -> (status, code); DEFAULT_4XX keeps API Gateway's status
    "UNAUTHORIZED": ("401", "unauthenticated"),
    "ACCESS_DENIED": ("403", "invalid_token"),
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
    "INVALID_SIGNATURE": ("404", "not_found"),
    "UNSUPPORTED_MEDIA_TYPE": ("415", "unsupported_media_type"),
    "DEFAULT_4XX": (None, "bad_request"),
    "DEFAULT_5XX": (None, "internal_error"),
}


@pytest.mark.parametrize("stage", STAGES)
def test_api_gateways_own_errors_are_in_the_apps_error_shape(assembly, stage):
    apis = assembly.resources(stage, "AWS::Serverless::Api")
    assert len(apis) == 1
    (api,) = apis.values()
    responses = api["Properties"]["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    for response_type, (status, code) in EXPECTED.items():
        response = responses[response_type]
        assert response.get("statusCode") == status, response_type
        assert response["responseParameters"]["gatewayresponse.header.Content-Type"] == "'application/json'"
        body = json.loads(response["responseTemplates"]["application/json"])
        assert set(body) == {"error"} and body["error"]["code"] == code, response_type
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    for response_type, response in responses.items():  # fixed text: nothing from the request is echoed
        template = json.dumps(response)
        assert "$" not in template and "Authorization" not in template, response_type
