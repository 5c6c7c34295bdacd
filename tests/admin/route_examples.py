"""A sample valid request for every backoffice route, used by the matrix, isolation and level-6 sweeps.

Add one entry per (METHOD, path template) that AdminApi declares; tests/admin/test_permissions_matrix.py
fails for a route without one. `seeded` is tests/conftest.py's `seeded` fixture (salon ids).

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
EXAMPLES[("DELETE", "/admin/staff/{staff_id}/access")] = lambda s: Example(f"/admin/staff/{s['leaver']}/access")
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


# -- H3b: clients, appointments, agenda, monitor ----------------------------------------------------
# Appointment examples act on a fresh appointment in Ana's agenda (level 5's own), booked by the builder,
# so every call finds it in the state it needs. Levels 6 and 7 are allowed the actions but not on a
# colleague's appointment: 6 reads it and gets 403 `not_your_agenda`, 7 does not see it (404). Those data
# rules are tested exactly, level by level, in tests/admin/test_appointments_by_level.py.
import itertools as _itertools
from datetime import date as _date, datetime as _datetime, timedelta as _timedelta
from zoneinfo import ZoneInfo as _ZoneInfo

_MADRID = _ZoneInfo("Europe/Madrid")
_FREE = [
    _datetime(day.year, day.month, day.day, hour, minute, tzinfo=_MADRID)
    # Tuesday to Friday: the staff example gives Ana a Monday break, and tests share this counter in any order
    for day in (_date(2026, 3, 25) + _timedelta(days=n) for n in range(40)) if 1 <= day.weekday() < 5
    for hour in (9, 10, 11, 12, 14, 15, 16, 17) for minute in (0, 30)
]
_NEXT = _itertools.count()
# Attendance (check-in, complete, no-show) is recorded only once an appointment has begun: these
# started before the frozen now (Monday 23 March), each at its own time.
_STARTED = [
    _datetime(day.year, day.month, day.day, hour, minute, tzinfo=_MADRID)
    for day in (_date(2026, 2, 2) + _timedelta(days=n) for n in range(47)) if day.weekday() < 5
    for hour in (9, 10, 11, 12, 14, 15, 16, 17) for minute in (0, 30)
]
_NEXT_STARTED = _itertools.count()
ATTENDANCE = ("check-in", "complete", "no-show")
_SCOPED = frozenset({200, 201, 403, 404})  # 6: not_your_agenda (403); 7: not visible (404)


def _free_start() -> _datetime:
    """A start nothing in these examples has taken (Ana's and Cris's hours, from Wednesday 25 March)."""
    return _FREE[next(_NEXT) % len(_FREE)]


def _fresh_appointment(s: dict, status: str = "confirmed", staff: str | None = None, started: bool = False) -> str:
    """Book an appointment straight through the store (as an online booking would be) and return its reference;
    `started`: one that began before now, so that attendance can be recorded."""
    from chalicelib import wiring
    from chalicelib.domain.model import Appointment, AppointmentStatus, Source, new_reference
    from tests import factories

    store = wiring.store()
    catalog = store.catalog(s["business"])
    service = catalog.service(s["service"])
    start = _STARTED[next(_NEXT_STARTED) % len(_STARTED)] if started else _free_start()
    span, busy = service.occupies(start)
    now = wiring.now()
    appointment = Appointment(
        reference=new_reference(), business_id=s["business"], client_id=s["client"], service_id=service.id,
        staff_id=staff or s["staff"], start=span.start, end=span.end, busy=busy, status=AppointmentStatus(status),
        source=Source.ONLINE, price=service.price, currency="EUR", created_at=now, updated_at=now,
    )
    factories.book(store, appointment)
    return appointment.reference


def _client_example(s: dict) -> Example:
    _fresh_appointment(s, staff="stf_cris")  # so level 7 (Cris) serves this client too
    return Example(f"/admin/clients/{s['client']}")


EXAMPLES[("POST", "/admin/clients")] = lambda s: Example(
    "/admin/clients", {"first_name": "Nuevo", "last_name": "Cliente", "email": f"nuevo{next(_NEXT)}@example.com"},
    ids=False)
EXAMPLES[("GET", "/admin/clients")] = lambda s: Example("/admin/clients?q=eva&limit=5", ids=False)
EXAMPLES[("GET", "/admin/clients/{client_id}")] = _client_example
EXAMPLES[("PATCH", "/admin/clients/{client_id}")] = lambda s: Example(
    f"/admin/clients/{s['client']}", {"notes": "Prefiere por la mañana"})
EXAMPLES[("POST", "/admin/appointments")] = lambda s: Example(
    "/admin/appointments", {"client": s["client"], "service": s["service"], "staff": s["staff"],
                            "start": _free_start().isoformat()}, ids=True, expect=_SCOPED)
EXAMPLES[("GET", "/admin/appointments/{reference}")] = lambda s: Example(
    f"/admin/appointments/{_fresh_appointment(s)}", expect=frozenset({200, 404}))
EXAMPLES[("POST", "/admin/appointments/{reference}/reschedule")] = lambda s: Example(
    f"/admin/appointments/{_fresh_appointment(s)}/reschedule", {"start": _free_start().isoformat()}, expect=_SCOPED)
for _path, _status in (("approve", "pending"), ("reject", "pending"), ("cancel", "confirmed"),
                       ("check-in", "confirmed"), ("complete", "confirmed"), ("no-show", "confirmed")):
    EXAMPLES[("POST", f"/admin/appointments/{{reference}}/{_path}")] = (
        lambda s, _status=_status, _path=_path: Example(
            f"/admin/appointments/{_fresh_appointment(s, _status, started=_path in ATTENDANCE)}/{_path}", {},
            **({} if _status == "pending" else {"expect": _SCOPED})))  # approving is for levels 1-4 only
EXAMPLES[("GET", "/admin/appointments")] = lambda s: Example("/admin/appointments?q=eva&limit=5", ids=False)
EXAMPLES[("GET", "/admin/agenda")] = lambda s: Example("/admin/agenda?view=week&date=2026-03-24", ids=False)
EXAMPLES[("GET", "/admin/monitor")] = lambda s: Example("/admin/monitor?date=2026-03-24", ids=False)


# -- H4a: message log and message counts ------------------------------------------------------------
EXAMPLES[("GET", "/admin/clients/{client_id}/messages")] = lambda s: Example(
    f"/admin/clients/{s['client']}/messages?limit=20", expect=frozenset({200, 404}))  # 7: a client it does not serve
EXAMPLES[("GET", "/admin/reports/messages")] = lambda s: Example(
    "/admin/reports/messages?from=2026-03-01&to=2026-03-31", ids=False)


# -- issue 16: reports read from the stream's counters ----------------------------------------------------
for _report in ("sales", "services", "clients", "professionals", "statistics"):
    EXAMPLES[("GET", f"/admin/reports/{_report}")] = (
        lambda s, _report=_report: Example(f"/admin/reports/{_report}?from=2026-03-01&to=2026-03-31", ids=False))
EXAMPLES[("GET", "/admin/reports/settings")] = lambda s: Example("/admin/reports/settings", ids=False)
EXAMPLES[("PUT", "/admin/reports/settings")] = lambda s: Example(
    "/admin/reports/settings", {"phone_booking_minutes": 4, "staff_hourly_cost": "20.00"}, ids=False)
EXAMPLES[("GET", "/admin/reports/commissions")] = lambda s: Example(
    "/admin/reports/commissions?from=2026-03-01&to=2026-03-31", ids=False)
EXAMPLES[("GET", "/admin/reports/commission-rules")] = lambda s: Example("/admin/reports/commission-rules", ids=False)
EXAMPLES[("PUT", "/admin/reports/commission-rules")] = lambda s: Example(
    "/admin/reports/commission-rules", {"rules": [{"percent": "10"}, {"staff": s["staff"], "fixed": "5.00"}]}, ids=False)
