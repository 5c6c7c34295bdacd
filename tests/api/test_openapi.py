"""docs/openapi.yaml describes exactly the routes the Chalice app serves, in a valid OpenAPI 3.0 document."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def routes() -> dict:
    """(METHOD, path) -> Chalice RouteEntry, blueprints included (app.py registers them on import)."""
    from app import app

    return {(method, path): entry for path, methods in app.routes.items() for method, entry in methods.items()}


def operations(spec: dict) -> dict:
    return {(method.upper(), path): operation for path, item in spec["paths"].items()
            for method, operation in item.items() if method in HTTP_METHODS}


def test_every_route_the_app_serves_is_documented(spec, routes):
    missing = sorted(set(routes) - set(operations(spec)))
    assert not missing, f"routes missing from {SPEC_PATH.name}: {missing}"


def test_every_documented_operation_is_served_by_the_app(spec, routes):
    stale = sorted(set(operations(spec)) - set(routes))
    assert not stale, f"{SPEC_PATH.name} documents routes the app does not serve: {stale}"


def test_the_document_is_valid_openapi(spec):
    validate(spec)  # raises with the offending location


def test_each_operation_declares_the_path_parameters_of_its_route(spec, routes):
    for key, operation in operations(spec).items():
        if key not in routes:
            continue
        parameters = spec["paths"][key[1]].get("parameters", []) + operation.get("parameters", [])
        declared = {p["name"] for p in (deref(spec, p) for p in parameters) if p["in"] == "path"}
        assert declared == set(routes[key].view_args), key


def test_request_bodies_accept_the_content_types_the_route_accepts(spec, routes):
    for key, operation in operations(spec).items():
        if key in routes and "requestBody" in operation:
            body = deref(spec, operation["requestBody"])
            assert set(body["content"]) == set(routes[key].content_types), key


def test_every_error_response_uses_the_error_contract(spec):
    for (method, path), operation in operations(spec).items():
        for status, response in operation["responses"].items():
            response = deref(spec, response)
            if not status.startswith(("4", "5")):
                continue
            if "pages" in operation.get("tags", []) and "application/json" not in response.get("content", {}):
                continue  # a page's 404 is a page (HTML) or, for its script and stylesheet, plain text
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
            if status == "429":
                assert "Retry-After" in response.get("headers", {}), (method, path)


def deref(spec: dict, node: dict) -> dict:
    """Follow local `$ref`s ("#/components/...") to the node they name."""
    while "$ref" in node:
        target = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_every_request_body_refuses_unknown_fields_as_the_routes_do(spec):
    """Every route refuses a body field it does not know (http.json_body, fields.reject_unknown), so every
    object a request body describes says `additionalProperties: false` (maps keyed by name give a schema)."""
    loose = []

    def walk(node: dict, where: str) -> None:
        node = deref(spec, node)
        if node.get("type") == "object" and "properties" in node and node.get("additionalProperties") is not False:
            loose.append(where)
        for name, child in node.get("properties", {}).items():
            walk(child, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                walk(node[key], f"{where}[]")
        for key in ("allOf", "anyOf", "oneOf"):
            for child in node.get(key, []):
                walk(child, where)

    for (method, path), operation in operations(spec).items():
        if "requestBody" in operation:
            for content in deref(spec, operation["requestBody"])["content"].values():
                walk(content["schema"], f"{method} {path}")
    assert not loose, loose


def test_an_operation_declares_the_staff_token_exactly_when_its_route_has_the_staff_authorizer(spec, routes):
    """A client generated from the spec sends the token where the gateway asks for it, and only there."""
    wrong = []
    for key, operation in operations(spec).items():
        if key not in routes:
            continue
        declared = operation.get("security", spec.get("security", []))
        wants_token = any("staffToken" in requirement for requirement in declared)
        if wants_token != (routes[key].authorizer is not None):
            wrong.append(key)
    assert not wrong, f"security does not match the route's authorizer: {sorted(wrong)}"


def test_no_schema_combines_a_closed_object_with_more_properties(spec):
    """`allOf` with a branch that says `additionalProperties: false` refuses every property the other branches
    add (JSON Schema checks each branch alone), so such a schema forbids what the API returns."""
    closed_in_all_of = []

    def walk(node, where: str) -> None:
        if isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{where}[{index}]")
            return
        if not isinstance(node, dict):
            return
        branches = [deref(spec, branch) for branch in node.get("allOf", [])]
        if len(branches) > 1 and any(branch.get("additionalProperties") is False for branch in branches):
            closed_in_all_of.append(where)
        for key, child in node.items():
            walk(child, f"{where}.{key}")

    walk(spec, "#")
    assert not closed_in_all_of, closed_in_all_of
