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


# -- issue 15: privacy (tests/privacy/ erase real clients; here a missing one, so the sweep erases nobody) ----
EXAMPLES[("GET", "/admin/clients/{client_id}/export")] = lambda s: Example(f"/admin/clients/{s['client']}/export")
EXAMPLES[("POST", "/admin/clients/{client_id}/erase")] = lambda s: Example(
    "/admin/clients/cli_nobody_here/erase", {"confirm": True}, expect=frozenset({404}))
EXAMPLES[("GET", "/admin/privacy/retention")] = lambda s: Example("/admin/privacy/retention", ids=False)
EXAMPLES[("PUT", "/admin/privacy/retention")] = lambda s: Example(
    "/admin/privacy/retention", {"retention_months": None}, ids=False)
# -- issue 14: plans -----------------------------------------------------------------------------------
def _plan_template(s: dict) -> str:
    """A fresh template in the salon (revision 1), straight through the repository."""
    from decimal import Decimal

    from chalicelib import wiring
    from chalicelib.domain.model import new_id
    from chalicelib.domain.plans import ItemKind, PlanItem, PlanTemplate, Validity, ValidityUnit

    made = PlanTemplate(new_id("tpl"), s["business"], "Bono", (PlanItem(ItemKind.SERVICE, s["service"], 3),),
                        Decimal("60.00"), Validity(3, ValidityUnit.MONTHS))
    return wiring.plans().save_template(made, new=True).id


def _sold_plan(s: dict) -> str:
    from chalicelib import wiring
    from chalicelib.domain.principal import Level, Principal
    from chalicelib.services import plans
    from tests.factories import NOW

    catalog = wiring.store().catalog(s["business"])
    principal = Principal(s["business"], s["staff"], Level.ADMIN)
    return plans.sell(wiring.plans(), catalog, principal, s["client"], _plan_template(s), NOW.date(), NOW).plan.id


EXAMPLES[("GET", "/admin/plans")] = lambda s: Example("/admin/plans", ids=False)
EXAMPLES[("POST", "/admin/plans")] = lambda s: Example("/admin/plans", {
    "name": "Bono", "price": "60.00", "validity": {"amount": 3, "unit": "months"},
    "items": [{"service": s["service"], "quantity": 3}]}, ids=True)
EXAMPLES[("PATCH", "/admin/plans/{template_id}")] = lambda s: Example(
    f"/admin/plans/{_plan_template(s)}", {"price": "65.00", "revision": 1})
EXAMPLES[("PUT", "/admin/plan-settings")] = lambda s: Example("/admin/plan-settings", {"late_rule": "release"},
                                                              ids=False)
EXAMPLES[("GET", "/admin/clients/{client_id}/plans")] = lambda s: Example(f"/admin/clients/{s['client']}/plans")
EXAMPLES[("POST", "/admin/clients/{client_id}/plans")] = lambda s: Example(
    f"/admin/clients/{s['client']}/plans", {"template": _plan_template(s), "start": "2026-03-23"})
EXAMPLES[("GET", "/admin/clients/{client_id}/plans/{plan_id}")] = lambda s: Example(
    f"/admin/clients/{s['client']}/plans/{_sold_plan(s)}")
EXAMPLES[("POST", "/admin/clients/{client_id}/plans/{plan_id}/adjustments")] = lambda s: Example(
    f"/admin/clients/{s['client']}/plans/{_sold_plan(s)}/adjustments", {"item": 0, "units": 1, "reason": "regalo"})
EXAMPLES[("GET", "/admin/plan-figures")] = lambda s: Example("/admin/plan-figures?from=2026-03-01&to=2026-03-31",
                                                             ids=False)
EXAMPLES[("GET", "/admin/merge-tasks")] = lambda s: Example("/admin/merge-tasks", ids=False)


# -- issue 12: desks ------------------------------------------------------------------------------------
EXAMPLES[("GET", "/admin/desks")] = lambda s: Example("/admin/desks", ids=False)
EXAMPLES[("POST", "/admin/desks")] = lambda s: Example(
    "/admin/desks", {"number": 7, "description": "Colour station", "services": [s["service"]]}, ids=True,
    expect=frozenset({201, 409}))  # a second allowed level finds number 7 taken
EXAMPLES[("GET", "/admin/desks/{desk_id}")] = lambda s: Example(f"/admin/desks/{s['desk']}")
EXAMPLES[("PATCH", "/admin/desks/{desk_id}")] = lambda s: Example(
    f"/admin/desks/{s['desk']}", {"hours": {"mon": [["09:00", "13:00"], ["14:00", "19:00"]]}})


# -- issue 12: special days (closures and special hours) --------------------------------------------------
EXAMPLES[("GET", "/admin/calendar")] = lambda s: Example("/admin/calendar", ids=False)
EXAMPLES[("POST", "/admin/calendar/closures")] = lambda s: Example(
    "/admin/calendar/closures", {"name": "Inventario", "first_day": "2026-12-26"}, ids=False)
EXAMPLES[("PATCH", "/admin/calendar/closures/{closure_id}")] = lambda s: Example(  # no closure seeded: 404
    "/admin/calendar/closures/clo_0000000000000000", {"name": "Inventario"}, expect=frozenset({200, 404}))
EXAMPLES[("DELETE", "/admin/calendar/closures/{closure_id}")] = lambda s: Example(
    "/admin/calendar/closures/clo_0000000000000000", expect=frozenset({204, 404}))
EXAMPLES[("PUT", "/admin/calendar/special-hours")] = lambda s: Example(  # names the salon's professional
    "/admin/calendar/special-hours", {"date": "2026-12-26", "hours": [["10:00", "14:00"]],
                                      "resource": {"kind": "staff", "id": s["staff"]}}, ids=True)
EXAMPLES[("DELETE", "/admin/calendar/special-hours/{hours_id}")] = lambda s: Example(
    "/admin/calendar/special-hours/sph_0000000000000000", expect=frozenset({200, 404}))


# -- issue 13: the waiting list ---------------------------------------------------------------------------
def _fresh_request(s: dict) -> str:
    """A waiting request in the salon, stored straight through the repository; returns its id."""
    from chalicelib import wiring
    from chalicelib.domain.waitlist import Contact, WaitlistRequest, Window, new_request_id

    now = wiring.now()
    request = WaitlistRequest(
        id=new_request_id(now), business_id=s["business"], contact=Contact("Rita", "Sol", client_id=s["client"]),
        service_id=s["service"], staff_id="any", windows=(Window(_date(2026, 4, 7), _date(2026, 4, 10), 540, 1080),),
        created_by="system", created_at=now, updated_at=now, expires_at=_datetime(2026, 4, 10, 16, tzinfo=_MADRID))
    from chalicelib.repositories import waitlist

    waitlist.add(request)
    return request.id


_WINDOW = [{"from": "2026-04-07", "to": "2026-04-10", "start": "09:00", "end": "18:00"}]
EXAMPLES[("GET", "/admin/waitlist")] = lambda s: Example("/admin/waitlist?status=waiting&limit=5", ids=False)
EXAMPLES[("POST", "/admin/waitlist")] = lambda s: Example(
    "/admin/waitlist", {"client_id": s["client"], "service": s["service"], "windows": _WINDOW}, ids=True)
EXAMPLES[("GET", "/admin/waitlist/{request_id}")] = lambda s: Example(f"/admin/waitlist/{_fresh_request(s)}")
EXAMPLES[("PATCH", "/admin/waitlist/{request_id}")] = lambda s: Example(
    f"/admin/waitlist/{_fresh_request(s)}", {"notes": "Solo por la tarde"})
EXAMPLES[("POST", "/admin/waitlist/{request_id}/cancel")] = lambda s: Example(
    f"/admin/waitlist/{_fresh_request(s)}/cancel", {})
EXAMPLES[("POST", "/admin/waitlist/{request_id}/convert")] = lambda s: Example(
    f"/admin/waitlist/{_fresh_request(s)}/convert", {"start": _free_start().isoformat(), "staff": s["staff"]})
EXAMPLES[("GET", "/admin/waitlist-settings")] = lambda s: Example("/admin/waitlist-settings", ids=False)
EXAMPLES[("PATCH", "/admin/waitlist-settings")] = lambda s: Example(
    "/admin/waitlist-settings", {"hold_minutes": 20}, ids=False)
EXAMPLES[("GET", "/admin/waitlist-offers")] = lambda s: Example(
    "/admin/waitlist-offers?from=2026-03-01&to=2026-03-31", ids=False)

# -- issue 15: marketing (views, settings, consent, campaigns) -------------------------------------------
EXAMPLES[("GET", "/admin/marketing/clients")] = lambda s: Example("/admin/marketing/clients?view=dormant&days=30",
                                                                  ids=False)
EXAMPLES[("GET", "/admin/marketing/settings")] = lambda s: Example("/admin/marketing/settings", ids=False)
EXAMPLES[("PUT", "/admin/marketing/settings")] = lambda s: Example("/admin/marketing/settings", {"cap_days": 7},
                                                                   ids=False)
EXAMPLES[("GET", "/admin/clients/{client_id}/consent")] = lambda s: Example(f"/admin/clients/{s['client']}/consent")
EXAMPLES[("PUT", "/admin/clients/{client_id}/consent")] = lambda s: Example(
    f"/admin/clients/{s['client']}/consent",
    {"changes": [{"channel": "email", "granted": True, "wording": "News by email? Yes"}]})
EXAMPLES[("GET", "/admin/marketing/campaigns")] = lambda s: Example("/admin/marketing/campaigns", ids=False)
EXAMPLES[("POST", "/admin/marketing/campaigns")] = lambda s: Example(
    "/admin/marketing/campaigns", {"name": "Spring", "audience": {"view": "dormant", "days": 90},
                                   "sms_body": "Spring at {{ business.name }}"}, ids=False)
for _path in ("/admin/marketing/campaigns/{campaign_id}", "/admin/marketing/campaigns/{campaign_id}/preview"):
    EXAMPLES[("GET", _path)] = lambda s, _path=_path: Example(_path.replace("{campaign_id}", "cmp_nosuch"),
                                                             expect=frozenset({404}))
EXAMPLES[("POST", "/admin/marketing/campaigns/{campaign_id}/send")] = lambda s: Example(
    "/admin/marketing/campaigns/cmp_nosuch/send", expect=frozenset({404}))
