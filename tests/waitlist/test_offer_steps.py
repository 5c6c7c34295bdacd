"""Which step of an opening tells whom (domain/offer_messages.py), pure: a round that starts tells its holder,
a hold that ran out tells its holder, a decline and an unchanged round tell nobody; the ids are per round.
Offered to everyone (the mode or the fallback), each request newly told gets its own offer, once."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from chalicelib.domain.calendar import Interval
from chalicelib.domain.messages import MessageKind
from chalicelib.domain.offer_messages import step_messages, worth_sending_until
from chalicelib.domain.openings import Opening, OpeningStatus
from chalicelib.domain.waitlist import Contact, WaitlistRequest, Window
from chalicelib.domain.waitlist_settings import OfferMode
from tests.factories import NOW

START = NOW + timedelta(days=1)
FREE = Opening(id="op_1", business_id="biz_salon", service_id="svc_cut", staff_id="stf_ana", start=START,
               end=START + timedelta(minutes=30), busy=Interval(START, START + timedelta(minutes=30)),
               mode=OfferMode.ONE_AT_A_TIME, status=OpeningStatus.SUGGESTED, created_at=NOW, updated_at=NOW,
               freed_by="ABCD")
HELD_1 = replace(FREE, status=OpeningStatus.HELD, round=1, holder="wl_a", held_until=NOW + timedelta(minutes=15))
HELD_2 = replace(HELD_1, round=2, holder="wl_b", held_until=NOW + timedelta(minutes=30))
RELEASED = replace(HELD_1, status=OpeningStatus.RELEASED, holder=None, held_until=None)


def waiting(ident: str, **contact) -> WaitlistRequest:
    return WaitlistRequest(id=ident, business_id="biz_salon", contact=Contact("Eva", **contact), service_id="svc_cut",
                           staff_id="stf_ana", windows=(Window(date(2026, 3, 24), date(2026, 3, 24), 540, 780),),
                           created_by="client", created_at=NOW, updated_at=NOW, expires_at=NOW + timedelta(days=2))


REQUESTS = {"wl_a": waiting("wl_a", email="a@example.com"), "wl_b": waiting("wl_b", phone="+34611000302")}


def told(before, after, outcome=None):
    return [(m.kind, m.id) for m in step_messages(before, after, REQUESTS, outcome, NOW)]


def test_a_new_hold_tells_its_holder_with_an_id_per_round():
    assert told(None, HELD_1) == [(MessageKind.OFFER, "ofr_op_1_1_wl_a")]
    [message] = step_messages(None, HELD_1, REQUESTS, None, NOW)
    assert message.offer["contact"]["email"] == "a@example.com" and message.offer["round"] == 1
    assert message.offer["held_until"] == HELD_1.held_until.isoformat()
    assert message.client_id == "wl_a"  # not a client yet: filed under the request


def test_a_hold_that_ran_out_tells_its_holder_and_the_next_round_its_own():
    assert told(HELD_1, HELD_2, "expired") == [(MessageKind.OFFER_EXPIRED, "ofx_op_1_1_wl_a"),
                                               (MessageKind.OFFER, "ofr_op_1_2_wl_b")]
    assert told(HELD_1, RELEASED, "expired") == [(MessageKind.OFFER_EXPIRED, "ofx_op_1_1_wl_a")]


def test_a_decline_and_an_unchanged_round_tell_nobody_new():
    assert told(HELD_1, HELD_2, "declined") == [(MessageKind.OFFER, "ofr_op_1_2_wl_b")]
    assert told(HELD_1, RELEASED, "declined") == []
    assert told(HELD_1, replace(HELD_1, updated_at=NOW + timedelta(minutes=1))) == []


def test_the_same_step_twice_gives_the_same_ids():
    assert told(HELD_1, HELD_2, "expired") == told(HELD_1, HELD_2, "expired")


def test_a_refused_offer_is_retried_only_while_its_hold_lasts():
    offer, ended = step_messages(HELD_1, HELD_2, REQUESTS, "expired", NOW)[::-1]
    assert worth_sending_until(offer) == HELD_2.held_until
    assert worth_sending_until(ended) == START


OFFERED = replace(FREE, status=OpeningStatus.OFFERED, mode=OfferMode.EVERYONE, offered=("wl_a", "wl_b"))


def test_everyone_mode_tells_every_match_at_once_with_no_hold():
    assert told(None, OFFERED) == [(MessageKind.OFFER, "ofr_op_1_0_wl_a"), (MessageKind.OFFER, "ofr_op_1_0_wl_b")]
    assert all(m.offer["held_until"] is None and m.offer["round"] == 0
               for m in step_messages(None, OFFERED, REQUESTS, None, NOW))


def test_offered_to_everyone_a_decline_tells_nobody_and_only_new_matches_are_told():
    assert told(OFFERED, replace(OFFERED, updated_at=NOW + timedelta(minutes=1)), "declined") == []
    wider = replace(OFFERED, offered=("wl_a", "wl_b", "wl_c"))
    requests = {**REQUESTS, "wl_c": waiting("wl_c", email="c@example.com")}
    assert [m.id for m in step_messages(OFFERED, wider, requests, None, NOW)] == ["ofr_op_1_0_wl_c"]


def test_the_everyone_fallback_tells_the_last_holder_it_ended_and_the_rest_the_time():
    fallback = replace(HELD_2, status=OpeningStatus.OFFERED, holder=None, held_until=None, offered=("wl_a",))
    assert told(HELD_2, fallback, "expired") == [(MessageKind.OFFER_EXPIRED, "ofx_op_1_2_wl_b"),
                                                 (MessageKind.OFFER, "ofr_op_1_0_wl_a")]
