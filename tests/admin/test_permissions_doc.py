"""The matrix is written once: docs/permissions.md is generated from it, and docs/openapi.yaml names the
same action for every backoffice route as the code enforces."""
from __future__ import annotations

from pathlib import Path

import yaml

from chalicelib.auth.permissions import MATRIX, PERMISSIONS, markdown
from chalicelib.domain.principal import Level

ROOT = Path(__file__).resolve().parents[2]


def test_docs_permissions_md_is_generated_from_the_matrix():
    assert (ROOT / "docs" / "permissions.md").read_text(encoding="utf-8") == markdown(), (
        "run: python -m chalicelib.auth.permissions > docs/permissions.md")


def test_openapi_names_the_enforced_action_of_every_backoffice_route():
    from app import app

    spec = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            action = getattr(entry.view_function, "turno_action", None)
            if action is None:
                continue
            operation = spec["paths"][path][method.lower()]
            assert operation.get("x-turno-action") == action, (method, path)
            if "business" in operation.get("tags", ()):  # this file's routes; others document their own
                assert operation.get("security") == [{"staffToken": []}], (method, path)


def test_the_levels_read_as_the_issue_describes():
    """Spot checks of the matrix against the seven levels' definitions."""
    assert PERMISSIONS["settings.write"] == {Level.ADMIN}
    assert Level.MANAGER in PERMISSIONS["access.write"] and Level.MANAGER in PERMISSIONS["staff.write"]
    assert Level.RECEPTION_FULL in PERMISSIONS["monitor.read"] and Level.RECEPTION_FULL in PERMISSIONS["reports.read"]
    for action in ("reports.read", "services.write", "settings.write", "monitor.read"):
        assert Level.RECEPTION_CALENDAR not in PERMISSIONS[action], action
    assert {Level.RECEPTION_CALENDAR} <= PERMISSIONS["clients.write"] & PERMISSIONS["agenda.read"]
    for level in (Level.PROFESSIONAL, Level.PROFESSIONAL_NO_CONTACTS, Level.PROFESSIONAL_OWN):
        assert level not in PERMISSIONS["access.write"] | PERMISSIONS["staff.write"] | PERMISSIONS["audit.read"]
    assert all(levels and levels <= set(Level) for levels, _ in MATRIX.values())
