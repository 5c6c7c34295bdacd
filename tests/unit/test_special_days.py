"""Closures and special hours (domain/special_days.py) as availability and the booking check see them:
yearly closures (new year, 29 February), special hours for the business or one professional, DST days."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from chalicelib.domain.booking import offer_for, slots
from chalicelib.domain.calendar import UTC
from chalicelib.domain.model import Catalog
from chalicelib.domain.special_days import Closure, SpecialDays, SpecialHours
from chalicelib.errors import UnprocessableError, ValidationError
from tests import factories

NOW = factories.NOW  # Monday 23 March 2026, 08:00 Madrid
TUESDAY, WEDNESDAY = date(2026, 3, 24), date(2026, 3, 25)


def catalog(*entries, opening=None) -> Catalog:
    closures = tuple(e for e in entries if isinstance(e, Closure))
    hours = tuple(e for e in entries if isinstance(e, SpecialHours))
    business = factories.salon() if opening is None else factories.salon(opening_hours=opening)
    return Catalog(business, tuple(factories.staff()), tuple(factories.services()), SpecialDays(closures, hours))


def starts(cat: Catalog, day: date, staff: str = "stf_ana", service: str = "svc_cut", now=NOW) -> list[str]:
    member = [cat.member(staff)]
    found = slots(cat, cat.service(service), member, (), day, day, now, online=False)
    return [s.start.astimezone(cat.business.tz).strftime("%H:%M") for s in found]


def closure(first: str, last: str | None = None, yearly: bool = False, name: str = "Holiday") -> Closure:
    return Closure("clo_1", name, date.fromisoformat(first), date.fromisoformat(last or first), yearly)


def hours(day: str, *intervals, kind: str = "business", resource: str = "", name: str = "") -> SpecialHours:
    return SpecialHours(f"sph_{kind}{resource}{day}", date.fromisoformat(day), tuple(intervals), kind, resource, name)


# -- which days a closure covers ------------------------------------------------------------------
def test_a_yearly_closure_comes_back_every_year_and_a_one_off_does_not():
    christmas = closure("2026-12-25", yearly=True)
    assert christmas.covers(date(2026, 12, 25)) and christmas.covers(date(2031, 12, 25))
    assert not christmas.covers(date(2026, 12, 24)) and not christmas.covers(date(2026, 12, 26))
    once = closure("2026-12-25")
    assert once.covers(date(2026, 12, 25)) and not once.covers(date(2027, 12, 25))


def test_a_yearly_range_may_run_over_the_new_year():
    holidays = closure("2026-12-24", "2027-01-06", yearly=True)
    assert all(holidays.covers(d) for d in (date(2030, 12, 24), date(2030, 12, 31), date(2031, 1, 1), date(2031, 1, 6)))
    assert not holidays.covers(date(2031, 1, 7)) and not holidays.covers(date(2030, 12, 23))


def test_a_yearly_29_february_is_closed_in_leap_years_only():
    leap = closure("2028-02-29", yearly=True)
    assert leap.covers(date(2032, 2, 29))
    assert leap.days(date(2029, 2, 1), date(2029, 3, 31)) == []  # 2029 has no 29 February: nothing closes
    around = closure("2028-02-28", "2028-03-01", yearly=True)
    assert around.days(date(2029, 2, 27), date(2029, 3, 2)) == [date(2029, 2, 28), date(2029, 3, 1)]
    assert around.days(date(2032, 2, 27), date(2032, 3, 2)) == [date(2032, 2, 28), date(2032, 2, 29), date(2032, 3, 1)]


def test_a_closure_must_end_after_it_starts_and_last_less_than_a_year():
    with pytest.raises(ValidationError) as backwards:
        closure("2026-12-25", "2026-12-24")
    assert backwards.value.field == "last_day"
    with pytest.raises(ValidationError) as long:
        closure("2026-01-01", "2026-12-31", yearly=True)
    assert long.value.code == "too_long"


# -- availability and the booking check -----------------------------------------------------------
def test_a_closure_closes_the_day_for_everyone_and_the_next_day_is_open():
    cat = catalog(closure("2026-03-24", name="San José"))
    assert starts(cat, TUESDAY) == [] and starts(cat, TUESDAY, "stf_bea") == []
    assert starts(cat, WEDNESDAY)[:2] == ["09:00", "09:05"]


def test_the_booking_check_refuses_a_start_on_a_closed_day():
    cat = catalog(closure("2026-03-24", yearly=True))
    at = datetime.fromisoformat("2026-03-24T11:00:00+01:00")
    with pytest.raises(UnprocessableError) as refused:
        offer_for(cat, cat.service("svc_cut"), [cat.member("stf_ana")], at, NOW)
    assert refused.value.code == "not_a_slot"
    assert offer_for(catalog(), catalog().service("svc_cut"), [cat.member("stf_ana")], at, NOW).slot.start == at


def test_special_business_hours_narrow_everyone_on_that_date_only():
    # Ana works 09-13 and 14-18; on Tuesday the salon opens 10:00-14:00 only
    cat = catalog(hours("2026-03-24", (600, 840)))
    tuesday = starts(cat, TUESDAY)
    assert tuesday[0] == "10:00" and tuesday[-1] == "12:30"  # within her own hours too: her break stays
    assert starts(cat, WEDNESDAY)[0] == "09:00"


def test_special_hours_may_open_a_day_the_week_keeps_closed_for_one_professional():
    # the salon never opens on Sundays; on 29 March it opens 10:00-13:00, and Bea works 10:00-12:00
    sunday = date(2026, 3, 29)
    cat = catalog(hours("2026-03-29", (600, 780)), hours("2026-03-29", (600, 720), kind="staff", resource="stf_bea"))
    assert starts(cat, sunday, "stf_bea")[0] == "10:00" and starts(cat, sunday, "stf_bea")[-1] == "11:30"
    assert starts(cat, sunday, "stf_ana") == []  # Ana has no hours on Sundays, special business hours or not


def test_a_professional_closed_by_special_hours_has_no_slots_but_colleagues_do():
    cat = catalog(hours("2026-03-25", kind="staff", resource="stf_ana"))
    assert starts(cat, WEDNESDAY) == [] and starts(cat, WEDNESDAY, "stf_bea")


def test_a_closure_wins_over_special_hours():
    cat = catalog(closure("2026-03-24"), hours("2026-03-24", (600, 840)))
    assert starts(cat, TUESDAY) == []


def test_special_hours_on_the_spring_forward_night_count_real_minutes():
    # Sunday 29 March 2026, Madrid: 02:00 becomes 03:00. Open 01:00-05:00 (three real hours)
    sunday = date(2026, 3, 29)
    cat = catalog(hours("2026-03-29", (60, 300)), hours("2026-03-29", (60, 300), kind="staff", resource="stf_ana"))
    found = slots(cat, cat.service("svc_cut"), [cat.member("stf_ana")], (), sunday, sunday, NOW, online=False)
    local = [s.start.astimezone(cat.business.tz).strftime("%H:%M") for s in found]
    assert local[0] == "01:00" and not any(t.startswith("02:") for t in local) and local[-1] == "04:30"
    last_before = next(s for s in found if s.start.astimezone(cat.business.tz).strftime("%H:%M") == "01:55")
    assert last_before.end.astimezone(cat.business.tz).strftime("%H:%M") == "03:25"  # 30 real minutes


def test_special_hours_on_the_fall_back_night_offer_the_repeated_hour_twice():
    # Sunday 25 October 2026, Madrid: 03:00 goes back to 02:00. Open 01:00-04:00 (four real hours)
    sunday = date(2026, 10, 25)
    now = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
    cat = catalog(hours("2026-10-25", (60, 240)), hours("2026-10-25", (60, 240), kind="staff", resource="stf_ana"))
    found = slots(cat, cat.service("svc_cut"), [cat.member("stf_ana")], (), sunday, sunday, now, online=False)
    assert (found[-1].end - found[0].start).total_seconds() == 4 * 3600
    assert len([s for s in found if s.start.astimezone(cat.business.tz).hour == 2]) == 24  # 12 + 12


def test_a_closure_on_the_fall_back_sunday_closes_all_25_hours():
    now = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
    opening = factories.salon().opening_hours
    always = replace(opening, days=tuple(((0, 1440),) for _ in range(7)))
    staff = [replace(factories.staff()[0], hours=always)]
    cat = replace(catalog(closure("2026-10-25"), opening=always), staff=tuple(staff))
    found = slots(cat, cat.service("svc_cut"), staff, (), date(2026, 10, 24), date(2026, 10, 26), now, online=False)
    days = {s.start.astimezone(cat.business.tz).date() for s in found}
    assert days == {date(2026, 10, 24), date(2026, 10, 26)}


def test_closed_days_name_the_closure_or_the_special_hours():
    cat = catalog(closure("2026-12-25", yearly=True, name="Navidad"), hours("2026-12-24", name="Nochebuena"),
                  hours("2026-12-31", (600, 840), name="Nochevieja"))
    found = cat.special_days.closed_days(date(2026, 12, 20), date(2026, 12, 31), cat.business.opening_hours)
    assert found == [(date(2026, 12, 24), "Nochebuena"), (date(2026, 12, 25), "Navidad")]
