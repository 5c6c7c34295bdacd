"""What a hold keeps (domain/openings.py), pure: the professional, and for a service that needs a desk the
desk and its operator, over the whole held time; what an accept's appointments leave of it is given back."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from chalicelib.domain.agenda_change import held_units
from chalicelib.domain.calendar import Interval
from chalicelib.domain.model import ResourceRef
from chalicelib.domain.openings import Opening, OpeningStatus, at_desk, left_over
from chalicelib.domain.waitlist_settings import OfferMode
from tests.factories import NOW

START = NOW + timedelta(days=1)
HELD = Opening(id="op_1", business_id="biz_salon", service_id="svc_cut+svc_color", staff_id="stf_ana",
               start=START, end=START + timedelta(minutes=60), busy=Interval(START, START + timedelta(minutes=60)),
               mode=OfferMode.ONE_AT_A_TIME, status=OpeningStatus.HELD, created_at=NOW, updated_at=NOW,
               freed_by="ABCD", round=1, holder="wl_a", held_until=NOW + timedelta(minutes=15))


def test_an_opening_without_a_desk_keeps_only_the_professional():
    assert HELD.resources == (ResourceRef("staff", "stf_ana"),)
    assert len(held_units(HELD.as_appointment())) == 12


def test_a_held_desk_and_its_operator_are_kept_for_the_whole_time():
    at_desk = replace(HELD, desk_id="dsk_basin2", operator_id="stf_bea")
    assert at_desk.resources == (ResourceRef("staff", "stf_ana"), ResourceRef("desk", "dsk_basin2"),
                                 ResourceRef("staff", "stf_bea"))
    assert len(held_units(at_desk.as_appointment())) == 36


def test_what_the_accepted_appointments_do_not_take_is_given_back():
    at_desk = replace(HELD, desk_id="dsk_basin2")
    whole = at_desk.as_appointment()
    half = START + timedelta(minutes=30)
    cut = replace(whole, busy=Interval(START, half))  # at the desk
    colour = replace(whole, busy=Interval(half, whole.busy.end), desk_id=None)  # needs none
    back = left_over(at_desk, [cut, colour])
    assert {(g.hold, g.unit.resource) for g in back} == {("op_1", ResourceRef("desk", "dsk_basin2"))}
    assert [g.unit.start for g in back] == [half + timedelta(minutes=5 * n) for n in range(6)]
    assert left_over(at_desk, [whole]) == () and left_over(HELD, [replace(whole, desk_id=None)]) == ()


def test_a_hold_too_long_to_keep_its_desk_in_one_transaction_keeps_the_professional_only():
    assert at_desk(HELD, "dsk_basin2", None).desk_id == "dsk_basin2"
    long = replace(HELD, busy=Interval(START, START + timedelta(minutes=185)))
    assert at_desk(long, "dsk_basin2", None) == long  # 37 + 37 units: over MAX_HELD_UNITS
    assert at_desk(replace(long, busy=Interval(START, START + timedelta(minutes=180))), "dsk_basin2", None).desk_id
    assert at_desk(replace(HELD, busy=Interval(START, START + timedelta(minutes=125))), "d", "stf_bea").desk_id is None
