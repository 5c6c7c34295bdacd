"""Which working time a calendar change gives back (domain/freed_time.py), pure: only what is newly workable,
from now to the end of the booking horizon, per professional or desk; narrowing frees nothing."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.calendar import UTC, Interval, WeeklyHours
from chalicelib.domain.freed_time import MAX_FREED, freed_events, freed_time, with_change
from chalicelib.domain.model import Catalog, ResourceRef
from chalicelib.domain.special_days import Closure, SpecialDays, SpecialHours
from tests.factories import NOW, salon, services, staff

CATALOG = Catalog(salon(), tuple(staff()), tuple(services()))
ANA, BEA = CATALOG.member("stf_ana"), CATALOG.member("stf_bea")
A, B = ResourceRef("staff", "stf_ana"), ResourceRef("staff", "stf_bea")


def utc(day: int, hh_mm: str, month: int = 3) -> datetime:  # Madrid is UTC+1 until 29 March, then UTC+2
    hour, minute = map(int, hh_mm.split(":"))
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def freed(after) -> list[tuple[ResourceRef, Interval]]:
    return freed_time(CATALOG, with_change(CATALOG, after), NOW)


def test_removing_time_off_frees_the_working_windows_it_covered_and_nothing_else():
    # Bea's day off, Thursday 26 March, removed: her 10:00-19:00 (Madrid) that day
    assert freed(replace(BEA, time_off=())) == [(B, Interval(utc(26, "09:00"), utc(26, "18:00")))]


def test_new_time_off_and_an_unchanged_catalog_free_nothing():
    off = (Interval(utc(24, "08:00"), utc(24, "12:00")),)
    assert freed(replace(ANA, time_off=off)) == []
    assert freed_time(CATALOG, CATALOG, NOW) == []


def test_widening_weekly_hours_frees_the_new_hour_on_every_week_up_to_the_horizon():
    wider = replace(ANA, hours=WeeklyHours.from_json({"tue": [["09:00", "13:00"], ["14:00", "19:00"]]}
                                                     | {d: [["09:00", "13:00"], ["14:00", "18:00"]]
                                                        for d in ("mon", "wed", "thu", "fri")}))
    found = freed(wider)
    assert found[0] == (A, Interval(utc(24, "17:00"), utc(24, "18:00")))  # Tuesday 18:00-19:00 in Madrid
    assert found[1] == (A, Interval(utc(31, "16:00"), utc(31, "17:00")))  # summer time: UTC+2
    assert {ref for ref, _ in found} == {A} and len(found) == 9  # the Tuesdays of the 60-day horizon
    assert all(i.start.astimezone(salon().tz).strftime("%a %H:%M") == "Tue 18:00" for _, i in found)


def test_narrowing_weekly_hours_frees_nothing():
    narrower = replace(ANA, hours=WeeklyHours.from_json({d: [["09:00", "13:00"]] for d in ("mon", "tue")}))
    assert freed(narrower) == []


def test_wider_opening_hours_free_only_what_someone_works_in_them():
    business = replace(CATALOG.business, opening_hours=WeeklyHours.from_json(
        {d: [["08:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}))
    assert freed(business) == []  # nobody works before 09:00 or after 19:00
    shorter = replace(CATALOG, business=replace(CATALOG.business, opening_hours=WeeklyHours.from_json(
        {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")})))
    found = freed_time(shorter, CATALOG, NOW)  # back to 09:00-20:00: Ana 17-18, Bea 17-19 again
    assert (A, Interval(utc(23, "16:00"), utc(23, "17:00"))) in found
    assert (B, Interval(utc(24, "16:00"), utc(24, "18:00"))) in found


def test_removing_a_closure_or_widening_special_hours_frees_that_day():
    closed = replace(CATALOG, special_days=SpecialDays(closures=(Closure("clo_1", "Fiesta", date(2026, 3, 25), date(2026, 3, 25)),)))
    assert freed_time(closed, CATALOG, NOW) == [(A, Interval(utc(25, "08:00"), utc(25, "12:00"))),
                                                (B, Interval(utc(25, "09:00"), utc(25, "18:00"))),
                                                (A, Interval(utc(25, "13:00"), utc(25, "17:00")))]
    short = SpecialDays(hours=(SpecialHours("sph_1", date(2026, 3, 25), ((600, 720),), "staff", "stf_ana"),))
    longer = SpecialDays(hours=(SpecialHours("sph_1", date(2026, 3, 25), ((600, 900),), "staff", "stf_ana"),))
    assert freed_time(with_change(CATALOG, short), with_change(CATALOG, longer), NOW) == [
        (A, Interval(utc(25, "11:00"), utc(25, "14:00")))]


def test_only_time_from_now_counts():
    later = NOW + timedelta(hours=3)  # Monday 11:00 in Madrid
    found = freed_time(with_change(CATALOG, replace(ANA, hours=WeeklyHours())), CATALOG, later)
    assert found[0] == (A, Interval(later, utc(23, "12:00")))


def test_the_change_s_audit_entry_carries_one_event_per_freed_interval_soonest_first_and_at_most_a_hundred():
    entry = AuditEntry("biz_salon", NOW, "stf_boss", "", 1, "staff.update", "staff", "stf_bea", None, None)
    carried = freed_events(CATALOG, with_change(CATALOG, replace(BEA, time_off=())), entry)
    [event] = carried.events
    assert (event.name.value, event.reference, event.resource, event.by) == ("time_freed", "staff:stf_bea", B,
                                                                              "stf_boss")
    assert freed_events(CATALOG, CATALOG, entry) is entry
    every_day = WeeklyHours.from_json({d: [["09:00", "10:00"], ["11:00", "12:00"]]
                                       for d in ("mon", "tue", "wed", "thu", "fri", "sat")})
    many = freed_events(with_change(CATALOG, replace(ANA, hours=WeeklyHours())),
                        with_change(CATALOG, replace(ANA, hours=every_day)), entry).events
    assert len(many) == MAX_FREED and [e.interval.start for e in many] == sorted(e.interval.start for e in many)
