"""A sample valid request for every backoffice route, used by the matrix, isolation and level-6 sweeps.

Add one entry per (METHOD, path template) that AdminApi declares; tests/admin/test_permissions_matrix.py
fails for a route without one. `seeded` is tests/admin/conftest.py's `seeded` fixture (salon ids).

    EXAMPLES[("GET", "/admin/clients/{client_id}")] = lambda s: Example(f"/admin/clients/{s['client']}")

`ids=True` (the default when the path has a parameter) means the request names the salon's records, so
staff of another business must get 404; `ids=False` routes (lists, "me") must just not show salon data.
`expect` is the set of statuses an allowed level may get (2xx unless the example says otherwise).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Example:
    path: str
    body: Any = None
    ids: bool | None = None  # None: True when the route template has a path parameter
    expect: frozenset[int] = field(default_factory=lambda: frozenset({200, 201, 202, 204}))
    headers: dict[str, str] = field(default_factory=dict)


Examples = dict[tuple[str, str], Callable[[dict], Example]]
EXAMPLES: Examples = {}


def example(method: str, template: str) -> Callable:
    """Decorator form: @example("GET", "/admin/me") def _(s): return Example("/admin/me")."""

    def register(build: Callable[[dict], Example]) -> Callable[[dict], Example]:
        EXAMPLES[(method.upper(), template)] = build
        return build

    return register


# -- H3a: session, business, services, staff, access, audit ---------------------------------------
EXAMPLES[("GET", "/admin/me")] = lambda s: Example("/admin/me")
EXAMPLES[("GET", "/admin/business")] = lambda s: Example("/admin/business")
EXAMPLES[("PATCH", "/admin/business")] = lambda s: Example(
    "/admin/business", {"booking_rules": {"horizon_days": 90, "approval": "manual"}})
EXAMPLES[("GET", "/admin/services")] = lambda s: Example("/admin/services")
EXAMPLES[("POST", "/admin/services")] = lambda s: Example(
    "/admin/services", {"name": "Peinado", "duration_minutes": 30, "price": "20.00", "staff": [s["staff"]]}, ids=True)
EXAMPLES[("GET", "/admin/services/{service_id}")] = lambda s: Example(f"/admin/services/{s['service']}")
EXAMPLES[("PATCH", "/admin/services/{service_id}")] = lambda s: Example(
    f"/admin/services/{s['service']}", {"description": "Con lavado", "staff": [s["staff"], s["colleague"]]})
EXAMPLES[("GET", "/admin/staff")] = lambda s: Example("/admin/staff")
EXAMPLES[("POST", "/admin/staff")] = lambda s: Example(
    "/admin/staff", {"name": "Nora", "services": [s["service"]]}, ids=True)
EXAMPLES[("GET", "/admin/staff/{staff_id}")] = lambda s: Example(f"/admin/staff/{s['staff']}")
EXAMPLES[("PATCH", "/admin/staff/{staff_id}")] = lambda s: Example(
    f"/admin/staff/{s['staff']}", {"phone": "+34611000111", "breaks": {"mon": [["11:00", "11:30"]]}})
EXAMPLES[("PUT", "/admin/staff/{staff_id}/access")] = lambda s: Example(
    f"/admin/staff/{s['trainee']}/access", {"level": 4})
EXAMPLES[("POST", "/admin/staff/invitations")] = lambda s: Example(
    "/admin/staff/invitations", {"email": "nora.new@example.com", "level": 5, "staff": {"name": "Nora"}})
EXAMPLES[("POST", "/admin/staff/{staff_id}/invitation")] = lambda s: Example(f"/admin/staff/{s['trainee']}/invitation")
EXAMPLES[("GET", "/admin/audit")] = lambda s: Example("/admin/audit")


# -- H4b: notification settings, custom texts, preview (no record ids: {kind}/{channel} are names) --
EXAMPLES[("GET", "/admin/notifications")] = lambda s: Example("/admin/notifications")
EXAMPLES[("PUT", "/admin/notifications")] = lambda s: Example(
    "/admin/notifications", {"channels": {"pending": {"sms": True}}, "reminder_lead_minutes": [1440, 120],
                             "sms_mode": "gsm7"})
EXAMPLES[("PUT", "/admin/notifications/texts/{kind}/{channel}")] = lambda s: Example(
    "/admin/notifications/texts/reminder/sms", {"body": "{{ business.name }}: see you at {{ appointment.time }}"},
    ids=False)
EXAMPLES[("DELETE", "/admin/notifications/texts/{kind}/{channel}")] = lambda s: Example(
    "/admin/notifications/texts/reminder/sms", ids=False)
EXAMPLES[("POST", "/admin/notifications/preview")] = lambda s: Example(
    "/admin/notifications/preview", {"kind": "confirmed", "channel": "sms"})
