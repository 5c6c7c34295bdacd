"""Plans' rules, pure: validity at its edges and across a DST change, which plan covers, how units move."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain import plans as p
from chalicelib.domain.calendar import UTC, local_instant
from chalicelib.domain.model import Appointment, AppointmentStatus as S, Service, Source
from chalicelib.domain.plans import EntryKind as K, ItemKind, PlanItem, Validity, ValidityUnit as U
from chalicelib.errors import UnprocessableError

MADRID = ZoneInfo("Europe/Madrid")
CUT = Service("svc_cut", "Corte", 30, Decimal("25.00"), category="Pelo")
COLOR = Service("svc_color", "Color", 90, Decimal("60.50"), category="Pelo")
NAILS = Service("svc_nails", "Uñas", 30, Decimal("15.00"), category="Manos")
SOLD_AT = datetime(2026, 3, 1, 10, tzinfo=UTC)


def sold(start=date(2026, 3, 1), validity=Validity(1, U.MONTHS), items=None, at=SOLD_AT, ident="pln_a",
         late=p.LateRule.RELEASE) -> p.SoldPlan:
    template = p.PlanTemplate("tpl", "biz", "Bono", items or (PlanItem(ItemKind.SERVICE, "svc_cut", 2),),
                              Decimal("40.00"), validity)
    plan, _ = p.sell(template, client_id="cli", start=start, currency="EUR", late_rule=late, now=at, by="stf")
    return replace(plan, id=ident)


@pytest.mark.parametrize("start, validity, last", [
    (date(2026, 1, 31), Validity(1, U.MONTHS), date(2026, 2, 28)),  # no 31 February: the end of February
    (date(2028, 1, 31), Validity(1, U.MONTHS), date(2028, 2, 29)),  # a leap year
    (date(2026, 1, 15), Validity(1, U.MONTHS), date(2026, 2, 14)),
    (date(2026, 11, 30), Validity(3, U.MONTHS), date(2027, 2, 28)),
    (date(2026, 3, 1), Validity(1, U.DAYS), date(2026, 3, 1)),  # one day: the start day only
    (date(2026, 3, 1), Validity(30, U.DAYS), date(2026, 3, 30)),
    (date(2026, 12, 15), Validity(12, U.MONTHS), date(2027, 12, 14)),
])
def test_validity_ends_the_day_before_the_same_date_later(start, validity, last):
    assert validity.last_day(start) == last


def test_a_plan_covers_its_first_and_last_local_days_and_nothing_outside():
    plan = sold()  # 1 March - 31 March
    assert plan.end == date(2026, 3, 31)
    assert p.coverage([plan], [CUT], date(2026, 2, 28)).case is None
    assert p.coverage([plan], [CUT], date(2026, 3, 1)).case == 1
    assert p.coverage([plan], [CUT], date(2026, 3, 31)).case == 1
    assert p.coverage([plan], [CUT], date(2026, 4, 1)).case is None


def test_the_appointments_local_date_decides_across_the_dst_change():
    # Madrid moves to summer time on Sunday 29 March 2026: the plan ends on the 31st, at local midnight
    plan = sold()
    ends = plan.ends_at(MADRID)
    assert ends == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # 00:00 on 1 April in CEST (UTC+2)
    last_minute = datetime(2026, 3, 31, 21, 59, tzinfo=UTC)  # 23:59 local on the 31st
    first_after = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # 00:00 local on 1 April (still 31 March in UTC)
    assert p.coverage([plan], [CUT], p.local_day(last_minute, MADRID)).case == 1
    assert p.coverage([plan], [CUT], p.local_day(first_after, MADRID)).case is None
    # a plan of 1 day starting on the DST Sunday covers that whole 23-hour local day
    short = sold(start=date(2026, 3, 29), validity=Validity(1, U.DAYS))
    assert short.ends_at(MADRID) - local_instant(date(2026, 3, 29), 0, MADRID) == timedelta(hours=23)


def test_cases_one_two_and_three():
    plan = sold(items=(PlanItem(ItemKind.SERVICE, "svc_cut", 1), PlanItem(ItemKind.CATEGORY, "Pelo", 1)))
    day = date(2026, 3, 10)
    assert p.coverage([plan], [CUT, COLOR], day).case == 1
    assert p.coverage([plan], [CUT, COLOR, NAILS], day).case == 2
    assert p.coverage([plan], [NAILS], day).case == 3
    assert p.coverage([], [CUT], day).case is None
    # two cuts: the first from the cut's own item, the second from the category's
    both = p.coverage([plan], [CUT, CUT], day)
    assert [c.item for c in both.covered] == [0, 1] and both.remaining() == {plan.id: [0, 0]}
    assert p.coverage([plan], [CUT, CUT, CUT], day).case == 2


def test_the_plan_expiring_soonest_covers_first_and_ties_go_to_the_oldest_sale():
    later_end = sold(validity=Validity(2, U.MONTHS), ident="pln_long")
    sooner = sold(ident="pln_soon", at=SOLD_AT + timedelta(days=1))
    same_end_newer = sold(ident="pln_new", at=SOLD_AT + timedelta(days=2))
    chosen = p.coverage([later_end, same_end_newer, sooner], [CUT], date(2026, 3, 10)).covered[0]
    assert chosen.plan.id == "pln_soon"
    used_up = replace(sooner, available=(0,))
    assert p.coverage([later_end, same_end_newer, used_up], [CUT], date(2026, 3, 10)).covered[0].plan.id == "pln_new"


def appointment(plan, status=S.CONFIRMED, start=datetime(2026, 3, 10, 10, tzinfo=UTC), now=SOLD_AT):
    hold = p.hold_for(p.Covered("svc_cut", plan, 0), MADRID, 24 * 60)
    span, busy = CUT.occupies(start)
    return Appointment("REF1", "biz", "cli", CUT.id, "stf_ana", span.start, span.end, busy, status, Source.ONLINE,
                       CUT.price, "EUR", now, now, plan=hold)


def kinds(moves):
    return [(m.kind, m.units) if isinstance(m, p.LedgerEntry) else ("units", m.delta) for m in moves]


def test_units_move_with_the_appointment():
    plan = sold()
    booked = appointment(plan)
    assert kinds(p.unit_moves(None, booked, "client")) == [(K.HOLD, 1), ("units", -1)]
    later = booked.updated_at + timedelta(days=1)
    assert kinds(p.unit_moves(booked, replace(booked, status=S.COMPLETED, updated_at=later), "stf")) == [(K.USE, 1)]
    assert kinds(p.unit_moves(booked, replace(booked, status=S.REJECTED, updated_at=later), "stf")) == [
        (K.RELEASE, 1), ("units", 1)]
    # cancelled a few hours before (notice 24 h): late, but the default rule gives the unit back
    late = booked.start - timedelta(hours=3)
    assert kinds(p.unit_moves(booked, replace(booked, status=S.CANCELLED, updated_at=late), "stf")) == [
        (K.RELEASE, 1), ("units", 1)]
    assert kinds(p.unit_moves(booked, replace(booked, status=S.NO_SHOW, updated_at=later), "stf")) == [
        (K.RELEASE, 1), ("units", 1)]


def test_the_late_rule_use_counts_a_late_cancellation_and_a_no_show_but_not_an_early_cancellation():
    booked = appointment(sold(late=p.LateRule.USE))
    early = booked.start - timedelta(hours=25)
    late = booked.start - timedelta(hours=23)
    assert kinds(p.unit_moves(booked, replace(booked, status=S.CANCELLED, updated_at=early), "c")) == [
        (K.RELEASE, 1), ("units", 1)]
    assert kinds(p.unit_moves(booked, replace(booked, status=S.CANCELLED, updated_at=late), "c")) == [(K.USE, 1)]
    assert kinds(p.unit_moves(booked, replace(booked, status=S.NO_SHOW, updated_at=booked.start), "s")) == [
        (K.USE, 1)]


def test_a_unit_given_back_after_the_plan_ended_expires_at_once_and_a_move_past_the_end_is_refused():
    plan = sold()
    booked = appointment(plan, start=datetime(2026, 3, 31, 9, tzinfo=UTC))
    after_end = plan.ends_at(MADRID) + timedelta(hours=1)
    assert kinds(p.unit_moves(booked, replace(booked, status=S.CANCELLED, updated_at=after_end), "s")) == [
        (K.RELEASE, 1), (K.EXPIRE, 1)]
    with pytest.raises(UnprocessableError) as refused:
        p.unit_moves(booked, replace(booked, start=datetime(2026, 4, 2, 9, tzinfo=UTC)), "s")
    assert refused.value.code == "plan_ends_before"


def test_balances_come_from_the_ledger_alone():
    plan = sold()
    e = lambda kind, units=1: p.LedgerEntry("biz", plan.id, 0, kind, units, SOLD_AT, "s")  # noqa: E731
    ledger = [e(K.SALE, 2), e(K.HOLD), e(K.HOLD), e(K.RELEASE), e(K.USE), e(K.ADJUSTMENT, 3), e(K.EXPIRE, 2)]
    [balance] = p.balances(plan.terms.items, ledger)
    assert (balance.sold, balance.held, balance.used, balance.adjusted, balance.expired) == (2, 0, 1, 3, 2)
    assert balance.available == 2 == sum(x.delta for x in ledger)


def test_expiry_takes_what_is_available_and_leaves_held_units():
    plan = replace(sold(), available=(1,))
    [entry] = p.expiry(plan, SOLD_AT)
    assert (entry.kind, entry.units) == (K.EXPIRE, 1)
    assert p.expiry(replace(plan, available=(0,)), SOLD_AT) == []
