"""The access matrix, written once as data: action -> the levels allowed to perform it.

Every backoffice route names one action (chalicelib/api/admin_http.py checks it in one place), and
docs/permissions.md is generated from this table (tests/admin/test_permissions_doc.py keeps them equal:
`python -m chalicelib.auth.permissions > docs/permissions.md` rewrites it).
Finer rules that depend on the data (a professional's own agenda, managers and administrators, no
contacts for level 6) live with the Principal and the services, and are listed in NOTES.
"""
from __future__ import annotations

from ..domain.principal import Level, Principal
from ..errors import ForbiddenError

L = Level
EVERYONE = frozenset(Level)
RECEPTION_AND_UP = frozenset({L.ADMIN, L.MANAGER, L.RECEPTION_FULL, L.RECEPTION_CALENDAR})
FRONT_DESK = frozenset({L.ADMIN, L.MANAGER, L.RECEPTION_FULL})
MANAGEMENT = frozenset({L.ADMIN, L.MANAGER})
ADMINS = frozenset({L.ADMIN})

# action: (levels, what it covers)
MATRIX: dict[str, tuple[frozenset[Level], str]] = {
    "session.read": (EVERYONE, "who am I: own account, level and allowed actions"),
    "business.read": (EVERYONE, "business profile, opening hours, booking rules"),
    "settings.write": (ADMINS, "business profile, opening hours, booking rules, approval, business secret code"),
    "codes.read": (FRONT_DESK, "see the business and personal secret codes"),
    "services.read": (EVERYONE, "list and view services"),
    "services.write": (FRONT_DESK, "create and edit services, set active/internal/disabled, assign staff"),
    "staff.read": (EVERYONE, "list and view staff profiles and hours"),
    "staff.write": (MANAGEMENT, "staff profile, weekly hours, breaks, time off, services, personal code"),
    "access.read": (MANAGEMENT, "staff logins: email and access level"),
    "access.write": (MANAGEMENT, "invite staff, change access levels"),
    "audit.read": (ADMINS, "the audit log of backoffice changes"),
    "clients.read": (EVERYONE, "view and search clients (5-6: the clients they serve; 7: of own appointments)"),
    "clients.write": (RECEPTION_AND_UP, "create and edit clients"),
    "agenda.read": (EVERYONE, "day/week/month agenda (5-6: colleagues read-only; 7: own only)"),
    "appointments.write": (EVERYONE, "create, move, cancel, check in appointments (5-7: own agenda only)"),
    "appointments.approve": (RECEPTION_AND_UP, "approve or reject pending online bookings"),
    "monitor.read": (FRONT_DESK, "the day's bookings by time slot with check-in state"),
    "reports.read": (FRONT_DESK, "reports on activity"),
    "privacy.export": (MANAGEMENT, "export everything about one client as JSON"),
    "privacy.erase": (MANAGEMENT, "erase a client: pseudonymised everywhere, future bookings cancelled, "
                                  "contacts on the do-not-contact list"),
    "plans.read": (RECEPTION_AND_UP, "plan templates, clients' plans with balances and ledger, plans sold and used"),
    "plans.write": (FRONT_DESK, "create and edit plan templates, sell a plan, adjust a plan's units, plan settings"),
    "desks.read": (EVERYONE, "list and view desks: number, operator, services, hours, holidays"),
    "desks.write": (MANAGEMENT, "create and edit desks, open and close them, their hours and holidays"),
    "calendar.read": (EVERYONE, "the business's closures and special hours"),
    "calendar.write": (MANAGEMENT, "closures and special hours of the business, a professional or a desk; "
                                   "cancel the appointments they cover"),
    "waitlist.read": (FRONT_DESK, "the waiting list: requests, their offers, the offer log and its figures"),
    "waitlist.write": (FRONT_DESK, "add, edit, cancel waiting-list requests; book one into a free time"),
    "waitlist.settings": (MANAGEMENT, "how freed time is offered: mode, hold minutes, fallback, the booking page's form"),
    "marketing.read": (FRONT_DESK, "marketing views (loyal, dormant, filters), campaigns and their figures"),
    "marketing.send": (MANAGEMENT, "compose and send campaigns, marketing settings and the dormant-client sweep"),
}

PERMISSIONS: dict[str, frozenset[Level]] = {action: levels for action, (levels, _) in MATRIX.items()}

NOTES = (
    "A manager (2) cannot invite an administrator, change an administrator's profile or access level, "
    "or make anyone an administrator.",
    "Level 6 never receives a client's email or phone, in any response.",
    "Levels 5 and 6 write only their own agenda and read their colleagues'; level 7 reads and writes only "
    "its own appointments and sees only the clients of those appointments.",
    "Every id in a backoffice route is looked up within the caller's business: another business's ids "
    "answer 404.",
)


def can(principal: Principal, action: str) -> bool:
    return principal.level in PERMISSIONS[action]


def require(principal: Principal, action: str) -> None:
    """The one check every backoffice route makes before doing anything."""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}: add it to MATRIX")
    if not can(principal, action):
        raise ForbiddenError("your access level does not allow this", code="forbidden")


def markdown() -> str:
    """docs/permissions.md, generated from MATRIX."""
    header = "| action | " + " | ".join(f"{int(level)} {level.label}" for level in Level) + " | covers |"
    rule = "| --- | " + " | ".join("---" for _ in Level) + " | --- |"
    rows = [
        f"| `{action}` | " + " | ".join("yes" if level in levels else "-" for level in Level) + f" | {what} |"
        for action, (levels, what) in MATRIX.items()
    ]
    notes = "\n".join(f"- {note}" for note in NOTES)
    return (
        "# Backoffice permissions\n\n"
        "Generated from `chalicelib/auth/permissions.py` (`python -m chalicelib.auth.permissions > "
        "docs/permissions.md`); a test fails when they differ. Every `/admin` route names one action; the "
        "route table in `docs/openapi.yaml` says which (`x-turno-action`).\n\n"
        + "\n".join([header, rule, *rows]) + "\n\n## Rules that depend on the data\n\n" + notes + "\n"
    )


if __name__ == "__main__":
    print(markdown(), end="")
