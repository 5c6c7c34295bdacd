"""Reports read the counters the table's stream keeps: every figure below is counted by hand.

The salon (Madrid): Corte 25.00 / 30 min and Color 60.50 / 90 min, both in category "Pelo".
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from bench.counting import counting_dynamodb_calls
from chalicelib.domain.calendar import UTC, Interval
from chalicelib.domain.model import AppointmentStatus as S, Service, Source
from chalicelib.domain.principal import Level
from chalicelib.repositories.tables import MessageCountItem
from chalicelib.services import reports
from tests import factories
from tests.reports.helpers import appointment, feed, record

MARCH = "/admin/reports/{}?from=2026-03-01&to=2026-03-31"


@pytest.fixture
def march(agenda):
    """Four appointments in March: two completed (Ana), one cancelled and one no-show (Bea)."""
    a = agenda.book("2026-03-24T10:00:00+00:00", service="svc_cut", staff="stf_ana", source=Source.ONLINE)
    b = agenda.book("2026-03-25T10:00:00+00:00", service="svc_color", staff="stf_ana", source=Source.BACKOFFICE)
    c = agenda.book("2026-03-26T10:00:00+00:00", service="svc_cut", staff="stf_bea", source=Source.ONLINE)
    d = agenda.book("2026-03-27T10:00:00+00:00", service="svc_cut", staff="stf_bea", source=Source.BACKOFFICE)
    agenda.set(a, S.COMPLETED)
    agenda.set(b, S.COMPLETED)
    agenda.set(c, S.CANCELLED)
    agenda.set(d, S.NO_SHOW)
    return {"a": a, "b": b, "c": c, "d": d}


def get(client, login, path: str, level: Level = Level.RECEPTION_FULL, **headers):
    return client.http.get(path, headers={**login(level), **headers})


def totals(client, login, path: str = MARCH.format("sales")) -> tuple:
    body = get(client, login, path).json_body
    t = body["totals"]
    return t["booked"], t["completed"], t["minutes"], t["revenue"], t["cancelled"], t["no_show"]


def test_sales_count_each_figure_once_by_service_category_and_professional(client, login, march):
    body = get(client, login, MARCH.format("sales")).json_body
    assert body["date_used"].startswith("appointment date") and body["currency"] == "EUR"
    assert totals(client, login) == (4, 2, 120, "85.50", 1, 1)
    by_service = {r["name"]: (r["booked"], r["completed"], r["revenue"], r["cancelled"], r["no_show"])
                  for r in body["by_service"]}
    assert by_service == {"Color": (1, 1, "60.50", 0, 0), "Corte": (3, 1, "25.00", 1, 1)}
    assert [(r["id"], r["revenue"]) for r in body["by_category"]] == [("Pelo", "85.50")]
    by_staff = {r["name"]: (r["completed"], r["revenue"]) for r in body["by_professional"]}
    assert by_staff == {"Ana": (2, "85.50"), "Bea": (0, "0.00")}
    assert [(p["period"], p["revenue"]) for p in body["by_period"]] == [("2026-03", "85.50")]
    by_day = get(client, login, MARCH.format("sales") + "&group=day").json_body["by_period"]
    assert [(p["period"], p["revenue"], p["booked"]) for p in by_day] == [
        ("2026-03-24", "25.00", 1), ("2026-03-25", "60.50", 1), ("2026-03-26", "0.00", 1), ("2026-03-27", "0.00", 1)]
    by_week = get(client, login, MARCH.format("sales") + "&group=week").json_body["by_period"]
    assert [(p["period"], p["revenue"]) for p in by_week] == [("2026-W13", "85.50")]


def test_a_record_delivered_twice_or_late_counts_once(client, login, agenda, march):
    feed(client, *agenda.records)  # the whole stream again, oldest first
    feed(client, agenda.records[0])  # the booking of A again, after its completion
    assert totals(client, login) == (4, 2, 120, "85.50", 1, 1)


def test_a_cancelled_then_restored_appointment_moves_its_figures_back(client, login, agenda, march):
    agenda.set(march["a"], S.CANCELLED)
    assert totals(client, login) == (4, 1, 90, "60.50", 2, 1)
    agenda.set(march["a"], S.CONFIRMED)
    agenda.set(march["a"], S.COMPLETED)
    assert totals(client, login) == (4, 2, 120, "85.50", 1, 1)


def test_a_moved_appointment_leaves_its_old_day_and_professional(client, login, agenda, march):
    start = datetime.fromisoformat("2026-04-02T10:00:00+00:00")
    agenda.set(march["b"], start=start, end=start + timedelta(minutes=90),
               busy=Interval(start, start + timedelta(minutes=90)), staff_id="stf_bea")
    assert totals(client, login) == (3, 1, 30, "25.00", 1, 1)
    april = get(client, login, "/admin/reports/sales?from=2026-04-01&to=2026-04-30").json_body
    assert [(r["name"], r["revenue"]) for r in april["by_professional"]] == [("Bea", "60.50")]


def test_days_are_the_business_s_local_days_across_the_dst_change(client, login, agenda):
    # Madrid moves to summer time on Sunday 29 March 2026: both are 00:30 local, on the 29th and the 30th
    for start in ("2026-03-28T23:30:00+00:00", "2026-03-29T22:30:00+00:00"):
        agenda.set(agenda.book(start), S.COMPLETED)
    days = get(client, login, MARCH.format("sales") + "&group=day").json_body["by_period"]
    assert [(d["period"], d["completed"]) for d in days] == [("2026-03-29", 1), ("2026-03-30", 1)]
    saturday = get(client, login, "/admin/reports/sales?from=2026-03-28&to=2026-03-28").json_body
    assert saturday["totals"]["completed"] == 0


def test_five_years_are_a_bounded_number_of_reads(client, login, agenda):
    # one completed appointment in the first partial month, one in a whole month, one in the last partial
    # month, and one just after the period
    for start in ("2022-03-20T10:00:00+00:00", "2024-06-12T10:00:00+00:00", "2027-03-05T10:00:00+00:00",
                  "2027-03-20T10:00:00+00:00"):
        agenda.set(agenda.book(start), S.COMPLETED)
    path = "/admin/reports/sales?from=2022-03-15&to=2027-03-10"
    assert get(client, login, path).status_code == 200  # warm
    with counting_dynamodb_calls() as calls:
        body = get(client, login, path).json_body
    assert body["totals"]["completed"] == 3 and body["totals"]["revenue"] == "75.00"
    # the caller's account (authorizer), the catalog, the months, the two edges of days; never a scan
    assert len(calls) <= 5 and calls == calls.reads and not any(c.operation == "Scan" for c in calls), calls.detail()
    assert [p["period"] for p in body["by_period"]] == ["2022-03", "2024-06", "2027-03"]


def test_csv_has_the_same_totals_and_no_formulas(client, login, store, agenda, march):
    store.save_service("biz_salon", Service("svc_cut", "=HYPERLINK(\"x\")", 30, Decimal("25.00"), category="-Pelo"))
    response = get(client, login, MARCH.format("sales") + "&format=csv")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8"))))
    header = rows[1]
    found = {(r[0], r[header.index("name")] if "name" in header else ""): r for r in rows[2:]}
    total = found[("totals", "")]
    assert (total[header.index("completed")], total[header.index("revenue")]) == ("2", "85.50")
    names = {r[header.index("name")] for r in rows[2:] if r[0] == "by_service"}
    assert names == {"Color", "'=HYPERLINK(\"x\")"}
    assert {r[header.index("id")] for r in rows[2:] if r[0] == "by_category"} == {"Pelo"}  # counted at the time
    accepted = get(client, login, MARCH.format("sales"), accept="text/csv")
    assert accepted.body == response.body


def test_services_and_professionals_reports(client, login, march):
    services = get(client, login, MARCH.format("services")).json_body
    assert services["totals"] == {"performed": 2, "minutes": 120, "revenue": "85.50"}
    assert [(r["name"], r["performed"], r["minutes"]) for r in services["by_service"]] == [
        ("Color", 1, 90), ("Corte", 1, 30)]
    people = get(client, login, MARCH.format("professionals")).json_body
    rows = {r["name"]: (r["appointments"], r["completed"], r["no_show"], r["no_show_rate"], r["revenue"])
            for r in people["by_professional"]}
    assert rows == {"Ana": (2, 2, 0, "0.0000", "85.50"), "Bea": (2, 0, 1, "1.0000", "0.00"),
                    "Cris": (0, 0, 0, None, "0.00")}  # works, booked nothing: listed all the same


def test_statistics_simulate_the_time_online_booking_saved(client, login, march):
    default = get(client, login, MARCH.format("statistics")).json_body
    assert default["by_source"] == [{"source": "online", "appointments": 2}, {"source": "staff", "appointments": 2}]
    assert default["time_saved"]["hours_saved"] == "0.17" and default["time_saved"]["money_saved"] is None
    changed = client.http.put("/admin/reports/settings", headers={**login(Level.ADMIN), "content-type": "application/json"},
                              body='{"phone_booking_minutes": 6, "staff_hourly_cost": "18.00"}')
    assert changed.status_code == 200, changed.body
    saved = get(client, login, MARCH.format("statistics")).json_body["time_saved"]
    assert (saved["hours_saved"], saved["money_saved"]) == ("0.20", "3.60")  # 2 x 6 min = 0.2 h x 18.00
    assert saved["worked"] == "2 x 6 min / 60 = 0.20 h; 0.20 h x 18.00 = 3.60" and "hourly staff cost" in saved["formula"]
    MessageCountItem(pk="BIZ#biz_salon#MSGCOUNT", sk="2026-03-24#confirmed#sms", day="2026-03-24",
                     message_kind="confirmed", channel="sms", sent=2, failed=1, segments=3).save()
    MessageCountItem(pk="BIZ#biz_salon#MSGCOUNT", sk="2026-03-25#confirmed#sms", day="2026-03-25",
                     message_kind="confirmed", channel="sms", sent=1, segments=2).save()
    sent = get(client, login, MARCH.format("statistics")).json_body["messages"]
    assert sent == [{"kind": "confirmed", "channel": "sms", "sent": 3, "failed": 1, "skipped": 0, "unconfirmed": 0,
                     "segments": 5}]
    per_service = {r["name"]: r["appointments"] for r in
                   get(client, login, MARCH.format("statistics")).json_body["appointments_per_service"]}
    assert per_service == {"Color": 1, "Corte": 3}


@pytest.mark.parametrize("query, code, field", [
    ("from=2026-03-31&to=2026-03-01", "period_backwards", "to"),
    ("from=2020-01-01&to=2026-03-01", "range_too_long", "to"),
    ("from=2025-01-01&to=2026-03-01&group=day", "range_too_long", "group"),
    ("from=2026-03-01&to=2026-03-31&group=year", "invalid_group", "group"),
    ("from=2026-03-01&to=2026-03-31&format=pdf", "invalid_format", "format"),
    ("from=yesterday&to=2026-03-31", "invalid_date", "from"),
    ("to=2026-03-31", "required", "from"),
])
def test_bad_periods_are_400_with_code_and_field(client, login, query, code, field):
    response = get(client, login, f"/admin/reports/sales?{query}")
    assert response.status_code == 400
    assert (response.json_body["error"]["code"], response.json_body["error"]["field"]) == (code, field)


def test_bad_settings_are_400_and_need_an_administrator(client, login):
    headers = {**login(Level.ADMIN), "content-type": "application/json"}
    for body, field in (('{"phone_booking_minutes": 0}', "phone_booking_minutes"),
                        ('{"staff_hourly_cost": 18.5}', "staff_hourly_cost"), ('{"minutes": 5}', "minutes")):
        response = client.http.put("/admin/reports/settings", headers=headers, body=body)
        assert response.status_code == 400 and response.json_body["error"]["field"] == field
    manager = client.http.put("/admin/reports/settings", headers={**login(Level.MANAGER),
                                                                  "content-type": "application/json"}, body="{}")
    assert manager.status_code == 403


def test_a_professional_may_not_read_reports(client, login, march):
    assert get(client, login, MARCH.format("sales"), Level.PROFESSIONAL).status_code == 403


def test_reconciliation_repairs_a_lost_stream_record_and_nothing_else(client, login, store, agenda, march):
    # given a completed appointment whose stream records never arrived, and one whose cancellation was lost
    lost = appointment("2026-03-30T09:00:00+00:00", service="svc_color")
    factories.book(store, lost)
    factories.change(store, lost, lost.with_status(S.COMPLETED, lost.updated_at + timedelta(minutes=1)))
    before = agenda.current[march["a"]]
    factories.change(store, before, before.with_status(S.CANCELLED, before.updated_at + timedelta(minutes=1)))
    assert totals(client, login) == (4, 2, 120, "85.50", 1, 1)

    # when the reconciliation runs over March
    window = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    repaired = reports.reconcile(store.catalog("biz_salon"), store.appointments_between("biz_salon", *window))

    # then both are repaired, and a second run finds nothing to repair
    assert sorted(repaired) == sorted([lost.reference, march["a"]])
    assert totals(client, login) == (5, 2, 180, "121.00", 2, 1)
    assert reports.reconcile(store.catalog("biz_salon"), store.appointments_between("biz_salon", *window)) == []
    # and a stream record still on its way (the lost cancellation) counts nothing twice
    feed(client, record(march["a"]))
    assert totals(client, login) == (5, 2, 180, "121.00", 2, 1)


def put_rules(client, login, rules) -> object:
    import json

    return client.http.put("/admin/reports/commission-rules", body=json.dumps({"rules": rules}),
                           headers={**login(Level.ADMIN), "content-type": "application/json"})


def commission_of(client, login, name: str) -> str:
    body = get(client, login, MARCH.format("commissions")).json_body
    return {r["name"]: r["commission"] for r in body["by_professional"]}.get(name, "0.00")


def test_commissions_are_frozen_when_the_appointment_is_completed(client, login, agenda):
    # given everyone earns 10 %, Ana 20 % on colour, and a fixed 3.00 on cuts for Bea
    assert put_rules(client, login, [{"percent": "10"}, {"staff": "stf_ana", "service": "svc_color", "percent": "20"},
                                     {"staff": "stf_bea", "category": "Pelo", "fixed": "3.00"}]).status_code == 200
    colour = agenda.book("2026-03-24T10:00:00+00:00", service="svc_color", staff="stf_ana")
    cut = agenda.book("2026-03-24T12:00:00+00:00", service="svc_cut", staff="stf_ana")
    bea = agenda.book("2026-03-25T12:00:00+00:00", service="svc_cut", staff="stf_bea")
    for reference in (colour, cut, bea):
        agenda.set(reference, S.COMPLETED)
    # then 20 % of 60.50 = 12.10 plus 10 % of 25.00 = 2.50; Bea 3.00
    assert (commission_of(client, login, "Ana"), commission_of(client, login, "Bea")) == ("14.60", "3.00")

    # when the rules change afterwards, and an appointment completed before is touched again
    assert put_rules(client, login, [{"percent": "50"}]).status_code == 200
    feed(client, record(cut))
    agenda.set(cut, notes="came early")
    # then the past keeps its rules; one completed after the change earns by the new one
    assert commission_of(client, login, "Ana") == "14.60"
    later = agenda.book("2026-03-26T10:00:00+00:00", service="svc_cut", staff="stf_ana")
    agenda.set(later, S.COMPLETED)
    assert commission_of(client, login, "Ana") == "27.10"  # + 50 % of 25.00

    # and a completed appointment that is cancelled (refunded) gives its commission back
    agenda.set(colour, S.CANCELLED)
    assert commission_of(client, login, "Ana") == "15.00"
    total = get(client, login, MARCH.format("commissions")).json_body["totals"]
    assert total == {"completed": 3, "revenue": "75.00", "commission": "18.00"}


@pytest.mark.parametrize("rules, field", [
    ([{"percent": "10", "fixed": "2.00"}], "rules.0.percent"),
    ([{}], "rules.0.percent"),
    ([{"percent": "120"}], "rules.0.percent"),
    ([{"percent": "10"}, {"fixed": 2.5}], "rules.1.fixed"),
    ([{"percent": "10", "tier": 3}], "rules.0.tier"),
    ("all", "rules"),
    ([{"staff": "stf_nobody", "percent": "10"}], "rules.0.staff"),
    ([{"service": "svc_o_cut", "percent": "10"}], "rules.0.service"),  # the other business's
])
def test_bad_commission_rules_are_400(client, login, rules, field):
    response = put_rules(client, login, rules)
    assert response.status_code == 400 and response.json_body["error"]["field"] == field


def test_an_appointment_moved_within_its_month_moves_its_days_once(client, login, agenda, march):
    # the month's counters lose and gain the same figures: one update of each counter, not two
    start = datetime.fromisoformat("2026-03-30T10:00:00+00:00")
    agenda.set(march["b"], start=start, end=start + timedelta(minutes=90),
               busy=Interval(start, start + timedelta(minutes=90)))
    assert totals(client, login) == (4, 2, 120, "85.50", 1, 1)
    by_day = get(client, login, MARCH.format("sales") + "&group=day").json_body["by_period"]
    assert [(p["period"], p["revenue"]) for p in by_day if p["revenue"] != "0.00"] == [
        ("2026-03-24", "25.00"), ("2026-03-30", "60.50")]


def test_utilisation_is_hours_booked_over_working_hours_from_the_catalog(client, login, march):
    # Ana works Mon-Fri 9-13 and 14-18: 22 days in March = 176 h; booked: the cut and the colour, 2 h.
    # Bea works Tue-Sat 10-19: 21 days = 189 h, less Thursday 26 off (9 h) = 180 h; booked: the no-show's
    # 30 min (it held her time; the cancelled one did not).
    body = get(client, login, MARCH.format("professionals")).json_body
    rows = {r["name"]: (r["booked_hours"], r["working_hours"], r["utilisation"]) for r in body["by_professional"]}
    # Cris (the signed-in world's third professional, Ana's hours) booked nothing.
    assert rows == {"Ana": ("2.00", "176.00", "0.0114"), "Bea": ("0.50", "180.00", "0.0028"),
                    "Cris": ("0.00", "176.00", "0.0000")}
    assert (body["totals"]["booked_hours"], body["totals"]["working_hours"], body["totals"]["utilisation"]) == (
        "2.50", "532.00", "0.0047")  # 150 / 31920 min


def test_working_minutes_follow_local_days_across_the_dst_change():
    from zoneinfo import ZoneInfo

    from chalicelib.domain.calendar import UTC, WeeklyHours
    from chalicelib.domain.model import Staff
    from chalicelib.domain.utilisation import working_minutes
    from datetime import date

    madrid = ZoneInfo("Europe/Madrid")
    night = Staff("stf_n", "N", frozenset(), WeeklyHours.from_json({"sun": [["00:00", "24:00"]]}))
    assert working_minutes(night, date(2026, 3, 29), date(2026, 3, 29), madrid) == 23 * 60  # spring forward
    assert working_minutes(night, date(2026, 10, 25), date(2026, 10, 25), madrid) == 25 * 60  # fall back
    off = Staff("stf_n", "N", frozenset(), night.hours,
                time_off=(Interval(datetime(2026, 3, 29, 10, tzinfo=UTC), datetime(2026, 3, 29, 12, tzinfo=UTC)),))
    assert working_minutes(off, date(2026, 3, 23), date(2026, 3, 29), madrid) == 21 * 60


def put_settings(client, login, body: str):
    return client.http.put("/admin/reports/settings", body=body,
                           headers={**login(Level.ADMIN), "content-type": "application/json"})


def fee_totals(client, login) -> tuple:
    t = get(client, login, MARCH.format("sales")).json_body["totals"]
    return t["cancelled"], t["late_cancelled"], t["late_cancel_fees"], t["no_show"], t["no_show_fees"], t["revenue"]


def test_late_cancellations_and_no_shows_count_their_fees_apart_and_frozen(client, login, agenda, march):
    # given fees of 10.00 for a cancellation with less than 24 h notice and 15.00 for a no-show
    changed = put_settings(client, login, '{"late_cancel_fee": "10.00", "late_cancel_hours": 24, "no_show_fee": "15.00"}')
    assert changed.status_code == 200 and changed.json_body["late_cancel_hours"] == 24, changed.body
    late = agenda.book("2026-03-23T20:00:00+00:00")  # cancelled 13 h before (the clock is 23 Mar 07:00 UTC)
    agenda.set(late, S.CANCELLED)
    missed = agenda.book("2026-03-30T10:00:00+00:00", staff="stf_bea")
    agenda.set(missed, S.NO_SHOW)
    agenda.set(march["d"], notes="called")  # a no-show counted before the fee existed stays without one
    # then: C was cancelled three days ahead (no fee); fees are not revenue
    assert fee_totals(client, login) == (2, 1, "10.00", 2, "15.00", "85.50")

    # when the fees change, the past keeps its own
    assert put_settings(client, login, '{"late_cancel_fee": "20.00", "no_show_fee": null}').status_code == 200
    agenda.set(late, notes="rang later")
    agenda.set(missed, notes="rang later")
    assert fee_totals(client, login) == (2, 1, "10.00", 2, "15.00", "85.50")
    # and a late cancellation restored, then cancelled again, is counted afresh by today's settings
    agenda.set(late, S.CONFIRMED)
    assert fee_totals(client, login) == (1, 0, "0.00", 2, "15.00", "85.50")
    agenda.set(late, S.CANCELLED)
    assert fee_totals(client, login) == (2, 1, "20.00", 2, "15.00", "85.50")


@pytest.mark.parametrize("body, field", [('{"late_cancel_hours": 0}', "late_cancel_hours"),
                                         ('{"late_cancel_fee": 10.5}', "late_cancel_fee"),
                                         ('{"no_show_fee": "-1.00"}', "no_show_fee")])
def test_bad_fee_settings_are_400(client, login, body, field):
    response = put_settings(client, login, body)
    assert response.status_code == 400 and response.json_body["error"]["field"] == field


def test_tiered_commissions_are_marginal_over_the_periods_revenue_and_costs_come_off(client, login, agenda):
    # Ana: 10 % up to 100.00, 15 % above; Bea: 20 % of the price less a 5.00 cost; Cris: 20 %, then 2.00 off
    assert put_rules(client, login, [
        {"staff": "stf_ana", "tiers": [{"from": "0.00", "percent": "10"}, {"from": "100.00", "percent": "15"}]},
        {"staff": "stf_bea", "percent": "20", "cost": "5.00", "deduct": "before"},
        {"staff": "stf_cris", "percent": "20", "cost": "2.00", "deduct": "after"}]).status_code == 200
    done = {}
    for key, start, service, staff in (("c1", "2026-03-24T09:00:00+00:00", "svc_color", "stf_ana"),
                                       ("c2", "2026-03-25T09:00:00+00:00", "svc_color", "stf_ana"),
                                       ("cut", "2026-03-26T09:00:00+00:00", "svc_cut", "stf_ana"),
                                       ("bea", "2026-03-26T12:00:00+00:00", "svc_cut", "stf_bea"),
                                       ("cris", "2026-03-27T12:00:00+00:00", "svc_cut", "stf_cris")):
        done[key] = agenda.book(start, service=service, staff=staff)
        agenda.set(done[key], S.COMPLETED)
    body = get(client, login, MARCH.format("commissions")).json_body
    rows = {r["name"]: r for r in body["by_professional"]}
    # Ana: 146.00 of revenue = 100.00 x 10 % + 46.00 x 15 % = 10.00 + 6.90 (whole-period would be 21.90)
    assert rows["Ana"]["commission"] == "16.90"
    (tiered,) = rows["Ana"]["tiered"]
    assert [(b["from"], b["to"], b["revenue"], b["commission"]) for b in tiered["bands"]] == [
        ("0.00", "100.00", "100.00", "10.00"), ("100.00", None, "46.00", "6.90")]
    assert rows["Bea"]["commission"] == "4.00"  # 20 % of (25.00 - 5.00)
    assert rows["Cris"]["commission"] == "3.00"  # 20 % of 25.00 = 5.00, less 2.00
    assert body["totals"]["commission"] == "23.90"

    # when Ana's rule becomes a flat 50 %, what she completed before keeps its tiers; the next earns 50 %
    assert put_rules(client, login, [{"staff": "stf_ana", "percent": "50"}]).status_code == 200
    agenda.set(done["cut"], notes="touched again")
    after = agenda.book("2026-03-30T09:00:00+00:00", service="svc_cut", staff="stf_ana")
    agenda.set(after, S.COMPLETED)
    assert commission_of(client, login, "Ana") == "29.40"  # 16.90 + 12.50
    # and a tiered visit refunded after completion takes its revenue out of the bands: 85.50 x 10 %
    agenda.set(done["c2"], S.CANCELLED)
    assert commission_of(client, login, "Ana") == "21.05"  # 8.55 + 12.50


@pytest.mark.parametrize("rules, field", [
    ([{"tiers": [{"from": "10.00", "percent": "10"}]}], "rules.0.tiers.0.from"),
    ([{"tiers": [{"from": "0", "percent": "10"}, {"from": "0", "percent": "15"}]}], "rules.0.tiers.1.from"),
    ([{"tiers": []}], "rules.0.tiers"),
    ([{"tiers": [{"from": "0", "percent": "101"}]}], "rules.0.tiers.0.percent"),
    ([{"fixed": "3.00", "cost": "1.00"}], "rules.0.cost"),
    ([{"percent": "10", "deduct": "later"}], "rules.0.deduct"),
    ([{"percent": "10", "tiers": [{"from": "0", "percent": "10"}]}], "rules.0.percent"),
])
def test_bad_tiers_and_costs_are_400(client, login, rules, field):
    response = put_rules(client, login, rules)
    assert response.status_code == 400 and response.json_body["error"]["field"] == field, response.body
