"""The availability engine, with no I/O: hours, breaks, time off, buffers, notice, horizon, DST."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain.booking import lock_units, offer_for, slots
from chalicelib.domain.calendar import UTC, Interval, WeeklyHours
from chalicelib.domain.model import (
    Appointment,
    AppointmentStatus,
    BookingRules,
    Catalog,
    Service,
    Source,
    Staff,
)
from chalicelib.errors import UnprocessableError, ValidationError
from tests import factories

MADRID = ZoneInfo("Europe/Madrid")
NOW = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)  # Monday 08:00 in Madrid
CUT = factories.services()[0]
COLOR = factories.services()[1]


def catalog(**business_changes) -> Catalog:
    return Catalog(factories.salon(**business_changes), tuple(factories.staff()), tuple(factories.services()))


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=MADRID)


def appointment(staff_id: str, start: datetime, service: Service = CUT, status=AppointmentStatus.CONFIRMED):
    span, busy = service.occupies(start.astimezone(UTC))
    return Appointment("REF" + start.strftime("%H%M"), "biz_salon", "cli_1", service.id, staff_id, span.start,
                       span.end, busy, status, Source.ONLINE, service.price, "EUR", NOW, NOW)


def starts(found, staff_id=None):
    return [s.start.astimezone(MADRID).strftime("%H:%M") for s in found if staff_id is None or staff_id in s.staff]


def test_given_split_hours_when_listing_then_the_break_and_closing_time_have_no_slots():
    cat = catalog()
    ana = cat.member("stf_ana")
    found = slots(cat, CUT, [ana], [], date(2026, 3, 24), date(2026, 3, 24), NOW)
    listed = starts(found)
    assert listed[0] == "09:00" and listed[-1] == "17:30"
    assert "12:30" in listed and "12:45" not in listed and "13:30" not in listed and "14:00" in listed


def test_given_minimum_notice_when_listing_today_then_nothing_starts_sooner():
    cat = catalog()
    found = slots(cat, CUT, [cat.member("stf_ana")], [], date(2026, 3, 23), date(2026, 3, 23),
                  NOW + timedelta(hours=2))  # 10:00 local, one hour of notice
    assert starts(found)[0] == "11:00"


def test_given_a_horizon_when_listing_beyond_it_then_no_slots():
    cat = catalog(rules=BookingRules(horizon_days=7))
    found = slots(cat, CUT, cat.staff, [], date(2026, 3, 31), date(2026, 4, 3), NOW)
    assert found == []


@pytest.mark.parametrize("looking_at", [NOW, NOW + timedelta(hours=15, minutes=30)])  # 08:00 and 23:30 local
def test_given_a_horizon_of_n_days_then_the_whole_nth_local_day_is_bookable_and_no_more(looking_at):
    cat = catalog(rules=BookingRules(horizon_days=7, min_notice_minutes=0))
    ana = cat.member("stf_ana")
    last_day = date(2026, 3, 30)  # Monday + 7, after the DST change
    listed = starts(slots(cat, CUT, [ana], [], last_day, last_day + timedelta(days=1), looking_at))
    assert listed[0] == "09:00" and listed[-1] == "17:30" and len(listed) == 30  # the whole day, not a minute more
    evening = local(last_day, 17, 30).astimezone(UTC)
    assert offer_for(cat, CUT, [ana], evening, looking_at).staff_ids == ("stf_ana",)
    with pytest.raises(ValidationError) as refused:
        offer_for(cat, CUT, [ana], local(last_day + timedelta(days=1), 9).astimezone(UTC), looking_at)
    assert refused.value.code == "beyond_horizon"


def test_given_time_off_and_a_day_off_then_that_professional_is_not_offered():
    cat = catalog()
    bea = cat.member("stf_bea")
    assert slots(cat, CUT, [bea], [], date(2026, 3, 26), date(2026, 3, 26), NOW) == []  # time off
    assert slots(cat, CUT, [bea], [], date(2026, 3, 23), date(2026, 3, 23), NOW) == []  # Mondays off
    assert starts(slots(cat, CUT, [bea], [], date(2026, 3, 27), date(2026, 3, 27), NOW))[0] == "10:00"


def test_given_an_appointment_with_buffers_then_both_services_buffers_keep_the_gap():
    cat = catalog()
    ana = cat.member("stf_ana")
    day = date(2026, 3, 24)
    booked = appointment("stf_ana", local(day, 10), COLOR)  # busy 09:50 - 11:45 with buffers
    listed = starts(slots(cat, COLOR, [ana], [booked], day, day, NOW))
    # A colour needs 10 minutes before it: the earliest after the booked one starts at 11:55 -> 12:00 grid.
    assert "11:45" not in listed and "12:00" not in listed  # 12:00 + 90 > 13:00 break
    assert "09:00" not in listed  # 08:50 - 10:45 would overlap
    cut_listed = starts(slots(cat, CUT, [ana], [booked], day, day, NOW))
    assert "09:15" in cut_listed and "09:30" not in cut_listed  # 09:15-09:45 ends before 09:50
    assert "11:30" not in cut_listed and "11:45" in cut_listed


def test_given_cancelled_appointments_then_their_time_is_free_again():
    cat = catalog()
    day = date(2026, 3, 24)
    cancelled = appointment("stf_ana", local(day, 10), status=AppointmentStatus.CANCELLED)
    assert "10:00" in starts(slots(cat, CUT, [cat.member("stf_ana")], [cancelled], day, day, NOW))


def test_given_any_professional_then_each_slot_lists_who_is_free():
    cat = catalog()
    day = date(2026, 3, 24)
    found = slots(cat, CUT, cat.performers("svc_cut"), [appointment("stf_ana", local(day, 10))], day, day, NOW)
    by_time = {s.start.astimezone(MADRID).strftime("%H:%M"): s.staff for s in found}
    assert by_time["09:00"] == ("stf_ana",)
    assert by_time["10:00"] == ("stf_bea",)
    assert by_time["11:00"] == ("stf_ana", "stf_bea")


def test_given_total_availability_then_taken_slots_stay_bookable_online():
    cat = catalog(rules=BookingRules(total_availability=True))
    day = date(2026, 3, 24)
    assert "10:00" in starts(slots(cat, CUT, [cat.member("stf_ana")], [appointment("stf_ana", local(day, 10))],
                                   day, day, NOW))


# --- daylight saving time: Madrid springs forward on 29 March 2026 and falls back on 25 October 2026 ------


def all_week(hours: list[list[str]]) -> WeeklyHours:
    return WeeklyHours.from_json({d: hours for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})


def dst_catalog(hours: list[list[str]], step: int = 30) -> Catalog:
    business = factories.salon(opening_hours=all_week([["00:00", "24:00"]]),
                               rules=BookingRules(slot_step_minutes=step, min_notice_minutes=0, horizon_days=365))
    member = Staff("stf_night", "Noa", frozenset({"svc_cut"}), all_week(hours))
    return Catalog(business, (member,), (CUT,))


@pytest.mark.parametrize("day", [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30),
                                 date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)])
def test_given_a_nine_o_clock_shift_then_it_starts_at_nine_local_on_both_sides_of_dst(day):
    cat = dst_catalog([["09:00", "12:00"]])
    found = slots(cat, CUT, cat.staff, [], day, day, NOW)
    assert starts(found) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    assert all(s.end - s.start == timedelta(minutes=30) for s in found)


def test_given_the_spring_forward_night_then_no_slot_falls_in_the_skipped_hour():
    cat = dst_catalog([["00:00", "06:00"]])
    found = slots(cat, CUT, cat.staff, [], date(2026, 3, 29), date(2026, 3, 29), NOW)
    listed = starts(found)
    assert not [t for t in listed if t.startswith("02:")]
    assert listed == ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00", "05:30"]
    assert all(s.end - s.start == timedelta(minutes=30) for s in found)  # 01:30 ends at 03:00 local


def test_given_the_fall_back_night_then_no_instant_is_offered_twice():
    cat = dst_catalog([["00:00", "06:00"]])
    found = slots(cat, CUT, cat.staff, [], date(2026, 10, 25), date(2026, 10, 25), NOW)
    instants = [s.start for s in found]
    assert len(instants) == len(set(instants))
    assert instants == sorted(instants)
    # Seven real hours pass between local midnight and 06:00 this night: 14 half-hour slots.
    assert len(found) == 14


def test_given_a_45_minute_step_across_dst_then_every_start_stays_on_the_local_grid():
    cat = dst_catalog([["00:00", "24:00"]], step=45)
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        for slot in slots(cat, CUT, cat.staff, [], day, day, NOW):
            wall = slot.start.astimezone(MADRID)
            assert (wall.hour * 60 + wall.minute) % 45 == 0


# --- working time across midnight ---------------------------------------------------------------

LONG = replace(COLOR, buffer_before_minutes=0, buffer_after_minutes=0)  # 90 minutes, no buffers


def night_catalog(hours: dict[str, list[list[str]]], step: int = 30) -> Catalog:
    business = factories.salon(opening_hours=all_week([["00:00", "24:00"]]),
                               rules=BookingRules(slot_step_minutes=step, min_notice_minutes=0, horizon_days=365))
    member = Staff("stf_night", "Noa", frozenset({LONG.id}), WeeklyHours.from_json(hours))
    return Catalog(business, (member,), (LONG,))


def test_given_friday_night_continuing_into_saturday_then_a_long_service_starts_late_on_friday():
    cat = night_catalog({"fri": [["20:00", "24:00"]], "sat": [["00:00", "02:00"]]})
    friday = date(2026, 3, 20)
    listed = starts(slots(cat, LONG, cat.staff, [], friday, friday, NOW - timedelta(days=7)))
    assert listed == ["20:00", "20:30", "21:00", "21:30", "22:00", "22:30", "23:00", "23:30"]
    both = slots(cat, LONG, cat.staff, [], friday, friday + timedelta(days=1), NOW - timedelta(days=7))
    assert starts(both) == listed + ["00:00", "00:30"]  # one stretch, each start once
    late = local(friday, 23, 30).astimezone(UTC)
    offer = offer_for(cat, LONG, cat.staff, late, NOW - timedelta(days=7))
    assert offer.slot.end.astimezone(MADRID) == local(friday + timedelta(days=1), 1, 0)


def test_given_touching_windows_on_one_day_then_they_are_one_stretch():
    cat = night_catalog({"tue": [["09:00", "13:00"], ["13:00", "15:00"]]})
    day = date(2026, 3, 24)
    assert "12:00" in starts(slots(cat, LONG, cat.staff, [], day, day, NOW))


@pytest.mark.parametrize("saturday, sunday_end, last_start, real_minutes", [
    (date(2026, 3, 28), "04:00", "01:30", 7 * 60),  # 8 wall-clock hours, 02:00-03:00 does not exist
    (date(2026, 10, 24), "03:00", "02:30", 8 * 60),  # 7 wall-clock hours, 02:00-03:00 happens twice
])
def test_given_a_night_shift_across_a_dst_change_then_it_is_one_stretch_of_exact_minutes(
        saturday, sunday_end, last_start, real_minutes):
    cat = night_catalog({"sat": [["20:00", "24:00"]], "sun": [["00:00", sunday_end]]})
    found = slots(cat, LONG, cat.staff, [], saturday, saturday + timedelta(days=1), NOW)
    listed = starts(found)
    assert "23:00" in listed and "23:30" in listed and listed[-1] == last_start
    assert all(s.end - s.start == timedelta(minutes=90) for s in found)
    assert Interval(found[0].start, found[-1].end).minutes == real_minutes


# --- booking a slot ---------------------------------------------------------------------------------


def test_given_a_listed_slot_when_offered_then_it_names_the_free_professionals():
    cat = catalog()
    start = local(date(2026, 3, 24), 11).astimezone(UTC)
    offer = offer_for(cat, CUT, cat.performers("svc_cut"), start, NOW)
    assert offer.staff_ids == ("stf_ana", "stf_bea")


@pytest.mark.parametrize("start, code", [
    (NOW - timedelta(minutes=5), "start_in_past"),
    (NOW + timedelta(minutes=30), "too_soon"),
    (NOW + timedelta(days=90), "beyond_horizon"),
])
def test_given_a_start_outside_the_rules_then_it_is_refused_with_a_reason(start, code):
    cat = catalog()
    with pytest.raises(ValidationError) as refused:
        offer_for(cat, CUT, cat.staff, start, NOW)
    assert refused.value.code == code and refused.value.field == "start"


def test_given_a_start_off_the_grid_then_it_is_not_a_slot():
    cat = catalog()
    with pytest.raises(UnprocessableError) as refused:
        offer_for(cat, CUT, cat.staff, local(date(2026, 3, 24), 11, 7).astimezone(UTC), NOW)
    assert refused.value.code == "not_a_slot"


def test_lock_units_cover_the_busy_time_in_five_minute_units():
    busy = Interval(datetime(2026, 3, 24, 9, 50, tzinfo=UTC), datetime(2026, 3, 24, 10, 10, tzinfo=UTC))
    assert [u.strftime("%H:%M") for u in lock_units(busy)] == ["09:50", "09:55", "10:00", "10:05"]


# --- properties -------------------------------------------------------------------------------------

clock_minutes = st.integers(min_value=0, max_value=24 * 12).map(lambda n: n * 5)


@st.composite
def day_hours(draw):
    points = sorted(set(draw(st.lists(clock_minutes, min_size=0, max_size=6))))
    pairs = [(points[i], points[i + 1]) for i in range(0, len(points) - 1, 2)]
    return [[f"{s // 60:02d}:{s % 60:02d}", f"{e // 60:02d}:{e % 60:02d}"] for s, e in pairs if s < e]


@st.composite
def scenarios(draw):
    hours = {d: draw(day_hours()) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    step = draw(st.sampled_from([5, 10, 15, 20, 30, 45, 60]))
    zone = draw(st.sampled_from(["Europe/Madrid", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"]))
    first = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 20)))
    duration = draw(st.integers(min_value=1, max_value=24).map(lambda n: n * 5))
    before, after = draw(st.sampled_from([0, 5, 10])), draw(st.sampled_from([0, 5, 15]))
    service = Service("svc_x", "X", duration, Decimal("10"), buffer_before_minutes=before, buffer_after_minutes=after)
    business = factories.salon(timezone=zone, opening_hours=all_week([["00:00", "24:00"]]),
                               rules=BookingRules(slot_step_minutes=step, min_notice_minutes=0, horizon_days=400))
    member = Staff("stf_x", "X", frozenset({"svc_x"}), WeeklyHours.from_json(hours))
    tz = ZoneInfo(zone)
    booked = []
    for i, (offset, length) in enumerate(draw(st.lists(st.tuples(st.integers(0, 3 * 24 * 12),
                                                                  st.integers(1, 36)), max_size=8))):
        start = datetime.combine(first, datetime.min.time(), tzinfo=tz).astimezone(UTC) + timedelta(minutes=5 * offset)
        end = start + timedelta(minutes=5 * length)
        booked.append(Appointment(f"R{i}", "b", "c", "svc_x", "stf_x", start, end, Interval(start, end),
                                  AppointmentStatus.CONFIRMED, Source.ONLINE, Decimal("1"), "EUR", NOW, NOW))
    return Catalog(business, (member,), (service,)), service, member, booked, first


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_property_slots_are_free_inside_hours_and_on_the_grid(scenario):
    cat, service, member, booked, first = scenario
    tz = cat.business.tz
    now = datetime(2025, 12, 1, tzinfo=UTC)
    found = slots(cat, service, [member], booked, first, first + timedelta(days=2), now)
    for slot in found:
        span, busy = service.occupies(slot.start)
        assert not any(busy.overlaps(b.busy) for b in booked)
        wall = slot.start.astimezone(tz)
        assert (wall.hour * 60 + wall.minute) % cat.business.rules.slot_step_minutes == 0
        assert wall.second == 0
        assert _inside_hours(member.hours, span, tz)
        # booking a returned slot succeeds: it is offered again on its own
        assert offer_for(cat, service, [member], slot.start, now).staff_ids == ("stf_x",)
    assert len({s.start for s in found}) == len(found)


def _inside_hours(hours: WeeklyHours, span: Interval, tz: ZoneInfo) -> bool:
    """Inside one stretch of working time: windows that touch (across midnight too) are one."""
    from chalicelib.domain.calendar import local_instant

    day = span.start.astimezone(tz).date()
    stretches: list[list[datetime]] = []
    for d in (day - timedelta(days=1), day, day + timedelta(days=1)):
        for s, e in hours.on(d):
            start, end = local_instant(d, s, tz), local_instant(d, e, tz)
            if stretches and start <= stretches[-1][1]:
                stretches[-1][1] = max(stretches[-1][1], end)
            else:
                stretches.append([start, end])
    return any(start <= span.start and span.end <= end for start, end in stretches)
