"""A small salon to test against: two professionals, four services, Madrid time."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from chalicelib.domain.calendar import UTC, Interval, WeeklyHours
from chalicelib.domain.model import BookingRules, Business, Service, ServiceStatus, Staff

# Monday 23 March 2026, 08:00 in Madrid (CET, UTC+1): the frozen clock of the tests.
NOW = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)

WEEKDAYS_9_TO_8 = {d: [["09:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}


def salon(**changes) -> Business:
    values = dict(
        id="biz_salon", slug="salon", name="Salón Lucía", timezone="Europe/Madrid", locale="es", currency="EUR",
        opening_hours=WeeklyHours.from_json(WEEKDAYS_9_TO_8),
        rules=BookingRules(slot_step_minutes=15, min_notice_minutes=60, horizon_days=60),
        phone="+34910000000",
    )
    values.update(changes)
    return Business(**values)


def services() -> list[Service]:
    return [
        Service("svc_cut", "Corte", 30, Decimal("25.00"), category="Pelo"),
        Service("svc_color", "Color", 90, Decimal("60.50"), category="Pelo", buffer_before_minutes=10,
                buffer_after_minutes=15),
        Service("svc_private", "Tratamiento interno", 45, Decimal("40.00"), status=ServiceStatus.INTERNAL),
        Service("svc_old", "Permanente", 60, Decimal("50.00"), status=ServiceStatus.DISABLED),
    ]


def staff() -> list[Staff]:
    return [
        Staff("stf_ana", "Ana", frozenset({"svc_cut", "svc_color", "svc_private"}),
              WeeklyHours.from_json({d: [["09:00", "13:00"], ["14:00", "18:00"]]
                                     for d in ("mon", "tue", "wed", "thu", "fri")})),
        Staff("stf_bea", "Bea", frozenset({"svc_cut"}),
              WeeklyHours.from_json({d: [["10:00", "19:00"]] for d in ("tue", "wed", "thu", "fri", "sat")}),
              time_off=(Interval(datetime(2026, 3, 26, 0, tzinfo=UTC), datetime(2026, 3, 27, 0, tzinfo=UTC)),)),
    ]


def seed(store, business: Business | None = None, members=None, offered=None) -> Business:
    business = business or salon()
    store.save_business(business)
    for service in offered if offered is not None else services():
        store.save_service(business.id, service)
    for member in members if members is not None else staff():
        store.save_staff(business.id, member)
    return business


def book(store, appointment, new_client=None):
    """Store a new appointment the way every use case does (its messages, index and locks included)."""
    from chalicelib.services import agenda_changes

    return agenda_changes.book(store, appointment, by="system", new_client=new_client)


def change(store, before, after):
    from chalicelib.services import agenda_changes

    return agenda_changes.change(store, before, after, by="system")


def desks() -> list:
    """Two wash basins and a colour station: Color (svc_color) needs a desk; the station is closed on
    25 December every year, and basin 2 has Bea as its operator."""
    from datetime import date

    from chalicelib.domain.desks import Desk, Holiday

    hours = WeeklyHours.from_json(WEEKDAYS_9_TO_8)
    return [
        Desk("dsk_basin1", 1, frozenset({"svc_cut"}), hours, description="Wash basin"),
        Desk("dsk_basin2", 2, frozenset({"svc_cut"}), hours, operator_id="stf_bea"),
        Desk("dsk_colour", 3, frozenset({"svc_color"}), hours, description="Colour station",
             holidays=(Holiday(date(2025, 12, 25), date(2025, 12, 25), yearly=True),)),
    ]


def seed_desks(store, business_id: str = "biz_salon", needs=("svc_color",), found=None) -> None:
    """The desks, and the services in `needs` set to require one."""
    from dataclasses import replace

    for desk in found if found is not None else desks():
        store.save_desk(business_id, desk)
    for service in services():
        if service.id in needs:
            store.save_service(business_id, replace(service, requires_desk=True))


def seed_last_desk(store, business_id: str, professionals: int = 50) -> list[str]:
    """`professionals` more professionals who all cut hair, and a single open desk that Corte now requires:
    the race for the last free desk (tests/api/test_desk_race.py, tests/integration/test_desk_races.py)."""
    from chalicelib.domain.desks import Desk

    hours = WeeklyHours.from_json(WEEKDAYS_9_TO_8)
    ids = [f"stf_p{n:02d}" for n in range(professionals)]
    for staff_id in ids:
        store.save_staff(business_id, Staff(staff_id, f"Pro {staff_id[-2:]}", frozenset({"svc_cut"}), hours))
    seed_desks(store, business_id, needs=("svc_cut",),
               found=[Desk("dsk_only", 1, frozenset({"svc_cut"}), hours, description="Last basin")])
    return ids


def race_for_the_last_desk(store, slug: str, staff_ids: list[str], start: str = "2026-03-24T11:00:00+01:00"):
    """Every professional's client books the same start at once (a barrier): each outcome, or its error."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.services import booking
    from chalicelib.services.booking import BookingRequest, ClientDetails

    barrier = threading.Barrier(len(staff_ids))

    def attempt(n: int):
        request = BookingRequest("svc_cut", staff_ids[n], datetime.fromisoformat(start),
                                 ClientDetails("Client", str(n), f"c{n}@example.com", None))
        barrier.wait(timeout=30)
        try:
            return booking.book(store, slug, request, "127.0.0.1", NOW)
        except Exception as error:  # every outcome is reported, not just the expected ones
            return error

    with ThreadPoolExecutor(max_workers=len(staff_ids)) as pool:
        return list(pool.map(attempt, range(len(staff_ids))))
