"""Modules a route needs, imported when the route first runs, so that `import app` (every cold start,
the staff authorizer's and the jobs' included) loads only what routing needs.

    backoffice = later("chalicelib.services.backoffice")   # not `from ..services import backoffice`
    ...
    backoffice.book(...)                                    # the module is imported here, once

Use it in api/, auth/ and jobs/ for services, repositories, notifications and anything that brings
Jinja2, PynamoDB or Powertools with it. Take names through the module (`backoffice.NewAppointment`),
and annotation-only names under `if TYPE_CHECKING:`. tests/unit/test_import_graph.py counts a
`later("...")` as an import, and tests/unit/test_cold_start.py checks what `import app` loads.
"""
from __future__ import annotations

import importlib
from typing import Any


class later:  # noqa: N801  (reads like the import it replaces)
    """A module that is imported on first attribute access (Python's import lock makes that thread-safe)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<later {self._name}>"
