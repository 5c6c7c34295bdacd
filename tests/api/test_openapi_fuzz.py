"""A bounded schemathesis run over every operation of docs/openapi.yaml, in process, under the session's moto.

Each operation is one test: the salon world with an administrator signed in (the token goes to the operations
that declare `staffToken`), EXAMPLES requests drawn from valid data, invalid data and the spec's own examples,
derandomized so every run sends the same ones, each answered by the Chalice app through chalice's local
gateway (API Gateway's event, the authorizer, the Lambda; what `chalice.test.Client` uses). Checks: no 5xx,
and every answer is one the spec describes (status code, content type, headers, body schema). A failure is a
bug in the code or in the spec: fix it, never relax the checks.
About 25 s of CPU for the 55 operations (550 requests).
"""
from __future__ import annotations

from http import HTTPStatus
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.backoffice_world import Level

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
EXAMPLES = 10  # requests per operation
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


class ChaliceGateway:
    """A WSGI app that hands each request to chalice's local gateway (API Gateway's event, the authorizer,
    the Lambda's answer), so schemathesis's WSGI transport reaches the app without a server."""

    client = None  # the test's chalice.test.Client, set by the fixture below

    def __call__(self, environ: dict, start_response) -> list[bytes]:
        path = environ.get("PATH_INFO", "/")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items()
                   if key.startswith("HTTP_")}
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = environ[key]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        response = self.client.http.request(environ["REQUEST_METHOD"], path, headers=headers, body=body)
        headers = [(name, str(one)) for name, value in response.headers.items()
                   for one in (value if isinstance(value, list) else [value])]
        if not any(name.lower() == "content-type" for name, _ in headers):
            headers.append(("Content-Type", "application/json"))  # what API Gateway and `chalice local` add
        start_response(f"{response.status_code} {HTTPStatus(response.status_code).phrase}", headers)
        return [response.body or b""]


GATEWAY = ChaliceGateway()
schema = schemathesis.openapi.from_path(SPEC_PATH)
schema.app = GATEWAY


@pytest.fixture
def admin(login, seeded, client, monkeypatch) -> dict:
    # A CORS preflight's answer has no body at all; chalice.test's response reader expects a string.
    from chalice.test import HTTPResponse

    read = HTTPResponse.create_from_dict.__func__
    monkeypatch.setattr(HTTPResponse, "create_from_dict",
                        classmethod(lambda cls, answer: read(cls, {**answer, "body": answer.get("body") or ""})))
    GATEWAY.client = client
    REAL_IDS.update({"salon-lucia": "salon", "cli_3f9a0c1b2d4e5f60": seeded["client"],
                     "7K2M9QXA4TZB": seeded["reference"], "7KQ2M9XW3RT4": seeded["reference"]})
    yield login(Level.ADMIN)
    REAL_IDS.clear()
    GATEWAY.client = None


REAL_IDS: dict[str, str] = {}  # the spec's example ids -> the seeded world's (a salon, a client, a booking)

def call_and_check(case, admin: dict) -> None:
    if "staffToken" in str(case.operation.definition.raw.get("security", "")):
        case.headers = {**(case.headers or {}), **admin}
    for name, value in (case.path_parameters or {}).items():
        if isinstance(value, str) and value in REAL_IDS:
            case.path_parameters[name] = REAL_IDS[value]  # the spec's own examples reach real records
    response = case.call(base_url="http://localhost")
    case.validate_response(response, checks=CHECKS)  # the gateway's own answers too (infra/local/gateway.py)


RUN = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
               phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
# One pytest test per operation, named "METHOD /path" (schemathesis's own parametrize gives its items one node
# id, so pytest-xdist would run only one of them).
OPERATIONS = {f"{result.ok().method.upper()} {result.ok().path}": result.ok() for result in schema.get_all_operations()}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_answer_is_documented_and_none_is_a_server_error(name, admin):
    operation = OPERATIONS[name]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE),
                      *schema.get_strategies_from_examples(operation))

    @RUN
    @given(case=cases)
    def run(case) -> None:
        call_and_check(case, admin)

    run()
